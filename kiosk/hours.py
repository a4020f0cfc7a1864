"""The hours engine: is a channel open at an instant, and when does that change?

Pure functions over `kiosk.model.Schedule`; no UI and no clock reads (callers
pass the instant). Wording for the screen lives in `kiosk.hours_text`.

Times are handled as local wall-clock times in the schedule's zone, turned into
aware datetimes with `datetime.combine` + tzinfo, and compared in UTC. Comparing
two datetimes that share a tzinfo would use wall-clock values and go wrong
across a DST change, hence the detour through UTC.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from kiosk.calendars import DayInfo, HolidayCalendar, load_calendar
from kiosk.model import WEEKDAY_SELECTORS, DaySelector, Interval, Override, Schedule, ScheduleState, Text

__all__ = [
    "CLOSES_SOON",
    "CONTINUOUS_AFTER",
    "SEARCH_DAYS",
    "HoursStatus",
    "OpenState",
    "intervals_on",
    "status_at",
]

#: How far ahead the next opening is searched for.
SEARCH_DAYS = 30
#: An open period longer than this is shown like round-the-clock service.
CONTINUOUS_AFTER = _dt.timedelta(days=7)
#: "Closes soon" warns customers who would not get through before closing.
CLOSES_SOON = _dt.timedelta(minutes=30)
#: Intervals may run past midnight, so periods that started on earlier dates can
#: still be open now. Two days back covers ends up to 48:00.
_LOOKBACK_DAYS = 2

_UTC = _dt.UTC
_DAY = _dt.timedelta(days=1)


class OpenState(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    #: The schedule says round-the-clock service.
    ALWAYS = "always"
    #: Nobody has confirmed the hours (they may still be reported by a source: see `reported`).
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class HoursStatus:
    """A schedule's state at one instant, and the next change."""

    state: OpenState
    #: The instant, in the schedule's time zone.
    local_now: _dt.datetime
    #: The schedule's IANA time zone.
    timezone: str
    #: When closed: the next opening within SEARCH_DAYS, else None.
    opens_at: _dt.datetime | None = None
    #: When open: the end of the current continuous open period; None if it lasts
    #: longer than CONTINUOUS_AFTER (then `continuous` is True).
    closes_at: _dt.datetime | None = None
    continuous: bool = False
    #: Open and closing within CLOSES_SOON.
    closes_soon: bool = False
    #: The schedule uses a holiday calendar that has no data for a date the answer
    #: depends on, so real holiday hours may differ.
    calendar_uncovered: bool = False
    #: Why today is special: an override note, a holiday name, a make-up workday.
    today_reason: Text | None = None
    #: Years the answer depends on that have no official notice, where the calendar's
    #: statutory holidays were applied (bridging and make-up days are not published yet).
    unpublished_years: tuple[int, ...] = ()
    #: The schedule gives hours a source reports but nobody confirmed (state is UNKNOWN).
    reported: bool = False
    #: For reported hours: the periods reported for today, in the schedule's zone.
    reported_today: tuple[tuple[_dt.datetime, _dt.datetime], ...] = ()
    #: For reported hours: whether they differ between the days of the coming week.
    reported_varies: bool = False

    @property
    def is_open(self) -> bool:
        return self.state in (OpenState.OPEN, OpenState.ALWAYS)

    def minutes_to_close(self, now: _dt.datetime | None = None) -> int | None:
        """Whole minutes until closing, rounded up so that "0 min" is never shown."""
        if self.closes_at is None:
            return None
        # In UTC: datetimes sharing a tzinfo subtract as wall-clock times.
        seconds = (self.closes_at.astimezone(_UTC) - (now or self.local_now).astimezone(_UTC)).total_seconds()
        return max(1, math.ceil(seconds / 60))


@dataclass(frozen=True, slots=True)
class _Period:
    """One open period, in UTC, and the local date whose hours produced it."""

    start: _dt.datetime
    end: _dt.datetime
    day: _dt.date


def status_at(schedule: Schedule, instant: _dt.datetime) -> HoursStatus:
    """The state of `schedule` at an aware `instant`.

    Raises ValueError for a naive instant, KeyError for an unknown calendar name
    (pack validation refuses both before they reach the screen).
    """
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("status_at needs a timezone-aware datetime")
    tz = ZoneInfo(schedule.timezone)
    local_now = instant.astimezone(tz)
    if schedule.state == ScheduleState.UNKNOWN:
        return HoursStatus(OpenState.UNKNOWN, local_now, schedule.timezone)
    if schedule.state == ScheduleState.ALWAYS:
        return HoursStatus(OpenState.ALWAYS, local_now, schedule.timezone, continuous=True)
    if schedule.reported:
        return _reported_status(schedule, local_now)
    return _weekly_status(schedule, tz, local_now)


