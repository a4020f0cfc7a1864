"""The `[ssh]` table of kiosk.toml: every sub-key, its safe default, and its check.

It configures the remote front doors (`kiosk ssh`, and `kiosk web` reads its
session cap), so it sits beside the kiosk.toml schema rather than in the SSH
package. kiosk.config keeps the table as the operator wrote it (validated,
read-only); `resolve()` turns it into `SshSettings` with every default filled
in, and the command line overrides on top (`with_overrides`). Only the standard
library is imported here, so checking a config file never loads the SSH server.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from kiosk.errors import Issue

AUTH_MODES = ("open", "password", "keys")
SPAWN_MODES = ("fork-server", "exec")
#: Shortest shared password `kiosk ssh --set-password` accepts.
MIN_PASSWORD = 8

#: Whole-number sub-keys: (default, lowest, highest, help). Seconds unless the name says otherwise.
_NUMBERS: dict[str, tuple[int, int, int, str]] = {
    "login_grace": (30, 5, 600, "seconds a connection has to authenticate"),
    "max_auth_attempts": (3, 1, 20, "failed authentication attempts per connection"),
    "max_unauthenticated": (10, 1, 1000, "connections not yet authenticated, at once"),
    "max_sessions": (50, 1, 1000, "sessions at once, in all"),
    "max_sessions_per_address": (5, 1, 1000, "sessions at once from one address"),
    "max_connections_per_minute_per_address": (30, 1, 10000, "new connections per minute from one address"),
    "idle_timeout": (300, 30, 86400, "seconds without the customer typing before the session ends"),
    "max_session_length": (1800, 60, 86400, "seconds a session may last at most"),
}

_STRINGS: dict[str, tuple[str, str]] = {
    "listen": ("127.0.0.1:2222", "HOST:PORT to listen on ([::1]:2222 for IPv6)"),
    "auth": ("open", f"who may connect: {' | '.join(AUTH_MODES)}"),
    "password_hash": ("", "scrypt hash of the shared password; set it with `kiosk ssh --set-password`"),
    "authorized_keys": ("", 'OpenSSH authorized_keys file (auth = "keys")'),
    "host_key": ("", "host key file (default: the data folder, wallet-kiosk/ssh_host_ed25519_key)"),
    "access_log": ("-", 'access log file, or "-" for standard error'),
    "spawn": ("fork-server", f"how session processes start: {' | '.join(SPAWN_MODES)}"),
}

#: Every sub-key with its meaning, for the docs and `kiosk config show`.
SUBKEY_HELP: dict[str, str] = {key: spec[-1] for key, spec in {**_STRINGS, **_NUMBERS}.items()}


@dataclass(frozen=True)
class SshSettings:
    """Everything `kiosk ssh` needs, defaults filled in. Times are seconds (floats allowed in tests)."""

    listen: str = "127.0.0.1:2222"
    auth: str = "open"
    password_hash: str = ""
    authorized_keys: str = ""
    host_key: str = ""
    access_log: str = "-"
    spawn: str = "fork-server"
    login_grace: float = 30
    max_auth_attempts: int = 3
    max_unauthenticated: int = 10
    max_sessions: int = 50
    max_sessions_per_address: int = 5
    max_connections_per_minute_per_address: int = 30
    idle_timeout: float = 300
    max_session_length: float = 1800

    @property
    def host_port(self) -> tuple[str, int]:
        host, port = parse_listen(self.listen)
        return host, port

    def host_key_path(self, environ: Mapping[str, str] | None = None) -> Path:
        return Path(self.host_key).expanduser() if self.host_key else default_host_key(environ)


def default_host_key(environ: Mapping[str, str] | None = None) -> Path:
    """$XDG_DATA_HOME (or ~/.local/share)/wallet-kiosk/ssh_host_ed25519_key."""
    environ = os.environ if environ is None else environ
    base = environ.get("XDG_DATA_HOME") or str(Path(environ.get("HOME", "~")).expanduser() / ".local" / "share")
    return Path(base) / "wallet-kiosk" / "ssh_host_ed25519_key"


_LISTEN = re.compile(r"^(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<host>[A-Za-z0-9.-]+)):(?P<port>\d{1,5})$")


def parse_listen(text: str) -> tuple[str, int]:
    """("127.0.0.1", 2222) from "127.0.0.1:2222"; ValueError with a reason otherwise."""
    match = _LISTEN.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not HOST:PORT (e.g. 127.0.0.1:2222 or [::1]:2222)")
    port = int(match["port"])
    if not 0 <= port <= 65535:
        raise ValueError(f"port {port} is outside 0-65535")
    return match["v6"] or match["host"], port


def check_value(key: str, value: object) -> tuple[str | None, object]:
    """(problem, converted value) for one sub-key."""
    if key in _NUMBERS:
        _default, low, high, _help = _NUMBERS[key]
        if not isinstance(value, int) or isinstance(value, bool):
            return f"must be a whole number, not {value!r}", None
        if not low <= value <= high:
            return f"{value} is outside {low}-{high}", None
        return None, value
    if not isinstance(value, str):
        return f"must be a string, not {value!r}", None
    if key == "listen":
        try:
            parse_listen(value)
        except ValueError as exc:
            return str(exc), None
    if key == "auth" and value not in AUTH_MODES:
        return f"{value!r} is not one of {', '.join(AUTH_MODES)}", None
    if key == "spawn" and value not in SPAWN_MODES:
        return f"{value!r} is not one of {', '.join(SPAWN_MODES)}", None
    if key == "password_hash" and value:
        from kiosk import hashing

        problem = hashing.problem(value)
        if problem:
            return f"is not a hash written by `kiosk ssh --set-password`: {problem}", None
    return None, value


def check_table(
    raw: object, filename: str = "kiosk.toml", text: str = "", table: str = "ssh"
) -> tuple[Mapping[str, object], list[Issue]]:
    """The valid part of an `[ssh]` table (read-only) and an issue per problem, with file, line and key."""
    if not isinstance(raw, Mapping):
        return MappingProxyType({}), [
            Issue(filename, line_of(text, table), table, "must be a table: [ssh] followed by its keys")
        ]
    issues: list[Issue] = []
    values: dict[str, object] = {}
    for key, value in raw.items():
        name = f"{table}.{key}"
        line = line_of(text, table, key)
        if key not in SUBKEY_HELP:
            import difflib

            hint = difflib.get_close_matches(key, list(SUBKEY_HELP), n=1)
            suggestion = f"; did you mean '{hint[0]}'?" if hint else f"; known keys: {', '.join(SUBKEY_HELP)}"
            issues.append(Issue(filename, line, name, f"unknown key '{key}' in [{table}]{suggestion}"))
            continue
        problem, converted = check_value(key, value)
        if problem:
            issues.append(Issue(filename, line, name, problem))
        else:
            values[key] = converted
    if values.get("auth") == "password" and not values.get("password_hash"):
        issues.append(
            Issue(
                filename,
                line_of(text, table, "auth"),
                f"{table}.auth",
                'auth = "password" needs password_hash (set it with `kiosk ssh --set-password`)',
            )
        )
    if values.get("auth") == "keys" and not values.get("authorized_keys"):
        issues.append(
            Issue(
                filename,
                line_of(text, table, "auth"),
                f"{table}.auth",
                'auth = "keys" needs authorized_keys (a file of OpenSSH public keys)',
            )
        )
    return MappingProxyType(values), issues


def line_of(text: str, table: str, key: str | None = None) -> int | None:
    """Line of `[table]` (or `table = {...}`), or of `key = ...` inside that table."""
    lines = text.splitlines()
    header = re.compile(rf"\s*\[\s*{re.escape(table)}\s*\]\s*(#.*)?$")
    inline = re.compile(rf"\s*{re.escape(table)}\s*=")
    for number, line in enumerate(lines, start=1):
        if inline.match(line):
            return number
        if header.match(line):
            if key is None:
                return number
            for inner, body in enumerate(lines[number:], start=number + 1):
                if re.match(r"\s*\[", body):
                    break
                if re.match(rf"\s*{re.escape(key)}\s*=", body):
                    return inner
            return number
    return None


def resolve(table: Mapping[str, object] | None) -> SshSettings:
    """SshSettings from a checked table: the operator's values over the defaults."""
    return SshSettings(**dict(table or {}))


def with_overrides(settings: SshSettings, **overrides: object) -> SshSettings:
    """Command-line values (None = not given) over the config; each is checked like the file's."""
    changes = {}
    for key, value in overrides.items():
        if value is None:
            continue
        problem, converted = check_value(key, value)
        if problem:
            raise ValueError(f"--{key.replace('_', '-')}: {problem}")
        changes[key] = converted
    return dataclasses.replace(settings, **changes)


def table_for_display(table: Mapping[str, object]) -> dict[str, object]:
    """What `kiosk config show` prints: the password hash only as set / not set."""
    return {key: ("set" if value else "not set") if key == "password_hash" else value for key, value in table.items()}


__all__ = [
    "AUTH_MODES",
    "MIN_PASSWORD",
    "SPAWN_MODES",
    "SUBKEY_HELP",
    "SshSettings",
    "check_table",
    "check_value",
    "default_host_key",
    "line_of",
    "parse_listen",
    "resolve",
    "table_for_display",
    "with_overrides",
]
