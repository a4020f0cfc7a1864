"""Bundled public-holiday calendars, operator-supplied years, and the law for years in between.

Each calendar is a TOML data file in this package (``cn-mainland.toml``), so a
new year's holiday notice is a data change, not a code change. Files are found
and read through importlib.resources so they also load from a wheel or zip, and
only when first needed: importing this module does no I/O.

An operator can add a year the kiosk does not ship (a notice published after
the release) by putting a file of the same format in a folder named by
``use_calendar_dir()`` or ``KIOSK_CALENDARS_DIR``; it may add years, never
change a shipped one. For a year with no notice at all, a calendar file may
name statutory rules (``statutory = "cn-2025"``): the statutory days of the law
then count as holidays, computed from the lunar calendar on first use, while
bridging days and make-up workdays stay unknown ("not yet published").
"""

from __future__ import annotations

import datetime as _dt
import enum
import functools
import itertools
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from kiosk.model import LOCALES, Text
from kiosk.regularfile import read_regular_file

__all__ = [
    "CALENDAR_NAMES",
    "ENV_CALENDARS_DIR",
    "STATUTORY_RULES",
    "CalendarError",
    "CalendarYear",
    "DayInfo",
    "DayType",
    "HolidayBlock",
    "HolidayCalendar",
    "calendar_dir_problems",
    "calendar_names",
    "check_calendar_dir",
    "load_calendar",
    "parse_calendar",
    "use_calendar_dir",
]

_SUFFIX = ".toml"

#: A folder of extra calendar year files (see use_calendar_dir), when no folder was set in code.
ENV_CALENDARS_DIR = "KIOSK_CALENDARS_DIR"


class CalendarError(ValueError):
    """A calendar file problem, as `file:line: field: problem` (the line when it is known)."""

    def __init__(self, filename: str, line: int | None, field: str, problem: str) -> None:
        self.filename, self.line, self.field, self.problem = filename, line, field, problem
        where = f"{filename}:{line}" if line is not None else filename
        super().__init__(f"{where}: {field or 'top level'}: {problem}")


class DayType(enum.StrEnum):
    WORKDAY = "workday"
    RESTDAY = "restday"
    HOLIDAY = "holiday"


@dataclass(frozen=True, slots=True)
class DayInfo:
    """What kind of day a date is under a calendar."""

    type: DayType
    #: False when the calendar has no data for the date's year: the type is then
    #: only the Monday-Friday guess, and real holidays may differ.
    covered: bool
    #: The holiday block the date belongs to (only for holidays).
    holiday_name: Text | None = None
    #: True for a Saturday or Sunday that is a make-up workday (调休上班日).
    makeup: bool = False
    #: For a make-up workday: the holiday block it pays for.
    makeup_for: Text | None = None
    #: True when the year has no notice and the calendar's statutory rules decided the day:
    #: statutory holidays are known, bridging days and make-up workdays are not published yet.
    statutory: bool = False


@dataclass(frozen=True, slots=True)
class HolidayBlock:
    """One holiday break: days off from `first` to `last` inclusive, and its make-up workdays."""

    name: Text
    first: _dt.date
    last: _dt.date
    makeup: tuple[_dt.date, ...]

    @property
    def days_off(self) -> int:
        return (self.last - self.first).days + 1


@dataclass(frozen=True, slots=True)
class CalendarYear:
    """One year's official arrangement, as published in one notice."""

    year: int
    source: str
    published: _dt.date
    holidays: tuple[HolidayBlock, ...]