def _reported_status(schedule: Schedule, local_now: _dt.datetime) -> HoursStatus:
    """Reported, unconfirmed hours: what the source says for today, but never "open now"."""
    as_if_confirmed = dataclasses.replace(schedule, reported=False)
    today = local_now.date()

    def clock(day: _dt.date) -> list[tuple[_dt.time, _dt.time]]:
        return [(start.time(), end.time()) for start, end in intervals_on(as_if_confirmed, day)]

    week = [clock(today + _dt.timedelta(days=offset)) for offset in range(7)]
    return HoursStatus(
        OpenState.UNKNOWN,
        local_now,
        schedule.timezone,
        reported=True,
        reported_today=tuple(intervals_on(as_if_confirmed, today)),
        reported_varies=any(day != week[0] for day in week[1:]),
    )


def intervals_on(schedule: Schedule, day: _dt.date) -> list[tuple[_dt.datetime, _dt.datetime]]:
    """Open periods starting on local date `day`, after rules and overrides.

    Aware datetimes in the schedule's zone, in start order. An always-open
    schedule gives the whole day; an unknown one, or one whose hours are only
    reported, gives nothing (no known hours).
    """
    tz = ZoneInfo(schedule.timezone)
    if schedule.state == ScheduleState.UNKNOWN or schedule.reported:
        return []
    if schedule.state == ScheduleState.ALWAYS:
        return [(_local(day, 0, tz), _local(day, 24 * 60, tz))]
    calendar = _calendar(schedule)
    periods = _periods_on(schedule, calendar, day, tz)
    return [(p.start.astimezone(tz), p.end.astimezone(tz)) for p in periods]


def _weekly_status(schedule: Schedule, tz: ZoneInfo, local_now: _dt.datetime) -> HoursStatus:
    calendar = _calendar(schedule)
    now = local_now.astimezone(_UTC)
    today = local_now.date()
    first = today - _dt.timedelta(days=_LOOKBACK_DAYS)
    periods = [
        period
        for offset in range((today - first).days + SEARCH_DAYS + 1)
        for period in _periods_on(schedule, calendar, first + _dt.timedelta(days=offset), tz)
    ]
    today_reason = _today_reason(schedule, calendar, today)
    # Only workday / restday / holiday rules depend on the calendar.
    calendar_for_remarks = calendar if _uses_calendar_days(schedule) else None

    def status(
        state: OpenState,
        looked_at: tuple[_dt.date, _dt.date],
        *,
        opens_at: _dt.datetime | None = None,
        closes_at: _dt.datetime | None = None,
        continuous: bool = False,
        closes_soon: bool = False,
    ) -> HoursStatus:
        """The status, with what the calendar could not say about the days it looked at."""
        uncovered, unpublished = _coverage(calendar_for_remarks, *looked_at)
        return HoursStatus(
            state,
            local_now=local_now,
            timezone=schedule.timezone,
            opens_at=opens_at,
            closes_at=closes_at,
            continuous=continuous,
            closes_soon=closes_soon,
            calendar_uncovered=uncovered,
            today_reason=today_reason,
            unpublished_years=unpublished,
        )

    for start, end, start_day in _merge(periods):
        if start <= now < end:
            if end - now > CONTINUOUS_AFTER:
                return status(OpenState.OPEN, (start_day, today + CONTINUOUS_AFTER), continuous=True)
            closes_at = end.astimezone(tz)
            return status(
                OpenState.OPEN,
                (start_day, closes_at.date()),
                closes_at=closes_at,
                closes_soon=end - now <= CLOSES_SOON,
            )
        if start > now:
            opens_at = start.astimezone(tz)
            return status(OpenState.CLOSED, (today, opens_at.date()), opens_at=opens_at)
    return status(OpenState.CLOSED, (today, today + _dt.timedelta(days=SEARCH_DAYS)))


def _merge(periods: list[_Period]) -> list[tuple[_dt.datetime, _dt.datetime, _dt.date]]:
    """Join touching and overlapping periods: (start, end, local date of the first one).

    This is what makes 22:00-24:00 followed by 00:00-02:00, or a chain of
    00:00-24:00 days, one continuous open period.
    """
    merged: list[tuple[_dt.datetime, _dt.datetime, _dt.date]] = []
    for period in sorted(periods, key=lambda p: p.start):
        if merged and period.start <= merged[-1][1]:
            start, end, day = merged[-1]
            merged[-1] = (start, max(end, period.end), day)
        else:
            merged.append((period.start, period.end, period.day))
    return merged


