"""Command line: argument parsing only; each command calls the layer below.

Importing this module must stay cheap and free of Textual: `kiosk packs list`
and `kiosk --version` never draw a screen. Everything that is not the
requested output goes to stderr, so stdout can be piped or parsed.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, NoReturn

from kiosk import __version__, exitcodes
from kiosk.profile import Profile


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse already exits 2; keep the message short
        self.print_usage(sys.stderr)
        self.exit(exitcodes.USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kiosk", description="Self-service help kiosk for digital-wallet users.")
    parser.add_argument("--version", action="store_true", help="print the kiosk and pack versions and exit")
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="operator configuration (default: $KIOSK_CONFIG, else ~/.config/wallet-kiosk/kiosk.toml)",
    )
    profile = parser.add_mutually_exclusive_group()
    profile.add_argument(
        "--no-kiosk",
        dest="profile",
        action="store_const",
        const=Profile.DEVELOPMENT,
        help="development mode: Ctrl+Q quits, no idle reset, no lockdown",
    )
    # The SSH and web front doors start each session's kiosk with --remote.
    profile.add_argument("--remote", dest="profile", action="store_const", const=Profile.REMOTE, help=argparse.SUPPRESS)
    # `kiosk ssh --spawn exec` passes a pipe for start-up notices: the session's terminal is the
    # customer's, and configuration or pack problems are for the operator's log.
    parser.add_argument("--notice-fd", type=int, metavar="FD", help=argparse.SUPPRESS)
    parser.set_defaults(profile=Profile.KIOSK)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    cfg = sub.add_parser("config", help="create, show, change and check the operator configuration")
    # Also accepted after `config` (kiosk config --config FILE check), without hiding the global one.
    cfg.add_argument("--config", default=argparse.SUPPRESS, metavar="FILE", help="the configuration file")
    cfg_sub = cfg.add_subparsers(dest="config_command", parser_class=_Parser, required=True)
    init = cfg_sub.add_parser("init", help="write a configuration file with every key at its default")
    init.add_argument("--force", action="store_true", help="overwrite an existing file")
    show_cfg = cfg_sub.add_parser("show", help="every key, its value and what it does")
    show_cfg.add_argument("--json", action="store_true", help="machine-readable output")
    get = cfg_sub.add_parser("get", help="print one key's value")
    get.add_argument("key")
    set_ = cfg_sub.add_parser("set", help="change one key (checked before anything is written)")
    set_.add_argument("key")
    set_.add_argument("value", help="lists are comma-separated: alipay,wechat")
    pin = cfg_sub.add_parser("set-pin", help="set the staff PIN (stored only as a salted hash)")
    pin.add_argument("--stdin", action="store_true", help="read the PIN from standard input (for scripts)")
    check = cfg_sub.add_parser("check", help="report every problem with file, line and key; exit 1 if any")
    check.add_argument(
        "--user",
        metavar="NAME",
        help="also check that this account can read the file (default when run as root: kiosk, if it exists)",
    )

    status = sub.add_parser("status", help="is this kiosk healthy? exit 0 healthy, 1 degraded, 2 broken")
    status.add_argument("--config", default=argparse.SUPPRESS, metavar="FILE", help="the configuration file")
    output = status.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="machine-readable output (a fleet dashboard's feed)")
    output.add_argument("--metrics", action="store_true", help="Prometheus text format (for node_exporter)")
    status.add_argument(
        "--expect",
        action="append",
        choices=["ssh", "web"],
        default=[],
        metavar="DOOR",
        help="a front door (ssh or web) that must be running: broken if it is not (repeatable)",
    )
    status.add_argument("--user", metavar="NAME", help="as for `kiosk config check --user`")

    stats = sub.add_parser("stats", help="searches that found nothing, guides that didn't help, guides used most")
    stats.add_argument("--config", default=argparse.SUPPRESS, metavar="FILE", help="the configuration file")
    stats.add_argument("--since", type=_stats_date, metavar="DATE", help="only counts from this day on (2026-12-01)")
    stats.add_argument("--json", action="store_true", help="machine-readable output")

    packs = sub.add_parser("packs", help="list, check, create, inspect, approve and export knowledge packs")
    # Also accepted after `packs`: the packs listed are chosen by that configuration's keys and approvals.
    packs.add_argument("--config", default=argparse.SUPPRESS, metavar="FILE", help="the configuration file")
    packs_sub = packs.add_subparsers(dest="packs_command", parser_class=_Parser, required=True)

    listing = packs_sub.add_parser("list", help="installed and local packs and whether they loaded")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.add_argument(
        "--no-load", action="store_true", help="read entry-point metadata only; import no pack (status 'discovered')"
    )
    listing.add_argument("--locale", default="en", choices=["en", "zh-CN"], help="language of pack names")

    validate = packs_sub.add_parser("validate", help="check packs before publishing; exit 0 valid, 1 invalid, 2 usage")
    validate.add_argument(
        "targets",
        nargs="+",
        metavar="TARGET",
        help="a pack .toml file, a pack project or packs folder, an installed distribution name or a built .whl wheel",
    )
    validate.add_argument("--json", action="store_true", help="machine-readable output")

    new = packs_sub.add_parser("new", help="create a new pack distribution folder (kiosk-pack-ID) to edit")
    new.add_argument("pack_id", metavar="ID", help="the new pack's id: lowercase letters, digits and dashes")
    new.add_argument(
        "--dir",
        type=Path,
        default=Path("."),
        metavar="PARENT",
        help="where to create the folder (default: the current folder)",
    )
    new.add_argument("--name", help="the wallet or desk name customers know (default: from the id)")

    export = packs_sub.add_parser("export", help="write a loaded pack back as a TOML document")
    export.add_argument("pack_id", metavar="ID")
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of stdout")

    show = packs_sub.add_parser("show", help="what one loaded pack contains")
    show.add_argument("pack_id", metavar="ID")
    show.add_argument("--json", action="store_true", help="machine-readable output")
    show.add_argument("--locale", default="en", choices=["en", "zh-CN"])

    approve = packs_sub.add_parser(
        "approve", help="show customers a third-party pack as it is now (its version, document and contact facts)"
    )
    approve.add_argument("pack_id", metavar="ID")
    approve.add_argument("--dry-run", action="store_true", help="show what would be approved; change nothing")
    revoke = packs_sub.add_parser("revoke", help="withdraw an approval: customers no longer see the pack")
    revoke.add_argument("pack_id", metavar="ID")

    number = sub.add_parser("number", help="is this number official? the verdict the kiosk's screen gives")
    number_sub = number.add_subparsers(dest="number_command", parser_class=_Parser, required=True)
    number_check = number_sub.add_parser("check", help="check one number")
    number_check.add_argument("number", metavar="NUMBER")
    number_check.add_argument(
        "--context",
        choices=["call", "sms", "online"],
        default="call",
        help="how the number reached the customer: it called, it texted, or it was found online (default: call)",
    )
    number_check.add_argument("--json", action="store_true", help="machine-readable output")
    number_check.add_argument("--locale", default="en", choices=["en", "zh-CN"], help="language of the verdict")

    ssh = sub.add_parser("ssh", help="serve the kiosk over SSH: one kiosk process per session")
    from kiosk.ssh.cli import add_arguments as add_ssh_arguments  # standard library only; no asyncssh

    add_ssh_arguments(ssh)

    web = sub.add_parser("web", help="serve the kiosk to browsers: one kiosk process per tab")
    from kiosk.web import add_arguments as add_web_arguments  # standard library only; no textual-serve

    add_web_arguments(web)
    return parser


def _stats_date(text: str) -> object:
    from kiosk.stats_cli import parse_date

    return parse_date(text)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = _run(args)
        # Written output that cannot be delivered shows up here rather than at exit.
        sys.stdout.flush()
    except BrokenPipeError:
        # `kiosk packs list --json | head`: the reader has what it wanted and left. Not worth
        # a traceback; the rest of the output goes nowhere, and the exit code says it was cut short.
        _discard_stdout()
        return exitcodes.ERROR
    return code


def _discard_stdout() -> None:
    """Point standard output at /dev/null, so the interpreter's last flush has nothing to fail on."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _run(args: argparse.Namespace) -> int:
    if args.version:
        return print_version(sys.stdout)
    if args.command == "packs":
        from kiosk import packs_cli

        return packs_cli.run(args)
    if args.command == "config":
        from kiosk import config_cli

        return config_cli.run(args)
    if args.command == "status":
        from kiosk import status_cli

        return status_cli.run(args)
    if args.command == "stats":
        from kiosk import stats_cli

        return stats_cli.run(args)
    if args.command == "number":
        from kiosk import number_cli

        return number_cli.run(args)
    if args.command == "ssh":
        from kiosk.ssh import cli as ssh_cli  # asyncssh is imported only when the server starts

        return ssh_cli.run(args)
    if args.command == "web":
        from kiosk import web  # textual-serve is imported only when the server starts

        return web.run(args)
    return run_kiosk(args)


# -- kiosk ----------------------------------------------------------------------


def run_kiosk(args: argparse.Namespace) -> int:
    from kiosk import config, launch

    # A remote session's --config comes from its front door, which passes the path it resolved
    # (named or the default) and is the one to report a named file that is missing.
    named = config.is_named(args.config) and args.profile is not Profile.REMOTE
    return launch.run(args.profile, config.resolve_path(args.config), notice_fd=args.notice_fd, named=named)


# -- kiosk --version --------------------------------------------------------------


def print_version(out: IO[str]) -> int:
    from kiosk.discovery import discover

    print(f"wallet-kiosk {__version__} (Python {sys.version.split()[0]})", file=out)
    print(f"  general {__version__} (built in)", file=out)
    for installed in discover():
        print(f"  {installed.entry_point} {installed.version or '?'} ({installed.distribution or 'unknown'})", file=out)
    return exitcodes.OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
