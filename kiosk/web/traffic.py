"""What a tab may send, and who it is from: resizes coalesced, the client's address.

Standard library only (no aiohttp): kiosk.web.server applies these to every websocket.

* `ResizeCoalescer`: a browser window being dragged sends a resize per frame; the kiosk gets
  the latest size at most every RESIZE_INTERVAL seconds, never a flood of redraws.
* `client_address`: the peer's address, or, when the peer is a configured trusted proxy, the
  client that proxy names in X-Forwarded-For. A header from anyone else is ignored: otherwise
  any client could claim any address and escape the per-address caps.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable, Iterable

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

#: The shortest time between two resizes the kiosk is given.
RESIZE_INTERVAL = 0.05


class ResizeCoalescer:
    """Passes a size on at most every `interval` seconds; the last one of a burst always arrives."""

    def __init__(self, interval: float = RESIZE_INTERVAL, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self.clock = clock
        self.last_sent = -interval
        #: The size waiting for its turn, if any.
        self.pending: tuple[object, object] | None = None

    def offer(self, size: tuple[object, object]) -> float | None:
        """Record `size`; None means send it now (take it with `take()`), else wait that many seconds."""
        self.pending = size
        wait = self.last_sent + self.interval - self.clock()
        return None if wait <= 0 else wait

    def take(self) -> tuple[object, object] | None:
        size, self.pending = self.pending, None
        if size is not None:
            self.last_sent = self.clock()
        return size


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, trusted: tuple[IPNetwork, ...]) -> bool:
    return any(address.version == network.version and address in network for network in trusted)


def client_address(peer: str | None, forwarded_for: Iterable[str], trusted: tuple[IPNetwork, ...]) -> str:
    """The address to count and log for a request from `peer` with these X-Forwarded-For headers.

    Only a trusted peer's header is read, from its right end (the entry that proxy itself
    added), past any further trusted proxies; the first address that is not one of ours is the
    client. Anything a client put further left is never believed.
    """
    address = _address(peer or "")
    if address is None:
        return peer or "?"
    if not _trusted(address, trusted):
        return str(address)
    entries = [entry for header in forwarded_for for entry in header.split(",")]
    for entry in reversed(entries):
        hop = _address(entry)
        if hop is None:
            break  # a garbled header: believe no further, count the proxy itself
        address = hop
        if not _trusted(hop, trusted):
            break
    return str(address)