class HolidayCalendar:
    """Holidays and make-up workdays for the years a calendar file covers."""

    def __init__(
        self,
        name: str,
        timezone: str,
        title: Text | None,
        years: tuple[CalendarYear, ...],
        statutory: StatutoryRules | None = None,
    ) -> None:
        self.name = name
        #: The dates in the file are local dates in this zone.
        self.timezone = timezone
        self.title = title
        #: The law that decides holidays in years without a notice, if the calendar names one.
        self.statutory = statutory
        self._years = {y.year: y for y in years}
        self._statutory_years: dict[int, dict[_dt.date, HolidayBlock]] = {}
        # Per-date indexes, so day_type is a dictionary look-up.
        self._holidays: dict[_dt.date, HolidayBlock] = {}
        self._makeup: dict[_dt.date, HolidayBlock] = {}
        for year in years:
            for block in year.holidays:
                for offset in range(block.days_off):
                    self._holidays[block.first + _dt.timedelta(days=offset)] = block
                for day in block.makeup:
                    self._makeup[day] = block

    @property
    def years(self) -> tuple[int, ...]:
        """The years the calendar has official data for, ascending."""
        return tuple(sorted(self._years))

    @property
    def year_data(self) -> tuple[CalendarYear, ...]:
        """The published years, ascending."""
        return tuple(self._years[year] for year in self.years)

    @property
    def sources(self) -> Mapping[int, str]:
        """Year -> address of the official notice."""
        return MappingProxyType({year: data.source for year, data in self._years.items()})

    def year(self, year: int) -> CalendarYear | None:
        return self._years.get(year)

    def covers(self, day: _dt.date) -> bool:
        return day.year in self._years

    def applies_statutory(self, year: int) -> bool:
        """Whether `year` has no notice and the statutory rules decide its holidays."""
        return year not in self._years and self.statutory is not None and year >= self.statutory.since

    def statutory_holidays(self, year: int) -> tuple[HolidayBlock, ...]:
        """The statutory days off of `year` under the calendar's rules (none without rules)."""
        if self.statutory is None or year < self.statutory.since:
            return ()
        return tuple(dict.fromkeys(self._statutory_index(year).values()))

    def _statutory_index(self, year: int) -> dict[_dt.date, HolidayBlock]:
        # Computed on first use: the lunar calendar library is not needed for the years
        # the kiosk ships, nor at start-up.
        if year not in self._statutory_years:
            assert self.statutory is not None
            index: dict[_dt.date, HolidayBlock] = {}
            for block in self.statutory.holidays(year):
                for offset in range(block.days_off):
                    index[block.first + _dt.timedelta(days=offset)] = block
            self._statutory_years[year] = index
        return self._statutory_years[year]

    def day_type(self, day: _dt.date) -> DayInfo:
        """Classify a local date: workday, restday or holiday."""
        if day.year not in self._years:
            if self.applies_statutory(day.year):
                if (block := self._statutory_index(day.year).get(day)) is not None:
                    return DayInfo(DayType.HOLIDAY, covered=False, holiday_name=block.name, statutory=True)
                return DayInfo(_weekday_type(day), covered=False, statutory=True)
            return DayInfo(_weekday_type(day), covered=False)
        if (block := self._holidays.get(day)) is not None:
            return DayInfo(DayType.HOLIDAY, covered=True, holiday_name=block.name)
        if (block := self._makeup.get(day)) is not None:
            return DayInfo(DayType.WORKDAY, covered=True, makeup=True, makeup_for=block.name)
        return DayInfo(_weekday_type(day), covered=True)

    def __repr__(self) -> str:
        return f"HolidayCalendar({self.name!r}, years={self.years})"


def _weekday_type(day: _dt.date) -> DayType:
    return DayType.WORKDAY if day.weekday() < 5 else DayType.RESTDAY


@functools.cache
def calendar_names() -> tuple[str, ...]:
    """Names of the bundled calendars: the *.toml files of this package."""
    files = resources.files(__name__).iterdir()
    return tuple(sorted(f.name[: -len(_SUFFIX)] for f in files if f.name.endswith(_SUFFIX) and f.is_file()))


def __getattr__(attr: str) -> Any:
    # CALENDAR_NAMES reads the package folder, so it is computed on first use
    # rather than at import time.
    if attr == "CALENDAR_NAMES":
        return calendar_names()
    raise AttributeError(f"module {__name__!r} has no attribute {attr!r}")


_extra_dir: Path | None = None
_extra_dir_set = False


