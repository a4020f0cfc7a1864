"""The SSH server: asyncssh with everything but one kiosk session per connection switched off.

Per connection (`Connection`, an asyncssh.SSHServer): admission on arrival
(kiosk.admission: per-address rate, the pre-login pool and each address's share
of it), three timers of our own so a client is told why it is dropped (the
handshake must reach authentication within seconds, authentication has its
login grace, a logged-in connection must start its session soon), failed-attempt
cap, exactly one session.
Per session (`Session`, an asyncssh.SSHServerSession): a PTY is required;
shell only -- exec, subsystems (SFTP, SCP), BREAK and signals are refused;
`env` requests are accepted by the protocol layer but never read; the
session cap is checked; then a kiosk child and its Bridge. Everything the
client sends on the session counts against a message rate (kiosk.admission
RateLimit): a flood beyond it is dropped, and a client that keeps flooding is
cut off.

Behind load balancers (`trusted_proxies`), kiosk.ssh.proxied accepts the
connections and reads each trusted proxy's PROXY v2 header first, so admission,
authorized_keys `from=` rules and the access log see the real client.

Forwarding of every kind is refused: asyncssh refuses TCP, Unix and tun/tap
forwarding unless a callback accepts it (none here), X11 is off, and agent
forwarding is switched off explicitly (asyncssh's default is on).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import asyncssh

from kiosk import admission, exitcodes, proxy_protocol
from kiosk.admission import Admission, RateLimit
from kiosk.config.remote import SshSettings
from kiosk.doorhealth import DoorHealth
from kiosk.doorstatus import (
    COMMAND,
    FORWARDING,
    NO_TERMINAL,
    REJECTED_KEY,
    REJECTED_PASSWORD,
    START_FAILED,
    listening_addresses,
)
from kiosk.forkserver.environment import base_environment, clamp_size, map_term
from kiosk.ssh import auth, hostkey, reload
from kiosk.ssh.accesslog import AccessLog, ConnectionRecord
from kiosk.ssh.bridge import DISCONNECTED, SHUTDOWN, Bridge
from kiosk.ssh.child import Child, ForkServerSpawner, Spawner
from kiosk.ssh.proxied import ProxiedListener
from kiosk.ssh.spawn_exec import ExecSpawner

# What the customer's terminal shows is in both of the kiosk's languages, Chinese first (the
# default). Reasons carried by the SSH protocol itself (disconnects, refused channels) stay in
# ASCII: clients print them through filters that mangle anything else.
NEED_PTY = "本服务需要交互式终端（ssh -t）。 This service needs an interactive terminal (ssh -t)."
NO_COMMANDS = (
    "这里只提供自助服务，不能执行命令或传输文件。 "
    "This service runs only the help kiosk: commands, file transfer and subsystems are not available."
)
ONE_SESSION = "Only one session per connection."
LOGIN_TIMEOUT = "Login time ran out. Please connect again."
HANDSHAKE_TIMEOUT = "The connection did not start logging in in time. Please connect again."
NO_SESSION = "No session was started in time. Please connect again."
FLOOD = "Too many messages from your terminal. Please connect again."
TOO_MANY_ATTEMPTS = "Too many failed login attempts. Please connect again."
UNAVAILABLE = (
    "暂时无法开始服务，请几分钟后再试。 "
    "The help line cannot start a session right now. Please try again in a few minutes."
)
SERVER_VERSION = "WalletKiosk"
#: The largest login_grace the [ssh] schema allows (kiosk.config.remote).
LONGEST_LOGIN_GRACE = 600


class Session(asyncssh.SSHServerSession[bytes]):
    """One customer's channel: a pty is required, then a kiosk child and its Bridge."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.front = connection.front
        self._chan: asyncssh.SSHServerChannel[bytes] | None = None
        self.term: str | None = None
        self.size = (80, 24)
        self.bridge: Bridge | None = None
        self.counted = False  # holds a place under the session caps
        self.closed = False
        self.started = False
        #: Keys typed while the kiosk is still starting, handed to it once it runs (bounded).
        self.early_input = bytearray()
        #: When the kiosk started, for the door's tally (None: it never started).
        self.health_ticket: float | None = None
        rate = self.front.settings.max_messages_per_second
        #: Messages from the client: `rate` a second, bursts of two seconds' worth (a paste).
        self.messages = RateLimit(rate, 2 * rate)
        #: Messages dropped over that: a client that goes on flooding for seconds is cut off.
        self.flood = RateLimit(rate, 5 * rate)
        self.dropped_messages = 0
        self.cut_off = False  # disconnected for flooding

    def _message(self) -> bool:
        """Count one message from the client; False if it is over the rate (drop it)."""
        if self.messages.allow():
            return True
        self.dropped_messages += 1
        if not self.flood.allow() and not self.cut_off:
            self.cut_off = True
            self.connection.record.exit = f"refused: {admission.FLOOD}"
            self.front.health.refuse(admission.FLOOD)
            self.connection.disconnect(asyncssh.DISC_BY_APPLICATION, FLOOD)
        return False

    @property
    def chan(self) -> asyncssh.SSHServerChannel[bytes]:
        assert self._chan is not None, "asyncssh calls connection_made() first"
        return self._chan

    def connection_made(self, chan: asyncssh.SSHServerChannel[bytes]) -> None:
        self._chan = chan

    def pty_requested(
        self, term_type: str, term_size: tuple[int, int, int, int], term_modes: Mapping[int, int]
    ) -> bool:
        self.term = term_type
        self.size = clamp_size(term_size[0], term_size[1])
        record = self.connection.record
        record.term = map_term(term_type) if term_type == map_term(term_type) else f"{term_type}->{map_term(term_type)}"
        record.size = f"{term_size[0]}x{term_size[1]}"
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        self._refuse_request()
        return False

    def subsystem_requested(self, subsystem: str) -> bool:
        self._refuse_request()
        return False

    def _refuse_request(self) -> None:
        self.connection.record.exit = "refused: command or subsystem"
        self.front.health.refuse(COMMAND)
        with contextlib.suppress(Exception):
            self.chan.write_stderr(f"{NO_COMMANDS}\r\n".encode())
        asyncio.get_running_loop().call_soon(self._close_quietly)

    def _close_quietly(self) -> None:
        with contextlib.suppress(Exception):
            self.chan.close()

    def break_received(self, msec: int) -> bool:
        self._message()
        return False

    def signal_received(self, signal_name: str) -> None:
        self._message()  # a customer cannot signal the kiosk, nor flood us with tries

    def session_started(self) -> None:
        """The client asked for its shell: check the session caps, then start the kiosk."""
        self.started = True
        self.connection.session_started()
        if self.term is None:
            self.front.health.refuse(NO_TERMINAL)
            self.refuse(NEED_PTY, "refused: no terminal")
            return
        refusal = self.front.admission.open_session(self.connection.address)
        if refusal:
            self.front.health.refuse(refusal.kind)
            self.refuse(refusal.text, f"refused: {refusal.kind}")
            return
        self.counted = True
        asyncio.get_running_loop().create_task(self._start_kiosk())

    def refuse(self, message: str, reason: str) -> None:
        self.connection.record.exit = reason
        with contextlib.suppress(Exception):
            self.chan.write(f"{message}\r\n".encode())
            self.chan.exit(1)

    async def _start_kiosk(self) -> None:
        front = self.front
        try:
            child = await front.spawner.spawn(self.term, *self.size)
        except Exception as exc:  # the fork server broke, the machine is out of ptys or processes
            front.log_error(f"cannot start a session: {exc}")
            front.health.refuse(START_FAILED)
            self._release()
            self.refuse(UNAVAILABLE, "refused: cannot start the kiosk")
            return
        front.spawned_pids.append(child.pid)
        front.children[child.pid] = child

        def forget(_exited: object, pid: int = child.pid) -> None:
            front.children.pop(pid, None)

        child.exited.add_done_callback(forget)
        bridge = Bridge(
            self.chan,
            child,
            idle_timeout=front.settings.idle_timeout,
            max_length=front.settings.max_session_length,
            on_end=self._ended,
        )
        self.bridge = bridge
        front.bridges.add(bridge)
        bridge.start()
        self.health_ticket = front.health.session_started()
        if self.early_input:
            bridge.input(bytes(self.early_input))
            self.early_input.clear()
        if self.closed or front.closing:  # the customer left (or we are stopping) while it started
            await bridge.end(DISCONNECTED if self.closed else SHUTDOWN)

    def _ended(self, reason: str) -> None:
        if self.bridge is not None:
            self.front.bridges.discard(self.bridge)
        if not self.cut_off:
            self.connection.record.exit = reason
        if self.health_ticket is not None:
            ticket, self.health_ticket = self.health_ticket, None
            self.front.health.session_ended(ticket, self.connection.record.exit)
        self._release()

    def _release(self) -> None:
        if self.counted:
            self.counted = False
            self.front.admission.close_session(self.connection.address)

    def data_received(self, data: bytes, datatype: asyncssh.DataType) -> None:
        if not self._message() or datatype is not None:
            return
        if self.bridge is not None:
            self.bridge.input(data)
        elif self.counted:
            self.early_input += data[: max(0, 4096 - len(self.early_input))]

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        if not self._message():
            return
        self.size = clamp_size(width, height)
        if self.bridge is not None:
            self.bridge.resize(width, height)

    def eof_received(self) -> bool:
        return True  # keep showing the kiosk; the connection closing ends it

    def pause_writing(self) -> None:
        if self.bridge is not None:
            self.bridge.pause_writing()

    def resume_writing(self) -> None:
        if self.bridge is not None:
            self.bridge.resume_writing()

    def connection_lost(self, exc: Exception | None) -> None:
        """The channel closed (either side): end the kiosk if it still runs, and the connection with it."""
        self.closed = True
        if self.bridge is not None:
            asyncio.get_running_loop().create_task(self.bridge.end(DISCONNECTED))
        conn = self.connection.conn
        asyncio.get_running_loop().call_soon(lambda: conn.close())


