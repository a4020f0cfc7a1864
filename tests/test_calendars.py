"""The bundled holiday calendar: data matches the State Council notices, and bad files are refused."""

from __future__ import annotations

import copy
import datetime as dt
import tomllib
from importlib import resources

import pytest

from kiosk.calendars import CALENDAR_NAMES, DayType, load_calendar, parse_calendar

D = dt.date.fromisoformat


@pytest.fixture(scope="module")
def cn():
    return load_calendar("cn-mainland")


def test_bundled_names():
    assert CALENDAR_NAMES == ("cn-mainland",)


def test_unknown_calendar_names_the_bundled_ones():
    with pytest.raises(KeyError, match="cn-mainland"):
        load_calendar("cn-hongkong")


def test_calendar_is_cached(cn):
    assert load_calendar("cn-mainland") is cn


def test_metadata(cn):
    assert cn.name == "cn-mainland"
    assert cn.timezone == "Asia/Shanghai"
    assert cn.years == (2025, 2026)
    assert dict(cn.sources) == {
        2025: "https://www.gov.cn/zhengce/content/202411/content_6986382.htm",
        2026: "https://www.gov.cn/zhengce/content/202511/content_7047090.htm",
    }
    assert cn.year(2025).published == D("2024-11-12")
    assert cn.year(2026).published == D("2025-11-04")


# Days off and make-up workdays exactly as in the two notices.
NOTICES = {
    2025: [
        ("New Year's Day", "2025-01-01", "2025-01-01", []),
        ("Spring Festival", "2025-01-28", "2025-02-04", ["2025-01-26", "2025-02-08"]),
        ("Qingming Festival", "2025-04-04", "2025-04-06", []),
        ("Labour Day", "2025-05-01", "2025-05-05", ["2025-04-27"]),
        ("Dragon Boat Festival", "2025-05-31", "2025-06-02", []),
        ("National Day and Mid-Autumn Festival", "2025-10-01", "2025-10-08", ["2025-09-28", "2025-10-11"]),
    ],
    2026: [
        ("New Year's Day", "2026-01-01", "2026-01-03", ["2026-01-04"]),
        ("Spring Festival", "2026-02-15", "2026-02-23", ["2026-02-14", "2026-02-28"]),
        ("Qingming Festival", "2026-04-04", "2026-04-06", []),
        ("Labour Day", "2026-05-01", "2026-05-05", ["2026-05-09"]),
        ("Dragon Boat Festival", "2026-06-19", "2026-06-21", []),
        ("Mid-Autumn Festival", "2026-09-25", "2026-09-27", []),
        ("National Day", "2026-10-01", "2026-10-07", ["2026-09-20", "2026-10-10"]),
    ],
}


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_blocks_match_the_notice(cn, year):
    got = [
        (b.name["en"], b.first.isoformat(), b.last.isoformat(), [d.isoformat() for d in b.makeup])
        for b in cn.year(year).holidays
    ]
    assert got == NOTICES[year]


@pytest.mark.parametrize(("year", "days_off", "makeup_days"), [(2025, 28, 5), (2026, 33, 6)])
def test_year_totals(cn, year, days_off, makeup_days):
    days = [dt.date(year, 1, 1) + dt.timedelta(n) for n in range(366)]
    infos = [cn.day_type(d) for d in days if d.year == year]
    assert sum(i.type is DayType.HOLIDAY for i in infos) == days_off
    assert sum(i.makeup for i in infos) == makeup_days
    assert sum(b.days_off for b in cn.year(year).holidays) == days_off


def test_every_makeup_day_is_a_weekend_day(cn):
    makeup = [d for y in cn.years for b in cn.year(y).holidays for d in b.makeup]
    assert len(makeup) == 11
    assert all(d.weekday() in (5, 6) for d in makeup)


@pytest.mark.parametrize(
    ("day", "type_", "covered", "holiday_en", "makeup"),
    [
        ("2025-01-01", "holiday", True, "New Year's Day", False),
        ("2025-01-26", "workday", True, None, True),  # Sunday worked for Spring Festival
        ("2025-02-04", "holiday", True, "Spring Festival", False),  # weekday off by swap
        ("2025-02-08", "workday", True, None, True),  # Saturday worked
        ("2025-02-09", "restday", True, None, False),
        ("2025-10-11", "workday", True, None, True),
        ("2026-01-03", "holiday", True, "New Year's Day", False),  # a Saturday inside the block
        ("2026-01-05", "workday", True, None, False),
        ("2026-02-15", "holiday", True, "Spring Festival", False),
        ("2026-09-20", "workday", True, None, True),
        ("2026-10-02", "holiday", True, "National Day", False),
        ("2026-10-08", "workday", True, None, False),  # Thursday after National Day
        ("2026-10-10", "workday", True, None, True),
        ("2026-10-17", "restday", True, None, False),
        # Before the statutory rules (2025): plain Monday-Friday, flagged as uncovered.
        ("2024-12-31", "workday", False, None, False),
        # No notice yet: the statutory days of the law, the rest Monday-Friday, still uncovered.
        ("2027-01-01", "holiday", False, "New Year's Day", False),
        ("2027-01-02", "restday", False, None, False),
        ("2027-01-04", "workday", False, None, False),
        ("2027-02-05", "holiday", False, "Spring Festival", False),
    ],
)
def test_day_type(cn, day, type_, covered, holiday_en, makeup):
    info = cn.day_type(D(day))
    assert info.type == type_
    assert info.covered is covered
    assert (info.holiday_name["en"] if info.holiday_name else None) == holiday_en
    assert info.makeup is makeup


