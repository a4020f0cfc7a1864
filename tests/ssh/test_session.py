"""A customer's session over real SSH: home screen, keys, resize, quitting, idle, limits of length, teardown."""

from __future__ import annotations

import asyncio

import pytest

from ssh.client import HOME_TEXT, Terminal
from ssh.conftest import process_gone, wait_until

pytestmark = pytest.mark.slow

ENGLISH_TITLE = "Wallet Help Kiosk"


async def test_home_screen_keys_resize_and_disconnect(server):
    front = await server.start()
    term = await Terminal.open(front.port, size=(80, 24))
    await term.wait_for(HOME_TEXT)
    assert front.counts()["sessions"] == 1 and len(front.spawned_pids) == 1

    term.send("\x0c")  # Ctrl+L: the other language
    await term.wait_for(ENGLISH_TITLE)
    term.send("/")  # search
    await term.wait_for("zfmm")

    term.resize(100, 30)  # the kiosk lays itself out again at the new width: the header's clock moves right

    def wide() -> bool:
        term.pump()
        return len(term.screen.display[0].rstrip()) > 80

    await wait_until(wide, 10, "a 100-column layout")

    term.close()
    [pid] = front.spawned_pids
    await wait_until(lambda: process_gone(pid), 10, "the session process to be reaped")
    await wait_until(lambda: front.counts()["connections"] == 0, 10, "the connection to close")
    assert all(value == 0 for value in front.counts().values()), front.counts()
    await wait_until(lambda: len(server.log_lines()) == 1, 5, "the access log line")
    [line] = server.log_lines()
    assert "address=127.0.0.1" in line and "auth=open" in line and "term=xterm-256color" in line
    assert "size=80x24" in line and 'exit="disconnected"' in line and "duration=" in line


async def test_quitting_ends_the_session_and_restores_the_terminal(server):
    front = await server.start()
    term = await Terminal.open(front.port)
    await term.wait_for(HOME_TEXT)
    term.send("\x11")  # Ctrl+Q: the remote profile lets the customer leave
    await term.wait_closed()
    assert term.session.exit_status == 0
    raw = bytes(term.session.raw)
    tail = raw[raw.rindex(b"\x1b[?1049h") :]
    for sequence in (b"\x1b[?1049l", b"\x1b[?1000l", b"\x1b[?1003l", b"\x1b[?1006l", b"\x1b[?25h", b"\x1b[0m"):
        assert sequence in tail, sequence
    await wait_until(lambda: len(server.log_lines()) == 1, 10, "the access log line")
    assert 'exit="customer quit"' in server.log_lines()[0]
    assert all(process_gone(pid) for pid in front.spawned_pids)


async def test_ctrl_e_ends_the_session_too(server):
    front = await server.start()
    term = await Terminal.open(front.port)
    await term.wait_for(HOME_TEXT)
    term.send("\x05")
    await term.wait_closed()
    assert term.session.exit_status == 0


async def test_idle_timeout_ends_a_silent_session_with_its_goodbye(server):
    """The wiring, end to end: [ssh] idle_timeout reaches the session's bridge, the customer reads
    why it ended, the log says so. What counts as typing is in test_bridge.py, with its own clock."""
    front = await server.start(idle_timeout=2.0)
    term = await Terminal.open(front.port)
    await term.wait_for(HOME_TEXT)
    term.send("\x1b[<35;10;10M")  # mouse motion: the terminal's own report, not typing
    await term.wait_closed(timeout=20)
    term.pump()
    assert "nothing was typed" in term.text()
    assert "本次服务已结束" in term.text()  # and in Chinese, the default language
    await wait_until(lambda: len(server.log_lines()) == 1, 10, "the access log line")
    assert 'exit="idle"' in server.log_lines()[0]


async def test_maximum_session_length_ends_the_session_with_its_goodbye(server):
    """The wiring, end to end (the rule itself, busy or not, is in test_bridge.py)."""
    front = await server.start(max_session_length=2.0)
    term = await Terminal.open(front.port)
    await term.wait_for(HOME_TEXT)
    term.send("\x1b[C")  # typing does not extend it
    await term.wait_closed(timeout=20)
    term.pump()
    assert "time limit" in term.text()
    assert "时间上限" in term.text()  # and in Chinese, the default language
    await wait_until(lambda: len(server.log_lines()) == 1, 10, "the access log line")
    assert 'exit="max length"' in server.log_lines()[0]


