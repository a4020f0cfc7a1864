"""The front doors as operators run them: `kiosk ssh` and `kiosk web` keep their status files,
serve their metrics, log every session and refusal, and reload on SIGHUP; `kiosk status` sees them.

Every server is the installed command in a process group of its own, on free loopback ports, with
its own state folder; every test ends what it started.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import aiohttp
import pytest
from helpers import wait_until
from ssh.client import HOME_TEXT, Terminal
from web.helpers import clean_env, free_port, stop_group

pytestmark = pytest.mark.slow

KIOSK = [sys.executable, "-m", "kiosk"]


class Door:
    """`kiosk ssh` or `kiosk web` started as a command, with its state folder and its log."""

    def __init__(self, tmp_path: Path, door: str, config: str = "") -> None:
        self.door = door
        self.home = tmp_path / door
        self.home.mkdir()
        self.state = self.home / "state"
        self.port = free_port()
        self.metrics_port = free_port()
        self.config = self.home / "kiosk.toml"
        self.env = clean_env(self.home, XDG_STATE_HOME=str(self.state), KIOSK_PACK_CACHE=str(self.home / "cache"))
        self.write_config(config)
        self.log_path = self.home / "door.log"
        self.access_log = self.home / "access.log"
        if door == "ssh":
            argv = ["ssh", "--listen", f"127.0.0.1:{self.port}", "--host-key", str(self.home / "host_key")]
            argv += ["--access-log", str(self.access_log)]
        else:
            argv = ["web", "--port", str(self.port)]
        self.stderr = open(self.log_path, "w+b")  # noqa: SIM115  (closed in stop())
        self.proc = subprocess.Popen(
            [*KIOSK, *argv, "--config", str(self.config)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self.stderr,
            env=self.env,
            start_new_session=True,
        )
        assert wait_until(lambda: self.status() is not None or self.proc.poll() is not None, 60), self.log()
        assert self.proc.poll() is None, self.log()

    def write_config(self, extra: str) -> None:
        self.config.write_text(
            f'default_locale = "zh-CN"\n\n[{self.door}]\nmetrics_listen = "127.0.0.1:{self.metrics_port}"\n{extra}',
            encoding="utf-8",
        )

    @property
    def status_file(self) -> Path:
        return self.state / "wallet-kiosk" / f"{self.door}-status.json"

    def status(self) -> dict | None:
        try:
            return json.loads(self.status_file.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return None

    def kiosk_status(self) -> tuple[int, dict]:
        """`kiosk status --json` as an operator runs it, with the door's folders."""
        done = subprocess.run(
            [*KIOSK, "status", "--json", "--config", str(self.config), "--expect", self.door],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        report = json.loads(done.stdout)
        [door] = [d for d in report["doors"] if d["door"] == self.door]
        return done.returncode, door

    def metrics(self) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/metrics", timeout=10) as response:
            return response.read().decode("utf-8")

    def log(self) -> str:
        self.stderr.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        stop_group(self.proc)
        self.stderr.close()


@pytest.fixture
def doors():
    started: list[Door] = []
    yield started
    for door in started:
        door.stop()


def sample(metrics: str, name: str) -> float:
    """The value of one sample line of the exposition (name with its labels)."""
    for line in metrics.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    raise AssertionError(f"no sample {name} in:\n{metrics}")


async def home_screen(tab: aiohttp.ClientWebSocketResponse, timeout: float = 30) -> None:
    """Read a tab's terminal output until the kiosk's home screen is drawn."""
    data = b""
    deadline = time.monotonic() + timeout
    while HOME_TEXT.encode() not in data:
        message = await tab.receive(timeout=max(0.1, deadline - time.monotonic()))
        assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT), message
        if message.type == aiohttp.WSMsgType.BINARY:
            data += message.data


async def eventually(predicate, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.1)


