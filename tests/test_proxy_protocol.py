"""PROXY protocol v2 headers: read as HAProxy writes them, refused when they are anything else."""

from __future__ import annotations

import struct

import pytest

from kiosk import proxy_protocol as pp


def read(header: bytes, peer: tuple[str, int] = ("10.0.0.5", 55000)) -> pp.ProxiedPeer:
    return pp.parse(header, peer)


def test_an_ipv4_client():
    header = pp.build(("198.51.100.7", 40001), ("10.0.0.1", 2222))
    assert len(header) == 16 + 12
    assert read(header) == pp.ProxiedPeer("198.51.100.7", 40001, proxy="10.0.0.5")


def test_an_ipv6_client():
    header = pp.build(("2001:db8::7", 40002), ("2001:db8::1", 2222))
    assert read(header) == pp.ProxiedPeer("2001:db8::7", 40002, proxy="10.0.0.5")


def test_tlvs_after_the_addresses_are_skipped():
    header = pp.build(("198.51.100.7", 40001), ("10.0.0.1", 2222))
    tlv = b"\x04" + struct.pack("!H", 4) + b"\x00\x00\x00\x00"  # a NOOP TLV
    longer = header[:14] + struct.pack("!H", 12 + len(tlv)) + header[16:] + tlv
    assert read(longer).address == "198.51.100.7"


def test_local_is_the_proxy_itself():
    assert read(pp.build_local()) == pp.ProxiedPeer("10.0.0.5", 55000, proxy=None)


@pytest.mark.parametrize(
    ("header", "why"),
    [
        (b"SSH-2.0-OpenSSH_9.2\r\n", "no PROXY protocol v2 header"),
        (b"PROXY TCP4 198.51.100.7 10.0.0.1 40001 2222\r\n", "version 1"),
        (pp.SIGNATURE + b"\x11\x11\x00\x0c" + bytes(12), "version 1 command"),
        (pp.SIGNATURE + b"\x2f\x11\x00\x0c" + bytes(12), "command 15"),
        (pp.SIGNATURE + b"\x21\x12\x00\x0c" + bytes(12), "other than TCP"),
        (pp.SIGNATURE + b"\x21\x31\x00\xd8" + bytes(216), "address family 3"),
        (pp.SIGNATURE + b"\x21\x11\xff\xff", "too long"),
        (pp.SIGNATURE + b"\x21\x11\x00\x0c" + bytes(5), "truncated"),
        (pp.SIGNATURE + b"\x21\x11\x00\x04" + bytes(4), "address family 1"),
    ],
)
def test_anything_else_is_refused_with_a_reason(header, why):
    with pytest.raises(pp.ProxyHeaderError, match=why):
        read(header)


def test_trusted_networks():
    networks = pp.parse_networks(["10.0.0.5", "10.0.1.0/24", "2001:db8:1::/48"])
    assert pp.is_trusted("10.0.0.5", networks) and pp.is_trusted("10.0.1.200", networks)
    assert pp.is_trusted("::ffff:10.0.0.5", networks)  # a dual-stack socket's view of an IPv4 proxy
    assert pp.is_trusted("2001:db8:1:ffff::1", networks)
    assert not pp.is_trusted("10.0.0.6", networks) and not pp.is_trusted("2001:db8:2::1", networks)
    assert not pp.is_trusted("?", networks) and not pp.is_trusted("10.0.0.5", ())


def test_a_bad_network_is_named():
    with pytest.raises(ValueError, match=r"'10\.0\.0\.300'"):
        pp.parse_networks(["10.0.0.1", "10.0.0.300"])


def test_the_config_key_is_checked():
    from kiosk.config import remote

    values, issues = remote.check_table({"trusted_proxies": ["10.0.0.5", "proxy.example"]})
    assert "trusted_proxies" not in values and "'proxy.example'" in issues[0].message
    values, issues = remote.check_table({"trusted_proxies": "10.0.0.5"})
    assert issues and "must be a list" in issues[0].message
    values, issues = remote.check_table({"trusted_proxies": ["10.0.0.5", "10.0.1.0/24"]})
    assert not issues and remote.resolve(values).trusted_proxies == ("10.0.0.5", "10.0.1.0/24")
