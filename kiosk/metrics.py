"""Prometheus metrics of pack status and health, from the one status report (kiosk.status).

- `register_pack_metrics(registry, packs)`: `kiosk_packs{status}` and
  `kiosk_pack_oldest_fact_age_days{pack}` (and the stale facts per pack),
  computed at every scrape, so ages move on with the date. The front doors call
  it for their /metrics.
- `status_registry(report)`: the whole report as gauges (`kiosk_health`, one
  per check, packs, facts, the clock, the calendar, the doors), for
  `kiosk status --metrics` and the console kiosk's node_exporter textfile.
- `register_usage_metrics(registry)`: the usage counts (kiosk.usagestats), which
  `status_registry` includes.
- `TextfileWriter`: the console kiosk keeps `metrics_textfile` up to date from a
  background thread (first write a few seconds after start, then every minute),
  replacing the file atomically, readable by node_exporter.

prometheus-client is imported inside each function, never with this module:
the console kiosk loads it in the writer's thread after its screen is up, so
it stays off the start-up path (tests/test_import_hygiene.py).
"""

from __future__ import annotations

import datetime as _dt
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.packset import PackSet, PackStatus
from kiosk.status import AWAITING_APPROVAL, Health, PackHealth, StatusReport, pack_health

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry
    from prometheus_client.metrics_core import Metric

    from kiosk.usagestats import UsageStats

#: Seconds between rewrites of the console kiosk's textfile (node_exporter reads it at each scrape).
TEXTFILE_INTERVAL = 60.0
#: Seconds after start before the first write: the customer's first screen comes first.
TEXTFILE_FIRST_DELAY = 5.0
#: Every pack state, so a count of zero is a sample too (an alert on "quarantined > 0" needs it).
PACK_STATES = (str(PackStatus.LOADED), str(PackStatus.QUARANTINED), str(PackStatus.DISABLED), AWAITING_APPROVAL)
#: node_exporter runs as its own user: the file holds no secret, and must be readable by it.
TEXTFILE_MODE = 0o644


class _PackCollector:
    """Pack metrics computed at each collection (a custom collector: it keeps no values of its own)."""

    def __init__(
        self, health: Callable[[_dt.date], Sequence[PackHealth]], today: Callable[[], _dt.date], max_age: int
    ) -> None:
        self._health = health
        self._today = today
        self._max_age = max_age

    def collect(self) -> Iterator[Metric]:
        from prometheus_client.core import GaugeMetricFamily

        today = self._today()
        health = self._health(today)
        by_state = GaugeMetricFamily("kiosk_packs", "Packs found, by status", labels=["status"])
        for state in PACK_STATES:
            by_state.add_metric([state], sum(1 for p in health if p.state == state))
        oldest = GaugeMetricFamily(
            "kiosk_pack_oldest_fact_age_days", "Days since the oldest verified date of a loaded pack", labels=["pack"]
        )
        stale = GaugeMetricFamily(
            "kiosk_pack_stale_facts",
            f"Facts of a loaded pack verified more than {self._max_age} days ago",
            labels=["pack"],
        )
        for pack in health:
            if pack.oldest is not None:
                oldest.add_metric([pack.id], pack.oldest.age_days(today))
                stale.add_metric([pack.id], len(pack.stale))
        yield by_state
        yield oldest
        yield stale


class _UsageCollector:
    """The usage counts of kiosk.usagestats, read at each collection.

    Per kind over the kept days, and per guide for views and "did this help?" answers. Searches that
    found nothing are a count only: the queries themselves (customers' words) are never labels.
    """

    def __init__(self, stats: UsageStats) -> None:
        self._stats = stats

    def collect(self) -> Iterator[Metric]:
        import sqlite3

        from prometheus_client.core import GaugeMetricFamily

        from kiosk.usagestats import KINDS

        try:
            counts = self._stats.totals()
        except (sqlite3.Error, OSError):
            return
        by_kind = GaugeMetricFamily(
            "kiosk_usage_events",
            f"Searches that found nothing, guide views and 'did this help?' answers over the kept "
            f"{self._stats.retention_days} days",
            labels=["kind"],
        )
        for kind in KINDS:
            by_kind.add_metric([kind], sum(c.n for c in counts if c.kind == kind))
        by_guide = GaugeMetricFamily(
            "kiosk_usage_guide_events",
            "Views and 'did this help?' answers of one guide over the kept days",
            labels=["kind", "guide"],
        )
        for count in counts:
            if count.kind != "no_result":
                by_guide.add_metric([count.kind, count.item], count.n)
        yield by_kind
        yield by_guide


def register_usage_metrics(registry: CollectorRegistry, stats: UsageStats | None = None) -> None:
    """Add `kiosk_usage_events{kind}` and `kiosk_usage_guide_events{kind,guide}` from the usage counts."""
    from kiosk.usagestats import UsageStats

    registry.register(_UsageCollector(stats or UsageStats()))