async def test_kiosk_ssh_reports_itself_in_its_status_file_metrics_and_kiosk_status(tmp_path, doors):
    door = Door(tmp_path, "ssh", "max_sessions = 1\nmax_sessions_per_address = 1\n")
    doors.append(door)
    status = door.status()
    assert status is not None
    assert status["pid"] == door.proc.pid and status["listening"] == [f"127.0.0.1:{door.port}"]
    _, seen = door.kiosk_status()
    assert seen["state"] == "running" and seen["sessions_active"] == 0, seen

    term = await Terminal.open(door.port)
    await term.wait_for(HOME_TEXT)
    await eventually(lambda: (door.status() or {}).get("sessions_active") == 1)
    # The cap is one: a second customer is refused, and the refusal is counted by its reason.
    second = await Terminal.open(door.port)
    await second.wait_closed()
    await eventually(lambda: (door.status() or {}).get("refused", {}).get("global-cap") == 1)
    _, seen = door.kiosk_status()
    assert seen["state"] == "running" and seen["sessions_active"] == 1 and seen["refused"]["global-cap"] == 1

    term.send(b"\x11")  # Ctrl+Q: the customer quits
    await term.wait_closed()
    await eventually(lambda: (door.status() or {}).get("sessions_active") == 0)
    metrics = door.metrics()
    assert sample(metrics, 'kiosk_door_sessions_total{door="ssh"}') == 1
    assert sample(metrics, 'kiosk_door_sessions_active{door="ssh"}') == 0
    assert sample(metrics, 'kiosk_door_refused_total{door="ssh",reason="global-cap"}') == 1
    assert sample(metrics, 'kiosk_door_refused_total{door="ssh",reason="per-address-cap"}') == 0
    assert sample(metrics, 'kiosk_door_session_duration_seconds_count{door="ssh"}') == 1
    assert sample(metrics, 'kiosk_packs{status="loaded"}') >= 2
    assert 'exit="customer quit"' in door.access_log.read_text(encoding="utf-8")

    door.proc.send_signal(signal.SIGTERM)
    assert door.proc.wait(20) == 0
    assert not door.status_file.exists()  # a clean stop removes it: "not running", not "died"
    code, seen = door.kiosk_status()
    assert seen["state"] == "not running" and code == 2  # it is expected here: broken


async def test_the_status_file_is_rewritten_every_ten_seconds(tmp_path, doors):
    door = Door(tmp_path, "ssh")
    doors.append(door)
    first = door.status()
    assert first is not None
    await eventually(lambda: (door.status() or {}).get("updated") != first["updated"], timeout=13)


async def test_a_door_that_dies_is_reported_stopped(tmp_path, doors):
    door = Door(tmp_path, "ssh")
    doors.append(door)
    os.killpg(door.proc.pid, signal.SIGKILL)
    door.proc.wait(10)
    code, seen = door.kiosk_status()
    assert seen["state"] == "stopped" and "gone" in seen["detail"] and code == 2


async def test_sighup_reloads_kiosk_ssh_and_keeps_open_sessions(tmp_path, doors):
    door = Door(tmp_path, "ssh", "max_sessions = 5\n")
    doors.append(door)
    term = await Terminal.open(door.port)
    await term.wait_for(HOME_TEXT)
    door.write_config("max_sessions = 1\nmax_sessions_per_address = 1\n")
    door.proc.send_signal(signal.SIGHUP)
    assert wait_until(lambda: "reloaded: at most 1 sessions" in door.log(), 30), door.log()
    assert door.proc.poll() is None
    # The open session goes on: it still answers keys (Ctrl+L switches the language).
    term.send(b"\x0c")
    await term.wait_for("Wallet Help Kiosk")
    # The new cap applies to new sessions.
    second = await Terminal.open(door.port)
    await second.wait_closed()
    assert "1 sessions are open" in bytes(second.session.raw).decode()
    # A broken file changes nothing and says why.
    door.write_config("max_sessions = 0\n")
    door.proc.send_signal(signal.SIGHUP)
    assert wait_until(lambda: "reload refused" in door.log(), 30), door.log()
    assert door.proc.poll() is None
    term.close()


