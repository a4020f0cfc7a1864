"""What customers could not find, and which guides helped: counts per day and item, kept locally.

A small SQLite database in the kiosk's state folder (`usage.sqlite3`) holds one
table of counters: (day, kind, item) -> count. Kinds:

* ``no_result``: a search that found nothing; the item is the query, with every
  run of four digits or more (spaces and dashes inside a number included)
  replaced by ``#``, so no phone, card or PIN number is ever stored;
* ``view``: a guide opened (``PACK:GUIDE``);
* ``helpful`` and ``not_helpful``: the answer to "did this help?" (``PACK:GUIDE``).

Only counts per day are kept, never a visit's sequence or a time of day, and
nothing else a customer typed. Rows older than the retention limit are removed
as new counts are written. The database is in WAL mode with a busy timeout,
so the console kiosk and every SSH and web session (separate processes) count
into the same file safely. Recording never raises: a kiosk whose state folder
cannot be written goes on without counting.

`kiosk stats` reports it; `kiosk.metrics` exposes the same counts.
"""

from __future__ import annotations

import datetime as _dt
import queue
import re
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kiosk import paths

DB_NAME = "usage.sqlite3"
#: Days of counts kept by default (kiosk.toml `usage_stats_days`).
DEFAULT_RETENTION_DAYS = 90
KINDS = ("no_result", "view", "helpful", "not_helpful")
#: Characters of a query that are stored: search reads no more.
MAX_QUERY_CHARS = 64
#: Milliseconds a writer waits for another process's write to finish.
BUSY_TIMEOUT_MS = 3000

#: Tries of a write another process keeps locked past the busy timeout.
_ATTEMPTS = 5
#: A run of digits, with the spaces, dashes, dots or brackets people put inside a number.
_NUMBER_RUN = re.compile(r"\d(?:[\d\s\-.()（）]*\d)?")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS counts (
    day TEXT NOT NULL,
    kind TEXT NOT NULL,
    item TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (day, kind, item)
) WITHOUT ROWID
"""


def db_path() -> Path:
    return paths.state_dir() / DB_NAME


def scrub_query(query: str) -> str:
    """The form a query is stored in: NFKC, lower case, spaces collapsed, cut, digit runs of 4+ as ``#``."""
    text = " ".join(unicodedata.normalize("NFKC", query).lower().split())[: MAX_QUERY_CHARS * 2]

    def hide(match: re.Match[str]) -> str:
        run = match.group()
        return "#" if sum(c.isdigit() for c in run) >= 4 else run

    return _NUMBER_RUN.sub(hide, text)[:MAX_QUERY_CHARS].strip()


@dataclass(frozen=True)
class Count:
    kind: str
    item: str
    n: int


