"""`kiosk config ...`: each subcommand is a few lines over kiosk.config.

Nothing here prints the PIN or its hash; `show` and `get` say only whether one is set.
`set` and `set-pin` edit an existing file in place (kiosk.config.edit: comments,
layout, owner and mode kept); `check` reports what kiosk.configcheck finds.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from kiosk import config, exitcodes
from kiosk.config import ConfigError, Settings
from kiosk.errors import Issue

if TYPE_CHECKING:
    from kiosk.configcheck import ConfigReport

_SECRET = "staff_pin_hash"
#: Keys `kiosk config set` leaves to their own commands.
_OWN_COMMAND = {_SECRET: "kiosk config set-pin", "ssh.password_hash": "kiosk ssh --set-password"}


def run(args: argparse.Namespace) -> int:
    path = config.resolve_path(args.config)
    handler = {"init": _init, "show": _show, "get": _get, "set": _set, "set-pin": _set_pin, "check": _check}
    try:
        return handler[args.config_command](args, path)
    except ConfigError as exc:
        for issue in exc.issues:
            print(f"kiosk config: {issue}", file=sys.stderr)
        return exitcodes.ERROR


def report_remaining(remaining: Sequence[Issue], command: str) -> None:
    """Problems an edit left as they were (elsewhere in the file): said, so they are not forgotten."""
    for issue in remaining:
        print(f"{command}: still to fix: {issue}", file=sys.stderr)


def _display(key: str, value: object) -> object:
    if key == _SECRET:
        return "set" if value else "not set"
    if key == "ssh" and isinstance(value, Mapping):
        from kiosk.config.remote import table_for_display

        return table_for_display(value)
    if key == "web" and isinstance(value, Mapping):
        return dict(value)
    if key == "branch_hours":
        return [f"{o.channel}{' (voice menu)' if o.automated else ''}" for o in value]  # type: ignore[attr-defined]
    return list(value) if isinstance(value, tuple) else value


def _init(args, path) -> int:
    if path.exists() and not args.force:
        print(f"kiosk config init: {path} already exists (use --force to overwrite)", file=sys.stderr)
        return exitcodes.USAGE
    config.write(path, Settings())
    print(f"wrote {path}")
    return exitcodes.OK


def _show(args, path) -> int:
    result = config.load(path)
    items = {key: _display(key, value) for key, value in result.settings.public_items().items()}
    if args.json:
        json.dump(
            {
                "file": str(path),
                "exists": path.exists(),
                "settings": items,
                "issues": [i.as_dict() for i in result.issues],
            },
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        sys.stdout.write("\n")
    else:
        print(f"# {path}{'' if path.exists() else ' (not found: defaults)'}")
        for key, value in items.items():
            print(f"{key} = {json.dumps(value, ensure_ascii=False)}    # {config.KEY_HELP[key]}")
        for issue in result.issues:
            print(f"# problem: {issue}")
    return exitcodes.OK


def _get(args, path) -> int:
    result = config.load(path)
    settings = result.settings.public_items()
    if args.key not in settings:
        print(f"kiosk config get: unknown key '{args.key}' (known: {', '.join(settings)})", file=sys.stderr)
        return exitcodes.USAGE
    value = _display(args.key, settings[args.key])
    print(",".join(value) if isinstance(value, list) else value)
    return exitcodes.OK


def _set(args, path) -> int:
    from kiosk.config.edit import set_values

    if args.key in _OWN_COMMAND:
        print(f"kiosk config set: use `{_OWN_COMMAND[args.key]}` for {args.key}", file=sys.stderr)
        return exitcodes.USAGE
    value = config.parse_value(args.key, args.value)
    key = tuple(args.key.split(".", 1))
    if key[0] in ("ssh", "web", "branch_hours") and len(key) == 1:
        what = {
            "ssh": "ssh.KEY (e.g. ssh.auth)",
            "web": "web.KEY (e.g. web.metrics_listen)",
            "branch_hours": "the [[branch_hours]] tables in the file",
        }[key[0]]
        print(f"kiosk config set: {key[0]} is a table: set {what}", file=sys.stderr)
        return exitcodes.USAGE
    edited = set_values(path, {key: value})
    if len(key) == 1:
        shown = _display(args.key, getattr(edited.settings, args.key))
    else:
        shown = getattr(edited.settings, key[0]).get(key[1], value)
    print(f"{args.key} = {json.dumps(shown, ensure_ascii=False)}")
    report_remaining(edited.remaining, "kiosk config set")
    return exitcodes.OK


def _set_pin(args, path) -> int:
    from kiosk.config.edit import set_values

    low, high = config.PIN_LENGTH
    if args.stdin:
        pin = sys.stdin.readline().strip()
        again = pin
    else:
        pin = getpass.getpass(f"New staff PIN ({low}-{high} digits, not 123456 or 000000-like): ")
        again = getpass.getpass("Repeat the PIN: ")
    if pin != again:
        print("kiosk config set-pin: the two PINs differ; nothing changed", file=sys.stderr)
        return exitcodes.ERROR
    try:
        hashed = config.hash_pin(pin)
    except ValueError as exc:
        print(f"kiosk config set-pin: {exc}; nothing changed", file=sys.stderr)
        return exitcodes.ERROR
    edited = set_values(path, {(_SECRET,): hashed})
    print(f"staff PIN set in {path}")
    report_remaining(edited.remaining, "kiosk config set-pin")
    return exitcodes.OK


def _check(args, path) -> int:
    report = check_report(args, path)
    if not report.exists and not report.issues:
        print(f"{path}: not found; the kiosk runs on defaults")
        return exitcodes.OK
    for issue in report.issues:
        print(issue)
    errors = len(report.errors)
    if errors:
        print(
            f"{path}: {errors} problem(s); the kiosk starts on safe defaults for those keys, "
            "and `kiosk ssh` refuses to start on a problem in [ssh]"
        )
        return exitcodes.ERROR
    checked = f" (and readable by '{report.user}')" if report.user else ""
    print(f"{path}: valid{checked}")
    return exitcodes.OK


def check_report(args: argparse.Namespace, path) -> ConfigReport:
    """What `kiosk config check` reports, with the packs loaded as the kiosk loads them."""
    from kiosk import configcheck, launch

    named = config.is_named(args.config)
    prepared = launch.prepare(path, named=named)
    user = getattr(args, "user", None) or configcheck.default_user()
    return configcheck.check(path, named=named, packs=prepared.packs, user=user)
