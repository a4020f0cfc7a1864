"""Staff only: a PIN prompt, then status and the way out. Never reachable over SSH."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Static

from kiosk import exitcodes
from kiosk.i18n import t
from kiosk.staffaccess import Outcome, PinGuard
from kiosk.ui.render import plain
from kiosk.ui.screens.base import KioskModal

__all__ = ["PinGuard", "StaffPinScreen", "StaffScreen"]


class StaffPinScreen(KioskModal[bool]):
    """Returns True when the right PIN was entered. The PIN is never stored or logged."""

    staff_only = True
    BINDINGS: ClassVar[list[BindingType]] = [("escape", "cancel", "Cancel")]

    def __init__(self, locale: str, guard: PinGuard) -> None:
        super().__init__(locale)
        #: The app's guard: it outlives this prompt, so closing and reopening does not reset a lockout.
        self.guard = guard

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(t("staff.pin_title", self.locale), "bold"))
            yield Input(
                password=True,
                restrict=r"\d{0,12}",
                max_length=12,
                id="pin",
                placeholder=t("staff.pin_placeholder", self.locale),
            )
            yield Static(id="pin-message")
            with Horizontal():
                yield Button(plain(t("staff.cancel", self.locale)), id="pin-cancel")

    def on_mount(self) -> None:
        pin = self.query_one("#pin", Input)
        pin.cursor_blink = self.kiosk.settings.cursor_blink
        pin.focus()
        self._show_state()

    def _show_state(self, wrong: bool = False) -> None:
        kiosk = self.kiosk
        message = self.query_one("#pin-message", Static)
        if kiosk.settings.staff_access_problem:
            # A PIN may well be set, but the kiosk cannot use it: saying "not set" would mislead.
            message.update(plain(t("staff.unavailable", self.locale), "bold yellow"))
        elif not kiosk.settings.staff_pin_hash:
            message.update(plain(t("staff.no_pin", self.locale), "bold yellow"))
        elif self.guard.locked(kiosk.clock.now()):
            message.update(plain(t("staff.locked", self.locale), "bold red"))
        elif wrong:
            message.update(plain(t("staff.wrong", self.locale, left=self.guard.tries_left), "bold red"))
        else:
            message.update(Content(""))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        pin, event.input.value = event.value, ""  # clear at once: nothing of it stays on screen
        settings = self.kiosk.settings
        outcome = self.guard.attempt(
            pin, settings.staff_pin_hash, self.kiosk.clock.now(), unavailable=settings.staff_access_problem
        )
        if outcome is Outcome.GRANTED:
            self.dismiss(True)
        else:
            self._show_state(wrong=outcome is Outcome.REFUSED)

    @on(Button.Pressed, "#pin-cancel")
    def cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(False)

    def action_cancel(self) -> None:
        self.dismiss(False)


class StaffScreen(KioskModal[None]):
    """What staff need: is every pack loaded, is the configuration sound, and the exits."""

    staff_only = True
    BINDINGS: ClassVar[list[BindingType]] = [("escape", "dismiss_screen", "Back")]

    def compose(self) -> ComposeResult:
        kiosk = self.kiosk
        loc = self.locale
        with Vertical():
            yield Static(plain(t("staff.title", loc), "bold"))
            with VerticalScroll():
                loaded = [r for r in kiosk.packs.records if r.status == "loaded"]
                yield Static(plain(t("staff.packs_loaded", loc, n=len(kiosk.packs.packs))))
                for record in kiosk.packs.records:
                    line = f"  {record.status:<12} {record.id:<16} {record.pack_version or record.version or ''}"
                    if record.error:
                        line += f"  {record.error}"
                    yield Static(plain(line, "" if record in loaded else "yellow"))
                if kiosk.notices:
                    yield Static(plain(t("staff.notices", loc), "bold"))
                    for notice in kiosk.notices:
                        yield Static(plain(f"  {notice}", "yellow"))
            with Horizontal():
                yield Button(plain(t("staff.back", loc)), id="staff-back", variant="primary")
                yield Button(plain(t("staff.restart", loc)), id="staff-restart")
                yield Button(plain(t("staff.exit", loc)), id="staff-exit", variant="error")

    @on(Button.Pressed, "#staff-exit")
    def exit_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.app.exit(return_code=exitcodes.STAFF_MAINTENANCE)

    @on(Button.Pressed, "#staff-restart")
    def restart_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.app.exit(return_code=exitcodes.STAFF_RESTART)

    @on(Button.Pressed, "#staff-back")
    def back_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss()

    def action_dismiss_screen(self) -> None:
        self.dismiss()
