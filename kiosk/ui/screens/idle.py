"""'Are you still there?': a countdown before the kiosk clears everything for the next customer."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Button, Static

from kiosk.i18n import t
from kiosk.ui.render import plain
from kiosk.ui.screens.base import KioskModal


class IdleWarningScreen(KioskModal[None]):
    """Any key or tap dismisses it (the app counts every input as activity)."""

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

    @on(Button.Pressed, "#idle-continue")
    def continue_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss()
