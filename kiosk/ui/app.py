"""KioskApp: receives its packs, clock and settings; never discovers anything itself."""

from __future__ import annotations

import asyncio
import select
import signal
import sys
import threading
import weakref
import zoneinfo
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message_pump import MessagePump
from textual.screen import Screen

from kiosk import exitcodes
from kiosk.clock import Clock
from kiosk.config import Settings
from kiosk.i18n import other_locale, t
from kiosk.packset import PackSet
from kiosk.profile import Profile
from kiosk.session import Session
from kiosk.ui.messages import KeySettled, Navigate, ScreenReady
from kiosk.ui.screens.base import MIN_SIZE, KioskModal, KioskScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.terminal_input import tolerate_invalid_input
from kiosk.ui.themes import HIGH_CONTRAST, KIOSK_DARK, THEME_NAMES
from kiosk.ui.wide_chars import apply as keep_wide_characters_whole

# Before any screen is drawn: Chinese on a toast or menu must not lose characters at the edges
# of the widgets beneath it.
keep_wide_characters_whole()

if TYPE_CHECKING:
    from rich.console import RenderableType

    # Imported lazily at run time: building the index is slow and not needed for the first paint.
    from kiosk.search import SearchIndex
    from kiosk.ui.context import KioskContext
    from kiosk.ui.navigation import Navigator
    from kiosk.ui.screens.idle import IdleWarningScreen
    from kiosk.ui.screens.staff import PinGuard
    from kiosk.usagestats import NoStats, UsageStats


#: Input that proves someone is there.
_ACTIVITY = (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp, events.Paste)


