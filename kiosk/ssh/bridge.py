"""One session's plumbing: the SSH channel on one side, the kiosk's pty on the other.

Why a pty and not Textual's WebDriver over pipes: measured side by side on a 2-core
machine, the two bridges were level (first screen, keystroke to finished update, memory
of the session process). The pty runs the kiosk exactly as on a local terminal
(LinuxDriver, SIGWINCH resizes, SIGHUP when the pty closes) and needs no Textual-internal
framing protocol pinned to one Textual version, so the pty it is. Memory, not the bridge,
was the problem: see kiosk.forkserver.server. Today's figures: `make bench` (its ssh
section, bench/ssh.py).

Output: pty -> output firewall (kiosk.ssh.filter) -> channel; reading pauses
while the channel's send window is full, so a client that stops reading
cannot make the server buffer without bound.
Input: channel -> pty, at most MAX_PENDING_INPUT bytes waiting (a flood is cut).
Resize: window changes are coalesced, the latest size applied at most every RESIZE_INTERVAL,
so a flood of them cannot become a flood of SIGWINCH in the kiosk (under one, CPython 3.11
can deadlock inside its own signal handler once the wakeup pipe is full).
Idle: only input counts, and not mouse motion or focus reports (the terminal
sends those by itself); output never does.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from collections.abc import Callable
from typing import Protocol

from kiosk import exitcodes
from kiosk.forkserver.environment import clamp_size
from kiosk.session_limits import is_customer_input  # the same rule for every front door
from kiosk.ssh.child import Child
from kiosk.ssh.filter import RESTORE_TRAILER, OutputFilter
from kiosk.ssh.pty import set_size

MAX_PENDING_INPUT = 64 * 1024
READ_SIZE = 65536
#: Shortest time between two sizes given to the kiosk's terminal (each is a SIGWINCH).
RESIZE_INTERVAL = 0.05
#: Seconds between checks of the idle and length limits.
TICK = 1.0
#: Seconds before the time limit when the kiosk is told to warn the customer (SIGUSR1); at most
#: half the limit, so a short one still leaves time to read the warning.
LENGTH_WARNING = 60.0

#: Exit reasons for the access log.
CUSTOMER_QUIT = "customer quit"
APP_IDLE = "idle (kiosk)"
IDLE = "idle"
MAX_LENGTH = "max length"
DISCONNECTED = "disconnected"
SHUTDOWN = "server shutdown"

_IDLE_GOODBYE = (
    "一段时间没有操作，本次服务已结束。欢迎随时再次连接。",
    "This session ended because nothing was typed for a while. Connect again any time.",
)
#: The last lines a customer reads, in both of the kiosk's languages (Chinese is the default).
_GOODBYES = {
    IDLE: _IDLE_GOODBYE,
    APP_IDLE: _IDLE_GOODBYE,
    MAX_LENGTH: (
        "本次服务已达到时间上限。请重新连接继续。",
        "This session reached its time limit. Connect again to continue.",
    ),
    SHUTDOWN: ("服务正在重启，请一分钟后再连接。", "The help line is restarting. Please connect again in a minute."),
}


class Channel(Protocol):
    """What a bridge needs of the customer's side: asyncssh's SSHServerChannel, in bytes."""

    def write(self, data: bytes) -> None: ...

    def is_closing(self) -> bool: ...

    def exit(self, status: int) -> None: ...

    def close(self) -> None: ...


class Bridge:
    def __init__(
        self,
        chan: Channel,
        child: Child,
        *,
        idle_timeout: float,
        max_length: float,
        on_end: Callable[[str], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.chan = chan
        self.child = child
        self.idle_timeout = idle_timeout
        self.max_length = max_length
        #: Seconds into the session when the kiosk is told to warn the customer.
        self.warn_at = max_length - min(LENGTH_WARNING, max_length / 2)
        self.on_end = on_end
        self.clock = clock
        self.filter = OutputFilter()
        self.started = clock()
        self.last_input = self.started
        self._pending_input = bytearray()
        self._reading = False
        self._writing_input = False
        self._paused = False
        self._ending = False
        self._loop = asyncio.get_running_loop()
        self._tick: asyncio.TimerHandle | None = None
        self._warned = False
        self._wanted_size: tuple[int, int] | None = None
        self._resize_timer: asyncio.TimerHandle | None = None
        self._last_resize = -RESIZE_INTERVAL
        #: Sizes actually given to the kiosk's terminal (for tests and the curious).
        self.resizes = 0
        self.done = self._loop.create_future()

    # -- running ----------------------------------------------------------------
    def start(self) -> None:
        self._resume_reading()
        self._tick = self._loop.call_later(TICK, self.check_limits)
        self.child.exited.add_done_callback(lambda _f: self._loop.create_task(self._child_exited()))

    def _resume_reading(self) -> None:
        if not self._reading and not self._ending:
            self._loop.add_reader(self.child.master, self._read_output)
            self._reading = True

    def _pause_reading(self) -> None:
        if self._reading:
            self._loop.remove_reader(self.child.master)
            self._reading = False

    def _read_output(self) -> None:
        try:
            data = os.read(self.child.master, READ_SIZE)
        except BlockingIOError:
            return
        except OSError:  # EIO: every holder of the slave side is gone
            data = b""
        if not data:
            self._pause_reading()
            return
        self._send(self.filter.feed(data))

    def _send(self, data: bytes) -> None:
        if data and not self.chan.is_closing():
            self.chan.write(data)

    def pause_writing(self) -> None:
        """The client is not reading: stop reading the kiosk until it does."""
        self._paused = True
        self._pause_reading()

    def resume_writing(self) -> None:
        self._paused = False
        self._resume_reading()

    def input(self, data: bytes) -> None:
        if self._ending:
            return
        if is_customer_input(data):
            self.last_input = self.clock()
        room = MAX_PENDING_INPUT - len(self._pending_input)
        self._pending_input += data[: max(room, 0)]
        self._write_input()

    def _write_input(self) -> None:
        while self._pending_input:
            try:
                written = os.write(self.child.master, self._pending_input)
            except BlockingIOError:
                written = 0
            except OSError:
                self._pending_input.clear()
                break
            del self._pending_input[:written]
            if written == 0:
                break
        if self._pending_input and not self._writing_input and not self._ending:
            self._loop.add_writer(self.child.master, self._writable)
            self._writing_input = True
        elif not self._pending_input and self._writing_input:
            self._loop.remove_writer(self.child.master)
            self._writing_input = False

    def _writable(self) -> None:
        self._write_input()

    def resize(self, width: int, height: int) -> None:
        """The customer's window changed: the kiosk gets the latest size, at most every RESIZE_INTERVAL."""
        if self._ending:
            return
        self._wanted_size = clamp_size(width, height)
        if self._resize_timer is None:
            delay = max(0.0, self._last_resize + RESIZE_INTERVAL - self._loop.time())
            self._resize_timer = self._loop.call_later(delay, self._apply_size)

    def _apply_size(self) -> None:
        self._resize_timer = None
        size, self._wanted_size = self._wanted_size, None
        if self._ending or size is None:
            return
        self._last_resize = self._loop.time()
        self.resizes += 1
        with contextlib.suppress(OSError):
            set_size(self.child.master, *size)

    def check_limits(self) -> None:
        """End the session if it is over its length or idle limit, warn if its end is near.

        Called every TICK seconds; the limits are measured with `clock`, so a test can call
        this with a clock of its own instead of waiting.
        """
        self._tick = None
        if self._ending:
            return
        now = self.clock()
        if now - self.started >= self.max_length:
            self._loop.create_task(self.end(MAX_LENGTH))
        elif now - self.last_input >= self.idle_timeout:
            self._loop.create_task(self.end(IDLE))
        else:
            if not self._warned and now - self.started >= self.warn_at:
                self._warned = True
                self.child.send_signal(signal.SIGUSR1)  # the kiosk says "ending soon" in its language
            self._tick = self._loop.call_later(TICK, self.check_limits)

    # -- ending -------------------------------------------------------------------
    async def _child_exited(self) -> None:
        if self._ending:
            return
        code = self.child.exited.result()
        reason = (
            CUSTOMER_QUIT
            if code == exitcodes.OK
            else APP_IDLE
            if code == exitcodes.IDLE_TIMEOUT
            else f"kiosk exited with {code}"
            if code is not None
            else "kiosk exited"
        )
        await self.end(reason, exit_status=0 if code in (exitcodes.OK, exitcodes.IDLE_TIMEOUT) else 1)

    async def end(self, reason: str, exit_status: int = 0) -> None:
        """Stop the kiosk, reap it, tell the customer's terminal (unless they left), close."""
        if self._ending:
            await asyncio.shield(self.done)
            return
        self._ending = True
        if self._tick is not None:
            self._tick.cancel()
        if self._resize_timer is not None:
            self._resize_timer.cancel()
            self._resize_timer = None
        try:
            if reason != DISCONNECTED and not self._paused:
                self._drain_output()
            self._pause_reading()
            if self._writing_input:
                self._loop.remove_writer(self.child.master)
                self._writing_input = False
            await self.child.stop()
            if reason != DISCONNECTED and not self.chan.is_closing():
                self._send(self.filter.flush() + RESTORE_TRAILER)
                goodbye = _GOODBYES.get(reason)
                if goodbye:
                    self._send(("\r\n" + "".join(f"{line}\r\n" for line in goodbye)).encode())
                with contextlib.suppress(Exception):
                    self.chan.exit(exit_status)
            else:
                with contextlib.suppress(Exception):
                    self.chan.close()
        finally:
            self.child.close()
            self.on_end(reason)
            if not self.done.done():
                self.done.set_result(reason)

    def _drain_output(self) -> None:
        """What the kiosk wrote before it stopped (its own terminal restore, its last frame)."""
        for _ in range(64):
            try:
                data = os.read(self.child.master, READ_SIZE)
            except OSError:
                return
            if not data:
                return
            self._send(self.filter.feed(data))