class Connection(asyncssh.SSHServer):
    """One TCP connection: admission, authentication, at most one Session."""

    def __init__(self, front: FrontDoor, client: proxy_protocol.ProxiedPeer | None = None) -> None:
        self.front = front
        #: Who the connection is from when a trusted proxy said so (None: the socket's own peer).
        self.client = client
        self._conn: asyncssh.SSHServerConnection | None = None
        self.address = "?"
        #: Filled in as the connection goes; written to the access log when it ends.
        self.record = ConnectionRecord(self.address, 0, front.settings.auth)
        self.admitted = False
        self.authenticated = False
        self.failures = 0
        self.session: Session | None = None
        self._grace: asyncio.TimerHandle | None = None
        self._handshake: asyncio.TimerHandle | None = None
        self._session_wait: asyncio.TimerHandle | None = None

    @property
    def conn(self) -> asyncssh.SSHServerConnection:
        assert self._conn is not None, "asyncssh calls connection_made() first"
        return self._conn

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._conn = conn
        if self.client is not None:
            self.address, port = self.client.address, self.client.port
            self.record.via = self.client.proxy or "-"
        else:
            peer = conn.get_extra_info("peername") or ("?", 0)
            self.address, port = str(peer[0]), int(peer[1])
        self.record.address, self.record.port = self.address, port
        self.front.connections.add(self)
        refusal = self.front.admission.admit_connection(self.address)
        loop = asyncio.get_running_loop()
        if refusal:
            self.front.health.refuse(refusal.kind)
            self.record.exit = f"refused: {refusal.kind}"
            # After our version string has gone out, so the client can read the reason (in ASCII:
            # clients print disconnect reasons through filters that mangle anything else).
            loop.call_soon(self.disconnect, asyncssh.DISC_TOO_MANY_CONNECTIONS, refusal.english)
            return
        self.admitted = True
        settings = self.front.settings
        self._handshake = loop.call_later(settings.handshake_timeout, self._handshake_timeout)
        self._grace = loop.call_later(settings.login_grace, self._login_timeout)

    def disconnect(self, code: int, reason: str) -> None:
        with contextlib.suppress(Exception):
            self.conn.disconnect(code, reason)

    def _handshake_timeout(self) -> None:
        """A socket that says nothing, or stalls in the key exchange, frees its place in seconds."""
        self._handshake = None
        if not self.authenticated:
            self.record.exit = "handshake timeout"
            self.disconnect(asyncssh.DISC_BY_APPLICATION, HANDSHAKE_TIMEOUT)

    def _no_session(self) -> None:
        self._session_wait = None
        self.record.exit = "no session"
        self.disconnect(asyncssh.DISC_BY_APPLICATION, NO_SESSION)

    def session_started(self) -> None:
        """The client asked for its shell: it is no longer waiting (the caps decide the rest)."""
        if self._session_wait is not None:
            self._session_wait.cancel()
            self._session_wait = None

    def _cancel_timers(self) -> None:
        for timer in (self._grace, self._handshake, self._session_wait):
            if timer is not None:
                timer.cancel()
        self._grace = self._handshake = self._session_wait = None

    def _login_timeout(self) -> None:
        self._grace = None
        if not self.authenticated:
            self.record.exit = "login timeout"
            self.disconnect(asyncssh.DISC_BY_APPLICATION, LOGIN_TIMEOUT)

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_timers()
        if self.admitted:
            self.admitted = False
            self.front.admission.connection_closed(self.address, self.authenticated)
        self.front.connections.discard(self)
        self._refusal_at_end()
        if self.session is not None and self.session.bridge is not None:
            # The log line waits for the kiosk to be reaped, so it carries the real exit reason.
            self.session.bridge.done.add_done_callback(lambda _f: self.front.access_log.write(self.record))
        else:
            self.front.access_log.write(self.record)

    def _refusal_at_end(self) -> None:
        """A connection that ends without a kiosk after a refused credential or forwarding says so."""
        if self.record.exit != "disconnected" or (self.session is not None and self.session.started):
            return
        reason = None
        if not self.authenticated and self.record.rejected:
            reason = self.record.rejected
        elif FORWARDING in self.record.refused:
            reason = FORWARDING
        if reason is not None:
            self.record.exit = f"refused: {reason}"
            if reason != FORWARDING:  # a forwarding refusal was counted when it happened
                self.front.health.refuse(reason)

    # -- authentication --------------------------------------------------------
    def begin_auth(self, username: str) -> bool:
        # The client has finished the handshake and started logging in.
        if self._handshake is not None:
            self._handshake.cancel()
            self._handshake = None
        return self.front.settings.auth != "open"

    def password_auth_supported(self) -> bool:
        return self.front.settings.auth == "password"

    async def validate_password(self, username: str, password: str) -> bool:
        stored = self.front.settings.password_hash
        ok = await asyncio.get_running_loop().run_in_executor(None, auth.verify_password, password, stored)
        if not ok:
            self.record.rejected = REJECTED_PASSWORD
            self._failed()
        return ok

    def public_key_auth_supported(self) -> bool:
        return self.front.settings.auth == "keys"

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        keys = self.front.authorized_keys
        ok = keys is not None and keys.allows(key, self.address, self.address)
        self.record.key = key.get_fingerprint()
        if not ok:
            self.record.rejected = REJECTED_KEY
            self._failed()
        return ok

    def kbdint_auth_supported(self) -> bool:
        return False

    # -- forwarding: refused, every kind (asyncssh refuses what no callback accepts) -----------
    def _forwarding_refused(self) -> bool:
        self.record.refused.append(FORWARDING)
        self.front.health.refuse(FORWARDING)
        return False

    def connection_requested(self, dest_host: str, dest_port: int, orig_host: str, orig_port: int) -> bool:
        return self._forwarding_refused()

    def server_requested(self, listen_host: str, listen_port: int) -> bool:
        return self._forwarding_refused()

    def unix_connection_requested(self, dest_path: str) -> bool:
        return self._forwarding_refused()

    def unix_server_requested(self, listen_path: str) -> bool:
        return self._forwarding_refused()

    def tun_requested(self, unit: int | None) -> bool:
        return self._forwarding_refused()

    def tap_requested(self, unit: int | None) -> bool:
        return self._forwarding_refused()

    def _failed(self) -> None:
        self.failures += 1
        if self.failures >= self.front.settings.max_auth_attempts:
            self.record.exit = "refused: too many attempts"
            asyncio.get_running_loop().call_soon(
                self.disconnect, asyncssh.DISC_NO_MORE_AUTH_METHODS_AVAILABLE, TOO_MANY_ATTEMPTS
            )

    def auth_completed(self) -> None:
        for timer in (self._grace, self._handshake):
            if timer is not None:
                timer.cancel()
        self._grace = self._handshake = None
        if self.admitted and not self.authenticated:
            self.authenticated = True
            self.front.admission.authenticated(self.address)
            if self.session is None or not self.session.started:
                loop = asyncio.get_running_loop()
                self._session_wait = loop.call_later(self.front.settings.session_wait, self._no_session)

    # -- channels ------------------------------------------------------------------
    def session_requested(self) -> Session:
        if self.session is not None:
            raise asyncssh.ChannelOpenError(asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED, ONE_SESSION)
        self.session = Session(self)
        return self.session


