"""KioskApp: receives its packs, clock and settings; never discovers anything itself."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from kiosk.clock import Clock
from kiosk.config import Settings
from kiosk.discovery import PackSet
from kiosk.textsafety import sanitise


class HomeScreen(Screen):
    def compose(self) -> ComposeResult:
        app: KioskApp = self.app  # type: ignore[assignment]
        locale = app.settings.default_locale
        yield Header()
        with VerticalScroll():
            for pack in app.packs.wallets:
                yield Static(Content(sanitise(pack.pack.name[locale])), classes="tile")
            for record in app.packs.quarantined:
                yield Static(Content(sanitise(f"{record.id}: {record.error}")), classes="quarantined")
        yield Footer()


class KioskApp(App):
    TITLE = "wallet-kiosk"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="quit")]

    def __init__(self, packs: PackSet, clock: Clock, settings: Settings) -> None:
        super().__init__()
        self.packs = packs
        self.clock = clock
        self.settings = settings

    def get_default_screen(self) -> Screen:
        return HomeScreen()
