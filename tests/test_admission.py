"""Admission, with a clock the test moves: client keys, per-client rate, the pending pool and its
per-client share, session caps."""

from __future__ import annotations

import pytest

from kiosk import admission as admission_module
from kiosk.admission import (
    GLOBAL_CAP,
    PER_ADDRESS_CAP,
    RATE,
    UNAUTHENTICATED_CAP,
    Admission,
    AdmissionRules,
    client_key,
)


class Clock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


def gate(
    *,
    max_unauthenticated: int = 1000,
    max_unauthenticated_per_address: int = 1000,
    max_connections_per_minute_per_address: int = 1000,
    max_sessions: int = 50,
    max_sessions_per_address: int = 5,
) -> tuple[Admission, Clock]:
    clock = Clock()
    rules = AdmissionRules(
        max_unauthenticated=max_unauthenticated,
        max_unauthenticated_per_address=max_unauthenticated_per_address,
        max_connections_per_minute_per_address=max_connections_per_minute_per_address,
        max_sessions=max_sessions,
        max_sessions_per_address=max_sessions_per_address,
    )
    return Admission(rules, clock=clock), clock


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("192.0.2.1", "192.0.2.1"),
        ("2001:db8:1:2:a:b:c:d", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2::ffff", "2001:db8:1:2::/64"),
        ("[2001:db8:1:2::1]", "2001:db8:1:2::/64"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("::ffff:c000:201", "192.0.2.1"),
        ("fe80::1%eth0", "fe80::/64"),
        ("::1", "::/64"),
        ("?", "?"),
        ("/run/kiosk.sock", "/run/kiosk.sock"),
    ],
)
def test_the_client_key(address, key):
    assert client_key(address) == key


def test_each_address_gets_its_connections_per_minute_and_then_a_reason():
    door, clock = gate(max_connections_per_minute_per_address=3)
    assert [door.admit_connection("192.0.2.1") for _ in range(3)] == [None] * 3
    refusal = door.admit_connection("192.0.2.1")
    assert refusal is not None and refusal.kind == RATE
    assert "3 a minute" in refusal.english and "wait a minute" in refusal.english and "每分钟" in refusal.chinese
    assert refusal.english.isascii()  # SSH disconnect reasons are shown through ASCII filters
    assert door.admit_connection("192.0.2.2") is None  # another address has its own count
    clock.now += 59.9
    assert door.admit_connection("192.0.2.1") is not None
    clock.now += 0.1  # a minute after the first three
    assert door.admit_connection("192.0.2.1") is None


def test_one_ipv6_network_is_one_client_and_a_mapped_ipv4_address_is_that_address():
    door, _ = gate(max_connections_per_minute_per_address=2)
    assert door.admit_connection("2001:db8:5:6::1") is None
    assert door.admit_connection("2001:db8:5:6:ffff::2") is None
    refusal = door.admit_connection("2001:db8:5:6:1234:5678:9abc:def0")  # a third address, same /64
    assert refusal is not None and refusal.kind == RATE
    assert door.admit_connection("2001:db8:5:7::1") is None  # the next /64 is someone else
    assert door.admit_connection("198.51.100.7") is None
    assert door.admit_connection("::ffff:198.51.100.7") is None
    assert door.admit_connection("::ffff:198.51.100.7") is not None  # the same IPv4 client, third time


def test_a_refused_connection_counts_nothing():
    door, _ = gate(max_connections_per_minute_per_address=1)
    door.admit_connection("192.0.2.1")
    for _ in range(5):
        assert door.admit_connection("192.0.2.1") is not None
    assert door.unauthenticated == 1


def test_the_pool_of_connections_not_yet_logged_in_is_capped():
    door, _ = gate(max_unauthenticated=2)
    assert door.admit_connection("192.0.2.1") is None and door.admit_connection("192.0.2.2") is None
    refusal = door.admit_connection("192.0.2.3")
    assert refusal is not None and refusal.kind == UNAUTHENTICATED_CAP and "busy" in refusal.english
    door.authenticated("192.0.2.1")  # one logs in: its place in the pool is free
    assert door.admit_connection("192.0.2.3") is None
    door.connection_closed("192.0.2.2", authenticated=False)  # one gives up before logging in
    assert door.admit_connection("192.0.2.4") is None
    assert door.admit_connection("192.0.2.5") is not None
    door.connection_closed("192.0.2.1", authenticated=True)  # a logged-in one leaving frees no pool place
    assert door.unauthenticated == 2


def test_one_address_cannot_fill_the_pool_of_connections_not_yet_logged_in():
    door, _ = gate(max_unauthenticated=10, max_unauthenticated_per_address=2)
    assert door.admit_connection("192.0.2.66") is None and door.admit_connection("192.0.2.66") is None
    for _ in range(8):  # an attacker keeps trying: each try is refused and holds nothing
        refusal = door.admit_connection("192.0.2.66")
        assert refusal is not None and refusal.kind == PER_ADDRESS_CAP
    assert door.unauthenticated == 2
    # Everyone else is still served, up to the pool.
    assert [door.admit_connection(f"198.51.100.{n}") for n in range(8)] == [None] * 8
    refusal = door.admit_connection("198.51.100.99")
    assert refusal is not None and refusal.kind == UNAUTHENTICATED_CAP  # now the pool is full for everyone
    # The attacker's share comes back only as its own connections log in or leave.
    door.connection_closed("198.51.100.0", authenticated=False)
    refusal = door.admit_connection("192.0.2.66")
    assert refusal is not None and refusal.kind == PER_ADDRESS_CAP
    door.authenticated("192.0.2.66")
    assert door.admit_connection("192.0.2.66") is None
    assert door.unauthenticated_per_client["192.0.2.66"] == 2 and door.unauthenticated == 9


