"""One-line wording of an HoursStatus for the screen, in zh-CN or en.

Times are shown in the schedule's own time zone; when that differs from the
zone the kiosk stands in, the zone is named so "17:00" is not misread.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.hours import SEARCH_DAYS, HoursStatus, OpenState
from kiosk.model import LOCALES

__all__ = ["describe"]

#: The kiosks stand in mainland China.
DEFAULT_VIEWER_TIMEZONE = "Asia/Shanghai"

_SEP = " · "


@dataclass(frozen=True, slots=True)
class _Phrases:
    open_now: str
    closed: str
    always: str
    #: Unknown hours of a number: calling is how to find out.
    unknown: str
    #: Unknown hours of a channel nobody can call (an app menu, an official account, a website).
    unknown_no_call: str
    #: Reported, unconfirmed hours: {hours} are today's intervals.
    reported: str
    reported_today: str  # {hours}, when the reported hours differ from day to day
    reported_closed_today: str
    interval_separator: str
    closes: str  # {when}
    closes_in: str  # {minutes}
    opens: str  # {when}
    no_opening: str  # {days}
    today: str
    tomorrow: str
    weekdays: tuple[str, ...]
    holiday_remark: str
    unpublished_remark: str  # {years}
    year_separator: str
    zone: str  # {zone}
    #: A date more than six days away: (date, today) -> text.
    date: Callable[[_dt.date, _dt.date], str]


def _iso_date(day: _dt.date, today: _dt.date) -> str:
    return day.isoformat()


def _chinese_date(day: _dt.date, today: _dt.date) -> str:
    # Chinese readers expect 10月8日; the year only when it is not this year.
    prefix = f"{day.year}年" if day.year != today.year else ""
    return f"{prefix}{day.month}月{day.day}日"


_PHRASES: dict[str, _Phrases] = {
    "en": _Phrases(
        open_now="Open now",
        closed="Closed",
        always="Open 24 hours",
        unknown="Hours not confirmed: call to check",
        unknown_no_call="Hours not confirmed",
        reported="Hours reportedly {hours}, not confirmed",
        reported_today="Hours reportedly {hours} today, not confirmed",
        reported_closed_today="Reportedly closed today, not confirmed",
        interval_separator=", ",
        closes="closes {when}",
        closes_in="closes in {minutes} min",
        opens="opens {when}",
        no_opening="no opening in the next {days} days",
        today="today",
        tomorrow="tomorrow",
        weekdays=("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
        holiday_remark="holiday hours may differ",
        unpublished_remark="holiday arrangements for {years} not yet published; statutory holidays applied",
        year_separator=" and ",
        zone=" ({zone})",
        date=_iso_date,
    ),
    "zh-CN": _Phrases(
        open_now="营业中",
        # 已关闭 would read as "shut down for good"; this is only outside the service hours.
        closed="非服务时间",
        always="24 小时服务",
        unknown="服务时间未确认，请致电确认",
        unknown_no_call="服务时间未确认",
        reported="据报 {hours}，未确认",
        reported_today="据报今天 {hours}，未确认",
        reported_closed_today="据报今天不服务，未确认",
        interval_separator="、",
        closes="{when} 结束",
        closes_in="{minutes} 分钟后结束",
        opens="{when} 开始服务",
        no_opening="未来 {days} 天内不开放",
        today="今天",
        tomorrow="明天",
        weekdays=("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
        holiday_remark="节假日时间可能不同",
        unpublished_remark="{years} 年节假日安排尚未公布，按法定节假日计算",
        year_separator="、",
        zone="（{zone} 时间）",
        date=_chinese_date,
    ),
}


def describe(
    status: HoursStatus,
    locale: str,
    now: _dt.datetime | None = None,
    *,
    viewer_timezone: str = DEFAULT_VIEWER_TIMEZONE,
    can_call: bool = True,
) -> str:
    """Plain one-line text, e.g. "Closed · opens tomorrow 09:00" / "非服务时间 · 明天 09:00 开始服务".

    `now` decides "today"/"tomorrow" and the minutes left; it defaults to the
    instant the status was computed for. `can_call` is False for channels that
    are not phone numbers, whose unknown hours cannot be checked by calling.
    """
    words = _PHRASES.get(locale) or _PHRASES[LOCALES[0]]
    now = (now or status.local_now).astimezone(status.local_now.tzinfo)
    zone = words.zone.format(zone=status.timezone) if status.timezone != viewer_timezone else ""

    if status.state == OpenState.UNKNOWN and status.reported:
        return _reported(words, status) + zone
    if status.state == OpenState.UNKNOWN:
        return words.unknown if can_call else words.unknown_no_call
    if status.state == OpenState.ALWAYS or (status.state == OpenState.OPEN and status.continuous):
        parts = [words.always]
    elif status.state == OpenState.OPEN and status.closes_at is not None:
        if status.closes_soon:
            # A countdown reads the same in every zone, so no zone name.
            change = words.closes_in.format(minutes=status.minutes_to_close(now))
        else:
            change = words.closes.format(when=_when(words, status.closes_at, now, closing=True)) + zone
        parts = [words.open_now, change]
    elif status.opens_at is not None:
        parts = [words.closed, words.opens.format(when=_when(words, status.opens_at, now, closing=False)) + zone]
    else:
        parts = [words.closed, words.no_opening.format(days=SEARCH_DAYS)]

    if status.unpublished_years:
        years = words.year_separator.join(str(year) for year in status.unpublished_years)
        parts.append(words.unpublished_remark.format(years=years))
    elif status.calendar_uncovered:
        parts.append(words.holiday_remark)
    return _SEP.join(parts)


def _reported(words: _Phrases, status: HoursStatus) -> str:
    """ "据报 08:00–24:00，未确认" / "Hours reportedly 08:00–24:00, not confirmed"."""
    if not status.reported_today:
        return words.reported_closed_today
    hours = words.interval_separator.join(_span(start, end) for start, end in status.reported_today)
    return (words.reported_today if status.reported_varies else words.reported).format(hours=hours)


def _span(start: _dt.datetime, end: _dt.datetime) -> str:
    """ "08:00–24:00": an en dash, as times are written; an end at the next midnight is 24:00."""
    midnight_after = start.replace(tzinfo=None, hour=0, minute=0, second=0, microsecond=0) + _dt.timedelta(days=1)
    end_clock = "24:00" if end.replace(tzinfo=None) == midnight_after else f"{end:%H:%M}"
    return f"{start:%H:%M}–{end_clock}"


def _when(words: _Phrases, moment: _dt.datetime, now: _dt.datetime, *, closing: bool) -> str:
    """ "22:00", "today 14:00", "tomorrow 09:00", "Mon 09:00" or a date, relative to `now`."""
    today = now.date()
    day, clock = moment.date(), f"{moment:%H:%M}"
    if closing and moment.time() == _dt.time() and day == today + _dt.timedelta(days=1):
        # Closing at midnight is "24:00" tonight, not "tomorrow 00:00".
        day, clock = today, "24:00"
    days_ahead = (day - today).days
    if days_ahead == 0:
        # "closes 22:00" needs no "today"; "opens today 14:00" reads better with it.
        return clock if closing else f"{words.today} {clock}"
    if days_ahead == 1:
        return f"{words.tomorrow} {clock}"
    if 1 < days_ahead <= 6:
        return f"{words.weekdays[day.weekday()]} {clock}"
    return f"{words.date(day, today)} {clock}"
