"""'Are you still there?': a countdown before the kiosk clears everything for the next customer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Button, Static

from kiosk.i18n import t
from kiosk.ui.render import plain
from kiosk.ui.screens.base import KioskModal


class IdleWarningScreen(KioskModal[None]):
    """Any key or tap dismisses it (the app counts every input as activity)."""

    DEFAULT_CSS = """
    IdleWarningScreen { align: center middle; }
    IdleWarningScreen > Vertical {
        width: 60; max-width: 95%; height: auto;
        border: thick $warning; background: $surface; padding: 1 2;
    }
    IdleWarningScreen #idle-title { text-style: bold; width: 100%; content-align: center middle; }
    IdleWarningScreen #idle-countdown { width: 100%; content-align: center middle; margin: 1 0; }
    IdleWarningScreen Button { width: 100%; }
    """

    def __init__(self, locale: str, seconds_left: int) -> None:
        super().__init__(locale)
        self.seconds_left = seconds_left

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(t("idle.title", self.locale)), id="idle-title")
            yield Static(self._countdown(), id="idle-countdown")
            yield Button(plain(t("idle.continue", self.locale)), id="idle-continue", variant="primary")

    def _countdown(self) -> Content:
        return plain(t("idle.countdown", self.locale, seconds=self.seconds_left))

    def update_countdown(self, seconds_left: int) -> None:
        self.seconds_left = seconds_left
        if self.is_mounted:
            self.query_one("#idle-countdown", Static).update(self._countdown())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss()
