"""One line per connection: who (address), how (auth mode), what terminal, how long, how it ended.

Never what was typed, never what was shown, never a password or key.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import time
from dataclasses import dataclass, field
from typing import IO


@dataclass
class ConnectionRecord:
    address: str
    port: int
    auth: str
    started: float = field(default_factory=time.monotonic)
    term: str = "-"
    size: str = "-"
    exit: str = "disconnected"
    #: The trusted proxy that named `address` as the client (PROXY protocol), or "-".
    via: str = "-"

    def line(self, now: float | None = None) -> str:
        duration = (time.monotonic() if now is None else now) - self.started
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return (
            f"{stamp} kiosk-ssh address={self.address} port={self.port} auth={self.auth} term={self.term} "
            f'size={self.size} duration={duration:.1f}s exit="{self.exit}"'
            + (f" via={self.via}" if self.via != "-" else "")
        )


def _safe(value: str) -> str:
    """Client-chosen text (TERM) must not forge lines or escape sequences in the log."""
    return "".join(ch if ch.isprintable() and ch not in ' "\\' else "?" for ch in value)[:64] or "-"


class AccessLog:
    def __init__(self, target: str = "-") -> None:
        self.target = target
        self._stream: IO[str] | None = self._open(target)

    @staticmethod
    def _open(target: str) -> IO[str] | None:
        if target == "-":
            return None
        fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        return os.fdopen(fd, "a", encoding="utf-8", buffering=1)

    def reopen(self, target: str) -> None:
        """Write to `target` from now on, opened afresh (after log rotation); OSError leaves it as it was."""
        stream = self._open(target)
        self.close()
        self.target, self._stream = target, stream

    def write(self, record: ConnectionRecord) -> None:
        record.term = _safe(record.term)
        stream = self._stream or sys.stderr
        try:
            stream.write(record.line() + "\n")
            stream.flush()
        except (OSError, ValueError):
            pass  # a full disk must not take the help line down

    def close(self) -> None:
        if self._stream is not None:
            stream, self._stream = self._stream, None
            with contextlib.suppress(OSError, ValueError):  # what a full disk kept buffered is lost, not the shutdown
                stream.close()
