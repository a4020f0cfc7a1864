"""`kiosk web` as operators run it: a real server on a free loopback port, real browsers' websockets.

Every test starts the server in its own process group and ends it, and checks that no kiosk
process outlives it.
"""

from __future__ import annotations

import asyncio
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import aiohttp
import pytest

from kiosk.forkserver.environment import MAX_SIZE, MIN_SIZE
from kiosk.web import server as web_server
from web.helpers import (
    HOME_TEXT,
    alive,
    children_of,
    clean_env,
    free_port,
    is_fork_server,
    kiosk_command,
    read_exactly,
    stop_group,
    wait_until,
)

pytestmark = pytest.mark.slow

MAX_SESSIONS = 2


class WebServer:
    """`kiosk web` on a free loopback port, started in its own session so it can be ended whole."""

    def __init__(
        self, tmp_path: Path, *args: str, env_extra: dict[str, str] | None = None, config_text: str = ""
    ) -> None:
        self.config = tmp_path / "kiosk.toml"
        self.config.write_text('default_locale = "zh-CN"\n' + config_text, encoding="utf-8")
        env = clean_env(tmp_path, **(env_extra or {}))
        for _attempt in range(3):  # the free port may be taken between choosing and binding it
            self.port = free_port()
            # Kept open for the server's whole life; closed in stop().
            self.stderr = open(tmp_path / f"server-{self.port}.log", "w+b")  # noqa: SIM115
            self.proc = subprocess.Popen(
                kiosk_command("web", "--port", str(self.port), "--config", str(self.config), *args),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=self.stderr,
                env=env,
                start_new_session=True,
            )
            if wait_until(lambda: self.listening() or self.proc.poll() is not None, timeout=30) and self.listening():
                return
            stop_group(self.proc)
            self.stderr.close()
        raise AssertionError(f"kiosk web did not start: {self.log()}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def listening(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def log(self) -> str:
        self.stderr.flush()
        return (Path(self.stderr.name).read_bytes()).decode("utf-8", "replace")

    def fork_servers(self) -> list[int]:
        """The server's fork server (a child that is the kiosk.forkserver.server module)."""
        return [pid for pid in children_of(self.proc.pid) if alive(pid) and is_fork_server(pid)]

    def sessions(self) -> list[int]:
        """The kiosk processes serving tabs right now: forked by the fork server, or the server's own children."""
        pids = []
        for pid in children_of(self.proc.pid):
            if alive(pid):
                pids += [child for child in children_of(pid) if alive(child)] if is_fork_server(pid) else [pid]
        return pids

    def stop(self) -> None:
        stop_group(self.proc)
        self.stderr.close()


@pytest.fixture
def server(tmp_path):
    started = WebServer(tmp_path, "--max-sessions", str(MAX_SESSIONS))
    try:
        yield started
    finally:
        started.stop()


def get(url: str, **headers: str) -> tuple[int, str, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8"), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8"), dict(error.headers)


async def until(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        await asyncio.sleep(0.05)
    return bool(predicate())


async def read_until(ws: aiohttp.ClientWebSocketResponse, needle: bytes, timeout: float = 30) -> bytes:
    """Terminal bytes from a tab until `needle` shows up."""
    data = b""
    deadline = time.monotonic() + timeout
    while needle not in data:
        left = deadline - time.monotonic()
        assert left > 0, f"no {needle!r} within {timeout} s; got {data[-300:]!r}"
        message = await ws.receive(timeout=left)
        if message.type == aiohttp.WSMsgType.BINARY:
            data += message.data
        elif message.type == aiohttp.WSMsgType.TEXT:
            continue
        else:
            raise AssertionError(f"the tab closed ({message.type}, {ws.close_code}) before {needle!r}")
    return data


async def closed(ws: aiohttp.ClientWebSocketResponse, timeout: float) -> int | None:
    """Wait for the server to close the tab; its close code."""
    deadline = time.monotonic() + timeout
    while not ws.closed:
        left = deadline - time.monotonic()
        assert left > 0, "the tab was not closed in time"
        message = await ws.receive(timeout=left)
        if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.CLOSED):
            break
    return ws.close_code


def test_the_page_is_textual_serves_page_for_the_kiosk(server):
    status, page, headers = get(server.url + "/")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert f'data-session-websocket-url="ws://127.0.0.1:{server.port}/ws"' in page
    assert "js/textual.js" in page and 'class="textual-terminal"' in page
    assert "钱包自助服务 · Wallet Help Kiosk" in page
    assert "fonts.googleapis.com" not in page  # the customer's browser talks to this server only
    loads = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert loads and all(url.startswith(f"{server.url}/") or url == "data:," for url in loads), loads
    assert str(Path(sys.executable).parent) not in page  # nor learns how the server runs the kiosk
    status, script, _ = get(server.url + "/static/js/textual.js")
    assert status == 200 and len(script) > 10000
    assert "serving the kiosk on http://127.0.0.1" in server.log()
    assert server.sessions() == []  # a page alone starts nothing


async def test_at_most_max_sessions_at_once_and_a_slot_frees_when_one_ends(server):
    async with aiohttp.ClientSession() as http:
        tabs = []
        for _ in range(MAX_SESSIONS):
            tab = await http.ws_connect(f"{server.url}/ws?width=100&height=30")
            await read_until(tab, HOME_TEXT.encode())
            tabs.append(tab)
        first = server.sessions()
        assert len(first) == MAX_SESSIONS, first  # each tab its own process

        # One more: no process, a line in its terminal, a busy page for a new visitor.
        extra = await http.ws_connect(f"{server.url}/ws?width=100&height=30")
        message = await extra.receive(timeout=10)
        assert message.type == aiohttp.WSMsgType.BINARY and message.data == web_server.BUSY_TERMINAL
        assert "所有服务窗口都在使用中".encode() in message.data and b"All help sessions are in use" in message.data
        refused = asyncio.ensure_future(closed(extra, timeout=web_server.REFUSAL_HOLD + 10))
        status, page, headers = get(server.url + "/")
        assert status == 503 and "All help sessions are in use" in page and headers["Retry-After"] == "30"
        assert sorted(server.sessions()) == sorted(first)

        # The customer in the first tab quits (Ctrl+Q): that session ends, its process goes, a slot frees.
        gone = oldest(first)
        await tabs[0].send_json(["stdin", "\x11"])
        assert await closed(tabs[0], timeout=15) == 1000
        assert await until(lambda: len(server.sessions()) == MAX_SESSIONS - 1, timeout=15), server.sessions()
        assert not alive(gone)
        # A forked kiosk is reaped by the fork server, whose report then frees the slot.
        assert await until(lambda: get(server.url + "/")[0] == 200, timeout=5)

        again = await http.ws_connect(f"{server.url}/ws?width=100&height=30")
        await read_until(again, HOME_TEXT.encode())
        assert len(server.sessions()) == MAX_SESSIONS
        assert get(server.url + "/")[0] == 503

        # The browser side closing a tab frees its slot too.
        await again.close()
        assert await until(lambda: len(server.sessions()) == MAX_SESSIONS - 1, timeout=15), server.sessions()
        assert await until(lambda: get(server.url + "/")[0] == 200, timeout=5)

        # The refused tab was closed by the server with "try again later".
        assert await refused == aiohttp.WSCloseCode.TRY_AGAIN_LATER
        assert len(server.sessions()) == MAX_SESSIONS - 1
        for tab in tabs[1:]:
            await tab.close()
        assert await until(lambda: server.sessions() == [], timeout=15), server.sessions()


def oldest(pids: list[int]) -> int:
    """The process started first (the first tab's): the lowest start time in /proc."""

    def started(pid: int) -> int:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])

    return min(pids, key=started)


