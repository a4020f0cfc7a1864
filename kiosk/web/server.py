"""textual-serve's server and per-tab service, with the kiosk's overrides (see kiosk.web).

Imported only when `kiosk web` starts serving: it loads textual-serve and aiohttp.

These classes override some of textual-serve's private names (`AppService._build_environment`,
`AppService._task` and `_process`, `Server._process_messages` and `_make_app`) and rewrite its
page's HTML. `textual-serve>=1.1,<2` in pyproject.toml pins the series they were written
against, and tests/web/test_textual_serve_internals.py fails loudly when one of them moves.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import signal
import sys
from asyncio.subprocess import Process
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

import aiohttp_jinja2
import jinja2
from aiohttp import WSCloseCode, WSMsgType, web
from aiohttp.abc import AbstractAccessLogger
from textual_serve.app_service import AppService
from textual_serve.server import Server

from kiosk import admission
from kiosk.admission import Admission, RateLimit
from kiosk.config.remote import SshSettings
from kiosk.doorhealth import DoorHealth
from kiosk.doorstatus import OTHER_SITE, START_FAILED, SessionLog
from kiosk.forkserver.client import SpawnError
from kiosk.forkserver.environment import DEFAULT_SIZE, size_from_client
from kiosk.forkserver.protocol import STOP_GRACE
from kiosk.session_limits import TICK, SessionClock, Verdict
from kiosk.textsafety import escape
from kiosk.web import allowed_origins, origin_allowed, origin_of, title, url_host
from kiosk.web.forked import ForkedTab, TabSpawner
from kiosk.web.traffic import IPNetwork, ResizeCoalescer, client_address

log = logging.getLogger("kiosk.web")

#: Seconds a refused tab shows its "busy" line before the server closes it.
REFUSAL_HOLD = 10.0
#: textual-serve's own TEXTUAL* variables; every other one from the server's environment is dropped.
SERVE_VARIABLES = frozenset({"TEXTUAL_DRIVER", "TEXTUAL_FPS", "TEXTUAL_COLOR_SYSTEM"})

BUSY_LINES = ("所有服务窗口都在使用中，请稍后再试。", "All help sessions are in use. Please try again in a minute.")
#: Shown in the tab's terminal (xterm.js) when the websocket is refused.
BUSY_TERMINAL = ("\r\n" + "".join(f"  {line}\r\n" for line in BUSY_LINES)).encode("utf-8")
UNAVAILABLE_LINES = (
    "暂时无法开始服务，请几分钟后再试。",
    "The help line cannot start a session right now. Please try again in a few minutes.",
)
#: Shown in the tab's terminal when its kiosk cannot be started (the fork server failed).
UNAVAILABLE_TERMINAL = ("\r\n" + "".join(f"  {line}\r\n" for line in UNAVAILABLE_LINES)).encode("utf-8")
#: Why a tab was closed, as its close reason (at most 123 bytes): the page says it in both languages.
BUSY_REASON = b"busy"
#: kiosk.admission's refusals, as close reasons.
CLOSE_REASONS = {
    admission.GLOBAL_CAP: BUSY_REASON,
    admission.UNAUTHENTICATED_CAP: BUSY_REASON,
    admission.PER_ADDRESS_CAP: b"address-busy",
    admission.RATE: b"rate",
}
REASON_IDLE = "idle"
REASON_MAX_LENGTH = "max-length"
REASON_SHUTDOWN = "shutdown"
REASON_UNAVAILABLE = "unavailable"
REASON_FLOOD = admission.FLOOD
#: How the session log, the status file and the metrics say why a limit or the server ended a tab:
#: in the words of the SSH access log.
END_REASONS = {
    REASON_IDLE: "idle",
    REASON_MAX_LENGTH: "max length",
    REASON_SHUTDOWN: "server shutdown",
    REASON_UNAVAILABLE: f"refused: {START_FAILED}",
    REASON_FLOOD: f"refused: {admission.FLOOD}",
}
#: Close codes: normal, going away (the server stops), try again later (it could not start).
_CLOSE_CODES = {REASON_SHUTDOWN: WSCloseCode.GOING_AWAY, REASON_UNAVAILABLE: WSCloseCode.TRY_AGAIN_LATER}
#: The largest message a tab may send: a paste of a few pages, far more than any form here takes.
MAX_MESSAGE = 256 * 1024

BUSY_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta http-equiv="refresh" content="30">
<title>{title}</title></head>
<body style="background:#0c181f;color:#f2f2f2;font:18px/1.6 sans-serif;text-align:center;padding-top:20vh">
<p>{zh}</p><p lang="en">{en}</p><p><a style="color:#9cf" href="">再试一次 · Try again</a></p>
</body></html>
"""
#: The kiosk's own page (textual-serve's, changed: see its opening comment).
TEMPLATES = Path(__file__).parent / "templates"
#: Sent with every response (pages, files, refusals, errors, websocket upgrades).
SECURITY_HEADERS = {
    # No other site may put the kiosk in a frame: a framing page's websocket would carry the
    # kiosk's own Origin and pass the Origin check (the CSP's frame-ancestors says it too).
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    # Instead of aiohttp's name and version.
    "Server": "kiosk",
}


