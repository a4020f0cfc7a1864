"""Browser tabs over `kiosk web`: tab to first screen, 50 tabs typing, then 200 at once.

The server is `python -m kiosk web` in its own process (as operators run it), on a free
loopback port, with tabs forked by its fork server; the tabs are aiohttp websocket clients
in this process speaking what the browser page speaks (["stdin", keys] in, terminal bytes out).

* Tab to first screen: from opening the websocket to the home screen's text arriving. Each
  round also starts the kiosk locally (`bench.start kiosk`, cold, to its first paint) and
  connects one SSH session (bench.ssh's server and customer), so both ratios are of the same
  round's figures: against the local cold start, and against an SSH session's connect time
  (budget 1.2x).
* 50 tabs typing: every tab must open (none refused below the cap); each presses an arrow
  key at random every 0.5-1.5 s, and the time from sending a key to the first terminal bytes
  coming back is recorded (p95 and median). Memory per tab is each tab's kiosk process's
  unique memory (USS: Private_Clean + Private_Dirty of /proc/PID/smaps_rollup) after the
  typing (budget 25 MiB), with PSS.
* Scale: 150 more tabs join (200 at once), all type the same way; p95 < 100 ms, none refused
  below the cap, USS per tab at most 20 MiB.
"""

from __future__ import annotations

import asyncio
import contextlib
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
from bench.ssh import Server as SshServer
from bench.ssh import _children, _connect_once, memory_kib
from bench.stats import median, percentile, span

HOME_TEXT = "钱包自助服务".encode()
BUDGET_VS_SSH = Budget(1.2)
BUDGET_USS = Budget(25, of="subject")
BUDGET_SCALE_USS = Budget(20, of="subject")
BUDGET_SCALE_P95 = Budget(100, of="subject")
#: Seconds between one tab's keys: as fast as bench.ssh's customers for the 50, and for 200 at
#: once a customer reading each screen before the next key. (A key costs the kiosk about 11 ms
#: of CPU: 200 tabs at one key a second would need more than this machine's two cores.)
TYPING_PAUSE = (0.5, 1.5)
SCALE_PAUSE = (2.0, 6.0)
TYPING_TABS = 50
#: Rounds of the first-screen comparison at most.
WEB_ROUNDS = 5
SCALE_TABS = 200
QUICK_TYPING_TABS = 4
QUICK_SCALE_TABS = 6


def available() -> str | None:
    try:
        import aiohttp  # noqa: F401
        import textual_serve  # noqa: F401

        from bench.ssh import available as ssh_available
    except ImportError as exc:
        return f"needs textual-serve and aiohttp ({exc.name} is missing): pip install -e ."
    return ssh_available()


