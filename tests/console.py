"""The installed `kiosk` console script on a real pseudo-terminal, read through a terminal emulator.

What a customer sees is what pyte (a VT100/xterm emulator) draws from the bytes the kiosk
writes, so tests assert on the screen as a person reads it, not on escape sequences.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pyte

#: The console script pip installed beside this interpreter: the command a branch terminal runs.
KIOSK = Path(sys.executable).with_name("kiosk")


def console_env(home: Path, **extra: str) -> dict[str, str]:
    """A branch terminal's environment: its own HOME (config, cache, state under it), a UTF-8 xterm."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "TEXTUAL", "XDG_"))}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_STATE_HOME=str(home / ".local" / "state"),
        TERM="xterm-256color",
        LANG="C.UTF-8",
    )
    env.update(extra)
    return env


class Console:
    """`kiosk ARGS` on a pseudo-terminal of `size`, its output fed to a pyte screen."""

    def __init__(self, args: list[str], env: dict[str, str], size: tuple[int, int] = (100, 30)) -> None:
        columns, rows = size
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        os.set_blocking(self.master, False)
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.proc = subprocess.Popen(
            [str(KIOSK), *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)

    def pump(self, seconds: float = 0.05) -> None:
        """Read whatever the kiosk writes for `seconds` (a terminal that is not read stalls the app)."""
        deadline = time.monotonic() + seconds
        while True:
            ready, _, _ = select.select([self.master], [], [], max(0.0, deadline - time.monotonic()))
            if ready:
                try:
                    data = os.read(self.master, 65536)
                except OSError:  # the kiosk has gone and closed its side
                    data = b""
                if not data:
                    if time.monotonic() >= deadline:
                        return
                    time.sleep(0.01)
                    continue
                self.raw += data
                self.stream.feed(data)
            if time.monotonic() >= deadline:
                return

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_for(self, needle: str, timeout: float = 15, settle: float = 0.25) -> str:
        """Pump until `needle` is on screen, then `settle` seconds more (a person reads before the
        next key); the screen, or AssertionError with what was there."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump(0.05)
            if needle in self.text():
                self.pump(settle)
                return self.text()
            if self.proc.poll() is not None:
                self.pump(0.2)
                break
        assert needle in self.text(), f"{needle!r} not on screen (exit {self.proc.poll()}):\n{self.text()}"
        return self.text()

    def press(self, *keys: bytes, settle: float = 0.3) -> None:
        """Send each key, then read the screen for `settle` seconds, as a person waits to see the result."""
        for key in keys:
            os.write(self.master, key)
            self.pump(settle)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def wait_exit(self, timeout: float = 15) -> int:
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None:
            assert time.monotonic() < deadline, f"the kiosk did not exit in {timeout} s:\n{self.text()}"
            self.pump(0.1)
        self.pump(0.1)
        return self.proc.returncode

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)
        os.close(self.master)


#: Keys as a terminal sends them.
DOWN = b"\x1b[B"
ENTER = b"\r"
ESCAPE = b"\x1b"