def content_security_policy(public_url: str) -> str:
    """The page may load only this server's files and talk only to its own websocket."""
    websocket = re.sub(r"^http", "ws", origin_of(public_url))
    return "; ".join(
        (
            "default-src 'self'",
            # textual-serve's page has inline scripts and styles, and sets styles from textual.js.
            "script-src 'self' 'unsafe-inline'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            f"connect-src 'self' {websocket}",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'none'",
            "object-src 'none'",
        )
    )


@dataclass
class Tab:
    """What the server keeps about one open tab besides its kiosk."""

    address: str
    clock: SessionClock
    #: Messages from the tab: max_messages_per_second of [ssh], bursts of two seconds' worth (a
    #: paste), as over SSH; over it they are dropped.
    messages: RateLimit
    #: The dropped ones: a tab that goes on flooding for seconds is closed.
    flood: RateLimit
    dropped: int = 0
    resizes: ResizeCoalescer = field(default_factory=ResizeCoalescer)
    #: Set when a limit or the server ends the tab; sent as its close reason.
    reason: str = ""

    @property
    def close_code(self) -> int:
        return _CLOSE_CODES.get(self.reason, WSCloseCode.OK)


class KioskAppService(AppService):
    """One tab's kiosk process: forked by `spawner` (the fork server), or textual-serve's command."""

    def __init__(self, *args: Any, spawner: TabSpawner | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spawner = spawner
        self._stop_lock = asyncio.Lock()
        #: The kiosk ended by itself (quit, idle): the session's end reason comes from its exit code.
        self.kiosk_ended = False
        self._forked: ForkedTab | None = None
        #: Set once the tab is over and its kiosk reaped (a reload's old fork server waits for it).
        self.finished = asyncio.Event()

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        if self.spawner is None:
            return await super()._open_app_process(width, height)
        self._forked = tab = await self.spawner.spawn(width, height)
        # Not an asyncio Process, but everything of one that AppService and stop() use.
        self._process = cast(Process, tab)
        self._stdin = tab.stdin
        return self._process

    def send_signal(self, signum: int) -> None:
        process = self._process
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signum)

    def release(self) -> None:
        """After stop(): give back a forked tab's pipes, pidfd and HOME folder."""
        if self._forked is not None:
            self._forked.close()

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width, height)
        for name in [n for n in environment if n.startswith("TEXTUAL") and n not in SERVE_VARIABLES]:
            del environment[name]
        return environment

    async def start(self, width: int, height: int) -> None:
        await super().start(*(size_from_client(width, height) or DEFAULT_SIZE))

    async def set_terminal_size(self, width: int, height: int) -> None:
        size = size_from_client(width, height)
        if size is not None:
            await super().set_terminal_size(*size)

    async def run(self) -> None:
        try:
            await super().run()
        except asyncio.CancelledError:
            # textual-serve cancels its stderr reader when the output ends; if the process died
            # before that reader ever ran, the cancellation surfaces here. Only ours propagates.
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise
        finally:
            # The kiosk ended (quit, idle, or a crash that sent no "exit"): so does the tab.
            self.kiosk_ended = True
            with contextlib.suppress(Exception):
                await self.remote_close()

    async def on_meta(self, data: bytes) -> None:
        meta = json.loads(data)
        if meta.get("type") == "exit":
            self.kiosk_ended = True
            await self.remote_close()
        else:
            log.warning("dropped a %r request from a session", meta.get("type"))

    async def on_packed(self, payload: bytes) -> None:
        log.warning("dropped a file delivery from a session")

    async def stop(self) -> None:
        """Ask the kiosk to quit, kill it after STOP_GRACE seconds, and reap it. Safe to call twice."""
        async with self._stop_lock:
            task, self._task = self._task, None
            process = self._process
            if task is not None:
                await self.send_meta({"type": "quit"})
            try:
                async with asyncio.timeout(STOP_GRACE):
                    if task is not None:
                        await asyncio.wait({task})  # its output ends (this never raises the task's error)
                    if process is not None:
                        await process.wait()  # and it exits (killing a zombie would reap it twice)
            except TimeoutError:
                pass
            if process is not None and process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
            if task is not None and not task.done():
                task.cancel()  # the reader of a killed process's output
                await asyncio.wait({task})