def register_pack_metrics(
    registry: CollectorRegistry,
    packs: PackSet,
    *,
    max_fact_age_days: int = 365,
    today: Callable[[], _dt.date] | None = None,
) -> None:
    """Add `kiosk_packs{status}`, `kiosk_pack_oldest_fact_age_days{pack}` and `kiosk_pack_stale_facts{pack}`.

    Judged by kiosk.status from `packs` at each scrape, with `today` (the date in mainland China
    by default), so the ages of a long-running front door move on with the calendar.
    """
    registry.register(
        _PackCollector(
            lambda day: pack_health(packs, day, max_fact_age_days), today or _today_in_china, max_fact_age_days
        )
    )


def _today_in_china() -> _dt.date:
    from zoneinfo import ZoneInfo

    from kiosk.status import ZONE

    return _dt.datetime.now(ZoneInfo(ZONE)).date()


def status_registry(report: StatusReport, usage: UsageStats | None = None) -> CollectorRegistry:
    """A registry holding the whole report: health, each check, packs, facts, clock, calendar, doors,
    and the usage counts (of `usage`, by default this kiosk's state folder)."""
    from prometheus_client import CollectorRegistry, Gauge

    registry = CollectorRegistry(auto_describe=True)
    Gauge(
        "kiosk_health", "Health: 0 healthy, 1 degraded, 2 broken (the exit code of kiosk status)", registry=registry
    ).set(int(report.health))
    checks = Gauge(
        "kiosk_check_health", "Health of one check: 0 healthy, 1 degraded, 2 broken", ["check"], registry=registry
    )
    for check in ("packs", "facts", "clock", "calendar", "config", *(d.door for d in report.doors)):
        checks.labels(check).set(int(report.check_health(check)))
    Gauge("kiosk_config_problems", "Problems `kiosk config check` finds", registry=registry).set(
        sum(1 for f in report.findings if f.check == "config" and f.health is not Health.HEALTHY)
    )
    registry.register(_PackCollector(lambda _: report.packs, lambda: report.today, report.max_fact_age_days))
    behind = 0
    if report.newest_fact is not None and report.newest_fact.verified > report.today:
        behind = (report.newest_fact.verified - report.today).days
    Gauge(
        "kiosk_clock_behind_newest_fact_days",
        "Days the system date is behind the newest verified date (0: not)",
        registry=registry,
    ).set(behind)
    last_year = Gauge(
        "kiosk_calendar_last_year",
        "The last year a holiday calendar has an official notice for",
        ["calendar"],
        registry=registry,
    )
    for calendar in report.calendars:
        if calendar.years:
            last_year.labels(calendar.name).set(calendar.years[-1])
    running = Gauge(
        "kiosk_door_running",
        "A front door runs and keeps its status file fresh (1) or not (0)",
        ["door"],
        registry=registry,
    )
    for door in report.doors:
        running.labels(door.door).set(1 if door.running else 0)
    Gauge("kiosk_status_generated_timestamp_seconds", "When this report was made", registry=registry).set(
        report.generated.timestamp()
    )
    register_usage_metrics(registry, usage)
    return registry


def exposition(registry: CollectorRegistry) -> str:
    """The registry in Prometheus' text format."""
    from prometheus_client import generate_latest

    return generate_latest(registry).decode("utf-8")


def write_textfile(path: Path, registry: CollectorRegistry) -> None:
    """Replace `path` atomically with the registry's metrics (node_exporter never reads half a file)."""
    from prometheus_client import generate_latest

    from kiosk.atomicfile import write_atomic

    write_atomic(path, generate_latest(registry), mode=TEXTFILE_MODE)


class TextfileWriter:
    """Keeps a node_exporter textfile up to date from a daemon thread until `stop()`.

    `report` makes a fresh StatusReport at each write. A write that fails is logged once to the
    operator log (kiosk.oplog), and tried again at the next interval; the kiosk never notices.
    """

    def __init__(
        self,
        path: Path,
        report: Callable[[], StatusReport],
        *,
        interval: float | None = None,
        first_delay: float | None = None,
    ) -> None:
        self.path = path
        self._report = report
        self._interval = TEXTFILE_INTERVAL if interval is None else interval
        self._first_delay = TEXTFILE_FIRST_DELAY if first_delay is None else first_delay
        self._stop = threading.Event()
        self._failing = False
        self._thread = threading.Thread(target=self._run, name="kiosk-metrics-textfile", daemon=True)

    def start(self) -> TextfileWriter:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def write_once(self) -> None:
        write_textfile(self.path, status_registry(self._report()))

    def _run(self) -> None:
        delay = self._first_delay
        while not self._stop.wait(delay):
            delay = self._interval
            try:
                self.write_once()
            except Exception as exc:  # a full disk must not stop the kiosk: say it once, try again later
                if not self._failing:
                    from kiosk import oplog

                    oplog.exception(f"cannot write the metrics textfile {self.path}", exc)
                self._failing = True
            else:
                self._failing = False
