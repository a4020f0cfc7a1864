"""Child side of a benchmark child process: timestamps since spawn, peak memory, the result line.

Imports nothing beyond the standard modules every interpreter loads anyway,
so it costs subject and baseline children the same and almost nothing.
"""

from __future__ import annotations

import json
import os
import sys
import time

#: Wall-clock nanoseconds (time.time_ns) taken by the parent just before spawning.
T0_ENV = "BENCH_T0_NS"
#: The one stderr line a child reports its figures on: `@bench {json}`.
RESULT_PREFIX = "@bench "


def since_spawn_ms() -> float:
    """Milliseconds since the parent was about to spawn this process."""
    return (time.time_ns() - int(os.environ[T0_ENV])) / 1e6


def peak_rss_kib() -> int | None:
    """This process's peak resident set size so far (VmHWM), on Linux; None elsewhere."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def report(result: dict) -> None:
    """Hand `result` to the parent."""
    sys.stderr.write(RESULT_PREFIX + json.dumps(result) + "\n")
    sys.stderr.flush()
