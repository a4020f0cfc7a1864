"""The front door's side of the fork server: start it, ask it for session processes, hold them.

`ForkServerClient` starts `python -m kiosk.forkserver.server` with an environment of the
front door's choosing and talks to it over a socket pair (kiosk.forkserver.protocol). Its
`spawn()` sends a request with the session's terminal (a pty slave, or three pipes) and
environment, and returns a `SessionProcess`. A fork server that dies fails what waits on it;
the next `spawn()` starts a new one.

`SessionProcess` is how a front door holds any session's kiosk, forked here or started
another way: a pidfd, so it is told the moment the process exits and signals it without any
risk of hitting a recycled pid, and a future of its exit code.

Standard library only: nothing of Textual, asyncssh or textual-serve.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from kiosk.forkserver import protocol
from kiosk.forkserver.protocol import STOP_GRACE, Exited, Failed, Message, Ready, Spawn, Spawned, Stdio


class SpawnError(RuntimeError):
    """No session process: the fork server failed the request, did not start, or stopped."""


class SessionProcess:
    """One session's kiosk process, as its front door holds it."""

    def __init__(self, pid: int, pidfd: int) -> None:
        self.pid = pid
        self.pidfd = pidfd
        #: Resolves with the exit code (None if it could not be known) once the process has exited.
        self.exited: asyncio.Future[int | None] = asyncio.get_running_loop().create_future()

    def send_signal(self, signum: int) -> None:
        if self.exited.done():
            return
        with contextlib.suppress(ProcessLookupError, OSError):
            signal.pidfd_send_signal(self.pidfd, signum)

    async def stop(self, grace: float = STOP_GRACE) -> int | None:
        """SIGTERM, SIGKILL after `grace` seconds; returns once the process is gone."""
        if not self.exited.done():
            self.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(asyncio.shield(self.exited), grace)
            except TimeoutError:
                self.send_signal(signal.SIGKILL)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.shield(self.exited), 5)
        return self.exited.result() if self.exited.done() else None

    def when_gone(self, callback: Callable[[], None]) -> None:
        """Call `callback` once, as soon as the process has exited (its pidfd becomes readable)."""
        loop = asyncio.get_running_loop()

        def readable() -> None:
            loop.remove_reader(self.pidfd)
            callback()

        loop.add_reader(self.pidfd, readable)

    def close(self) -> None:
        """Release the pidfd (after the process has exited)."""
        protocol.close_all([self.pidfd])


