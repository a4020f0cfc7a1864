"""Limits that hold against the attacks a public SSH door meets, over loopback with real clients.

Every loop here is bounded in count and time. 127.0.0.2 is another customer: Linux routes
all of 127.0.0.0/8 to the loopback interface, so a client can use it as its source address.
"""

from __future__ import annotations

import asyncio
import socket

import asyncssh
import pytest

from kiosk.ssh.auth import hash_password
from kiosk.ssh.server import FLOOD, HANDSHAKE_TIMEOUT, NO_SESSION
from ssh.client import HOME_TEXT, Terminal, connect
from ssh.conftest import process_gone, wait_until

pytestmark = pytest.mark.slow

ENGLISH_TITLE = "Wallet Help Kiosk"


def idle_socket(port: int, source: str = "127.0.0.1") -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0))


async def test_one_address_cannot_fill_the_pre_login_pool(server):
    front = await server.start(
        auth="password",
        password_hash=hash_password("correct horse"),
        max_unauthenticated=4,
        max_unauthenticated_per_address=2,
        handshake_timeout=30,
    )
    attacker = [idle_socket(front.port) for _ in range(6)]  # idle, as a slowloris holds them
    try:
        refused = lambda: sum("refused: per-address-cap" in line for line in server.log_lines())  # noqa: E731
        await wait_until(lambda: refused() == 4, 5, "the attacker's four extra sockets refused")
        assert front.counts()["unauthenticated"] == 2
        # Another address still gets in, twice at once, while the attacker holds its share.
        customers = [await connect(front.port, password="correct horse", local_addr=("127.0.0.2", 0)) for _ in range(2)]
        for conn in customers:
            conn.close()
        # And the attacker's next try is told why.
        with pytest.raises(asyncssh.DisconnectError, match="waiting to log in"):
            await connect(front.port, password="correct horse")
    finally:
        for sock in attacker:
            sock.close()
    await wait_until(lambda: front.counts()["unauthenticated"] == 0, 5, "the pool to empty")
    await wait_until(lambda: any("refused: per-address-cap" in line for line in server.log_lines()), 5, "the log")


@pytest.mark.parametrize("says", [b"", b"SSH-2.0-Stalled_1.0\r\n"], ids=["silent", "stalls-after-its-version"])
async def test_an_idle_socket_before_login_is_dropped_within_seconds(server, says):
    front = await server.start(handshake_timeout=1, login_grace=30)
    loop = asyncio.get_running_loop()
    reader, writer = await asyncio.open_connection("127.0.0.1", front.port)
    writer.write(says)
    started = loop.time()
    received = await asyncio.wait_for(reader.read(-1), 10)  # until the server closes
    assert loop.time() - started < 3
    if not says:  # before any version line the reason goes in the clear; after it, asyncssh may be mid-exchange
        assert HANDSHAKE_TIMEOUT.encode() in received
    writer.close()
    await wait_until(lambda: front.counts()["unauthenticated"] == 0, 5, "the counter to return to zero")
    await wait_until(lambda: any('exit="handshake timeout"' in line for line in server.log_lines()), 5, "the log")


async def test_a_client_that_logs_in_promptly_is_not_cut_by_the_handshake_timer(server):
    front = await server.start(handshake_timeout=1, auth="password", password_hash=hash_password("correct horse"))
    term = await Terminal.open(front.port, password="correct horse")
    await term.wait_for(HOME_TEXT)
    await asyncio.sleep(1.5)  # past the handshake timer
    term.send("\x0c")
    await term.wait_for(ENGLISH_TITLE)
    term.close()


async def test_a_logged_in_connection_without_a_session_times_out(server):
    front = await server.start(session_wait=1)
    loop = asyncio.get_running_loop()
    started = loop.time()
    conn = await connect(front.port)
    await asyncio.wait_for(conn.wait_closed(), 5)  # the server hung up
    assert loop.time() - started < 4
    await wait_until(lambda: front.counts()["connections"] == 0, 5, "the connection to close")
    await wait_until(lambda: any('exit="no session"' in line for line in server.log_lines()), 5, "the log line")
    assert NO_SESSION.isascii()