class KioskApp(App[int], inherit_bindings=False):
    """The help kiosk.

    Dependencies come in through the constructor so tests and snapshots never
    depend on what is installed or on the real time. Textual's default
    bindings (quit, command palette) are not inherited: a customer gets only
    the keys bound here and on each screen. Screens and widgets see the app
    through `kiosk.ui.context.KioskContext` and ask for other screens with
    `kiosk.ui.messages.Navigate`; only `kiosk.ui.navigation` knows the screens.
    """

    CSS_PATH = Path(__file__).with_name("kiosk.tcss")
    TITLE = "wallet-kiosk"
    ENABLE_COMMAND_PALETTE = False
    ALLOW_SELECT = False
    # Priority bindings work even while a text field has the focus.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+l", "toggle_language", "Language", id="language", priority=True),
        Binding("home", "go_home", "Home", id="home", priority=True),
        Binding("ctrl+e", "end_session", "End session", id="end", priority=True),
        Binding("ctrl+t", "staff", "Staff", id="staff", priority=True, show=False),
        Binding("ctrl+q", "quit_session", "Quit", id="quit", priority=True),
        # Not a priority binding: a text field that takes "/" keeps it; every other screen searches.
        Binding("slash", "search", "Search", id="app-search", show=False),
    ]

    # Below the smallest size every screen is laid out for, each screen shows only "please enlarge"
    # in both languages (kiosk.tcss), rather than clipped buttons and text cut mid-word. (Textual
    # types these as instance attributes, so they cannot be annotated ClassVar here.)
    HORIZONTAL_BREAKPOINTS = [(0, "-too-narrow"), (MIN_SIZE[0], "-wide")]  # noqa: RUF012
    VERTICAL_BREAKPOINTS = [(0, "-too-short"), (MIN_SIZE[1], "-tall")]  # noqa: RUF012

    #: Keys held while a screen is being built, at most this many (a flood of keys is not a queue to keep).
    max_held_keys: ClassVar[int] = 64
    #: Longest a key waits for the previous one's messages to be handled.
    key_settle_seconds: ClassVar[float] = 0.5

    #: Seconds between recomputations of "open now" statuses on screen.
    status_refresh_seconds: float = 20.0
    #: Seconds between idle checks.
    idle_check_seconds: float = 1.0
    #: Seconds after start-up before the search index is built in the background.
    search_warmup_seconds: float = 2.0
    #: Seconds between checks that the terminal is still there.
    terminal_check_seconds: float = 1.0
    #: Seconds the "sorry, starting again" screen stays before the kiosk exits after an unexpected error.
    crash_screen_seconds: float = 4.0

    def __init__(
        self,
        packs: PackSet,
        clock: Clock,
        settings: Settings,
        profile: Profile = Profile.DEVELOPMENT,
        notices: Sequence[str] = (),
        search_index: SearchIndex | None = None,
    ) -> None:
        """`packs` come in the order the home screen shows them (launch.prepare puts them in the
        operator's order). `search_index`, if given, must index exactly `packs.packs`: a server that
        starts many sessions builds it once and shares it."""
        super().__init__()
        tolerate_invalid_input()  # one stray non-UTF-8 byte must not end the kiosk
        self.packs = packs
        self.clock = clock
        self.settings = settings
        self.profile = Profile(profile)
        #: Problems staff should see (broken config, quarantined packs); never customer data. A remote
        #: session has no staff, and these name files on the server: its front door logs them instead.
        self.notices = tuple(notices) if self.profile is not Profile.REMOTE else ()
        self.display_zone = zoneinfo.ZoneInfo("Asia/Shanghai")
        self.session = Session(locale=settings.default_locale)
        self._pin_guard: PinGuard | None = None
        self._search_index = search_index
        self._usage: UsageStats | NoStats | None = None
        self._search_lock = threading.Lock()
        self._last_activity = clock.now()
        self._customer_present = False
        self._idle_warning: IdleWarningScreen | None = None  # the "Are you still there?" screen while it is shown
        self._crashed = False  # an unexpected error happened: the sorry screen is up, the kiosk exits
        #: Keys that came while the screen on top was still being built (see `on_event`).
        self._held_keys: list[events.Key] = []
        self._key_in_flight = False
        self._ready_screens: weakref.WeakSet[Screen[Any]] = weakref.WeakSet()

    # -- start-up ------------------------------------------------------------
    def get_default_screen(self) -> Screen[None]:
        return HomeScreen()

    def on_mount(self) -> None:
        self.register_theme(KIOSK_DARK)
        self.register_theme(HIGH_CONTRAST)
        self.theme = THEME_NAMES.get(self.settings.theme, KIOSK_DARK.name)
        if self.profile is not Profile.DEVELOPMENT:
            self.set_interval(self.idle_check_seconds, self.check_customer_idle)
        self.set_timer(self.search_warmup_seconds, self._warm_search_index)
        if not self.is_headless:
            self.set_interval(self.terminal_check_seconds, self.check_terminal)
            loop = asyncio.get_running_loop()
            # Leave through Textual's own exit, which gives the terminal back as it found it (the
            # default actions would end the process in the alternate screen with mouse reporting on).
            loop.add_signal_handler(signal.SIGTERM, self.exit, None, exitcodes.OK)
            loop.add_signal_handler(signal.SIGHUP, self.exit, None, exitcodes.TERMINAL_LOST)
            if self.profile is Profile.REMOTE:
                # The SSH front door sends SIGUSR1 shortly before a session's time limit.
                asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, self.session_ending_soon)

    def session_ending_soon(self) -> None:
        """Warn a remote customer that the front door will end the session soon."""
        self.notify(t("session.ending_soon", self.session.locale), severity="warning", timeout=60, markup=False)

    def check_terminal(self) -> None:
        """Exit once the terminal has hung up (its window closed, its connection dropped).

        No key can arrive after that, and Textual's input thread would go on reading the dead
        terminal at full CPU for as long as the process lives. A hang-up normally comes with
        SIGHUP, but not to a process outside the terminal's foreground group, so we look.
        """
        stdin = sys.__stdin__
        if stdin is not None and input_hung_up(stdin.fileno()):
            self.exit(return_code=exitcodes.TERMINAL_LOST)

    # -- unexpected errors --------------------------------------------------
    def _handle_exception(self, error: Exception) -> None:
        """Textual's hook for an error nothing handled (it would print a traceback with locals).

        In the kiosk and remote profiles the customer gets the sorry screen and the operator
        the traceback, without local variables (they can hold a PIN or a number being checked).
        """
        if self.profile is Profile.DEVELOPMENT:
            super()._handle_exception(error)
            return
        if self._exception is None:  # what run_test re-raises, so a test still sees the error
            self._exception = error
            self._exception_event.set()
        from kiosk import oplog

        oplog.exception("the kiosk stopped on an unexpected error; it starts again", error)
        self._show_sorry_and_exit()

    def panic(self, *renderables: RenderableType) -> None:
        """What Textual calls when its input thread dies (it hands over a traceback to print)."""
        if self.profile is Profile.DEVELOPMENT:
            super().panic(*renderables)
            return
        from kiosk import oplog

        oplog.failure("the kiosk stopped: its terminal input failed; it starts again", _plain_lines(renderables))
        self._show_sorry_and_exit()

    def _show_sorry_and_exit(self) -> None:
        self._return_code = exitcodes.UNEXPECTED_ERROR
        if self._crashed:  # failing again while saying sorry: nothing more is shown
            self.exit(return_code=exitcodes.UNEXPECTED_ERROR)
            return
        self._crashed = True
        try:
            from kiosk.ui.screens.crash import CrashScreen

            self.push_screen(CrashScreen())
        except Exception:
            self.exit(return_code=exitcodes.UNEXPECTED_ERROR)
            return
        self.set_timer(self.crash_screen_seconds, lambda: self.exit(return_code=exitcodes.UNEXPECTED_ERROR))

    # -- shared services ---------------------------------------------------
    @property
    def pin_guard(self) -> PinGuard:
        """Wrong-PIN counting lives as long as the process: a reset must not clear a lockout."""
        if self._pin_guard is None:
            from kiosk.ui.screens.staff import PinGuard  # only once staff press Ctrl+T

            self._pin_guard = PinGuard()
        return self._pin_guard

    def _staff_screen_shown(self) -> bool:
        screen = self.screen
        return isinstance(screen, KioskModal) and screen.staff_only

    @property
    def search_index(self) -> SearchIndex:
        """Built after the first paint (see `on_mount`), or on first use if someone is quicker."""
        with self._search_lock:
            if self._search_index is None:
                from kiosk.search import SearchIndex

                self._search_index = SearchIndex.build(self.packs.packs)
        return self._search_index

    @property
    def usage(self) -> UsageStats | NoStats:
        """The usage counters (kiosk.usagestats), or a stand-in that counts nothing when switched off."""
        if self._usage is None:
            from kiosk.usagestats import NoStats, UsageStats

            if self.settings.usage_stats:
                self._usage = UsageStats(
                    retention_days=self.settings.usage_stats_days, today=lambda: self.clock.now().date()
                )
            else:
                self._usage = NoStats()
        return self._usage

    def _warm_search_index(self) -> None:
        # In a thread: with many packs the index takes seconds, and the first keystroke should not.
        self.run_worker(lambda: self.search_index, thread=True, group="search-index", exit_on_error=False)

    # -- lockdown: nothing a customer does may leave the kiosk -------------
    def copy_to_clipboard(self, text: str) -> None:
        """Never: OSC 52 would hand one customer's text to the next one's clipboard."""

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """Never: it would open a browser on the kiosk's own machine."""

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Never: a screenshot is a file with a customer's screen in it."""

    def action_command_palette(self) -> None:
        """There is no command palette at the kiosk."""

    def action_suspend_process(self) -> None:
        """Never suspend: a suspended kiosk is a shell prompt."""

    async def action_quit(self) -> None:
        if self.profile is not Profile.KIOSK:
            self.exit(return_code=exitcodes.OK)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self._crashed:
            return False  # the sorry screen stays until the kiosk exits
        if action == "go_home":
            # Hidden (and inert) on the home screen itself.
            return len(self.screen_stack) > 1
        if action == "quit_session":
            return self.profile is not Profile.KIOSK
        if action == "staff":
            return self.profile is Profile.KIOSK
        if action == "end_session":
            return self.profile is Profile.REMOTE or self._customer_present
        return True

    # -- actions available everywhere -------------------------------------
    def action_toggle_language(self) -> None:
        self.session.locale = other_locale(self.session.locale)
        # Only the visible screen re-renders now; the others catch up when resumed.
        screen = self.screen
        if isinstance(screen, KioskScreen | KioskModal):
            screen.locale = self.session.locale

    def action_search(self) -> None:
        """`/` from every screen; on the search screen itself the key is the search screen's."""
        from kiosk.ui.screens.search import SearchScreen  # the screen is imported on first use anyway

        if not isinstance(self.screen, SearchScreen | KioskModal):
            self.on_navigate(Navigate("search"))

    def action_go_home(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    async def action_end_session(self) -> None:
        if self.profile is Profile.REMOTE:
            self.exit(return_code=exitcodes.OK)
        else:
            await self.reset_session()

    async def action_quit_session(self) -> None:
        if self.profile is not Profile.KIOSK:
            self.exit(return_code=exitcodes.OK)

    def action_staff(self) -> None:
        if self.profile is not Profile.KIOSK or self._staff_screen_shown():
            return
        from kiosk.ui.screens.staff import StaffPinScreen, StaffScreen  # only once staff press Ctrl+T

        def unlocked(ok: bool | None) -> None:
            if ok:
                self.push_screen(StaffScreen(self.session.locale))

        self.push_screen(StaffPinScreen(self.session.locale, self.pin_guard), unlocked)

    # -- navigation: screens ask, navigation knows where each target leads --
    def on_navigate(self, message: Navigate) -> None:
        # Imported on the first navigation: it imports every screen, and the first paint needs only home.
        from kiosk.ui import navigation

        message.stop()
        navigation.open_target(self, message.target)

    # -- input: keys reach the screen they were meant for ---------------------
    # Textual forwards a key to the focused widget's queue and goes straight on to the next key. A
    # key that opens a screen does so a few messages later, so a key typed 10-20 ms after it (`1 g
    # Enter` in quick succession) would reach the old screen, or the new one before it has its
    # widgets and focus, and be lost or hit the wrong widget. So keys go one at a time: the next
    # waits until the previous one's messages have been handled and the screen on top is built.
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, _ACTIVITY) and self.note_activity() and isinstance(event, events.Key | events.Paste):
            return  # the key that dismissed "Are you still there?" was for the dialog, not the screen behind
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self._key_in_flight or self._held_keys or not self._screen_ready():
                if len(self._held_keys) < self.max_held_keys:
                    self._held_keys.append(event)
                return
            target = self.focused or self.screen
            await super().on_event(event)
            self._key_in_flight = True
            self._settle([target, *target.ancestors_with_self[1:-1]])  # up to the screen; the app is here
            return
        await super().on_event(event)

    def _settle(self, pumps: Sequence[MessagePump]) -> None:
        self.run_worker(self._key_settled(pumps), group="key-settle", exit_on_error=False)

    async def _key_settled(self, pumps: Sequence[MessagePump]) -> None:
        """Wait until `pumps` (the widget a key went to and those above it) have no messages waiting.

        Each pump runs as its own task, so seeing every queue empty twice, with the event loop run
        in between, means what the key set off has been handled or has come back to the app.
        (Textual's queues cannot be joined: messages that replace others are never marked done.)
        """
        loop = asyncio.get_running_loop()
        give_up = loop.time() + self.key_settle_seconds
        quiet = 0
        while quiet < 2 and loop.time() < give_up:
            await asyncio.sleep(0.001)
            quiet = quiet + 1 if not any(_waiting(pump) for pump in pumps) else 0
        self.post_message(KeySettled(pumps if quiet >= 2 else ()))

    def on_key_settled(self, message: KeySettled) -> None:
        message.stop()
        # What the key set off may have come back here and sent something down again (a binding on
        # the screen runs in the app and asks a tile to open its screen): wait for that too.
        if any(_waiting(pump) for pump in message.pumps):
            self._settle(message.pumps)
            return
        self._key_in_flight = False
        self._release_held_key()

    def _screen_ready(self) -> bool:
        screen = self.screen
        return not isinstance(screen, KioskScreen | KioskModal) or screen in self._ready_screens

    def on_screen_ready(self, message: ScreenReady) -> None:
        message.stop()
        self._ready_screens.add(message.screen)
        self._release_held_key()

    def _release_held_key(self) -> None:
        if self._held_keys and not self._key_in_flight and self._screen_ready():
            key = self._held_keys.pop(0)
            self.call_next(self._replay, key)

    async def _replay(self, key: events.Key) -> None:
        held, self._held_keys = self._held_keys, []  # so that this key is not held behind the others
        await self.on_event(key)
        self._held_keys = held + self._held_keys
        if not self._key_in_flight:  # e.g. the key dismissed the idle warning
            self._release_held_key()

    # -- idle: warn, then clear everything ---------------------------------
    def note_activity(self) -> bool:
        """Someone is there; True when this dismissed the idle warning."""
        self._last_activity = self.clock.now()
        if not self._customer_present:
            self._customer_present = True
            self.refresh_bindings()  # "End session" appears once someone is using the kiosk
        if self._idle_warning is not None:
            warning, self._idle_warning = self._idle_warning, None
            if warning.is_attached:
                warning.dismiss()
                return True
        return False

    def check_customer_idle(self) -> None:
        """Called every second: show the countdown after idle_timeout, reset when it runs out."""
        if not self._customer_present or self._staff_screen_shown():
            return
        idle = (self.clock.now() - self._last_activity).total_seconds()
        timeout, warning = self.settings.idle_timeout, self.settings.idle_warning
        if idle < timeout:
            return
        left = int(timeout + warning - idle)
        if left <= 0:
            self._idle_warning = None
            self._customer_present = False  # one expiry, even if the next tick comes first
            self.call_next(self.idle_expired)
        elif self._idle_warning is None:
            from kiosk.ui.screens.idle import IdleWarningScreen  # most visits never go idle

            self._idle_warning = IdleWarningScreen(self.session.locale, left)
            self.push_screen(self._idle_warning)
        else:
            self._idle_warning.update_countdown(left)

    async def idle_expired(self) -> None:
        if self.profile is Profile.REMOTE:
            self.exit(return_code=exitcodes.IDLE_TIMEOUT)
        else:
            await self.reset_session()

    async def reset_session(self) -> None:
        """Forget the customer: their state, their screens, their back history, their language."""
        self._idle_warning = None
        self.session = Session(locale=self.settings.default_locale)
        self._customer_present = False
        self._last_activity = self.clock.now()
        self.clear_notifications()
        # Every screen above home is discarded; home itself is rebuilt from the fresh session,
        # so no widget, scroll position or focus of the previous customer survives.
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        home = self.screen
        assert isinstance(home, HomeScreen), "the default screen is always at the bottom"
        home.set_reactive(HomeScreen.locale, self.session.locale)
        await home.recompose()
        home.focus_first_tile()


def _plain_lines(renderables: Sequence[object]) -> list[str]:
    """Renderables as plain text lines (Textual's input thread hands over a Rich traceback)."""
    import io

    from rich.console import Console

    out = io.StringIO()
    console = Console(file=out, width=120, color_system=None, force_terminal=False, legacy_windows=False)
    for renderable in renderables:
        console.print(renderable)
    return out.getvalue().splitlines()


def _waiting(pump: MessagePump) -> bool:
    """Messages are waiting in `pump`'s queue (Textual 8.2's message pumps; the version is pinned)."""
    return pump.is_attached and (pump._pending_message is not None or not pump._message_queue.empty())


def input_hung_up(fd: int) -> bool:
    """True once `fd` (a terminal or a pipe) has hung up or is no longer open."""
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    try:
        events = poller.poll(0)
    except OSError:
        return True
    return any(mask & (select.POLLHUP | select.POLLERR | select.POLLNVAL) for _, mask in events)


if TYPE_CHECKING:
    # mypy checks here that KioskApp provides everything screens, widgets and navigation use of it.
    def _provides(app: KioskApp) -> tuple[KioskContext, Navigator]:
        return app, app