def use_calendar_dir(folder: str | os.PathLike[str] | None) -> None:
    """Read extra calendar year files from `folder` (None: none), instead of KIOSK_CALENDARS_DIR.

    Takes effect for calendars loaded afterwards: the cache is cleared.
    """
    global _extra_dir, _extra_dir_set
    _extra_dir = Path(folder) if folder is not None else None
    _extra_dir_set = True
    load_calendar.cache_clear()
    _extra_years.cache_clear()


def _calendar_dir() -> Path | None:
    if _extra_dir_set:
        return _extra_dir
    value = os.environ.get(ENV_CALENDARS_DIR, "").strip()
    return Path(value) if value else None


@functools.cache
def load_calendar(name: str) -> HolidayCalendar:
    """Read, validate and cache a bundled calendar, with the valid extra years of the calendar folder.

    Raises KeyError for a name that is not bundled, and CalendarError (a ValueError)
    naming the file, line and field when the bundled file is malformed. A broken extra
    file is left out and reported by `calendar_dir_problems()`, never raised: the
    kiosk keeps the years it ships.
    """
    names = calendar_names()
    if name not in names:
        known = ", ".join(names) or "none"
        raise KeyError(f"unknown holiday calendar {name!r}; bundled calendars: {known}")
    shipped = _shipped(name)
    extra = _extra_years(_calendar_dir())[1].get(name, ())
    if not extra:
        return shipped
    return HolidayCalendar(
        shipped.name, shipped.timezone, shipped.title, (*shipped.year_data, *extra), shipped.statutory
    )


def calendar_dir_problems() -> tuple[str, ...]:
    """Problems with the extra calendar files in use (empty when there are none), for the operator."""
    return _extra_years(_calendar_dir())[0]


def check_calendar_dir(folder: str | os.PathLike[str]) -> list[str]:
    """Check a folder of extra calendar year files without using it: `file:line: field: problem` lines."""
    return list(_read_extra_dir(Path(folder))[0])


@functools.cache
def _extra_years(folder: Path | None) -> tuple[tuple[str, ...], dict[str, tuple[CalendarYear, ...]]]:
    if folder is None:
        return (), {}
    return _read_extra_dir(folder)


def _read_extra_dir(folder: Path) -> tuple[tuple[str, ...], dict[str, tuple[CalendarYear, ...]]]:
    """Extra years per calendar from `folder`, and the problems of the files left out.

    A file belongs to the calendar its name starts with (`cn-mainland.toml`,
    `cn-mainland-2027.toml`). It has the bundled format and adds years: a year the
    kiosk ships, or one another extra file already gave, makes the whole file refused.
    """
    problems: list[str] = []
    found: dict[str, list[CalendarYear]] = {}
    if not folder.is_dir():
        return (f"{folder}: the calendar folder does not exist or is not a folder",), {}
    names = calendar_names()
    for path in sorted(folder.glob("*" + _SUFFIX)):
        if path.name.startswith("."):
            continue
        stem = path.name[: -len(_SUFFIX)]
        owner = next((n for n in sorted(names, key=len, reverse=True) if stem == n or stem.startswith(n + "-")), None)
        if owner is None:
            problems.append(
                f"{path}: the file name must start with a calendar name ({', '.join(names)}), "
                "e.g. cn-mainland-2027.toml"
            )
            continue
        try:
            text = read_regular_file(path).decode("utf-8")
            data = _parse_toml(text, str(path))
            shipped = _shipped(owner)
            reader = _Reader(str(path), text)
            reader.keys(data, (), required={"timezone", "years"}, optional={"title"})
            if data["timezone"] != shipped.timezone:
                raise reader.fail(("timezone",), f"must be {shipped.timezone!r}, the zone of calendar {owner!r}")
            years = tuple(
                reader.year(item, ("years", i)) for i, item in enumerate(reader.array(data["years"], ("years",)))
            )
            reader.check_years(years)
            taken = {y.year for y in shipped.year_data} | {y.year for y in found.get(owner, [])}
            for i, year in enumerate(years):
                if year.year in taken:
                    why = "the kiosk ships it" if year.year in shipped.years else "another file in the folder gives it"
                    raise reader.fail(
                        ("years", i, "year"), f"{year.year} is already known ({why}); an extra file may only add years"
                    )
        except (OSError, UnicodeDecodeError, RecursionError) as exc:
            problems.append(f"{path}: cannot read the file: {type(exc).__name__}: {exc}")
            continue
        except CalendarError as exc:
            problems.append(str(exc))
            continue
        found.setdefault(owner, []).extend(years)
    return tuple(problems), {name: tuple(years) for name, years in found.items()}