async def test_a_session_outlives_the_wait_for_it(server):
    front = await server.start(session_wait=1)
    term = await Terminal.open(front.port)
    await term.wait_for(HOME_TEXT)
    await asyncio.sleep(1.5)
    term.send("\x0c")  # still served
    await term.wait_for(ENGLISH_TITLE)
    assert not term.eof
    term.close()


async def test_a_window_change_flood_leaves_the_session_responsive(server):
    """Tens of thousands of window changes in seconds: the kiosk gets a few sizes and keeps answering."""
    front = await server.start(max_messages_per_second=100_000)  # let them all through to the bridge
    term = await Terminal.open(front.port, size=(80, 24))
    await term.wait_for(HOME_TEXT)
    loop = asyncio.get_running_loop()
    started = loop.time()
    for n in range(20_000):
        term.chan.change_terminal_size(60 + n % 40, 20 + n % 10)
        if n % 500 == 0:
            await asyncio.sleep(0)
    term.resize(100, 30)
    flood_seconds = loop.time() - started
    [bridge] = front.bridges
    await asyncio.sleep(0.5)
    assert bridge.resizes <= (flood_seconds + 1) / 0.05 + 5, (bridge.resizes, flood_seconds)
    term.send("\x0c")  # Ctrl+L: the other language -- the kiosk is alive and reading keys
    await term.wait_for(ENGLISH_TITLE, timeout=15)

    def wide() -> bool:
        term.pump()
        return len(term.screen.display[0].rstrip()) > 80

    await wait_until(wide, 10, "the last size, 100 columns")
    term.close()


async def test_a_message_flood_is_cut_off_and_its_kiosk_reaped(server):
    front = await server.start(max_messages_per_second=50)
    term = await Terminal.open(front.port)
    await term.wait_for(HOME_TEXT)
    [pid] = front.spawned_pids
    for n in range(5_000):  # one key per message, as fast as the client can send them
        try:
            term.send(b"\x1b[A" if n % 2 else b"\x1b[B")
        except BrokenPipeError:  # cut off
            break
        if n % 200 == 0:
            await asyncio.sleep(0)
            if term.session.closed.done():
                break
    await term.wait_closed(timeout=10)
    await wait_until(lambda: process_gone(pid), 10, "the kiosk reaped")
    await wait_until(lambda: any('exit="refused: flood"' in line for line in server.log_lines()), 5, "the log line")
    assert front.counts()["sessions"] == 0 and FLOOD.isascii()


async def test_typing_and_a_paste_are_not_a_flood(server):
    front = await server.start(max_messages_per_second=50)
    term = await Terminal.open(front.port)
    await term.wait_for(HOME_TEXT)
    term.send("/")  # search
    await term.wait_for("zfmm")
    for ch in "abc":  # a fast typist
        term.send(ch)
        await asyncio.sleep(0.02)
    term.send("\x1b[200~" + "x" * 60_000 + "\x1b[201~")  # one big paste, in several SSH packets
    await asyncio.sleep(1.0)
    assert not term.session.closed.done()
    assert front.counts()["sessions"] == 1
    term.close()


async def test_per_address_session_caps_hold_over_ipv6(server):
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    try:
        probe = socket.socket(socket.AF_INET6)
        probe.bind(("::1", 0))
        probe.close()
    except OSError:
        pytest.skip("no IPv6 loopback (::1) on this machine")
    front = await server.start(listen="[::1]:0", max_sessions_per_address=1)
    first = await Terminal.open(front.port, host="::1")
    await first.wait_for(HOME_TEXT)
    second = await Terminal.open(front.port, host="::1")
    await second.wait_closed()
    assert "sessions open, the most allowed" in bytes(second.session.raw).decode()
    assert front.admission.sessions_per_client == {"::/64": 1}
    first.close()
