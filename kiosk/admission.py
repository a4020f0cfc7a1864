"""Admission for every front door: who may connect and open a session now, and why not.

Door-neutral: the SSH door and the web door each hold one `Admission` and call it
at the same four moments of a visit:

    refusal = admission.admit_connection(address)   # a socket arrived; counts it as pending
    admission.authenticated(address)                 # it logged in (or needs no login): not pending
    refusal = admission.open_session(address)        # it asks for a kiosk
    admission.close_session(address)                 # that kiosk ended
    admission.connection_closed(address, authenticated=...)   # the socket went away

Inside a connection, `RateLimit` (a token bucket) bounds floods of messages.

A refusal is a `Refusal`: what kind (for the access log) and one sentence in each
language that the door shows before it closes; nobody is ever made to wait.

Everything is counted per *client key* (`client_key`), not per raw address: an
IPv6 customer controls a whole /64, so all of it is one client, and an IPv4
address written as IPv4-mapped IPv6 is that IPv4 address. Counts live in one
object owned by the door's event loop (no threads), so checking and counting
happen in one step. Only the standard library is imported.
"""

from __future__ import annotations

import ipaddress
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass

#: Client keys remembered for the per-minute rate; beyond this the oldest are forgotten first.
_MAX_TRACKED_CLIENTS = 100_000
#: The rate window, in seconds.
RATE_WINDOW = 60.0
#: IPv6 addresses in one network of this prefix length are one client.
IPV6_CLIENT_PREFIX = 64

# Refusal kinds: the one word the access log ("refused: <kind>"), the door's status file and
# its metrics all count a refusal under (kiosk.doorstatus adds the reasons a door finds itself).
#: The client's new connections this minute are used up.
RATE = "rate"
#: Every session place is taken.
GLOBAL_CAP = "global-cap"
#: The pool of connections still logging in is full.
UNAUTHENTICATED_CAP = "unauthenticated-cap"
#: The client's own share (of sessions, or of the connections logging in) is used up.
PER_ADDRESS_CAP = "per-address-cap"
#: A client kept sending messages over its rate (RateLimit) and was cut off.
FLOOD = "flood"


def client_key(address: str) -> str:
    """The key an address is counted under: IPv4 as is, IPv6 as its /64, IPv4-mapped IPv6 as IPv4.

    "192.0.2.1" -> "192.0.2.1"; "2001:db8:1:2:a:b:c:d" -> "2001:db8:1:2::/64";
    "::ffff:192.0.2.1" -> "192.0.2.1"; "fe80::1%eth0" -> "fe80::/64". Anything that is not an
    IP address (a Unix socket, "?") is its own key, unchanged.
    """
    text = address.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    text = text.split("%", 1)[0]  # a zone index names the interface, not the client
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, IPV6_CLIENT_PREFIX), strict=False))
    return str(ip)


@dataclass(frozen=True)
class AdmissionRules:
    """The numbers a door admits by. Each door fills them from its own settings."""

    #: Connections not yet authenticated, at once, in all.
    max_unauthenticated: int = 10
    #: ... and from one client: well below the pool, so one client cannot fill it.
    max_unauthenticated_per_address: int = 2
    #: New connections a minute from one client.
    max_connections_per_minute_per_address: int = 30
    #: Sessions at once, in all.
    max_sessions: int = 50
    #: ... and from one client.
    max_sessions_per_address: int = 5


@dataclass(frozen=True)
class Refusal:
    """Why a connection or a session is refused: a kind for the log, a sentence in each language."""

    kind: str
    english: str
    chinese: str

    @property
    def text(self) -> str:
        """Both languages, Chinese (the kiosk's default) first, on one line."""
        return f"{self.chinese} {self.english}"


