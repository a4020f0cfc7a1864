"""The per-session kiosk process: its environment, its terminal, starting it and reaping it.

Each session gets a pseudo-terminal whose slave side is the child's
controlling terminal (`os.login_tty`: setsid + TIOCSCTTY + stdin/stdout/stderr).
Without the controlling terminal a TIOCSWINSZ on the master never becomes a
SIGWINCH in the child and resizes silently never arrive. The slave starts in
the same input mode Textual sets (no echo, no line editing, no signal keys),
so a Ctrl+C typed while the kiosk is still starting is a key, not a SIGINT.

The environment is built from scratch: a minimal PATH, LANG=C.UTF-8, the
client's TERM mapped through an allow-list, HOME in a fresh empty folder,
the server's resolved pack cache (so sessions share validated packs), and a
few of the server's own pack-selection variables. Nothing the client sent
(`env` requests) is ever read. COLUMNS and LINES are deliberately not set:
`shutil.get_terminal_size()`, which Textual uses on SIGWINCH, prefers them to
the terminal's real size, so they would pin the first size and break resizing.

Two ways to start the process (`spawn` in [ssh]):
* "exec": fork, login_tty, exec `python -m kiosk --remote --config FILE`;
* "fork-server" (default): ask the fork server (kiosk.ssh.forkserver), which has
  imported Textual, loaded the packs and built the search index once, to fork a
  child on our pty. See kiosk.ssh.forkserver for why and for the figures.

Either way the server holds a pidfd for every child: it is told the moment the
child exits, and signals it without any risk of hitting a recycled pid.
"""

from __future__ import annotations

import array
import asyncio
import contextlib
import fcntl
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import termios
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.textsafety import sanitise

#: TERM values passed through as they are; anything else becomes DEFAULT_TERM.
ALLOWED_TERMS = frozenset(
    {"xterm-256color", "xterm", "screen-256color", "screen", "tmux-256color", "tmux", "linux", "vt100"}
)
DEFAULT_TERM = "xterm-256color"
#: The server's own variables a child may inherit (pack selection chosen by the operator).
SERVER_PASSTHROUGH = ("PYTHONPATH", "KIOSK_PACKS_DIR", "KIOSK_PACKS_ALLOW", "KIOSK_PACKS_BLOCK")
MIN_SIZE, MAX_SIZE = (20, 6), (1000, 400)
#: Seconds between SIGTERM and SIGKILL.
STOP_GRACE = 3.0


def map_term(term: str | None) -> str:
    return term if term in ALLOWED_TERMS else DEFAULT_TERM


def clamp_size(width: int, height: int) -> tuple[int, int]:
    """A terminal size the kiosk can lay out; 0x0 (size unknown) becomes 80x24."""
    if width <= 0 or height <= 0:
        return 80, 24
    return min(max(width, MIN_SIZE[0]), MAX_SIZE[0]), min(max(height, MIN_SIZE[1]), MAX_SIZE[1])


def base_environment(server_environ: Mapping[str, str], cache_dir: Path | None) -> dict[str, str]:
    """What every session's kiosk gets, whoever connects."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "KIOSK_PACK_CACHE": str(cache_dir) if cache_dir else "off",
    }
    for name in SERVER_PASSTHROUGH:
        if server_environ.get(name):
            env[name] = server_environ[name]
    return env


def session_environment(base: Mapping[str, str], term: str | None, home: str) -> dict[str, str]:
    return {**base, "TERM": map_term(term), "HOME": home}


# -- the terminal ------------------------------------------------------------------


def open_pty(width: int, height: int) -> tuple[int, int]:
    """(master, slave) of a new pty at width x height, the slave in raw-ish input mode."""
    master, slave = os.openpty()
    set_size(master, width, height)
    attrs = termios.tcgetattr(slave)
    attrs[0] &= ~(
        termios.IXON | termios.IXOFF | termios.ICRNL | termios.INLCR | termios.IGNCR | termios.BRKINT | termios.ISTRIP
    )
    attrs[3] &= ~(termios.ECHO | termios.ICANON | termios.IEXTEN | termios.ISIG)
    attrs[6][termios.VMIN] = 1
    attrs[6][termios.VTIME] = 0
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    os.set_blocking(master, False)
    return master, slave


def set_size(master: int, width: int, height: int) -> None:
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))


# -- a running child -------------------------------------------------------------------


@dataclass(eq=False)
class Child:
    """One session's kiosk process, as the server sees it."""

    pid: int
    pidfd: int
    master: int
    home: str
    #: Resolves with the exit code (None if it could not be known) once the process has exited.
    exited: asyncio.Future = field(default_factory=lambda: asyncio.get_running_loop().create_future())

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
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(asyncio.shield(self.exited), 5)
        return self.exited.result() if self.exited.done() else None

    def close(self) -> None:
        """Release the server's handles (after the process has exited)."""
        for fd in (self.master, self.pidfd):
            with contextlib.suppress(OSError):
                os.close(fd)
        shutil.rmtree(self.home, ignore_errors=True)