class ForkServerClient:
    """Session processes forked by a pre-started fork server that did the slow work once."""

    #: Seconds the fork server may take to import, load packs and build the search index.
    READY_TIMEOUT = 60.0
    #: Seconds a spawn request may take.
    SPAWN_TIMEOUT = 10.0
    #: Seconds to wait for the fork server's exit report once a process's pidfd says it is gone.
    EXIT_REPORT_TIMEOUT = 2.0

    def __init__(
        self,
        config_path: Path | None,
        environ: Mapping[str, str],
        *,
        name: str,
        observe_dir: Path | None = None,
    ) -> None:
        """`environ` is the fork server's own environment; `name` prefixes what it logs."""
        self.config_path = config_path
        self.environ = dict(environ)
        self.name = name
        #: Tests only: each session writes its environment to observe_dir/<pid>.json before starting.
        self.observe_dir = observe_dir
        self._sock: socket.socket | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._requests: dict[int, asyncio.Future[SessionProcess]] = {}
        self._sessions: dict[int, SessionProcess] = {}
        self._next_id = 0
        self._ready: asyncio.Future[Ready] | None = None
        self._lock: asyncio.Lock | None = None
        #: Every fork server process started (normally one), for tests and the curious.
        self.started_pids: list[int] = []
        self._handlers: dict[type[Message], Callable[[Message, list[int]], None]] = {
            Ready: self._on_ready,
            Spawned: self._on_spawned,
            Failed: self._on_failed,
            Exited: self._on_exited,
        }

    @property
    def running(self) -> bool:
        """A fork server is connected (it may still be preparing)."""
        return self._sock is not None

    def argv(self, fd: int) -> list[str]:
        """The fork server's command line, its end of the socket pair being `fd`."""
        argv = [sys.executable, "-m", "kiosk.forkserver.server", "--fd", str(fd), "--name", self.name]
        if self.config_path is not None:
            argv += ["--config", str(self.config_path)]
        if self.observe_dir is not None:
            argv += ["--observe", str(self.observe_dir)]
        return argv

    async def start(self) -> None:
        """Start the fork server, and return once it is ready (SpawnError if it is not, in time)."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self._sock is not None:
                return
            loop = asyncio.get_running_loop()
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            try:
                self._process = subprocess.Popen(
                    self.argv(theirs.fileno()),
                    env=self.environ,
                    pass_fds=[theirs.fileno()],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    cwd="/",
                    start_new_session=True,
                )
            except BaseException:
                ours.close()
                raise
            finally:
                theirs.close()
            self.started_pids.append(self._process.pid)
            ours.setblocking(False)
            self._sock = ours
            self._ready = loop.create_future()
            loop.add_reader(ours.fileno(), self._receive)
            try:
                await asyncio.wait_for(asyncio.shield(self._ready), self.READY_TIMEOUT)
            except (TimeoutError, SpawnError) as exc:
                await self._discard()
                raise SpawnError(f"the fork server did not start: {exc or 'timed out'}") from None

    # -- messages from the fork server ------------------------------------------------------
    def _receive(self) -> None:
        while self._sock is not None:
            try:
                received = protocol.receive(self._sock)
            except (BlockingIOError, InterruptedError):
                return
            except protocol.ProtocolError as exc:
                print(f"{self.name}: dropped a message from the fork server: {exc}", file=sys.stderr, flush=True)
                continue
            if received is None:
                self._lost()
                return
            message, fds = received
            try:
                self._handlers[type(message)](message, fds)
            finally:
                protocol.close_all(fds)  # whatever the handler did not take

    def _on_ready(self, message: Message, fds: list[int]) -> None:
        assert isinstance(message, Ready)
        if self._ready is not None and not self._ready.done():
            self._ready.set_result(message)

    def _on_spawned(self, message: Message, fds: list[int]) -> None:
        assert isinstance(message, Spawned)
        if not fds:
            self._on_failed(Failed(message.id, "no pidfd came with the new process"), fds)
            return
        process = SessionProcess(message.pid, fds.pop(0))
        future = self._requests.pop(message.id, None)
        if future is None or future.done():  # nobody waits any more: the session was abandoned
            process.send_signal(signal.SIGKILL)
            process.close()
            return
        # Registered before anyone awaits it, so an exit report that follows at once is not lost.
        self._sessions[process.pid] = process
        future.set_result(process)

    def _on_failed(self, message: Message, fds: list[int]) -> None:
        assert isinstance(message, Failed)
        future = self._requests.pop(message.id, None)
        if future is not None and not future.done():
            future.set_exception(SpawnError(message.error))

    def _on_exited(self, message: Message, fds: list[int]) -> None:
        assert isinstance(message, Exited)
        process = self._sessions.pop(message.pid, None)
        if process is not None and not process.exited.done():
            process.exited.set_result(message.code)

    def _lost(self) -> None:
        """The fork server is gone: fail what waits on it; the next spawn starts a new one."""
        sock, self._sock = self._sock, None
        if sock is not None:
            asyncio.get_running_loop().remove_reader(sock.fileno())
            sock.close()
        error = SpawnError("the fork server stopped")
        if self._ready is not None and not self._ready.done():
            self._ready.set_exception(error)
        for future in self._requests.values():
            if not future.done():
                future.set_exception(error)
        self._requests.clear()
        process, self._process = self._process, None
        if process is not None:
            with contextlib.suppress(Exception):
                process.wait(timeout=5)

    async def _discard(self) -> None:
        process = self._process
        self._lost()
        if process is not None and process.poll() is None:
            process.kill()
            await asyncio.to_thread(process.wait)

    # -- sessions -----------------------------------------------------------------------
    async def spawn(self, env: Mapping[str, str], cwd: str, stdio: Stdio, fds: Sequence[int]) -> SessionProcess:
        """A new session process on `fds` (the caller keeps and closes its own copies)."""
        if len(fds) != stdio.fd_count:
            raise ValueError(f"{stdio} needs {stdio.fd_count} descriptors, not {len(fds)}")
        if self._sock is None:
            await self.start()
        sock = self._sock
        if sock is None:
            raise SpawnError("the fork server stopped")
        self._next_id += 1
        request_id = self._next_id
        future: asyncio.Future[SessionProcess] = asyncio.get_running_loop().create_future()
        self._requests[request_id] = future
        try:
            protocol.send(sock, Spawn(request_id, dict(env), cwd, stdio), fds)
            process = await asyncio.wait_for(future, self.SPAWN_TIMEOUT)
        except BaseException:
            self._requests.pop(request_id, None)
            raise
        process.when_gone(lambda: self._gone(process))
        return process

    def _gone(self, process: SessionProcess) -> None:
        """The process has exited: the fork server reports its code, unless it is gone too."""
        if process.exited.done():
            return
        if self._sock is None:
            self._sessions.pop(process.pid, None)
            process.exited.set_result(None)
            return

        def unreported() -> None:
            self._sessions.pop(process.pid, None)
            if not process.exited.done():
                process.exited.set_result(None)

        asyncio.get_running_loop().call_later(self.EXIT_REPORT_TIMEOUT, unreported)

    async def close(self) -> None:
        """Stop the fork server (it stops any session it still has) and wait for it, bounded."""
        sock, process = self._sock, self._process
        if sock is not None:
            asyncio.get_running_loop().remove_reader(sock.fileno())
            sock.close()
            self._sock = None
        if process is not None:
            try:
                await asyncio.wait_for(asyncio.to_thread(process.wait), STOP_GRACE + 5)
            except TimeoutError:
                process.kill()
                await asyncio.to_thread(process.wait)
            self._process = None
