"""`kiosk web`: the same kiosk in a browser tab, served by textual-serve.

    kiosk web [--host 127.0.0.1] [--port 8000] [--max-sessions N] [--public] [--public-url URL]

Every browser tab opens its own websocket, and textual-serve starts one process for each
(`AppService._open_app_process`, called from `Server.handle_websocket`): here that process is
`python -m kiosk --remote --config FILE`, the remote profile, where quitting or going idle
ends the tab's session and there is no staff path. Its stdout is the driver's channel, which
is why start-up writes nothing there (kiosk.launch.stdout_to_stderr).

textual-serve is used as it is, with a few small overrides, each for one reason:

* a cap on sessions at once (textual-serve has none): a tab beyond it gets a "busy" page, or
  a "busy" line in its terminal and a close with code 1013 (try again later), and no process;
* a websocket from another site's page is refused (the Origin check), so a page the customer
  happens to visit cannot open sessions on a loopback kiosk;
* the terminal size a browser claims is clamped before it reaches the kiosk;
* of the app's requests to the browser only "exit" is passed on: no URL is opened and no
  file is offered for download;
* the session's environment keeps none of the server's own TEXTUAL* variables;
* a session's process is told to quit, killed if it has not gone within a few seconds, and
  reaped before its slot is given back; a process that ends by itself closes its tab.

There is no authentication on this front door: it listens on loopback unless --public is
given, and a public one belongs behind the branch's own access control.

textual-serve is imported only when the server starts, so `kiosk --help` stays cheap.
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import shlex
import sys
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: Seconds a session's process has to quit before it is killed.
STOP_GRACE = 3.0
#: Seconds a refused tab shows its "busy" line before the server closes it.
REFUSAL_HOLD = 10.0
#: The smallest and largest terminal a browser may claim (columns, rows).
MIN_SIZE = (10, 5)
MAX_SIZE = (400, 200)
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

PUBLIC_HELP = (
    "listen on an address other than loopback. There is no authentication on the web front "
    "door: anyone who reaches the port gets a kiosk session, so put it behind the branch's "
    "own access control (a reverse proxy with sign-in, a VPN or a firewall)"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", default=argparse.SUPPRESS, metavar="FILE", help="the configuration file")
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}; anything but loopback needs --public)",
    )
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"port to listen on (default {DEFAULT_PORT})")
    parser.add_argument(
        "--max-sessions",
        type=int,
        metavar="N",
        help="browser sessions at once; one beyond it is told to try again "
        "(default: max_sessions of the [ssh] table, the SSH front door's limit, 50)",
    )
    parser.add_argument("--public", action="store_true", help=PUBLIC_HELP)
    parser.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use when a proxy sits in front (default http://HOST:PORT)",
    )


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is outside 1-65535")
    return port


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses; any other name counts as public (no lookups)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url_host(host: str) -> str:
    """`host` as it appears in a URL: IPv6 addresses in brackets."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def origin_of(url: str) -> str:
    """scheme://host[:port] of `url`, lowercase, default ports left out, as browsers send Origin."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = url_host(parts.hostname or "")
    port = parts.port
    default = {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{host}" if port in (None, default) else f"{scheme}://{host}:{port}"


def allowed_origins(host: str, port: int, public_url: str) -> frozenset[str]:
    """Pages allowed to open sessions: the public URL's, and on loopback every loopback name for it."""
    origins = {origin_of(public_url)}
    if is_loopback(host):
        origins |= {origin_of(f"http://{name}:{port}") for name in ("localhost", "127.0.0.1", "[::1]", url_host(host))}
    return frozenset(origins)


def origin_allowed(origin: str | None, allowed: frozenset[str]) -> bool:
    """Browsers always send Origin with a websocket; other clients may send none."""
    if origin is None:
        return True
    try:
        return origin_of(origin.strip()) in allowed
    except ValueError:
        return False


