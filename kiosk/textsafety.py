"""Characters that must never reach a customer's terminal from pack data.

Textual strips only BEL, BS, VT, FF and CR; ESC and C1 controls would pass
straight through to the terminal (clipboard writes, title changes, fake
screens). Bidi overrides can make a number read differently from what it is.
Packs are rejected at load time; the UI also sanitises as a second line.
"""

from __future__ import annotations

import re

_BIDI = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
_FORBIDDEN = {
    *range(0x00, 0x09),  # C0 before TAB
    *range(0x0B, 0x20),  # C0 after LF, including ESC and CR
    0x7F,  # DEL
    *range(0x80, 0xA0),  # C1, including the 8-bit CSI
    0x2028,  # line separator
    0x2029,  # paragraph separator
    *_BIDI,
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
