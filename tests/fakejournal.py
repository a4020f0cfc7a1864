"""A stand-in for journald's native socket: it receives datagrams and parses them as journald does.

Point the kiosk at it with KIOSK_JOURNAL_SOCKET (kiosk.oplog reads it for tests). The parser
follows systemd's native protocol: `NAME=value` lines, or `NAME`, a newline, a 64-bit
little-endian length, that many bytes and a newline, for values with line breaks.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import tempfile
import time
from pathlib import Path


def parse_datagram(data: bytes) -> dict[str, str]:
    fields: dict[str, str] = {}
    pos = 0
    while pos < len(data):
        end = data.index(b"\n", pos)
        line = data[pos:end]
        if b"=" in line:
            name, _, value = line.partition(b"=")
            pos = end + 1
        else:
            name = line
            size = int.from_bytes(data[end + 1 : end + 9], "little")
            value = data[end + 9 : end + 9 + size]
            if data[end + 9 + size : end + 10 + size] != b"\n":
                raise ValueError(f"field {name!r}: no newline after {size} bytes")
            pos = end + 10 + size
        if not name or not all(c.isupper() or c.isdigit() or c == "_" for c in name.decode("ascii")):
            raise ValueError(f"not a journal field name: {name!r}")
        if name.startswith(b"_"):
            raise ValueError(f"a client may not send trusted fields: {name!r}")
        fields[name.decode("ascii")] = value.decode("utf-8")
    return fields


class FakeJournal:
    """A bound datagram socket in a short-named temporary folder (socket paths are limited to 108 bytes)."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="kj-"))
        self.path = self.folder / "socket"
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(self.path))
        self.sock.setblocking(False)
        self.raw: list[bytes] = []

    def entries(self) -> list[dict[str, str]]:
        """Every entry received so far, parsed."""
        while True:
            try:
                self.raw.append(self.sock.recv(1 << 20))
            except BlockingIOError:
                break
        return [parse_datagram(data) for data in self.raw]

    def wait_for(self, predicate, timeout: float = 30) -> list[dict[str, str]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            entries = self.entries()
            if predicate(entries):
                return entries
            time.sleep(0.05)
        return self.entries()

    def close(self) -> None:
        self.sock.close()
        with contextlib.suppress(OSError):
            os.unlink(self.path)
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> FakeJournal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
