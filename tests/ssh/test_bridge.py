"""A session's idle and length rules, with a clock the test moves: no waiting for real seconds.

The bridge runs against a real pty (the kiosk's side left unread) and stand-ins for the SSH
channel and the kiosk's process; tests/ssh/test_session.py checks the same rules end to end.
"""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest

from kiosk import exitcodes
from kiosk.forkserver.client import SessionProcess
from kiosk.ssh.bridge import (
    APP_IDLE,
    CUSTOMER_QUIT,
    DISCONNECTED,
    IDLE,
    MAX_LENGTH,
    Bridge,
)
from kiosk.ssh.child import Child
from kiosk.ssh.pty import open_pty

KEY = b"\x1b[C"  # an arrow key
MOUSE_MOTION = b"\x1b[<35;10;10M"
FOCUS_IN = b"\x1b[I"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Channel:
    """What the customer's terminal is sent, and how the channel ends."""

    def __init__(self) -> None:
        self.sent = bytearray()
        self.exit_status: int | None = None
        self.closed = False

    def write(self, data: bytes) -> None:
        self.sent += data

    def is_closing(self) -> bool:
        return self.closed or self.exit_status is not None

    def exit(self, status: int) -> None:
        self.exit_status = status

    def close(self) -> None:
        self.closed = True

    def text(self) -> str:
        return self.sent.decode("utf-8", "replace")


class Process(SessionProcess):
    """The kiosk's process, as far as the bridge can tell: signals are recorded, stop() ends it."""

    def __init__(self) -> None:
        super().__init__(pid=0, pidfd=-1)
        self.signals: list[int] = []
        self.released = False

    def send_signal(self, signum: int) -> None:
        self.signals.append(signum)

    async def stop(self, grace: float = 0) -> int | None:
        if not self.exited.done():
            self.exited.set_result(-signal.SIGTERM)
        return self.exited.result()

    def close(self) -> None:
        self.released = True


class Session:
    def __init__(self, home: Path, idle_timeout: float = 300, max_length: float = 1800) -> None:
        self.clock = Clock()
        self.channel = Channel()
        self.process = Process()
        master, self.slave = open_pty(80, 24)
        home.mkdir()
        self.child = Child(self.process, master, str(home))
        self.ends: list[str] = []
        self.bridge = Bridge(
            self.channel,
            self.child,
            idle_timeout=idle_timeout,
            max_length=max_length,
            on_end=self.ends.append,
            clock=self.clock,
        )

    def at(self, seconds: float) -> Bridge:
        """Move to `seconds` into the session and check the limits, as the timer would."""
        self.clock.now = self.bridge.started + seconds
        self.bridge.check_limits()
        return self.bridge

    async def ended(self) -> str:
        return await asyncio.wait_for(asyncio.shield(self.bridge.done), 5)

    def still_open(self) -> bool:
        return not self.bridge.done.done() and not self.ends

    async def close(self) -> None:
        if not self.bridge.done.done():
            await self.bridge.end(DISCONNECTED)
        os.close(self.slave)


@pytest.fixture
async def session(tmp_path):
    made: list[Session] = []

    def make(**limits: float) -> Session:
        made.append(Session(tmp_path / f"home-{len(made)}", **limits))
        return made[-1]

    yield make
    for each in made:
        await each.close()


async def settle() -> None:
    """Let the tasks the bridge started (its end) run."""
    for _ in range(5):
        await asyncio.sleep(0)


async def test_typing_keeps_the_session_open_and_silence_ends_it(session):
    s = session(idle_timeout=300)
    for second in (100, 200, 299):
        s.at(second)
        s.bridge.input(KEY)
    s.at(598)
    await settle()
    assert s.still_open()  # 299 s since the last key
    s.at(599)
    assert await s.ended() == IDLE
    assert s.ends == [IDLE] and s.channel.exit_status == 0
    assert "nothing was typed" in s.channel.text() and "本次服务已结束" in s.channel.text()
    assert s.process.released and not os.path.exists(s.child.home)


@pytest.mark.parametrize("unprompted", [MOUSE_MOTION, FOCUS_IN, MOUSE_MOTION + FOCUS_IN])
async def test_what_the_terminal_sends_by_itself_does_not_keep_the_session_open(session, unprompted):
    s = session(idle_timeout=300)
    for second in range(10, 300, 30):
        s.at(second)
        s.bridge.input(unprompted)
    s.at(300)
    assert await s.ended() == IDLE


