"""A large, numbered, tappable tile for the home screen."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widget import Widget

from kiosk.ui.messages import Navigate


class Tile(Widget, can_focus=True):
    """A big target: its number (the key that opens it), a title and a subtitle.

    Choosing it (Enter, a tap, or its number on the home screen) asks for its navigation target.
    """

    DEFAULT_CSS = """
    Tile {
        height: 4;
        padding: 1 1 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        border-left: tall $primary;
        background: $boost;
    }
    Tile:focus, Tile:hover { background: $primary 30%; }
    Tile:focus { border-left: tall $accent; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "choose", show=False)]

    def __init__(
        self,
        number: int | None,
        title: Content,
        subtitle: Content,
        target: str,
        colour: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.number = number
        self.title = title
        self.subtitle = subtitle
        self.target = target
        if colour:
            self.styles.border_left = ("tall", colour)

    def render(self) -> Content:
        badge = Content(f"{self.number} " if self.number is not None else "").stylize("bold reverse")
        head = badge + Content(" ") + self.title.stylize("bold")
        return Content("\n").join([head, self.subtitle.stylize("dim")])

    def choose(self) -> None:
        self.post_message(Navigate(self.target))

    def action_choose(self) -> None:
        self.choose()

    def on_click(self, event: events.Click) -> None:
        self.focus()
        self.choose()