async def test_a_page_from_another_site_cannot_open_a_session(server):
    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await http.ws_connect(f"{server.url}/ws", headers={"Origin": "http://evil.example"})
        assert refused.value.status == 403
        assert server.sessions() == []
        tab = await http.ws_connect(f"{server.url}/ws", headers={"Origin": f"http://localhost:{server.port}"})
        await read_until(tab, HOME_TEXT.encode())
        await tab.close()
    assert await until(lambda: server.sessions() == [], timeout=15)


async def test_an_executed_session_gets_a_clamped_size_and_no_inherited_textual_settings(tmp_path):
    """spawn = "exec": textual-serve's own way, a command per tab (forked tabs: test_web_forked)."""
    started = WebServer(
        tmp_path, env_extra={"TEXTUAL": "devtools", "TEXTUAL_PRESS": "ctrl+q"}, config_text='[ssh]\nspawn = "exec"\n'
    )
    try:
        async with aiohttp.ClientSession() as http:
            tab = await http.ws_connect(f"{started.url}/ws?width=100000&height=3")
            await read_until(tab, HOME_TEXT.encode())  # TEXTUAL_PRESS=ctrl+q would have ended it at once
            [pid] = started.sessions()
            environ = dict(
                item.split("=", 1)
                for item in Path(f"/proc/{pid}/environ").read_bytes().decode().split("\0")
                if "=" in item
            )
            assert environ["TEXTUAL_DRIVER"] == "textual.drivers.web_driver:WebDriver"
            assert "TEXTUAL" not in environ and "TEXTUAL_PRESS" not in environ
            assert (environ["COLUMNS"], environ["ROWS"]) == (str(MAX_SIZE[0]), str(MIN_SIZE[1]))
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            assert cmdline[1:6] == [b"-m", b"kiosk", b"--remote", b"--config", str(started.config).encode()]
            await tab.close()
    finally:
        started.stop()


