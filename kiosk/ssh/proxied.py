"""The listener `kiosk ssh` uses behind load balancers: the PROXY v2 header first, then SSH.

With `trusted_proxies` set, the server accepts its own connections instead of
letting asyncssh do it. A connection from a trusted proxy must begin with a PROXY
protocol v2 header (kiosk.proxy_protocol); it is read exactly -- not a byte of the
client's SSH stream with it -- within `handshake_timeout`, and the SSH server then
runs on the socket with the real client's address. A connection from anyone else is
served with its own address, as without proxies. A trusted proxy that sends no
header, or a broken one, is closed and logged: trusting it without one would count
every customer behind it as the proxy.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Awaitable, Callable, Sequence

from kiosk import proxy_protocol
from kiosk.proxy_protocol import ProxiedPeer, ProxyHeaderError

#: Serves one accepted socket for the client it stands for (the SSH server's side).
Serve = Callable[[socket.socket, ProxiedPeer], Awaitable[None]]


async def _receive_exactly(sock: socket.socket, size: int) -> bytes:
    loop = asyncio.get_running_loop()
    data = b""
    while len(data) < size:
        chunk = await loop.sock_recv(sock, size - len(data))
        if not chunk:
            raise ProxyHeaderError("the proxy closed the connection inside its PROXY header")
        data += chunk
    return data


async def read_header(sock: socket.socket, peer: tuple[str, int]) -> ProxiedPeer:
    """The real client, from the PROXY v2 header at the start of `sock` (nothing after it is read)."""
    fixed = await _receive_exactly(sock, proxy_protocol.HEADER_SIZE)
    length = proxy_protocol.body_length(fixed)
    body = await _receive_exactly(sock, length) if length else b""
    return proxy_protocol.parse(fixed + body, peer)


class ProxiedListener:
    def __init__(
        self,
        trusted: Sequence[proxy_protocol.Network],
        header_timeout: float,
        serve: Serve,
        log_error: Callable[[str], None],
    ) -> None:
        self.trusted = tuple(trusted)
        self.header_timeout = header_timeout
        self.serve = serve
        self.log_error = log_error
        self.sockets: list[socket.socket] = []
        self._accepting: list[asyncio.Task[None]] = []
        self._serving: set[asyncio.Task[None]] = set()

    async def start(self, host: str, port: int) -> int:
        """Listen on every address `host` has; the port listened on (for port 0, the one chosen)."""
        loop = asyncio.get_running_loop()
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        for family, kind, proto, _name, address in infos:
            sock = socket.socket(family, kind, proto)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            if port == 0 and self.sockets:  # every address on the one port chosen for the first
                address = (address[0], self.sockets[0].getsockname()[1], *address[2:])
            sock.bind(address)
            sock.listen(128)
            sock.setblocking(False)
            self.sockets.append(sock)
            self._accepting.append(loop.create_task(self._accept(sock)))
        return int(self.sockets[0].getsockname()[1])

    async def _accept(self, listener: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        while True:
            try:
                sock, peer = await loop.sock_accept(listener)
            except OSError as exc:  # out of file descriptors: wait rather than spin
                self.log_error(f"cannot accept a connection: {exc}")
                await asyncio.sleep(0.2)
                continue
            task = loop.create_task(self._handle(sock, (str(peer[0]), int(peer[1]))))
            self._serving.add(task)
            task.add_done_callback(self._serving.discard)

    async def _handle(self, sock: socket.socket, peer: tuple[str, int]) -> None:
        client = ProxiedPeer(*peer)
        if proxy_protocol.is_trusted(peer[0], self.trusted):
            try:
                client = await asyncio.wait_for(read_header(sock, peer), self.header_timeout)
            except (ProxyHeaderError, TimeoutError, OSError) as exc:
                reason = "no PROXY header in time" if isinstance(exc, TimeoutError) else str(exc)
                self.log_error(f"connection from trusted proxy {peer[0]} closed: {reason}")
                sock.close()
                return
        # A connection that fails in its handshake raises here; the server has logged how it ended.
        with contextlib.suppress(Exception):
            await self.serve(sock, client)

    def close(self) -> None:
        for task in self._accepting:
            task.cancel()
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.close()

    async def wait_closed(self) -> None:
        pending = [*self._accepting, *self._serving]
        for task in self._serving:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
