"""Nothing but the kiosk: every other request is refused, with one clear line where a channel is open."""

from __future__ import annotations

import asyncio
import socket

import asyncssh
import pytest

from kiosk.ssh.auth import hash_password
from kiosk.ssh.server import NEED_PTY, ONE_SESSION, TOO_MANY_ATTEMPTS
from ssh.client import HOME_TEXT, ScreenSession, Terminal, connect
from ssh.conftest import wait_until

pytestmark = pytest.mark.slow


async def test_exec_is_refused(server):
    front = await server.start()
    conn = await connect(front.port)
    with pytest.raises(asyncssh.ChannelOpenError):
        await conn.create_session(ScreenSession, "cat /etc/passwd", encoding=None, term_type="xterm")
    conn.close()
    assert front.spawned_pids == []


async def test_sftp_and_scp_are_refused(server):
    front = await server.start()
    conn = await connect(front.port)
    with pytest.raises((asyncssh.SFTPError, asyncssh.ChannelOpenError)):
        await asyncio.wait_for(conn.start_sftp_client(), 10)
    with pytest.raises((asyncssh.SFTPError, asyncssh.ChannelOpenError, OSError)):
        await asyncio.wait_for(asyncssh.scp((conn, "/etc/hostname"), str(server.tmp_path / "copy")), 10)
    conn.close()
    assert front.spawned_pids == [] and not (server.tmp_path / "copy").exists()


async def test_forwarding_is_refused(server):
    front = await server.start()
    conn = await connect(front.port)
    with pytest.raises(asyncssh.ChannelOpenError):  # local forwarding (direct-tcpip)
        await conn.create_connection(asyncssh.SSHTCPSession, "127.0.0.1", front.port)
    with pytest.raises(asyncssh.ChannelListenError):  # remote forwarding (tcpip-forward)
        await conn.forward_remote_port("127.0.0.1", 0, "127.0.0.1", 9)
    with pytest.raises(asyncssh.ChannelOpenError):  # Unix socket forwarding
        await conn.create_unix_connection(asyncssh.SSHUNIXSession, "/run/anything.sock")
    conn.close()
    # A connection that only asked to forward is logged as refused for it, and each attempt is counted.
    await wait_until(lambda: server.log_lines(), 5, "the log line")
    [line] = server.log_lines()
    assert 'refused=forwarding exit="refused: forwarding"' in line
    assert front.health.tally.refused()["forwarding"] == 3


async def test_agent_and_x11_forwarding_requests_are_refused(server):
    front = await server.start()
    conn = await connect(front.port)
    chan, _session = await conn.create_session(ScreenSession, encoding=None, term_type="xterm", term_size=(80, 24))
    # Raw channel requests, as a client asking for agent or X11 forwarding would send them.
    agent = await chan._make_request(b"auth-agent-req@openssh.com")
    x11 = await chan._make_request(
        b"x11-req",
        asyncssh.packet.Boolean(False),
        asyncssh.packet.String(b"MIT-MAGIC-COOKIE-1"),
        asyncssh.packet.String(b"00" * 16),
        asyncssh.packet.UInt32(0),
    )
    assert not agent and not x11
    conn.close()


async def test_a_session_without_a_terminal_gets_one_line(server):
    front = await server.start()
    term = await Terminal.open(front.port, pty=False)
    await term.wait_closed()
    assert bytes(term.session.raw).decode().strip() == NEED_PTY
    assert term.session.exit_status == 1
    assert front.spawned_pids == []


async def test_a_second_session_on_one_connection_is_refused(server):
    front = await server.start()
    term = await Terminal.open(front.port)
    await term.wait_for(HOME_TEXT)
    with pytest.raises(asyncssh.ChannelOpenError, match=ONE_SESSION):
        await term.conn.create_session(ScreenSession, encoding=None, term_type="xterm", term_size=(80, 24))
    assert len(front.spawned_pids) == 1
    term.close()


async def test_wrong_password_is_refused_and_the_right_one_works(server):
    front = await server.start(auth="password", password_hash=hash_password("correct horse"))
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(front.port, password="wrong password")
    term = await Terminal.open(front.port, password="correct horse")
    await term.wait_for(HOME_TEXT)
    term.close()


async def test_unknown_key_is_refused_and_an_authorized_one_works(server):
    allowed = asyncssh.generate_private_key("ssh-ed25519")
    other = asyncssh.generate_private_key("ssh-ed25519")
    keys_file = server.tmp_path / "authorized_keys"
    keys_file.write_bytes(allowed.export_public_key())
    front = await server.start(auth="keys", authorized_keys=str(keys_file))
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(front.port, client_keys=[other])
    term = await Terminal.open(front.port, client_keys=[allowed])
    await term.wait_for(HOME_TEXT)
    term.close()
    # The log names each key by the fingerprint `ssh-keygen -lf` prints: which terminal came, and which was refused.
    await wait_until(lambda: len(server.log_lines()) == 2, 10, "both log lines")
    refused, accepted = server.log_lines()
    assert f"key={other.get_fingerprint()} " in refused and 'exit="refused: rejected-key"' in refused
    assert f"key={allowed.get_fingerprint()} " in accepted and "refused: " not in accepted
    assert front.health.tally.refused()["rejected-key"] == 1


