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
from collections.abc import Callable
from typing import Any

from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from kiosk.doorhealth import DoorHealth
from kiosk.doorstatus import GLOBAL_CAP, OTHER_SITE, SessionLog
from kiosk.forkserver.environment import DEFAULT_SIZE, size_from_client
from kiosk.forkserver.protocol import STOP_GRACE
from kiosk.web import allowed_origins, origin_allowed, title, url_host

log = logging.getLogger("kiosk.web")

#: Seconds a refused tab shows its "busy" line before the server closes it.
REFUSAL_HOLD = 10.0
#: textual-serve's own TEXTUAL* variables; every other one from the server's environment is dropped.
SERVE_VARIABLES = frozenset({"TEXTUAL_DRIVER", "TEXTUAL_FPS", "TEXTUAL_COLOR_SYSTEM"})

BUSY_LINES = ("所有服务窗口都在使用中，请稍后再试。", "All help sessions are in use. Please try again in a minute.")
#: Shown in the tab's terminal (xterm.js) when the websocket is refused.
BUSY_TERMINAL = ("\r\n" + "".join(f"  {line}\r\n" for line in BUSY_LINES)).encode("utf-8")
#: The close reason a refused websocket gets (at most 123 bytes).
BUSY_REASON = b"all help sessions are in use"
BUSY_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta http-equiv="refresh" content="30">
<title>{title}</title></head>
<body style="background:#0c181f;color:#f2f2f2;font:18px/1.6 sans-serif;text-align:center;padding-top:20vh">
<p>{zh}</p><p lang="en">{en}</p><p><a style="color:#9cf" href="">再试一次 · Try again</a></p>
</body></html>
"""
#: The stock page's link to a third-party font service (see KioskServer.handle_index).
THIRD_PARTY_FONT = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>\s*")


class KioskAppService(AppService):
    """One tab's kiosk process."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._stop_lock = asyncio.Lock()
        #: The kiosk ended by itself (quit, idle): the session's end reason comes from its exit code.
        self.kiosk_ended = False

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
        self.max_sessions = max_sessions
        self.sessions: set[KioskAppService] = set()
        self.origins = allowed_origins(host, port, self.public_url)

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

    def reload(self) -> None:
        """SIGHUP: new settings for new sessions; the open ones go on."""
        if self.on_reload is not None:
            try:
                self.on_reload()
            except Exception as exc:  # a reload must never take the door down
                log.error("reload failed (%s: %s); kiosk web goes on", type(exc).__name__, exc)

    async def on_startup(self, app: web.Application) -> None:
        """Nothing: textual-serve's banner would go to stdout before the server listens."""

    async def on_shutdown(self, app: web.Application) -> None:
        self.closing = True
        await asyncio.gather(*(service.stop() for service in list(self.sessions)), return_exceptions=True)
        await self.health.stop()

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if self.full:
            self._refused(request, GLOBAL_CAP)
            return self.busy_page()
        response = await super().handle_index(request)  # the page, rendered by aiohttp_jinja2
        assert isinstance(response, web.Response), type(response)
        # The stock page asks a third-party font service for its font on every visit: a
        # customer's browser talks only to this server (and the page must not wait for a
        # service that may be unreachable from the branch).
        text = THIRD_PARTY_FONT.sub("", response.text or "")
        return web.Response(text=text, content_type="text/html", charset="utf-8")

    def busy_page(self) -> web.Response:
        body = BUSY_PAGE.format(title=title(), zh=BUSY_LINES[0], en=BUSY_LINES[1])
        return web.Response(
            status=503, text=body, content_type="text/html", charset="utf-8", headers={"Retry-After": "30"}
        )

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if not origin_allowed(request.headers.get("Origin"), self.origins):
            log.warning("refused a session opened from another site's page: %s", request.headers.get("Origin"))
            self._refused(request, OTHER_SITE)
            raise web.HTTPForbidden(text="sessions may be opened only from this server's page\n")
        if self.full:
            return await self.refuse(request)
        websocket = web.WebSocketResponse(heartbeat=15)
        size = size_from_client(request.query.get("width", "80"), request.query.get("height", "24")) or DEFAULT_SIZE
        service = KioskAppService(
            self.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
        )
        self.sessions.add(service)  # no await since the check above: no other tab can slip in
        started = self.health.session_started()
        self.session_log.started(request.remote, len(self.sessions), self.max_sessions)
        error_name = ""
        try:
            await websocket.prepare(request)
            await service.start(*size)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # its type only: a traceback's values could hold what was typed
            error_name = type(error).__name__
            log.error("a session ended with an error: %s", error_name)
        finally:
            by_kiosk = service.kiosk_ended  # before stop(), which ends the kiosk too
            try:
                await service.stop()
            finally:
                self.sessions.discard(service)
                reason = self._end_reason(service, by_kiosk, error_name)
                end = self.health.session_ended(started, reason)
                self.session_log.ended(request.remote, end, len(self.sessions), self.max_sessions)
            with contextlib.suppress(Exception):
                await websocket.close()
        return websocket

    def _end_reason(self, service: KioskAppService, by_kiosk: bool, error_name: str) -> str:
        """Why a session ended, in the words of the SSH access log."""
        if error_name:
            return f"error: {error_name}"
        if by_kiosk:
            process = service._process
            return SessionLog.kiosk_exit(process.returncode if process is not None else None)
        return "server shutdown" if self.closing else "disconnected"

    def _refused(self, request: web.Request, reason: str) -> None:
        self.health.refuse(reason)
        self.session_log.refused(request.remote, reason, len(self.sessions), self.max_sessions)

    async def refuse(self, request: web.Request) -> web.WebSocketResponse:
        """A tab beyond the cap: a line in its terminal, then a close with 1013 (try again later)."""
        self._refused(request, GLOBAL_CAP)
        websocket = web.WebSocketResponse()
        await websocket.prepare(request)
        with contextlib.suppress(Exception):
            await websocket.send_bytes(BUSY_TERMINAL)
            async with asyncio.timeout(REFUSAL_HOLD):  # long enough to read; the tab then offers a restart
                async for _message in websocket:
                    pass
        await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER, message=BUSY_REASON)
        return websocket
