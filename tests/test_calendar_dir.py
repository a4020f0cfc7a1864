"""An operator adds a published year's holiday notice without a new release: a folder of year files."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import present, run_python

from kiosk import calendars
from kiosk.calendars import DayType, calendar_dir_problems, check_calendar_dir, load_calendar, use_calendar_dir

D = dt.date.fromisoformat

YEAR_2027 = """\
# An example of a published year (the dates here are made up for the test).
timezone = "Asia/Shanghai"

[[years]]
year = 2027
source = "https://www.gov.cn/zhengce/content/202611/content_0000000.htm"
published = 2026-11-10

[[years.holidays]]
name = { zh-CN = "元旦", en = "New Year's Day" }
first = 2027-01-01
last = 2027-01-03
makeup = []

[[years.holidays]]
name = { zh-CN = "春节", en = "Spring Festival" }
first = 2027-02-05
last = 2027-02-12
makeup = [2027-02-20]
"""


@pytest.fixture(autouse=True)
def no_folder():
    use_calendar_dir(None)
    yield
    use_calendar_dir(None)


def test_a_year_file_in_the_folder_adds_that_year(tmp_path):
    (tmp_path / "cn-mainland-2027.toml").write_text(YEAR_2027, encoding="utf-8")
    use_calendar_dir(tmp_path)
    cn = load_calendar("cn-mainland")
    assert cn.years == (2025, 2026, 2027)
    assert calendar_dir_problems() == ()
    bridging = cn.day_type(D("2027-02-12"))  # off by the notice, not by the law
    assert (bridging.type, bridging.covered, bridging.statutory) == (DayType.HOLIDAY, True, False)
    makeup = cn.day_type(D("2027-02-20"))
    assert makeup.type is DayType.WORKDAY and makeup.makeup
    # The shipped years are untouched.
    assert present(cn.day_type(D("2026-02-15")).holiday_name)["en"] == "Spring Festival"
    assert cn.sources[2027].endswith("content_0000000.htm")


def test_a_shipped_year_cannot_be_changed(tmp_path):
    weakened = YEAR_2027.replace("makeup = [2027-02-20]", "makeup = []").replace("year = 2027", "year = 2026")
    weakened = weakened.replace("2027-", "2026-")
    (tmp_path / "cn-mainland.toml").write_text(weakened, encoding="utf-8")
    use_calendar_dir(tmp_path)
    cn = load_calendar("cn-mainland")
    assert cn.years == (2025, 2026)
    assert cn.day_type(D("2026-01-03")).type is DayType.HOLIDAY  # the shipped notice still decides
    [problem] = calendar_dir_problems()
    line = weakened.splitlines().index("year = 2026") + 1
    assert problem == (
        f"{tmp_path / 'cn-mainland.toml'}:{line}: years[0].year: 2026 is already known (the kiosk ships it); "
        "an extra file may only add years"
    )


def test_two_files_giving_one_year_keep_the_first(tmp_path):
    (tmp_path / "cn-mainland-2027.toml").write_text(YEAR_2027, encoding="utf-8")
    (tmp_path / "cn-mainland-2027b.toml").write_text(YEAR_2027, encoding="utf-8")
    use_calendar_dir(tmp_path)
    assert load_calendar("cn-mainland").years == (2025, 2026, 2027)
    [problem] = calendar_dir_problems()
    assert "cn-mainland-2027b.toml" in problem and "another file in the folder gives it" in problem


@pytest.mark.parametrize(
    ("edit", "field", "problem"),
    [
        (("makeup = [2027-02-20]", "makeup = [2027-02-22]"), "years[0].holidays[1].makeup[0]", "not a Saturday"),
        (("last = 2027-01-03", "last = 2026-12-31"), "years[0].holidays[0].last", "outside year 2027"),
        (("makeup = []", "makeup = []\nmake_up = []"), "years[0].holidays[0].make_up", "unknown field make_up"),
        (('timezone = "Asia/Shanghai"', 'timezone = "UTC"'), "timezone", "must be 'Asia/Shanghai'"),
        (('source = "https://', 'source = "http://'), "years[0].source", "https"),
    ],
)
def test_a_broken_file_is_left_out_with_file_line_and_field(tmp_path, edit, field, problem):
    text = YEAR_2027.replace(*edit)
    path = tmp_path / "cn-mainland-2027.toml"
    path.write_text(text, encoding="utf-8")
    use_calendar_dir(tmp_path)
    assert load_calendar("cn-mainland").years == (2025, 2026)
    [found] = calendar_dir_problems()
    line = next(n for n, row in enumerate(text.splitlines(), 1) if edit[1].splitlines()[-1] in row)
    assert found.startswith(f"{path}:{line}: {field}: "), found
    assert problem in found
    assert check_calendar_dir(tmp_path) == [found]


def test_names_that_fit_no_calendar_and_invalid_toml_are_reported(tmp_path):
    (tmp_path / "hongkong-2027.toml").write_text(YEAR_2027, encoding="utf-8")
    (tmp_path / "cn-mainland-2027.toml").write_text("years = [", encoding="utf-8")
    (tmp_path / ".hidden.toml").write_text("nonsense", encoding="utf-8")
    problems = check_calendar_dir(tmp_path)
    assert len(problems) == 2
    assert problems[0].startswith(f"{tmp_path / 'cn-mainland-2027.toml'}:1: top level: not valid TOML")
    assert "must start with a calendar name (cn-mainland)" in problems[1]


def test_a_missing_folder_is_a_problem_not_a_crash(tmp_path):
    use_calendar_dir(tmp_path / "nope")
    assert load_calendar("cn-mainland").years == (2025, 2026)
    assert "does not exist" in calendar_dir_problems()[0]


def test_the_folder_comes_from_the_environment_when_not_set_in_code(tmp_path):
    (tmp_path / "cn-mainland-2027.toml").write_text(YEAR_2027, encoding="utf-8")
    result = run_python(
        """
        import datetime as dt
        from kiosk.calendars import load_calendar
        cn = load_calendar("cn-mainland")
        print(cn.years, cn.day_type(dt.date(2027, 2, 12)).type)
        """,
        env_extra={calendars.ENV_CALENDARS_DIR: str(tmp_path)},
    )
    assert result.stdout.strip() == "(2025, 2026, 2027) holiday", result.stderr


def test_the_check_command_lists_problems_and_exits_1(tmp_path):
    from kiosk.calendars.__main__ import main

    (tmp_path / "cn-mainland-2027.toml").write_text(YEAR_2027, encoding="utf-8")
    assert main(["check", str(tmp_path)]) == 0
    (tmp_path / "cn-mainland-2026.toml").write_text(YEAR_2027.replace("year = 2027", "year = 2026"), encoding="utf-8")
    assert main(["check", str(tmp_path)]) == 1
    assert main(["frobnicate"]) == 2
