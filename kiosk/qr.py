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
#: and the bytes it holds at level L (53): text payloads are kept within this.
BUDGET_VERSION = _budget_version()
BYTE_BUDGET = BYTE_CAPACITY_L[BUDGET_VERSION]

ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class Payload:
    """What a code encodes (`text`, printed beneath it as well), and what it is about.

    `caption` names the thing in the customer's language (a channel label, a
    guide title); `kind` says what a phone does with it: `tel`, `web`,
    `email`, `text` (directions to keep) or `guide` (a summary to keep).
    """

    text: str
    caption: str
    kind: str = "text"


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
    """A short summary of a guide: wallet, title, as many numbered steps as fit, and a number to call.

    The text stays within BYTE_BUDGET so the code fits the compact style on
    an 80 x 24 terminal. Steps are cut at step boundaries (each shortened to
    its first clause) and an ellipsis marks the ones left out; the title and
    the number are always kept, the title shortened only if it alone is too long.
    `others` are further packs (the general pack) for `pack:channel` references.
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
    tail = [t("qr.guide.call", locale, number=number)] if number else []
    steps = [f"{n}.{_first_clause(sanitise(step.text[locale]))}" for n, step in enumerate(guide.steps, 1)]

    def assemble(head: str, included: list[str], marked: bool = True) -> str:
        marker = [ELLIPSIS] if marked and len(included) < len(steps) else []
        return " ".join([head, *included, *marker, *tail])

    heads = [title] if wallet in title else [t("qr.guide.head", locale, wallet=wallet, title=title), title]
    for head in heads:
        if _size(assemble(head, [])) > BYTE_BUDGET:
            continue
        included: list[str] = []
        for step in steps:
            if _size(assemble(head, [*included, step])) > BYTE_BUDGET:
                break
            included.append(step)
        return Payload(assemble(head, included), title, "guide")
    # Even the title and the number alone are too long: shorten the title (its ellipsis marks the cut).
    room = BYTE_BUDGET - _size(assemble("", [], marked=False))
    return Payload(assemble(_shorten(title, room), [], marked=False), title, "guide")


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


def _first_clause(text: str) -> str:
    """A step shortened to its first clause ("On the login screen, look for ..." -> "On the login screen")."""
    cut = len(text)
    for end in _CLAUSE_ENDS:
        index = text.find(end)
        if index > 0:
            cut = min(cut, index)
    sentence = text.find(". ")
    if sentence > 0:
        cut = min(cut, sentence)
    return text[:cut].strip().rstrip(".")


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