async def test_shutdown_tells_the_customer_and_reaps_the_kiosk(server):
    front = await server.start()
    term = await Terminal.open(front.port)
    await term.wait_for(HOME_TEXT)
    await asyncio.wait_for(front.close(), 15)
    await term.wait_closed()
    term.pump()
    assert "restarting" in term.text()
    assert "服务正在重启" in term.text()  # and in Chinese, the default language
    assert all(process_gone(pid) for pid in front.spawned_pids)
    assert all(process_gone(pid) for pid in front.spawner.client.started_pids)


async def test_exec_spawning_serves_the_same_kiosk(server):
    front = await server.start(spawn="exec")
    term = await Terminal.open(front.port)
    await term.wait_for(HOME_TEXT, timeout=20)
    term.send("\x0c")
    await term.wait_for(ENGLISH_TITLE)
    term.close()
    [pid] = front.spawned_pids
    await wait_until(lambda: process_gone(pid), 10, "the session process to be reaped")


async def test_keys_typed_while_the_kiosk_starts_are_not_lost(server):
    front = await server.start()
    term = await Terminal.open(front.port)
    term.send("\x0c")  # at once, before the first screen
    await term.wait_for(ENGLISH_TITLE)
    term.close()


async def test_a_fork_server_that_dies_is_replaced(server):
    import os
    import signal

    front = await server.start()
    [fork_server] = front.spawner.client.started_pids
    os.kill(fork_server, signal.SIGKILL)
    await wait_until(lambda: not front.spawner.client.running, 10, "the server to notice")
    term = await Terminal.open(front.port)
    await term.wait_for(HOME_TEXT, timeout=20)
    assert len(front.spawner.client.started_pids) == 2
    term.close()


async def settle(term: Terminal, quiet: float = 0.6, timeout: float = 15.0) -> None:
    """Read until the kiosk has sent nothing for `quiet` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        try:
            data = await asyncio.wait_for(term.session.received.get(), quiet)
        except TimeoutError:
            return
        if data:
            term.stream.feed(data)
    raise AssertionError("the kiosk never stopped drawing")


def cells(term: Terminal) -> list[list[tuple[str, str, str, bool]]]:
    """Below the header (its clock may tick): each cell's character, colours and emphasis."""
    screen = term.screen
    return [
        [(c.data, c.fg, c.bg, c.reverse) for c in (screen.buffer[y][x] for x in range(screen.columns))]
        for y in range(1, screen.lines)
    ]


async def test_moving_between_tiles_leaves_the_terminal_as_a_full_redraw_would(server):
    """Only the tiles that gain and lose the focus are redrawn; the customer's terminal must still
    show exactly what a complete redraw of the same state shows."""
    front = await server.start()
    term = await Terminal.open(front.port, size=(80, 24))
    await term.wait_for(HOME_TEXT)
    await settle(term)
    before = cells(term)
    for key in ("\x1b[C", "\x1b[C", "\x1b[D"):  # right, right, left: the second tile has the focus
        term.send(key)
        await settle(term, quiet=0.3)
    moved = cells(term)
    assert moved != before, "the focus highlight did not move"
    term.resize(81, 24)
    await settle(term)
    term.resize(80, 24)  # a resize makes the kiosk redraw everything
    await settle(term)
    assert cells(term) == moved


@pytest.mark.parametrize("spawn", ["fork-server", "exec"])
async def test_the_customer_is_warned_before_the_time_limit(server, spawn):
    front = await server.start(max_session_length=8.0, spawn=spawn)  # the warning comes 4 s in
    term = await Terminal.open(front.port)
    await term.wait_for(HOME_TEXT, timeout=20)
    warned = await term.wait_for("即将达到时间上限", timeout=7)  # in the kiosk's language: Chinese here
    assert warned >= 1.0  # not at once: only as the limit nears
    await term.wait_closed(timeout=10)
    term.pump()
    assert "时间上限" in term.text() and "time limit" in term.text()
