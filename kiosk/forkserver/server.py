"""The fork server: import once, load packs once, build the search index once; fork a kiosk per session.

    python -m kiosk.forkserver.server --fd N --name NAME [--config FILE] [--observe DIR]

Started by a front door (kiosk.forkserver.client) with an environment built from scratch,
it answers requests on a SOCK_SEQPACKET socket (fd N) in the vocabulary of
kiosk.forkserver.protocol. NAME (say "kiosk ssh") prefixes the start-up notices it logs.

Why it exists: a kiosk started from scratch spends most of a local cold start importing
Textual and loading packs, and once its search index is built all that memory is its own,
in every session. Forked from here, where that work is done and frozen (`gc.freeze()`, so the
collector never touches the shared pages), a session's own memory is what it changes,
and its first screen only needs the app to start. `make bench` (the ssh section, see
bench/ssh.py) measures both, against a local cold start and against `spawn = "exec"`.

Robustness: we fork only while single-threaded (checked); the child resets signal
dispositions, closes our socket, attaches its stdio to the descriptors of its request (a
pty becomes its controlling terminal) and replaces its environment before anything of the
app runs. Nothing mutable is shared: after fork each child has its own copy-on-write
memory. We reap every child (SIGCHLD) and report its exit code. When the front door goes
away (EOF on the socket), we stop our children (SIGTERM, SIGKILL after STOP_GRACE seconds)
and exit. SIGINT is ignored (the front door handles Ctrl+C), and so is SIGUSR1 until a
session's app handles it (launch.enter_profile, inherited across fork).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import json
import os
import pkgutil
import selectors
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from kiosk import exitcodes, launch, oplog
from kiosk.forkserver import protocol
from kiosk.forkserver.protocol import STOP_GRACE, Exited, Failed, Message, Ready, Spawn, Spawned, Stdio
from kiosk.profile import Profile
from kiosk.textsafety import escape

#: Dispositions the fork server changed that a session must not inherit.
_RESET_SIGNALS = (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE)


class Preloaded:
    """What the fork server does once for all its sessions; `run_session` is each session's kiosk.

    (Not `launch.Prepared`, which it holds: that is settings, packs and notices.)
    """

    def __init__(self, config_path: Path | None, name: str) -> None:
        gc.disable()
        try:
            self.prepared = launch.prepare(config_path, profile=Profile.REMOTE)
            import_session_modules()
            from kiosk.search import SearchIndex

            # Built before fork, shared copy-on-write; over the packs in the order the app shows them.
            self.search_index = SearchIndex.build(self.prepared.packs.packs)
        finally:
            gc.enable()
        for notice in self.prepared.notices:
            print(escape(f"{name}: {notice}"), file=sys.stderr)  # notices can quote a pack or a plugin
        gc.collect()
        gc.freeze()

    def run_session(self) -> int:
        """In a forked child whose stdio and environment are the session's: run the kiosk."""
        read_textual_settings()
        app = launch.build_app(self.prepared, Profile.REMOTE, search_index=self.search_index)
        oplog.screen_taken()  # the session's terminal belongs to the app from here on
        app.run()
        return app.return_code or exitcodes.OK


def read_textual_settings() -> None:
    """Textual's settings from the session's environment, not the fork server's.

    Textual reads its TEXTUAL_* variables (the driver, the colour system, the frame rate) once,
    when it is first imported, and that was here, before any session's environment existed.
    A web tab's front door names Textual's web driver there, exactly as it would for a kiosk
    it started from scratch; reading them again in the child makes the two the same.
    """
    from textual import constants

    importlib.reload(constants)


def import_session_modules() -> None:
    """Import what a session's app needs on its way to the first screen and beyond, once, here.

    Every screen module is found by listing the package, so a new screen is never left for
    each session to import on its own.
    """
    # Navigation is loaded on a session's first step away from home; it imports every screen.
    # A web tab's kiosk draws through Textual's web driver instead of the terminal's.
    for name in ("kiosk.clock", "kiosk.ui.app", "kiosk.ui.navigation", "textual.drivers.web_driver"):
        importlib.import_module(name)
    screens = importlib.import_module("kiosk.ui.screens")
    for module in pkgutil.iter_modules(screens.__path__, f"{screens.__name__}."):
        importlib.import_module(module.name)


