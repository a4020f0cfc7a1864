"""The top line: where you are, the branch, the time, and the language."""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widget import Widget

from kiosk.i18n import t
from kiosk.ui.context import kiosk_app
from kiosk.ui.messages import Navigate
from kiosk.ui.render import plain


class KioskHeader(Widget):
    """One widget drawing one line: every widget costs start-up time, and this one is on every screen.

    The language marker at the right end holds two tap targets, one per language; tapping the
    other language switches to it.
    """

    DEFAULT_CSS = """
    KioskHeader {
        dock: top;
        height: 1;
        background: $primary;
        color: $text;
    }
    """

    def __init__(self, title: Content | str, locale: str) -> None:
        super().__init__()
        self._title = title if isinstance(title, Content) else plain(title)
        self._locale = locale

    def _language(self) -> Content:
        zh, en = ("bold reverse", "") if self._locale == "zh-CN" else ("", "bold reverse")
        return Content.assemble(" ", ("中文", zh), " / ", ("EN", en), " ")

    def language_at(self, x: int) -> str | None:
        """The language whose name is drawn at column `x` (" 中文 / EN " at the right end), if any."""
        start = self.size.width - self._language().cell_length
        offset = x - start
        if 0 <= offset <= 4:  # " 中文" and the space before it
            return "zh-CN"
        if 7 <= offset <= 10:  # "EN" and the space around it
            return "en"
        return None

    def render(self) -> Content:
        kiosk = kiosk_app(self)
        head = plain(" · ".join(filter(None, [t("app.title", self._locale), kiosk.settings.branch_name])))
        if self._title:
            head = head + Content(" › ") + self._title
        clock = Content(" " + kiosk.clock.now().astimezone(kiosk.display_zone).strftime("%H:%M") + " ")
        language = self._language()
        room = self.size.width - clock.cell_length - language.cell_length - 1
        head = Content(" ") + head.stylize("bold")
        if head.cell_length > room:
            head = head.truncate(max(0, room), ellipsis=True)
        return head.pad_right(max(0, room - head.cell_length)) + clock + language

    def on_mount(self) -> None:
        self.set_interval(15, self.refresh)

    def on_click(self, event: events.Click) -> None:
        # Two choices, not a toggle: tapping the language already shown does nothing.
        tapped = self.language_at(event.x)
        if tapped is not None and tapped != self._locale:
            self.post_message(Navigate("language"))
