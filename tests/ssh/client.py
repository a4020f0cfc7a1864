"""A real SSH client for the tests: asyncssh over loopback, with a pyte screen of what it was sent."""

from __future__ import annotations

import asyncio
import time

import asyncssh
import pyte

HOME_TEXT = "Apple Pay"  # on the home screen in both languages


class ScreenSession(asyncssh.SSHClientSession):
    def __init__(self) -> None:
        self.received: asyncio.Queue[bytes] = asyncio.Queue()
        self.raw = bytearray()
        self.stderr = bytearray()
        self.closed = asyncio.get_event_loop().create_future()
        self.exit_status: int | None = None

    def data_received(self, data: bytes, datatype) -> None:
        if datatype == asyncssh.EXTENDED_DATA_STDERR:
            self.stderr += data
        else:
            self.raw += data
            self.received.put_nowait(data)

    def exit_status_received(self, status: int) -> None:
        self.exit_status = status

    def connection_lost(self, exc) -> None:
        self.received.put_nowait(b"")
        if not self.closed.done():
            self.closed.set_result(exc)


class Terminal:
    """One customer: a connection, its session and the screen their terminal would show."""

    def __init__(self, conn, chan, session: ScreenSession, width: int, height: int) -> None:
        self.conn, self.chan, self.session = conn, chan, session
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.ByteStream(self.screen)
        self.eof = False

    @classmethod
    async def open(
        cls,
        port: int,
        *,
        term: str = "xterm-256color",
        size=(80, 24),
        env=None,
        pty: bool = True,
        username: str = "customer",
        host: str = "127.0.0.1",
        **connect_options,
    ) -> Terminal:
        conn = await connect(port, username=username, host=host, **connect_options)
        options = {"term_type": term, "term_size": size} if pty else {}
        chan, session = await conn.create_session(ScreenSession, encoding=None, env=env or {}, **options)
        return cls(conn, chan, session, *size)

    def text(self) -> str:
        # pyte's own `display` raises on a wide character's stub cell left behind when other
        # text overwrites half of it (what a goodbye printed over the last screen does); the
        # stub holds "", so joining the cells reads the same as `display` everywhere else.
        screen = self.screen
        return "\n".join("".join(screen.buffer[y][x].data for x in range(screen.columns)) for y in range(screen.lines))

    def pump(self) -> None:
        while not self.session.received.empty():
            data = self.session.received.get_nowait()
            if not data:
                self.eof = True
            else:
                self.stream.feed(data)

    async def wait_for(self, text: str, timeout: float = 15.0) -> float:
        """Seconds until `text` is on screen."""
        start = time.perf_counter()
        deadline = start + timeout
        while True:
            self.pump()
            if text in self.text():
                return time.perf_counter() - start
            if self.eof:
                raise AssertionError(f"session ended before {text!r} appeared:\n{self.text()}")
            left = deadline - time.perf_counter()
            if left <= 0:
                raise AssertionError(f"{text!r} did not appear within {timeout} s:\n{self.text()}")
            try:
                data = await asyncio.wait_for(self.session.received.get(), left)
            except TimeoutError:
                continue
            if not data:
                self.eof = True
            else:
                self.stream.feed(data)

    async def wait_closed(self, timeout: float = 15.0):
        return await asyncio.wait_for(asyncio.shield(self.session.closed), timeout)

    def send(self, data: bytes | str) -> None:
        self.chan.write(data.encode() if isinstance(data, str) else data)

    def resize(self, width: int, height: int) -> None:
        self.screen.resize(height, width)
        self.chan.change_terminal_size(width, height)

    def close(self) -> None:
        self.conn.close()

    def abort(self) -> None:
        """Drop the TCP connection without a word, as a crashed client or a cut cable would."""
        self.conn.abort()


async def connect(port: int, username: str = "customer", host: str = "127.0.0.1", **options):
    options.setdefault("known_hosts", None)
    options.setdefault("client_keys", None)
    options.setdefault("agent_path", None)
    options.setdefault("password", None)
    options.setdefault("config", None)
    return await asyncio.wait_for(asyncssh.connect(host, port, username=username, **options), 15)
