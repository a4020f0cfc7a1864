"""How a table of settings is checked: one `Key` per key, and one loop over what the file says.

kiosk.toml's top level (kiosk.config) and its `[ssh]` table (kiosk.config.remote)
are both described as a dict of `Key`s: what the key means and a check that
turns what the file wrote into the value the kiosk uses, or says what is wrong.
`check_keys` applies such a table the same way everywhere: an unknown key gets
a did-you-mean, a bad value an issue with file, line and key, and every good
value is kept, so one mistake never takes the other keys down with it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import TypeVar, cast

from kiosk.errors import Issue

#: (problem, converted value): the problem is None when the value is good.
Checked = tuple[str | None, object]
Check = Callable[[object], Checked]

T = TypeVar("T")


@dataclass(frozen=True)
class Key:
    help: str
    #: What a single value may be (for a table: what `kiosk config set` says about it).
    check: Check
    #: How `kiosk config set KEY TEXT` turns TEXT into what the file would say (ValueError: it cannot).
    parse: Callable[[str], object] = str
    #: For a key that is a table: (filename, lines) -> its check, issues on the lines of its own keys.
    table: Callable[[object, str, Lines], tuple[object, list[Issue]]] | None = None


class Lines:
    """Lines of keys in a TOML text, scanned only when a problem needs one (a valid file never pays)."""

    def __init__(self, text: str) -> None:
        #: The TOML text as written (readers of a table's own rules find their lines in it).
        self.text = text
        self._map: Callable[[tuple[str | int, ...]], int | None] | None = None

    def __call__(self, path: tuple[str | int, ...]) -> int | None:
        if self._map is None:
            from kiosk.tomllines import scan

            self._map = scan(self.text).line_of
        return self._map(path)


def check_keys(
    raw: Mapping[str, object], keys: Mapping[str, Key], *, filename: str, lines: Lines, table: str | None = None
) -> tuple[dict[str, object], list[Issue]]:
    """The converted value of every good key, and an issue for every unknown key or bad value.

    `table` names the table `raw` is (None for the top level): it prefixes the
    issue's field ("ssh.auth") and finds the key's line inside that table only.
    """
    values: dict[str, object] = {}
    issues: list[Issue] = []
    for key, value in raw.items():
        path = (key,) if table is None else (table, key)
        field = ".".join(path)
        spec = keys.get(key)
        if spec is None:
            from kiosk import suggest  # only a mistake needs it

            where = "" if table is None else f" in [{table}]"
            hint = suggest.hint(key, keys, list_all="known keys")
            issues.append(Issue(filename, lines(path), field, f"unknown key '{key}'{where}{hint}"))
            continue
        if spec.table is not None:
            values[key], table_issues = spec.table(value, filename, lines)
            issues.extend(table_issues)
            continue
        problem, converted = spec.check(value)
        if problem:
            issues.append(Issue(filename, lines(path), field, problem))
        else:
            values[key] = converted
    return values, issues


def typed(values: Mapping[str, object], key: str, default: T) -> T:
    """The checked value of `key`, or `default`, for passing to a settings field explicitly.

    Each check returns its field's type; this says so loudly if one ever does not
    (any number will do for a number, as tests set fractions of seconds; any
    mapping for a table).
    """
    found = values.get(key, default)
    expected: type | tuple[type, ...] = type(default)
    if isinstance(default, Mapping):
        expected = Mapping
    elif isinstance(default, int | float) and not isinstance(default, bool):
        expected = (int, float)
    if not isinstance(found, expected) or isinstance(found, bool) is not isinstance(default, bool):
        raise TypeError(f"the check of {key!r} returned {type(found).__name__}, not {type(default).__name__}")
    return cast(T, found)


# -- checks shared by both tables ---------------------------------------------------


def whole_number(low: int, high: int, unit: str = "") -> Check:
    """An int from `low` to `high` (true/false are not numbers)."""
    of_unit, in_unit = (f" of {unit}", f" {unit}") if unit else ("", "")

    def check(value: object) -> Checked:
        if not isinstance(value, int) or isinstance(value, bool):
            return f"must be a whole number{of_unit}, not {value!r}", None
        if not low <= value <= high:
            return f"{value} is outside {low}-{high}{in_unit}", None
        return None, value

    return check


def string(rule: Callable[[str], str | None] | None = None) -> Check:
    """A string, and then whatever `rule` says about it (a problem, or None)."""

    def check(value: object) -> Checked:
        if not isinstance(value, str):
            return f"must be a string, not {value!r}", None
        problem = rule(value) if rule is not None else None
        return (problem, None) if problem else (None, value)

    return check


def one_of(choices: Collection[str]) -> Check:
    def rule(value: str) -> str | None:
        return None if value in choices else f"{value!r} is not one of {', '.join(choices)}"

    return string(rule)
