"""Operator configuration: one TOML file, read with tomllib, written with tomli-w, always checked.

A new file is generated whole (tomli-w); an operator's existing file is changed in
place by kiosk.config.edit (tomlkit), which keeps its comments, layout, owner and mode.

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
from typing import TYPE_CHECKING

from kiosk.config.schema import Checked, Key, Lines, check_keys, one_of, string, typed, whole_number
from kiosk.errors import Issue
from kiosk.model import LOCALES, is_slug

if TYPE_CHECKING:  # reading a [[branch_hours]] table needs the pack reader: only a file that has one
    from kiosk.branch_hours import BranchHours

#: Environment variable naming the config file (below `--config`, above the platform default).
ENV_CONFIG = "KIOSK_CONFIG"
CONFIG_NAME = "kiosk.toml"

THEMES = ("default", "high-contrast")

#: Ranges operators may choose; outside them a kiosk becomes unusable or unsafe.
IDLE_TIMEOUT_RANGE = (30, 3600)
#: WCAG 2.2.1: at least 20 seconds to say "I'm still here".
IDLE_WARNING_RANGE = (20, 300)
#: Days after which a fact's `verified` date counts as stale in `kiosk status` (default a year).
FACT_AGE_RANGE = (1, 3650)

#: A staff PIN: 6 to 12 digits, and not one a passer-by would try first (see `pin_problem`).
PIN_LENGTH = (6, 12)
_DIGITS = re.compile(r"^\d+$")


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
    #: Facts verified longer ago than this many days are reported as stale by `kiosk status`.
    max_fact_age_days: int = 365
    #: Folder of extra holiday-calendar year files (cn-mainland-2027.toml); "" for none.
    calendars_dir: str = ""
    #: The branch's own hours for channels ([[branch_hours]] tables), shown with the branch as source.
    branch_hours: tuple[BranchHours, ...] = ()
    #: node_exporter textfile the console kiosk keeps up to date ("" for none); must end in .prom.
    metrics_textfile: str = ""
    usage_stats: bool = True
    usage_stats_days: int = 90
    #: The [ssh] table as written, checked by kiosk.config.remote (read-only; empty means all defaults).
    ssh: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    #: The [web] table as written, checked by kiosk.config.webdoor (read-only; empty means all defaults).
    web: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    #: Tests and snapshots turn blinking off so every frame is the same.
    cursor_blink: bool = field(default=True, metadata={"internal": True})
    #: Why staff access cannot work although the operator may have set a PIN: the file named for the
    #: kiosk is missing or unreadable, or its staff_pin_hash is malformed ("" when there is no such
    #: problem). The staff prompt says "unavailable" rather than "not set", and logs it.
    staff_access_problem: str = field(default="", metadata={"internal": True})

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


def _web_table_only(value: object) -> Checked:
    return "is a table: edit the [web] section of the file", None


def _tables_only(value: object) -> Checked:
    return "is a list of tables: edit the [[branch_hours]] sections of the file", None


def _metrics_file(value: str) -> str | None:
    if value and not value.endswith(".prom"):
        return "must end in .prom (node_exporter's textfile collector reads only *.prom files)"
    return None


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


def _web_table(raw: object, filename: str, lines: Lines) -> tuple[object, list[Issue]]:
    from kiosk.config.webdoor import check_table

    return check_table(raw, filename, lines)


def _branch_hours_tables(raw: object, filename: str, lines: Lines) -> tuple[object, list[Issue]]:
    """[[branch_hours]] tables, each read with the pack rules for hours (kiosk.branch_hours)."""
    if not isinstance(raw, list):
        return (), [Issue(filename, lines(("branch_hours",)), "branch_hours", _BRANCH_HOURS_SHAPE)]
    # Only a file with such tables needs the pack reader, which is slow to import.
    from kiosk.branch_hours import read_branch_hours

    found: list[BranchHours] = []
    issues: list[Issue] = []
    for index, table in enumerate(raw):
        where = ("branch_hours", index)
        override, problems = read_branch_hours(table, filename, text=lines.text, path=where)
        # The hook knows fields, not lines: a problem without one is put on its table's first line.
        issues += [p if p.line is not None else dataclasses.replace(p, line=lines(where)) for p in problems]
        if override is not None:
            found.append(override)
    return tuple(found), issues


_BRANCH_HOURS_SHAPE = (
    'must be tables: [[branch_hours]] with channel = "general:pboc-12363" and hours = { ... } (see docs/operating.md)'
)


#: Days the usage counts may be kept (kiosk.usagestats).
USAGE_DAYS_RANGE = (1, 3660)


def _parse_boolean(text: str) -> bool:
    if text.strip().lower() in ("true", "false"):
        return text.strip().lower() == "true"
    raise ValueError(f"{text!r} is not true or false")


def _boolean(value: object) -> tuple[str | None, object]:
    if not isinstance(value, bool):
        return f"must be true or false, not {value!r}", None
    return None, value


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
    "max_fact_age_days": Key(
        f"days after which `kiosk status` reports a fact's verified date as stale ({FACT_AGE_RANGE[0]}-"
        f"{FACT_AGE_RANGE[1]})",
        whole_number(*FACT_AGE_RANGE, unit="days"),
        _whole_number,
    ),
    "calendars_dir": Key("folder of extra holiday-calendar year files (cn-mainland-2027.toml)", string()),
    "branch_hours": Key(
        "[[branch_hours]] tables: this branch's own hours for a channel, with their source",
        _tables_only,
        table=_branch_hours_tables,
    ),
    "metrics_textfile": Key(
        "node_exporter textfile (*.prom) the console kiosk refreshes with pack status and health",
        string(_metrics_file),
    ),
    "usage_stats": Key(
        "count searches that found nothing, guide views and 'did this help?' answers per day (true/false)",
        _boolean,
        _parse_boolean,
    ),
    "usage_stats_days": Key(
        f"days those counts are kept ({USAGE_DAYS_RANGE[0]}-{USAGE_DAYS_RANGE[1]})",
        whole_number(*USAGE_DAYS_RANGE, unit="days"),
        _whole_number,
    ),
    "ssh": Key(
        "table of `kiosk ssh` settings (listen, auth, limits); see docs/operating.md",
        _table_only,
        table=_ssh_table,
    ),
    "web": Key(
        "table of `kiosk web` settings (metrics_listen); see docs/operating.md",
        _web_table_only,
        table=_web_table,
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
        max_fact_age_days=typed(values, "max_fact_age_days", default.max_fact_age_days),
        calendars_dir=typed(values, "calendars_dir", default.calendars_dir),
        branch_hours=typed(values, "branch_hours", default.branch_hours),
        metrics_textfile=typed(values, "metrics_textfile", default.metrics_textfile),
        usage_stats=typed(values, "usage_stats", default.usage_stats),
        usage_stats_days=typed(values, "usage_stats_days", default.usage_stats_days),
        ssh=typed(values, "ssh", default.ssh),
        web=typed(values, "web", default.web),
        cursor_blink=typed(values, "cursor_blink", default.cursor_blink),
        staff_access_problem=typed(values, "staff_access_problem", default.staff_access_problem),
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


def is_named(cli_path: str | None = None, environ: Mapping[str, str] | None = None) -> bool:
    """Whether the file was named (`--config` or $KIOSK_CONFIG) rather than found in the default place.

    A named file that does not exist is a mistake (a typo in a unit's `--config`): the kiosk
    would run without the operator's settings, staff PIN included. A missing default file
    only means defaults.
    """
    environ = os.environ if environ is None else environ
    return bool(cli_path or environ.get(ENV_CONFIG))


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


def load(path: Path | None, *, named: bool = False) -> ConfigResult:
    """Settings from `path`; a missing file means defaults, a broken one defaults plus issues.

    `named`: the operator named the file (`is_named`), so its absence is an issue too.
    """
    if path is None or not path.exists():
        if path is not None and named:
            return _unusable(Issue(str(path), None, "", "not found; the kiosk runs on defaults, without a staff PIN"))
        return ConfigResult(path, Settings())
    filename = str(path)
    try:
        # Only a regular file of bounded size: a FIFO or /dev/zero under this name must not stop start-up.
        from kiosk.regularfile import read_regular_file

        text = read_regular_file(path).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return _unusable(Issue(filename, None, "", f"cannot read the file: {exc}"))
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        from kiosk.tomllines import error_position

        line, message = error_position(exc)
        return _unusable(Issue(filename, line, "", f"not valid TOML: {message}"))
    except RecursionError:
        return _unusable(Issue(filename, None, "", "not valid TOML: tables or arrays nested too deeply"))
    settings, issues = from_dict(raw, filename, text)
    # One bad key must not take the others down with it: keep every valid value.
    return ConfigResult(path, settings, tuple(issues))


def _unusable(issue: Issue) -> ConfigResult:
    """The defaults a kiosk runs on when its file cannot be used: every key, the staff PIN too, is lost."""
    return ConfigResult(Path(issue.file), Settings(staff_access_problem=str(issue)), (issue,))


def from_dict(raw: Mapping[str, object], filename: str = "kiosk.toml", text: str = "") -> tuple[Settings, list[Issue]]:
    """The settings a parsed file gives (every good key kept) and an issue per problem.

    `text` is the file as written, to find the line of each problem.
    """
    lines = Lines(text)
    values, issues = check_keys(raw, KEYS, filename=filename, lines=lines)
    settings = _settings(values)
    if settings.idle_warning > settings.idle_timeout:
        issues.append(
            Issue(
                filename,
                lines(("idle_warning",) if "idle_warning" in values else ("idle_timeout",)),
                "idle_warning" if "idle_warning" in values else "idle_timeout",
                idle_problem(settings.idle_timeout, settings.idle_warning),
            )
        )
        settings = dataclasses.replace(settings, idle_warning=min(_DEFAULTS.idle_warning, settings.idle_timeout))
    if "staff_pin_hash" in raw and "staff_pin_hash" not in values:
        problem = next(i for i in issues if i.field == "staff_pin_hash")
        settings = dataclasses.replace(settings, staff_access_problem=f"the staff PIN hash is unusable: {problem}")
    if settings.branch_hours and not settings.branch_name:
        issues.append(
            Issue(
                filename,
                lines(("branch_hours", 0)),
                "branch_hours",
                "needs branch_name: customers are shown the branch as the source of these hours",
            )
        )
        settings = dataclasses.replace(settings, branch_hours=())
    return settings, issues


def idle_problem(idle_timeout: int, idle_warning: int) -> str:
    """Why these two keys do not go together, naming both and how to fix it."""
    return (
        f"idle_warning ({idle_warning} s) is longer than idle_timeout ({idle_timeout} s): the countdown may last "
        "at most as long as the quiet time before it; lower idle_warning or raise idle_timeout"
    )


# -- writing -------------------------------------------------------------------------


def to_dict(settings: Settings) -> dict[str, object]:
    """Every key as kiosk.toml writes it (lists for tuples); an empty [ssh] table is left out.

    [[branch_hours]] tables are only ever written by the operator (kiosk.config.edit keeps them).
    """
    if settings.branch_hours:
        raise ValueError("branch_hours tables are kept by editing the file, not written from settings")
    items = {
        k: list(v) if isinstance(v, tuple) else dict(v) if isinstance(v, Mapping) else v
        for k, v in settings.public_items().items()
        if k != "branch_hours"
    }
    for table in ("ssh", "web"):
        if not items[table]:
            del items[table]
    return items


def generated_text(settings: Settings) -> str:
    """A whole kiosk.toml for `settings`, as the kiosk writes a new file (`kiosk config init`); validated."""
    import tomli_w

    data = to_dict(settings)
    _, issues = from_dict(data, "kiosk.toml")
    if issues:
        raise ConfigError(issues)
    return "# wallet-kiosk operator configuration; see `kiosk config show` for every key.\n" + tomli_w.dumps(data)


def write(path: Path, settings: Settings) -> None:
    """Validate, then write a new file atomically: a crash mid-write never leaves a half-written file.

    This replaces the whole file with generated text (`kiosk config init --force`): an operator's
    existing file is changed with kiosk.config.edit instead, which keeps its comments and layout.
    A file replaced keeps its owner, group and mode, so `sudo` never takes it from the kiosk's user.
    """
    from kiosk.atomicfile import write_atomic

    text = generated_text(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        old = path.stat()
    except FileNotFoundError:
        # The file may hold the staff PIN hash: a new one is readable by its owner only.
        write_atomic(path, text.encode("utf-8"), durable=True)
    else:
        write_atomic(
            path, text.encode("utf-8"), durable=True, mode=old.st_mode & 0o7777, owner=(old.st_uid, old.st_gid)
        )


def parse_value(key: str, text: str) -> object:
    """A command-line value for `key` (`ssh.KEY` for the [ssh] table) in the type kiosk.toml wants."""
    if key.startswith("ssh."):
        return _parse_ssh_value(key, text)
    if key.startswith("web."):
        return _parse_web_value(key, text)
    spec = KEYS.get(key)
    if spec is None:
        from kiosk import suggest

        raise ConfigError([Issue("command line", None, key, f"unknown key '{key}'{suggest.hint(key, KEYS)}")])
    try:
        return spec.parse(text)
    except ValueError as exc:
        raise ConfigError([Issue("command line", None, key, str(exc))]) from None


def _parse_ssh_value(key: str, text: str) -> object:
    from kiosk.config import remote

    sub = key.split(".", 1)[1]
    if sub not in remote.KEYS:
        from kiosk import suggest

        hint = suggest.hint(sub, remote.KEYS, list_all="known keys")
        raise ConfigError([Issue("command line", None, key, f"unknown key '{sub}' in [ssh]{hint}")])
    default = getattr(remote.SshSettings(), sub)
    spec = remote.KEYS[sub]
    if spec.parse is not str:
        return spec.parse(text)
    if isinstance(default, int | float) and not isinstance(default, bool):
        try:
            return _whole_number(text)
        except ValueError as exc:
            raise ConfigError([Issue("command line", None, key, str(exc))]) from None
    return text


def _parse_web_value(key: str, text: str) -> object:
    from kiosk.config import webdoor

    sub = key.split(".", 1)[1]
    if sub not in webdoor.KEYS:
        from kiosk import suggest

        hint = suggest.hint(sub, webdoor.KEYS, list_all="known keys")
        raise ConfigError([Issue("command line", None, key, f"unknown key '{sub}' in [web]{hint}")])
    return text


def with_value(settings: Settings, key: str, value: object) -> Settings:
    """`settings` with `key` changed to `value`, checked as if the file said it."""
    problem, converted = KEYS[key].check(value)
    if problem:
        raise ConfigError([Issue("command line", None, key, problem)])
    return _settings({**vars(settings), key: converted})


# -- the staff PIN ---------------------------------------------------------------------


def pin_problem(pin: str) -> str | None:
    """Why `pin` may not be the staff PIN, or None.

    6 to 12 digits, and none of the PINs tried first by someone guessing at a kiosk: one digit
    repeated (000000), or a run up or down the keypad (123456, 987654, also across 9-0: 890123).
    """
    low, high = PIN_LENGTH
    if not _DIGITS.match(pin) or not low <= len(pin) <= high:
        return f"the PIN must be {low} to {high} digits"
    if len(set(pin)) == 1:
        return "the PIN must not be one digit repeated"
    steps = {(int(pin[i + 1]) - int(pin[i])) % 10 for i in range(len(pin) - 1)}
    if steps in ({1}, {9}):
        return "the PIN must not be a run of digits up or down (like 123456 or 987654)"
    return None


def hash_pin(pin: str) -> str:
    from kiosk import hashing

    problem = pin_problem(pin)
    if problem:
        raise ValueError(problem)
    return hashing.hash_secret(pin)


def verify_pin(pin: str, stored: str) -> bool:
    from kiosk import hashing

    return bool(stored) and hashing.verify(pin, stored)
