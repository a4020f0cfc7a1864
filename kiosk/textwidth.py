"""Terminal cell width of text: CJK characters take two columns."""

from __future__ import annotations

import unicodedata


def cell_width(text: str) -> int:
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def ljust(text: str, width: int) -> str:
    """Pad `text` with spaces to `width` terminal cells."""
    return text + " " * max(0, width - cell_width(text))
