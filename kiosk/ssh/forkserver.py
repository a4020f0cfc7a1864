"""The fork server: import once, load packs once, build the search index once; fork a kiosk per session.

    python -m kiosk.ssh.forkserver --fd N [--config FILE] [--observe DIR]

Started by `kiosk ssh` (kiosk.ssh.child.ForkServerSpawner) with an environment
built from scratch, it talks to the server over a SOCK_SEQPACKET socket (fd N):

    server -> us   {"type": "spawn", "id": n, "env": {...}, "cwd": home} + the pty slave (SCM_RIGHTS)
    us -> server   {"type": "spawned", "id": n, "pid": p} + a pidfd of the child
                   {"type": "failed", "id": n, "error": "..."}
                   {"type": "exited", "pid": p, "code": c}  (we are the parent: we reap)
                   {"type": "ready"} once, when prepared

Why it exists (measured on the 2-core machine, 80x24, one session at a time):
a kiosk process started from scratch reaches its first screen in ~360 ms and,
once its search index is built (two seconds after start, with the pinyin
dictionaries), holds ~107 MiB of memory of its own (USS), pty and WebDriver
bridges alike. Forked from here, where that work is done and frozen
(`gc.freeze()`, so the collector never touches the shared pages), a session's
own memory is what it changes, a fraction of that, and its first screen only
needs the app to start (see bench/ssh.py for the figures of a run).

Robustness: we fork only while single-threaded (checked), the child resets
signal dispositions, closes our socket, makes the pty its controlling
terminal and replaces its environment before anything of the app runs.
Nothing mutable is shared: after fork each child has its own copy-on-write
memory. We reap every child (SIGCHLD) and report its exit code. When the
server goes away (EOF on the socket), we stop our children (SIGTERM, SIGKILL
after 3 s) and exit. SIGINT is ignored (the server handles Ctrl+C).
"""

from __future__ import annotations

import argparse
import array
import contextlib
import gc
import json
import os
import selectors
import signal
import socket
import sys
import threading
import time
from pathlib import Path

from kiosk.profile import Profile

STOP_GRACE = 3.0


class _Prepared:
    def __init__(self, config_path: Path | None) -> None:
        from kiosk import launch

        gc.disable()
        try:
            prepared = launch.prepare(config_path)
            from kiosk.clock import SystemClock
            from kiosk.search import SearchIndex
            from kiosk.ui import app as ui_app
            from kiosk.ui.screens import (  # noqa: F401 - imported once here rather than in every session
                about,
                category,
                channel,
                checklist,
                contacts,
                escalation,
                guide,
                idle,
                number_check,
                qr,
                search,
                wallet,
                wallets,
            )

            self.settings = prepared.settings
            self.packs = prepared.packs
            self.notices = prepared.notices
            self.clock_class = SystemClock
            self.app_class = ui_app.KioskApp
            # The app searches the packs in the operator's order; build the index over exactly those.
            self.search_index = SearchIndex.build(ui_app.in_operator_order(self.packs, self.settings.pack_order).packs)
        finally:
            gc.enable()
        for notice in self.notices:
            print(f"kiosk ssh: {notice}", file=sys.stderr)
        gc.collect()
        gc.freeze()


def _child(prepared: _Prepared, slave: int, env: dict[str, str], cwd: str, observe: Path | None) -> int:
    """In the forked child: become the session's kiosk. Returns the exit code."""
    os.login_tty(slave)
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    if observe is not None:
        (observe / f"{os.getpid()}.json").write_text(json.dumps(dict(os.environ)), encoding="utf-8")
    # Python caches its std streams; they now point at the pty through fds 0-2 already.
    app = prepared.app_class(
        packs=prepared.packs,
        clock=prepared.clock_class(),
        settings=prepared.settings,
        profile=Profile.REMOTE,
        notices=prepared.notices,
        search_index=prepared.search_index,
    )  # built before fork, shared copy-on-write
    app.run()
    return app.return_code or 0


class ForkServer:
    def __init__(self, sock: socket.socket, prepared: _Prepared, observe: Path | None) -> None:
        self.sock = sock
        self.prepared = prepared
        self.observe = observe
        self.children: set[int] = set()
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_r, False)
        os.set_blocking(self.wake_w, False)

    def send(self, message: dict, fds: list[int] | None = None) -> None:
        ancillary = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))] if fds else []
        # If the server is gone, EOF will tell the loop.
        with contextlib.suppress(OSError):
            self.sock.sendmsg([json.dumps(message).encode()], ancillary)

    def serve(self) -> None:
        signal.set_wakeup_fd(self.wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        self.send({"type": "ready", "pid": os.getpid()})
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
            self.send({"type": "exited", "pid": pid, "code": os.waitstatus_to_exitcode(status)})

    def handle_request(self) -> bool:
        try:
            data, ancdata, _flags, _addr = self.sock.recvmsg(1 << 20, socket.CMSG_SPACE(4 * 4))
        except InterruptedError:
            return True
        except OSError:
            return False
        fds = array.array("i")
        for level, kind, payload in ancdata:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds.frombytes(payload[: len(payload) - (len(payload) % fds.itemsize)])
        if not data:
            for fd in fds:
                os.close(fd)
            return False
        message = json.loads(data)
        if message.get("type") != "spawn" or len(fds) != 1:
            for fd in fds:
                os.close(fd)
            return True
        self.fork(message["id"], fds[0], dict(message["env"]), message["cwd"])
        return True

    def fork(self, request_id: int, slave: int, env: dict[str, str], cwd: str) -> None:
        if threading.active_count() != 1:
            os.close(slave)
            self.send({"type": "failed", "id": request_id, "error": "the fork server has threads; refusing to fork"})
            return
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                for signum in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE):
                    signal.signal(signum, signal.SIG_DFL)
                # The "ending soon" signal (see kiosk.ssh.bridge) must not kill a kiosk still starting.
                signal.signal(signal.SIGUSR1, signal.SIG_IGN)
                signal.set_wakeup_fd(-1)
                self.sock.close()
                os.close(self.wake_r)
                os.close(self.wake_w)
                code = _child(self.prepared, slave, env, cwd, self.observe)
            except BaseException:  # pragma: no cover - reported on the session's own terminal
                import traceback

                traceback.print_exc()
            finally:
                try:
                    sys.stdout.flush()
                    sys.stderr.flush()
                finally:
                    os._exit(code)
        os.close(slave)
        self.children.add(pid)
        try:
            pidfd = os.pidfd_open(pid)
        except OSError as exc:
            self.send({"type": "failed", "id": request_id, "error": str(exc)})
            os.kill(pid, signal.SIGKILL)
            return
        self.send({"type": "spawned", "id": request_id, "pid": pid}, [pidfd])
        os.close(pidfd)

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


def _kill(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.ssh.forkserver")
    parser.add_argument("--fd", type=int, required=True)
    parser.add_argument("--config", type=Path)
    parser.add_argument("--observe", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sock = socket.socket(fileno=args.fd)
    sock.setblocking(True)
    prepared = _Prepared(args.config)
    ForkServer(sock, prepared, args.observe).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
