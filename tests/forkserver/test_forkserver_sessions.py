"""A real fork server process and its client: sessions on a pty or on pipes, exit codes, signals, stops.

The fork server here runs a small stand-in for the kiosk (no Textual, no packs), so these
tests are about the processes and the protocol; tests/ssh runs the real kiosk through it.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kiosk.forkserver.client import ForkServerClient, SpawnError
from kiosk.forkserver.protocol import Stdio

#: The fork server, with a session that reports what it was given and then follows orders on stdin.
STAND_IN = textwrap.dedent("""
    import json, os, signal, socket, sys
    from kiosk.forkserver.server import ForkServer

    def session():
        signal.signal(signal.SIGUSR1, lambda *_: print("ending soon", flush=True))
        print(json.dumps({
            "env": dict(os.environ), "cwd": os.getcwd(), "tty": os.isatty(0),
            "session_leader": os.getsid(0) == os.getpid(),
            "controlling_terminal": os.isatty(0) and os.tcgetpgrp(0) == os.getpgrp(),
        }), flush=True)
        print("to stderr", file=sys.stderr, flush=True)
        for line in sys.stdin:
            if line.strip() == "wait":
                signal.pause()
            return int(line)
        return 0

    sock = socket.socket(fileno=int(sys.argv[1]))
    sock.setblocking(True)
    ForkServer(sock, session).serve()
""")


class StandInClient(ForkServerClient):
    def argv(self, fd: int) -> list[str]:
        return [sys.executable, "-c", STAND_IN, str(fd)]


def process_gone(pid: int) -> bool:
    """Not running and not a zombie."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "X"
    except FileNotFoundError:
        return True


