"""Browser tabs forked by the fork server: their environment, their processes, a fork server that dies.

The web front door runs here in the test's own event loop (aiohttp's test server around
KioskServer's application), so a test can watch each forked session's environment (the fork
server's observe folder) and kill the fork server; tabs are real websockets to it.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from kiosk.forkserver.environment import MAX_SIZE, MIN_SIZE, base_environment
from kiosk.web.forked import WEB_DRIVER_ENVIRONMENT, TabSpawner
from kiosk.web.server import UNAVAILABLE_TERMINAL, KioskServer
from web.helpers import HOME_TEXT, alive, children_of, clean_env

pytestmark = pytest.mark.slow


class ForkedWeb:
    """KioskServer with a fork server that reports each session's environment, on a loopback port."""

    def __init__(self, tmp_path: Path, max_sessions: int = 4) -> None:
        self.config = tmp_path / "kiosk.toml"
        self.config.write_text('default_locale = "zh-CN"\n', encoding="utf-8")
        self.observed = tmp_path / "observed"
        self.observed.mkdir()
        # The server's own environment, with Textual settings a tab must not inherit.
        environ = clean_env(tmp_path, TEXTUAL="devtools", TEXTUAL_PRESS="ctrl+q", SECRET="server-only")
        self.base_env = base_environment(environ, tmp_path / "pack-cache")
        self.spawner = TabSpawner(self.config, self.base_env, self.observed)
        self.kiosk = KioskServer("false", host="127.0.0.1", port=0, max_sessions=max_sessions, spawner=self.spawner)
        self.test_server: TestServer | None = None

    async def __aenter__(self) -> ForkedWeb:
        self.test_server = TestServer(await self.kiosk._make_app(), host="127.0.0.1")
        await self.test_server.start_server()
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.test_server is not None
        await self.test_server.close()  # on_shutdown: every tab stopped, the fork server closed

    def url(self, path: str) -> str:
        assert self.test_server is not None
        return str(self.test_server.make_url(path))

    def fork_server(self) -> int:
        return self.spawner.started_pids[-1]

    def sessions(self) -> list[int]:
        return [pid for pid in children_of(self.fork_server()) if alive(pid)]


async def read_until(ws: aiohttp.ClientWebSocketResponse, needle: bytes, timeout: float = 30) -> bytes:
    data = b""
    deadline = time.monotonic() + timeout
    while needle not in data:
        left = deadline - time.monotonic()
        assert left > 0, f"no {needle!r} within {timeout} s; got {data[-300:]!r}"
        message = await ws.receive(timeout=left)
        if message.type == aiohttp.WSMsgType.BINARY:
            data += message.data
        elif message.type != aiohttp.WSMsgType.TEXT:
            raise AssertionError(f"the tab closed ({message.type}, {ws.close_code}) before {needle!r}")
    return data


async def until(predicate, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


async def test_a_tab_is_forked_with_an_environment_built_from_scratch(tmp_path):
    async with ForkedWeb(tmp_path) as web, aiohttp.ClientSession() as http:
        tab = await http.ws_connect(web.url("/ws?width=100000&height=3"))
        await read_until(tab, HOME_TEXT.encode())  # TEXTUAL_PRESS=ctrl+q would have ended it at once
        [pid] = web.sessions()  # the fork server's child, not the web server's
        assert pid not in children_of(os.getpid())
        environ = json.loads((web.observed / f"{pid}.json").read_text(encoding="utf-8"))
        home = environ.pop("HOME")
        assert environ == {
            **web.base_env,
            **WEB_DRIVER_ENVIRONMENT,
            "TERM": "xterm-256color",
            "COLUMNS": str(MAX_SIZE[0]),  # the browser's claim, clamped as over SSH
            "ROWS": str(MIN_SIZE[1]),
        }
        assert "SECRET" not in environ and "TEXTUAL" not in environ
        assert Path(home).is_dir() and Path(home).name.startswith("kiosk-web-home-")
        await tab.send_json(["stdin", "\x11"])  # Ctrl+Q: the remote profile ends the session
        assert await until(lambda: tab.closed or not alive(pid))
        assert await until(lambda: not Path(home).exists() and not web.kiosk.sessions)


async def test_every_tab_comes_from_the_one_fork_server(tmp_path):
    async with ForkedWeb(tmp_path) as web, aiohttp.ClientSession() as http:
        tabs = [await http.ws_connect(web.url("/ws?width=90&height=30")) for _ in range(3)]
        for tab in tabs:
            await read_until(tab, HOME_TEXT.encode())
        assert len(web.sessions()) == 3 and len(web.spawner.started_pids) == 1
        pids = web.sessions()
        for tab in tabs:
            await tab.close()
        assert await until(lambda: not web.kiosk.sessions and not any(alive(pid) for pid in pids))


async def test_a_fork_server_that_dies_is_replaced_for_the_next_tab(tmp_path):
    async with ForkedWeb(tmp_path) as web, aiohttp.ClientSession() as http:
        first = await http.ws_connect(web.url("/ws"))
        await read_until(first, HOME_TEXT.encode())
        [dead] = web.spawner.started_pids
        os.kill(dead, signal.SIGKILL)
        assert await until(lambda: not web.spawner.client.running)
        # The tab already open keeps its kiosk (its process outlives the fork server that made it).
        await first.send_json(["stdin", "\t"])
        tab = await http.ws_connect(web.url("/ws"))
        await read_until(tab, HOME_TEXT.encode())
        assert len(web.spawner.started_pids) == 2 and web.spawner.client.running
        for ws in (first, tab):
            await ws.close()
        assert await until(lambda: not web.kiosk.sessions)


async def test_a_tab_that_cannot_be_forked_is_told_so_and_frees_its_slot(tmp_path):
    async with ForkedWeb(tmp_path, max_sessions=1) as web, aiohttp.ClientSession() as http:

        async def broken(width: int, height: int):
            from kiosk.forkserver.client import SpawnError

            raise SpawnError("the fork server stopped")

        web.spawner.spawn = broken  # type: ignore[method-assign]
        tab = await http.ws_connect(web.url("/ws"))
        message = await tab.receive(timeout=10)
        assert message.type == aiohttp.WSMsgType.BINARY and message.data == UNAVAILABLE_TERMINAL
        assert "暂时无法开始服务".encode() in message.data
        assert await until(lambda: tab.closed or not web.kiosk.sessions)
        assert await until(lambda: not web.kiosk.sessions)
