"""Admission: who may connect and open a session now, and the one-line reason when not.

All counts live in one object owned by the server's event loop (no threads),
so checking and counting happen in one step. Every refusal is a sentence a
customer can act on; the server sends it and closes, it never makes anyone wait.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Callable

from kiosk.config.remote import SshSettings
from kiosk.doorstatus import GLOBAL_CAP, PER_ADDRESS_CAP, RATE, UNAUTHENTICATED_CAP

#: Addresses remembered for the per-minute rate; beyond this the oldest are forgotten first.
_MAX_TRACKED_ADDRESSES = 100_000
_WINDOW = 60.0


class Refusal(str):
    """What the customer is told, and which limit said no (`reason`: the access log's and metrics' word)."""

    reason: str

    def __new__(cls, message: str, reason: str) -> Refusal:
        refusal = super().__new__(cls, message)
        refusal.reason = reason
        return refusal


class Limits:
    def __init__(self, settings: SshSettings, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.clock = clock
        self.unauthenticated = 0
        self.sessions = 0
        self.per_address: Counter[str] = Counter()
        self._recent: dict[str, deque[float]] = {}

    # -- connections ------------------------------------------------------------
    def admit_connection(self, address: str) -> Refusal | None:
        """Count a new connection, or say why it is refused (and count nothing)."""
        s = self.settings
        now = self.clock()
        recent = self._recent.get(address)
        if recent is None:
            if len(self._recent) >= _MAX_TRACKED_ADDRESSES:
                self._forget_old(now)
            recent = self._recent[address] = deque()
        while recent and now - recent[0] >= _WINDOW:
            recent.popleft()
        if len(recent) >= s.max_connections_per_minute_per_address:
            return Refusal(
                f"Too many connections from your address ({s.max_connections_per_minute_per_address} a minute). "
                "Please wait a minute and try again.",
                RATE,
            )
        if self.unauthenticated >= s.max_unauthenticated:
            return Refusal(
                "This help line is busy answering new connections. Please try again in a moment.", UNAUTHENTICATED_CAP
            )
        recent.append(now)
        self.unauthenticated += 1
        return None

    def authenticated(self) -> None:
        self.unauthenticated -= 1

    def connection_closed(self, authenticated: bool) -> None:
        """A connection admitted by admit_connection() ended (before or after authenticating)."""
        if not authenticated:
            self.unauthenticated -= 1

    def _forget_old(self, now: float) -> None:
        for address in [a for a, times in self._recent.items() if not times or now - times[-1] >= _WINDOW]:
            del self._recent[address]
        while len(self._recent) >= _MAX_TRACKED_ADDRESSES:
            del self._recent[next(iter(self._recent))]

    # -- sessions -----------------------------------------------------------------
    def open_session(self, address: str) -> Refusal | None:
        """Count a new session, or say why it is refused."""
        s = self.settings
        # Shown in the customer's terminal: both languages (see kiosk.ssh.server).
        if self.sessions >= s.max_sessions:
            return Refusal(
                f"服务繁忙（{self.sessions} 个会话进行中），请几分钟后再试。 "
                f"This help line is busy: {self.sessions} sessions are open. "
                "Please try again in a few minutes.",
                GLOBAL_CAP,
            )
        if self.per_address[address] >= s.max_sessions_per_address:
            return Refusal(
                f"您的地址已有 {self.per_address[address]} 个会话，已达上限，请先结束一个再试。 "
                f"Your address already has {self.per_address[address]} sessions open, the most allowed. "
                "Please end one and try again.",
                PER_ADDRESS_CAP,
            )
        self.sessions += 1
        self.per_address[address] += 1
        return None

    def close_session(self, address: str) -> None:
        self.sessions -= 1
        self.per_address[address] -= 1
        if self.per_address[address] <= 0:
            del self.per_address[address]

    def counts(self) -> dict[str, int]:
        return {
            "unauthenticated": self.unauthenticated,
            "sessions": self.sessions,
            "addresses_with_sessions": len(self.per_address),
        }
