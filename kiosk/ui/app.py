"""KioskApp: receives its packs, clock and settings; never discovers anything itself."""

from __future__ import annotations

import zoneinfo
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from kiosk.clock import Clock
from kiosk.config import Settings
from kiosk.discovery import PackSet
from kiosk.i18n import other_locale
from kiosk.session import Session


class KioskApp(App, inherit_bindings=False):
    """The help kiosk.

    Dependencies come in through the constructor so tests and snapshots never
    depend on what is installed or on the real time. Textual's default
    bindings (quit, command palette) are not inherited: a customer gets only
    the keys bound here and on each screen.
    """

    CSS_PATH = Path(__file__).with_name("kiosk.tcss")
    TITLE = "wallet-kiosk"
    ENABLE_COMMAND_PALETTE = False
    ALLOW_SELECT = False
    # Priority bindings work even while a text field has the focus.
    BINDINGS = [
        Binding("ctrl+l", "toggle_language", "Language", id="language", priority=True),
        Binding("home", "go_home", "Home", id="home", priority=True),
    ]

    #: Seconds between recomputations of "open now" statuses on screen.
    status_refresh_seconds: float = 20.0

    def __init__(self, packs: PackSet, clock: Clock, settings: Settings) -> None:
        super().__init__()
        self.packs = packs
        self.clock = clock
        self.settings = settings
        self.display_zone = zoneinfo.ZoneInfo("Asia/Shanghai")
        self.session = Session(locale=settings.default_locale)
        self._search_index = None

    def get_default_screen(self) -> Screen:
        from kiosk.ui.screens.home import HomeScreen

        return HomeScreen()

    # -- shared services ---------------------------------------------------
    @property
    def search_index(self):
        """Built on first use: most customers never search, and start-up time is budgeted."""
        if self._search_index is None:
            from kiosk.search import SearchIndex

            self._search_index = SearchIndex.build(self.packs.packs)
        return self._search_index

    # -- actions available everywhere -------------------------------------
    def action_toggle_language(self) -> None:
        self.session.locale = other_locale(self.session.locale)
        # Only the visible screen re-renders now; the others catch up when resumed.
        screen = self.screen
        if hasattr(screen, "locale"):
            screen.locale = self.session.locale

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "go_home":
            # Hidden (and inert) on the home screen itself.
            return len(self.screen_stack) > 1
        return True

    def action_go_home(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