def test_an_ipv6_network_shares_one_pending_share():
    door, _ = gate(max_unauthenticated=10, max_unauthenticated_per_address=2)
    assert door.admit_connection("2001:db8::1") is None and door.admit_connection("2001:db8::2") is None
    refusal = door.admit_connection("2001:db8::3")
    assert refusal is not None and refusal.kind == PER_ADDRESS_CAP
    door.connection_closed("2001:db8::1", authenticated=False)  # released under the network's key
    assert door.admit_connection("2001:db8::ffff") is None
    for address in ("2001:db8::2", "2001:db8::ffff"):
        door.connection_closed(address, authenticated=False)
    assert door.counts()["unauthenticated"] == 0 and not door.unauthenticated_per_client


def test_sessions_are_capped_in_all_and_per_address_in_both_languages():
    door, _ = gate(max_sessions=3, max_sessions_per_address=2)
    assert door.open_session("192.0.2.1") is None and door.open_session("192.0.2.1") is None
    per_address = door.open_session("192.0.2.1")
    assert per_address is not None and per_address.kind == PER_ADDRESS_CAP
    assert "2 sessions open" in per_address.text and "已达上限" in per_address.text
    assert door.open_session("192.0.2.2") is None
    in_all = door.open_session("192.0.2.3")
    assert in_all is not None and in_all.kind == GLOBAL_CAP
    assert in_all.text == (
        "服务繁忙（3 个会话进行中），请几分钟后再试。 "
        "This help line is busy: 3 sessions are open. Please try again in a few minutes."
    )
    door.close_session("192.0.2.1")
    assert door.open_session("192.0.2.3") is None
    assert door.counts() == {"unauthenticated": 0, "sessions": 3, "addresses_with_sessions": 3}
    for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        door.close_session(address)
    assert door.counts() == {"unauthenticated": 0, "sessions": 0, "addresses_with_sessions": 0}


def test_sessions_per_address_are_counted_per_ipv6_network():
    door, _ = gate(max_sessions=50, max_sessions_per_address=2)
    assert door.open_session("2001:db8:9::1") is None and door.open_session("2001:db8:9::2") is None
    refusal = door.open_session("2001:db8:9::3")
    assert refusal is not None and refusal.kind == PER_ADDRESS_CAP
    door.close_session("2001:db8:9::1")
    assert door.open_session("2001:db8:9::abcd") is None


def test_the_rate_memory_is_bounded(monkeypatch):
    monkeypatch.setattr(admission_module, "_MAX_TRACKED_CLIENTS", 3)
    door, clock = gate(max_connections_per_minute_per_address=1)
    for n in range(3):
        door.admit_connection(f"192.0.2.{n}")
    clock.now += 61  # those three are a minute old: forgotten first
    assert door.admit_connection("198.51.100.1") is None
    assert len(door._recent) == 1
    for n in range(3):  # all recent now: the oldest goes
        clock.now += 1
        door.admit_connection(f"203.0.113.{n}")
    assert len(door._recent) <= 3


@pytest.mark.parametrize("cap", [1, 5])
def test_a_cap_of_n_admits_exactly_n(cap):
    door, _ = gate(max_sessions=cap, max_sessions_per_address=cap)
    admitted = [door.open_session("192.0.2.1") is None for _ in range(cap + 2)]
    assert admitted == [True] * cap + [False, False]


def test_the_ssh_settings_give_their_rules():
    from kiosk.config.remote import SshSettings

    rules = SshSettings(max_unauthenticated=7, max_unauthenticated_per_address=1, max_sessions=9).admission_rules()
    assert (rules.max_unauthenticated, rules.max_unauthenticated_per_address, rules.max_sessions) == (7, 1, 9)
    default = SshSettings().admission_rules()
    assert default.max_unauthenticated_per_address * 4 <= default.max_unauthenticated  # well below the pool


def test_a_rate_limit_allows_its_burst_then_its_rate():
    from kiosk.admission import RateLimit

    clock = Clock()
    bucket = RateLimit(rate=10, burst=20, clock=clock)
    assert sum(bucket.allow() for _ in range(100)) == 20  # a burst, at once
    clock.now += 1.0
    assert sum(bucket.allow() for _ in range(100)) == 10  # then the rate
    clock.now += 60.0
    assert sum(bucket.allow() for _ in range(100)) == 20  # a long pause refills only up to the burst


def test_the_refusal_kinds_are_the_words_the_doors_count_refusals_under():
    """The access log, the status file and the metrics count a refusal under its kind: one set of words."""
    from kiosk.doorstatus import REFUSAL_REASONS

    for kind in (RATE, GLOBAL_CAP, PER_ADDRESS_CAP, UNAUTHENTICATED_CAP, admission_module.FLOOD):
        assert kind in REFUSAL_REASONS["ssh"]
