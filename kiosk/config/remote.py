"""The `[ssh]` table of kiosk.toml: every sub-key, its safe default, and its check.

It configures the remote front doors (`kiosk ssh`, and `kiosk web` reads its
session cap), so it sits beside the kiosk.toml schema rather than in the SSH
package. kiosk.config keeps the table as the operator wrote it (validated,
read-only); `resolve()` turns it into `SshSettings` with every default filled
in, and the command line overrides on top (`with_overrides`). Only the standard
library is imported here, so checking a config file never loads the SSH server.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from kiosk.admission import AdmissionRules
from kiosk.config.schema import Checked, Key, Lines, check_keys, one_of, string, typed, whole_number
from kiosk.errors import Issue

#: The table's name in kiosk.toml.
TABLE = "ssh"

AUTH_MODES = ("open", "password", "keys")
SPAWN_MODES = ("fork-server", "exec")
#: Shortest shared password `kiosk ssh --set-password` accepts.
MIN_PASSWORD = 8


def _listen(value: str) -> str | None:
    try:
        parse_listen(value)
    except ValueError as exc:
        return str(exc)
    return None


def _metrics_listen(value: str) -> str | None:
    """HOST:PORT of the door's Prometheus metrics, or "" for none (the default)."""
    return _listen(value) if value else None


def _trusted_proxies(value: object) -> Checked:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return 'must be a list of addresses or networks like ["10.0.0.5", "10.0.1.0/24"]', None
    from kiosk.proxy_protocol import parse_networks

    try:
        parse_networks(value)
    except ValueError as exc:
        return str(exc), None
    return None, tuple(value)


def _comma_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _password_hash(value: str) -> str | None:
    if not value:
        return None
    from kiosk import hashing

    problem = hashing.problem(value)
    return f"is not a hash written by `kiosk ssh --set-password`: {problem}" if problem else None


#: Every sub-key: its meaning (for the docs and `kiosk config show`) and its check. Whole numbers
#: are seconds unless the name says otherwise; the defaults are SshSettings'.
KEYS: dict[str, Key] = {
    "listen": Key("HOST:PORT to listen on ([::1]:2222 for IPv6)", string(_listen)),
    "auth": Key(f"who may connect: {' | '.join(AUTH_MODES)}", one_of(AUTH_MODES)),
    "password_hash": Key(
        "scrypt hash of the shared password; set it with `kiosk ssh --set-password`", string(_password_hash)
    ),
    "authorized_keys": Key('OpenSSH authorized_keys file (auth = "keys")', string()),
    "host_key": Key("host key file (default: the data folder, wallet-kiosk/ssh_host_ed25519_key)", string()),
    "access_log": Key('access log file, or "-" for standard error', string()),
    "spawn": Key(f"how session processes start: {' | '.join(SPAWN_MODES)}", one_of(SPAWN_MODES)),
    "trusted_proxies": Key(
        "load balancers (addresses or networks) whose connections start with a PROXY protocol v2 header "
        "naming the real client; only they may, and they must",
        _trusted_proxies,
        _comma_list,
    ),
    "handshake_timeout": Key(
        "seconds a new connection has to finish the SSH handshake and start logging in", whole_number(1, 120)
    ),
    "login_grace": Key("seconds a connection has to authenticate", whole_number(5, 600)),
    "session_wait": Key("seconds a logged-in connection has to start its session", whole_number(1, 600)),
    "max_messages_per_second": Key(
        "messages a session may send a second (keys, window changes, requests); a flood is dropped, then cut off",
        whole_number(10, 100000),
    ),
    "max_auth_attempts": Key("failed authentication attempts per connection", whole_number(1, 20)),
    "max_unauthenticated": Key("connections not yet authenticated, at once", whole_number(1, 1000)),
    "max_unauthenticated_per_address": Key(
        "connections not yet authenticated, at once, from one address (an IPv6 /64 is one address)",
        whole_number(1, 1000),
    ),
    "max_sessions": Key("sessions at once, in all", whole_number(1, 1000)),
    "max_sessions_per_address": Key("sessions at once from one address", whole_number(1, 1000)),
    "max_connections_per_minute_per_address": Key(
        "new connections per minute from one address", whole_number(1, 10000)
    ),
    "idle_timeout": Key("seconds without the customer typing before the session ends", whole_number(30, 86400)),
    "max_session_length": Key("seconds a session may last at most", whole_number(60, 86400)),
    "metrics_listen": Key(
        'HOST:PORT serving Prometheus metrics at /metrics ("" for none, the default)', string(_metrics_listen)
    ),
}

