"""`kiosk config ...`: each subcommand is a few lines over kiosk.config.

Nothing here prints the PIN or its hash; `show` and `get` say only whether one is set.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Mapping

from kiosk import config, exitcodes
from kiosk.config import ConfigError, Settings
from kiosk.errors import Issue

_SECRET = "staff_pin_hash"


def run(args: argparse.Namespace) -> int:
    path = config.resolve_path(args.config)
    handler = {"init": _init, "show": _show, "get": _get, "set": _set, "set-pin": _set_pin, "check": _check}
    try:
        return handler[args.config_command](args, path)
    except ConfigError as exc:
        for issue in exc.issues:
            print(f"kiosk config: {issue}", file=sys.stderr)
        return exitcodes.ERROR


def _display(key: str, value: object) -> object:
    if key == _SECRET:
        return "set" if value else "not set"
    if key == "ssh" and isinstance(value, Mapping):
        from kiosk.config.remote import table_for_display

        return table_for_display(value)
    return list(value) if isinstance(value, tuple) else value


def _loaded(path) -> Settings:
    """The current settings, refusing to build on a file that has problems (they would be lost)."""
    result = config.load(path)
    if result.issues:
        raise ConfigError(
            [*result.issues, Issue(str(path), None, "", "fix these first (`kiosk config check`); nothing changed")]
        )
    return result.settings


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
    if args.key == _SECRET:
        print("kiosk config set: use `kiosk config set-pin` for the staff PIN", file=sys.stderr)
        return exitcodes.USAGE
    settings = config.with_value(_loaded(path), args.key, config.parse_value(args.key, args.value))
    config.write(path, settings)
    print(f"{args.key} = {json.dumps(_display(args.key, getattr(settings, args.key)), ensure_ascii=False)}")
    return exitcodes.OK


def _set_pin(args, path) -> int:
    if args.stdin:
        pin = sys.stdin.readline().strip()
        again = pin
    else:
        pin = getpass.getpass("New staff PIN (4-12 digits): ")
        again = getpass.getpass("Repeat the PIN: ")
    if pin != again:
        print("kiosk config set-pin: the two PINs differ; nothing changed", file=sys.stderr)
        return exitcodes.ERROR
    try:
        hashed = config.hash_pin(pin)
    except ValueError as exc:
        print(f"kiosk config set-pin: {exc}; nothing changed", file=sys.stderr)
        return exitcodes.ERROR
    config.write(path, config.with_value(_loaded(path), _SECRET, hashed))
    print(f"staff PIN set in {path}")
    return exitcodes.OK


def _check(args, path) -> int:
    result = config.load(path)
    if not path.exists():
        print(f"{path}: not found; the kiosk runs on defaults")
        return exitcodes.OK
    for issue in result.issues:
        print(issue)
    if result.issues:
        print(f"{path}: {len(result.issues)} problem(s); the kiosk starts on safe defaults for those keys")
        return exitcodes.ERROR
    print(f"{path}: valid")
    return exitcodes.OK
