"""Staff access: PINs nobody guesses first, a lockout that survives a restart, an audit trail without the PIN."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat

import pytest
from fakejournal import FakeJournal

from kiosk import config, oplog
from kiosk.staffaccess import LOCKOUT, MAX_ATTEMPTS, Outcome, PinGuard, default_state_file

PIN = "246801"
NOW = dt.datetime(2026, 12, 2, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def stored() -> str:
    return config.hash_pin(PIN)


@pytest.fixture
def journal(monkeypatch):
    """The operator log as the console unit has it: straight to the journal's socket."""
    with FakeJournal() as fake:
        monkeypatch.delenv("JOURNAL_STREAM", raising=False)
        monkeypatch.setenv("INVOCATION_ID", "0123456789abcdef0123456789abcdef")
        monkeypatch.setenv(oplog.ENV_JOURNAL_SOCKET, str(fake.path))
        monkeypatch.setattr(oplog, "_journal", None)
        yield fake


@pytest.mark.parametrize(
    "pin, problem",
    [
        ("1234", "6 to 12 digits"),
        ("12345", "6 to 12 digits"),
        ("1234567890123", "6 to 12 digits"),
        ("12a456", "6 to 12 digits"),
        ("000000", "one digit repeated"),
        ("1111111", "one digit repeated"),
        ("123456", "a run of digits"),
        ("987654", "a run of digits"),
        ("890123", "a run of digits"),  # across 9-0, as on a keypad's wheel
        ("3210987", "a run of digits"),
    ],
)
def test_trivial_pins_are_refused(pin, problem):
    assert problem in (config.pin_problem(pin) or "")
    with pytest.raises(ValueError, match=problem):
        config.hash_pin(pin)


@pytest.mark.parametrize("pin", ["246801", "135792", "975318", "112233", "202612", "739204815"])
def test_other_pins_of_six_to_twelve_digits_are_accepted(pin):
    assert config.pin_problem(pin) is None
    assert config.verify_pin(pin, config.hash_pin(pin))


def test_the_lockout_survives_a_restart_in_a_private_file_without_the_pin(stored):
    guard = PinGuard()
    for _ in range(MAX_ATTEMPTS - 1):
        assert guard.attempt("111111", stored, NOW) is Outcome.REFUSED
    assert guard.attempt("111111", stored, NOW) is Outcome.LOCKED

    restarted = PinGuard()  # a new process: power cut, staff restart, crash
    assert restarted.locked(NOW + dt.timedelta(minutes=1))
    assert restarted.attempt(PIN, stored, NOW + dt.timedelta(minutes=1)) is Outcome.LOCKED

    path = default_state_file()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    text = path.read_text(encoding="utf-8")
    assert PIN not in text and "111111" not in text and "scrypt" not in text
    assert set(json.loads(text)) == {"failures", "locked_until"}

    later = PinGuard()
    assert later.attempt(PIN, stored, NOW + LOCKOUT + dt.timedelta(seconds=1)) is Outcome.GRANTED
    assert json.loads(path.read_text(encoding="utf-8")) == {"failures": 0, "locked_until": None}


def test_wrong_pins_before_a_restart_still_count_after_it(stored):
    first = PinGuard()
    for _ in range(3):
        first.attempt("111111", stored, NOW)
    second = PinGuard()
    assert second.tries_left == MAX_ATTEMPTS - 3
    second.attempt("111111", stored, NOW)
    assert second.attempt("111111", stored, NOW) is Outcome.LOCKED


def test_a_clock_set_back_cannot_lock_staff_out_for_good(stored):
    guard = PinGuard()
    for _ in range(MAX_ATTEMPTS):
        guard.attempt("111111", stored, NOW)
    year_earlier = NOW - dt.timedelta(days=365)
    restarted = PinGuard()
    assert restarted.locked(year_earlier)
    # At most one full lockout from the (wrong) time it now is.
    assert restarted.locked_until == year_earlier + LOCKOUT
    assert restarted.attempt(PIN, stored, year_earlier + LOCKOUT) is Outcome.GRANTED


def test_a_damaged_state_file_counts_from_zero_and_says_so(stored, journal):
    path = default_state_file()
    path.parent.mkdir(parents=True)
    path.write_text("{not json", encoding="utf-8")
    guard = PinGuard()
    assert guard.tries_left == MAX_ATTEMPTS and not guard.locked(NOW)
    [entry] = journal.entries()
    assert "could not be read" in entry["MESSAGE"] and str(path) in entry["MESSAGE"]


def test_every_attempt_is_logged_with_time_and_outcome_and_never_the_pin(stored, journal):
    guard = PinGuard()
    guard.attempt("135792", stored, NOW)
    guard.attempt(PIN, stored, NOW + dt.timedelta(seconds=5))
    for _ in range(MAX_ATTEMPTS):
        guard.attempt("135792", stored, NOW + dt.timedelta(seconds=10))
    guard.attempt(PIN, stored, NOW + dt.timedelta(seconds=20))
    entries = journal.entries()
    assert [e["KIOSK_OUTCOME"] for e in entries] == [
        "refused",
        "granted",
        *["refused"] * (MAX_ATTEMPTS - 1),
        "locked",
        "locked",
    ]
    assert {e["KIOSK_EVENT"] for e in entries} == {"staff_login"}
    assert entries[0]["KIOSK_TIME"] == "2026-12-02T09:30:00+00:00"
    assert entries[0]["KIOSK_TRIES_LEFT"] == "4"
    assert entries[1]["PRIORITY"] == str(oplog.NOTICE) and entries[0]["PRIORITY"] == str(oplog.WARNING)
    assert entries[-1]["KIOSK_LOCKED_UNTIL"] == "2026-12-02T09:35:10+00:00"
    everything = "".join(repr(e) for e in entries)
    assert PIN not in everything and "135792" not in everything and "scrypt" not in everything


@pytest.mark.parametrize(
    "stored_hash, problem, reason",
    [
        ("", "", "no staff PIN is set"),
        ("scrypt$1$1$1$AAAA$BBBB", "kiosk.toml:3: staff_pin_hash: is not a hash", "kiosk.toml:3: staff_pin_hash"),
    ],
)
def test_without_a_usable_pin_staff_access_is_unavailable_and_logged(stored_hash, problem, reason, journal):
    guard = PinGuard()
    # A malformed hash is never checked (config.load drops it, and says why in the problem).
    assert guard.attempt("975318", stored_hash, NOW, unavailable=problem) is Outcome.UNAVAILABLE
    [entry] = journal.entries()
    assert entry["KIOSK_OUTCOME"] == "unavailable" and reason in entry["KIOSK_REASON"]
    assert not default_state_file().exists()  # nothing was counted


def test_a_state_folder_that_cannot_be_written_keeps_the_lockout_in_memory(stored, journal, tmp_path):
    # A file where the folder should be: no one, root included, can create the state file there.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    guard = PinGuard(blocker / "staff-lockout.json")
    for _ in range(MAX_ATTEMPTS):
        guard.attempt("111111", stored, NOW)
    assert guard.locked(NOW)
    # Said once, not at every attempt (reading it was refused too, and said as well).
    notices = [e["MESSAGE"] for e in journal.entries() if e["KIOSK_EVENT"] == "notice"]
    assert len([n for n in notices if "could not be written" in n]) == 1
