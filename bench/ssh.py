"""Remote sessions over `kiosk ssh`: connect to first screen, and 50 customers at once.

The server is `python -m kiosk ssh` in its own process (as operators run it),
on a free loopback port, with a fresh host key and pack cache; the customers
are asyncssh clients in this process.

* Connect to first screen: from opening the TCP connection to the home
  screen's text on a VT emulator (pyte) fed with what the client received;
  each round also starts the kiosk locally (`bench.start kiosk`, cold, to its
  first paint), so the ratio compares the same run's figures (budget 1.5x).
  The same figure for `spawn = "exec"` (no fork server) is reported alongside.
* 50 concurrent sessions (the default cap): all must get the kiosk (none
  refused below the cap); then each customer presses an arrow key at random
  every 0.5-1.5 s for a while, and the time from sending a key to the first
  screen update arriving back is recorded (p95 budget < 150 ms). Memory per
  session is each session process's unique memory (USS: Private_Clean +
  Private_Dirty of /proc/PID/smaps_rollup) after the typing, with PSS and the
  fork server's own memory (shared by all sessions) for context.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.child import child_env, run_child
from bench.sections import Budget, Context, Row, Section, SectionResult, compare
from bench.stats import median, percentile, span

HOME_TEXT = "Apple Pay"
BUDGET_CONNECT = Budget(1.5)
BUDGET_KEY_P95 = Budget(150, of="subject")
BUDGET_USS = Budget(40, of="subject")
SESSIONS = 50
QUICK_SESSIONS = 5


def available() -> str | None:
    try:
        import asyncssh  # noqa: F401
        import pyte  # noqa: F401
    except ImportError as exc:
        return f"needs asyncssh and pyte ({exc.name} is missing): pip install -e '.[test]'"
    return None


# -- the server ------------------------------------------------------------------


class Server:
    def __init__(self, workdir: Path, spawn: str, cap: int = SESSIONS) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix=f"ssh-{spawn}-", dir=workdir))
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        # Every benchmark customer comes from 127.0.0.1: the per-address limits are the cap.
        (self.workdir / "kiosk.toml").write_text(
            "[ssh]\nmax_connections_per_minute_per_address = 10000\nmax_unauthenticated = 100\n"
            f"max_unauthenticated_per_address = 100\nmax_sessions = {cap}\nmax_sessions_per_address = {cap}\n",
            encoding="utf-8",
        )
        env = child_env()
        env.update(XDG_DATA_HOME=str(self.workdir / "data"), KIOSK_PACK_CACHE=str(self.workdir / "cache"))
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kiosk",
                "ssh",
                "--config",
                str(self.workdir / "kiosk.toml"),
                "--listen",
                f"127.0.0.1:{self.port}",
                "--spawn",
                spawn,
                "--access-log",
                str(self.workdir / "access.log"),
            ],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        stderr = self.process.stderr
        assert stderr is not None  # piped above
        deadline = time.monotonic() + 60
        while not self._listening():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"kiosk ssh did not start: {stderr.read().decode()[-2000:]}")
            time.sleep(0.05)

    def _listening(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def session_pids(self) -> list[int]:
        """Session processes: children of the server (exec) or of its fork server."""
        kids = _children(self.process.pid)
        grandchildren = [pid for kid in kids for pid in _children(kid)]
        return grandchildren or kids

    def fork_server_pid(self) -> int | None:
        kids = _children(self.process.pid)
        return kids[0] if kids and _children(kids[0]) else None

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                found += [int(p) for p in handle.read().split()]
    except OSError:
        pass
    return found


def memory_kib(pid: int) -> dict[str, int]:
    values = {}
    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
        for line in handle:
            name, _, rest = line.partition(":")
            if name in ("Rss", "Pss", "Private_Clean", "Private_Dirty"):
                values[name] = int(rest.split()[0])
    values["Uss"] = values.get("Private_Clean", 0) + values.get("Private_Dirty", 0)
    return values


# -- a customer ---------------------------------------------------------------------


class Customer:
    def __init__(self, conn, chan, session, screen, stream, queue: asyncio.Queue[bytes]) -> None:
        self.conn, self.chan, self.session, self.screen, self.stream = conn, chan, session, screen, stream
        #: What the server sent, chunk by chunk; b"" once the session has ended.
        self.queue = queue

    @classmethod
    async def connect(cls, port: int) -> tuple[Customer, float]:
        import asyncssh
        import pyte

        queue: asyncio.Queue[bytes] = asyncio.Queue()

        class Session(asyncssh.SSHClientSession):
            def data_received(self, data, datatype):
                queue.put_nowait(data)

            def connection_lost(self, exc):
                queue.put_nowait(b"")

        started = time.perf_counter()
        conn = await asyncssh.connect(
            "127.0.0.1",
            port,
            username="customer",
            known_hosts=None,
            client_keys=None,
            agent_path=None,
            password=None,
            config=None,
        )
        chan, session = await conn.create_session(
            Session, encoding=None, term_type="xterm-256color", term_size=(80, 24)
        )
        screen = pyte.Screen(80, 24)
        stream = pyte.ByteStream(screen)
        customer = cls(conn, chan, session, screen, stream, queue)
        while HOME_TEXT not in "\n".join(screen.display):
            data = await asyncio.wait_for(queue.get(), 30)
            if not data:
                raise RuntimeError("session refused or ended before the home screen:\n" + "\n".join(screen.display))
            stream.feed(data)
        return customer, (time.perf_counter() - started) * 1000

    def drain(self) -> None:
        """Forget output received so far (the emulator is only for the first screen: it costs the
        clients more CPU than the kiosk's own update, and real clients run on customers' machines)."""
        while not self.queue.empty():
            if not self.queue.get_nowait():
                raise RuntimeError("a session ended during the benchmark")

    async def keystroke_ms(self, key: bytes) -> float:
        """From sending `key` to the arrival of the screen update it causes (Textual writes a frame at once)."""
        self.drain()
        started = time.perf_counter()
        self.chan.write(key)
        data = await asyncio.wait_for(self.queue.get(), 10)
        elapsed = (time.perf_counter() - started) * 1000
        if not data:
            raise RuntimeError("a session ended during the benchmark")
        return elapsed

    def close(self) -> None:
        self.conn.close()


# -- measures -------------------------------------------------------------------------


async def _connect_once(port: int) -> float:
    customer, ms = await Customer.connect(port)
    customer.close()
    await asyncio.sleep(0.3)  # let the session end before the next one
    return ms


async def open_customers(port: int, sessions: int, wave: int = 10) -> tuple[list[Customer], int, list[float]]:
    """`sessions` customers arriving in small waves, as people do: those served, the number
    refused, and each served one's connect time in ms."""
    customers: list[Customer] = []
    connect_ms: list[float] = []
    refused = 0
    for start in range(0, sessions, wave):
        results = await asyncio.gather(
            *(Customer.connect(port) for _ in range(start, min(start + wave, sessions))), return_exceptions=True
        )
        for result in results:
            if isinstance(result, BaseException):
                refused += 1
            else:
                customers.append(result[0])
                connect_ms.append(result[1])
    return customers, refused, connect_ms


