"""The `[web]` table of kiosk.toml: settings of `kiosk web` that its command line does not give.

Like `[ssh]` (kiosk.config.remote), every key is optional with a safe default,
checked with file, line and key; `resolve()` gives `WebSettings` with the
defaults filled in. Only the standard library is imported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from kiosk.config import remote as ssh_table
from kiosk.config.schema import Key, Lines, check_keys, typed
from kiosk.errors import Issue

#: The table's name in kiosk.toml.
TABLE = "web"


KEYS: dict[str, Key] = {
    # The same key, checked the same way, as the [ssh] table's.
    "metrics_listen": ssh_table.KEYS["metrics_listen"],
}

#: Every sub-key with its meaning, for the docs and `kiosk config show`.
SUBKEY_HELP: dict[str, str] = {key: spec.help for key, spec in KEYS.items()}


@dataclass(frozen=True)
class WebSettings:
    metrics_listen: str = ""


_DEFAULTS = WebSettings()


def check_table(
    raw: object, filename: str = "kiosk.toml", lines: Lines | None = None
) -> tuple[Mapping[str, object], list[Issue]]:
    """The valid part of a `[web]` table (read-only) and an issue per problem, with file, line and key."""
    lines = Lines("") if lines is None else lines
    if not isinstance(raw, Mapping):
        return MappingProxyType({}), [
            Issue(filename, lines((TABLE,)), TABLE, f"must be a table: [{TABLE}] followed by its keys")
        ]
    values, issues = check_keys(raw, KEYS, filename=filename, lines=lines, table=TABLE)
    return MappingProxyType(values), issues


def resolve(table: Mapping[str, object] | None) -> WebSettings:
    values = table or {}
    return WebSettings(metrics_listen=typed(values, "metrics_listen", _DEFAULTS.metrics_listen))


__all__ = ["KEYS", "SUBKEY_HELP", "TABLE", "WebSettings", "check_table", "resolve"]