class UsageStats:
    """The counters of one database file. Thread-safe; writing never raises (see `add`)."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        retention_days: int = DEFAULT_RETENTION_DAYS,
        today: Callable[[], _dt.date] | None = None,
    ) -> None:
        self.path = path or db_path()
        self.retention_days = retention_days
        self._today = today or _dt.date.today
        self._lock = threading.Lock()
        self._queue: queue.Queue[tuple[_dt.date, str, str] | threading.Event] = queue.Queue()
        self._writer: threading.Thread | None = None
        self._pruned: _dt.date | None = None

    def _open(self) -> sqlite3.Connection:
        """A connection in autocommit mode, in WAL mode with the table made (retried while another process
        is creating the file too)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            for attempt in range(_ATTEMPTS):
                try:
                    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                    connection.execute("PRAGMA journal_mode = WAL")
                    connection.execute(_SCHEMA)
                    return connection
                except sqlite3.OperationalError:
                    if attempt == _ATTEMPTS - 1:
                        raise
                    time.sleep(0.05 * (attempt + 1))
        except BaseException:
            connection.close()
            raise
        return connection

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        connection = self._open()
        try:
            yield connection
        finally:
            connection.close()

    # -- recording ------------------------------------------------------------------
    def no_result(self, query: str) -> None:
        item = scrub_query(query)
        if item:
            self.add("no_result", item)

    def view(self, pack_id: str, guide_id: str) -> None:
        self.add("view", f"{pack_id}:{guide_id}")

    def helpful(self, pack_id: str, guide_id: str, helped: bool) -> None:
        self.add("helpful" if helped else "not_helpful", f"{pack_id}:{guide_id}")

    def add(self, kind: str, item: str) -> None:
        """Count one `kind` of `item` today, in the background (the screen never waits for the disk)."""
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        with self._lock:
            self._queue.put((self._today(), kind, item))
            if self._writer is None or not self._writer.is_alive():
                self._writer = threading.Thread(target=self._drain, name="usage-stats", daemon=True)
                self._writer.start()

    def flush(self, timeout: float = 5.0) -> None:
        """Wait until every count so far is written (or given up on)."""
        done = threading.Event()
        self._queue.put(done)
        with self._lock:
            if self._writer is None or not self._writer.is_alive():
                self._writer = threading.Thread(target=self._drain, name="usage-stats", daemon=True)
                self._writer.start()
        done.wait(timeout)

    def _drain(self) -> None:
        """The writer thread: one connection while there is work, closed after a second without any."""
        connection: sqlite3.Connection | None = None
        try:
            while True:
                try:
                    entry = self._queue.get(timeout=1.0)
                except queue.Empty:
                    return
                if isinstance(entry, threading.Event):
                    entry.set()
                    continue
                try:
                    if connection is None:
                        connection = self._open()
                    self._write(connection, *entry)
                except (sqlite3.Error, OSError):
                    # A state folder that cannot be written: the kiosk goes on without counting.
                    if connection is not None:
                        connection.close()
                    connection = None
        finally:
            if connection is not None:
                connection.close()

    def _write(self, connection: sqlite3.Connection, today: _dt.date, kind: str, item: str) -> None:
        for attempt in range(_ATTEMPTS):
            try:
                connection.execute(
                    "INSERT INTO counts (day, kind, item, n) VALUES (?, ?, ?, 1) "
                    "ON CONFLICT (day, kind, item) DO UPDATE SET n = n + 1",
                    (today.isoformat(), kind, item),
                )
                if self._pruned != today:
                    cutoff = today - _dt.timedelta(days=self.retention_days)
                    connection.execute("DELETE FROM counts WHERE day < ?", (cutoff.isoformat(),))
                    self._pruned = today
                return
            except sqlite3.OperationalError:
                # Another process holds the write lock longer than the busy timeout: try again shortly.
                if attempt == _ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))

    # -- reading --------------------------------------------------------------------
    def totals(self, since: _dt.date | None = None) -> list[Count]:
        """Counts summed over the days from `since` on (all kept days without it), largest first.

        Raises sqlite3.Error or OSError when the database cannot be read.
        """
        if not self.path.exists():
            return []
        with self._connect() as connection:
            rows = connection.execute(
                "SELECT kind, item, SUM(n) AS total FROM counts WHERE day >= ? "
                "GROUP BY kind, item ORDER BY total DESC, kind, item",
                ((since or _dt.date.min).isoformat(),),
            ).fetchall()
        return [Count(kind, item, int(total)) for kind, item, total in rows]

    def most_viewed(self, limit: int = 20, since: _dt.date | None = None) -> list[tuple[str, int]]:
        """[(PACK:GUIDE, views)] most viewed first; [] when nothing is recorded or it cannot be read."""
        try:
            counts = self.totals(since)
        except (sqlite3.Error, OSError):
            return []
        return [(c.item, c.n) for c in counts if c.kind == "view"][:limit]


class NoStats:
    """Stands in for `UsageStats` when the operator switched counting off: records nothing."""

    def no_result(self, query: str) -> None:
        pass

    def view(self, pack_id: str, guide_id: str) -> None:
        pass

    def helpful(self, pack_id: str, guide_id: str, helped: bool) -> None:
        pass

    def most_viewed(self, limit: int = 20, since: _dt.date | None = None) -> list[tuple[str, int]]:
        return []

    def flush(self, timeout: float = 5.0) -> None:
        pass


def report(counts: list[Count], limit: int = 10) -> dict[str, list[dict[str, object]]]:
    """The three lists `kiosk stats` prints: top no-result queries, guides that did not help, most-used guides."""
    by_kind: dict[str, list[Count]] = {kind: [] for kind in KINDS}
    for count in counts:
        by_kind[count.kind].append(count)
    helped = {c.item: c.n for c in by_kind["helpful"]}
    return {
        "no_result_queries": [{"query": c.item, "count": c.n} for c in by_kind["no_result"][:limit]],
        "not_helpful_guides": [
            {"guide": c.item, "not_helpful": c.n, "helpful": helped.get(c.item, 0)}
            for c in by_kind["not_helpful"][:limit]
        ],
        "most_used_guides": [{"guide": c.item, "views": c.n} for c in by_kind["view"][:limit]],
    }
