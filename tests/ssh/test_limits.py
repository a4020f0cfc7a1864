"""Admission, with a clock the test moves: per-address rate, the unauthenticated pool, session caps."""

from __future__ import annotations

import pytest

from kiosk.config.remote import SshSettings
from kiosk.ssh import limits as limits_module
from kiosk.ssh.limits import Limits


class Clock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


def limits(
    *,
    max_unauthenticated: int = 1000,
    max_connections_per_minute_per_address: int = 1000,
    max_sessions: int = 50,
    max_sessions_per_address: int = 5,
) -> tuple[Limits, Clock]:
    clock = Clock()
    settings = SshSettings(
        max_unauthenticated=max_unauthenticated,
        max_connections_per_minute_per_address=max_connections_per_minute_per_address,
        max_sessions=max_sessions,
        max_sessions_per_address=max_sessions_per_address,
    )
    return Limits(settings, clock=clock), clock


def test_each_address_gets_its_connections_per_minute_and_then_a_reason():
    gate, clock = limits(max_connections_per_minute_per_address=3)
    assert [gate.admit_connection("192.0.2.1") for _ in range(3)] == [None] * 3
    refusal = gate.admit_connection("192.0.2.1")
    assert refusal is not None and "3 a minute" in refusal and "wait a minute" in refusal
    assert refusal.reason == "rate"
    assert gate.admit_connection("192.0.2.2") is None  # another address has its own count
    clock.now += 59.9
    assert gate.admit_connection("192.0.2.1") is not None
    clock.now += 0.1  # a minute after the first three
    assert gate.admit_connection("192.0.2.1") is None


def test_a_refused_connection_counts_nothing():
    gate, _ = limits(max_connections_per_minute_per_address=1)
    gate.admit_connection("192.0.2.1")
    for _ in range(5):
        assert gate.admit_connection("192.0.2.1") is not None
    assert gate.unauthenticated == 1


def test_the_pool_of_connections_not_yet_logged_in_is_capped():
    gate, _ = limits(max_unauthenticated=2)
    assert gate.admit_connection("192.0.2.1") is None and gate.admit_connection("192.0.2.2") is None
    refusal = gate.admit_connection("192.0.2.3")
    assert refusal is not None and "busy" in refusal and refusal.reason == "unauthenticated-cap"
    gate.authenticated()  # one logs in: its place in the pool is free
    assert gate.admit_connection("192.0.2.3") is None
    gate.connection_closed(authenticated=False)  # one gives up before logging in
    assert gate.admit_connection("192.0.2.4") is None
    assert gate.admit_connection("192.0.2.5") is not None
    gate.connection_closed(authenticated=True)  # a logged-in one leaving frees no pool place
    assert gate.unauthenticated == 2


def test_sessions_are_capped_in_all_and_per_address_in_both_languages():
    gate, _ = limits(max_sessions=3, max_sessions_per_address=2)
    assert gate.open_session("192.0.2.1") is None and gate.open_session("192.0.2.1") is None
    per_address = gate.open_session("192.0.2.1")
    assert per_address is not None and "2 sessions open" in per_address and "已达上限" in per_address
    assert per_address.reason == "per-address-cap"
    assert gate.open_session("192.0.2.2") is None
    in_all = gate.open_session("192.0.2.3")
    assert in_all is not None and "3 sessions are open" in in_all and "服务繁忙" in in_all
    assert in_all.reason == "global-cap"
    gate.close_session("192.0.2.1")
    assert gate.open_session("192.0.2.3") is None
    assert gate.counts() == {"unauthenticated": 0, "sessions": 3, "addresses_with_sessions": 3}
    for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        gate.close_session(address)
    assert gate.counts() == {"unauthenticated": 0, "sessions": 0, "addresses_with_sessions": 0}


def test_the_rate_memory_is_bounded(monkeypatch):
    monkeypatch.setattr(limits_module, "_MAX_TRACKED_ADDRESSES", 3)
    gate, clock = limits(max_connections_per_minute_per_address=1)
    for n in range(3):
        gate.admit_connection(f"192.0.2.{n}")
    clock.now += 61  # those three are a minute old: forgotten first
    assert gate.admit_connection("198.51.100.1") is None
    assert len(gate._recent) == 1
    for n in range(3):  # all recent now: the oldest goes
        clock.now += 1
        gate.admit_connection(f"203.0.113.{n}")
    assert len(gate._recent) <= 3


@pytest.mark.parametrize("cap", [1, 5])
def test_a_cap_of_n_admits_exactly_n(cap):
    gate, _ = limits(max_sessions=cap, max_sessions_per_address=cap)
    admitted = [gate.open_session("192.0.2.1") is None for _ in range(cap + 2)]
    assert admitted == [True] * cap + [False, False]
