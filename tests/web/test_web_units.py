"""`kiosk web`'s checks, one at a time: loopback, origins, sizes, the session command, the overrides."""

from __future__ import annotations

import argparse
import asyncio
import json
import shlex
import sys
import time

import pytest
from helpers import run_kiosk, run_python

from kiosk import web
from kiosk.forkserver.environment import DEFAULT_SIZE, MAX_SIZE, MIN_SIZE, size_from_client
from kiosk.web import server as web_server


@pytest.mark.parametrize(
    "host, loopback",
    [
        ("127.0.0.1", True),
        ("127.3.2.1", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("10.0.0.1", False),
        ("kiosk.example", False),
        ("localhost.example", False),
        ("", False),
    ],
)
def test_only_loopback_addresses_count_as_loopback(host, loopback):
    assert web.is_loopback(host) is loopback


def test_origins_on_loopback_are_the_loopback_names_for_the_port():
    allowed = web.allowed_origins("127.0.0.1", 8000, "http://127.0.0.1:8000")
    for origin in ("http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:8000", "HTTP://LocalHost:8000/"):
        assert web.origin_allowed(origin, allowed), origin
    for origin in (
        "http://evil.example",
        "http://127.0.0.1:8001",
        "https://127.0.0.1:8000",
        "null",
        "",
        "http://localhost.evil.example:8000",
        "http://[::1",
    ):
        assert not web.origin_allowed(origin, allowed), origin
    assert web.origin_allowed(None, allowed)  # not a browser: nothing to protect against here


def test_behind_a_proxy_only_the_public_origin_may_open_sessions():
    allowed = web.allowed_origins("0.0.0.0", 8000, "https://help.bank.example:443/kiosk")
    assert allowed == frozenset({"https://help.bank.example"})
    assert web.origin_allowed("https://help.bank.example", allowed)
    assert not web.origin_allowed("http://localhost:8000", allowed)


@pytest.mark.parametrize(
    "width, height, expected",
    [
        (100, 30, (100, 30)),
        ("120", "40", (120, 40)),
        (1, 1, MIN_SIZE),
        (0, 0, DEFAULT_SIZE),  # "unknown", as SSH clients may say
        (-5, 30, DEFAULT_SIZE),
        (10**9, 10**9, MAX_SIZE),
        ("65535", "65535", MAX_SIZE),
        ("100", 3, (100, MIN_SIZE[1])),
        ("wide", 30, None),
        (1.5, 30, None),
        (None, 30, None),
        (True, 30, None),
        ([80], 24, None),
        (80, {}, None),
    ],
)
def test_claimed_terminal_sizes_are_clamped_or_ignored(width, height, expected):
    assert size_from_client(width, height) == expected


def test_each_tab_runs_the_remote_profile_with_the_resolved_config(tmp_path):
    config = tmp_path / "a folder with spaces" / "kiosk.toml"
    command = web.session_command(config)
    assert command.startswith("exec ")
    assert shlex.split(command)[1:] == [sys.executable, "-m", "kiosk", "--remote", "--config", str(config)]


def test_the_default_cap_is_the_ssh_front_doors():
    from kiosk.config import Settings
    from kiosk.config.remote import SshSettings

    assert web.remote_settings(Settings()).max_sessions == SshSettings().max_sessions
    assert web.remote_settings(Settings(ssh={"max_sessions": 7})).max_sessions == 7


def test_the_command_line_stays_free_of_the_web_server():
    result = run_python("""
        import sys
        from kiosk.cli import build_parser
        args = build_parser().parse_args(["web", "--port", "8123", "--max-sessions", "3"])
        assert (args.command, args.port, args.max_sessions, args.host) == ("web", 8123, 3, "127.0.0.1"), args
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("textual_serve", "aiohttp", "textual"))
        print(loaded)
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.slow
def test_refuses_a_public_address_without_public(tmp_path):
    result = run_kiosk("web", "--host", "0.0.0.0", "--port", "8123", env_extra={"HOME": str(tmp_path)}, timeout=30)
    assert result.returncode == 2
    assert "refusing to listen on 0.0.0.0" in result.stderr and "no authentication" in result.stderr
    assert "--public" in result.stderr
    assert result.stdout == ""


@pytest.mark.slow
@pytest.mark.parametrize(
    "args, message",
    [
        (["--max-sessions", "0"], "--max-sessions: 0 is outside 1-1000"),
        (["--port", "0"], "port 0 is outside 1-65535"),
        (["--port", "http"], "'http' is not a port number"),
    ],
)
def test_bad_numbers_are_usage_errors(tmp_path, args, message):
    result = run_kiosk("web", *args, env_extra={"HOME": str(tmp_path)}, timeout=30)
    assert result.returncode == 2
    assert message in result.stderr


def test_the_help_says_why_public_needs_care():
    from kiosk.cli import build_parser

    parser = build_parser()
    [subcommands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    sub = subcommands.choices["web"]
    text = " ".join(sub.format_help().split())
    assert "no authentication" in text and "access control" in text


# -- the overrides of textual-serve's session, in this process ------------------------------------


class Remote:
    """Stands in for the browser's websocket."""

    def __init__(self) -> None:
        self.bytes: list[bytes] = []
        self.strings: list[str] = []
        self.closed = 0

    async def write_bytes(self, data: bytes) -> None:
        self.bytes.append(data)

    async def write_str(self, data: str) -> None:
        self.strings.append(data)

    async def close(self) -> None:
        self.closed += 1


def service(command: str, remote: Remote):
    from textual_serve.download_manager import DownloadManager

    from kiosk.web.server import KioskAppService

    return KioskAppService(
        command,
        write_bytes=remote.write_bytes,
        write_str=remote.write_str,
        close=remote.close,
        download_manager=DownloadManager(),
    )


async def test_only_exit_reaches_the_browser():
    remote = Remote()
    session = service("true", remote)
    await session.on_meta(json.dumps({"type": "open_url", "url": "https://evil.example/", "new_tab": True}).encode())
    await session.on_meta(
        json.dumps(
            {
                "type": "deliver_file_start",
                "key": "k",
                "path": "/etc/passwd",
                "open_method": "download",
                "mime_type": "text/plain",
                "encoding": "utf-8",
            }
        ).encode()
    )
    await session.on_packed(b"anything")
    assert remote.strings == [] and remote.bytes == [] and remote.closed == 0
    await session.on_meta(b'{"type": "exit"}')
    assert remote.closed == 1


def test_the_sessions_environment_keeps_only_textual_serves_own_textual_variables(monkeypatch):
    monkeypatch.setenv("TEXTUAL", "devtools,debug")
    monkeypatch.setenv("TEXTUAL_PRESS", "ctrl+q")
    monkeypatch.setenv("TEXTUAL_DEVTOOLS_HOST", "evil.example")
    monkeypatch.setenv("KIOSK_PACKS_BLOCK", "wechat")
    env = service("true", Remote())._build_environment(120, 40)
    assert env["TEXTUAL_DRIVER"] == "textual.drivers.web_driver:WebDriver"
    assert {name for name in env if name.startswith("TEXTUAL")} == web_server.SERVE_VARIABLES
    assert env["COLUMNS"] == "120" and env["ROWS"] == "40"
    assert env["KIOSK_PACKS_BLOCK"] == "wechat"  # the operator's own kiosk settings still apply


async def test_a_process_that_will_not_quit_is_killed_and_reaped(monkeypatch):
    monkeypatch.setattr(web_server, "STOP_GRACE", 0.5)
    remote = Remote()
    session = service("exec sleep 30", remote)
    await session.start(80, 24)
    process = session._process
    started = time.monotonic()
    await asyncio.wait_for(session.stop(), 10)
    assert time.monotonic() - started < 5
    assert process.returncode == -9
    await asyncio.wait_for(session.stop(), 5)  # a second stop is harmless


async def test_a_process_that_ends_by_itself_closes_its_tab():
    remote = Remote()
    session = service("exit 3", remote)
    await session.start(80, 24)
    task = session._task
    await asyncio.wait_for(task, 10)
    assert remote.closed >= 1
    await asyncio.wait_for(session.stop(), 10)
    assert session._process.returncode == 3


async def test_resizes_reach_the_kiosk_clamped():
    remote = Remote()
    session = service("exec cat", remote)  # echoes what the kiosk would receive
    await session.start(80, 24)
    try:
        await session.set_terminal_size(10**6, 3)
        await session.set_terminal_size("x", 30)  # ignored
        await session.set_terminal_size(100, 30)
        stdout = session._process.stdout
        session._task.cancel()  # read the echo here instead of textual-serve's reader
        echoed = b""
        while echoed.count(b"resize") < 2:
            echoed += await asyncio.wait_for(stdout.read(4096), 5)
    finally:
        session._process.kill()
        await session._process.wait()
    sizes = [
        json.loads(echoed[at + 5 : at + 5 + int.from_bytes(echoed[at + 1 : at + 5], "big")])
        for at in _frame_starts(echoed)
    ]
    assert [(s["width"], s["height"]) for s in sizes] == [(MAX_SIZE[0], MIN_SIZE[1]), (100, 30)]


def _frame_starts(stream: bytes) -> list[int]:
    starts, at = [], 0
    while at < len(stream):
        starts.append(at)
        at += 5 + int.from_bytes(stream[at + 1 : at + 5], "big")
    return starts


@pytest.mark.slow
def test_a_port_in_use_is_reported_and_nothing_claims_to_serve(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_kiosk("web", "--port", str(port), env_extra={"HOME": str(tmp_path)}, timeout=30)
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "serving" not in result.stderr and result.stdout == ""


@pytest.mark.slow
@pytest.mark.parametrize("url", ["help.bank.example", "ftp://help.bank.example", "https://", "https://x/?a=1"])
def test_a_public_url_must_be_a_web_address(tmp_path, url):
    result = run_kiosk("web", "--public-url", url, env_extra={"HOME": str(tmp_path)}, timeout=30)
    assert result.returncode == 2
    assert "--public-url" in result.stderr