async def wait_until(predicate, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def read_line(fd: int, timeout: float = 10.0) -> str:
    """One line from a non-blocking descriptor (a pty master or a pipe)."""
    loop = asyncio.get_running_loop()
    data = b""
    deadline = loop.time() + timeout
    while b"\n" not in data:
        assert loop.time() < deadline, f"no line within {timeout} s: {data!r}"
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            await asyncio.sleep(0.01)
            continue
        assert chunk, f"closed before a line: {data!r}"
        data += chunk
    return data.decode().replace("\r\n", "\n").split("\n", 1)[0]


@pytest.fixture
async def client(tmp_path):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": os.pathsep.join(sys.path)}
    client = StandInClient(None, env, name="test")
    await client.start()
    yield client
    await client.close()
    for pid in client.started_pids:
        assert process_gone(pid), "fork server left running"


SESSION_ENV = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TERM": "xterm", "GREETING": "hi"}


async def test_a_session_on_pipes_gets_exactly_its_environment_and_reports_its_exit_code(client, tmp_path):
    stdin_r, stdin_w = os.pipe()
    stdout_r, stdout_w = os.pipe()
    stderr_r, stderr_w = os.pipe()
    try:
        process = await client.spawn(
            {**SESSION_ENV, "HOME": str(tmp_path)}, str(tmp_path), Stdio.PIPES, [stdin_r, stdout_w, stderr_w]
        )
        for fd in (stdin_r, stdout_w, stderr_w):
            os.close(fd)
        os.set_blocking(stdout_r, False)
        os.set_blocking(stderr_r, False)
        seen = json.loads(await read_line(stdout_r))
        assert seen["env"] == {**SESSION_ENV, "HOME": str(tmp_path)}  # the fork server's own is gone
        assert seen["cwd"] == str(tmp_path) and not seen["tty"] and seen["session_leader"]
        assert await read_line(stderr_r) == "to stderr"
        process.send_signal(signal.SIGUSR1)  # how a front door says "ending soon"
        assert await read_line(stdout_r) == "ending soon"
        os.write(stdin_w, b"7\n")
        assert await asyncio.wait_for(process.exited, 10) == 7
    finally:
        for fd in (stdin_w, stdout_r, stderr_r):
            os.close(fd)
    process.close()


async def test_a_session_on_a_pty_has_it_as_its_controlling_terminal(client, tmp_path):
    master, slave = os.openpty()
    os.set_blocking(master, False)
    try:
        process = await client.spawn({**SESSION_ENV, "HOME": str(tmp_path)}, str(tmp_path), Stdio.PTY, [slave])
        os.close(slave)
        seen = json.loads(await read_line(master))
        assert seen["tty"] and seen["session_leader"] and seen["controlling_terminal"]
        os.write(master, b"0\n")
        assert await asyncio.wait_for(process.exited, 10) == 0
    finally:
        os.close(master)
    process.close()


async def test_an_exit_reported_at_once_is_not_lost(client, tmp_path):
    """The exit report may arrive before spawn() has returned to its caller."""
    stdin_r, stdin_w = os.pipe()
    os.write(stdin_w, b"3\n")  # the session ends as soon as it starts
    os.close(stdin_w)
    with open(os.devnull, "wb") as null:
        process = await client.spawn(SESSION_ENV, str(tmp_path), Stdio.PIPES, [stdin_r, null.fileno(), null.fileno()])
    os.close(stdin_r)
    assert await asyncio.wait_for(process.exited, 10) == 3
    process.close()


async def test_stopping_a_session_and_stopping_the_fork_server(client, tmp_path):
    processes = []
    masters = []
    for _ in range(2):
        master, slave = os.openpty()
        masters.append(master)
        processes.append(await client.spawn(SESSION_ENV, str(tmp_path), Stdio.PTY, [slave]))
        os.close(slave)
        os.write(master, b"wait\n")
    first, second = processes
    assert await first.stop(grace=2) == -signal.SIGTERM  # a signal's exit code is negative
    await client.close()  # the fork server stops the sessions it still has, then exits
    # Our end of the socket is closed first, so the exit report cannot arrive: the code is unknown.
    assert await asyncio.wait_for(second.exited, 10) is None
    await wait_until(lambda: process_gone(second.pid))
    for master in masters:
        os.close(master)
    for process in processes:
        process.close()


async def test_a_fork_server_that_dies_fails_nothing_later_and_is_replaced(client, tmp_path):
    [first] = client.started_pids
    os.kill(first, signal.SIGKILL)
    await wait_until(lambda: not client.running)
    with open(os.devnull, "rb") as null_in, open(os.devnull, "wb") as null_out:
        fds = [null_in.fileno(), null_out.fileno(), null_out.fileno()]
        process = await client.spawn(SESSION_ENV, str(tmp_path), Stdio.PIPES, fds)
    assert len(client.started_pids) == 2 and client.running
    assert await asyncio.wait_for(process.exited, 10) == 0  # stdin at its end: the session returns 0
    process.close()


async def test_a_request_with_the_wrong_descriptors_is_refused_before_it_is_sent(client, tmp_path):
    with pytest.raises(ValueError, match="pipes needs 3 descriptors, not 1"):
        await client.spawn(SESSION_ENV, str(tmp_path), Stdio.PIPES, [0])


async def test_a_fork_server_that_cannot_start_says_so(tmp_path):
    class Broken(ForkServerClient):
        def argv(self, fd: int) -> list[str]:
            return [sys.executable, "-c", "raise SystemExit(1)"]

    client = Broken(None, {"PATH": "/usr/bin:/bin"}, name="test")
    with pytest.raises(SpawnError, match="did not start"):
        await client.start()
    assert not client.running


def test_the_fork_server_preloads_every_screen_module():
    """Listing the package, not a list kept by hand: a new screen is preloaded too."""
    code = textwrap.dedent("""
        import json, pkgutil, sys
        import kiosk.forkserver.server as server
        before = sorted(m for m in sys.modules if m.split(".")[0] == "textual")
        server.import_session_modules()
        import kiosk.ui.screens
        names = [m.name for m in pkgutil.iter_modules(kiosk.ui.screens.__path__, "kiosk.ui.screens.")]
        print(json.dumps({"before": before, "missing": [n for n in names + ["kiosk.ui.app"] if n not in sys.modules],
                          "screens": len(names)}))
    """)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "TEXTUAL"))}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["before"] == []  # importing the fork server loads no Textual: preloading does
    assert report["missing"] == [] and report["screens"] >= 10
