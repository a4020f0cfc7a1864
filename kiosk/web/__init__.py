"""`kiosk web`: the same kiosk in a browser tab, served by textual-serve.

    kiosk web [--host 127.0.0.1] [--port 8000] [--max-sessions N] [--public] [--public-url URL]

Every browser tab opens its own websocket, and each gets its own kiosk process speaking
Textual's web driver protocol on its stdin and stdout: the remote profile, where quitting or
going idle ends the tab's session and there is no staff path. By default that process is
forked by the fork server (kiosk.forkserver, via kiosk.web.forked), as an SSH session's is:
packs, imports and the search index are loaded once, and a tab costs what it changes. With
`spawn = "exec"` in the [ssh] table it is textual-serve's way instead, a fresh
`python -m kiosk --remote --config FILE` per tab (`AppService._open_app_process`). Either
way stdout is the driver's channel, which is why start-up writes nothing there
(kiosk.launch.stdout_to_stderr).

textual-serve is used as it is, with a few small overrides (kiosk.web.server), each for one
reason:

* a cap on sessions at once (textual-serve has none): a tab beyond it gets a "busy" page, or
  a "busy" line in its terminal and a close with code 1013 (try again later), and no process;
* a websocket from another site's page is refused (the Origin check), so a page the customer
  happens to visit cannot open sessions on a loopback kiosk;
* the terminal size a browser claims is clamped before it reaches the kiosk, by the same rule
  as over SSH (kiosk.forkserver.environment);
* of the app's requests to the browser only "exit" is passed on: no URL is opened and no
  file is offered for download;
* the session's environment keeps none of the server's own TEXTUAL* variables;
* a session's process is told to quit, killed if it has not gone within a few seconds, and
  reaped before its slot is given back; a process that ends by itself closes its tab.

There is no authentication on this front door: it listens on loopback unless --public is
given, and a public one belongs behind the branch's own access control.

This module is the command line and `run()`: standard library only, so `kiosk --help` stays
cheap. kiosk.web.server, which imports textual-serve and aiohttp, is imported only when the
server starts.
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import os
import shlex
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from kiosk import exitcodes

if TYPE_CHECKING:  # imports textual-serve: loaded by build_server() only
    from kiosk.config import Settings
    from kiosk.config.remote import SshSettings
    from kiosk.web.server import KioskServer
    from kiosk.web.traffic import IPNetwork

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

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
        "--trusted-proxy",
        action="append",
        default=[],
        metavar="ADDRESS",
        help="a reverse proxy (address or network, e.g. 10.0.0.5 or 10.0.0.0/24; repeatable) whose "
        "X-Forwarded-For header names the client: its per-address cap and log line are the client's. "
        "From anyone else the header is ignored",
    )
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
        return exitcodes.USAGE
    path = config.resolve_path(getattr(args, "config", None)).expanduser().resolve()
    loaded = config.load(path)
    web_issues = [issue for issue in loaded.issues if str(issue.field).split(".")[0] == "web"]
    if web_issues:
        for issue in web_issues:
            print(f"kiosk web: {issue}", file=sys.stderr)
        print("kiosk web: fix [web] in the configuration first (`kiosk config check`)", file=sys.stderr)
        return exitcodes.INVALID
    from kiosk.config import remote as ssh_settings

    remote = remote_settings(loaded.settings)
    max_sessions = args.max_sessions
    if max_sessions is None:
        max_sessions = remote.max_sessions

    problem, _ = ssh_settings.check_value("max_sessions", max_sessions)
    if problem:
        print(f"kiosk web: --max-sessions: {problem}", file=sys.stderr)
        return exitcodes.USAGE
    public_url = args.public_url
    if public_url is not None:
        parts = urlsplit(public_url)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            print(
                f"kiosk web: --public-url: {public_url!r} is not an http:// or https:// address "
                "(e.g. https://help.bank.example/kiosk)",
                file=sys.stderr,
            )
            return exitcodes.USAGE
        public_url = public_url.rstrip("/")
    from kiosk.proxy_protocol import parse_networks  # one rule for both doors

    try:
        trusted = parse_networks(args.trusted_proxy)
    except ValueError as exc:
        print(f"kiosk web: --trusted-proxy: {exc}", file=sys.stderr)
        return exitcodes.USAGE
    try:
        server = build_server(
            session_command(path),
            host=args.host,
            port=args.port,
            max_sessions=max_sessions,
            public_url=public_url,
            fork_server_config=path if remote.spawn == "fork-server" else None,
            settings=remote,
            trusted_proxies=trusted,
        )
    except ImportError as exc:
        print(f"kiosk web: {exc}; install textual-serve", file=sys.stderr)
        return exitcodes.ERROR
    from kiosk.config import webdoor
    from kiosk.doorhealth import DoorHealth, MetricsError
    from kiosk.web.reload import reloader

    server.health = DoorHealth(
        "web", config_path=path, metrics_listen=webdoor.resolve(loaded.settings.web).metrics_listen
    )
    reloader(server, path, fixed_max_sessions=args.max_sessions is not None)
    try:
        server.health.start_metrics()  # before the door listens: a taken metrics port stops the start
    except MetricsError as exc:
        print(f"kiosk web: {exc.strerror}", file=sys.stderr)
        return exitcodes.ERROR
    # Nothing is requested output here: the server's log, and each session's stderr that
    # textual-serve passes on when the session ends, go to stderr.
    try:
        with contextlib.redirect_stdout(sys.stderr):
            server.serve()
    except OSError as exc:
        print(f"kiosk web: cannot listen on {url_host(args.host)}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return exitcodes.ERROR
    return exitcodes.OK


def remote_settings(settings: Settings) -> SshSettings:
    """The [ssh] table's rules, which this front door follows too (caps, time limits, spawn)."""
    from kiosk.config import remote as ssh_settings

    return ssh_settings.resolve(settings.ssh)


def build_server(
    command: str,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    max_sessions: int = 50,
    public_url: str | None = None,
    fork_server_config: Path | None = None,
    environ: Mapping[str, str] | None = None,
    settings: SshSettings | None = None,
    trusted_proxies: tuple[IPNetwork, ...] = (),
) -> KioskServer:
    """The server; tabs are forked by a fork server reading `fork_server_config`, or else run `command`."""
    from kiosk.web.server import KioskServer  # textual-serve and aiohttp: only when a server is made

    spawner = None
    if fork_server_config is not None:
        from kiosk.forkserver.environment import base_environment
        from kiosk.packcache import default_directory
        from kiosk.web.forked import TabSpawner

        environ = dict(os.environ if environ is None else environ)
        spawner = TabSpawner(fork_server_config, base_environment(environ, default_directory(environ)))
    return KioskServer(
        command,
        host=host,
        port=port,
        max_sessions=max_sessions,
        public_url=public_url,
        spawner=spawner,
        settings=settings,
        trusted_proxies=trusted_proxies,
    )