def _watch_exit(child: Child, on_exit) -> None:
    """Call on_exit() once, when the process behind child.pidfd has exited."""
    loop = asyncio.get_running_loop()

    def readable() -> None:
        loop.remove_reader(child.pidfd)
        on_exit()

    loop.add_reader(child.pidfd, readable)


#: Distinct start-up notices logged at most (a chatty pack cannot fill the log), and their length.
MAX_NOTICES = 200
MAX_NOTICE = 1000


class ExecSpawner:
    """fork + login_tty + exec `python -m kiosk --remote --config FILE` for each session."""

    name = "exec"

    #: The descriptor number a session's kiosk writes its start-up notices to (see `--notice-fd`).
    NOTICE_FD = 3

    def __init__(self, config_path: Path | None, base_env: Mapping[str, str]) -> None:
        self.config_path = config_path
        self.base_env = dict(base_env)
        #: Notices already logged: every session starts the same way, the log says each once.
        self.noticed: set[str] = set()

    async def start(self) -> None:
        pass

    async def close(self) -> None:
        pass

    def argv(self) -> list[str]:
        argv = [sys.executable, "-m", "kiosk", "--remote", "--notice-fd", str(self.NOTICE_FD)]
        if self.config_path is not None:
            argv += ["--config", str(self.config_path)]
        return argv

    async def spawn(self, term: str | None, width: int, height: int) -> Child:
        home = tempfile.mkdtemp(prefix="kiosk-ssh-home-")
        env = session_environment(self.base_env, term, home)
        master, slave = open_pty(width, height)
        # The pty is the customer's screen; start-up notices come back on a pipe for the log.
        notices, notice_end = os.pipe()
        argv = self.argv()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child only execs
            try:
                os.close(master)
                os.close(notices)
                os.login_tty(slave)
                if notice_end == self.NOTICE_FD:
                    os.set_inheritable(notice_end, True)
                else:
                    os.dup2(notice_end, self.NOTICE_FD)  # inheritable across exec
                    os.close(notice_end)
                os.chdir(home)
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        os.close(slave)
        os.close(notice_end)
        self._log_notices(notices)
        child = Child(pid, os.pidfd_open(pid), master, home)

        def reap() -> None:
            try:
                _, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                status = None
            if not child.exited.done():
                child.exited.set_result(None if status is None else os.waitstatus_to_exitcode(status))

        _watch_exit(child, reap)
        return child

    def _log_notices(self, fd: int) -> None:
        """Copy each new line from `fd` to the server's standard error, until the kiosk closes it."""
        loop = asyncio.get_running_loop()
        pending = bytearray()

        def readable() -> None:
            try:
                data = os.read(fd, 4096)
            except OSError:
                data = b""
            pending.extend(data)
            lines = pending.split(b"\n")
            pending[:] = lines.pop() if data else b""  # at the end, a last unfinished line counts too
            if len(pending) > MAX_NOTICE:
                lines.append(bytes(pending))
                pending.clear()
            for raw in lines:
                # A pack's print() lands here too: no escape sequences into the log, bounded size.
                line = sanitise(raw.decode("utf-8", "replace").rstrip())[:MAX_NOTICE]
                if line and line not in self.noticed and len(self.noticed) < MAX_NOTICES:
                    self.noticed.add(line)
                    print(f"kiosk ssh: {line}", file=sys.stderr, flush=True)
            if not data:
                loop.remove_reader(fd)
                os.close(fd)

        loop.add_reader(fd, readable)


class SpawnError(RuntimeError):
    pass


