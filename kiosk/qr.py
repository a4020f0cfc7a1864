"""QR codes a customer can scan to take a contact or a guide home. No UI here.

What goes into a code comes only from pack model objects: a channel's number,
official address or menu path, or a short summary of a guide. Nothing a
customer typed can reach a code, so the kiosk cannot be made to show a
convincing code for a scammer's number.

Sizing (standard QR maths): a version-v code is 17 + 4v modules square, plus a
4-module quiet zone on every side. Drawn "full" (2 columns x 1 row per module)
a version-1 code already needs 58 x 29 cells, more than a classic 80 x 24
terminal has; drawn "compact" with half blocks (1 column x 2 module rows per
cell) a version-3 code needs 37 x 19 cells.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import segno

from kiosk.i18n import t
from kiosk.model import PHONE_KINDS, Channel, ChannelKind, Guide, Pack
from kiosk.phones import normalise
from kiosk.textsafety import sanitise

#: Light modules around the code; scanners need at least 4.
QUIET_ZONE = 4

#: Byte-mode capacity of versions 1-10 at error correction level L (ISO/IEC 18004, table 7).
BYTE_CAPACITY_L: dict[int, int] = {1: 17, 2: 32, 3: 53, 4: 78, 5: 106, 6: 134, 7: 154, 8: 192, 9: 230, 10: 271}

#: The smallest terminal the kiosk supports.
MIN_TERMINAL = (80, 24)
#: Rows of the QR screen that are not the code's column: the header and the footer.
FRAME_ROWS = 2
#: Rows kept beneath the code for the encoded text (it wraps in the code's column).
CAPTION_ROWS = 2

Style = Literal["full", "compact"]


def modules(version: int) -> int:
    """Modules across a version-`version` code, quiet zone included."""
    return 17 + 4 * version + 2 * QUIET_ZONE


def compact_height(version: int) -> int:
    """Rows a version-`version` code takes in the compact (half-block) style."""
    return math.ceil(modules(version) / 2)


def _budget_version() -> int:
    rows = MIN_TERMINAL[1] - FRAME_ROWS - CAPTION_ROWS
    return max(v for v in BYTE_CAPACITY_L if compact_height(v) <= rows)


#: The largest version whose compact drawing and the text beneath it fit an 80 x 24 terminal (3),
#: and the bytes it holds at level L (53): every payload has a text within this.
BUDGET_VERSION = _budget_version()
BYTE_BUDGET = BYTE_CAPACITY_L[BUDGET_VERSION]

#: The largest version a guide summary may use where the window has room for it (its compact
#: drawing and the text beneath fit a 120 x 40 terminal). Smaller windows draw a shorter text.
GUIDE_MAX_VERSION = 10

ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class Payload:
    """What a code encodes (`text`, printed beneath it as well), and what it is about.

    `caption` names the thing in the customer's language (a channel label, a
    guide title); `kind` says what a phone does with it: `tel`, `web`,
    `email`, `text` (directions to keep) or `guide` (a summary to keep).
    `shorter` are shorter texts of the same summary, longest first, for windows
    too small for `text`; the last one always fits the 80 x 24 budget.
    """

    text: str
    caption: str
    kind: str = "text"
    shorter: tuple[str, ...] = ()

    @property
    def texts(self) -> tuple[str, ...]:
        """Every text the code may carry, longest first."""
        return (self.text, *self.shorter)


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _require(value: object, cls: type, name: str) -> None:
    if not isinstance(value, cls):
        raise TypeError(f"{name} must be a {cls.__name__} from a pack, not {type(value).__name__}")


# -- payloads ----------------------------------------------------------------------


def channel_payload(channel: Channel, locale: str) -> Payload:
    """The code for one channel: `tel:` for numbers, the official `https:` address, `mailto:`, or directions."""
    _require(channel, Channel, "channel")
    label = sanitise(channel.label[locale])
    value = sanitise(channel.value[locale]).strip()
    if channel.kind in PHONE_KINDS:
        return Payload(normalise(value, channel.country).tel_uri, label, "tel")
    if channel.kind is ChannelKind.WEB:
        if not value.startswith("https://") or any(c.isspace() for c in value):
            raise ValueError(f"channel {channel.id!r}: only https: addresses are encoded, not {value!r}")
        return Payload(value, label, "web")
    if channel.kind is ChannelKind.EMAIL:
        if value.count("@") != 1 or any(c.isspace() or c in "?&/:" for c in value):
            raise ValueError(f"channel {channel.id!r}: {value!r} is not a plain email address")
        return Payload(f"mailto:{value}", label, "email")
    # In the app, an official account, a chat: the directions, named, if that stays short.
    text = t("qr.text.channel", locale, label=label, path=value)
    return Payload(text if _size(text) <= BYTE_BUDGET else value, label, "text")


def guide_payload(pack: Pack, guide: Guide, locale: str, *, others: Iterable[Pack] = ()) -> Payload:
    """A summary of a guide to keep: its title, its steps shortened, and the number to call.

    One text per code size, from version GUIDE_MAX_VERSION down to the 80 x 24
    budget, so the screen draws the longest text its window can show and scan.
    Within a size, every step is shortened (at word or phrase boundaries, an
    ellipsis marking the cut) before any step is left out; steps left out are
    named by "more in the kiosk". The title and the number are always kept, the
    title shortened only if it alone is too long. `others` are further packs
    (the general pack) for `pack:channel` references.
    """
    _require(pack, Pack, "pack")
    _require(guide, Guide, "guide")
    if pack.guide(guide.id) != guide:
        raise ValueError(f"guide {guide.id!r} is not in pack {pack.id!r}")
    other_packs = tuple(others)
    for other in other_packs:
        _require(other, Pack, "each of others")
    wallet = sanitise(pack.pack.name[locale])
    title = sanitise(guide.title[locale])
    number = _escalation_number(pack, guide, other_packs, locale)
    summary = _Summary(
        heads=[title] if wallet in title else [t("qr.guide.head", locale, wallet=wallet, title=title), title],
        steps=[_step_forms(sanitise(step.text[locale])) for step in guide.steps],
        tail=[t("qr.guide.call", locale, number=number)] if number else [],
        more=t("qr.guide.more", locale),
    )
    budgets = sorted({BYTE_CAPACITY_L[v] for v in range(BUDGET_VERSION, GUIDE_MAX_VERSION + 1)}, reverse=True)
    texts: list[str] = []
    for budget in budgets:
        text = summary.within(budget) or _title_only(title, summary.tail, budget, marked=bool(guide.steps))
        if text not in texts:
            texts.append(text)
    return Payload(texts[0], title, "guide", tuple(texts[1:]))


@dataclass
class _Summary:
    """The parts of a guide summary, and how to fit them into a number of bytes."""

    heads: list[str]
    #: Each step's forms, longest first: the whole step, its first clause, shorter cuts.
    steps: list[list[str]]
    tail: list[str]
    more: str

    def assemble(self, head: str, steps: list[str], complete: bool) -> str:
        numbered = [f"{n}.{text}" for n, text in enumerate(steps, 1)]
        return " ".join([head, *numbered, *([] if complete else [self.more]), *self.tail])

    def within(self, budget: int) -> str | None:
        """The most steps, each as long as possible, that fit `budget` bytes (None: not even the title)."""
        best: tuple[tuple[int, int, int], str] | None = None
        for preference, head in enumerate(self.heads):
            for count in range(len(self.steps), -1, -1):
                text = self._fit(head, count, budget)
                if text is not None:
                    # More steps first, then the head that names the wallet, then longer steps.
                    rank = (count, -preference, _size(text))
                    if best is None or rank > best[0]:
                        best = (rank, text)
                    break
        return best[1] if best else None

    def _fit(self, head: str, count: int, budget: int) -> str | None:
        forms = self.steps[:count]
        complete = count == len(self.steps)
        # Fewer characters per step before fewer steps: try every length limit, longest first.
        limits = sorted({_size(form) for options in forms for form in options}, reverse=True) or [0]
        for limit in limits:
            chosen = [next((f for f in options if _size(f) <= limit), options[-1]) for options in forms]
            text = self.assemble(head, chosen, complete)
            if _size(text) <= budget:
                return text
        return None


def _title_only(title: str, tail: list[str], budget: int, *, marked: bool) -> str:
    """No step fits: the title (an ellipsis stands for the steps), shortened if even it is too long."""
    with_marker = " ".join([title, ELLIPSIS, *tail])
    if marked and _size(with_marker) <= budget:
        return with_marker
    room = budget - _size(" ".join(["", *tail]))
    return " ".join([_shorten(title, room), *tail])


def _escalation_number(pack: Pack, guide: Guide, others: tuple[Pack, ...], locale: str) -> str | None:
    """The first number among the guide's escalation channels (then its steps' channels), as written."""
    refs = [*guide.escalate, *(s.channel for s in guide.steps if s.channel)]
    for ref in refs:
        owner, _, channel_id = ref.rpartition(":")
        source = pack if owner in ("", pack.id) else next((p for p in others if p.id == owner), None)
        channel = source.channel(channel_id) if source else None
        if channel is not None and channel.kind in PHONE_KINDS:
            return sanitise(channel.value[locale]).strip()
    return None


_CLAUSE_ENDS = "，。；：！？,;:!?"
#: Where a step may be cut short without cutting a word: spaces, arrows, list and bracket
#: punctuation (Chinese has no spaces, so phrases end at these or at a change of script).
_BREAKS = frozenset(" →、“”‘’「」（）()《》/")
#: English words a shortened step should not end on.
_DANGLING = frozenset(
    ["a", "an", "and", "the", "or", "to", "of", "in", "on", "at", "for", "by", "with", "your", "you", "then", "if"]
)
#: Steps are never cut shorter than this many characters (a cut that says nothing is left out).
_MIN_CUT = 4


def _step_forms(text: str) -> list[str]:
    """A step as it may appear in a summary, longest first: whole, then cut short at word boundaries."""
    whole = text.strip().rstrip("。.")
    forms = [whole]
    for cut in sorted(_cut_points(whole), reverse=True):
        part = _trim(whole[:cut])
        if len(part) >= _MIN_CUT and part + ELLIPSIS not in forms:
            forms.append(part + ELLIPSIS)
    return forms


def _is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def _cut_points(text: str) -> list[int]:
    """Indexes where `text` may be cut without splitting a word."""
    points = []
    for index in range(1, len(text)):
        before, after = text[index - 1], text[index]
        if after in _BREAKS or before in _BREAKS or before in _CLAUSE_ENDS:
            points.append(index)
        elif before.isalnum() and after.isalnum() and _is_cjk(before) != _is_cjk(after):
            points.append(index)  # 打开 App、95017 或: a change of script ends a word
    return points


def _trim(text: str) -> str:
    """A cut without the dangling end: spaces, open brackets and quotes, arrows, "and"/"the"."""
    strip = " →、“‘「（(《/" + _CLAUSE_ENDS
    words = text.rstrip(strip).split(" ")
    while len(words) > 1 and words[-1].lower() in _DANGLING:
        words.pop()
    return " ".join(words).rstrip(strip)


def _shorten(text: str, room: int) -> str:
    """`text` cut to at most `room` UTF-8 bytes, ending in an ellipsis."""
    if _size(text) <= room:
        return text
    while text and _size(text + ELLIPSIS) > room:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


# -- the code ----------------------------------------------------------------------


def make_matrix(text: str) -> list[list[bool]]:
    """The code's modules (True = dark), quiet zone included.

    Always a regular QR code (many phone cameras ignore Micro QR), UTF-8 in
    byte mode (segno would otherwise try Shift_JIS for Chinese text), the
    smallest version for level L, then the highest error correction that
    version still holds.
    """
    if not isinstance(text, str):
        raise TypeError("make_matrix takes the text of a Payload")
    code = segno.make_qr(text, mode="byte", encoding="utf-8", boost_error=True)
    return [[bool(module) for module in row] for row in code.matrix_iter(scale=1, border=QUIET_ZONE)]


#: Half-block glyph for (top module dark, bottom module dark).
HALF_BLOCKS = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


def full_rows(matrix: list[list[bool]]) -> list[str]:
    """Two columns and one row per module: "██" dark, "  " light."""
    return ["".join("██" if dark else "  " for dark in row) for row in matrix]


def compact_rows(matrix: list[list[bool]]) -> list[str]:
    """One column and two module rows per cell, in half blocks; a missing last row counts as light."""
    rows = []
    for y in range(0, len(matrix), 2):
        top = matrix[y]
        bottom = matrix[y + 1] if y + 1 < len(matrix) else [False] * len(top)
        rows.append("".join(HALF_BLOCKS[pair] for pair in zip(top, bottom, strict=True)))
    return rows


def fit(matrix: list[list[bool]], width: int, height: int, caption_lines: int) -> Style | None:
    """Which style fits `width` x `height` cells with `caption_lines` of text beneath: full, else compact, else None."""
    size = len(matrix)
    if 2 * size <= width and size + caption_lines <= height:
        return "full"
    if size <= width and math.ceil(size / 2) + caption_lines <= height:
        return "compact"
    return None
