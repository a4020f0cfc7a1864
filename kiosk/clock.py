"""Clocks: the kiosk never reads the time directly, so tests and snapshots can fix it."""

from __future__ import annotations

import datetime as _dt
from typing import Protocol


class Clock(Protocol):
    def now(self) -> _dt.datetime:
        """The current instant, timezone-aware."""


class SystemClock:
    def now(self) -> _dt.datetime:
        return _dt.datetime.now(_dt.UTC)


class FixedClock:
    """A clock that stands still until moved; for tests, snapshots and benchmarks."""

    def __init__(self, instant: _dt.datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._instant = instant

    def now(self) -> _dt.datetime:
        return self._instant

    def set(self, instant: _dt.datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._instant = instant

    def advance(self, delta: _dt.timedelta) -> None:
        self._instant += delta
