"""One machine at scale: 200 concurrent `kiosk ssh` sessions, typing, against their targets.

The server and the customers are bench.ssh's (a `python -m kiosk ssh` process with the fork
server; asyncssh clients in this process), with the session cap at SESSIONS. Customers
arrive in waves of ten until SESSIONS are open -- none may be refused below the cap -- and
every one then presses an arrow key every 2-6 s, as someone reading a help screen does
(about 50 keys a second in all: the ssh section's total, spread over four times the
sessions), while each key's time to its screen update is recorded (p95 budget < 100 ms).
Each key costs about 14 ms of CPU in all (kiosk 10, server 2.6, client 1.4, measured
here): at one key a second per customer, 200 sessions would need more than two cores.
Then each session process's unique memory (USS) is read (budget ≤ 20 MiB), with PSS for
context. Sized to keep the whole `make bench` under six minutes on a 2-core machine.
"""

from __future__ import annotations

import asyncio
import random
import time

from bench.sections import Budget, Context, Row, Section, SectionResult
from bench.ssh import Customer, Server, available, memory_kib, open_customers
from bench.stats import median, percentile, span

SESSIONS = 200
QUICK_SESSIONS = 10
BUDGET_KEY_P95 = Budget(100, of="subject")
BUDGET_USS = Budget(20, of="subject")
WAVE = 10
#: Seconds between one customer's keys (uniform): a mean of 4 s.
KEY_INTERVAL = (2.0, 6.0)


async def _type(customers: list[Customer], seconds: float, seed: int = 2) -> list[float]:
    rng = random.Random(seed)
    latencies: list[float] = []
    keys = [b"\x1b[C", b"\x1b[D"]

    async def typist(customer: Customer) -> None:
        deadline = time.perf_counter() + seconds
        await asyncio.sleep(rng.uniform(0, KEY_INTERVAL[1]))
        n = 0
        while time.perf_counter() < deadline:
            latencies.append(await customer.keystroke_ms(keys[n % 2]))
            n += 1
            await asyncio.sleep(rng.uniform(*KEY_INTERVAL))

    await asyncio.gather(*(typist(c) for c in customers))
    return latencies


def _rows(ctx: Context) -> SectionResult:
    quick = ctx.sizes.startup_packs == (2, 3)
    sessions = QUICK_SESSIONS if quick else SESSIONS
    typing_seconds = 6.0 if quick else 20.0
    server = Server(ctx.workdir, "fork-server", cap=sessions)
    try:
        ctx.log(f"ssh at scale: opening {sessions} sessions")

        async def load() -> dict:
            customers, refused, connect_ms = await open_customers(server.port, sessions, WAVE)
            await asyncio.sleep(3)  # the last ones to arrive settle
            ctx.log(f"ssh at scale: {len(customers)} sessions typing for {typing_seconds:.0f} s")
            latencies = await _type(customers, typing_seconds)
            memory = [memory_kib(pid) for pid in server.session_pids()]
            for customer in customers:
                customer.close()
            await asyncio.sleep(1)
            return {"refused": refused, "connect_ms": connect_ms, "latencies": latencies, "memory": memory}

        result = asyncio.run(load())
    finally:
        server.stop()
    latencies = result["latencies"]
    uss = [m["Uss"] / 1024 for m in result["memory"]]
    pss = [m["Pss"] / 1024 for m in result["memory"]]
    opened = sessions - result["refused"]
    rows = [
        Row(f"sessions opened of {sessions} (cap {sessions}; none may be refused)", "sessions", opened),
        Row(
            f"keystroke to screen update, p95, {opened} sessions typing a key every 2-6 s",
            "ms",
            percentile(latencies, 95),
            spread=span(latencies),
            budget=BUDGET_KEY_P95,
        ),
        Row(f"keystroke to screen update, median, {opened} sessions typing a key every 2-6 s", "ms", median(latencies)),
        Row(
            f"unique memory (USS) per session, median, {len(uss)} sessions",
            "MiB",
            median(uss),
            spread=span(uss),
            budget=BUDGET_USS,
        ),
        Row(f"unique memory (USS) per session, largest, {len(uss)} sessions", "MiB", max(uss), budget=BUDGET_USS),
        Row(f"proportional memory (PSS) per session, median, {len(pss)} sessions", "MiB", median(pss)),
        Row(
            f"connect to first screen while {sessions} arrive in waves of {WAVE}, median",
            "ms",
            median(result["connect_ms"]),
            spread=span(result["connect_ms"]),
        ),
    ]
    notes = [
        f"FAIL: {result['refused']} of {sessions} sessions were refused below the cap of {sessions}."
        if result["refused"]
        else f"All {sessions} sessions got the kiosk (cap {sessions}); {len(latencies)} keystrokes timed."
    ]
    raw = {
        "sessions": sessions,
        "refused": result["refused"],
        "latencies_ms": latencies,
        "connect_ms": result["connect_ms"],
        "memory_kib": result["memory"],
    }
    return SectionResult(rows, raw, notes)


SECTION = Section("ssh-scale", f"kiosk ssh at scale: {SESSIONS} concurrent sessions on one machine", _rows, available)