class Admission:
    """One door's counts, and the rules they are checked against."""

    def __init__(self, rules: AdmissionRules, clock: Callable[[], float] = time.monotonic) -> None:
        self.rules = rules
        self.clock = clock
        self.unauthenticated = 0
        self.sessions = 0
        self.unauthenticated_per_client: Counter[str] = Counter()
        self.sessions_per_client: Counter[str] = Counter()
        self._recent: dict[str, deque[float]] = {}

    # -- connections ------------------------------------------------------------
    def admit_connection(self, address: str) -> Refusal | None:
        """Count a new connection as pending (not yet authenticated), or say why not (counting nothing)."""
        rules = self.rules
        key = client_key(address)
        now = self.clock()
        recent = self._recent.get(key)
        if recent is None:
            if len(self._recent) >= _MAX_TRACKED_CLIENTS:
                self._forget_old(now)
            recent = self._recent[key] = deque()
        while recent and now - recent[0] >= RATE_WINDOW:
            recent.popleft()
        per_minute = rules.max_connections_per_minute_per_address
        if len(recent) >= per_minute:
            return Refusal(
                RATE,
                f"Too many connections from your address ({per_minute} a minute). Please wait a minute and try again.",
                f"您的地址连接过于频繁（每分钟最多 {per_minute} 次），请一分钟后再试。",
            )
        if self.unauthenticated >= rules.max_unauthenticated:
            return Refusal(
                UNAUTHENTICATED_CAP,
                "This help line is busy answering new connections. Please try again in a moment.",
                "服务正忙于接入新连接，请稍后再试。",
            )
        if self.unauthenticated_per_client[key] >= rules.max_unauthenticated_per_address:
            return Refusal(
                PER_ADDRESS_CAP,
                "Your address already has connections waiting to log in. Finish or close one and try again.",
                "您的地址已有连接正在等待登录，请先完成或关闭再试。",
            )
        recent.append(now)
        self.unauthenticated += 1
        self.unauthenticated_per_client[key] += 1
        return None

    def authenticated(self, address: str) -> None:
        """A connection admitted by admit_connection() logged in: it no longer holds a pending place."""
        self._release_pending(client_key(address))

    def connection_closed(self, address: str, authenticated: bool) -> None:
        """A connection admitted by admit_connection() ended, before or after authenticated()."""
        if not authenticated:
            self._release_pending(client_key(address))

    def _release_pending(self, key: str) -> None:
        self.unauthenticated -= 1
        self.unauthenticated_per_client[key] -= 1
        if self.unauthenticated_per_client[key] <= 0:
            del self.unauthenticated_per_client[key]

    def _forget_old(self, now: float) -> None:
        for key in [k for k, times in self._recent.items() if not times or now - times[-1] >= RATE_WINDOW]:
            del self._recent[key]
        while len(self._recent) >= _MAX_TRACKED_CLIENTS:
            del self._recent[next(iter(self._recent))]

    # -- sessions -----------------------------------------------------------------
    def open_session(self, address: str) -> Refusal | None:
        """Count a new session, or say why it is refused (counting nothing)."""
        rules = self.rules
        key = client_key(address)
        if self.sessions >= rules.max_sessions:
            return Refusal(
                GLOBAL_CAP,
                f"This help line is busy: {self.sessions} sessions are open. Please try again in a few minutes.",
                f"服务繁忙（{self.sessions} 个会话进行中），请几分钟后再试。",
            )
        held = self.sessions_per_client[key]
        if held >= rules.max_sessions_per_address:
            return Refusal(
                PER_ADDRESS_CAP,
                f"Your address already has {held} sessions open, the most allowed. Please end one and try again.",
                f"您的地址已有 {held} 个会话，已达上限，请先结束一个再试。",
            )
        self.sessions += 1
        self.sessions_per_client[key] += 1
        return None

    def close_session(self, address: str) -> None:
        """A session counted by open_session() ended."""
        key = client_key(address)
        self.sessions -= 1
        self.sessions_per_client[key] -= 1
        if self.sessions_per_client[key] <= 0:
            del self.sessions_per_client[key]

    def counts(self) -> dict[str, int]:
        return {
            "unauthenticated": self.unauthenticated,
            "sessions": self.sessions,
            "addresses_with_sessions": len(self.sessions_per_client),
        }


class RateLimit:
    """A token bucket: `rate` events a second on average, bursts of up to `burst` at once.

    For floods of messages inside one connection (keys, window changes, requests): `allow()`
    says whether one more event fits now. A second bucket over the refused events tells a
    door when a client keeps flooding and is to be cut off.
    """

    def __init__(self, rate: float, burst: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self._tokens = burst
        self._last = clock()

    def allow(self) -> bool:
        now = self.clock()
        self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
        self._last = now
        if self._tokens >= 1:
            self._tokens -= 1
            return True
        return False


__all__ = [
    "FLOOD",
    "GLOBAL_CAP",
    "PER_ADDRESS_CAP",
    "RATE",
    "UNAUTHENTICATED_CAP",
    "Admission",
    "AdmissionRules",
    "RateLimit",
    "Refusal",
    "client_key",
]
