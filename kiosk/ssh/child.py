"""A session's kiosk process as the SSH server holds it, and the two ways to start one.

`spawn` in [ssh] chooses:
* "fork-server" (default): `ForkServerSpawner` asks the fork server (kiosk.forkserver),
  which has imported Textual, loaded the packs and built the search index once, to fork a
  kiosk onto the session's pty;
* "exec": `ExecSpawner` (kiosk.ssh.spawn_exec) forks and execs `python -m kiosk --remote`.

Either way the session gets a fresh pty (kiosk.ssh.pty), a fresh empty HOME and an
environment built from scratch (kiosk.forkserver.environment), and the server holds a
pidfd for its process (kiosk.forkserver.client.SessionProcess).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from kiosk.forkserver.client import ForkServerClient, SessionProcess
from kiosk.forkserver.environment import session_environment
from kiosk.forkserver.protocol import STOP_GRACE, Stdio
from kiosk.ssh.pty import open_pty


class Child:
    """One SSH session's kiosk: its process, the server's side of its pty, its own HOME folder."""

    def __init__(self, process: SessionProcess, master: int, home: str) -> None:
        self.process = process
        self.master = master
        self.home = home

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def exited(self) -> asyncio.Future[int | None]:
        """Resolves with the exit code (None if it could not be known) once the process has exited."""
        return self.process.exited

    def send_signal(self, signum: int) -> None:
        self.process.send_signal(signum)

    async def stop(self, grace: float = STOP_GRACE) -> int | None:
        return await self.process.stop(grace)

    def close(self) -> None:
        """Release the server's handles (after the process has exited)."""
        with contextlib.suppress(OSError):
            os.close(self.master)
        self.process.close()
        shutil.rmtree(self.home, ignore_errors=True)


def new_home() -> str:
    """A fresh, empty HOME for one session, removed by Child.close()."""
    return tempfile.mkdtemp(prefix="kiosk-ssh-home-")


class Spawner(Protocol):
    """How the server starts each session's kiosk."""

    name: str

    async def start(self) -> None: ...

    async def spawn(self, term: str | None, width: int, height: int) -> Child: ...

    async def close(self) -> None: ...


class ForkServerSpawner:
    """Sessions forked by the fork server, onto a fresh pty each."""

    name = "fork-server"

    def __init__(self, config_path: Path | None, base_env: Mapping[str, str], observe_dir: Path | None = None) -> None:
        self.base_env = dict(base_env)
        self.client = ForkServerClient(config_path, base_env, name="kiosk ssh", observe_dir=observe_dir)

    async def start(self) -> None:
        await self.client.start()

    async def spawn(self, term: str | None, width: int, height: int) -> Child:
        home = new_home()
        master, slave = open_pty(width, height)
        try:
            process = await self.client.spawn(session_environment(self.base_env, term, home), home, Stdio.PTY, [slave])
        except BaseException:
            os.close(master)
            shutil.rmtree(home, ignore_errors=True)
            raise
        finally:
            os.close(slave)
        return Child(process, master, home)

    async def close(self) -> None:
        await self.client.close()
