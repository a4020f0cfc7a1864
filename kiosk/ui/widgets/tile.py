"""A large, numbered, tappable tile for the home screen."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from kiosk.ui.messages import Navigate


class Tile(Widget, can_focus=True):
    """A big target: its number (the key that opens it), a title and a subtitle.

    Choosing it (Enter, a tap, or its number on the home screen) asks for its navigation target.
    """

    DEFAULT_CSS = """
    Tile {
        /* As tall as the description needs: it is the only hint of what a wallet's tile covers. */
        height: auto;
        min-height: 4;
        padding: 1 1 0 1;
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
        #: Lines the subtitle may take (the home screen sets it from the room it has); None: all it needs.
        self.subtitle_lines: int | None = None

    def heading(self) -> Content:
        badge = Content(f"{self.number} " if self.number is not None else "").stylize("bold reverse")
        return badge + Content(" ") + self.title.stylize("bold")

    def render(self) -> Content:
        return Content("\n").join([self.heading(), self.fitted_subtitle().stylize("dim")])

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # From the width the layout offers, not the size the tile had before (none at first).
        return len(self.heading().wrap(width)) + len(self.fitted_subtitle(width).wrap(width))

    def fitted_subtitle(self, width: int | None = None) -> Content:
        """The subtitle wrapped to the tile, and ended with "…" only when it needs more lines than it has."""
        width = width or self.content_region.width or self.size.width
        if self.subtitle_lines is None or width <= 0:
            return self.subtitle
        lines = self.subtitle.wrap(width)
        if len(lines) <= self.subtitle_lines:
            return self.subtitle
        kept = lines[: self.subtitle_lines]
        last = kept[-1].rstrip()
        kept[-1] = (last.truncate(width - 1).rstrip() if last.cell_length >= width else last) + Content("…")
        return Content("\n").join(kept)

    def choose(self) -> None:
        self.post_message(Navigate(self.target))

    def action_choose(self) -> None:
        self.choose()

    def on_click(self, event: events.Click) -> None:
        self.focus()
        self.choose()
