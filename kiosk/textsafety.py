"""Characters that must never reach a customer's terminal from pack data.

Textual strips only BEL, BS, VT, FF and CR; ESC and C1 controls would pass
straight through to the terminal (clipboard writes, title changes, fake
screens). Bidi overrides can make a number read differently from what it is.
Format and invisible characters (Unicode category Cf: zero-width spaces and
joiners, word joiners, the byte-order mark, tag characters, interlinear
annotation marks; and the other default-ignorable ones: variation selectors,
Hangul fillers, the combining grapheme joiner, and the object replacement
character) make "支付宝\u200b" look exactly like 支付宝 and misalign the
screen. Packs are rejected at load time; the UI also sanitises as a second
line, and `escape` writes them out for an operator's terminal.
"""

from __future__ import annotations

import re
import unicodedata

_BIDI = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
#: Unicode category Cf (format characters), as of Unicode 14-15; a test checks it against unicodedata.
FORMAT_RANGES: tuple[tuple[int, int], ...] = (
    (0x00AD, 0x00AD),  # soft hyphen
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),  # zero-width space, non-joiner, joiner, LRM, RLM
    (0x202A, 0x202E),
    (0x2060, 0x2064),  # word joiner, invisible operators
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),  # byte-order mark, zero-width no-break space
    (0xFFF9, 0xFFFB),  # interlinear annotation
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),  # tag characters
)
#: Other characters that show nothing or change the one before them (Unicode's Default_Ignorable_Code_Point).
INVISIBLE_RANGES: tuple[tuple[int, int], ...] = (
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x115F, 0x1160),  # Hangul fillers
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),  # Mongolian variation selectors
    (0x3164, 0x3164),  # Hangul filler
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFFA0, 0xFFA0),  # half-width Hangul filler
    (0xFFFC, 0xFFFC),  # object replacement character
    (0xE0100, 0xE01EF),  # variation selectors supplement
)
_INVISIBLE = {code for first, last in (*FORMAT_RANGES, *INVISIBLE_RANGES) for code in range(first, last + 1)}

_FORBIDDEN = {
    *range(0x00, 0x09),  # C0 before TAB
    *range(0x0B, 0x20),  # C0 after LF, including ESC and CR
    0x7F,  # DEL
    *range(0x80, 0xA0),  # C1, including the 8-bit CSI
    0x2028,  # line separator
    0x2029,  # paragraph separator
    *_BIDI,
    *_INVISIBLE,
}

_NAMES = {0x1B: "ESC", 0x0D: "CR", 0x00: "NUL", 0x7F: "DEL", 0x9B: "CSI", 0x9D: "OSC"}


# One pass in C over the common case (clean text) before any per-character work.
_ANY_FORBIDDEN = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_FORBIDDEN)) + "]")


def forbidden_characters(text: str) -> list[tuple[int, str]]:
    """(index, description) of every forbidden character in `text`."""
    if not _ANY_FORBIDDEN.search(text):
        return []
    found = []
    for index, char in enumerate(text):
        code = ord(char)
        if code in _FORBIDDEN:
            found.append((index, describe(code)))
    return found


def describe(code: int) -> str:
    name = _NAMES.get(code)
    if name is None:
        if code in _BIDI:
            name = "bidirectional control"
        elif code in _INVISIBLE:
            name = "invisible or format character"
        elif code < 0x20:
            name = "control character"
        elif 0x80 <= code < 0xA0:
            name = "C1 control character"
        else:
            name = "line/paragraph separator"
    return f"U+{code:04X} ({name})"


_TABLE = {code: "\ufffd" for code in _FORBIDDEN}


def sanitise(text: str) -> str:
    """Replace forbidden characters with U+FFFD; for display of anything not validated."""
    return text.translate(_TABLE)


def escape(text: str) -> str:
    """`text` with every forbidden character written out (`\\x1b`, `\\u202e`): for an operator's terminal.

    What a pack or a plugin wrote (a name, an exception message, a file name in a wheel) is
    shown so the operator sees exactly what is there, and none of it acts on the terminal.
    """
    if not _ANY_FORBIDDEN.search(text):
        return text
    return "".join(_escaped(char) if ord(char) in _FORBIDDEN else char for char in text)


def _escaped(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


#: More combining marks than this on one character is never writing, only drawing (Zalgo text).
MAX_COMBINING = 4


def combining_run(text: str) -> int | None:
    """Where a run of more than MAX_COMBINING combining marks starts in `text`, or None."""
    if text.isascii():
        return None
    run = 0
    for index, char in enumerate(text):
        if unicodedata.combining(char) or unicodedata.category(char) == "Me":
            run += 1
            if run > MAX_COMBINING:
                return index - MAX_COMBINING
        else:
            run = 0
    return None
