"""One line per connection: who (address), how (auth mode, key), what terminal, how long, how it ended.

`key` is the SHA256 fingerprint of the public key the client authenticated
with (auth = "keys"), or of the last one refused, as `ssh-keygen -lf` prints it:
which branch terminal connected. `refused` lists what was refused on a
connection that went on (forwarding). A refusal's exit names the limit or the
check that said no (`refused: per-address-cap`, `refused: global-cap`,
`refused: rate`, `refused: rejected-key`, `refused: forwarding`...), the words
of the status file and the metrics (kiosk.doorstatus).

Never what was typed, never what was shown, never a password or a private key.
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
    #: SHA256 fingerprint of the key accepted, or else of the last one refused ("-": none offered).
    key: str = "-"
    #: What made authentication fail last (kiosk.doorstatus: rejected-key, rejected-password), if it did.
    rejected: str = ""
    #: Requests refused on a connection that went on (forwarding).
    refused: list[str] = field(default_factory=list)
    #: The trusted proxy that named `address` as the client (PROXY protocol), or "-".
    via: str = "-"

    def line(self, now: float | None = None) -> str:
        duration = (time.monotonic() if now is None else now) - self.started
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        refused = f" refused={','.join(sorted(set(self.refused)))}" if self.refused else ""
        return (
            f"{stamp} kiosk-ssh address={self.address} port={self.port} auth={self.auth} key={self.key} "
            f'term={self.term} size={self.size} duration={duration:.1f}s{refused} exit="{self.exit}"'
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
