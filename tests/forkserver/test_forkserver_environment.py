"""What every remote session's kiosk is given, whichever front door and however it is started."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.forkserver.environment import (
    DEFAULT_SIZE,
    DEFAULT_TERM,
    MAX_SIZE,
    MIN_SIZE,
    base_environment,
    clamp_size,
    map_term,
    session_environment,
)


@pytest.mark.parametrize(
    "size, expected",
    [
        ((80, 24), (80, 24)),
        ((0, 0), DEFAULT_SIZE),  # RFC 4254: a zero dimension means the client does not know
        ((0, 50), DEFAULT_SIZE),
        ((5, 2), MIN_SIZE),
        ((5000, 5000), MAX_SIZE),
        ((300, 2), (300, MIN_SIZE[1])),
        (MIN_SIZE, MIN_SIZE),
        (MAX_SIZE, MAX_SIZE),
    ],
)
def test_one_clamp_for_every_front_door(size, expected):
    assert clamp_size(*size) == expected


def test_the_bounds_hold_real_terminals():
    assert MIN_SIZE <= DEFAULT_SIZE <= MAX_SIZE
    assert MAX_SIZE >= (640, 180)  # a 4K monitor in a 6x12-pixel font


@pytest.mark.parametrize(
    "term, expected",
    [("xterm-256color", "xterm-256color"), ("linux", "linux"), ("evil\x1b]0;x", DEFAULT_TERM), (None, DEFAULT_TERM)],
)
def test_terms_come_from_an_allow_list(term, expected):
    assert map_term(term) == expected


def test_the_environment_is_built_from_scratch():
    server = {
        "PATH": "/opt/server/bin",
        "HOME": "/root",
        "SERVICE_TOKEN": "secret",
        "TEXTUAL": "devtools",
        "KIOSK_PACKS_BLOCK": "wechat",
        "KIOSK_PACKS_ALLOW": "",  # empty: not passed on
    }
    base = base_environment(server, Path("/var/cache/kiosk"))
    assert base == {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "KIOSK_PACK_CACHE": "/var/cache/kiosk",
        "KIOSK_PACKS_BLOCK": "wechat",
    }
    assert base_environment({}, None)["KIOSK_PACK_CACHE"] == "off"
    env = session_environment(base, "evil", "/tmp/home-1")
    assert env == {**base, "TERM": DEFAULT_TERM, "HOME": "/tmp/home-1"}