class ForkServerSpawner:
    """Sessions forked by a pre-started fork server (kiosk.ssh.forkserver) that did the slow work once."""

    name = "fork-server"
    #: Seconds the fork server may take to import, load packs and build the search index.
    READY_TIMEOUT = 60.0

    def __init__(self, config_path: Path | None, base_env: Mapping[str, str], observe_dir: Path | None = None) -> None:
        self.config_path = config_path
        self.base_env = dict(base_env)
        #: Tests only: each child writes its environment to observe_dir/<pid>.json before starting.
        self.observe_dir = observe_dir
        self._sock: socket.socket | None = None
        self._process: subprocess.Popen | None = None
        self._requests: dict[int, asyncio.Future] = {}
        self._children: dict[int, Child] = {}
        self._early_exits: dict[int, int | None] = {}
        self._next_id = 0
        self._ready: asyncio.Future | None = None
        self._lock: asyncio.Lock | None = None
        #: Every fork server process started (normally one), for tests and the curious.
        self.started_pids: list[int] = []

    async def start(self) -> None:
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self._sock is not None:
                return
            loop = asyncio.get_running_loop()
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            argv = [sys.executable, "-m", "kiosk.ssh.forkserver", "--fd", str(theirs.fileno())]
            if self.config_path is not None:
                argv += ["--config", str(self.config_path)]
            if self.observe_dir is not None:
                argv += ["--observe", str(self.observe_dir)]
            try:
                self._process = subprocess.Popen(
                    argv,
                    env=self.base_env,
                    pass_fds=[theirs.fileno()],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    cwd="/",
                    start_new_session=True,
                )
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

    def _receive(self) -> None:
        sock = self._sock
        if sock is None:
            return
        while True:
            try:
                data, ancdata, _flags, _addr = sock.recvmsg(65536, socket.CMSG_SPACE(4 * 4))
            except BlockingIOError:
                return
            except OSError:
                data, ancdata = b"", []
            fds = _received_fds(ancdata)
            if not data:
                for fd in fds:
                    os.close(fd)
                self._lost()
                return
            message = json.loads(data)
            kind = message.get("type")
            if kind == "ready":
                if self._ready and not self._ready.done():
                    self._ready.set_result(message)
            elif kind == "spawned":
                future = self._requests.pop(message["id"], None)
                if future is None or future.done() or not fds:
                    for fd in fds:
                        os.close(fd)
                else:
                    future.set_result((message["pid"], fds[0]))
            elif kind == "failed":
                future = self._requests.pop(message["id"], None)
                if future is not None and not future.done():
                    future.set_exception(SpawnError(message.get("error", "fork failed")))
            elif kind == "exited":
                pid, code = message["pid"], message.get("code")
                child = self._children.pop(pid, None)
                if child is None:
                    self._early_exits[pid] = code
                elif not child.exited.done():
                    child.exited.set_result(code)

    def _lost(self) -> None:
        """The fork server is gone: fail what waits on it; the next spawn starts a new one."""
        sock, self._sock = self._sock, None
        if sock is not None:
            asyncio.get_running_loop().remove_reader(sock.fileno())
            sock.close()
        error = SpawnError("the fork server stopped")
        if self._ready and not self._ready.done():
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

    async def spawn(self, term: str | None, width: int, height: int) -> Child:
        if self._sock is None:
            await self.start()
        assert self._sock is not None
        home = tempfile.mkdtemp(prefix="kiosk-ssh-home-")
        env = session_environment(self.base_env, term, home)
        master, slave = open_pty(width, height)
        self._next_id += 1
        request_id = self._next_id
        future = asyncio.get_running_loop().create_future()
        self._requests[request_id] = future
        try:
            payload = json.dumps({"type": "spawn", "id": request_id, "env": env, "cwd": home}).encode()
            self._sock.sendmsg([payload], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [slave]))])
            pid, pidfd = await asyncio.wait_for(future, 10)
        except BaseException:
            self._requests.pop(request_id, None)
            os.close(master)
            shutil.rmtree(home, ignore_errors=True)
            raise
        finally:
            os.close(slave)
        child = Child(pid, pidfd, master, home)
        if pid in self._early_exits:
            child.exited.set_result(self._early_exits.pop(pid))
            return child
        self._children[pid] = child

        def gone() -> None:
            # The fork server reports the exit code; if it is gone too, the code is unknown.
            if not child.exited.done() and self._sock is None:
                self._children.pop(pid, None)
                child.exited.set_result(None)
            elif not child.exited.done():
                asyncio.get_running_loop().call_later(2.0, gone_late)

        def gone_late() -> None:
            if not child.exited.done():
                self._children.pop(pid, None)
                child.exited.set_result(None)

        _watch_exit(child, gone)
        return child

    async def close(self) -> None:
        """Stop the fork server (it stops any child it still has) and wait for it, bounded."""
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


def _received_fds(ancdata) -> list[int]:
    fds = array.array("i")
    for level, kind, data in ancdata:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[: len(data) - (len(data) % fds.itemsize)])
    return list(fds)


def make_spawner(mode: str, config_path: Path | None, base_env: Mapping[str, str], observe_dir: Path | None = None):
    if mode == "exec":
        return ExecSpawner(config_path, base_env)
    return ForkServerSpawner(config_path, base_env, observe_dir)