@functools.cache
def _shipped(name: str) -> HolidayCalendar:
    filename = name + _SUFFIX
    text = resources.files(__name__).joinpath(filename).read_bytes().decode("utf-8")
    return parse_calendar(name, _parse_toml(text, filename), filename=filename, text=text)


def _parse_toml(text: str, filename: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column \d+\)", message)
        if match:
            line: int | None = int(match.group(1))
        elif "end of document" in message:
            line = text.rstrip("\n").count("\n") + 1
        else:
            line = None
        problem = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
        raise CalendarError(filename, line, "", f"not valid TOML: {problem}") from exc


def parse_calendar(
    name: str, data: Mapping[str, Any], *, filename: str = "<calendar>", text: str | None = None
) -> HolidayCalendar:
    """Build a HolidayCalendar from parsed TOML, checking every field.

    With the file's `text`, problems name the line as well as the field.
    """
    reader = _Reader(filename, text)
    reader.keys(data, (), required={"timezone", "years"}, optional={"title", "statutory"})
    timezone = reader.string(data["timezone"], ("timezone",))
    title = reader.text(data["title"], ("title",)) if "title" in data else None
    statutory = None
    if "statutory" in data:
        rules = reader.string(data["statutory"], ("statutory",))
        if rules not in STATUTORY_RULES:
            raise reader.fail(
                ("statutory",), f"unknown statutory rules {rules!r} (known: {', '.join(STATUTORY_RULES)})"
            )
        statutory = STATUTORY_RULES[rules]
    years = tuple(reader.year(item, ("years", i)) for i, item in enumerate(reader.array(data["years"], ("years",))))
    reader.check_years(years)
    return HolidayCalendar(name, timezone, title, years, statutory)