class FrontDoor:
    """The whole `kiosk ssh` service: host key, spawner, admission, log, listener; start() and close()."""

    def __init__(
        self,
        settings: SshSettings,
        config_path: Path | None,
        *,
        environ: Mapping[str, str] | None = None,
        observe_dir: Path | None = None,
        access_log: AccessLog | None = None,
    ) -> None:
        from kiosk.packcache import default_directory

        environ = dict(os.environ if environ is None else environ)
        self.settings = settings
        self.config_path = config_path
        self.admission = Admission(settings.admission_rules())
        self.access_log = access_log or AccessLog(settings.access_log)
        self.host_key = hostkey.load_or_create(settings.host_key_path())
        self.authorized_keys = (
            auth.AuthorizedKeys(Path(settings.authorized_keys).expanduser()) if settings.auth == "keys" else None
        )
        if settings.auth == "password" and not settings.password_hash:
            raise ValueError('auth = "password" needs a password: run `kiosk ssh --set-password`')
        cache_dir = default_directory(environ)
        base_env = base_environment(environ, cache_dir)
        self.spawner: Spawner = (
            ExecSpawner(config_path, base_env)
            if settings.spawn == "exec"
            else ForkServerSpawner(config_path, base_env, observe_dir)
        )
        self.connections: set[Connection] = set()
        self.bridges: set[Bridge] = set()
        self.children: dict[int, Child] = {}
        #: Every pid this server started, for tests and the curious.
        self.spawned_pids: list[int] = []
        self.closing = False
        self.trusted_proxies = proxy_protocol.parse_networks(settings.trusted_proxies)
        self.server: asyncssh.SSHAcceptor | None = None
        self.listener: ProxiedListener | None = None
        self.port: int | None = None
        #: Old fork servers closing once their sessions end (after a reload, kiosk.ssh.reload).
        self.retiring: set[asyncio.Task[None]] = set()
        self.reload_lock = asyncio.Lock()
        #: Its status file and metrics (kiosk.doorhealth).
        self.health = DoorHealth("ssh", config_path=config_path, metrics_listen=settings.metrics_listen)

    def log_error(self, message: str) -> None:
        print(f"kiosk ssh: {message}", file=sys.stderr, flush=True)

    async def start(self) -> None:
        host, port = self.settings.host_port
        self.health.start_metrics()
        await self.spawner.start()
        if self.trusted_proxies:
            listener = self.listener = ProxiedListener(
                self.trusted_proxies, self.settings.handshake_timeout, self._serve_proxied, self.log_error
            )
            self.port = await listener.start(host, port)
            self.health.start(listening_addresses(listener.sockets))
            return
        server = self.server = await asyncssh.create_server(
            lambda: Connection(self), host, port, reuse_address=True, **self._ssh_options()
        )
        self.port = server.sockets[0].getsockname()[1]
        self.health.start(listening_addresses(server.sockets))

    async def _serve_proxied(self, sock: socket.socket, client: proxy_protocol.ProxiedPeer) -> None:
        await asyncssh.run_server(sock, server_factory=lambda: Connection(self, client), **self._ssh_options())

    def _ssh_options(self) -> dict[str, object]:
        """How every connection is served, whoever accepted it."""
        return dict(
            server_host_keys=[self.host_key],
            config=None,
            server_version=SERVER_VERSION,
            # Our own grace timer disconnects with a reason first; this is the backstop, past the
            # longest login_grace a reload could set.
            login_timeout=LONGEST_LOGIN_GRACE + 5,
            keepalive_interval=15,
            keepalive_count_max=3,
            line_editor=False,
            encoding=None,
            allow_pty=True,
            agent_forwarding=False,
            x11_forwarding=False,
            allow_scp=False,
            sftp_factory=None,
            rdns_lookup=False,
            kbdint_auth=False,
            password_auth=self.settings.auth == "password",
            public_key_auth=self.settings.auth == "keys",
        )

    def reload_soon(self, read_settings: Callable[[], SshSettings]) -> None:
        """SIGHUP: new settings and packs for new sessions (kiosk.ssh.reload); the open ones go on."""

        async def run() -> None:
            async with self.reload_lock:  # one reload at a time: two quick SIGHUPs apply in turn
                try:
                    lines = await reload.reload(self, read_settings)
                except Exception as exc:  # a reload must never take the help line down
                    lines = [f"reload failed ({type(exc).__name__}: {exc}); kiosk ssh goes on"]
                for line in lines:
                    self.log_error(line)

        if not self.closing:
            task = asyncio.get_running_loop().create_task(run())
            self.retiring.add(task)  # held until done; awaited at shutdown like a retiring fork server
            task.add_done_callback(self.retiring.discard)

    def counts(self) -> dict[str, int]:
        return {
            **self.admission.counts(),
            "connections": len(self.connections),
            "bridges": len(self.bridges),
            "children": len(self.children),
        }

    async def close(self) -> None:
        """Stop accepting, end every session (SIGTERM, SIGKILL after 3 s, reaped), close connections."""
        self.closing = True
        if self.server is not None:
            self.server.close()
        if self.listener is not None:
            self.listener.close()
        await asyncio.gather(*(bridge.end(SHUTDOWN) for bridge in list(self.bridges)), return_exceptions=True)
        for connection in list(self.connections):
            connection.disconnect(asyncssh.DISC_BY_APPLICATION, "The help line is restarting.")
        await self.spawner.close()
        await reload.close_retired(self)
        if self.server is not None:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.server.wait_closed(), 5)
        if self.listener is not None:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.listener.wait_closed(), 5)
        await self.health.stop()
        self.access_log.close()


async def serve(
    front: FrontDoor,
    announce: Callable[[FrontDoor], None] | None = None,
    read_settings: Callable[[], SshSettings] | None = None,
) -> int:
    """Run until SIGTERM or SIGINT, then shut down cleanly; SIGHUP reloads with `read_settings`."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    if read_settings is not None:
        loop.add_signal_handler(signal.SIGHUP, lambda: front.reload_soon(read_settings))
    await front.start()
    if announce is not None:
        announce(front)
    await stop.wait()
    await front.close()
    return exitcodes.OK