class ForkServer:
    """Serves spawn requests on `sock` until it closes; each child runs `run_session()` and exits with its code."""

    def __init__(self, sock: socket.socket, run_session: Callable[[], int], observe: Path | None = None) -> None:
        self.sock = sock
        self.run_session = run_session
        #: Tests only: each child writes its environment to observe/<pid>.json before run_session().
        self.observe = observe
        self.children: set[int] = set()
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_r, False)
        os.set_blocking(self.wake_w, False)
        self._handlers: dict[type[Message], Callable[[Message, list[int]], None]] = {Spawn: self._on_spawn}

    def send(self, message: Message, fds: list[int] | None = None) -> None:
        # If the front door is gone, EOF will tell the loop.
        with contextlib.suppress(OSError):
            protocol.send(self.sock, message, fds or ())

    def serve(self) -> None:
        signal.set_wakeup_fd(self.wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        self.send(Ready(os.getpid()))
        selector = selectors.DefaultSelector()
        selector.register(self.sock, selectors.EVENT_READ, "request")
        selector.register(self.wake_r, selectors.EVENT_READ, "signal")
        try:
            while True:
                for key, _ in selector.select():
                    if key.data == "signal":
                        self._drain_wakeups()
                        self.reap()
                    elif not self.handle_request():
                        return
        finally:
            selector.close()
            self.stop_children()

    def _drain_wakeups(self) -> None:
        try:
            while os.read(self.wake_r, 512):
                pass
        except BlockingIOError:
            pass

    def reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.children.discard(pid)
            self.send(Exited(pid, os.waitstatus_to_exitcode(status)))

    def handle_request(self) -> bool:
        """Read and answer one request; False once the front door has gone."""
        try:
            received = protocol.receive(self.sock)
        except (BlockingIOError, InterruptedError):
            return True
        except protocol.ProtocolError as exc:
            print(f"fork server: dropped a request: {exc}", file=sys.stderr, flush=True)
            return True
        if received is None:
            return False
        message, fds = received
        handler = self._handlers.get(type(message))
        try:
            if handler is not None:
                handler(message, fds)
        finally:
            protocol.close_all(fds)
        return True

    def _on_spawn(self, message: Message, fds: list[int]) -> None:
        assert isinstance(message, Spawn)
        if len(fds) != message.stdio.fd_count:
            self.send(Failed(message.id, f"{message.stdio} needs {message.stdio.fd_count} descriptors, got {len(fds)}"))
            return
        if threading.active_count() != 1:
            self.send(Failed(message.id, "the fork server has threads; refusing to fork"))
            return
        pid = os.fork()
        if pid == 0:
            self._be_session(message, fds)  # never returns
        self.children.add(pid)
        try:
            pidfd = os.pidfd_open(pid)
        except OSError as exc:
            self.send(Failed(message.id, str(exc)))
            os.kill(pid, signal.SIGKILL)
            return
        self.send(Spawned(message.id, pid), [pidfd])
        os.close(pidfd)

    def _be_session(self, request: Spawn, fds: list[int]) -> None:
        """In the forked child: become the session's process, run it, exit with its code."""
        code = exitcodes.ERROR
        try:
            for signum in _RESET_SIGNALS:
                signal.signal(signum, signal.SIG_DFL)
            signal.set_wakeup_fd(-1)
            self.sock.close()
            os.close(self.wake_r)
            os.close(self.wake_w)
            _attach_stdio(request.stdio, fds)
            os.environ.clear()
            os.environ.update(request.env)
            os.chdir(request.cwd)
            if self.observe is not None:
                (self.observe / f"{os.getpid()}.json").write_text(json.dumps(dict(os.environ)), encoding="utf-8")
            code = self.run_session()
        except BaseException:  # pragma: no cover - reported on the session's own terminal
            import traceback

            traceback.print_exc()
        finally:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code)

    def stop_children(self) -> None:
        for pid in list(self.children):
            _kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE
        while self.children and time.monotonic() < deadline:
            self.reap_quietly()
            time.sleep(0.05)
        for pid in list(self.children):
            _kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while self.children and time.monotonic() < deadline:
            self.reap_quietly()
            time.sleep(0.02)

    def reap_quietly(self) -> None:
        for pid in list(self.children):
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done = pid
            if done:
                self.children.discard(pid)


def _attach_stdio(stdio: Stdio, fds: list[int]) -> None:
    """Make `fds` the process's stdin, stdout and stderr, in a session of its own.

    A pty slave also becomes the controlling terminal (`os.login_tty`: setsid + TIOCSCTTY +
    dup2 onto 0-2). Without that a TIOCSWINSZ on the master never becomes a SIGWINCH here
    and resizes silently never arrive. Python's std streams then point at them already:
    they are built on descriptors 0-2.
    """
    if stdio is Stdio.PTY:
        os.login_tty(fds[0])
        return
    os.setsid()
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    protocol.close_all(fd for fd in fds if fd > 2)


def _kill(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.forkserver.server")
    parser.add_argument("--fd", type=int, required=True, help="our end of the front door's socket pair")
    parser.add_argument("--name", default="kiosk", help="the front door's name, for what we log")
    parser.add_argument("--config", type=Path)
    parser.add_argument("--observe", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    launch.enter_profile(Profile.REMOTE)  # before any session is forked: they inherit it
    sock = socket.socket(fileno=args.fd)
    sock.setblocking(True)
    preloaded = Preloaded(args.config, args.name)
    ForkServer(sock, preloaded.run_session, args.observe).serve()
    return exitcodes.OK


if __name__ == "__main__":
    sys.exit(main())