def _periods_on(schedule: Schedule, calendar: HolidayCalendar | None, day: _dt.date, tz: ZoneInfo) -> list[_Period]:
    intervals, _ = _hours_for(schedule, calendar, day)
    periods = []
    for interval in intervals:
        end = interval.end
        # The pack format writes "22:00-02:00" for a period past midnight; accept
        # that shape here too rather than dropping the evening.
        if end < interval.start:
            end += 24 * 60
        start_at = _local(day, interval.start, tz).astimezone(_UTC)
        end_at = _local(day, end, tz).astimezone(_UTC)
        # Empty, or swallowed by a spring-forward gap (02:00-03:00 on that day).
        if end_at > start_at:
            periods.append(_Period(start_at, end_at, day))
    return sorted(periods, key=lambda p: p.start)


def _hours_for(
    schedule: Schedule, calendar: HolidayCalendar | None, day: _dt.date
) -> tuple[tuple[Interval, ...], Override | None]:
    """The intervals that apply on a date, and the override that set them, if any."""
    override = _override_for(schedule, day)
    if override is not None:
        return override.open, override
    info = calendar.day_type(day) if calendar is not None else None
    chosen: tuple[Interval, ...] = ()
    # The last matching rule replaces earlier ones, so a later "holiday" rule
    # can close a day that an "everyday" rule opened.
    for rule in schedule.rules:
        if any(_selector_matches(selector, day, info) for selector in rule.days):
            chosen = rule.open
    return chosen, None


def _override_for(schedule: Schedule, day: _dt.date) -> Override | None:
    found = None
    # Later overrides win, as later rules do.
    for override in schedule.overrides:
        if override.date <= day <= (override.until or override.date):
            found = override
    return found


def _selector_matches(selector: DaySelector, day: _dt.date, info: DayInfo | None) -> bool:
    if selector == DaySelector.EVERYDAY:
        return True
    if selector in WEEKDAY_SELECTORS:
        return WEEKDAY_SELECTORS.index(selector) == day.weekday()
    if info is None:
        # No calendar: a plain Monday-Friday week with no public holidays.
        if selector == DaySelector.WORKDAY:
            return day.weekday() < 5
        if selector == DaySelector.RESTDAY:
            return day.weekday() >= 5
        return False
    # workday / restday / holiday name the calendar's day types directly.
    return selector == info.type.value


def _today_reason(schedule: Schedule, calendar: HolidayCalendar | None, today: _dt.date) -> Text | None:
    override = _override_for(schedule, today)
    if override is not None and override.note is not None:
        return override.note
    if calendar is None:
        return None
    info = calendar.day_type(today)
    if info.holiday_name is not None:
        return info.holiday_name
    if info.makeup and info.makeup_for is not None:
        # Customers are surprised by weekend opening hours; say why.
        return Text(
            {
                "zh-CN": f"调休上班日（{info.makeup_for['zh-CN']}）",
                "en": f"Make-up workday for {info.makeup_for['en']}",
            }
        )
    return None


def _coverage(calendar: HolidayCalendar | None, first: _dt.date, last: _dt.date) -> tuple[bool, tuple[int, ...]]:
    """(`calendar_uncovered`, `unpublished_years`) for an answer that depends on first..last."""
    if calendar is None:
        return False, ()
    missing = [year for year in range(first.year, last.year + 1) if year not in calendar.years]
    return bool(missing), tuple(year for year in missing if calendar.applies_statutory(year))


_CALENDAR_SELECTORS = frozenset({DaySelector.WORKDAY, DaySelector.RESTDAY, DaySelector.HOLIDAY})


def _uses_calendar_days(schedule: Schedule) -> bool:
    return any(selector in _CALENDAR_SELECTORS for rule in schedule.rules for selector in rule.days)


def _calendar(schedule: Schedule) -> HolidayCalendar | None:
    return load_calendar(schedule.calendar) if schedule.calendar else None


def _local(day: _dt.date, minutes: int, tz: ZoneInfo) -> _dt.datetime:
    """Wall-clock `minutes` after local midnight of `day`, as an aware datetime.

    Adding to the naive midnight keeps wall-clock meaning (24:00 is the next
    midnight even on a 23- or 25-hour day). A time in a spring-forward gap gets
    the pre-change offset, i.e. it lands just after the gap.
    """
    naive = _dt.datetime.combine(day, _dt.time()) + _dt.timedelta(minutes=minutes)
    return naive.replace(tzinfo=tz)
