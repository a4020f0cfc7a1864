"""What `kiosk ssh` and `kiosk web` tell about themselves, the same way: one object per door.

`DoorHealth` holds the door's tally (kiosk.doorstatus), keeps its status file
fresh while it listens, and serves its Prometheus metrics on `metrics_listen`
when one is configured (kiosk.doormetrics; off by default). A door calls four
things: `start(listening)` once it listens, `session_started()` /
`session_ended()` around each session, `refuse(reason)` for everyone turned
away, and `stop()` when it stops cleanly. `reload()` applies a new
`metrics_listen` and reloads the packs the metrics describe (SIGHUP).

Nothing here knows which door it serves: the doors never import each other.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.doorstatus import DoorTally, SessionEnd, StatusFile

if TYPE_CHECKING:
    from kiosk.doormetrics import DoorMetrics
    from kiosk.packset import PackSet


class MetricsError(OSError):
    """The metrics address cannot be listened on (in use, not this machine's)."""


class DoorHealth:
    def __init__(
        self,
        door: str,
        *,
        config_path: Path | None = None,
        metrics_listen: str = "",
        status_path: Path | None = None,
        warn: Callable[[str], None] | None = None,
    ) -> None:
        self.door = door
        self.config_path = config_path
        self.metrics_listen = metrics_listen
        self.warn = warn or self._stderr
        self.tally = DoorTally(door)
        self.status = StatusFile(self.tally, status_path, warn=self.warn)
        self.metrics: DoorMetrics | None = None

    def _stderr(self, message: str) -> None:
        print(f"kiosk {self.door}: {message}", file=sys.stderr, flush=True)

    # -- the door's life ----------------------------------------------------------------------
    def start_metrics(self) -> None:
        """Listen on `metrics_listen` if set (before the door listens: a taken port stops the start)."""
        if self.metrics_listen and self.metrics is None:
            self.metrics = self._serve_metrics(self.metrics_listen)

    def start(self, listening: Sequence[str]) -> None:
        """The door listens on `listening`: write the status file and keep it fresh (from its loop)."""
        self.start_metrics()
        self.tally.set_listening(listening)
        self.status.start()

    async def stop(self) -> None:
        await self.status.stop()
        if self.metrics is not None:
            metrics, self.metrics = self.metrics, None
            metrics.close()

    # -- sessions -----------------------------------------------------------------------------
    def session_started(self) -> float:
        return self.tally.session_started()

    def session_ended(self, started: float, reason: str) -> SessionEnd:
        return self.tally.session_ended(started, reason)

    def refuse(self, reason: str) -> None:
        self.tally.refuse(reason)

    # -- metrics --------------------------------------------------------------------------------
    def _packs(self) -> PackSet:
        """The packs the door's sessions load: the operator's selection, as the remote profile shows it."""
        from kiosk import config, packselect
        from kiosk.packcache import PackCache, default_directory
        from kiosk.profile import Profile

        path = self.config_path or config.resolve_path(None)
        settings = config.load(path).settings
        cache_dir = default_directory(os.environ)
        cache = PackCache(cache_dir) if cache_dir else None
        return packselect.select_packs(settings, Profile.REMOTE, config_path=path, cache=cache).packs

    def _max_fact_age(self) -> int:
        from kiosk import config

        return config.load(self.config_path).settings.max_fact_age_days

    def _serve_metrics(self, listen: str) -> DoorMetrics:
        from kiosk.doormetrics import DoorMetrics

        try:
            return DoorMetrics(self.tally, listen, packs=self._packs(), max_fact_age_days=self._max_fact_age())
        except OSError as exc:
            raise MetricsError(exc.errno, f"cannot serve metrics on {listen}: {exc.strerror or exc}") from exc

    def reload(self, metrics_listen: str) -> None:
        """SIGHUP: serve the metrics on the new address (or stop), with the packs as they are now."""
        old, self.metrics = self.metrics, None
        self.metrics_listen = metrics_listen
        if old is not None:
            old.close()
        if metrics_listen:
            try:
                self.metrics = self._serve_metrics(metrics_listen)
            except MetricsError as exc:
                self.warn(f"{exc.strerror}; serving no metrics until the next reload")

    @property
    def metrics_address(self) -> str | None:
        return self.metrics.address if self.metrics is not None else None


__all__ = ["DoorHealth", "MetricsError"]
