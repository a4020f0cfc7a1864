"""Operator configuration: one TOML file, read with tomllib, written with tomli-w, always checked.

The file lives where `--config` says, else where `KIOSK_CONFIG` says, else in
the platform's config folder. A broken file never stops the kiosk: it starts
on safe defaults and shows staff a warning, because a black screen in a
branch is worse. `kiosk config check` reports the file, key and problem.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from kiosk.errors import Issue
from kiosk.model import LOCALES

#: Environment variable naming the config file (below `--config`, above the platform default).
ENV_CONFIG = "KIOSK_CONFIG"
CONFIG_NAME = "kiosk.toml"
APP_DIR = "wallet-kiosk"

THEMES = ("default", "high-contrast")

#: Ranges operators may choose; outside them a kiosk becomes unusable or unsafe.
IDLE_TIMEOUT_RANGE = (30, 3600)
#: WCAG 2.2.1: at least 20 seconds to say "I'm still here".
IDLE_WARNING_RANGE = (20, 300)

_PIN = re.compile(r"^\d{4,12}$")
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")


@dataclass(frozen=True)
class Settings:
    """Everything the operator can set. Field names are the keys of kiosk.toml."""

    branch_name: str = ""
    default_locale: str = LOCALES[0]
    #: Seconds without input before "Are you still there?".
    idle_timeout: int = 90
    #: Seconds the "Are you still there?" countdown lasts.
    idle_warning: int = 30
    theme: str = "default"
    #: Wallet tiles in this order first; others follow in discovery order.
    pack_order: tuple[str, ...] = ()
    #: When not empty, only these installed packs load.
    pack_allow: tuple[str, ...] = ()
    pack_block: tuple[str, ...] = ()
    #: Folder of local pack TOML files ("" for none).
    packs_dir: str = ""
    #: Salted scrypt hash of the staff PIN ("" means no staff exit is possible).
    staff_pin_hash: str = ""
    #: The [ssh] table as written, checked by kiosk.config.remote (read-only; empty means all defaults).
    ssh: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    #: Tests and snapshots turn blinking off so every frame is the same.
    cursor_blink: bool = field(default=True, metadata={"internal": True})

    def public_items(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if not f.metadata.get("internal")}


#: Keys of kiosk.toml with their meaning, for `kiosk config show` and the docs.
KEY_HELP: dict[str, str] = {
    "branch_name": "branch name shown in the header",
    "default_locale": f"language a new customer starts in ({', '.join(LOCALES)})",
    "idle_timeout": (
        f"seconds without input before 'Are you still there?' ({IDLE_TIMEOUT_RANGE[0]}-{IDLE_TIMEOUT_RANGE[1]})"
    ),
    "idle_warning": f"seconds of countdown before the reset ({IDLE_WARNING_RANGE[0]}-{IDLE_WARNING_RANGE[1]})",
    "theme": f"colour theme ({', '.join(THEMES)}); high-contrast works on 16-colour terminals",
    "pack_order": "wallet pack ids in the order their tiles appear",
    "pack_allow": "if not empty, only these installed pack ids load",
    "pack_block": "pack ids that never load",
    "packs_dir": "folder of local pack TOML files",
    "staff_pin_hash": "salted hash of the staff PIN; set it with `kiosk config set-pin`",
    "ssh": "table of `kiosk ssh` settings (listen, auth, limits); see docs/operating.md",
}


@dataclass(frozen=True)
class ConfigResult:
    path: Path | None
    settings: Settings
    issues: tuple[Issue, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.issues


class ConfigError(ValueError):
    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__("; ".join(str(i) for i in issues))


# -- where ------------------------------------------------------------------------


def default_path(environ: Mapping[str, str] | None = None) -> Path:
    """The platform's config location: $XDG_CONFIG_HOME (or ~/.config)/wallet-kiosk/kiosk.toml."""
    environ = os.environ if environ is None else environ
    base = environ.get("XDG_CONFIG_HOME") or str(Path(environ.get("HOME", "~")).expanduser() / ".config")
    return Path(base) / APP_DIR / CONFIG_NAME


