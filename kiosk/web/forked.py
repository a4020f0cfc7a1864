"""Browser tabs' kiosks forked by the fork server, as SSH sessions' are.

A tab's kiosk speaks Textual's web driver protocol over three pipes (stdin, stdout, stderr),
the way textual-serve runs a command. Here the command is not run: `TabSpawner` asks the fork
server (kiosk.forkserver), which has imported Textual, loaded the packs and built the search
index once, to fork a kiosk onto the pipes, and `ForkedTab` gives textual-serve's AppService
the few parts of an asyncio subprocess it uses (the three streams, wait, kill, returncode).

The environment is built from scratch, as for SSH (kiosk.forkserver.environment), plus what
textual-serve gives every app it starts: Textual's web driver, the frame rate, true colour, and
the browser's terminal size. Nothing here imports textual-serve or aiohttp.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import shutil
import signal
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import IO

from kiosk.forkserver.client import ForkServerClient, SessionProcess
from kiosk.forkserver.environment import session_environment
from kiosk.forkserver.protocol import STOP_GRACE, Stdio

#: What textual-serve sets for the app it starts (AppService._build_environment), fixed here.
WEB_DRIVER_ENVIRONMENT = {
    "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
    "TEXTUAL_FPS": "60",
    "TEXTUAL_COLOR_SYSTEM": "truecolor",
    "TERM_PROGRAM": "textual",
}
#: xterm.js, the browser page's terminal, understands what xterm does.
BROWSER_TERM = "xterm-256color"
#: The most a reader of a tab's output buffers before it waits for the browser.
STREAM_LIMIT = 1 << 20


def tab_environment(base: Mapping[str, str], home: str, width: int, height: int) -> dict[str, str]:
    """One tab's environment: a remote session's, Textual's web driver and the tab's size."""
    env = session_environment(base, BROWSER_TERM, home)
    env.update(WEB_DRIVER_ENVIRONMENT)
    # The web driver's first size (it reads COLUMNS and ROWS once); later ones come as messages.
    env.update(COLUMNS=str(width), ROWS=str(height))
    return env


class ForkedTab:
    """One tab's kiosk process, with the face of `asyncio.subprocess.Process` textual-serve uses."""

    def __init__(
        self,
        session: SessionProcess,
        stdin: asyncio.StreamWriter,
        stdout: asyncio.StreamReader,
        stderr: asyncio.StreamReader,
        home: str,
        transports: list[asyncio.BaseTransport],
    ) -> None:
        self.session = session
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.home = home
        self._transports = transports
        self._closed = False

    @property
    def pid(self) -> int:
        return self.session.pid

    @property
    def returncode(self) -> int | None:
        """The exit code once the process has gone (-1 if the fork server could not say), else None."""
        if not self.session.exited.done():
            return None
        code = self.session.exited.result()
        return -1 if code is None else code

    async def wait(self) -> int:
        await asyncio.shield(self.session.exited)
        code = self.returncode
        assert code is not None
        return code

    def send_signal(self, signum: int) -> None:
        self.session.send_signal(signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    async def stop(self, grace: float = STOP_GRACE) -> int | None:
        return await self.session.stop(grace)

    def close(self) -> None:
        """Release the pipes, the pidfd and the tab's HOME (after the process has exited). Safe twice."""
        if self._closed:
            return
        self._closed = True
        for transport in self._transports:
            with contextlib.suppress(Exception):
                transport.close()
        self.session.close()
        shutil.rmtree(self.home, ignore_errors=True)


class TabSpawner:
    """Tabs' kiosks forked by one fork server, started with the web front door and replaced if it dies."""

    name = "fork-server"

    def __init__(self, config_path: Path | None, base_env: Mapping[str, str], observe_dir: Path | None = None) -> None:
        self.base_env = dict(base_env)
        self.client = ForkServerClient(config_path, base_env, name="kiosk web", observe_dir=observe_dir)

    async def start(self) -> None:
        await self.client.start()

    async def spawn(self, width: int, height: int) -> ForkedTab:
        """A new tab's kiosk on fresh pipes (SpawnError if the fork server cannot make one)."""
        home = tempfile.mkdtemp(prefix="kiosk-web-home-")
        stdin_r, stdin_w = os.pipe()
        stdout_r, stdout_w = os.pipe()
        stderr_r, stderr_w = os.pipe()
        ours = [stdin_w, stdout_r, stderr_r]
        try:
            session = await self.client.spawn(
                tab_environment(self.base_env, home, width, height), home, Stdio.PIPES, [stdin_r, stdout_w, stderr_w]
            )
        except BaseException:
            for fd in ours:
                os.close(fd)
            shutil.rmtree(home, ignore_errors=True)
            raise
        finally:
            for fd in (stdin_r, stdout_w, stderr_w):  # the child has its own copies now
                os.close(fd)
        stdin, stdout, stderr = (
            os.fdopen(fd, mode, buffering=0) for fd, mode in zip(ours, ("wb", "rb", "rb"), strict=True)
        )
        try:
            return await _attach(session, home, stdin, stdout, stderr)
        except BaseException:
            for pipe in (stdin, stdout, stderr):
                pipe.close()
            session.send_signal(signal.SIGKILL)
            shutil.rmtree(home, ignore_errors=True)
            raise

    async def close(self) -> None:
        await self.client.close()

    @property
    def started_pids(self) -> list[int]:
        """Every fork server started (more than one if one died and was replaced)."""
        return self.client.started_pids


async def _attach(
    session: SessionProcess, home: str, stdin: IO[bytes], stdout: IO[bytes], stderr: IO[bytes]
) -> ForkedTab:
    """asyncio streams over our ends of the tab's pipes."""
    loop = asyncio.get_running_loop()
    transports: list[asyncio.BaseTransport] = []
    readers = []
    for pipe in (stdout, stderr):
        reader = asyncio.StreamReader(limit=STREAM_LIMIT, loop=loop)
        transport, _ = await loop.connect_read_pipe(functools.partial(asyncio.StreamReaderProtocol, reader), pipe)
        transports.append(transport)
        readers.append(reader)
    write_transport, write_protocol = await loop.connect_write_pipe(asyncio.streams.FlowControlMixin, stdin)
    transports.append(write_transport)
    writer = asyncio.StreamWriter(write_transport, write_protocol, None, loop)
    return ForkedTab(session, writer, readers[0], readers[1], home, transports)
