"""`kiosk ssh`: serve the kiosk over SSH, print the host key fingerprint, or set the shared password.

    kiosk ssh [--listen HOST:PORT] [--auth open|password|keys] [--host-key FILE]
              [--authorized-keys FILE] [--access-log FILE|-] [--spawn fork-server|exec]
    kiosk ssh --fingerprint          (creates the host key if there is none yet)
    kiosk ssh --set-password [--stdin]

Settings come from the [ssh] table of kiosk.toml; options given here win.
A problem in [ssh] stops the front door (it never listens on guessed limits).
SIGHUP reads the file again and applies what can change while serving
(kiosk.ssh.server FrontDoor.reload); a file with a problem changes nothing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import exitcodes
from kiosk.config import remote as ssh_settings

if TYPE_CHECKING:  # asyncssh: only when the server starts
    from kiosk.ssh.server import FrontDoor


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", default=argparse.SUPPRESS, metavar="FILE", help="the configuration file")
    parser.add_argument("--listen", metavar="HOST:PORT", help="address to listen on (default 127.0.0.1:2222)")
    parser.add_argument("--auth", choices=ssh_settings.AUTH_MODES, help="who may connect")
    parser.add_argument("--host-key", metavar="FILE", help="host key file (created once if missing)")
    parser.add_argument("--authorized-keys", metavar="FILE", help="public keys allowed with --auth keys")
    parser.add_argument("--access-log", metavar="FILE", help="access log file, or - for standard error")
    parser.add_argument("--spawn", choices=ssh_settings.SPAWN_MODES, help="how session processes start")
    parser.add_argument("--fingerprint", action="store_true", help="print the host key's fingerprint and exit")
    parser.add_argument(
        "--set-password",
        action="store_true",
        help=f"set the shared password (at least {ssh_settings.MIN_PASSWORD} characters; "
        "stored only as a hash) and exit",
    )
    parser.add_argument("--stdin", action="store_true", help="with --set-password: read it from standard input")


def run(args: argparse.Namespace) -> int:
    from kiosk import config

    path = config.resolve_path(getattr(args, "config", None))
    loaded = config.load(path)
    ssh_issues = [issue for issue in loaded.issues if str(issue.field).startswith("ssh")]
    if args.set_password:
        return _set_password(args, path)
    if ssh_issues:
        for issue in ssh_issues:
            print(f"kiosk ssh: {issue}", file=sys.stderr)
        print("kiosk ssh: fix [ssh] in the configuration first (`kiosk config check`)", file=sys.stderr)
        return exitcodes.INVALID
    try:
        settings = ssh_settings.with_overrides(ssh_settings.resolve(loaded.settings.ssh), **_overrides(args))
    except ValueError as exc:  # a bad --listen and the like
        print(f"kiosk ssh: {exc}", file=sys.stderr)
        return exitcodes.USAGE
    from kiosk.ssh import hostkey

    if args.fingerprint:
        try:
            key = hostkey.load_or_create(settings.host_key_path())
        except (hostkey.HostKeyError, OSError) as exc:
            print(f"kiosk ssh: {exc}", file=sys.stderr)
            return exitcodes.ERROR
        print(f"{hostkey.fingerprint(key)} {settings.host_key_path()}")
        return exitcodes.OK

    def read_settings() -> ssh_settings.SshSettings:
        """The settings as a start now would make them (for SIGHUP): the file, then the options."""
        from kiosk.ssh.reload import ReloadRefused

        loaded = config.load(path)
        issues = [issue for issue in loaded.issues if str(issue.field).startswith("ssh")]
        if issues:
            raise ReloadRefused([str(issue) for issue in issues])
        return ssh_settings.with_overrides(ssh_settings.resolve(loaded.settings.ssh), **_overrides(args))

    return _serve(settings, path if path.exists() else None, read_settings)


def _overrides(args: argparse.Namespace) -> dict[str, object]:
    """The command-line options that win over the file, at start and at every reload."""
    return dict(
        listen=args.listen,
        auth=args.auth,
        host_key=args.host_key,
        authorized_keys=args.authorized_keys,
        access_log=args.access_log,
        spawn=args.spawn,
    )


def _serve(
    settings: ssh_settings.SshSettings,
    config_path: Path | None,
    read_settings: Callable[[], ssh_settings.SshSettings] | None = None,
) -> int:
    import asyncio

    from kiosk.doorhealth import MetricsError
    from kiosk.ssh import hostkey
    from kiosk.ssh.server import FrontDoor, serve

    try:
        front = FrontDoor(settings, config_path)
    except (hostkey.HostKeyError, OSError, ValueError) as exc:
        print(f"kiosk ssh: {exc}", file=sys.stderr)
        return exitcodes.ERROR

    def announce(front: FrontDoor) -> None:
        host, _ = settings.host_port
        print(
            f"kiosk ssh: listening on {host}:{front.port}, auth {settings.auth}, "
            f"host key {hostkey.fingerprint(front.host_key)}",
            file=sys.stderr,
            flush=True,
        )
        if front.health.metrics_address:
            print(f"kiosk ssh: metrics on http://{front.health.metrics_address}/metrics", file=sys.stderr, flush=True)

    try:
        return asyncio.run(serve(front, announce, read_settings))
    except MetricsError as exc:
        print(f"kiosk ssh: {exc.strerror}", file=sys.stderr)
        return exitcodes.ERROR
    except OSError as exc:  # e.g. the address is in use
        print(f"kiosk ssh: cannot listen on {settings.listen}: {exc.strerror or exc}", file=sys.stderr)
        return exitcodes.ERROR


def _set_password(args: argparse.Namespace, path: Path) -> int:
    """Set the shared password from any state of the file: an edit that adds no problem is made.

    `auth = "password"` without a hash is the usual state to start from (the file asks for the
    password), so a file's other problems never block this; they are listed afterwards.
    """
    import getpass

    from kiosk.config import ConfigError
    from kiosk.config.edit import set_values

    if args.stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        again = password
    else:
        password = getpass.getpass("New shared password for kiosk ssh: ")
        again = getpass.getpass("Repeat it: ")
    if password != again:
        print("kiosk ssh: the two passwords differ; nothing changed", file=sys.stderr)
        return exitcodes.INVALID
    from kiosk.ssh.auth import hash_password

    try:
        hashed = hash_password(password)
    except ValueError as exc:
        print(f"kiosk ssh: {exc}; nothing changed", file=sys.stderr)
        return exitcodes.INVALID
    try:
        edited = set_values(path, {("ssh", "password_hash"): hashed})
    except ConfigError as exc:
        for issue in exc.issues:
            print(f"kiosk ssh: {issue}", file=sys.stderr)
        return exitcodes.INVALID
    print(f'kiosk ssh: shared password set in {path} (use it with auth = "password")')
    for issue in edited.remaining:
        print(f"kiosk ssh: still to fix: {issue}", file=sys.stderr)
    return exitcodes.OK
