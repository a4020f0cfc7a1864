"""Bundled public-holiday calendars.

Each calendar is a TOML data file in this package (``cn-mainland.toml``), so a
new year's holiday notice is a data change, not a code change. Files are found
and read through importlib.resources so they also load from a wheel or zip, and
only when first needed: importing this module does no I/O.
"""

from __future__ import annotations

import datetime as _dt
import enum
import functools
import itertools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import Any

from kiosk.model import LOCALES, Text

__all__ = [
    "CALENDAR_NAMES",
    "CalendarYear",
    "DayInfo",
    "DayType",
    "HolidayBlock",
    "HolidayCalendar",
    "calendar_names",
    "load_calendar",
]

_SUFFIX = ".toml"


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

    def __init__(self, name: str, timezone: str, title: Text | None, years: tuple[CalendarYear, ...]) -> None:
        self.name = name
        #: The dates in the file are local dates in this zone.
        self.timezone = timezone
        self.title = title
        self._years = {y.year: y for y in years}
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
    def sources(self) -> Mapping[int, str]:
        """Year -> address of the official notice."""
        return MappingProxyType({year: data.source for year, data in self._years.items()})

    def year(self, year: int) -> CalendarYear | None:
        return self._years.get(year)

    def covers(self, day: _dt.date) -> bool:
        return day.year in self._years

    def day_type(self, day: _dt.date) -> DayInfo:
        """Classify a local date: workday, restday or holiday."""
        if day.year not in self._years:
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


@functools.cache
def load_calendar(name: str) -> HolidayCalendar:
    """Read, validate and cache a bundled calendar.

    Raises KeyError for a name that is not bundled, and ValueError naming the
    file and field when the file is malformed.
    """
    names = calendar_names()
    if name not in names:
        known = ", ".join(names) or "none"
        raise KeyError(f"unknown holiday calendar {name!r}; bundled calendars: {known}")
    filename = name + _SUFFIX
    with resources.files(__name__).joinpath(filename).open("rb") as fh:
        try:
            data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{filename}: not valid TOML: {exc}") from exc
    return parse_calendar(name, data, filename=filename)


def parse_calendar(name: str, data: Mapping[str, Any], *, filename: str = "<calendar>") -> HolidayCalendar:
    """Build a HolidayCalendar from parsed TOML, checking every field."""
    reader = _Reader(filename)
    reader.keys(data, "", required={"timezone", "years"}, optional={"title"})
    timezone = reader.string(data["timezone"], "timezone")
    title = reader.text(data["title"], "title") if "title" in data else None
    years = tuple(reader.year(item, f"years[{i}]") for i, item in enumerate(reader.array(data["years"], "years")))
    reader.check_years(years)
    return HolidayCalendar(name, timezone, title, years)


class _Reader:
    """Field checks that report `file: field: problem`, so a bad edit is easy to find."""

    def __init__(self, filename: str) -> None:
        self.filename = filename

    def fail(self, where: str, problem: str) -> ValueError:
        return ValueError(f"{self.filename}: {where or 'top level'}: {problem}")

    def keys(
        self, table: Any, where: str, *, required: set[str], optional: frozenset[str] | set[str] = frozenset()
    ) -> None:
        if not isinstance(table, dict):
            raise self.fail(where, "expected a table")
        if missing := sorted(required - table.keys()):
            raise self.fail(where, f"missing {', '.join(missing)}")
        # Unknown keys are usually typos ("make_up"), which would silently drop data.
        if unknown := sorted(table.keys() - required - optional):
            raise self.fail(where, f"unknown field {', '.join(unknown)}")

    def array(self, value: Any, where: str) -> list:
        if not isinstance(value, list):
            raise self.fail(where, "expected an array")
        return value

    def string(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, "expected a non-empty string")
        return value

    def date(self, value: Any, where: str) -> _dt.date:
        # tomllib gives datetime for `2025-01-01T00:00`; a holiday is a whole local date.
        if not isinstance(value, _dt.date) or isinstance(value, _dt.datetime):
            raise self.fail(where, f"expected a date like 2025-01-01, got {value!r}")
        return value

    def text(self, value: Any, where: str) -> Text:
        self.keys(value, where, required=set(LOCALES))
        return Text({loc: self.string(value[loc], f"{where}.{loc}") for loc in LOCALES})

    def year(self, table: Any, where: str) -> CalendarYear:
        self.keys(table, where, required={"year", "source", "published", "holidays"})
        year = table["year"]
        if not isinstance(year, int) or isinstance(year, bool) or not 1949 <= year <= 9999:
            raise self.fail(f"{where}.year", f"expected a year number, got {year!r}")
        source = self.string(table["source"], f"{where}.source")
        if not source.startswith("https://"):
            raise self.fail(f"{where}.source", f"must be an https: address, got {source!r}")
        published = self.date(table["published"], f"{where}.published")
        blocks = tuple(
            self.block(item, f"{where}.holidays[{i}]", year)
            for i, item in enumerate(self.array(table["holidays"], f"{where}.holidays"))
        )
        self.check_blocks(blocks, f"{where}.holidays")
        return CalendarYear(year, source, published, blocks)

    def block(self, table: Any, where: str, year: int) -> HolidayBlock:
        self.keys(table, where, required={"name", "first", "last", "makeup"})
        name = self.text(table["name"], f"{where}.name")
        first = self.in_year(table["first"], f"{where}.first", year)
        last = self.in_year(table["last"], f"{where}.last", year)
        if last < first:
            raise self.fail(f"{where}.last", f"{last} is before first day {first}")
        makeup = []
        for i, value in enumerate(self.array(table["makeup"], f"{where}.makeup")):
            day = self.in_year(value, f"{where}.makeup[{i}]", year)
            # A make-up workday turns a weekend day into a workday; a weekday
            # here is always a data-entry mistake.
            if day.weekday() < 5:
                raise self.fail(f"{where}.makeup[{i}]", f"{day} is a {day:%A}, not a Saturday or Sunday")
            makeup.append(day)
        return HolidayBlock(name, first, last, tuple(makeup))

    def in_year(self, value: Any, where: str, year: int) -> _dt.date:
        day = self.date(value, where)
        if day.year != year:
            raise self.fail(where, f"{day} is outside year {year}")
        return day

    def check_blocks(self, blocks: tuple[HolidayBlock, ...], where: str) -> None:
        ordered = sorted(enumerate(blocks), key=lambda item: item[1].first)
        for (_, before), (i, after) in itertools.pairwise(ordered):
            if after.first <= before.last:
                raise self.fail(f"{where}[{i}]", f"{after.first}..{after.last} overlaps {before.first}..{before.last}")
        seen: set[_dt.date] = set()
        for i, block in enumerate(blocks):
            for j, day in enumerate(block.makeup):
                if any(other.first <= day <= other.last for other in blocks):
                    raise self.fail(f"{where}[{i}].makeup[{j}]", f"{day} is inside a holiday block")
                if day in seen:
                    raise self.fail(f"{where}[{i}].makeup[{j}]", f"{day} is listed twice")
                seen.add(day)

    def check_years(self, years: tuple[CalendarYear, ...]) -> None:
        seen: set[int] = set()
        for i, year in enumerate(years):
            if year.year in seen:
                raise self.fail(f"years[{i}].year", f"{year.year} is listed twice")
            seen.add(year.year)