async def test_kiosk_web_reports_itself_logs_sessions_and_reloads_on_sighup(tmp_path, doors):
    door = Door(tmp_path, "web", "")
    doors.append(door)
    status = door.status()
    assert status is not None and status["listening"] == [f"127.0.0.1:{door.port}"]
    async with aiohttp.ClientSession() as http:
        tab = await http.ws_connect(f"http://127.0.0.1:{door.port}/ws?width=100&height=30")
        await eventually(lambda: (door.status() or {}).get("sessions_active") == 1, 30)
        _, seen = door.kiosk_status()
        assert seen["state"] == "running" and seen["sessions_active"] == 1
        door.proc.send_signal(signal.SIGHUP)
        assert wait_until(lambda: "reloaded" in door.log(), 30), door.log()
        assert door.proc.poll() is None and not tab.closed
        await tab.close()
        await eventually(lambda: (door.status() or {}).get("sessions_active") == 0, 30)
        assert wait_until(lambda: "kiosk-web end" in door.log(), 15)
        # A customer who quits (Ctrl+Q) is logged as such, with how long the visit lasted.
        tab = await http.ws_connect(f"http://127.0.0.1:{door.port}/ws?width=100&height=30")
        await eventually(lambda: (door.status() or {}).get("sessions_total") == 2, 30)
        await home_screen(tab)  # the kiosk is up and reading keys
        await tab.send_json(["stdin", "\x11"])
        assert wait_until(lambda: 'reason="customer quit"' in door.log(), 30), door.log()
        await tab.close()
        # A page from another site is turned away, counted and logged.
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await http.ws_connect(f"http://127.0.0.1:{door.port}/ws", headers={"Origin": "http://evil.example"})
    log = door.log()
    assert "kiosk-web start address=127.0.0.1 sessions=1/50" in log
    assert 'reason="disconnected"' in log and "duration=" in log
    assert "kiosk-web refused address=127.0.0.1 reason=other-site" in log
    metrics = door.metrics()
    assert sample(metrics, 'kiosk_door_sessions_total{door="web"}') == 2
    assert sample(metrics, 'kiosk_door_session_duration_seconds_count{door="web"}') == 2
    assert sample(metrics, 'kiosk_door_refused_total{door="web",reason="other-site"}') == 1
    door.proc.send_signal(signal.SIGTERM)
    assert door.proc.wait(20) == 0
    assert not door.status_file.exists()


async def test_kiosk_web_logs_and_counts_a_refusal_at_the_cap(tmp_path, doors):
    door = Door(tmp_path, "web", "")
    doors.append(door)
    door.proc.send_signal(signal.SIGHUP)  # nothing changed: still a reload, still running
    async with aiohttp.ClientSession() as http:
        # Lower the cap in [ssh] (the web door's default) and reload: one tab at most.
        door.config.write_text(
            door.config.read_text(encoding="utf-8") + "\n[ssh]\nmax_sessions = 1\nmax_sessions_per_address = 1\n",
            encoding="utf-8",
        )
        door.proc.send_signal(signal.SIGHUP)
        assert wait_until(lambda: "at most 1 sessions" in door.log(), 30), door.log()
        tab = await http.ws_connect(f"http://127.0.0.1:{door.port}/ws?width=100&height=30")
        await eventually(lambda: (door.status() or {}).get("sessions_active") == 1, 30)
        extra = await http.ws_connect(f"http://127.0.0.1:{door.port}/ws?width=100&height=30")
        await extra.receive(timeout=10)
        await eventually(lambda: (door.status() or {}).get("refused", {}).get("global-cap") == 1)
        assert "kiosk-web refused address=127.0.0.1 reason=global-cap sessions=1/1" in door.log()
        await extra.close()
        await tab.close()


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as file:
            return [int(word) for word in file.read().split()]
    except OSError:
        return []


async def test_a_web_reload_gives_new_tabs_a_new_fork_server_and_retires_the_old_one(tmp_path, doors):
    door = Door(tmp_path, "web", "")
    doors.append(door)
    await eventually(lambda: len(children(door.proc.pid)) == 1, 30)
    [old] = children(door.proc.pid)  # the fork server
    async with aiohttp.ClientSession() as http:
        first = await http.ws_connect(f"http://127.0.0.1:{door.port}/ws?width=100&height=30")
        await home_screen(first)
        door.proc.send_signal(signal.SIGHUP)
        assert wait_until(lambda: "new tabs get a new fork server" in door.log(), 60), door.log()
        [new] = [pid for pid in children(door.proc.pid) if pid != old]
        assert old in children(door.proc.pid)  # still serving the open tab
        second = await http.ws_connect(f"http://127.0.0.1:{door.port}/ws?width=100&height=30")
        await home_screen(second)
        assert children(new), "the new tab's kiosk comes from the new fork server"
        await first.close()
        await eventually(lambda: old not in children(door.proc.pid), 30)  # retired after its last tab
        assert door.proc.poll() is None and not second.closed
        await second.close()


async def test_a_taken_metrics_address_stops_the_start_with_a_reason(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        home = tmp_path / "h"
        home.mkdir()
        config = home / "kiosk.toml"
        config.write_text(f'[ssh]\nmetrics_listen = "127.0.0.1:{port}"\n', encoding="utf-8")
        done = subprocess.run(
            [*KIOSK, "ssh", "--config", str(config), "--listen", f"127.0.0.1:{free_port()}"],
            env=clean_env(home, XDG_STATE_HOME=str(home / "state")),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert f"cannot serve metrics on 127.0.0.1:{port}" in done.stderr and "Traceback" not in done.stderr
