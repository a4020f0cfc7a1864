"""The top line: where you are, the branch, the time, and the language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from kiosk.i18n import t
from kiosk.ui.render import plain


class KioskHeader(Horizontal):
    DEFAULT_CSS = """
    KioskHeader {
        dock: top;
        height: 1;
        background: $primary;
        color: $text;
    }
    KioskHeader #header-title { width: 1fr; padding: 0 1; text-style: bold; text-wrap: nowrap; text-overflow: ellipsis; }
    KioskHeader #header-clock { width: auto; padding: 0 1; }
    KioskHeader #header-language { width: auto; padding: 0 1; background: $primary-darken-2; }
    """

    def __init__(self, title: Content | str, locale: str) -> None:
        super().__init__()
        self._title = title
        self._locale = locale

    def compose(self) -> ComposeResult:
        app = self.app
        branch = getattr(app.settings, "branch_name", "")
        parts = [t("app.title", self._locale)]
        if branch:
            parts.append(branch)
        head = plain(" · ".join(parts))
        title = self._title if isinstance(self._title, Content) else plain(self._title)
        if title:
            head = head + Content(" › ") + title
        yield Static(head, id="header-title")
        yield Static(self._clock_text(), id="header-clock")
        zh, en = ("bold reverse", "") if self._locale == "zh-CN" else ("", "bold reverse")
        yield Static(Content.assemble(("中文", zh), " / ", ("EN", en)), id="header-language")

    def on_mount(self) -> None:
        self.set_interval(15, self._tick)

    def _clock_text(self) -> Content:
        now = self.app.clock.now().astimezone(self.app.display_zone)
        return Content(now.strftime("%H:%M"))

    def _tick(self) -> None:
        self.query_one("#header-clock", Static).update(self._clock_text())

    def on_click(self, event) -> None:
        # The language marker doubles as a touch target for switching language.
        if getattr(event.widget, "id", None) == "header-language":
            self.app.action_toggle_language()
