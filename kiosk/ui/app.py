"""KioskApp: receives its packs, clock and settings; never discovers anything itself."""

from __future__ import annotations

import asyncio
import select
import signal
import sys
import threading
import zoneinfo
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from kiosk import exitcodes
from kiosk.clock import Clock
from kiosk.config import Settings
from kiosk.i18n import other_locale, t
from kiosk.packset import PackSet
from kiosk.profile import Profile
from kiosk.session import Session
from kiosk.ui.messages import Navigate
from kiosk.ui.screens.base import KioskModal, KioskScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.themes import HIGH_CONTRAST, THEME_NAMES
from kiosk.ui.wide_chars import apply as keep_wide_characters_whole

# Before any screen is drawn: Chinese on a toast or menu must not lose characters at the edges
# of the widgets beneath it.
keep_wide_characters_whole()

if TYPE_CHECKING:
    # Imported lazily at run time: building the index is slow and not needed for the first paint.
    from kiosk.search import SearchIndex
    from kiosk.ui.context import KioskContext
    from kiosk.ui.navigation import Navigator
    from kiosk.ui.screens.idle import IdleWarningScreen
    from kiosk.ui.screens.staff import PinGuard


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
    ]

    #: Seconds between recomputations of "open now" statuses on screen.
    status_refresh_seconds: float = 20.0
    #: Seconds between idle checks.
    idle_check_seconds: float = 1.0
    #: Seconds after start-up before the search index is built in the background.
    search_warmup_seconds: float = 2.0
    #: Seconds between checks that the terminal is still there.
    terminal_check_seconds: float = 1.0

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
        self._search_lock = threading.Lock()
        self._last_activity = clock.now()
        self._customer_present = False
        self._idle_warning: IdleWarningScreen | None = None  # the "Are you still there?" screen while it is shown

    # -- start-up ------------------------------------------------------------
    def get_default_screen(self) -> Screen[None]:
        return HomeScreen()

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        self.theme = THEME_NAMES.get(self.settings.theme, "textual-dark")
        if self.profile is not Profile.DEVELOPMENT:
            self.set_interval(self.idle_check_seconds, self.check_customer_idle)
        self.set_timer(self.search_warmup_seconds, self._warm_search_index)
        if not self.is_headless:
            self.set_interval(self.terminal_check_seconds, self.check_terminal)
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

    # -- idle: warn, then clear everything ---------------------------------
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, _ACTIVITY):
            self.note_activity()
        await super().on_event(event)

    def note_activity(self) -> None:
        self._last_activity = self.clock.now()
        if not self._customer_present:
            self._customer_present = True
            self.refresh_bindings()  # "End session" appears once someone is using the kiosk
        if self._idle_warning is not None:
            warning, self._idle_warning = self._idle_warning, None
            if warning.is_attached:
                warning.dismiss()

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
