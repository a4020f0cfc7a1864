"""A real `kiosk ssh` server per test, on a free loopback port, torn down with every child reaped."""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path

import pytest

pytest.importorskip("asyncssh")
pytest.importorskip("pyte")

from helpers import wait_until_async as wait_until  # noqa: F401  (the SSH tests import it from here)

from kiosk.config.remote import SshSettings
from kiosk.ssh.server import FrontDoor

#: Generous for the tests: limits a test is not about must not get in its way.
TEST_DEFAULTS = dict(
    listen="127.0.0.1:0",
    max_connections_per_minute_per_address=10_000,
    max_unauthenticated=200,
    max_unauthenticated_per_address=200,
    max_sessions=100,
    max_sessions_per_address=100,
)


def process_gone(pid: int) -> bool:
    """Not running and not a zombie (a zombie would mean nobody reaped it)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] in ("X",)
    except FileNotFoundError:
        return True


class Server:
    """Starts FrontDoor instances for a test and checks, at the end, that nothing was left behind."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.fronts: list[FrontDoor] = []
        self.log_path = tmp_path / "access.log"
        self.observe_dir = tmp_path / "observed"
        self.observe_dir.mkdir()
        self.host_key = tmp_path / "keys" / "ssh_host_ed25519_key"

    async def start(
        self, environ: dict[str, str] | None = None, config_path: Path | None = None, **overrides
    ) -> FrontDoor:
        values = {**TEST_DEFAULTS, "host_key": str(self.host_key), "access_log": str(self.log_path), **overrides}
        settings = SshSettings(**values)
        env = dict(os.environ if environ is None else environ)
        env.setdefault("KIOSK_PACK_CACHE", str(self.tmp_path / "pack-cache"))
        front = FrontDoor(settings, config_path, environ=env, observe_dir=self.observe_dir)
        self.fronts.append(front)
        await front.start()
        return front

    def log_lines(self) -> list[str]:
        return self.log_path.read_text(encoding="utf-8").splitlines() if self.log_path.exists() else []

    async def close(self) -> None:
        for front in self.fronts:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(front.close(), 20)


@pytest.fixture
async def server(tmp_path):
    servers = Server(tmp_path)
    try:
        yield servers
    finally:
        await servers.close()
        for front in servers.fronts:
            left = [pid for pid in front.spawned_pids if not process_gone(pid)]
            assert not left, f"session processes left running: {left}"
            client = getattr(front.spawner, "client", None)  # the fork server's, if sessions are forked
            for pid in client.started_pids if client is not None else []:
                assert process_gone(pid), "fork server left running"