class _Reader:
    """Field checks that report `file:line: field: problem`, so a bad edit is easy to find."""

    def __init__(self, filename: str, text: str | None = None) -> None:
        self.filename = filename
        self._text = text
        self._lines: Any = None

    def fail(self, path: tuple[str | int, ...], problem: str) -> CalendarError:
        line = None
        if self._text is not None:
            from kiosk.tomllines import scan  # only a broken file needs its lines

            if self._lines is None:
                self._lines = scan(self._text)
            line = self._lines.line_of(path) if path else None
        return CalendarError(self.filename, line, _field(path), problem)

    def keys(
        self,
        table: Any,
        path: tuple[str | int, ...],
        *,
        required: set[str],
        optional: frozenset[str] | set[str] = frozenset(),
    ) -> None:
        if not isinstance(table, dict):
            raise self.fail(path, "expected a table")
        if missing := sorted(required - table.keys()):
            raise self.fail(path, f"missing {', '.join(missing)}")
        # Unknown keys are usually typos ("make_up"), which would silently drop data.
        if unknown := sorted(table.keys() - required - optional):
            raise self.fail((*path, unknown[0]), f"unknown field {', '.join(unknown)}")

    def array(self, value: Any, path: tuple[str | int, ...]) -> list:
        if not isinstance(value, list):
            raise self.fail(path, "expected an array")
        return value

    def string(self, value: Any, path: tuple[str | int, ...]) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(path, "expected a non-empty string")
        return value

    def date(self, value: Any, path: tuple[str | int, ...]) -> _dt.date:
        # tomllib gives datetime for `2025-01-01T00:00`; a holiday is a whole local date.
        if not isinstance(value, _dt.date) or isinstance(value, _dt.datetime):
            raise self.fail(path, f"expected a date like 2025-01-01, got {value!r}")
        return value

    def text(self, value: Any, path: tuple[str | int, ...]) -> Text:
        self.keys(value, path, required=set(LOCALES))
        return Text({loc: self.string(value[loc], (*path, loc)) for loc in LOCALES})

    def year(self, table: Any, path: tuple[str | int, ...]) -> CalendarYear:
        self.keys(table, path, required={"year", "source", "published", "holidays"})
        year = table["year"]
        if not isinstance(year, int) or isinstance(year, bool) or not 1949 <= year <= 9999:
            raise self.fail((*path, "year"), f"expected a year number, got {year!r}")
        source = self.string(table["source"], (*path, "source"))
        if not source.startswith("https://"):
            raise self.fail((*path, "source"), f"must be an https: address, got {source!r}")
        published = self.date(table["published"], (*path, "published"))
        blocks = tuple(
            self.block(item, (*path, "holidays", i), year)
            for i, item in enumerate(self.array(table["holidays"], (*path, "holidays")))
        )
        self.check_blocks(blocks, (*path, "holidays"))
        return CalendarYear(year, source, published, blocks)

    def block(self, table: Any, path: tuple[str | int, ...], year: int) -> HolidayBlock:
        self.keys(table, path, required={"name", "first", "last", "makeup"})
        name = self.text(table["name"], (*path, "name"))
        first = self.in_year(table["first"], (*path, "first"), year)
        last = self.in_year(table["last"], (*path, "last"), year)
        if last < first:
            raise self.fail((*path, "last"), f"{last} is before first day {first}")
        makeup = []
        for i, value in enumerate(self.array(table["makeup"], (*path, "makeup"))):
            day = self.in_year(value, (*path, "makeup", i), year)
            # A make-up workday turns a weekend day into a workday; a weekday
            # here is always a data-entry mistake.
            if day.weekday() < 5:
                raise self.fail((*path, "makeup", i), f"{day} is a {day:%A}, not a Saturday or Sunday")
            makeup.append(day)
        return HolidayBlock(name, first, last, tuple(makeup))

    def in_year(self, value: Any, path: tuple[str | int, ...], year: int) -> _dt.date:
        day = self.date(value, path)
        if day.year != year:
            raise self.fail(path, f"{day} is outside year {year}")
        return day

    def check_blocks(self, blocks: tuple[HolidayBlock, ...], path: tuple[str | int, ...]) -> None:
        ordered = sorted(enumerate(blocks), key=lambda item: item[1].first)
        for (_, before), (i, after) in itertools.pairwise(ordered):
            if after.first <= before.last:
                raise self.fail((*path, i), f"{after.first}..{after.last} overlaps {before.first}..{before.last}")
        seen: set[_dt.date] = set()
        for i, block in enumerate(blocks):
            for j, day in enumerate(block.makeup):
                if any(other.first <= day <= other.last for other in blocks):
                    raise self.fail((*path, i, "makeup", j), f"{day} is inside a holiday block")
                if day in seen:
                    raise self.fail((*path, i, "makeup", j), f"{day} is listed twice")
                seen.add(day)

    def check_years(self, years: tuple[CalendarYear, ...]) -> None:
        seen: set[int] = set()
        for i, year in enumerate(years):
            if year.year in seen:
                raise self.fail(("years", i, "year"), f"{year.year} is listed twice")
            seen.add(year.year)