async def _concurrent(port: int, sessions: int, seconds: float, seed: int = 1) -> dict:
    rng = random.Random(seed)
    customers, refused, _ = await open_customers(port, sessions)
    await asyncio.sleep(3)  # every kiosk builds nothing more after its first seconds
    latencies: list[float] = []
    keys = [b"\x1b[C", b"\x1b[D"]

    async def typist(customer: Customer) -> None:
        deadline = time.perf_counter() + seconds
        await asyncio.sleep(rng.uniform(0, 1.0))
        n = 0
        while time.perf_counter() < deadline:
            latencies.append(await customer.keystroke_ms(keys[n % 2]))
            n += 1
            await asyncio.sleep(rng.uniform(0.5, 1.5))

    await asyncio.gather(*(typist(c) for c in customers))
    return {"customers": customers, "refused": refused, "latencies": latencies}


def _rows(ctx: Context) -> SectionResult:
    quick = ctx.sizes.startup_packs == (2, 3)
    sessions = QUICK_SESSIONS if quick else SESSIONS
    typing_seconds = 3.0 if quick else 15.0
    local_ms: list[float] = []
    remote_ms: list[float] = []
    exec_ms: list[float] = []
    fork = Server(ctx.workdir, "fork-server")
    exec_server = Server(ctx.workdir, "exec")
    rows: list[Row] = []
    raw: dict = {}
    try:
        asyncio.run(_connect_once(fork.port))  # warm-up: pack cache, page cache
        asyncio.run(_connect_once(exec_server.port))
        run_child("bench.start", "kiosk")
        for round_number in range(1, ctx.runs + 1):
            ctx.log(f"ssh connect round {round_number}/{ctx.runs}")
            local_ms.append(run_child("bench.start", "kiosk").result["marks"]["first_paint"])
            remote_ms.append(asyncio.run(_connect_once(fork.port)))
            exec_ms.append(asyncio.run(_connect_once(exec_server.port)))
        rows.append(
            compare("connect to first screen over SSH vs local cold start", "ms", remote_ms, local_ms, BUDGET_CONNECT)
        )
        rows.append(compare('… the same with spawn = "exec" (no fork server)', "ms", exec_ms, local_ms))
        exec_server.stop()

        ctx.log(f"ssh: {sessions} concurrent sessions, typing for {typing_seconds:.0f} s")

        async def load() -> dict:
            result = await _concurrent(fork.port, sessions, typing_seconds)
            pids = fork.session_pids()
            result["memory"] = [memory_kib(pid) for pid in pids]
            fork_pid = fork.fork_server_pid()
            result["fork_server"] = memory_kib(fork_pid) if fork_pid else None
            result["server"] = memory_kib(fork.process.pid)
            for customer in result.pop("customers"):
                customer.close()
            await asyncio.sleep(1)
            return result

        result = asyncio.run(load())
    finally:
        exec_server.stop()
        fork.stop()
    latencies = result["latencies"]
    uss = [m["Uss"] / 1024 for m in result["memory"]]
    pss = [m["Pss"] / 1024 for m in result["memory"]]
    opened = sessions - result["refused"]
    rows.append(Row(f"sessions opened of {sessions} (cap {SESSIONS}; none may be refused)", "sessions", opened))
    rows.append(
        Row(
            f"keystroke to screen update, p95, {opened} sessions typing",
            "ms",
            percentile(latencies, 95),
            spread=span(latencies),
            budget=BUDGET_KEY_P95,
        )
    )
    rows.append(Row(f"keystroke to screen update, median, {opened} sessions typing", "ms", median(latencies)))
    rows.append(Row("unique memory (USS) per session, median", "MiB", median(uss), spread=span(uss), budget=BUDGET_USS))
    rows.append(Row("proportional memory (PSS) per session, median", "MiB", median(pss), spread=span(pss)))
    if result["fork_server"]:
        rows.append(Row("fork server, shared by all sessions (RSS)", "MiB", result["fork_server"]["Rss"] / 1024))
    rows.append(Row("SSH server process (RSS)", "MiB", result["server"]["Rss"] / 1024))
    notes = []
    if result["refused"]:
        notes.append(f"FAIL: {result['refused']} of {sessions} sessions were refused below the cap of {SESSIONS}.")
    else:
        notes.append(f"All {sessions} sessions got the kiosk (cap {SESSIONS}); {len(latencies)} keystrokes timed.")
    raw.update(
        local_ms=local_ms,
        remote_ms=remote_ms,
        exec_ms=exec_ms,
        latencies_ms=latencies,
        memory_kib=result["memory"],
        fork_server_kib=result["fork_server"],
        refused=result["refused"],
    )
    return SectionResult(rows, raw, notes)


SECTION = Section("ssh", "kiosk ssh: connect to first screen, concurrent sessions", _rows, available)