#: Every sub-key with its meaning, for the docs and `kiosk config show`.
SUBKEY_HELP: dict[str, str] = {key: spec.help for key, spec in KEYS.items()}


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
    trusted_proxies: tuple[str, ...] = ()
    handshake_timeout: float = 5
    login_grace: float = 30
    session_wait: float = 10
    max_messages_per_second: int = 200
    max_auth_attempts: int = 3
    max_unauthenticated: int = 10
    max_unauthenticated_per_address: int = 2
    max_sessions: int = 50
    max_sessions_per_address: int = 5
    max_connections_per_minute_per_address: int = 30
    idle_timeout: float = 300
    max_session_length: float = 1800
    metrics_listen: str = ""

    @property
    def host_port(self) -> tuple[str, int]:
        host, port = parse_listen(self.listen)
        return host, port

    def admission_rules(self) -> AdmissionRules:
        """The numbers kiosk.admission counts connections and sessions against."""
        return AdmissionRules(
            max_unauthenticated=self.max_unauthenticated,
            max_unauthenticated_per_address=self.max_unauthenticated_per_address,
            max_connections_per_minute_per_address=self.max_connections_per_minute_per_address,
            max_sessions=self.max_sessions,
            max_sessions_per_address=self.max_sessions_per_address,
        )

    def host_key_path(self) -> Path:
        """`host_key`, else the default in the data folder (which follows the process environment)."""
        return Path(self.host_key).expanduser() if self.host_key else default_host_key()


_DEFAULTS = SshSettings()


def default_host_key() -> Path:
    """ssh_host_ed25519_key in the platform's data folder (~/.local/share/wallet-kiosk on Linux)."""
    from kiosk import paths

    return paths.data_dir() / "ssh_host_ed25519_key"


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


def check_value(key: str, value: object) -> Checked:
    """(problem, converted value) for one sub-key."""
    return KEYS[key].check(value)


def check_table(
    raw: object, filename: str = "kiosk.toml", lines: Lines | None = None
) -> tuple[Mapping[str, object], list[Issue]]:
    """The valid part of an `[ssh]` table (read-only) and an issue per problem, with file, line and key."""
    lines = Lines("") if lines is None else lines
    if not isinstance(raw, Mapping):
        return MappingProxyType({}), [
            Issue(filename, lines((TABLE,)), TABLE, f"must be a table: [{TABLE}] followed by its keys")
        ]
    values, issues = check_keys(raw, KEYS, filename=filename, lines=lines, table=TABLE)
    if values.get("auth") == "password" and not values.get("password_hash"):
        issues.append(
            Issue(
                filename,
                lines((TABLE, "auth")),
                f"{TABLE}.auth",
                'auth = "password" needs password_hash (set it with `kiosk ssh --set-password`)',
            )
        )
    if values.get("auth") == "keys" and not values.get("authorized_keys"):
        issues.append(
            Issue(
                filename,
                lines((TABLE, "auth")),
                f"{TABLE}.auth",
                'auth = "keys" needs authorized_keys (a file of OpenSSH public keys)',
            )
        )
    issues += _inconsistent_limits(values, filename, lines)
    metrics = values.get("metrics_listen")
    if metrics and parse_listen(str(metrics)) == parse_listen(str(values.get("listen", _DEFAULTS.listen))):
        issues.append(
            Issue(
                filename,
                lines((TABLE, "metrics_listen")),
                f"{TABLE}.metrics_listen",
                f"is the address kiosk ssh listens on ({metrics}): give the metrics a port of their own",
            )
        )
        del values["metrics_listen"]
    return MappingProxyType(values), issues


