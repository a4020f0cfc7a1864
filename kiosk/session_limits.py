"""A remote session's time limits, the same for every front door: idle, maximum length, the warning.

A session ends when the customer has typed nothing for `idle_timeout` seconds (untouched
sessions included: the kiosk's own idle countdown starts only once someone uses it), or when it
has lasted `max_length` seconds. Shortly before the length runs out the kiosk is told
(SIGUSR1 from its front door) and says "ending soon" in the customer's language.

Only input counts as the customer being there, and not mouse motion or focus reports, which a
terminal (or the browser's terminal) sends by itself. Output never counts.

Standard library only, no I/O: a front door calls `input()` as data arrives and `check()` every
TICK seconds, and acts on what `check()` answers.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from enum import Enum

#: Seconds between checks of the idle and length limits.
TICK = 1.0
#: Seconds before the time limit when the kiosk is told to warn the customer; at most half the
#: limit, so a short one still leaves time to read the warning.
LENGTH_WARNING = 60.0

#: Reports a terminal sends on its own: SGR mouse motion (button code with the motion bit 32),
#: legacy mouse motion, and focus in/out. Anything else from the client is the customer typing.
_UNPROMPTED = re.compile(rb"\x1b\[<(\d+);\d+;\d+[Mm]|\x1b\[M([\x20-\xff])[\x20-\xff][\x20-\xff]|\x1b\[[IO]")


def is_customer_input(data: bytes) -> bool:
    """True if `data` holds anything but mouse motion and focus reports."""

    def keep(match: re.Match[bytes]) -> bytes:
        if match.group(1) is not None:
            return b"" if int(match.group(1)) & 32 else b"k"
        if match.group(2) is not None:
            return b"" if (match.group(2)[0] - 32) & 32 else b"k"
        return b""

    return bool(_UNPROMPTED.sub(keep, data))


class Verdict(Enum):
    """What `SessionClock.check()` tells its front door to do now."""

    CONTINUE = "continue"
    WARN = "warn"  # once: tell the kiosk the end is near (SIGUSR1)
    IDLE = "idle"  # end it: nothing typed for idle_timeout
    MAX_LENGTH = "max length"  # end it: it lasted max_length


class SessionClock:
    """One session's idle and length limits, measured with `clock` (a test passes its own)."""

    def __init__(self, idle_timeout: float, max_length: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.idle_timeout = idle_timeout
        self.max_length = max_length
        self.clock = clock
        #: Seconds into the session when the kiosk is told to warn the customer.
        self.warn_at = max_length - min(LENGTH_WARNING, max_length / 2)
        self.started = clock()
        self.last_input = self.started
        self._warned = False

    def input(self, data: bytes) -> None:
        if is_customer_input(data):
            self.last_input = self.clock()

    def check(self) -> Verdict:
        now = self.clock()
        if now - self.started >= self.max_length:
            return Verdict.MAX_LENGTH
        if now - self.last_input >= self.idle_timeout:
            return Verdict.IDLE
        if not self._warned and now - self.started >= self.warn_at:
            self._warned = True
            return Verdict.WARN
        return Verdict.CONTINUE