async def test_stopping_the_server_ends_every_session(server):
    async with aiohttp.ClientSession() as http:
        tabs = [await http.ws_connect(f"{server.url}/ws") for _ in range(MAX_SESSIONS)]
        for tab in tabs:
            await read_until(tab, HOME_TEXT.encode())
        pids = server.sessions()
        assert len(pids) == MAX_SESSIONS
        server.proc.terminate()
        await until(lambda: server.proc.poll() is not None, timeout=20)
        assert server.proc.returncode == 0, server.log()
        for tab in tabs:
            await closed(tab, timeout=10)
    assert not any(alive(pid) for pid in pids)
    assert server.proc.stdout.read() == b""  # everything it said went to stderr


async def test_a_browser_that_vanishes_frees_its_slot(server):
    """The client process is killed mid-session: no close handshake, just a dropped connection."""
    client = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"""
import asyncio, aiohttp, sys
async def main():
    async with aiohttp.ClientSession() as http:
        tab = await http.ws_connect("{server.url}/ws")
        data = b""
        while {HOME_TEXT.encode()!r} not in data:
            data += (await tab.receive(timeout=30)).data
        print("home", flush=True)
        await asyncio.sleep(60)
asyncio.run(main())
""",
        ],
        stdout=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        assert client.stdout is not None
        assert read_exactly(client.stdout.fileno(), 5, timeout=30) == b"home\n"
        [pid] = server.sessions()
        client.kill()
        client.wait(10)
        assert await until(lambda: not alive(pid), timeout=15)
        assert server.sessions() == []
        assert get(server.url + "/")[0] == 200
    finally:
        stop_group(client)


def test_the_access_log_names_the_client_a_trusted_proxy_forwards(tmp_path):
    started = WebServer(tmp_path, "--trusted-proxy", "127.0.0.1")
    try:
        assert get(started.url + "/", **{"X-Forwarded-For": "192.0.2.44"})[0] == 200
        assert get(started.url + "/static/%1b]0;title%07")[0] == 404  # an escape sequence, percent-encoded
        assert wait_until(lambda: '192.0.2.44 "GET /" 200' in started.log(), timeout=5), started.log()
        assert wait_until(lambda: "404" in started.log(), timeout=5)
        assert "\x1b" not in started.log() and "\\x1b" in started.log()
    finally:
        started.stop()
    (tmp_path / "other").mkdir()
    untrusted = WebServer(tmp_path / "other")
    try:
        assert get(untrusted.url + "/", **{"X-Forwarded-For": "192.0.2.44"})[0] == 200
        assert wait_until(lambda: '127.0.0.1 "GET /" 200' in untrusted.log(), timeout=5), untrusted.log()
        assert "192.0.2.44" not in untrusted.log()
    finally:
        untrusted.stop()
