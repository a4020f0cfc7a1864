"""Where a line of Chinese or English text may break, and where it must not.

Terminal widgets break lines at spaces only. Chinese has no spaces, so a
sentence with one English word or number in it broke after that word, and a
long run of Chinese was then cut wherever the width ran out, even before a
full stop ("开头" on one line, "。" starting the next). The rules here are the
part of the Unicode line-breaking algorithm (UAX #14) that Chinese and English
text needs: a line may break after a run of spaces and next to any wide (CJK)
character, never before closing punctuation such as 。，、；：？！）」』】 and never
after opening punctuation such as （「“. (The `uniseg` package implements all of
UAX #14, but in pure Python it took about 0.6 ms a character: seconds for a
guide.) Two rules keep together what a customer must read in one piece:

- a phone number with its groups (``+86 571 2688 6000``, ``0571-2688 6000``);
- a number and the Chinese unit after it (``2024 年``, ``18 秒``, ``第 1 步``).

`divide_line` has the signature of the function Textual wraps text with, so
the UI can use it for every line it wraps. A piece longer than the whole line
(a long web address) is cut by characters, still never before closing punctuation.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable

from kiosk.textwidth import cell_width

#: A phone number or any run of digit groups, with a + in front and a Chinese unit after, if any.
_KEEP_TOGETHER = re.compile(r"[+＋]?\d+(?:[ \-‐–]\d+)*(?: ?[\u3400-\u4dbf\u4e00-\u9fff])?")
#: Punctuation no line may start with (Chinese closing marks and their Western counterparts).
_NO_LINE_START = frozenset("。，、；：？！）」』】〉》〕］｝”’…—·.,;:?!)]}%％")
#: Punctuation no line may end with (opening marks, and signs that belong to what follows).
_NO_LINE_END = frozenset("（「『【〈《〔［｛“‘([{¥￥$＄#＃")


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


@functools.lru_cache(maxsize=4096)
def break_opportunities(text: str) -> tuple[int, ...]:
    """Offsets in `text` (0 < offset < len) where a new line may start."""
    kept = [m.span() for m in _KEEP_TOGETHER.finditer(text) if m.end() - m.start() > 1]
    offsets = []
    for offset in range(1, len(text)):
        before, after = text[offset - 1], text[offset]
        if after in _NO_LINE_START or before in _NO_LINE_END or after == " ":
            continue
        breakable = before == " " or _wide(before) or _wide(after)
        if breakable and not any(start < offset < end for start, end in kept):
            offsets.append(offset)
    return tuple(offsets)


def divide_line(text: str, width: int, fold: bool = True, measure: Callable[[str], int] = cell_width) -> list[int]:
    """Offsets at which `text` should be cut into lines of at most `width` cells.

    Trailing spaces do not count against the width (they are dropped at a
    line's end). With `fold`, a piece wider than `width` is cut by characters;
    without it, it is left to overflow.
    """
    if width <= 0 or measure(text) <= width:
        return []
    return list(_divide(text, width, fold, measure))


@functools.lru_cache(maxsize=4096)
def _divide(text: str, width: int, fold: bool, measure: Callable[[str], int]) -> tuple[int, ...]:
    cuts: list[int] = []
    line_start = 0
    line_width = 0  # of the current line up to the last piece, trailing spaces included
    bounds = [*break_opportunities(text), len(text)]
    start = 0
    for end in bounds:
        piece = text[start:end]
        visible = measure(piece.rstrip(" "))
        if line_width + visible <= width:
            line_width += measure(piece)
        else:
            if start > line_start:
                cuts.append(start)
                line_start = start
                line_width = 0
            if visible <= width or not fold:
                line_width = measure(piece)
            else:
                folded, line_width = _fold(text, start, end, width, measure)
                cuts += folded
                if folded:
                    line_start = folded[-1]
        start = end
    return tuple(cuts)


def _fold(text: str, start: int, end: int, width: int, measure: Callable[[str], int]) -> tuple[list[int], int]:
    """Cut text[start:end], wider than a line, by characters: the cuts and the width of its last line."""
    cuts: list[int] = []
    line_start = start
    used = 0
    for index in range(start, end):
        char_width = measure(text[index])
        if used + char_width > width and index > line_start:
            cut = index
            # Never start a line with closing punctuation: take the character before it along.
            while cut - 1 > line_start and text[cut] in _NO_LINE_START:
                cut -= 1
            cuts.append(cut)
            line_start = cut
            used = measure(text[cut:index])
        used += char_width
    return cuts, used