def test_makeup_day_names_the_break_it_pays_for(cn):
    info = cn.day_type(D("2026-10-10"))
    assert info.makeup_for["zh-CN"] == "国庆节"
    assert info.holiday_name is None


def test_holiday_name_has_both_languages(cn):
    name = cn.day_type(D("2026-02-17")).holiday_name
    assert (name["zh-CN"], name["en"]) == ("春节", "Spring Festival")


# --- validation -------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled_data():
    raw = resources.files("kiosk.calendars").joinpath("cn-mainland.toml").read_bytes()
    return tomllib.loads(raw.decode("utf-8"))


def _set(path: str, value):
    def edit(data):
        *parents, last = path.split(".")
        for key in parents:
            data = data[int(key)] if key.isdigit() else data[key]
        if value is _DELETE:
            del data[last]
        elif last.isdigit():
            data[int(last)] = value
        else:
            data[last] = value

    return edit


_DELETE = object()


@pytest.mark.parametrize(
    ("edit", "field", "problem"),
    [
        (_set("years.0.holidays.0.first", D("2024-12-31")), r"years\[0\]\.holidays\[0\]\.first", "outside year 2025"),
        (_set("years.0.holidays.1.last", D("2025-01-20")), r"years\[0\]\.holidays\[1\]\.last", "before first day"),
        (_set("years.0.holidays.2.first", D("2025-02-04")), r"years\[0\]\.holidays\[2\]", "overlaps"),
        (
            _set("years.0.holidays.3.makeup", [D("2025-04-28")]),
            r"holidays\[3\]\.makeup\[0\]",
            "not a Saturday or Sunday",
        ),
        (
            _set("years.1.holidays.0.makeup", [D("2026-01-03")]),
            r"years\[1\]\.holidays\[0\]\.makeup\[0\]",
            "inside a holiday block",
        ),
        (
            _set("years.1.holidays.0.makeup", [D("2025-12-28")]),
            r"years\[1\]\.holidays\[0\]\.makeup\[0\]",
            "outside year 2026",
        ),
        (_set("years.0.holidays.0.last", "2025-01-01"), r"years\[0\]\.holidays\[0\]\.last", "expected a date"),
        (_set("years.0.holidays.0.makeup", _DELETE), r"years\[0\]\.holidays\[0\]", "missing makeup"),
        (_set("years.0.holidays.0.make_up", []), r"years\[0\]\.holidays\[0\]", "unknown field make_up"),
        (_set("years.0.holidays.0.name", {"zh-CN": "元旦"}), r"years\[0\]\.holidays\[0\]\.name", "missing en"),
        (_set("years.0.source", "http://www.gov.cn/"), r"years\[0\]\.source", "https"),
        (
            lambda data: data["years"].append(copy.deepcopy(data["years"][0])),
            r"years\[2\]\.year",
            "2025 is listed twice",
        ),
        (_set("timezone", _DELETE), "top level", "missing timezone"),
    ],
)
def test_bad_file_is_refused_with_file_and_field(bundled_data, edit, field, problem):
    data = copy.deepcopy(bundled_data)
    edit(data)
    with pytest.raises(ValueError, match=rf"^cn-mainland\.toml: .*{field}.*{problem}"):
        parse_calendar("cn-mainland", data, filename="cn-mainland.toml")


def test_bundled_file_parses_cleanly(bundled_data):
    assert parse_calendar("cn-mainland", bundled_data).years == (2025, 2026)


def test_with_the_text_a_problem_names_its_line(bundled_data):
    text = resources.files("kiosk.calendars").joinpath("cn-mainland.toml").read_text(encoding="utf-8")
    broken = text.replace("makeup = [2025-04-27]", "makeup = [2025-04-28]")
    line = broken.splitlines().index("makeup = [2025-04-28]") + 1
    with pytest.raises(ValueError, match=rf"^cn-mainland\.toml:{line}: years\[0\]\.holidays\[3\]\.makeup\[0\]: "):
        parse_calendar("cn-mainland", tomllib.loads(broken), filename="cn-mainland.toml", text=broken)


def test_unknown_statutory_rules_are_refused(bundled_data):
    data = copy.deepcopy(bundled_data)
    data["statutory"] = "cn-1999"
    with pytest.raises(ValueError, match="unknown statutory rules 'cn-1999'"):
        parse_calendar("cn-mainland", data, filename="cn-mainland.toml")