class WebServer:
    """`kiosk web` with room for `cap` tabs, all from this one loopback address."""

    def __init__(self, workdir: Path, cap: int) -> None:
        self.workdir = Path(tempfile.mkdtemp(prefix="web-", dir=workdir))
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        config = self.workdir / "kiosk.toml"
        config.write_text(
            f"[ssh]\nmax_sessions = {cap}\nmax_sessions_per_address = {cap}\n"
            "max_connections_per_minute_per_address = 10000\n",
            encoding="utf-8",
        )
        env = child_env()
        env.update(XDG_DATA_HOME=str(self.workdir / "data"), KIOSK_PACK_CACHE=str(self.workdir / "cache"))
        self.log = open(self.workdir / "server.log", "w+b")  # noqa: SIM115  (closed in stop())
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "web", "--config", str(config), "--port", str(self.port)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        deadline = time.monotonic() + 60
        while not self._listening():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.log.seek(0)
                raise RuntimeError(f"kiosk web did not start: {self.log.read().decode()[-2000:]}")
            time.sleep(0.05)
        self.url = f"http://127.0.0.1:{self.port}/ws?width=80&height=24"

    def _listening(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def tab_pids(self) -> list[int]:
        """The tabs' kiosks: children of the fork server (the server's one child with children)."""
        return [pid for kid in _children(self.process.pid) for pid in _children(kid)]

    def fork_server_pid(self) -> int | None:
        kids = [kid for kid in _children(self.process.pid) if _children(kid)]
        return kids[0] if kids else None

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


class Tab:
    """One browser tab's websocket, as textual-serve's page uses it; what arrives is queued."""

    def __init__(self, ws) -> None:
        self.ws = ws
        #: Whether a tile has the focus yet (the first arrow gives it one), and timed arrows sent.
        self.focused = False
        self.arrows = 0
        #: Terminal bytes as they arrive; b"" once the tab has closed.
        self.queue: asyncio.Queue[bytes] = asyncio.Queue()
        self.reader = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        try:
            async for message in self.ws:
                if message.type.name == "BINARY":
                    self.queue.put_nowait(message.data)
        finally:
            self.queue.put_nowait(b"")

    @classmethod
    async def open(cls, http, url: str) -> tuple[Tab, float]:
        started = time.perf_counter()
        tab = cls(await http.ws_connect(url, max_msg_size=0))
        data = b""
        while HOME_TEXT not in data:
            chunk = await asyncio.wait_for(tab.queue.get(), 30)
            if not chunk:
                raise RuntimeError(f"tab closed before its first screen: {data[-200:]!r}")
            data += chunk
        return tab, (time.perf_counter() - started) * 1000

    def drain(self) -> None:
        """Forget what arrived since the last key."""
        while not self.queue.empty():
            if not self.queue.get_nowait():
                raise RuntimeError("a tab ended during the benchmark")

    async def keystroke_ms(self, key: str) -> float:
        """From sending `key` to the first terminal bytes of the update it causes."""
        self.drain()
        started = time.perf_counter()
        await self.ws.send_json(["stdin", key])
        data = await asyncio.wait_for(self.queue.get(), 10)
        elapsed = (time.perf_counter() - started) * 1000
        if not data:
            raise RuntimeError("a tab ended during the benchmark")
        return elapsed

    async def close(self) -> None:
        await self.ws.close()
        self.reader.cancel()


async def _tab_once(url: str) -> float:
    import aiohttp

    async with aiohttp.ClientSession() as http:
        tab, ms = await Tab.open(http, url)
        await tab.close()
    await asyncio.sleep(0.3)  # let the tab's kiosk end before the next one
    return ms


async def _open(http, url: str, count: int) -> tuple[list[Tab], int]:
    tabs: list[Tab] = []
    refused = 0
    for start in range(0, count, 10):  # arrive in small waves, as people do
        results = await asyncio.gather(
            *(Tab.open(http, url) for _ in range(start, min(start + 10, count))), return_exceptions=True
        )
        for result in results:
            if isinstance(result, BaseException):
                refused += 1
            else:
                tabs.append(result[0])
    return tabs, refused


async def _type(tabs: list[Tab], seconds: float, seed: int, pause: tuple[float, float]) -> list[float]:
    """Every tab presses an arrow key, waiting `pause` (a random span, seconds) between keys."""
    rng = random.Random(seed)
    latencies: list[float] = []
    keys = ["\x1b[C", "\x1b[D"]

    async def typist(tab: Tab) -> None:
        deadline = time.perf_counter() + seconds
        # The first keys are spread as the later ones are: 200 tabs pressing within the same
        # second would be a burst no customers make, and would time the burst, not the kiosk.
        await asyncio.sleep(rng.uniform(0, pause[1]))
        if not tab.focused:
            # Untimed: a tab's page starts with no tile focused, and its first arrow only focuses
            # one; from then on → and ← in turn move the focus (arrows stop at the grid's edge, so
            # each tab keeps its own turn across the rounds).
            await tab.keystroke_ms(keys[0])
            tab.focused = True
            await asyncio.sleep(rng.uniform(*pause))
        while time.perf_counter() < deadline:
            latencies.append(await tab.keystroke_ms(keys[tab.arrows % 2]))
            tab.arrows += 1
            await asyncio.sleep(rng.uniform(*pause))

    await asyncio.gather(*(typist(tab) for tab in tabs))
    return latencies


def _memory(pids: list[int]) -> list[dict[str, int]]:
    found = []
    for pid in pids:
        with contextlib.suppress(OSError):  # a tab that ended meanwhile
            found.append(memory_kib(pid))
    return found


async def _load(server: WebServer, typing_tabs: int, scale_tabs: int, seconds: float) -> dict:
    import aiohttp

    result: dict = {}
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as http:
        tabs, refused = await _open(http, server.url, typing_tabs)
        result["typing_refused"] = refused
        await asyncio.sleep(2)  # every kiosk builds nothing more after its first seconds
        result["typing_latencies"] = await _type(tabs, seconds, seed=1, pause=TYPING_PAUSE)
        result["typing_memory"] = _memory(server.tab_pids())
        more, refused = await _open(http, server.url, scale_tabs - typing_tabs)
        tabs += more
        result["scale_refused"] = refused
        result["scale_opened"] = len(tabs)
        await asyncio.sleep(2)
        result["scale_latencies"] = await _type(tabs, seconds * 2, seed=2, pause=SCALE_PAUSE)
        result["scale_memory"] = _memory(server.tab_pids())
        fork = server.fork_server_pid()
        result["fork_server"] = memory_kib(fork) if fork else None
        result["server"] = memory_kib(server.process.pid)
        await asyncio.gather(*(tab.close() for tab in tabs), return_exceptions=True)
    await asyncio.sleep(1)
    return result


def _rows(ctx: Context) -> SectionResult:
    quick = ctx.sizes.startup_packs == (2, 3)
    typing_tabs = QUICK_TYPING_TABS if quick else TYPING_TABS
    scale_tabs = QUICK_SCALE_TABS if quick else SCALE_TABS
    seconds = 3.0 if quick else 8.0
    # Fewer rounds than the other sections: each starts a local kiosk, an SSH session and a tab,
    # and the whole bench must stay within its time.
    rounds = min(ctx.runs, WEB_ROUNDS)
    local_ms: list[float] = []
    ssh_ms: list[float] = []
    tab_ms: list[float] = []
    web = WebServer(ctx.workdir, SCALE_TABS)
    ssh = SshServer(ctx.workdir, "fork-server")
    try:
        asyncio.run(_tab_once(web.url))  # warm-up: pack cache, page cache
        asyncio.run(_connect_once(ssh.port))
        for round_number in range(1, rounds + 1):
            ctx.log(f"web tab round {round_number}/{rounds}")
            local_ms.append(run_child("bench.start", "kiosk").result["marks"]["first_paint"])
            ssh_ms.append(asyncio.run(_connect_once(ssh.port)))
            tab_ms.append(asyncio.run(_tab_once(web.url)))
        ssh.stop()
        ctx.log(f"web: {typing_tabs} tabs typing, then {scale_tabs} at once, {seconds:.0f} s each")
        result = asyncio.run(_load(web, typing_tabs, scale_tabs, seconds))
    finally:
        ssh.stop()
        web.stop()
    rows = [
        compare("tab to first screen vs local cold start", "ms", tab_ms, local_ms),
        compare("tab to first screen vs SSH connect to first screen", "ms", tab_ms, ssh_ms, BUDGET_VS_SSH),
    ]
    uss = [m["Uss"] / 1024 for m in result["typing_memory"]]
    pss = [m["Pss"] / 1024 for m in result["typing_memory"]]
    latencies = result["typing_latencies"]
    opened = typing_tabs - result["typing_refused"]
    rows += [
        Row(f"tabs opened of {typing_tabs} (cap {SCALE_TABS}; none may be refused)", "tabs", opened),
        Row(f"keystroke to update, p95, {opened} tabs typing", "ms", percentile(latencies, 95), spread=span(latencies)),
        Row(f"keystroke to update, median, {opened} tabs typing", "ms", median(latencies)),
        Row("unique memory (USS) per tab, median", "MiB", median(uss), spread=span(uss), budget=BUDGET_USS),
        Row("proportional memory (PSS) per tab, median", "MiB", median(pss), spread=span(pss)),
    ]
    scale_uss = [m["Uss"] / 1024 for m in result["scale_memory"]]
    scale_latencies = result["scale_latencies"]
    scale_opened = result["scale_opened"]
    rows += [
        Row(
            f"scale: tabs opened of {scale_tabs} at once (cap {SCALE_TABS}; none may be refused)", "tabs", scale_opened
        ),
        Row(
            f"scale: keystroke to update, p95, {scale_opened} tabs typing (a key every "
            f"{SCALE_PAUSE[0]:g}-{SCALE_PAUSE[1]:g} s)",
            "ms",
            percentile(scale_latencies, 95),
            spread=span(scale_latencies),
            budget=BUDGET_SCALE_P95,
        ),
        Row(
            f"scale: keystroke to update, median, {scale_opened} tabs typing (a key every "
            f"{SCALE_PAUSE[0]:g}-{SCALE_PAUSE[1]:g} s)",
            "ms",
            median(scale_latencies),
        ),
        Row(
            f"scale: unique memory (USS) per tab, median of {len(scale_uss)}",
            "MiB",
            median(scale_uss),
            spread=span(scale_uss),
            budget=BUDGET_SCALE_USS,
        ),
    ]
    if result["fork_server"]:
        rows.append(Row("fork server, shared by all tabs (RSS)", "MiB", result["fork_server"]["Rss"] / 1024))
    rows.append(Row(f"web server process with {scale_opened} tabs (RSS)", "MiB", result["server"]["Rss"] / 1024))
    refused = result["typing_refused"] + result["scale_refused"]
    notes = [
        f"FAIL: {refused} tabs were refused below the cap of {SCALE_TABS}."
        if refused
        else f"All {scale_tabs} tabs got the kiosk (cap {SCALE_TABS}); "
        f"{len(latencies) + len(scale_latencies)} keystrokes timed."
    ]
    raw = {
        "local_ms": local_ms,
        "ssh_ms": ssh_ms,
        "tab_ms": tab_ms,
        "typing_latencies_ms": latencies,
        "scale_latencies_ms": scale_latencies,
        "typing_memory_kib": result["typing_memory"],
        "scale_memory_kib": result["scale_memory"],
        "fork_server_kib": result["fork_server"],
        "refused": refused,
    }
    return SectionResult(rows, raw, notes)


SECTION = Section("web", "kiosk web: tab to first screen, tabs typing, 200 tabs at once", _rows, available)
