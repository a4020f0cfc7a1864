"""Run one benchmark child process and collect what it measured about itself.

A child is `python -m bench.<module> ...` in a fresh interpreter, started the
same way for subject and baseline. The parent notes the wall-clock time just
before spawning (passed to the child in BENCH_T0_NS, so the child can tell how
long after that it reached a point) and measures wall time up to the child's
exit and the child's peak resident memory. The child reports its own figures
on stderr as one line (see bench.probe).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.probe import RESULT_PREFIX, T0_ENV

REPO = Path(__file__).resolve().parent.parent
#: Nothing the operator's shell sets may change what a child does.
_DROPPED_ENV = ("KIOSK_", "TEXTUAL_", "PYTHON")


class ChildFailed(RuntimeError):
    pass


@dataclass
class ChildRun:
    wall_ms: float  #: from just before spawning to the child's exit
    maxrss_kib: int | None  #: peak resident set size of the child, from the kernel
    cpu_ms: float | None  #: user + system CPU time of the child (all its threads)
    result: dict = field(default_factory=dict)  #: what the child reported
    stdout: str = ""
    stderr: str = ""


def child_env(pythonpath: list[Path] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_DROPPED_ENV)}
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(str(p) for p in pythonpath)
    return env


def run_child(module: str, *args: str, pythonpath: list[Path] | None = None, timeout: float = 300) -> ChildRun:
    """Run `python -m module args...` from the repository root and wait for it."""
    env = child_env(pythonpath)
    command = [sys.executable, "-m", module, *args]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        env[T0_ENV] = str(time.time_ns())
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        code, maxrss, cpu_ms = _wait(process, timeout, " ".join(command[1:]))
        wall_ms = (time.perf_counter() - start) * 1000
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if code != 0:
        raise ChildFailed(f"{' '.join(command[1:])} exited with {code}:\n{stderr[-3000:]}")
    results = [line[len(RESULT_PREFIX) :] for line in stderr.splitlines() if line.startswith(RESULT_PREFIX)]
    if not results:
        raise ChildFailed(f"{' '.join(command[1:])} reported nothing:\n{stderr[-3000:]}")
    return ChildRun(wall_ms, maxrss, cpu_ms, json.loads(results[-1]), stdout, stderr)


def _wait(process: subprocess.Popen, timeout: float, what: str) -> tuple[int, int | None, float | None]:
    """Exit code, peak RSS (KiB) and CPU time (ms) of exactly this child, via wait4 where there is one;
    `what` names the child in the error when it runs out of time."""
    if not hasattr(os, "wait4"):
        return process.wait(timeout), None, None
    timed_out = threading.Event()

    def kill() -> None:
        timed_out.set()
        process.kill()

    watchdog = threading.Timer(timeout, kill)
    watchdog.start()
    try:
        _pid, status, usage = os.wait4(process.pid, 0)
    finally:
        watchdog.cancel()
    if timed_out.is_set():
        process.returncode = -9
        raise ChildFailed(f"{what} took longer than {timeout:.0f} s")
    code = os.waitstatus_to_exitcode(status)
    process.returncode = code  # reaped here; Popen must not wait for it again
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    maxrss = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
    return code, maxrss, (usage.ru_utime + usage.ru_stime) * 1000
