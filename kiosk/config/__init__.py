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

from kiosk.config.schema import Checked, Key, Lines, check_keys, one_of, string, typed, whole_number
from kiosk.errors import Issue
from kiosk.model import LOCALES, is_slug

#: Environment variable naming the config file (below `--config`, above the platform default).
ENV_CONFIG = "KIOSK_CONFIG"
CONFIG_NAME = "kiosk.toml"

THEMES = ("default", "high-contrast")

#: Ranges operators may choose; outside them a kiosk becomes unusable or unsafe.
IDLE_TIMEOUT_RANGE = (30, 3600)
#: WCAG 2.2.1: at least 20 seconds to say "I'm still here".
IDLE_WARNING_RANGE = (20, 300)

_PIN = re.compile(r"^\d{4,12}$")


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


_DEFAULTS = Settings()


# -- what each key may be ---------------------------------------------------------


def _pack_ids(value: object) -> Checked:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return 'must be a list of pack ids like ["alipay", "wechat"]', None
    bad = [v for v in value if not is_slug(v)]
    if bad:
        return f"{bad[0]!r} is not a pack id (lowercase letters, digits, dashes)", None
    return None, tuple(value)


def _branch_name(value: str) -> str | None:
    if len(value) > 40:
        return "is longer than 40 characters and would not fit the header"
    from kiosk.textsafety import forbidden_characters

    return "contains control characters" if forbidden_characters(value) else None


def _pin_hash(value: str) -> str | None:
    if not value:
        return None  # no PIN: no staff exit
    from kiosk import hashing

    problem = hashing.problem(value)
    return f"is not a hash written by `kiosk config set-pin`: {problem}" if problem else None


def _table_only(value: object) -> Checked:
    return "is a table: edit the [ssh] section of the file", None


def _comma_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a whole number") from None


def _ssh_table(raw: object, filename: str, lines: Lines) -> tuple[object, list[Issue]]:
    from kiosk.config.remote import check_table  # only a file with an [ssh] table needs it

    return check_table(raw, filename, lines)


#: Every key of kiosk.toml: what it means (for `kiosk config show` and the docs) and its check.
KEYS: dict[str, Key] = {
    "branch_name": Key("branch name shown in the header", string(_branch_name)),
    "default_locale": Key(f"language a new customer starts in ({', '.join(LOCALES)})", one_of(LOCALES)),
    "idle_timeout": Key(
        f"seconds without input before 'Are you still there?' ({IDLE_TIMEOUT_RANGE[0]}-{IDLE_TIMEOUT_RANGE[1]})",
        whole_number(*IDLE_TIMEOUT_RANGE, unit="seconds"),
        _whole_number,
    ),
    "idle_warning": Key(
        f"seconds of countdown before the reset ({IDLE_WARNING_RANGE[0]}-{IDLE_WARNING_RANGE[1]})",
        whole_number(*IDLE_WARNING_RANGE, unit="seconds"),
        _whole_number,
    ),
    "theme": Key(f"colour theme ({', '.join(THEMES)}); high-contrast works on 16-colour terminals", one_of(THEMES)),
    "pack_order": Key("wallet pack ids in the order their tiles appear", _pack_ids, _comma_list),
    "pack_allow": Key("if not empty, only these installed pack ids load", _pack_ids, _comma_list),
    "pack_block": Key("pack ids that never load", _pack_ids, _comma_list),
    "packs_dir": Key("folder of local pack TOML files", string()),
    "staff_pin_hash": Key("salted hash of the staff PIN; set it with `kiosk config set-pin`", string(_pin_hash)),
    "ssh": Key(
        "table of `kiosk ssh` settings (listen, auth, limits); see docs/operating.md",
        _table_only,
        table=_ssh_table,
    ),
}

#: Keys of kiosk.toml with their meaning, for `kiosk config show` and the docs.
KEY_HELP: dict[str, str] = {key: spec.help for key, spec in KEYS.items()}