class _Guesser(asyncssh.SSHClient):
    """Keeps guessing passwords for as long as the server lets it."""

    guesses = 0

    def password_auth_requested(self):
        type(self).guesses += 1
        return f"guess number {self.guesses}"


async def test_failed_attempts_are_capped_per_connection(server):
    front = await server.start(auth="password", password_hash=hash_password("correct horse"), max_auth_attempts=2)
    _Guesser.guesses = 0
    with pytest.raises((asyncssh.DisconnectError, asyncssh.PermissionDenied)) as caught:
        await connect(front.port, client_factory=_Guesser, password=None)
    assert _Guesser.guesses <= 3  # the server hung up after the second failure
    if isinstance(caught.value, asyncssh.DisconnectError) and not isinstance(caught.value, asyncssh.PermissionDenied):
        assert TOO_MANY_ATTEMPTS in caught.value.reason
    await wait_until(lambda: front.counts()["connections"] == 0, 5, "the connection to close")
    assert 'exit="refused: too many attempts"' in server.log_lines()[-1]


async def test_the_session_cap_refuses_the_next_customer_with_its_message(server):
    front = await server.start(max_sessions=2)
    terms = [await Terminal.open(front.port) for _ in range(2)]
    for term in terms:
        await term.wait_for(HOME_TEXT)
    third = await Terminal.open(front.port)
    await third.wait_closed()
    assert bytes(third.session.raw).decode().strip() == (
        "服务繁忙（2 个会话进行中），请几分钟后再试。 "
        "This help line is busy: 2 sessions are open. Please try again in a few minutes."
    )
    assert "\n" not in bytes(third.session.raw).decode().strip()  # one line
    assert third.session.exit_status == 1
    assert len(front.spawned_pids) == 2
    await wait_until(
        lambda: any('exit="refused: global-cap"' in line for line in server.log_lines()), 5, "the log line"
    )
    assert front.health.tally.refused()["global-cap"] == 1
    assert front.health.tally.refused()["per-address-cap"] == 0
    for term in terms:
        term.close()


async def test_the_per_address_session_cap(server):
    front = await server.start(max_sessions_per_address=1)
    first = await Terminal.open(front.port)
    await first.wait_for(HOME_TEXT)
    second = await Terminal.open(front.port)
    await second.wait_closed()
    assert "sessions open, the most allowed" in bytes(second.session.raw).decode()
    await wait_until(
        lambda: any('exit="refused: per-address-cap"' in line for line in server.log_lines()), 5, "the log line"
    )
    assert front.health.tally.refused()["per-address-cap"] == 1
    assert front.health.tally.refused()["global-cap"] == 0
    first.close()


async def test_connection_rate_per_address(server):
    front = await server.start(max_connections_per_minute_per_address=2)
    for _ in range(2):
        (await connect(front.port)).close()
    with pytest.raises(asyncssh.DisconnectError, match="Too many connections from your address"):
        await connect(front.port)
    await wait_until(lambda: any('exit="refused: rate"' in line for line in server.log_lines()), 5, "the log line")
    assert front.health.tally.refused()["rate"] == 1


async def test_unauthenticated_connections_are_capped(server):
    front = await server.start(auth="password", password_hash=hash_password("correct horse"), max_unauthenticated=2)
    waiting = [socket.create_connection(("127.0.0.1", front.port), timeout=5) for _ in range(2)]
    await wait_until(lambda: front.counts()["unauthenticated"] == 2, 5, "two connections waiting")
    with pytest.raises(asyncssh.DisconnectError, match="busy answering new connections"):
        await connect(front.port, password="correct horse")
    await wait_until(
        lambda: any('exit="refused: unauthenticated-cap"' in line for line in server.log_lines()), 5, "the log line"
    )
    for sock in waiting:
        sock.close()
    await wait_until(lambda: front.counts()["unauthenticated"] == 0, 5, "the counter to return to zero")


async def test_login_grace_time_ends_a_silent_connection_with_a_reason(server):
    front = await server.start(login_grace=1.0)
    loop = asyncio.get_running_loop()
    reader, writer = await asyncio.open_connection("127.0.0.1", front.port)
    started = loop.time()
    received = await asyncio.wait_for(reader.read(-1), 5)  # until the server closes
    assert loop.time() - started < 3
    assert b"Login time ran out" in received  # the disconnect packet, sent in the clear before key exchange
    writer.close()
    await wait_until(lambda: front.counts()["unauthenticated"] == 0, 5, "the counter to return to zero")
