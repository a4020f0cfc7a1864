"""`systemctl reload`: SIGHUP to the installed `kiosk ssh` applies the file's new limits, reopens
its access log and keeps the sessions that are open; a broken file changes nothing."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ssh.client import HOME_TEXT, Terminal
from ssh.conftest import wait_until

pytestmark = pytest.mark.slow

KIOSK = Path(sys.executable).with_name("kiosk")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_config(path: Path, port: int, log: Path, per_address: int) -> None:
    path.write_text(
        f'[ssh]\nlisten = "127.0.0.1:{port}"\naccess_log = "{log}"\nmax_sessions_per_address = {per_address}\n'
        "max_unauthenticated_per_address = 10\n",
        encoding="utf-8",
    )


@pytest.fixture
def served(tmp_path):
    port = free_port()
    config, log = tmp_path / "kiosk.toml", tmp_path / "access.log"
    write_config(config, port, log, per_address=5)
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    env["KIOSK_PACK_CACHE"] = str(tmp_path / "cache")
    errors = tmp_path / "stderr.txt"
    with errors.open("wb") as err:
        process = subprocess.Popen(
            [str(KIOSK), "--config", str(config), "ssh"], env=env, stdin=subprocess.DEVNULL, stderr=err
        )
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(errors.read_text()) from None
            time.sleep(0.1)
    yield process, port, config, log, errors
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


async def test_sighup_applies_new_limits_and_reopens_the_log_keeping_sessions(served):
    process, port, config, log, errors = served
    first = await Terminal.open(port)
    await first.wait_for(HOME_TEXT)
    second = await Terminal.open(port)
    await second.wait_for(HOME_TEXT)  # five per address: both served

    rotated = log.with_name("access.log.1")
    log.rename(rotated)  # as logrotate does
    write_config(config, port, log, per_address=2)
    process.send_signal(signal.SIGHUP)
    await wait_until(lambda: "reloaded: at most" in errors.read_text(), 30, "the reload")

    third = await Terminal.open(port)  # now two per address: refused
    await third.wait_closed()
    assert "sessions open, the most allowed" in bytes(third.session.raw).decode()
    first.send("\x0c")  # the open sessions carry on
    await first.wait_for("Wallet Help Kiosk")
    await wait_until(lambda: log.exists() and "refused: per-address-cap" in log.read_text(), 10, "the new log")
    assert "refused" not in rotated.read_text()

    config.write_text("[ssh]\nmax_sessions = -1\n", encoding="utf-8")  # a mistake
    process.send_signal(signal.SIGHUP)
    await wait_until(lambda: "reload refused" in errors.read_text(), 30, "the refusal to reload")
    assert process.poll() is None
    for term in (first, second):
        term.close()
    await asyncio.sleep(0.5)
    assert process.poll() is None