async def test_a_click_is_typing_too(session):
    s = session(idle_timeout=300)
    s.at(250)
    s.bridge.input(b"\x1b[<0;10;10M")  # a button press, not motion
    s.at(300)
    await settle()
    assert s.still_open()


async def test_the_time_limit_ends_even_a_busy_session(session):
    s = session(idle_timeout=300, max_length=600)
    for second in range(0, 600, 60):
        s.at(second)
        s.bridge.input(KEY)
    await settle()
    assert s.still_open()
    s.at(600)
    assert await s.ended() == MAX_LENGTH
    assert "time limit" in s.channel.text() and "时间上限" in s.channel.text()
    assert s.channel.exit_status == 0


async def test_when_both_are_due_the_time_limit_is_the_reason(session):
    s = session(idle_timeout=300, max_length=300)
    s.at(300)
    assert await s.ended() == MAX_LENGTH


@pytest.mark.parametrize("max_length, warn_at", [(1800, 1740), (120, 60), (60, 30)])
async def test_the_kiosk_is_told_once_that_the_end_is_near(session, max_length, warn_at):
    """A minute before the limit, or half the limit before it for short ones."""
    s = session(idle_timeout=10**6, max_length=max_length)
    s.at(warn_at - 1)
    assert s.process.signals == []
    s.at(warn_at)
    assert s.process.signals == [signal.SIGUSR1]
    s.at(warn_at + 1)
    s.at(max_length - 1)
    assert s.process.signals == [signal.SIGUSR1]  # once
    await settle()
    assert s.still_open()


@pytest.mark.parametrize(
    "code, reason, status",
    [
        (exitcodes.OK, CUSTOMER_QUIT, 0),
        (exitcodes.IDLE_TIMEOUT, APP_IDLE, 0),
        (exitcodes.ERROR, "kiosk exited with 1", 1),
        (-signal.SIGKILL, "kiosk exited with -9", 1),
        (None, "kiosk exited", 1),
    ],
)
async def test_the_kiosks_exit_ends_the_session_with_its_reason(session, code, reason, status):
    s = session()
    s.bridge.start()
    s.process.exited.set_result(code)
    assert await s.ended() == reason
    assert s.channel.exit_status == status
    assert ("nothing was typed" in s.channel.text()) is (reason == APP_IDLE)


async def test_a_customer_who_left_is_sent_nothing(session):
    s = session()
    s.bridge.start()
    await s.bridge.end(DISCONNECTED)
    assert s.channel.sent == b"" and s.channel.closed and s.channel.exit_status is None
    assert s.ends == [DISCONNECTED] and s.process.released


async def test_a_session_that_has_ended_ignores_input_and_ends_once(session):
    s = session()
    s.at(10**6)
    assert await s.ended() == MAX_LENGTH
    s.bridge.input(KEY)
    await s.bridge.end(IDLE)  # a second end only waits for the first
    assert s.ends == [MAX_LENGTH]


async def test_a_flood_of_window_changes_reaches_the_kiosk_as_a_few_with_the_last_size(session):
    """Each size given to the kiosk's terminal is a SIGWINCH; a flood of them must not be one."""
    import fcntl
    import struct
    import termios

    from kiosk.ssh.bridge import RESIZE_INTERVAL

    s = session()
    s.bridge.start()
    loop = asyncio.get_running_loop()
    started = loop.time()
    for n in range(20_000):
        s.bridge.resize(60 + n % 40, 20 + n % 10)
        if n % 2000 == 0:
            await asyncio.sleep(0)  # the loop runs between bursts, as it would between packets
    s.bridge.resize(101, 33)  # the last one the customer sent
    await asyncio.sleep(RESIZE_INTERVAL * 3)
    elapsed = loop.time() - started
    assert s.bridge.resizes <= elapsed / RESIZE_INTERVAL + 2, (s.bridge.resizes, elapsed)
    rows, columns, _, _ = struct.unpack("HHHH", fcntl.ioctl(s.slave, termios.TIOCGWINSZ, b"\0" * 8))
    assert (columns, rows) == (101, 33)  # what the kiosk sees in the end is what the customer has


async def test_a_single_window_change_is_applied_at_once(session):
    s = session()
    s.bridge.start()
    s.bridge.resize(100, 30)
    await asyncio.sleep(0.01)
    assert s.bridge.resizes == 1
