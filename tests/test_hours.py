"""The hours engine and its wording, at fixed instants."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from helpers import present

from kiosk.hours import HoursStatus, OpenState, intervals_on, status_at
from kiosk.hours_text import describe
from kiosk.model import Confidence, DaySelector, Interval, Override, Rule, Schedule, Source, SourceKind, Text

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")


def spans(text: str) -> tuple[Interval, ...]:
    """ "08:30-11:30 14:00-17:30" -> intervals; an end before the start runs past midnight."""
    result = []
    for span in text.split():
        start, end = (int(t[:2]) * 60 + int(t[3:]) for t in span.split("-"))
        result.append(Interval(start, end + 24 * 60 if end <= start else end))
    return tuple(result)


def weekly(*rules: tuple[str, str], tz: str = "Asia/Shanghai", calendar: str | None = None, overrides=()) -> Schedule:
    return Schedule(
        timezone=tz,
        calendar=calendar,
        rules=tuple(Rule(tuple(DaySelector(d) for d in days.split()), spans(hours)) for days, hours in rules),
        overrides=tuple(overrides),
    )


def at(text: str, tz: ZoneInfo = SHANGHAI) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=tz)


def hm(moment: dt.datetime | None) -> str | None:
    return None if moment is None else f"{moment:%Y-%m-%d %H:%M}"


NOTE = Text({"zh-CN": "系统升级，暂停服务", "en": "Closed for a system upgrade"})

OVERNIGHT = weekly(("everyday", "22:00-02:00"))
SPLIT = weekly(("workday", "08:30-11:30 14:00-17:30"))
OFFICE_CN = weekly(("workday", "09:00-18:00"), calendar="cn-mainland")
OFFICE_PLAIN = weekly(("workday", "09:00-18:00"))
WEEKDAYS_CN = weekly(("mon tue wed thu fri", "09:00-18:00"), calendar="cn-mainland")
HOLIDAY_HOURS = weekly(("everyday", "09:00-21:00"), ("holiday", "10:00-16:00"), calendar="cn-mainland")
SATURDAY_LAST = weekly(("everyday", "09:00-21:00"), ("sat", "10:00-16:00"))
EVERYDAY_LAST = weekly(("sat", "10:00-16:00"), ("everyday", "09:00-21:00"))
ROUND_THE_CLOCK = weekly(("everyday", "00:00-24:00"))
WEEKEND_CHAIN = weekly(("fri", "18:00-24:00"), ("sat sun", "00:00-24:00"), ("mon", "00:00-09:00"))
WITH_OVERRIDES = weekly(
    ("workday", "09:00-18:00"),
    calendar="cn-mainland",
    overrides=[
        Override(dt.date(2026, 11, 11), open=(), note=NOTE),
        Override(dt.date(2026, 11, 12), until=dt.date(2026, 11, 13), open=spans("10:00-12:00")),
        # A holiday opened specially: overrides beat the calendar.
        Override(dt.date(2026, 10, 5), open=spans("10:00-15:00")),
    ],
)
LONG_CLOSURE = weekly(
    ("workday", "09:00-18:00"),
    overrides=[Override(dt.date(2026, 7, 1), until=dt.date(2026, 8, 31), open=())],
)
NEW_YORK_OFFICE = weekly(("workday", "09:00-17:00"), tz="America/New_York")
REPORTED_SOURCE = Source(
    url="https://example.com/hours", verified=dt.date(2026, 11, 1), confidence=Confidence.LOW, kind=SourceKind.MEDIA
)
#: Hours a source reports but nobody confirmed.
REPORTED_DAILY = dataclasses.replace(weekly(("everyday", "08:00-24:00")), reported=True, source=REPORTED_SOURCE)
REPORTED_WEEKDAYS = dataclasses.replace(
    weekly(("mon tue wed thu fri", "08:30-11:30 14:00-17:30")), reported=True, source=REPORTED_SOURCE
)
NEW_YORK_NIGHT = weekly(("everyday", "00:00-03:00"), tz="America/New_York")


@pytest.mark.parametrize(
    ("schedule", "instant", "state", "opens_at", "closes_at"),
    [
        # Overnight 22:00-02:00.
        pytest.param(OVERNIGHT, at("2026-10-14 23:00"), "open", None, "2026-10-15 02:00", id="overnight-23h"),
        pytest.param(OVERNIGHT, at("2026-10-15 01:00"), "open", None, "2026-10-15 02:00", id="overnight-01h"),
        pytest.param(OVERNIGHT, at("2026-10-15 03:00"), "closed", "2026-10-15 22:00", None, id="overnight-03h"),
        pytest.param(
            OVERNIGHT, at("2026-10-15 02:00"), "closed", "2026-10-15 22:00", None, id="overnight-end-exclusive"
        ),
        # Split shift with a lunch break.
        pytest.param(SPLIT, at("2026-10-14 12:00"), "closed", "2026-10-14 14:00", None, id="lunch-break"),
        pytest.param(SPLIT, at("2026-10-14 09:00"), "open", None, "2026-10-14 11:30", id="morning-shift"),
        pytest.param(SPLIT, at("2026-10-14 08:30"), "open", None, "2026-10-14 11:30", id="start-inclusive"),
        pytest.param(SPLIT, at("2026-10-14 18:00"), "closed", "2026-10-15 08:30", None, id="after-work"),
        # Public holiday: National Day 2026 is 10-01..10-07; 10-08 is a Thursday.
        pytest.param(OFFICE_CN, at("2026-10-02 10:00"), "closed", "2026-10-08 09:00", None, id="national-day"),
        pytest.param(OFFICE_CN, at("2026-09-30 19:00"), "closed", "2026-10-08 09:00", None, id="eve-of-national-day"),
        # 调休 make-up Saturdays open on a workday schedule; an ordinary Saturday does not.
        pytest.param(OFFICE_CN, at("2026-10-10 10:00"), "open", None, "2026-10-10 18:00", id="makeup-sat-2026"),
        pytest.param(OFFICE_CN, at("2025-02-08 10:00"), "open", None, "2025-02-08 18:00", id="makeup-sat-2025"),
        pytest.param(OFFICE_CN, at("2026-10-09 19:00"), "closed", "2026-10-10 09:00", None, id="friday-before-makeup"),
        pytest.param(OFFICE_CN, at("2026-10-17 10:00"), "closed", "2026-10-19 09:00", None, id="ordinary-saturday"),
        # Without a calendar "workday" is just Monday-Friday.
        pytest.param(OFFICE_PLAIN, at("2026-10-02 10:00"), "open", None, "2026-10-02 18:00", id="no-calendar-holiday"),
        pytest.param(OFFICE_PLAIN, at("2026-10-10 10:00"), "closed", "2026-10-12 09:00", None, id="no-calendar-sat"),
        # mon..fri selectors follow the weekday, not the calendar.
        pytest.param(WEEKDAYS_CN, at("2026-10-02 10:00"), "open", None, "2026-10-02 18:00", id="weekday-selector"),
        pytest.param(HOLIDAY_HOURS, at("2026-10-02 09:30"), "closed", "2026-10-02 10:00", None, id="holiday-hours"),
        pytest.param(HOLIDAY_HOURS, at("2026-10-08 09:30"), "open", None, "2026-10-08 21:00", id="after-holiday"),
        # The last matching rule replaces earlier ones.
        pytest.param(SATURDAY_LAST, at("2026-10-17 17:00"), "closed", "2026-10-18 09:00", None, id="last-rule-sat"),
        pytest.param(EVERYDAY_LAST, at("2026-10-17 17:00"), "open", None, "2026-10-17 21:00", id="last-rule-everyday"),
        # Continuous periods across midnight and across days.
        pytest.param(WEEKEND_CHAIN, at("2026-10-17 12:00"), "open", None, "2026-10-19 09:00", id="weekend-chain"),
        pytest.param(WEEKEND_CHAIN, at("2026-10-16 17:00"), "closed", "2026-10-16 18:00", None, id="before-chain"),
        # Dated overrides: closure, special hours over two days, opening on a holiday.
        pytest.param(WITH_OVERRIDES, at("2026-11-11 10:00"), "closed", "2026-11-12 10:00", None, id="override-closed"),
        pytest.param(WITH_OVERRIDES, at("2026-11-13 11:00"), "open", None, "2026-11-13 12:00", id="override-hours"),
        pytest.param(WITH_OVERRIDES, at("2026-11-13 13:00"), "closed", "2026-11-16 09:00", None, id="override-ended"),
        pytest.param(WITH_OVERRIDES, at("2026-10-05 11:00"), "open", None, "2026-10-05 15:00", id="override-holiday"),
        pytest.param(LONG_CLOSURE, at("2026-07-10 10:00"), "closed", None, None, id="nothing-in-30-days"),
        pytest.param(LONG_CLOSURE, at("2026-08-10 10:00"), "closed", "2026-09-01 09:00", None, id="reopens-in-22-days"),
        # Other states.
        pytest.param(Schedule.always(), at("2026-10-02 03:00"), "always", None, None, id="always"),
        pytest.param(Schedule.unknown(), at("2026-10-02 03:00"), "unknown", None, None, id="unknown"),
    ],
)
def test_status(schedule, instant, state, opens_at, closes_at):
    status = status_at(schedule, instant)
    assert status.state == state
    assert (hm(status.opens_at), hm(status.closes_at)) == (opens_at, closes_at)
    assert status.local_now == instant
    for moment in (status.opens_at, status.closes_at):
        assert moment is None or moment.tzinfo == ZoneInfo(schedule.timezone)


@pytest.mark.parametrize(
    ("schedule", "instant", "uncovered"),
    [
        pytest.param(OFFICE_CN, at("2027-01-04 10:00"), True, id="2027-monday"),
        pytest.param(OFFICE_CN, at("2027-01-02 10:00"), True, id="2027-saturday"),
        pytest.param(OFFICE_CN, at("2026-12-31 19:00"), True, id="next-opening-in-2027"),
        pytest.param(OFFICE_CN, at("2026-12-30 10:00"), False, id="closes-within-2026"),
        pytest.param(OFFICE_CN, at("2026-10-02 10:00"), False, id="covered"),
        pytest.param(OFFICE_PLAIN, at("2027-01-04 10:00"), False, id="no-calendar"),
    ],
)
def test_calendar_uncovered(schedule, instant, uncovered):
    assert status_at(schedule, instant).calendar_uncovered is uncovered


def test_uncovered_year_falls_back_to_monday_to_friday():
    monday = status_at(OFFICE_CN, at("2027-01-04 10:00"))
    saturday = status_at(OFFICE_CN, at("2027-01-02 10:00"))
    assert (monday.state, hm(monday.closes_at)) == ("open", "2027-01-04 18:00")
    assert (saturday.state, hm(saturday.opens_at)) == ("closed", "2027-01-04 09:00")


@pytest.mark.parametrize(
    ("schedule", "instant", "continuous", "closes_at"),
    [
        pytest.param(ROUND_THE_CLOCK, at("2026-10-14 12:00"), True, None, id="00-24-every-day"),
        pytest.param(
            weekly(("everyday", "00:00-24:00"), overrides=[Override(dt.date(2026, 10, 20), open=())]),
            at("2026-10-14 12:00"),
            False,
            "2026-10-20 00:00",
            id="closure-within-7-days",
        ),
        pytest.param(Schedule.always(), at("2026-10-14 12:00"), True, None, id="always"),
    ],
)
def test_continuous(schedule, instant, continuous, closes_at):
    status = status_at(schedule, instant)
    assert status.is_open
    assert status.continuous is continuous
    assert hm(status.closes_at) == closes_at


@pytest.mark.parametrize(
    ("schedule", "instant", "closes_soon", "minutes"),
    [
        pytest.param(OFFICE_CN, at("2026-10-14 17:40"), True, 20, id="20-min"),
        pytest.param(OFFICE_CN, at("2026-10-14 17:30"), True, 30, id="30-min-boundary"),
        pytest.param(OFFICE_CN, at("2026-10-14 17:29"), False, 31, id="31-min"),
        pytest.param(OFFICE_CN, at("2026-10-14 17:59:30"), True, 1, id="seconds-left-round-up"),
        pytest.param(OVERNIGHT, at("2026-10-15 01:45"), True, 15, id="after-midnight"),
        pytest.param(ROUND_THE_CLOCK, at("2026-10-14 23:50"), False, None, id="never-for-continuous"),
    ],
)
def test_closes_soon(schedule, instant, closes_soon, minutes):
    status = status_at(schedule, instant)
    assert status.closes_soon is closes_soon
    assert status.minutes_to_close() == minutes


def test_closed_is_never_closing_soon():
    assert not status_at(OFFICE_CN, at("2026-10-14 08:45")).closes_soon


# --- time zones and daylight saving time -------------------------------------


@pytest.mark.parametrize(
    ("schedule", "instant", "state", "change_utc", "minutes_left"),
    [
        # A Shanghai instant is read on New York's wall clock: 2026-03-06 23:00 Shanghai = 10:00 EST.
        pytest.param(NEW_YORK_OFFICE, at("2026-03-06 23:00"), "open", "2026-03-06 22:00", None, id="shanghai-viewer"),
        # Friday evening EST; DST starts Sunday 03-08, so Monday 09:00 is EDT (UTC-4).
        pytest.param(
            NEW_YORK_OFFICE, at("2026-03-06 18:00", NEW_YORK), "closed", "2026-03-09 13:00", None, id="dst-start"
        ),
        # DST ends Sunday 11-01 at 02:00: the night 00:00-03:00 lasts four real hours.
        pytest.param(NEW_YORK_NIGHT, at("2026-11-01 00:30", NEW_YORK), "open", "2026-11-01 08:00", None, id="dst-end"),
        # 01:50 EDT (first time round) is 130 real minutes before 03:00 EST, not 70.
        pytest.param(
            NEW_YORK_NIGHT, at("2026-11-01 01:50", NEW_YORK), "open", "2026-11-01 08:00", 130, id="dst-end-minutes"
        ),
        # Spring forward: clocks jump 02:00 -> 03:00, so at 01:30 EST only 30 real minutes are left.
        pytest.param(
            NEW_YORK_NIGHT, at("2026-03-08 01:30", NEW_YORK), "open", "2026-03-08 07:00", 30, id="dst-start-minutes"
        ),
    ],
)
def test_dst(schedule, instant, state, change_utc, minutes_left):
    status = status_at(schedule, instant)
    change = present(status.closes_at or status.opens_at)
    assert status.state == state
    assert status.local_now.tzinfo == NEW_YORK
    assert hm(change.astimezone(dt.UTC)) == change_utc
    if minutes_left is not None:
        assert status.minutes_to_close() == minutes_left


def test_dst_opening_keeps_wall_clock_time():
    status = status_at(NEW_YORK_OFFICE, at("2026-03-06 18:00", NEW_YORK))
    assert hm(status.opens_at) == "2026-03-09 09:00"
    assert present(status.opens_at).utcoffset() == dt.timedelta(hours=-4)


# --- intervals_on and today_reason -------------------------------------------


@pytest.mark.parametrize(
    ("schedule", "day", "expected"),
    [
        pytest.param(
            SPLIT,
            "2026-10-14",
            [("2026-10-14 08:30", "2026-10-14 11:30"), ("2026-10-14 14:00", "2026-10-14 17:30")],
            id="split",
        ),
        pytest.param(OVERNIGHT, "2026-10-14", [("2026-10-14 22:00", "2026-10-15 02:00")], id="overnight"),
        pytest.param(OFFICE_CN, "2026-10-02", [], id="holiday"),
        pytest.param(OFFICE_CN, "2026-10-10", [("2026-10-10 09:00", "2026-10-10 18:00")], id="makeup"),
        pytest.param(WITH_OVERRIDES, "2026-11-11", [], id="override-closed"),
        pytest.param(WITH_OVERRIDES, "2026-11-12", [("2026-11-12 10:00", "2026-11-12 12:00")], id="override-hours"),
        pytest.param(Schedule.always(), "2026-10-14", [("2026-10-14 00:00", "2026-10-15 00:00")], id="always"),
        pytest.param(Schedule.unknown(), "2026-10-14", [], id="unknown"),
    ],
)
def test_intervals_on(schedule, day, expected):
    got = intervals_on(schedule, dt.date.fromisoformat(day))
    assert [(hm(start), hm(end)) for start, end in got] == expected


@pytest.mark.parametrize(
    ("schedule", "instant", "reason_en"),
    [
        pytest.param(OFFICE_CN, at("2026-10-02 10:00"), "National Day", id="holiday"),
        pytest.param(OFFICE_CN, at("2026-10-10 10:00"), "Make-up workday for National Day", id="makeup"),
        pytest.param(OFFICE_CN, at("2026-10-14 10:00"), None, id="ordinary-day"),
        pytest.param(WITH_OVERRIDES, at("2026-11-11 10:00"), "Closed for a system upgrade", id="override-note"),
        # An override without a note still lets the holiday explain the day.
        pytest.param(WITH_OVERRIDES, at("2026-10-05 11:00"), "National Day", id="override-without-note"),
        pytest.param(OFFICE_PLAIN, at("2026-10-02 10:00"), None, id="no-calendar"),
    ],
)
def test_today_reason(schedule, instant, reason_en):
    reason = status_at(schedule, instant).today_reason
    assert (reason["en"] if reason else None) == reason_en


def test_naive_instant_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        status_at(OFFICE_CN, dt.datetime(2026, 10, 14, 10, 0))


def test_unknown_calendar_is_refused():
    with pytest.raises(KeyError, match="cn-mainland"):
        status_at(weekly(("workday", "09:00-18:00"), calendar="xx-nowhere"), at("2026-10-14 10:00"))


# --- describe -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("schedule", "instant", "en", "zh"),
    [
        pytest.param(
            OVERNIGHT, at("2026-10-15 01:00"), "Open now · closes 02:00", "营业中 · 02:00 结束", id="closes-today"
        ),
        pytest.param(
            OFFICE_CN, at("2026-10-14 10:00"), "Open now · closes 18:00", "营业中 · 18:00 结束", id="closes-18"
        ),
        pytest.param(
            OVERNIGHT,
            at("2026-10-14 23:00"),
            "Open now · closes tomorrow 02:00",
            "营业中 · 明天 02:00 结束",
            id="closes-tomorrow",
        ),
        pytest.param(
            weekly(("everyday", "12:00-24:00")),
            at("2026-10-14 13:00"),
            "Open now · closes 24:00",
            "营业中 · 24:00 结束",
            id="closes-midnight",
        ),
        pytest.param(
            WEEKEND_CHAIN,
            at("2026-10-17 12:00"),
            "Open now · closes Mon 09:00",
            "营业中 · 周一 09:00 结束",
            id="closes-monday",
        ),
        pytest.param(
            OFFICE_CN, at("2026-10-14 17:40"), "Open now · closes in 20 min", "营业中 · 20 分钟后结束", id="closes-soon"
        ),
        pytest.param(
            SPLIT,
            at("2026-10-14 12:00"),
            "Closed · opens today 14:00",
            "非服务时间 · 今天 14:00 开始服务",
            id="opens-today",
        ),
        pytest.param(
            OFFICE_CN,
            at("2026-10-14 19:00"),
            "Closed · opens tomorrow 09:00",
            "非服务时间 · 明天 09:00 开始服务",
            id="opens-tomorrow",
        ),
        pytest.param(
            OFFICE_CN,
            at("2026-10-17 10:00"),
            "Closed · opens Mon 09:00",
            "非服务时间 · 周一 09:00 开始服务",
            id="opens-monday",
        ),
        pytest.param(
            OFFICE_CN,
            at("2026-10-02 10:00"),
            "Closed · opens Thu 09:00",
            "非服务时间 · 周四 09:00 开始服务",
            id="opens-6-days",
        ),
        pytest.param(
            OFFICE_CN,
            at("2026-09-30 19:00"),
            "Closed · opens 2026-10-08 09:00",
            "非服务时间 · 10月8日 09:00 开始服务",
            id="opens-8-days",
        ),
        pytest.param(
            LONG_CLOSURE,
            at("2026-07-10 10:00"),
            "Closed · no opening in the next 30 days",
            "非服务时间 · 未来 30 天内不开放",
            id="none",
        ),
        pytest.param(Schedule.always(), at("2026-10-14 03:00"), "Open 24 hours", "24 小时服务", id="always"),
        pytest.param(ROUND_THE_CLOCK, at("2026-10-14 03:00"), "Open 24 hours", "24 小时服务", id="continuous"),
        pytest.param(
            Schedule.unknown(),
            at("2026-10-14 03:00"),
            "Hours not confirmed: call to check",
            "服务时间未确认，请致电确认",
            id="unknown",
        ),
        pytest.param(
            OFFICE_CN,
            at("2027-01-04 10:00"),
            "Open now · closes 18:00 · holiday arrangements for 2027 not yet published; statutory holidays applied",
            "营业中 · 18:00 结束 · 2027 年节假日安排尚未公布，按法定节假日计算",
            id="uncovered-open",
        ),
        pytest.param(
            # 2027-01-01 is New Year's Day by law, so the next opening is Monday.
            OFFICE_CN,
            at("2026-12-31 19:00"),
            "Closed · opens Mon 09:00 · holiday arrangements for 2027 not yet published; statutory holidays applied",
            "非服务时间 · 周一 09:00 开始服务 · 2027 年节假日安排尚未公布，按法定节假日计算",
            id="uncovered-closed",
        ),
        pytest.param(
            # 2024: before the calendar's statutory rules (in force from 2025) apply.
            OFFICE_CN,
            at("2024-12-30 10:00"),
            "Open now · closes 18:00 · holiday hours may differ",
            "营业中 · 18:00 结束 · 节假日时间可能不同",
            id="uncovered-no-statutory-rules",
        ),
        pytest.param(
            REPORTED_DAILY,
            at("2026-10-14 13:00"),
            "Hours reportedly 08:00–24:00, not confirmed",
            "据报 08:00–24:00，未确认",
            id="reported",
        ),
        pytest.param(
            REPORTED_WEEKDAYS,
            at("2026-10-14 13:00"),
            "Hours reportedly 08:30–11:30, 14:00–17:30 today, not confirmed",
            "据报今天 08:30–11:30、14:00–17:30，未确认",
            id="reported-varies",
        ),
        pytest.param(
            REPORTED_WEEKDAYS,
            at("2026-10-17 13:00"),
            "Reportedly closed today, not confirmed",
            "据报今天不服务，未确认",
            id="reported-closed-today",
        ),
        pytest.param(
            NEW_YORK_OFFICE,
            at("2026-03-06 12:00", NEW_YORK),
            "Open now · closes 17:00 (America/New_York)",
            "营业中 · 17:00 结束（America/New_York 时间）",
            id="other-zone-open",
        ),
        pytest.param(
            NEW_YORK_OFFICE,
            at("2026-03-06 18:00", NEW_YORK),
            "Closed · opens Mon 09:00 (America/New_York)",
            "非服务时间 · 周一 09:00 开始服务（America/New_York 时间）",
            id="other-zone-closed",
        ),
        pytest.param(
            NEW_YORK_OFFICE,
            at("2026-03-06 16:50", NEW_YORK),
            "Open now · closes in 10 min",
            "营业中 · 10 分钟后结束",
            id="other-zone-soon",
        ),
    ],
)
def test_describe(schedule, instant, en, zh):
    status = status_at(schedule, instant)
    assert describe(status, "en", instant) == en
    assert describe(status, "zh-CN", instant) == zh


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("Asia/Shanghai", "Open now · closes 17:00 (America/New_York)"),
        ("America/New_York", "Open now · closes 17:00"),
    ],
)
def test_describe_names_zone_only_when_viewer_differs(viewer, expected):
    status = status_at(NEW_YORK_OFFICE, at("2026-03-06 12:00", NEW_YORK))
    assert describe(status, "en", viewer_timezone=viewer) == expected


def test_describe_counts_from_a_later_now():
    # A status computed at 17:40 and still on screen at 17:52 counts down from the shown time.
    status = status_at(OFFICE_CN, at("2026-10-14 17:40"))
    assert describe(status, "en", at("2026-10-14 17:52")) == "Open now · closes in 8 min"


def test_describe_unknown_locale_uses_the_kiosk_default():
    status = status_at(OFFICE_CN, at("2026-10-14 10:00"))
    assert describe(status, "fr", at("2026-10-14 10:00")) == "营业中 · 18:00 结束"


def test_status_is_frozen():
    status = status_at(OFFICE_CN, at("2026-10-14 10:00"))
    assert isinstance(status, HoursStatus)
    assert status.state is OpenState.OPEN
    with pytest.raises(AttributeError):
        status.state = OpenState.CLOSED  # type: ignore[misc]


# --- reported hours, unknown hours of channels nobody can call, years without a notice ---------


@pytest.mark.parametrize("instant", ["2026-10-14 13:00", "2026-10-14 03:00", "2026-10-17 13:00"])
def test_reported_hours_never_say_open_or_closed(instant):
    for schedule in (REPORTED_DAILY, REPORTED_WEEKDAYS):
        status = status_at(schedule, at(instant))
        assert status.state is OpenState.UNKNOWN and status.reported
        assert not status.is_open and status.opens_at is None and status.closes_at is None
        assert intervals_on(schedule, at(instant).date()) == []


def test_the_same_hours_confirmed_do_say_open_now():
    confirmed = dataclasses.replace(REPORTED_DAILY, reported=False)
    status = status_at(confirmed, at("2026-10-14 13:00"))
    assert status.state is OpenState.OPEN and hm(status.closes_at) == "2026-10-15 00:00"
    assert describe(status, "zh-CN") == "营业中 · 24:00 结束"


def test_reported_hours_in_another_zone_name_the_zone():
    schedule = dataclasses.replace(REPORTED_DAILY, timezone="America/New_York")
    status = status_at(schedule, at("2026-10-14 13:00"))
    assert describe(status, "en") == "Hours reportedly 08:00–24:00, not confirmed (America/New_York)"


@pytest.mark.parametrize(
    ("can_call", "en", "zh"),
    [
        (True, "Hours not confirmed: call to check", "服务时间未确认，请致电确认"),
        (False, "Hours not confirmed", "服务时间未确认"),
    ],
)
def test_unknown_hours_suggest_calling_only_where_one_can(can_call, en, zh):
    status = status_at(Schedule.unknown(), at("2026-10-14 13:00"))
    assert describe(status, "en", can_call=can_call) == en
    assert describe(status, "zh-CN", can_call=can_call) == zh


def test_a_year_without_a_notice_keeps_statutory_holidays_closed():
    # 2027-01-01 is a Friday and New Year's Day by law: an office on "workday" hours is closed.
    status = status_at(OFFICE_CN, at("2027-01-01 10:00"))
    assert status.state is OpenState.CLOSED and hm(status.opens_at) == "2027-01-04 09:00"
    assert status.unpublished_years == (2027,)
    assert present(status.today_reason)["zh-CN"] == "元旦"
    assert describe(status, "en").endswith(
        "holiday arrangements for 2027 not yet published; statutory holidays applied"
    )


def test_the_remark_only_where_the_calendar_decides_something():
    everyday = weekly(("everyday", "09:00-18:00"), calendar="cn-mainland")
    status = status_at(everyday, at("2027-01-04 10:00"))
    assert not status.calendar_uncovered and status.unpublished_years == ()
    assert describe(status, "en") == "Open now · closes 18:00"
