"""A QR code painted in explicit black and white, with the encoded text beneath it.

Every cell of the code carries its own foreground and background colour, so
it scans the same on a dark or a light theme and never comes out inverted.
The style follows the space the widget gets: full size (2 columns x 1 row per
module) when it fits with the text beneath, else compact half blocks, else a
message asking for a larger window. The encoded text is always shown.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.geometry import Region
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget

from kiosk.i18n import t
from kiosk.qr import Payload, Style, compact_rows, fit, full_rows, make_matrix
from kiosk.ui.render import plain

LIGHT = "#ffffff"
DARK = "#000000"


def cell_style(glyph: str) -> RichStyle:
    """Colours for one cell: the glyph's ink is the dark module, the rest the light one.

    A cell with no light part ("█") is dark on dark and a cell with no dark part
    (" ") light on light, so gaps a font leaves in block glyphs cannot show.
    """
    return RichStyle(color=LIGHT if glyph == " " else DARK, bgcolor=DARK if glyph == "█" else LIGHT)


_CELL_STYLES = {glyph: cell_style(glyph) for glyph in ("█", "▀", "▄", " ")}


def _code_strip(row: str, left: int, width: int, base: RichStyle) -> Strip:
    segments = [Segment(" " * left, base)] if left else []
    start = 0
    for index in range(1, len(row) + 1):
        if index == len(row) or row[index] != row[start]:
            segments.append(Segment(row[start:index], _CELL_STYLES[row[start]]))
            start = index
    right = width - left - len(row)
    if right > 0:
        segments.append(Segment(" " * right, base))
    return Strip(segments, width)


class QRCodeView(Widget):
    """Draws one Payload; re-lays itself out whenever its size changes.

    A payload with shorter texts (a guide summary) is drawn with the longest
    text whose code and words fit the widget, so a larger window carries more
    of the guide; `text` is the one drawn.
    """

    DEFAULT_CSS = """
    QRCodeView {
        width: 1fr;
        height: 1fr;
        text-align: center;
    }
    """

    def __init__(self, payload: Payload, locale: str, *, id: str | None = None, classes: str | None = None) -> None:
        if not isinstance(payload, Payload):
            raise TypeError("QRCodeView draws a Payload built from pack data, not raw text")
        super().__init__(id=id, classes=classes)
        self.payload = payload
        self.locale = locale
        #: The text encoded and shown now: the longest of the payload's texts that fits.
        self.text = payload.texts[-1]
        self._matrices: dict[str, list[list[bool]]] = {}
        self.matrix = self._matrix(self.text)
        #: "full", "compact", or None when the window is too small for the code.
        self.drawn: Style | None = None
        #: Where the code is, relative to the widget's content area (None when not drawn).
        self.code_region: Region | None = None
        #: Where the encoded text is, relative to the widget's content area.
        self.text_region: Region = Region()
        self._strips: list[Strip] = []
        self._layout_key: object = None

    def _lay_out(self) -> None:
        width, height = self.size
        style = self.visual_style
        key = (width, height, style)
        if key == self._layout_key:
            return
        self._layout_key = key
        base = style.rich_style
        blank = Strip.blank(width, base)
        for candidate in self.payload.texts:
            self.text, self.matrix = candidate, self._matrix(candidate)
            text = Visual.to_strips(self, plain(candidate, "bold"), width, None, style, pad=True) if width else []
            self.drawn = fit(self.matrix, width, height, len(text))
            if self.drawn is not None:
                break
        if self.drawn is None:
            message = (
                Visual.to_strips(
                    self, plain(t("qr.enlarge", self.locale), "bold $warning"), width, None, style, pad=True
                )
                if width
                else []
            )
            block = [*message, blank, *text]
            top = max(0, (height - len(block)) // 2)
            self.code_region = None
            self.text_region = Region(0, top + len(message) + 1, width, len(text))
        else:
            rows = full_rows(self.matrix) if self.drawn == "full" else compact_rows(self.matrix)
            code_width = len(rows[0])
            left = (width - code_width) // 2
            block = [*(_code_strip(row, left, width, base) for row in rows), *text]
            top = max(0, (height - len(block)) // 2)
            self.code_region = Region(left, top, code_width, len(rows))
            self.text_region = Region(0, top + len(rows), width, len(text))
        self._strips = [blank] * top + block

    def _matrix(self, text: str) -> list[list[bool]]:
        if text not in self._matrices:
            self._matrices[text] = make_matrix(text)
        return self._matrices[text]

    def on_resize(self) -> None:
        self.refresh()

    def render_line(self, y: int) -> Strip:
        self._lay_out()
        if y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width, self.visual_style.rich_style)
