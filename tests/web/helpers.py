"""Helpers for the web front door's tests: the kiosk's own process, free ports, bounded waits."""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from helpers import wait_until  # noqa: F401  (the web tests import it from here)

WEB_DRIVER = "textual.drivers.web_driver:WebDriver"
PRELUDE = b"__GANGLION__\n"
HOME_TEXT = "钱包自助服务"


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """This interpreter's environment without kiosk or Textual settings, with a private home."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "TEXTUAL"))}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_DATA_HOME=str(home / "data"),
        LANG="C.UTF-8",
    )
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def read_exactly(fd: int, count: int, timeout: float) -> bytes:
    """Up to `count` bytes from `fd`; fewer only if it closed or the time ran out."""
    data = b""
    deadline = time.monotonic() + timeout
    while len(data) < count:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            break
        chunk = os.read(fd, count - len(data))
        if not chunk:
            break
        data += chunk
    return data


def packet(kind: bytes, payload: bytes) -> bytes:
    """One frame of the driver protocol: a type byte, a 4-byte big-endian length, the payload."""
    return kind + len(payload).to_bytes(4, "big") + payload


def meta(message: dict) -> bytes:
    return packet(b"M", json.dumps(message).encode())


def parse_packets(stream: bytes) -> list[tuple[bytes, bytes]]:
    """Every frame in `stream`; AssertionError if any byte is not part of a well-formed frame."""
    packets, at = [], 0
    while at < len(stream):
        kind = stream[at : at + 1]
        assert kind in (b"D", b"M", b"P"), f"not a frame at byte {at}: {stream[at : at + 40]!r}"
        assert at + 5 <= len(stream), f"truncated header at byte {at}"
        size = int.from_bytes(stream[at + 1 : at + 5], "big")
        assert at + 5 + size <= len(stream), f"truncated frame at byte {at}"
        packets.append((kind, stream[at + 5 : at + 5 + size]))
        at += 5 + size
    return packets


def children_of(pid: int) -> list[int]:
    """Direct children of `pid`, from /proc."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def is_fork_server(pid: int) -> bool:
    try:
        return b"kiosk.forkserver.server" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def stop_group(proc: subprocess.Popen, timeout: float = 10) -> None:
    """End a process started with start_new_session=True, and everything it started."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout)
    # Its session's group: only what this test started.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    if proc.poll() is None:
        proc.wait(timeout)


def kiosk_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "kiosk", *args]
