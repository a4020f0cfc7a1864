"""A front door's account of itself: its sessions and refusals, and the status file `kiosk status` reads.

`DoorTally` is what `kiosk ssh` and `kiosk web` count, the same way for both:
sessions now and in all, refusals by reason, and each session's end (its
duration and reason) for whoever listens (kiosk.doormetrics' histogram). It is
changed from the door's event loop and read from the metrics thread, hence the
lock.

`StatusFile` keeps `<state folder>/<door>-status.json` (kiosk.status.door_file,
the format kiosk.status.read_door parses) up to date: written when the door
listens, again within a second of a change, and every 10 seconds in any case,
so a file older than kiosk.status.DOOR_STALE_AFTER means the door died or
hangs. Each write replaces the file whole (kiosk.atomicfile); a clean stop
removes it.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as _dt
import json
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.admission import FLOOD, GLOBAL_CAP, PER_ADDRESS_CAP, RATE, UNAUTHENTICATED_CAP
from kiosk.atomicfile import write_atomic
from kiosk.status import door_file

#: Seconds between rewrites of the status file when nothing changes (kiosk status calls it stale after 30).
REFRESH_INTERVAL = 10.0
#: Seconds a change may wait before it is written: many sessions starting at once make one write.
CHANGE_DELAY = 1.0
#: The file holds no secret; a monitoring account that may read the state folder may read it.
STATUS_MODE = 0o644

# Why a door turned someone away: the words of the access log, the status file and the metrics.
# The caps and rates are kiosk.admission's Refusal kinds; the rest a door finds out itself.
REJECTED_KEY = "rejected-key"
REJECTED_PASSWORD = "rejected-password"
FORWARDING = "forwarding"
NO_TERMINAL = "no-terminal"
COMMAND = "command"
OTHER_SITE = "other-site"
START_FAILED = "start-failed"

#: Every reason each door can give, so a count of zero is reported too (an alert on "rate > 0" needs it).
REFUSAL_REASONS: Mapping[str, tuple[str, ...]] = {
    "ssh": (
        PER_ADDRESS_CAP,
        GLOBAL_CAP,
        RATE,
        UNAUTHENTICATED_CAP,
        REJECTED_KEY,
        REJECTED_PASSWORD,
        FORWARDING,
        NO_TERMINAL,
        COMMAND,
        FLOOD,
        START_FAILED,
    ),
    "web": (GLOBAL_CAP, PER_ADDRESS_CAP, RATE, UNAUTHENTICATED_CAP, OTHER_SITE, FLOOD, START_FAILED),
}


@dataclass(frozen=True)
class SessionEnd:
    """One session that ended: how long it lasted and why (the access log's words)."""

    duration: float
    reason: str


class DoorTally:
    """Sessions now and in all, and refusals by reason, of one front door."""

    def __init__(self, door: str, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.door = door
        self.pid = os.getpid()
        self.started = _now()
        self._clock = clock
        self._lock = threading.Lock()
        self.listening: tuple[str, ...] = ()
        self.sessions_active = 0
        self.sessions_total = 0
        self._refused: Counter[str] = Counter(dict.fromkeys(REFUSAL_REASONS.get(door, ()), 0))
        #: Called after every change (from the door's loop): the status file writes soon after.
        self.on_change: list[Callable[[], None]] = []
        #: Called with every SessionEnd (the metrics' duration histogram).
        self.on_session_end: list[Callable[[SessionEnd], None]] = []

    def session_started(self) -> float:
        """Count a session that starts now; give what it returns to session_ended()."""
        with self._lock:
            self.sessions_active += 1
            self.sessions_total += 1
        self._changed()
        return self._clock()

    def session_ended(self, started: float, reason: str) -> SessionEnd:
        end = SessionEnd(max(0.0, self._clock() - started), reason)
        with self._lock:
            self.sessions_active = max(0, self.sessions_active - 1)
        for listener in self.on_session_end:
            listener(end)
        self._changed()
        return end

    def refuse(self, reason: str) -> None:
        with self._lock:
            self._refused[reason] += 1
        self._changed()

    def set_listening(self, addresses: Iterable[str]) -> None:
        self.listening = tuple(addresses)
        self._changed()

    def refused(self) -> dict[str, int]:
        with self._lock:
            return dict(self._refused)

    def snapshot(self) -> dict[str, object]:
        """The status file's content (see kiosk.status.read_door)."""
        with self._lock:
            active, total, refused = self.sessions_active, self.sessions_total, dict(self._refused)
        return {
            "door": self.door,
            "pid": self.pid,
            "listening": list(self.listening),
            "started": self.started,
            "updated": _now(),
            "sessions_active": active,
            "sessions_total": total,
            "refused": refused,
        }

    def _changed(self) -> None:
        for listener in self.on_change:
            listener()


def _now() -> str:
    """Local time with its offset, to the second (what an operator reads, and read_door requires)."""
    return _dt.datetime.now().astimezone().isoformat(timespec="seconds")


class StatusFile:
    """Keeps a door's status file fresh from its event loop, from start() until stop()."""

    def __init__(
        self,
        tally: DoorTally,
        path: Path | None = None,
        *,
        interval: float = REFRESH_INTERVAL,
        delay: float = CHANGE_DELAY,
        warn: Callable[[str], None] | None = None,
    ) -> None:
        self.tally = tally
        self.path = path if path is not None else door_file(tally.door)
        self._interval = interval
        self._delay = delay
        self._warn = warn or _stderr(tally.door)
        self._task: asyncio.Task[None] | None = None
        self._wake: asyncio.Event | None = None
        self._failing = False
        self._written = False

    def start(self) -> None:
        """Write the file now, then keep it fresh (call from the door's running loop)."""
        if self._task is not None:
            return
        self._wake = asyncio.Event()
        self.tally.on_change.append(self._wake.set)
        self.write()
        self._task = asyncio.get_running_loop().create_task(self._run(), name=f"{self.tally.door}-status-file")

    async def _run(self) -> None:
        assert self._wake is not None
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._interval)
                await asyncio.sleep(self._delay)  # gather the changes that come with this one
            self._wake.clear()
            self.write()

    def write(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            data = json.dumps(self.tally.snapshot(), ensure_ascii=False).encode("utf-8") + b"\n"
            write_atomic(self.path, data, mode=STATUS_MODE)
        except OSError as exc:  # a full disk must not take the door down: say it once, try again later
            if not self._failing:
                self._warn(f"cannot write the status file {self.path}: {exc}")
            self._failing = True
        else:
            self._failing = False
            self._written = True

    async def stop(self) -> None:
        """Stop refreshing and remove the file: a door that stopped cleanly is "not running"."""
        task, self._task = self._task, None
        if self._wake is not None:
            with contextlib.suppress(ValueError):
                self.tally.on_change.remove(self._wake.set)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._written:
            with contextlib.suppress(OSError):
                self.path.unlink()


def _stderr(door: str) -> Callable[[str], None]:
    def warn(message: str) -> None:
        print(f"kiosk {door}: {message}", file=sys.stderr, flush=True)

    return warn


class SessionLog:
    """A door's log lines for each session's start and end, and each refusal; one line each.

    `kiosk-web start address=127.0.0.1 sessions=3/50 at=2026-12-02T01:41:07Z`,
    `kiosk-web end address=... started=... duration=12.3s reason="customer quit" sessions=2/50`,
    `kiosk-web refused address=... reason=global-cap sessions=50/50`. The reasons are the
    SSH access log's words. Never what was typed or shown.
    """

    def __init__(self, name: str, write: Callable[[str], object]) -> None:
        self.name = name
        self._write = write

    @staticmethod
    def kiosk_exit(code: int | None) -> str:
        """How a session's kiosk ending by itself is called, from its exit code (kiosk.exitcodes)."""
        from kiosk import exitcodes

        return {
            exitcodes.OK: "customer quit",
            exitcodes.IDLE_TIMEOUT: "idle (kiosk)",
            exitcodes.TERMINAL_LOST: "terminal lost",
        }.get(code if code is not None else -1, f"kiosk exited {code if code is not None else '?'}")

    def started(self, address: str | None, active: int, cap: int) -> None:
        self._write(f"{self.name} start address={_token(address)} sessions={active}/{cap} at={_utc()}")

    def ended(self, address: str | None, end: SessionEnd, active: int, cap: int) -> None:
        started = _dt.datetime.now(_dt.UTC) - _dt.timedelta(seconds=end.duration)
        self._write(
            f"{self.name} end address={_token(address)} started={started.strftime('%Y-%m-%dT%H:%M:%SZ')} "
            f'duration={end.duration:.1f}s reason="{_text(end.reason)}" sessions={active}/{cap}'
        )

    def refused(self, address: str | None, reason: str, active: int, cap: int) -> None:
        self._write(f"{self.name} refused address={_token(address)} reason={_token(reason)} sessions={active}/{cap}")


def _utc() -> str:
    return _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _token(value: str | None) -> str:
    """A value the client may influence, as one printable word (no forged fields or lines)."""
    return "".join(ch if ch.isprintable() and ch not in ' "\\=' else "?" for ch in value or "-")[:64] or "-"


def _text(value: str) -> str:
    return "".join(ch if ch.isprintable() and ch not in '"\\' else "?" for ch in value)[:80]


def listening_addresses(sockets: Sequence[object]) -> list[str]:
    """HOST:PORT ([HOST]:PORT for IPv6) of each listening socket, as the operator writes `listen`."""
    found = []
    for sock in sockets:
        getsockname = getattr(sock, "getsockname", None)
        if getsockname is None:
            continue
        address = getsockname()
        if not isinstance(address, tuple) or len(address) < 2:
            continue
        host, port = str(address[0]), int(address[1])
        found.append(f"[{host}]:{port}" if ":" in host else f"{host}:{port}")
    return found


__all__ = [
    "REFUSAL_REASONS",
    "DoorTally",
    "SessionEnd",
    "SessionLog",
    "StatusFile",
    "listening_addresses",
]