def clamp_size(width: object, height: object) -> tuple[int, int] | None:
    """A terminal size within MIN_SIZE..MAX_SIZE, or None when either value is not a whole number."""
    values = []
    for value, low, high in ((width, MIN_SIZE[0], MAX_SIZE[0]), (height, MIN_SIZE[1], MAX_SIZE[1])):
        if isinstance(value, bool):
            return None
        if isinstance(value, str):
            try:
                value = int(value)
            except ValueError:
                return None
        if not isinstance(value, int):
            return None
        values.append(min(max(value, low), high))
    return values[0], values[1]


def session_command(config_path: Path) -> str:
    """The shell command textual-serve runs for each tab (exec: the session's process is the kiosk)."""
    return "exec " + shlex.join([sys.executable, "-m", "kiosk", "--remote", "--config", str(config_path)])


def title() -> str:
    from kiosk.i18n import t

    return f"{t('app.title', 'zh-CN')} · {t('app.title', 'en')}"


def run(args: argparse.Namespace) -> int:
    from kiosk import config

    if not is_loopback(args.host) and not args.public:
        print(
            f"kiosk web: refusing to listen on {args.host}: it is not a loopback address, and this "
            "front door has no authentication. Put it behind the branch's own access control and "
            "add --public to confirm.",
            file=sys.stderr,
        )
        return 2
    path = config.resolve_path(getattr(args, "config", None)).expanduser().resolve()
    max_sessions = args.max_sessions
    if max_sessions is None:
        max_sessions = _ssh_max_sessions(config.load(path).settings)
    from kiosk.ssh import settings as ssh_settings

    problem, _ = ssh_settings.check_value("max_sessions", max_sessions)
    if problem:
        print(f"kiosk web: --max-sessions: {problem}", file=sys.stderr)
        return 2
    public_url = args.public_url
    if public_url is not None:
        parts = urlsplit(public_url)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            print(
                f"kiosk web: --public-url: {public_url!r} is not an http:// or https:// address "
                "(e.g. https://help.bank.example/kiosk)",
                file=sys.stderr,
            )
            return 2
        public_url = public_url.rstrip("/")
    try:
        server = build_server(
            session_command(path), host=args.host, port=args.port, max_sessions=max_sessions, public_url=public_url
        )
    except ImportError as exc:
        print(f"kiosk web: {exc}; install textual-serve", file=sys.stderr)
        return 1
    # Nothing is requested output here: the server's log, and each session's stderr that
    # textual-serve passes on when the session ends, go to stderr.
    try:
        with contextlib.redirect_stdout(sys.stderr):
            server.serve()
    except OSError as exc:
        print(f"kiosk web: cannot listen on {url_host(args.host)}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0


def _ssh_max_sessions(settings) -> int:
    from kiosk.ssh import settings as ssh_settings

    return ssh_settings.resolve(settings.ssh).max_sessions


def build_server(
    command: str,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    max_sessions: int = 50,
    public_url: str | None = None,
):
    server_class, _ = server_classes()
    return server_class(command, host=host, port=port, max_sessions=max_sessions, public_url=public_url)


@cache
def server_classes():
    """(KioskServer, KioskAppService): textual-serve's classes with the overrides described above."""
    import asyncio
    import json
    import logging
    import re
    import signal

    from aiohttp import WSCloseCode, web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server

    log = logging.getLogger("kiosk.web")

    class KioskAppService(AppService):
        """One tab's kiosk process."""

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._stop_lock = asyncio.Lock()

        def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
            environment = super()._build_environment(width, height)
            for name in [n for n in environment if n.startswith("TEXTUAL") and n not in SERVE_VARIABLES]:
                del environment[name]
            return environment

        async def start(self, width: int, height: int) -> None:
            await super().start(*(clamp_size(width, height) or (80, 24)))

        async def set_terminal_size(self, width: int, height: int) -> None:
            size = clamp_size(width, height)
            if size is not None:
                await super().set_terminal_size(*size)

        async def run(self) -> None:
            try:
                await super().run()
            except asyncio.CancelledError:
                # textual-serve cancels its stderr reader when the output ends; if the process died
                # before that reader ever ran, the cancellation surfaces here. Only ours propagates.
                if asyncio.current_task().cancelling():
                    raise
            finally:
                # The kiosk ended (quit, idle, or a crash that sent no "exit"): so does the tab.
                with contextlib.suppress(Exception):
                    await self.remote_close()

        async def on_meta(self, data: bytes) -> None:
            meta = json.loads(data)
            if meta.get("type") == "exit":
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
        """textual-serve's server with a session cap and the checks above."""

        def __init__(
            self, command: str, *, host: str, port: int, max_sessions: int, public_url: str | None = None
        ) -> None:
            super().__init__(
                command, host=host, port=port, title=title(), public_url=public_url or f"http://{url_host(host)}:{port}"
            )
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
            web.run_app(
                self._make_app(),
                host=self.host,
                port=self.port,
                handle_signals=False,
                loop=loop,
                print=lambda _listening: print(
                    f"kiosk web: serving the kiosk on {self.public_url} (at most {self.max_sessions} sessions at once)",
                    file=sys.stderr,
                    flush=True,
                ),
            )

        async def on_startup(self, app: web.Application) -> None:
            """Nothing: textual-serve's banner would go to stdout before the server listens."""

        async def on_shutdown(self, app: web.Application) -> None:
            await asyncio.gather(*(service.stop() for service in list(self.sessions)), return_exceptions=True)

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            if self.full:
                return self.busy_page()
            response = await super().handle_index(request)
            # The stock page asks a third-party font service for its font on every visit: a
            # customer's browser talks only to this server (and the page must not wait for a
            # service that may be unreachable from the branch).
            text = re.sub(r"<link[^>]*fonts\.googleapis\.com[^>]*>\s*", "", response.text or "")
            return web.Response(text=text, content_type="text/html", charset="utf-8")

        def busy_page(self) -> web.Response:
            body = BUSY_PAGE.format(title=title(), zh=BUSY_LINES[0], en=BUSY_LINES[1])
            return web.Response(
                status=503, text=body, content_type="text/html", charset="utf-8", headers={"Retry-After": "30"}
            )

        async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
            if not origin_allowed(request.headers.get("Origin"), self.origins):
                log.warning("refused a session opened from another site's page: %s", request.headers.get("Origin"))
                return web.Response(status=403, text="sessions may be opened only from this server's page\n")
            if self.full:
                return await self.refuse(request)
            websocket = web.WebSocketResponse(heartbeat=15)
            size = clamp_size(request.query.get("width", "80"), request.query.get("height", "24")) or (80, 24)
            service = KioskAppService(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
            )
            self.sessions.add(service)  # no await since the check above: no other tab can slip in
            try:
                await websocket.prepare(request)
                await service.start(*size)
                await self._process_messages(websocket, service)
            except asyncio.CancelledError:
                await websocket.close()
            except Exception as error:  # its type only: a traceback's values could hold what was typed
                log.error("a session ended with an error: %s", type(error).__name__)
            finally:
                try:
                    await service.stop()
                finally:
                    self.sessions.discard(service)
                with contextlib.suppress(Exception):
                    await websocket.close()
            return websocket

        async def refuse(self, request: web.Request) -> web.WebSocketResponse:
            """A tab beyond the cap: a line in its terminal, then a close with 1013 (try again later)."""
            websocket = web.WebSocketResponse()
            await websocket.prepare(request)
            with contextlib.suppress(Exception):
                await websocket.send_bytes(BUSY_TERMINAL)
                async with asyncio.timeout(REFUSAL_HOLD):  # long enough to read; the tab then offers a restart
                    async for _message in websocket:
                        pass
            await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER, message=BUSY_REASON)
            return websocket

    return KioskServer, KioskAppService