def _settings(values: Mapping[str, object]) -> Settings:
    """Settings from checked values; a key that is not there keeps its default."""
    default = _DEFAULTS
    return Settings(
        branch_name=typed(values, "branch_name", default.branch_name),
        default_locale=typed(values, "default_locale", default.default_locale),
        idle_timeout=typed(values, "idle_timeout", default.idle_timeout),
        idle_warning=typed(values, "idle_warning", default.idle_warning),
        theme=typed(values, "theme", default.theme),
        pack_order=typed(values, "pack_order", default.pack_order),
        pack_allow=typed(values, "pack_allow", default.pack_allow),
        pack_block=typed(values, "pack_block", default.pack_block),
        packs_dir=typed(values, "packs_dir", default.packs_dir),
        staff_pin_hash=typed(values, "staff_pin_hash", default.staff_pin_hash),
        ssh=typed(values, "ssh", default.ssh),
        cursor_blink=typed(values, "cursor_blink", default.cursor_blink),
    )


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


def resolve_path(cli_path: str | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """`--config`, else $KIOSK_CONFIG (from `environ`), else kiosk.toml in the platform's config folder."""
    environ = os.environ if environ is None else environ
    if cli_path:
        return Path(cli_path)
    if environ.get(ENV_CONFIG):
        return Path(environ[ENV_CONFIG])
    from kiosk import paths  # not needed when the file is named

    return paths.config_dir() / CONFIG_NAME


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
        from kiosk.tomllines import error_position

        line, message = error_position(exc)
        return ConfigResult(path, Settings(), (Issue(filename, line, "", f"not valid TOML: {message}"),))
    settings, issues = from_dict(raw, filename, text)
    # One bad key must not take the others down with it: keep every valid value.
    return ConfigResult(path, settings, tuple(issues))


def from_dict(raw: Mapping[str, object], filename: str = "kiosk.toml", text: str = "") -> tuple[Settings, list[Issue]]:
    """The settings a parsed file gives (every good key kept) and an issue per problem.

    `text` is the file as written, to find the line of each problem.
    """
    lines = Lines(text)
    values, issues = check_keys(raw, KEYS, filename=filename, lines=lines)
    settings = _settings(values)
    if settings.idle_warning >= settings.idle_timeout and ("idle_warning" in values or "idle_timeout" in values):
        issues.append(
            Issue(
                filename,
                lines(("idle_warning",)),
                "idle_warning",
                f"must be shorter than idle_timeout ({settings.idle_timeout})",
            )
        )
        settings = dataclasses.replace(settings, idle_warning=_DEFAULTS.idle_warning)
    return settings, issues


# -- writing -------------------------------------------------------------------------


def to_dict(settings: Settings) -> dict[str, object]:
    """Every key as kiosk.toml writes it (lists for tuples); an empty [ssh] table is left out."""
    items = {
        k: list(v) if isinstance(v, tuple) else dict(v) if isinstance(v, Mapping) else v
        for k, v in settings.public_items().items()
    }
    if not items["ssh"]:
        del items["ssh"]
    return items


def write(path: Path, settings: Settings) -> None:
    """Validate, then write atomically: a crash mid-write never leaves a half-written file."""
    import tomli_w

    from kiosk.atomicfile import write_atomic

    data = to_dict(settings)
    _, issues = from_dict(data, str(path))
    if issues:
        raise ConfigError(issues)
    text = "# wallet-kiosk operator configuration; see `kiosk config show` for every key.\n" + tomli_w.dumps(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    # The file may hold the staff PIN hash: it stays readable by its owner only.
    write_atomic(path, text.encode("utf-8"), durable=True)


def parse_value(key: str, text: str) -> object:
    """A command-line value for `key` in the type kiosk.toml wants."""
    spec = KEYS.get(key)
    if spec is None:
        from kiosk import suggest

        raise ConfigError([Issue("command line", None, key, f"unknown key '{key}'{suggest.hint(key, KEYS)}")])
    try:
        return spec.parse(text)
    except ValueError as exc:
        raise ConfigError([Issue("command line", None, key, str(exc))]) from None


def with_value(settings: Settings, key: str, value: object) -> Settings:
    """`settings` with `key` changed to `value`, checked as if the file said it."""
    problem, converted = KEYS[key].check(value)
    if problem:
        raise ConfigError([Issue("command line", None, key, problem)])
    return _settings({**vars(settings), key: converted})


# -- the staff PIN ---------------------------------------------------------------------


def hash_pin(pin: str) -> str:
    from kiosk import hashing

    if not _PIN.match(pin):
        raise ValueError("the PIN must be 4 to 12 digits")
    return hashing.hash_secret(pin)


def verify_pin(pin: str, stored: str) -> bool:
    from kiosk import hashing

    return bool(stored) and hashing.verify(pin, stored)
