"""The output firewall: what the kiosk writes may reach the customer's terminal only if it is inert.

A small VT state machine over the decoded output stream. It keeps its state
across reads, so a sequence split between two reads (even inside a UTF-8
character or between ESC and its next byte) is judged whole.

Passed: printable text; BEL, BS, TAB, LF, CR; SGR (colours, bold...); cursor
movement and positioning; erasing, inserting, deleting and scrolling; the
scroll region; save/restore cursor; cursor shape (DECSCUSR); the DEC private
modes Textual uses (alternate screen, cursor visibility, mouse reporting,
focus events, bracketed paste, synchronized output, in-band resize, line
wrap); the kitty keyboard protocol's push and pop; ESC 7/8, ESC =/>, ESC M/D/E
and ESC ( B.

Dropped, whole: every OSC string (52 clipboard, 8 hyperlinks -- the kiosk never
emits links --, 0/1/2 window titles, 4/10/11 colours, 50 fonts, 22 pointer
shapes), every DCS/APC/PM/SOS string, C1 controls (U+0080-U+009F, including
8-bit CSI/OSC/DCS introducers), other C0 controls, and every sequence that
would make the terminal answer (device status and cursor position reports,
device attributes, DECRQM mode queries, window reports, kitty keyboard
queries, XTVERSION) or change how it sends keys beyond what the kiosk needs
(public modes such as newline mode, modifyOtherKeys). Anything not known to
be harmless is dropped: an allow-list, not a block-list.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable

#: Runs of text that need no inspection: all but C0 (save BEL BS TAB LF CR), DEL and C1.
_SAFE = re.compile(r"[^\x00-\x06\x0b\x0c\x0e-\x1f\x7f-\x9f]+")
_CSI = re.compile(r"(?:\x1b\[|\x9b)([\x30-\x3f]*)([\x20-\x2f]*)([\x40-\x7e])")
_CSI_PREFIX = re.compile(r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*")
_ESC_INTERMEDIATE = re.compile(r"\x1b[\x20-\x2f]+[\x30-\x7e]")
_ESC_INTERMEDIATE_PREFIX = re.compile(r"\x1b[\x20-\x2f]*")
#: Where a string (OSC, DCS, APC, PM, SOS) ends: BEL, ST (ESC \ or U+009C), or CAN/SUB aborting it.
_STRING_END = re.compile(r"[\x07\x18\x1a\x1b\x9c]")

#: CSI finals without a private marker or intermediates that only move, draw, erase or style.
_PLAIN_FINALS = frozenset("@ABCDEFGHIJKLMPSTXZ`adefmrsu")
#: DEC private modes (CSI ? n h / l) Textual uses; no other mode reaches the terminal.
ALLOWED_PRIVATE_MODES = frozenset(
    {
        "7",  # line wrap
        "12",
        "25",  # cursor blink, cursor visible
        "47",
        "1047",
        "1048",
        "1049",  # alternate screen, saved cursor
        "1000",
        "1002",
        "1003",
        "1004",
        "1006",
        "1015",
        "1016",  # mouse reporting, focus events
        "2004",  # bracketed paste
        "2026",  # synchronized output
        "2048",  # in-band resize notifications
    }
)
#: Single-character escapes: save/restore cursor, keypad modes, index, reverse index, next line.
_ESC_SINGLES = frozenset("78=>MDE")
_ESC_INTERMEDIATE_ALLOWED = frozenset({"\x1b(B"})  # US ASCII as G0
#: ESC followed by one of these starts a string that is dropped up to its terminator.
_STRING_INTRODUCERS = frozenset("]PX^_")
_C1_STRING_INTRODUCERS = frozenset("\x90\x98\x9d\x9e\x9f")
#: An unfinished sequence longer than this is garbage, not something to wait for.
_MAX_PENDING = 256


def allowed_csi(params: str, intermediates: str, final: str) -> str | None:
    """The sequence to pass for CSI params intermediates final, or None to drop it."""
    marker = params[:1] if params[:1] in ("<", "=", ">", "?") else ""
    rest = params[len(marker) :]
    if any(ch in "<=>?" for ch in rest):
        return None
    if not marker:
        if not intermediates and final in _PLAIN_FINALS:
            return f"\x1b[{params}{final}"
        if intermediates == " " and final == "q":  # DECSCUSR: cursor shape
            return f"\x1b[{params} q"
        return None
    if intermediates:
        return None
    if marker == "?" and final in ("h", "l"):
        modes = [mode for mode in rest.split(";") if mode in ALLOWED_PRIVATE_MODES]
        return f"\x1b[?{';'.join(modes)}{final}" if modes else None
    if marker == ">" and final == "u" and rest.isdigit():  # kitty keyboard: push flags
        return f"\x1b[>{rest}u"
    if marker == "<" and final == "u" and (rest == "" or rest.isdigit()):  # kitty keyboard: pop
        return f"\x1b[<{rest}u"
    return None


class OutputFilter:
    """Feed it the kiosk's output as it arrives; it returns what may be shown, as UTF-8."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""  # an unfinished sequence from the previous read
        self._in_string = False  # inside an OSC/DCS/APC/PM/SOS string being dropped
        #: Sequences dropped so far (for tests and the curious; never their content).
        self.dropped = 0

    def feed(self, data: bytes) -> bytes:
        text = self._decoder.decode(data)
        return self._filter(text).encode("utf-8")

    def flush(self) -> bytes:
        """End of output: whatever is still unfinished is dropped."""
        text = self._decoder.decode(b"", final=True)
        out = self._filter(text)
        if self._pending:
            self.dropped += 1
        self._pending = ""
        return out.encode("utf-8")

    def _filter(self, text: str) -> str:
        if self._pending:
            text, self._pending = self._pending + text, ""
        out: list[str] = []
        append = out.append
        i, n = 0, len(text)
        while i < n:
            if self._in_string:
                end = _STRING_END.search(text, i)
                if end is None:
                    break
                j = end.start()
                if text[j] == "\x1b":
                    if j + 1 >= n:
                        self._pending = "\x1b"  # ESC \ may be split across reads
                        break
                    self._in_string = False
                    i = j + 2 if text[j + 1] == "\\" else j  # any other ESC ends the string and starts anew
                else:
                    self._in_string = False
                    i = j + 1
                continue
            safe = _SAFE.match(text, i)
            if safe:
                append(safe.group())
                i = safe.end()
                continue
            ch = text[i]
            if ch == "\x1b":
                if i + 1 >= n:
                    self._pending = ch
                    break
                nxt = text[i + 1]
                if nxt == "[":
                    i = self._csi(text, i, append)
                    if i < 0:
                        break
                elif nxt in _STRING_INTRODUCERS:
                    self._in_string = True
                    self.dropped += 1
                    i += 2
                elif "\x20" <= nxt <= "\x2f":
                    match = _ESC_INTERMEDIATE.match(text, i)
                    if match:
                        if match.group() in _ESC_INTERMEDIATE_ALLOWED:
                            append(match.group())
                        else:
                            self.dropped += 1
                        i = match.end()
                        continue
                    prefix = _ESC_INTERMEDIATE_PREFIX.match(text, i)
                    assert prefix is not None  # it matches any ESC
                    if prefix.end() >= n and n - i < _MAX_PENDING:
                        self._pending = text[i:]
                        break
                    self.dropped += 1
                    i = prefix.end()
                elif nxt in _ESC_SINGLES:
                    append(text[i : i + 2])
                    i += 2
                else:
                    self.dropped += 1
                    # ESC + a final byte is one (unknown) sequence; ESC + anything else: drop the ESC alone.
                    i += 2 if "\x30" <= nxt <= "\x7e" else 1
            elif ch == "\x9b":
                i = self._csi(text, i, None)
                if i < 0:
                    break
            elif ch in _C1_STRING_INTRODUCERS:
                self._in_string = True
                self.dropped += 1
                i += 1
            else:  # another C0 or C1 control, or DEL
                self.dropped += 1
                i += 1
        return "".join(out)

    def _csi(self, text: str, i: int, append: Callable[[str], None] | None) -> int:
        """Handle a CSI at i; the index after it, or -1 when it is unfinished (kept for the next read)."""
        match = _CSI.match(text, i)
        if match:
            too_long = match.end() - i > _MAX_PENDING
            passed = allowed_csi(*match.groups()) if append is not None and not too_long else None
            if passed is None or append is None:
                self.dropped += 1
            else:
                append(passed)
            return match.end()
        prefix = _CSI_PREFIX.match(text, i)
        assert prefix is not None  # it matches any CSI introducer
        if prefix.end() >= len(text) and len(text) - i < _MAX_PENDING:
            self._pending = text[i:]
            return -1
        self.dropped += 1  # malformed: drop what was read of it, go on with the byte that broke it
        return prefix.end()


#: Written to the customer's terminal when the kiosk ends (or dies): leave it as we found it.
RESTORE_TRAILER = (
    "\x1b[?2026l"  # end any synchronized update
    "\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l\x1b[?1016l"  # mouse reporting off
    "\x1b[?1004l\x1b[?2004l\x1b[?2048l"  # focus events, bracketed paste, in-band resize off
    "\x1b[<u"  # pop the kitty keyboard mode, if one was pushed
    "\x1b[?1049l"  # leave the alternate screen
    "\x1b[?7h"  # line wrap back on
    "\x1b[0m"  # reset colours and attributes
    "\x1b[?25h"  # show the cursor
).encode("ascii")
