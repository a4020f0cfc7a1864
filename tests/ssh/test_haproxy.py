"""Behind a load balancer: PROXY v2 from a trusted proxy names the client, for limits and the log.

The first tests play the proxy by hand (a socket that sends the header, then carries SSH).
The last runs a real HAProxy, configured as docs/operating.md says, in front of two
`kiosk ssh` servers on loopback. 127.0.0.2 and up are other customers: Linux routes all of
127.0.0.0/8 to the loopback interface.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import socket
import subprocess
from pathlib import Path

import asyncssh
import pytest
from helpers import REPO

from kiosk import proxy_protocol
from ssh.client import HOME_TEXT, ScreenSession, Terminal
from ssh.conftest import wait_until

pytestmark = pytest.mark.slow


async def through_proxy(port: int, client: tuple[str, int], header: bytes | None = None) -> Terminal:
    """A customer at `client`, reaching the server through a proxy at 127.0.0.1 that names them."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(proxy_protocol.build(client, ("127.0.0.1", port)) if header is None else header)
    sock.setblocking(False)
    conn = await asyncio.wait_for(
        asyncssh.connect(
            sock=sock, username="customer", known_hosts=None, client_keys=None, agent_path=None, config=None
        ),
        15,
    )
    chan, session = await conn.create_session(ScreenSession, encoding=None, term_type="xterm", term_size=(80, 24))
    assert isinstance(session, ScreenSession)
    return Terminal(conn, chan, session, 80, 24)


async def test_a_trusted_proxy_names_the_client_for_the_caps_and_the_log(server):
    front = await server.start(trusted_proxies=("127.0.0.1",), max_sessions_per_address=1)
    first = await through_proxy(front.port, ("198.51.100.7", 40001))
    await first.wait_for(HOME_TEXT)
    second = await through_proxy(front.port, ("198.51.100.7", 40002))  # the same customer again
    await second.wait_closed()
    assert "sessions open, the most allowed" in bytes(second.session.raw).decode()
    other = await through_proxy(front.port, ("198.51.100.8", 40003))  # someone else, same proxy
    await other.wait_for(HOME_TEXT)
    for term in (first, other):
        term.close()
    await wait_until(lambda: len(server.log_lines()) == 3, 10, "a line per connection")
    lines = server.log_lines()
    assert all(" via=127.0.0.1" in line for line in lines)
    assert sum("address=198.51.100.7 port=" in line for line in lines) == 2
    assert any("address=198.51.100.8 port=40003" in line for line in lines)


async def test_a_trusted_proxy_without_a_header_is_closed(server, capfd):
    front = await server.start(trusted_proxies=("127.0.0.1",), handshake_timeout=1)
    with pytest.raises((asyncssh.Error, OSError, asyncio.TimeoutError)):
        await asyncio.wait_for(Terminal.open(front.port), 10)  # a plain client from the proxy's address
    assert front.spawned_pids == []
    await wait_until(lambda: "trusted proxy 127.0.0.1 closed" in capfd.readouterr().err, 5, "the reason logged")


async def test_nobody_else_may_name_a_client(server):
    front = await server.start(trusted_proxies=("127.0.0.1",))
    # From 127.0.0.2, not a trusted proxy, a PROXY header is not read as one: it is not SSH either.
    sock = socket.create_connection(("127.0.0.1", front.port), timeout=5, source_address=("127.0.0.2", 0))
    sock.sendall(proxy_protocol.build(("198.51.100.9", 1), ("127.0.0.1", front.port)) + b"SSH-2.0-x\r\n")
    sock.settimeout(5)
    with pytest.raises(OSError):
        while sock.recv(4096):
            pass
        raise OSError("closed")
    sock.close()
    # A plain client from there is served as itself.
    term = await Terminal.open(front.port, local_addr=("127.0.0.2", 0))
    await term.wait_for(HOME_TEXT)
    term.close()
    await wait_until(lambda: any("address=127.0.0.2" in line for line in server.log_lines()), 10, "the log")
    assert not any("198.51.100.9" in line for line in server.log_lines())


def haproxy_config(listen: int, hosts: list[int]) -> str:
    """The configuration docs/operating.md gives, with loopback addresses and these ports."""
    text = (REPO / "docs" / "operating.md").read_text(encoding="utf-8")
    match = re.search(r"```haproxy\n(.*?)```", text, re.S)
    assert match, "docs/operating.md has no ```haproxy block"
    config = match.group(1)
    config = config.replace("bind :22", f"bind 127.0.0.1:{listen}")
    config = config.replace("10.0.0.11:2222", f"127.0.0.1:{hosts[0]}").replace(
        "10.0.0.12:2222", f"127.0.0.1:{hosts[1]}"
    )
    assert "10.0.0." not in config
    return config


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def haproxy_binary() -> str:
    found = shutil.which("haproxy") or next(
        (str(p) for p in (Path("/usr/sbin/haproxy"), Path("/usr/local/sbin/haproxy")) if p.exists()), None
    )
    if found is None:
        pytest.skip("haproxy is not installed (make test installs Debian's haproxy where it runs as root)")
    return found


async def test_haproxy_in_front_of_two_hosts_passes_the_real_client(server, haproxy_binary, tmp_path):
    fronts = [await server.start(trusted_proxies=("127.0.0.1",), max_sessions_per_address=1) for _ in range(2)]
    listen = free_port()
    config = tmp_path / "haproxy.cfg"
    config.write_text(haproxy_config(listen, [front.port for front in fronts]), encoding="utf-8")
    check = subprocess.run([haproxy_binary, "-c", "-f", str(config)], capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stdout + check.stderr
    proxy = subprocess.Popen(
        [haproxy_binary, "-db", "-f", str(config)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        await wait_until(_listening(listen), 10, "haproxy to listen")
        customers = [f"127.0.0.{n}" for n in range(2, 10)]
        terms = []
        for address in customers:
            term = await Terminal.open(listen, local_addr=(address, 0))
            await term.wait_for(HOME_TEXT)
            terms.append(term)
        # Each customer's second session reaches the same host (balance source) and is capped there.
        again = await Terminal.open(listen, local_addr=(customers[0], 0))
        await again.wait_closed()
        assert "sessions open, the most allowed" in bytes(again.session.raw).decode()
        assert all(front.counts()["sessions"] >= 1 for front in fronts), [f.counts() for f in fronts]
        assert sum(front.counts()["sessions"] for front in fronts) == len(customers)
        for term in terms:
            term.close()
        await wait_until(lambda: sum(f.counts()["connections"] for f in fronts) == 0, 15, "everyone gone")

        def proxied() -> list[str]:
            # Customers' lines; the balancer's health checks come from its own address.
            return [
                line for line in server.log_lines() if " via=127.0.0.1" in line and "address=127.0.0.1 " not in line
            ]

        await wait_until(lambda: len(proxied()) >= len(customers) + 1, 15, "a log line per customer")
        lines = proxied()
        for address in customers:
            assert any(f"address={address} " in line for line in lines), (address, lines)
        assert any(f"address={customers[0]} " in line and "refused: per-address-cap" in line for line in lines)
    finally:
        proxy.terminate()
        try:
            proxy.wait(10)
        except subprocess.TimeoutExpired:
            proxy.kill()
            proxy.wait(5)


def _listening(port: int):
    def check() -> bool:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            return False
        return True

    return check
