"""A front door's Prometheus metrics, served on its own `metrics_listen` address.

- `kiosk_door_sessions_active{door}`: sessions open now;
- `kiosk_door_sessions_total{door}`: sessions started since the door started;
- `kiosk_door_refused_total{door,reason}`: everyone turned away, by the access
  log's reason (every reason the door can give, zeros included);
- `kiosk_door_session_duration_seconds{door}`: a histogram of how long sessions lasted;
- `kiosk_door_start_time_seconds{door}`: when the door started;
- the pack metrics of kiosk.metrics (`kiosk_packs{status}`,
  `kiosk_pack_oldest_fact_age_days{pack}`, `kiosk_pack_stale_facts{pack}`),
  judged at each scrape.

The counts are read from the door's tally (kiosk.doorstatus) at each scrape, so
they are the status file's numbers. prometheus-client's own HTTP server answers
scrapes from a daemon thread: the door's event loop never waits for a scraper.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from kiosk.config.remote import parse_listen
from kiosk.doorstatus import DoorTally, SessionEnd
from kiosk.metrics import register_pack_metrics

if TYPE_CHECKING:
    import threading
    from wsgiref.simple_server import WSGIServer

    from prometheus_client.metrics_core import Metric

    from kiosk.packset import PackSet

#: Seconds: a quick look-up, a few minutes' visit, up to the longest session allowed by default (1800 s).
DURATION_BUCKETS = (5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0)


class _TallyCollector:
    """Sessions and refusals as the tally has them at the moment of the scrape."""

    def __init__(self, tally: DoorTally, started: float) -> None:
        self._tally = tally
        self._started = started

    def collect(self) -> Iterator[Metric]:
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

        door = self._tally.door
        snapshot = self._tally.snapshot()
        active = GaugeMetricFamily("kiosk_door_sessions_active", "Sessions open now", labels=["door"])
        active.add_metric([door], float(snapshot["sessions_active"]))  # type: ignore[arg-type]
        yield active
        total = CounterMetricFamily("kiosk_door_sessions", "Sessions started since the door started", labels=["door"])
        total.add_metric([door], float(snapshot["sessions_total"]))  # type: ignore[arg-type]
        yield total
        refused = CounterMetricFamily(
            "kiosk_door_refused", "Connections and sessions turned away, by reason", labels=["door", "reason"]
        )
        for reason, count in sorted(self._tally.refused().items()):
            refused.add_metric([door, reason], float(count))
        yield refused
        start = GaugeMetricFamily("kiosk_door_start_time_seconds", "When the door started", labels=["door"])
        start.add_metric([door], self._started)
        yield start


class DoorMetrics:
    """The door's registry, served on `listen` (HOST:PORT) until close()."""

    def __init__(self, tally: DoorTally, listen: str, *, packs: PackSet, max_fact_age_days: int = 365) -> None:
        from prometheus_client import CollectorRegistry, Histogram, start_http_server

        self.registry = CollectorRegistry(auto_describe=True)
        self.registry.register(_TallyCollector(tally, time.time()))
        self._durations = Histogram(
            "kiosk_door_session_duration_seconds",
            "How long sessions lasted, from their start to their end",
            ["door"],
            buckets=DURATION_BUCKETS,
            registry=self.registry,
        ).labels(tally.door)
        register_pack_metrics(self.registry, packs, max_fact_age_days=max_fact_age_days)
        self._tally = tally
        tally.on_session_end.append(self._observe)
        host, port = parse_listen(listen)
        server: WSGIServer
        thread: threading.Thread
        server, thread = start_http_server(port, host, self.registry)
        self._server, self._thread = server, thread
        bound = server.server_address
        bound_host, bound_port = str(bound[0]), int(bound[1])
        self.address = f"[{bound_host}]:{bound_port}" if ":" in bound_host else f"{bound_host}:{bound_port}"

    def _observe(self, end: SessionEnd) -> None:
        self._durations.observe(end.duration)

    def close(self) -> None:
        """Stop answering scrapes and free the address (the counts stay in the tally)."""
        with contextlib.suppress(ValueError):
            self._tally.on_session_end.remove(self._observe)
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


__all__ = ["DURATION_BUCKETS", "DoorMetrics"]
