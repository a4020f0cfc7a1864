"""PROXY protocol version 2: the real client's address, as a load balancer in front tells it.

A load balancer (HAProxy `send-proxy-v2`) opens its own TCP connection to the kiosk
and starts it with a binary header naming the client it stands for. Only a proxy the
operator listed may say so: anyone else could claim any address and walk past every
per-address limit. So a door reads the header only from a trusted peer
(`is_trusted`), and from a trusted peer it requires one.

Door-neutral and standard-library only. The format (haproxy.org, doc/proxy-protocol.txt):
a 12-byte signature, version and command, address family and transport, a 2-byte length,
then the addresses and optional TLVs (ignored here). LOCAL (the proxy's own health
check) means "use the connection's own endpoints".
"""

from __future__ import annotations

import ipaddress
import socket
import struct
from collections.abc import Iterable
from dataclasses import dataclass

SIGNATURE = b"\r\n\r\n\x00\r\nQUIT\n"
#: Signature, version/command, family/transport, length.
HEADER_SIZE = 16
#: The longest header accepted: addresses plus room for the TLVs HAProxy sends.
MAX_HEADER = 1024

_LOCAL, _PROXY = 0x0, 0x1
_INET, _INET6, _UNIX = 0x1, 0x2, 0x3
_STREAM = 0x1

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class ProxyHeaderError(ValueError):
    """The peer is a trusted proxy, but what it sent is not a PROXY v2 header we accept."""


@dataclass(frozen=True)
class ProxiedPeer:
    """Who the connection is really from. `proxy` is the address of the proxy that said so."""

    address: str
    port: int
    proxy: str | None = None


def parse_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """Networks from "192.0.2.10", "10.0.0.0/24", "2001:db8::/64"; ValueError naming a bad entry."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ValueError(f"{entry!r} is not an IP address or network (e.g. 10.0.0.5 or 10.0.0.0/24)") from None
    return tuple(networks)


def is_trusted(address: str, networks: Iterable[Network]) -> bool:
    """True if `address` (IPv4-mapped IPv6 counts as IPv4) lies in one of `networks`."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip.version == net.version and ip in net for net in networks)


def body_length(fixed: bytes) -> int:
    """From the first HEADER_SIZE bytes: how many follow. ProxyHeaderError if they are not v2's."""
    if len(fixed) < HEADER_SIZE or fixed[:12] != SIGNATURE:
        if fixed.startswith(b"PROXY "):
            raise ProxyHeaderError("a PROXY protocol version 1 header: configure the proxy for version 2")
        raise ProxyHeaderError("no PROXY protocol v2 header from a trusted proxy")
    version, command = fixed[12] >> 4, fixed[12] & 0x0F
    if version != 2 or command not in (_LOCAL, _PROXY):
        raise ProxyHeaderError(f"unsupported PROXY header version {version} command {command}")
    (length,) = struct.unpack("!H", fixed[14:16])
    if HEADER_SIZE + length > MAX_HEADER:
        raise ProxyHeaderError(f"PROXY header of {HEADER_SIZE + length} bytes is too long")
    return length


def parse(header: bytes, peer: tuple[str, int]) -> ProxiedPeer:
    """The real client from a whole header (fixed part and body), read from the trusted `peer`."""
    length = body_length(header[:HEADER_SIZE])
    body = header[HEADER_SIZE:]
    if len(body) != length:
        raise ProxyHeaderError("truncated PROXY header")
    command, family, transport = header[12] & 0x0F, header[13] >> 4, header[13] & 0x0F
    if command == _LOCAL:
        return ProxiedPeer(peer[0], peer[1], proxy=None)  # the proxy speaking for itself
    if transport != _STREAM:
        raise ProxyHeaderError("PROXY header for a transport other than TCP")
    if family == _INET and length >= 12:
        source, _dest, port, _dport = struct.unpack("!4s4sHH", body[:12])
        return ProxiedPeer(socket.inet_ntop(socket.AF_INET, source), port, proxy=peer[0])
    if family == _INET6 and length >= 36:
        source, _dest, port, _dport = struct.unpack("!16s16sHH", body[:36])
        return ProxiedPeer(socket.inet_ntop(socket.AF_INET6, source), port, proxy=peer[0])
    raise ProxyHeaderError(f"PROXY header for address family {family} (only TCP over IPv4 and IPv6)")


def build(source: tuple[str, int], destination: tuple[str, int]) -> bytes:
    """A PROXY v2 header for a TCP connection, as a proxy sends it (for tests and tools)."""
    ip = ipaddress.ip_address(source[0])
    if ip.version == 4:
        family, fmt, af = _INET, "!4s4sHH", socket.AF_INET
    else:
        family, fmt, af = _INET6, "!16s16sHH", socket.AF_INET6
    body = struct.pack(
        fmt, socket.inet_pton(af, source[0]), socket.inet_pton(af, destination[0]), source[1], destination[1]
    )
    return SIGNATURE + bytes([0x20 | _PROXY, family << 4 | _STREAM]) + struct.pack("!H", len(body)) + body


def build_local() -> bytes:
    """A LOCAL header: the proxy's own connection (its health checks)."""
    return SIGNATURE + bytes([0x20 | _LOCAL, 0x00]) + struct.pack("!H", 0)


__all__ = [
    "HEADER_SIZE",
    "MAX_HEADER",
    "ProxiedPeer",
    "ProxyHeaderError",
    "body_length",
    "build",
    "build_local",
    "is_trusted",
    "parse",
    "parse_networks",
]
