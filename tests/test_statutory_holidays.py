"""Years without a State Council notice: the statutory days of the law, from a lunar calendar library.

全国年节及纪念日放假办法 as amended in 2024 (in force 2025-01-01): New Year's Day 1 day,
Spring Festival 4 days from 除夕, Qingming 1 day, Labour Day 2 days, Dragon Boat 1 day,
Mid-Autumn 1 day, National Day 3 days. Bridging days and make-up workdays are not in the law.
"""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import run_python

from kiosk.calendars import DayType, load_calendar

D = dt.date.fromisoformat


@pytest.fixture(scope="module")
def cn():
    return load_calendar("cn-mainland")


def statutory_days(calendar, year: int) -> list[str]:
    days = []
    for block in calendar.statutory_holidays(year):
        days += [(block.first + dt.timedelta(n)).isoformat() for n in range(block.days_off)]
    return days


def test_2027_has_the_thirteen_statutory_days(cn):
    assert 2027 not in cn.years  # no notice shipped
    blocks = [(b.name["en"], b.first.isoformat(), b.last.isoformat()) for b in cn.statutory_holidays(2027)]
    assert blocks == [
        ("New Year's Day", "2027-01-01", "2027-01-01"),
        # 除夕 2027 is 2027-02-05; the 1st to 3rd day of the first month follow.
        ("Spring Festival", "2027-02-05", "2027-02-08"),
        ("Qingming Festival", "2027-04-05", "2027-04-05"),
        ("Labour Day", "2027-05-01", "2027-05-02"),
        ("Dragon Boat Festival", "2027-06-09", "2027-06-09"),
        ("Mid-Autumn Festival", "2027-09-15", "2027-09-15"),
        ("National Day", "2027-10-01", "2027-10-03"),
    ]
    assert len(statutory_days(cn, 2027)) == 13


@pytest.mark.parametrize(
    ("day", "type_", "name"),
    [
        ("2027-01-01", "holiday", "元旦"),  # a Friday: no longer a working day
        ("2027-02-04", "workday", None),  # the day before 除夕 is not statutory
        ("2027-02-05", "holiday", "春节"),
        ("2027-02-08", "holiday", "春节"),
        ("2027-02-09", "workday", None),  # a bridging day only a notice could give
        ("2027-04-05", "holiday", "清明节"),
        ("2027-05-03", "workday", None),
        ("2027-06-09", "holiday", "端午节"),
        ("2027-09-15", "holiday", "中秋节"),
        ("2027-10-03", "holiday", "国庆节"),  # a Sunday, but a holiday all the same
        ("2027-10-04", "workday", None),
        ("2027-10-09", "restday", None),  # no make-up Saturdays without a notice
    ],
)
def test_2027_day_types(cn, day, type_, name):
    info = cn.day_type(D(day))
    assert info.type == type_
    assert info.covered is False and info.statutory is True
    assert (info.holiday_name["zh-CN"] if info.holiday_name else None) == name
    assert not info.makeup


def test_qingming_agrees_with_a_second_data_set(cn):
    """tyme4py computes the solar term; chinesecalendar ships a table of them."""
    import chinese_calendar  # type: ignore[import-untyped]

    for year in range(2027, 2061):
        terms = {name: day for day, name in chinese_calendar.get_solar_terms(dt.date(year, 4, 1), dt.date(year, 4, 10))}
        qingming = next(b for b in cn.statutory_holidays(year) if b.name["en"] == "Qingming Festival")
        assert (qingming.first, qingming.last) == (terms["清明"], terms["清明"]), year


def test_the_rules_reproduce_the_statutory_days_inside_the_2025_and_2026_notices(cn):
    """Each notice's breaks contain exactly the law's days (derived in the holiday research)."""
    assert statutory_days(cn, 2025) == [
        "2025-01-01",
        "2025-01-28",
        "2025-01-29",
        "2025-01-30",
        "2025-01-31",
        "2025-04-04",
        "2025-05-01",
        "2025-05-02",
        "2025-05-31",
        "2025-10-01",
        "2025-10-02",
        "2025-10-03",
        "2025-10-06",
    ]
    assert statutory_days(cn, 2026) == [
        "2026-01-01",
        "2026-02-16",
        "2026-02-17",
        "2026-02-18",
        "2026-02-19",
        "2026-04-05",
        "2026-05-01",
        "2026-05-02",
        "2026-06-19",
        "2026-09-25",
        "2026-10-01",
        "2026-10-02",
        "2026-10-03",
    ]
    for year in (2025, 2026):
        for day in statutory_days(cn, year):
            assert cn.day_type(D(day)).type is DayType.HOLIDAY, day


def test_published_years_are_not_changed_by_the_rules(cn):
    info = cn.day_type(D("2026-02-15"))  # 腊月二十八: off by the notice, not by the law
    assert info.type is DayType.HOLIDAY and info.covered and not info.statutory


def test_mid_autumn_on_national_day_is_one_break(cn):
    # 2028: the 15th day of the 8th month is 3 October.
    merged = [b for b in cn.statutory_holidays(2028) if b.first.month == 10]
    assert [(b.name["zh-CN"], b.name["en"], b.first.isoformat(), b.last.isoformat()) for b in merged] == [
        ("国庆节、中秋节", "National Day and Mid-Autumn Festival", "2028-10-01", "2028-10-03")
    ]
    assert len(statutory_days(cn, 2028)) == 12


def test_the_spring_festival_starts_on_new_years_eve_even_after_a_short_twelfth_month(cn):
    from tyme4py.lunar import LunarDay  # type: ignore[import-untyped]

    for year in range(2027, 2061):
        spring = next(b for b in cn.statutory_holidays(year) if b.name["en"].startswith("Spring"))
        eve = LunarDay.from_ymd(year, 1, 1).next(-1)
        assert (eve.get_lunar_month().get_month(), eve.get_day()) in ((12, 29), (12, 30)), year
        solar = eve.get_solar_day()
        assert spring.first == dt.date(solar.get_year(), solar.get_month(), solar.get_day())
        assert spring.days_off == 4


def test_years_before_the_2024_amendment_get_no_statutory_days(cn):
    assert cn.statutory_holidays(2024) == ()
    assert cn.day_type(D("2024-10-01")).statutory is False


def test_the_lunar_library_stays_off_the_start_up_path():
    result = run_python(
        """
        import datetime as dt, sys
        from kiosk.calendars import load_calendar
        cn = load_calendar("cn-mainland")
        cn.day_type(dt.date(2026, 12, 31))
        print("before", "tyme4py" in sys.modules)
        cn.day_type(dt.date(2027, 1, 1))
        print("after", "tyme4py" in sys.modules)
        """
    )
    assert result.stdout.split() == ["before", "False", "after", "True"], result.stderr


def test_the_shipped_years_agree_with_the_chinesecalendar_package(cn):
    """Every day of 2025 and 2026, against the maintained LKI/chinese-calendar data set."""
    import chinese_calendar  # untyped; the ignore on the first import covers the module

    day = dt.date(2025, 1, 1)
    while day.year <= 2026:
        info = cn.day_type(day)
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
        assert (info.type is DayType.WORKDAY) is chinese_calendar.is_workday(day), day
        assert (info.type is not DayType.WORKDAY) is on_holiday, day
        # A day off that is not a plain weekend belongs to a named break in both.
        if info.type is DayType.HOLIDAY and day.weekday() < 5:
            assert name is not None, day
        assert info.makeup is (day.weekday() >= 5 and chinese_calendar.is_workday(day)), day
        day += dt.timedelta(days=1)
