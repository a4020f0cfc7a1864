"""Lists with a hanging indent, so wrapped lines stay under their text, not under the bullet."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static


class BulletList(Vertical):
    DEFAULT_CSS = """
    BulletList { height: auto; padding: 0 0 0 1; }
    BulletList > Horizontal { height: auto; }
    BulletList .bullet-marker { width: auto; min-width: 2; padding: 0 1 0 0; }
    BulletList .bullet-body { width: 1fr; height: auto; }
    BulletList .bullet-text { width: 1fr; height: auto; }
    BulletList .bullet-detail { width: 1fr; height: auto; color: $text-muted; }
    """

    def __init__(
        self,
        items: Sequence[Content | tuple[Content, Content | None]],
        marker: str = "•",
        numbered: bool = False,
        marker_style: str = "bold",
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self._items = items
        self._marker = marker
        self._numbered = numbered
        self._marker_style = marker_style

    def compose(self) -> ComposeResult:
        for number, item in enumerate(self._items, start=1):
            text, detail = item if isinstance(item, tuple) else (item, None)
            marker = f"{number}." if self._numbered else self._marker
            with Horizontal():
                yield Static(Content(marker).stylize(self._marker_style), classes="bullet-marker")
                with Vertical(classes="bullet-body"):
                    yield Static(text, classes="bullet-text")
                    if detail is not None:
                        yield Static(detail, classes="bullet-detail")