def _field(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + part
    return out


# -- the law, for years without a notice -------------------------------------------------


@dataclass(frozen=True)
class StatutoryRules:
    """Statutory days off under one version of the law, from the year it took effect."""

    name: str
    #: What the rules are, for people (the law and its version).
    title: str
    #: The first year the rules apply to.
    since: int
    holidays: Callable[[int], tuple[HolidayBlock, ...]]


def _lunar_date(year: int, month: int, day: int) -> _dt.date:
    """The Gregorian date of a day of the Chinese lunar calendar (never a leap month)."""
    # Deferred: only years without a published notice need the lunar calendar, so it
    # stays off the start-up path (the library computes the calendar astronomically).
    from tyme4py.lunar import LunarDay  # type: ignore[import-untyped]

    solar = LunarDay.from_ymd(year, month, day).get_solar_day()
    return _dt.date(solar.get_year(), solar.get_month(), solar.get_day())


def _solar_term_date(year: int, name: str) -> _dt.date:
    """The Beijing date of a solar term (节气) in a Gregorian year, e.g. 清明."""
    from tyme4py.solar import SolarTerm  # type: ignore[import-untyped]  # deferred, as in _lunar_date

    solar = SolarTerm.from_name(year, name).get_julian_day().get_solar_day()
    return _dt.date(solar.get_year(), solar.get_month(), solar.get_day())


def _names(zh: str, en: str) -> Text:
    return Text({"zh-CN": zh, "en": en})


def _one_day(name: Text, day: _dt.date) -> HolidayBlock:
    return HolidayBlock(name, day, day, ())


def _cn_2025(year: int) -> tuple[HolidayBlock, ...]:
    """全国年节及纪念日放假办法, Art. 2, as amended by State Council Order No. 795 (in force 2025-01-01).

    New Year's Day 1 day; Spring Festival 4 days, 除夕 to the 3rd day of the first lunar
    month; Qingming 1 day (the solar term); Labour Day 2 days (1-2 May); Dragon Boat 1 day
    (5th day of the 5th lunar month); Mid-Autumn 1 day (15th day of the 8th lunar month);
    National Day 3 days (1-3 October). Only the days the law names: no bridging days,
    no make-up workdays and no weekday in lieu (those are set by each year's notice).
    """
    day = _dt.date
    new_year = _lunar_date(year, 1, 1)
    blocks = [
        HolidayBlock(_names("元旦", "New Year's Day"), day(year, 1, 1), day(year, 1, 1), ()),
        HolidayBlock(
            _names("春节", "Spring Festival"), new_year - _dt.timedelta(days=1), new_year + _dt.timedelta(days=2), ()
        ),
        _one_day(_names("清明节", "Qingming Festival"), _solar_term_date(year, "清明")),
        HolidayBlock(_names("劳动节", "Labour Day"), day(year, 5, 1), day(year, 5, 2), ()),
        _one_day(_names("端午节", "Dragon Boat Festival"), _lunar_date(year, 5, 5)),
        _one_day(_names("中秋节", "Mid-Autumn Festival"), _lunar_date(year, 8, 15)),
        HolidayBlock(_names("国庆节", "National Day"), day(year, 10, 1), day(year, 10, 3), ()),
    ]
    return _merge_overlapping(sorted(blocks, key=lambda b: b.first))


def _merge_overlapping(blocks: list[HolidayBlock]) -> tuple[HolidayBlock, ...]:
    """Holidays that share days become one block named after both (Mid-Autumn on 3 October)."""
    merged: list[HolidayBlock] = []
    for block in blocks:
        if merged and block.first <= merged[-1].last:
            before = merged[-1]
            # Named as the notices name a merged break: "国庆节、中秋节".
            first_name, second_name = (before, block) if before.first <= block.first else (block, before)
            if first_name.name["en"] == "Mid-Autumn Festival":
                first_name, second_name = second_name, first_name
            name = _names(
                f"{first_name.name['zh-CN']}、{second_name.name['zh-CN']}",
                f"{first_name.name['en']} and {second_name.name['en']}",
            )
            merged[-1] = HolidayBlock(name, before.first, max(before.last, block.last), ())
        else:
            merged.append(block)
    return tuple(merged)


#: Statutory rule sets a calendar file can name with `statutory = "..."`.
STATUTORY_RULES: dict[str, StatutoryRules] = {
    "cn-2025": StatutoryRules(
        "cn-2025",
        "全国年节及纪念日放假办法 (2024 amendment, State Council Order No. 795)",
        2025,
        _cn_2025,
    ),
}
