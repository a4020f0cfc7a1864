"""The output firewall on its own: what passes byte for byte, what is dropped, at every split."""

from __future__ import annotations

import pytest

from kiosk.ssh.bridge import is_customer_input
from kiosk.ssh.filter import OutputFilter

ALLOWED = [
    b"plain text \xe4\xbd\xa0\xe5\xa5\xbd",
    b"\x1b[0m\x1b[1;38;2;10;20;30;48;5;17m\x1b[38:2::1:2:3m",  # SGR, with colon sub-parameters
    b"\x1b[H\x1b[12;40H\x1b[3A\x1b[2B\x1b[5C\x1b[D\x1b[7G\x1b[3d\x1b[2J\x1b[K\x1b[1;24r\x1b[2X\x1b[3L\x1b[2M",
    b"\x1b[?1049h\x1b[?25l\x1b[?1000h\x1b[?1003h\x1b[?1015h\x1b[?1006h\x1b[?2004h\x1b[?1004h\x1b[?7l",
    b"\x1b[?2026h\x1b[?2026l\x1b[?1049l\x1b[?25h\x1b[>11u\x1b[<u\x1b[2 q",
    b"\x1b7\x1b8\x1b=\x1b>\x1bM\x1b(B",
    b"line\r\nnext\ttab\x08\x07",
]

FORBIDDEN = [
    b"\x1b]52;c;SGVsbG8=\x07",
    b"\x1b]52;c;?\x1b\\",
    b"\x1b]8;;https://x.example/\x1b\\",
    b"\x1b]8;;\x07",
    b"\x1b]0;title\x07",
    b"\x1b]1;icon\x1b\\",
    b"\x1b]2;title\x1b\\",
    b"\x1b]4;1;?\x07",
    b"\x1b]50;?\x07",
    b"\x1b]22;pointer\x07",
    b"\x1bP$qm\x1b\\",
    b"\x1bPtmux;\x1b\x1b]52;c;eA==\x07\x1b\\",
    b"\x1b_Ga=T\x1b\\",
    b"\x1b^pm\x1b\\",
    b"\x1bXsos\x1b\\",
    b"\xc2\x9d0;t\xc2\x9c",
    b"\xc2\x90q\xc2\x9c",
    b"\xc2\x9b6n",
    b"\xc2\x85",
    b"\x1b[6n",
    b"\x1b[5n",
    b"\x1b[c",
    b"\x1b[>c",
    b"\x1b[=c",
    b"\x1b[?2026$p",
    b"\x1b[2$p",
    b"\x1b[21t",
    b"\x1b[14t",
    b"\x1b[?u",
    b"\x1b[>q",
    b"\x1b[>4;2m",
    b"\x1b[20h",
    b"\x1b[4h",
    b"\x1b[?1h",
    b"\x1b[?9h",
    b"\x1b[?2027h",
    b"\x1b[i",
    b"\x1b[99b",
    b"\x1bc",
    b"\x1b#8",
    b"\x1b(0",
    b"\x0e",
    b"\x0f",
    b"\x00",
    b"\x7f",
]


def run(data: bytes, splits: list[int] | None = None) -> bytes:
    f = OutputFilter()
    if not splits:
        return f.feed(data) + f.flush()
    out, last = b"", 0
    for cut in splits:
        out += f.feed(data[last:cut])
        last = cut
    return out + f.feed(data[last:]) + f.flush()


@pytest.mark.parametrize("sequence", ALLOWED)
def test_allowed_sequences_pass_byte_for_byte(sequence):
    assert run(sequence) == sequence
    assert run(sequence, list(range(1, len(sequence)))) == sequence


@pytest.mark.parametrize("sequence", FORBIDDEN)
def test_forbidden_sequences_are_dropped_whole(sequence):
    data = b"A" + sequence + b"B"
    assert run(data) == b"AB"
    for cut in range(1, len(data)):
        assert run(data, [cut]) == b"AB", cut
    assert run(data, list(range(1, len(data)))) == b"AB"


def test_disallowed_modes_are_removed_from_a_mixed_sequence():
    assert run(b"\x1b[?1049;9;25h") == b"\x1b[?1049;25h"


def test_a_string_never_terminated_swallows_the_rest_but_nothing_leaks():
    f = OutputFilter()
    assert f.feed(b"ok\x1b]52;c;") == b"ok"
    assert f.feed(b"A" * 10000) == b""
    assert f.feed(b"\x07after") == b"after"


def test_an_escape_inside_a_string_ends_it_and_is_judged_itself():
    assert run(b"\x1b]0;title\x1b[1mX") == b"\x1b[1mX"


def test_malformed_and_overlong_sequences_are_dropped():
    assert run(b"\x1b[12;\x01X") == b"X"
    assert run(b"\x1b[" + b"1;" * 300 + b"m!") == b"!"


def test_invalid_utf8_becomes_a_replacement_character():
    assert run(b"a\xffb") == "a\ufffdb".encode()


def test_mouse_motion_and_focus_reports_are_not_customer_input():
    assert not is_customer_input(b"\x1b[<35;10;5M\x1b[<35;11;5M\x1b[I\x1b[O")
    assert is_customer_input(b"\x1b[<0;10;5M")  # a click
    assert is_customer_input(b"a")
    assert is_customer_input(b"\x1b[<35;10;5M\r")
