"""Staff access at the console: checking a PIN, a lockout that survives restarts, and the audit trail.

Five wrong PINs in a row lock the prompt for five minutes. The count and the
end of the lockout are kept in the state folder (`staff-lockout.json`, mode
0600), so pulling the plug or a staff restart does not give a guesser five
more tries; the file holds no PIN and no hash. A lockout that ends further in
the future than a lockout lasts (the clock was set back) is cut to one full
lockout from now, so a wrong clock never locks staff out for good.

Every attempt is written to the operator log (kiosk.oplog) as a `staff_login`
event with its time and outcome: granted, refused (with the tries left),
locked, or unavailable (no usable PIN in the configuration: not set, or its
hash is malformed, or the file could not be read). The PIN itself is never
logged, stored or shown. Checking a PIN never raises.
"""

from __future__ import annotations

import datetime as _dt
import enum
import json
from pathlib import Path

from kiosk import oplog

MAX_ATTEMPTS = 5
LOCKOUT = _dt.timedelta(minutes=5)
STATE_FILE = "staff-lockout.json"


class Outcome(enum.StrEnum):
    GRANTED = "granted"
    REFUSED = "refused"
    LOCKED = "locked"
    UNAVAILABLE = "unavailable"


def default_state_file() -> Path:
    from kiosk import paths

    return paths.state_dir() / STATE_FILE


class PinGuard:
    """Counts wrong PINs across prompts and restarts; five in a row lock the prompt for five minutes.

    `state_file`: where the count is kept (default: `staff-lockout.json` in the state folder).
    """

    def __init__(self, state_file: Path | None = None) -> None:
        self.state_file = default_state_file() if state_file is None else state_file
        self.failures = 0
        self.locked_until: _dt.datetime | None = None
        self._save_failed = False
        self._load()

    # -- the rule ------------------------------------------------------------------------

    def locked(self, now: _dt.datetime) -> bool:
        if self.locked_until is not None:
            if now >= self.locked_until:
                self.locked_until = None
                self.failures = 0
                self._save()
            elif self.locked_until - now > LOCKOUT:  # the clock went back: one full lockout from now
                self.locked_until = now + LOCKOUT
                self._save()
        return self.locked_until is not None

    @property
    def tries_left(self) -> int:
        return max(MAX_ATTEMPTS - self.failures, 0)

    def attempt(self, pin: str, stored_hash: str, now: _dt.datetime, *, unavailable: str = "") -> Outcome:
        """Check `pin`, count it, log the outcome (never the PIN) and return it.

        `unavailable`: why staff access cannot work although a PIN may have been set (see
        Settings.staff_access_problem); with it, or without a stored hash, nothing is checked.
        """
        if unavailable or not stored_hash:
            outcome = Outcome.UNAVAILABLE
            self._log(outcome, now, reason=unavailable or "no staff PIN is set (kiosk config set-pin)")
            return outcome
        if self.locked(now):
            self._log(Outcome.LOCKED, now)
            return Outcome.LOCKED
        from kiosk import config  # hashing and OpenSSL: only once someone types a PIN

        if config.verify_pin(pin, stored_hash):
            self.failures = 0
            self.locked_until = None
            self._save()
            self._log(Outcome.GRANTED, now)
            return Outcome.GRANTED
        self.failures += 1
        if self.failures >= MAX_ATTEMPTS:
            self.locked_until = now + LOCKOUT
        self._save()
        if self.locked_until is not None:
            self._log(Outcome.LOCKED, now)
            return Outcome.LOCKED
        self._log(Outcome.REFUSED, now)
        return Outcome.REFUSED

    def check(self, pin: str, stored_hash: str, now: _dt.datetime) -> bool:
        """True when `pin` is right and the prompt is not locked (see `attempt`)."""
        return self.attempt(pin, stored_hash, now) is Outcome.GRANTED

    def _log(self, outcome: Outcome, now: _dt.datetime, reason: str = "") -> None:
        fields: dict[str, object] = {"outcome": str(outcome), "time": now.isoformat(timespec="seconds")}
        if outcome is Outcome.REFUSED:
            fields["tries_left"] = self.tries_left
        if outcome is Outcome.LOCKED and self.locked_until is not None:
            fields["locked_until"] = self.locked_until.isoformat(timespec="seconds")
        if reason:
            fields["reason"] = reason
        priority = oplog.NOTICE if outcome is Outcome.GRANTED else oplog.WARNING
        oplog.event("staff_login", priority=priority, **fields)

    # -- kept between starts -----------------------------------------------------------------

    def _load(self) -> None:
        try:
            data = json.loads(self.state_file.read_text(encoding="utf-8"))
            failures = data["failures"]
            until = data["locked_until"]
            if not isinstance(failures, int) or isinstance(failures, bool) or not 0 <= failures <= MAX_ATTEMPTS:
                raise ValueError(f"failures {failures!r}")
            locked_until = _dt.datetime.fromisoformat(until) if until is not None else None
            if locked_until is not None and locked_until.tzinfo is None:
                raise ValueError("locked_until has no time zone")
        except FileNotFoundError:
            return
        except (OSError, ValueError, KeyError, TypeError) as exc:
            # Unreadable: start counting afresh rather than lock staff out, and say so.
            oplog.notice(f"staff lockout state {self.state_file} could not be read ({exc}); counting from zero")
            return
        self.failures, self.locked_until = failures, locked_until

    def _save(self) -> None:
        from kiosk.atomicfile import write_atomic  # only after a PIN was typed

        data = {
            "failures": self.failures,
            "locked_until": self.locked_until.isoformat() if self.locked_until else None,
        }
        try:
            self.state_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            write_atomic(self.state_file, json.dumps(data).encode("utf-8"), durable=True)
        except OSError as exc:
            if not self._save_failed:  # the lockout still holds in memory; say once that it will not last
                oplog.notice(f"staff lockout state {self.state_file} could not be written: {exc}")
            self._save_failed = True
        else:
            self._save_failed = False


__all__ = ["LOCKOUT", "MAX_ATTEMPTS", "STATE_FILE", "Outcome", "PinGuard", "default_state_file"]