class KioskServer(Server):
    """textual-serve's server with a session cap and the checks of kiosk.web."""

    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        max_sessions: int,
        public_url: str | None = None,
        health: DoorHealth | None = None,
        spawner: TabSpawner | None = None,
        settings: SshSettings | None = None,
        trusted_proxies: tuple[IPNetwork, ...] = (),
    ) -> None:
        super().__init__(
            command, host=host, port=port, title=title(), public_url=public_url or f"http://{url_host(host)}:{port}"
        )
        #: Its status file, metrics and session log (kiosk.doorhealth, kiosk.doorstatus).
        self.health = health or DoorHealth("web")
        self.session_log = SessionLog("kiosk-web", log.info)
        #: Called on SIGHUP (kiosk.web.run re-reads kiosk.toml); None: SIGHUP is ignored.
        self.on_reload: Callable[[], None] | None = None
        self.closing = False
        #: Forks each tab's kiosk; None runs `command` for each instead (spawn = "exec").
        self.spawner = spawner
        #: Reloads under way, and old fork servers closing once their tabs end (kiosk.web.reload).
        self.retiring: set[asyncio.Task[None]] = set()
        self.max_sessions = max_sessions
        self.sessions: set[KioskAppService] = set()
        self.tabs: dict[KioskAppService, Tab] = {}
        #: The [ssh] table's rules, which tabs follow too: time limits and the per-address cap.
        self.settings = settings or SshSettings()
        #: Per-address caps and rates, counted as the SSH door counts them (kiosk.admission).
        self.admission = Admission(replace(self.settings.admission_rules(), max_sessions=max_sessions))
        #: Proxies whose X-Forwarded-For names the client (kiosk.web.traffic.client_address).
        self.trusted_proxies = trusted_proxies
        self.origins = allowed_origins(host, port, self.public_url)
        self.templates_path = TEMPLATES
        self.headers = {**SECURITY_HEADERS, "Content-Security-Policy": content_security_policy(self.public_url)}

    async def _make_app(self) -> web.Application:
        """textual-serve's application, with our routes and our headers on every response.

        The routes are textual-serve's but for two: its files are served without a listing of
        their folders, and there is no /download (the kiosk offers no file, see
        KioskAppService.on_packed).
        """
        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
            ]
        )
        app.on_response_prepare.append(self.add_headers)
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def add_headers(self, request: web.Request, response: web.StreamResponse) -> None:
        response.headers.update(self.headers)

    def initialize_logging(self) -> None:
        # Plain lines on stderr, and no traceback with local values: those could hold what
        # a customer typed, and nothing a customer types goes to a log.
        logging.basicConfig(level="INFO", format="kiosk web: %(message)s", stream=sys.stderr)

    @property
    def full(self) -> bool:
        return len(self.sessions) >= self.max_sessions

    def serve(self, debug: bool = False) -> None:
        """textual-serve's serve(), saying where it serves only once it is listening."""
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, self.request_exit)
        loop.add_signal_handler(signal.SIGHUP, self.reload)
        web.run_app(
            self._make_app(),
            host=self.host,
            port=self.port,
            handle_signals=False,
            loop=loop,
            access_log_class=self.access_log_class(),
            print=self._listening,
        )

    def _listening(self, _banner: str) -> None:
        """aiohttp listens now: say where, and start the status file (and the metrics)."""
        print(
            f"kiosk web: serving the kiosk on {self.public_url} (at most {self.max_sessions} sessions at once)",
            file=sys.stderr,
            flush=True,
        )
        self.health.start([f"{url_host(self.host)}:{self.port}"])
        if self.health.metrics_address:
            log.info("metrics on http://%s/metrics", self.health.metrics_address)

    def apply_settings(self, settings: SshSettings, max_sessions: int | None = None) -> None:
        """New [ssh] rules for the tabs that open from now on (SIGHUP); open tabs keep their clocks."""
        if max_sessions is not None:
            self.max_sessions = max_sessions
        self.settings = settings
        self.admission.rules = replace(settings.admission_rules(), max_sessions=self.max_sessions)

    async def replace_spawner(self) -> str:
        """A new fork server for new tabs, with the packs and settings as they are now.

        The old one is closed once the tabs open now have ended; if the new one does not start,
        new tabs go on coming from the old one. Returns what happened, for the log.
        """
        old = self.spawner
        if not isinstance(old, TabSpawner) or self.closing:
            return ""
        new = TabSpawner(old.client.config_path, old.base_env, old.client.observe_dir)
        try:
            await new.start()
        except Exception as exc:  # the packs or the configuration no longer start a kiosk
            await new.close()
            return f"the new fork server did not start ({exc}); new tabs still come from the old one"
        self.spawner = new
        tabs = [service.finished.wait() for service in self.sessions]

        async def retire() -> None:
            await asyncio.gather(*tabs, return_exceptions=True)
            await old.close()

        self.keep(retire())
        return "new tabs get a new fork server with the packs and settings as they are now"

    def keep(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` to its end, awaited at shutdown."""
        task = asyncio.get_running_loop().create_task(work)
        self.retiring.add(task)
        task.add_done_callback(self.retiring.discard)

    def reload(self) -> None:
        """SIGHUP: new settings for new sessions; the open ones go on."""
        if self.on_reload is not None:
            try:
                self.on_reload()
            except Exception as exc:  # a reload must never take the door down
                log.error("reload failed (%s: %s); kiosk web goes on", type(exc).__name__, exc)

    async def on_startup(self, app: web.Application) -> None:
        """Start the fork server (textual-serve's banner would go to stdout: none here)."""
        if self.spawner is not None:
            await self.spawner.start()

    async def on_shutdown(self, app: web.Application) -> None:
        self.closing = True
        for tab in self.tabs.values():
            tab.reason = tab.reason or REASON_SHUTDOWN
        await asyncio.gather(*(service.stop() for service in list(self.sessions)), return_exceptions=True)
        if self.spawner is not None:
            await self.spawner.close()
        if self.retiring:  # old fork servers, whose last tabs have just ended
            await asyncio.gather(*list(self.retiring), return_exceptions=True)
        await self.health.stop()

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if self.full:
            self._refused(request, admission.GLOBAL_CAP)
            return self.busy_page()
        response = await super().handle_index(request)  # our page, rendered by aiohttp_jinja2
        assert isinstance(response, web.Response), type(response)
        response.headers["Cache-Control"] = "no-store"  # it says whether a session is free now
        return response

    def busy_page(self) -> web.Response:
        body = BUSY_PAGE.format(title=title(), zh=BUSY_LINES[0], en=BUSY_LINES[1])
        return web.Response(
            status=503, text=body, content_type="text/html", charset="utf-8", headers={"Retry-After": "30"}
        )

    def access_log_class(self) -> type[AbstractAccessLogger]:
        """aiohttp's access log, one line a request, naming the client as the caps count it."""
        server = self

        class AccessLog(AbstractAccessLogger):
            def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
                # The path only (no query), escaped: a request line is the client's text.
                self.logger.info(
                    '%s "%s %s" %s %.3f',
                    server.client(request),
                    request.method,
                    escape(request.path),
                    response.status,
                    time,
                )

        return AccessLog

    def client(self, request: web.BaseRequest) -> str:
        """The address to count and log: the peer's, or the client a trusted proxy names."""
        return client_address(request.remote, request.headers.getall("X-Forwarded-For", ()), self.trusted_proxies)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if not origin_allowed(request.headers.get("Origin"), self.origins):
            log.warning("refused a session opened from another site's page: %s", request.headers.get("Origin"))
            self._refused(request, OTHER_SITE)
            raise web.HTTPForbidden(text="sessions may be opened only from this server's page\n")
        if not web.WebSocketResponse().can_prepare(request).ok:
            raise web.HTTPBadRequest(text="this address is the kiosk page's websocket; open the page instead\n")
        address = self.client(request)
        if self.full:
            return await self.refuse(request, admission.GLOBAL_CAP, BUSY_TERMINAL)
        # The web door has no login: a websocket is a connection that is at once a session.
        refusal = self.admission.admit_connection(address)
        if refusal is None:
            self.admission.authenticated(address)
            refusal = self.admission.open_session(address)
            self.admission.connection_closed(address, authenticated=True)
        if refusal is not None:
            log.warning("refused a session from %s: %s", address, refusal.kind)
            lines = ("\r\n" + f"  {refusal.chinese}\r\n  {refusal.english}\r\n").encode("utf-8")
            return await self.refuse(request, refusal.kind, lines)
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)
        size = size_from_client(request.query.get("width", "80"), request.query.get("height", "24")) or DEFAULT_SIZE
        rate = self.settings.max_messages_per_second
        tab = Tab(
            address,
            SessionClock(self.settings.idle_timeout, self.settings.max_session_length),
            messages=RateLimit(rate, 2 * rate),
            flood=RateLimit(rate, 5 * rate),
        )

        async def close_tab() -> None:
            """The kiosk ended: close the tab, saying why if a limit or the server ended it."""
            await websocket.close(code=tab.close_code, message=tab.reason.encode())

        service = KioskAppService(
            self.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=close_tab,
            download_manager=self.download_manager,
            spawner=self.spawner,
        )
        self.sessions.add(service)  # no await since the checks above: no other tab can slip in
        self.tabs[service] = tab
        watch: asyncio.Task[None] | None = None
        started = self.health.session_started()
        self.session_log.started(address, len(self.sessions), self.max_sessions)
        error_name = ""
        try:
            await websocket.prepare(request)
            await service.start(*size)
            watch = asyncio.create_task(self.watch(tab, service))
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except SpawnError as error:
            log.error("cannot start a session: %s", error)
            tab.reason = REASON_UNAVAILABLE
            self._refused(request, START_FAILED)
            with contextlib.suppress(Exception):
                await websocket.send_bytes(UNAVAILABLE_TERMINAL)
        except Exception as error:  # its type only: a traceback's values could hold what was typed
            error_name = type(error).__name__
            log.error("a session ended with an error: %s", error_name)
        finally:
            by_kiosk = service.kiosk_ended  # before stop(), which ends the kiosk too
            if watch is not None:
                watch.cancel()
            try:
                await service.stop()
            finally:
                service.release()
                self.sessions.discard(service)
                service.finished.set()
                self.tabs.pop(service, None)
                self.admission.close_session(address)
                end = self.health.session_ended(started, self._end_reason(service, tab, by_kiosk, error_name))
                self.session_log.ended(address, end, len(self.sessions), self.max_sessions)
            with contextlib.suppress(Exception):
                await close_tab()
        return websocket

    def _end_reason(self, service: KioskAppService, tab: Tab, by_kiosk: bool, error_name: str) -> str:
        """Why a session ended, in the words of the SSH access log."""
        if error_name:
            return f"error: {error_name}"
        if tab.reason in END_REASONS:  # a limit or the server ended it
            return END_REASONS[tab.reason]
        if by_kiosk:
            process = service._process
            return SessionLog.kiosk_exit(process.returncode if process is not None else None)
        return "server shutdown" if self.closing else "disconnected"

    def _refused(self, request: web.Request, reason: str) -> None:
        """Count and log a refusal under its reason (kiosk.admission's kinds, kiosk.doorstatus' others)."""
        self.health.refuse(reason)
        self.session_log.refused(self.client(request), reason, len(self.sessions), self.max_sessions)

    async def watch(self, tab: Tab, service: KioskAppService) -> None:
        """The tab's time limits, as an SSH session's (kiosk.session_limits): warn, then end it."""
        while True:
            await asyncio.sleep(TICK)
            verdict = tab.clock.check()
            if verdict is Verdict.WARN:
                service.send_signal(signal.SIGUSR1)  # the kiosk says "ending soon" in its language
            elif verdict in (Verdict.IDLE, Verdict.MAX_LENGTH):
                tab.reason = REASON_IDLE if verdict is Verdict.IDLE else REASON_MAX_LENGTH
                log.info("ended a session from %s: %s", tab.address, verdict.value)
                await service.stop()  # the kiosk quits, and its end closes the tab with the reason
                return

    async def _process_messages(self, websocket: web.WebSocketResponse, app_service: AppService) -> None:
        """textual-serve's loop over a tab's messages, with its limits.

        Over the rate (Tab.messages) messages are dropped, and a tab that keeps flooding is
        closed; resizes are coalesced; what is not a well-formed message of the browser page's
        is ignored rather than ending the session with an error.
        """
        tab = self.tabs.get(app_service) if isinstance(app_service, KioskAppService) else None
        resizes = tab.resizes if tab is not None else ResizeCoalescer()
        resize_later: asyncio.TimerHandle | None = None

        async def send_resize() -> None:
            size = resizes.take()
            if size is not None:
                await app_service.set_terminal_size(*size)  # type: ignore[arg-type]  # KioskAppService checks it

        def fire_resize() -> None:
            nonlocal resize_later
            resize_later = None
            pending.add(task := asyncio.get_running_loop().create_task(send_resize()))
            task.add_done_callback(pending.discard)

        pending: set[asyncio.Task[None]] = set()

        try:
            async for message in websocket:
                if message.type != WSMsgType.TEXT:
                    continue
                if tab is not None and not tab.messages.allow():
                    tab.dropped += 1
                    if not tab.flood.allow():
                        log.warning("closed a session from %s: it sent messages too fast for too long", tab.address)
                        tab.reason = REASON_FLOOD
                        self.health.refuse(admission.FLOOD)
                        await app_service.stop()  # its end closes the tab, with the reason
                        break
                    continue
                try:
                    envelope = json.loads(message.data)
                except ValueError:
                    continue
                if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
                    continue
                kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
                if kind == "stdin" and isinstance(data, str):
                    payload = data.encode("utf-8", "replace")
                    if tab is not None:
                        tab.clock.input(payload)
                    await app_service.send_bytes(payload)
                elif kind == "resize" and isinstance(data, dict):
                    wait = resizes.offer((data.get("width"), data.get("height")))
                    if wait is None:
                        await send_resize()
                    elif resize_later is None:  # the latest size goes when its turn comes
                        resize_later = asyncio.get_running_loop().call_later(wait, fire_resize)
                elif kind == "ping" and isinstance(data, str) and len(data) <= 32:
                    await websocket.send_json(["pong", data])
                elif kind == "blur":
                    await app_service.blur()
                elif kind == "focus":
                    await app_service.focus()
        finally:
            if resize_later is not None:
                resize_later.cancel()

    async def refuse(self, request: web.Request, kind: str, line: bytes) -> web.WebSocketResponse:
        """A tab beyond a cap: counted under `kind`, a line in its terminal, then a close with 1013."""
        self._refused(request, kind)
        reason = CLOSE_REASONS.get(kind, BUSY_REASON)
        websocket = web.WebSocketResponse(max_msg_size=MAX_MESSAGE)
        await websocket.prepare(request)
        with contextlib.suppress(Exception):
            await websocket.send_bytes(line)
            async with asyncio.timeout(REFUSAL_HOLD):  # long enough to read; the tab then offers a restart
                async for _message in websocket:
                    pass
        await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER, message=reason)
        return websocket