#: (smaller, larger, why): limits that contradict each other when the first exceeds the second.
_LIMIT_ORDER = (
    (
        "max_unauthenticated_per_address",
        "max_unauthenticated",
        "one address can never have more connections waiting to log in than there are in all",
    ),
    ("max_sessions_per_address", "max_sessions", "one address can never have more sessions than there are in all"),
)


def _inconsistent_limits(values: Mapping[str, object], filename: str, lines: Lines) -> list[Issue]:
    """Limits that cannot both hold; each named on the line of a key the operator wrote."""
    issues = []
    for small, large, why in _LIMIT_ORDER:
        if small not in values and large not in values:
            continue  # both defaults: consistent by construction
        low = values.get(small, getattr(_DEFAULTS, small))
        high = values.get(large, getattr(_DEFAULTS, large))
        assert isinstance(low, int | float) and isinstance(high, int | float)
        if low > high:
            key = small if small in values else large
            issues.append(
                Issue(
                    filename,
                    lines((TABLE, key)),
                    f"{TABLE}.{key}",
                    f"{small} ({low}) is larger than {large} ({high}): {why}",
                )
            )
    return issues


def resolve(table: Mapping[str, object] | None) -> SshSettings:
    """SshSettings from a checked table: the operator's values over the defaults."""
    return _ssh_settings(table or {})


def with_overrides(settings: SshSettings, **overrides: object) -> SshSettings:
    """Command-line values (None = not given) over the config; each is checked like the file's."""
    values = vars(settings).copy()
    for key, value in overrides.items():
        if value is None:
            continue
        problem, converted = check_value(key, value)
        if problem:
            raise ValueError(f"--{key.replace('_', '-')}: {problem}")
        values[key] = converted
    return _ssh_settings(values)


def _ssh_settings(values: Mapping[str, object]) -> SshSettings:
    """SshSettings from checked values; a key that is not there keeps its default."""
    default = _DEFAULTS
    return SshSettings(
        listen=typed(values, "listen", default.listen),
        auth=typed(values, "auth", default.auth),
        password_hash=typed(values, "password_hash", default.password_hash),
        authorized_keys=typed(values, "authorized_keys", default.authorized_keys),
        host_key=typed(values, "host_key", default.host_key),
        access_log=typed(values, "access_log", default.access_log),
        spawn=typed(values, "spawn", default.spawn),
        trusted_proxies=tuple(typed(values, "trusted_proxies", default.trusted_proxies)),
        handshake_timeout=typed(values, "handshake_timeout", default.handshake_timeout),
        login_grace=typed(values, "login_grace", default.login_grace),
        session_wait=typed(values, "session_wait", default.session_wait),
        max_messages_per_second=typed(values, "max_messages_per_second", default.max_messages_per_second),
        max_auth_attempts=typed(values, "max_auth_attempts", default.max_auth_attempts),
        max_unauthenticated=typed(values, "max_unauthenticated", default.max_unauthenticated),
        max_unauthenticated_per_address=typed(
            values, "max_unauthenticated_per_address", default.max_unauthenticated_per_address
        ),
        max_sessions=typed(values, "max_sessions", default.max_sessions),
        max_sessions_per_address=typed(values, "max_sessions_per_address", default.max_sessions_per_address),
        max_connections_per_minute_per_address=typed(
            values, "max_connections_per_minute_per_address", default.max_connections_per_minute_per_address
        ),
        idle_timeout=typed(values, "idle_timeout", default.idle_timeout),
        max_session_length=typed(values, "max_session_length", default.max_session_length),
        metrics_listen=typed(values, "metrics_listen", default.metrics_listen),
    )


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
    "parse_listen",
    "resolve",
    "table_for_display",
    "with_overrides",
]
