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
    unknown: str
    closes: str  # {when}
    closes_in: str  # {minutes}
    opens: str  # {when}
    no_opening: str  # {days}
    today: str
    tomorrow: str
    weekdays: tuple[str, ...]
    holiday_remark: str
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
        closes="closes {when}",
        closes_in="closes in {minutes} min",
        opens="opens {when}",
        no_opening="no opening in the next {days} days",
        today="today",
        tomorrow="tomorrow",
        weekdays=("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
        holiday_remark="holiday hours may differ",
        zone=" ({zone})",
        date=_iso_date,
    ),
    "zh-CN": _Phrases(
        open_now="营业中",
        closed="已关闭",
        always="24 小时服务",
        unknown="服务时间未确认，请致电确认",
        closes="{when} 结束",
        closes_in="{minutes} 分钟后结束",
        opens="{when} 开始",
        no_opening="未来 {days} 天内不开放",
        today="今天",
        tomorrow="明天",
        weekdays=("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
        holiday_remark="节假日时间可能不同",
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
) -> str:
    """Plain one-line text, e.g. "Closed · opens tomorrow 09:00" / "已关闭 · 明天 09:00 开始".

    `now` decides "today"/"tomorrow" and the minutes left; it defaults to the
    instant the status was computed for.
    """
    words = _PHRASES.get(locale) or _PHRASES[LOCALES[0]]
    now = (now or status.local_now).astimezone(status.local_now.tzinfo)
    zone = words.zone.format(zone=status.timezone) if status.timezone != viewer_timezone else ""

    if status.state == OpenState.UNKNOWN:
        return words.unknown
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

    if status.calendar_uncovered:
        parts.append(words.holiday_remark)
    return _SEP.join(parts)


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
