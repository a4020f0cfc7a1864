"""Over real SSH: bytes that are not UTF-8, hostile packs and an unexpected error never show a
customer a traceback; bytes and packs do not end the session, an error ends it with the sorry line."""

from __future__ import annotations

import asyncio
import os

import pytest
from helpers import INJECTED_SECRET, failing_take_home_site, hostile_packs_folder

from ssh.client import HOME_TEXT, Terminal

pytestmark = pytest.mark.slow

SORRY_EN = "Sorry, something went wrong. The kiosk is starting again."


def no_traceback(term: Terminal) -> None:
    text = term.text() + bytes(term.session.raw).decode("utf-8", "replace")
    for sign in ("Traceback", "site-packages", '.py", line'):
        assert sign not in text, f"{sign!r} reached the customer:\n{term.text()}"


@pytest.mark.parametrize("data", [b"\xff", b"\x9b", b"a\xfe\xffb", b"\x1b[200~\xff\x9b\x1b[201~"])
async def test_bytes_that_are_not_utf8_do_not_end_the_session(server, data):
    front = await server.start()
    term = await Terminal.open(front.port, size=(100, 30))
    await term.wait_for(HOME_TEXT)
    term.send(data)
    await asyncio.sleep(0.5)
    term.send("/")
    await term.wait_for("zfmm")
    assert not term.eof and term.session.exit_status is None
    no_traceback(term)
    term.close()


async def test_hostile_local_packs_do_not_stop_the_server_or_a_session(server, tmp_path):
    folder = tmp_path / "packs"
    hostile_packs_folder(folder)
    front = await server.start(environ={**os.environ, "KIOSK_PACKS_DIR": str(folder)})
    term = await asyncio.wait_for(Terminal.open(front.port, size=(100, 30)), 30)
    await term.wait_for(HOME_TEXT, timeout=30)
    no_traceback(term)
    term.close()


async def test_an_unexpected_error_shows_the_sorry_line_and_ends_the_session_cleanly(server, tmp_path):
    site = failing_take_home_site(tmp_path / "site")
    environ = {**os.environ, "PYTHONPATH": str(site)}
    front = await server.start(environ=environ)
    term = await Terminal.open(front.port, size=(100, 30))
    await term.wait_for(HOME_TEXT)
    for key in ("3", "g", "\x1b[B", "\x1b[B", "\r"):
        term.send(key)
        await asyncio.sleep(0.4)
    await term.wait_for("第 1 步")
    term.send("s")
    await term.wait_for("扫码带走")
    term.send("t")
    await term.wait_for(SORRY_EN)
    await term.wait_closed(timeout=20)
    raw = bytes(term.session.raw)
    assert b"\x1b[?1049l" in raw[raw.rindex(b"\x1b[?1049h") :]  # the customer's terminal is given back
    assert INJECTED_SECRET.encode() not in raw and b"1234" not in raw
    no_traceback(term)
    await asyncio.sleep(0.5)
    assert any('exit="kiosk exited with 14"' in line for line in server.log_lines()), server.log_lines()