def resolve_path(cli_path: str | None = None, environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    if cli_path:
        return Path(cli_path)
    if environ.get(ENV_CONFIG):
        return Path(environ[ENV_CONFIG])
    return default_path(environ)


# -- reading and checking ----------------------------------------------------------


def load(path: Path | None) -> ConfigResult:
    """Settings from `path`; a missing file means defaults, a broken one defaults plus issues."""
    if path is None or not path.exists():
        return ConfigResult(path, Settings())
    filename = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return ConfigResult(path, Settings(), (Issue(filename, None, "", f"cannot read the file: {exc}"),))
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        return ConfigResult(path, Settings(), (Issue(filename, line, "", f"not valid TOML: {message}"),))
    settings, issues = from_dict(raw, filename, text)
    # One bad key must not take the others down with it: keep every valid value.
    return ConfigResult(path, settings, tuple(issues))


def from_dict(raw: Mapping[str, object], filename: str = "kiosk.toml", text: str = "") -> tuple[Settings, list[Issue]]:
    issues: list[Issue] = []
    values: dict[str, object] = {}
    keys = list(KEY_HELP)
    for key, value in raw.items():
        line = _line_of(text, key)
        if key not in KEY_HELP:
            import difflib

            hint = difflib.get_close_matches(key, keys, n=1)
            suggestion = f"; did you mean '{hint[0]}'?" if hint else f"; known keys: {', '.join(keys)}"
            issues.append(Issue(filename, line, key, f"unknown key '{key}'{suggestion}"))
            continue
        if key == "ssh":  # a table whose keys are checked where they are used, with their own lines
            from kiosk.config.remote import check_table

            values[key], table_issues = check_table(value, filename, text)
            issues.extend(table_issues)
            continue
        problem, converted = _check(key, value)
        if problem:
            issues.append(Issue(filename, line, key, problem))
        else:
            values[key] = converted
    settings = Settings(**values)
    if settings.idle_warning >= settings.idle_timeout and ("idle_warning" in values or "idle_timeout" in values):
        issues.append(
            Issue(
                filename,
                _line_of(text, "idle_warning"),
                "idle_warning",
                f"must be shorter than idle_timeout ({settings.idle_timeout})",
            )
        )
        settings = dataclasses.replace(settings, idle_warning=Settings.idle_warning)
    return settings, issues


def _line_of(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return None


def _check(key: str, value: object) -> tuple[str | None, object]:
    """(problem, converted value) for one key."""
    if key == "ssh":
        return "is a table: edit the [ssh] section of the file", None
    if key in ("idle_timeout", "idle_warning"):
        low, high = IDLE_TIMEOUT_RANGE if key == "idle_timeout" else IDLE_WARNING_RANGE
        if not isinstance(value, int) or isinstance(value, bool):
            return f"must be a whole number of seconds, not {value!r}", None
        if not low <= value <= high:
            return f"{value} is outside {low}-{high} seconds", None
        return None, value
    if key in ("pack_order", "pack_allow", "pack_block"):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return 'must be a list of pack ids like ["alipay", "wechat"]', None
        bad = [v for v in value if not _SLUG.match(v)]
        if bad:
            return f"{bad[0]!r} is not a pack id (lowercase letters, digits, dashes)", None
        return None, tuple(value)
    if not isinstance(value, str):
        return f"must be a string, not {value!r}", None
    if key == "default_locale" and value not in LOCALES:
        return f"{value!r} is not one of {', '.join(LOCALES)}", None
    if key == "theme" and value not in THEMES:
        return f"{value!r} is not one of {', '.join(THEMES)}", None
    if key == "staff_pin_hash" and value:
        from kiosk import hashing

        problem = hashing.problem(value)
        if problem:
            return f"is not a hash written by `kiosk config set-pin`: {problem}", None
    if key == "branch_name" and len(value) > 40:
        return "is longer than 40 characters and would not fit the header", None
    if key == "branch_name":
        from kiosk.textsafety import forbidden_characters

        if forbidden_characters(value):
            return "contains control characters", None
    return None, value


# -- writing -------------------------------------------------------------------------


def to_dict(settings: Settings) -> dict[str, object]:
    """The keys that differ from the defaults (a fresh `init` writes all of them)."""
    items = {
        k: list(v) if isinstance(v, tuple) else dict(v) if isinstance(v, Mapping) else v
        for k, v in settings.public_items().items()
    }
    if not items["ssh"]:
        del items["ssh"]
    return items


def write(path: Path, settings: Settings) -> None:
    """Validate, then write atomically: a crash mid-write never leaves a half-written file."""
    import tempfile

    import tomli_w

    data = to_dict(settings)
    _, issues = from_dict(data, str(path))
    if issues:
        raise ConfigError(issues)
    text = "# wallet-kiosk operator configuration; see `kiosk config show` for every key.\n" + tomli_w.dumps(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        # The file may hold the staff PIN hash: readable by its owner only.
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def parse_value(key: str, text: str) -> object:
    """A command-line value for `key` in the type kiosk.toml wants."""
    if key not in KEY_HELP:
        import difflib

        hint = difflib.get_close_matches(key, list(KEY_HELP), n=1)
        raise ConfigError(
            [
                Issue(
                    "command line", None, key, f"unknown key '{key}'" + (f"; did you mean '{hint[0]}'?" if hint else "")
                )
            ]
        )
    if key in ("idle_timeout", "idle_warning"):
        try:
            return int(text)
        except ValueError:
            raise ConfigError([Issue("command line", None, key, f"{text!r} is not a whole number")]) from None
    if key in ("pack_order", "pack_allow", "pack_block"):
        return [part.strip() for part in text.split(",") if part.strip()]
    return text


def with_value(settings: Settings, key: str, value: object) -> Settings:
    problem, converted = _check(key, value)
    if problem:
        raise ConfigError([Issue("command line", None, key, problem)])
    return dataclasses.replace(settings, **{key: converted})


# -- the staff PIN ---------------------------------------------------------------------


def hash_pin(pin: str) -> str:
    from kiosk import hashing

    if not _PIN.match(pin):
        raise ValueError("the PIN must be 4 to 12 digits")
    return hashing.hash_secret(pin)


def verify_pin(pin: str, stored: str) -> bool:
    from kiosk import hashing

    return bool(stored) and hashing.verify(pin, stored)
