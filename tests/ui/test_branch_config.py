"""Two kiosk.toml keys of the content: a branch's own hours for a channel ([[branch_hours]]), shown with the
branch as their source, and the folder of holiday-calendar years published after the release (calendars_dir)."""

from __future__ import annotations

import datetime as dt

from helpers import channel_of, pack_of

from kiosk import calendars, launch
from kiosk.clock import FixedClock
from kiosk.hours import OpenState, status_at
from kiosk.i18n import t
from kiosk.model import SourceKind
from kiosk.profile import Profile
from kiosk.ui.messages import Navigate
from kiosk.ui.screens.channel import ChannelScreen
from ui.helpers import screen_text

# Monday 2026-11-23, 10:00 and 12:30 in Beijing.
MONDAY_MORNING = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)
MONDAY_LUNCH = dt.datetime(2026, 11, 23, 4, 30, tzinfo=dt.UTC)

BRANCH_HOURS = """\
branch_name = "西宁城西支行"
default_locale = "en"

# Qinghai's PBoC branch answers 12363 on its working hours (ticket OPS-551).
[[branch_hours]]
channel = "general:pboc-12363"

[branch_hours.hours]
timezone = "Asia/Shanghai"
calendar = "cn-mainland"
rules = [ { days = ["workday"], open = ["08:30-12:00", "14:30-17:30"] } ]

[branch_hours.hours.source]
url = "http://www.qinghai.gov.cn/zwgk/system/2014/03/20/010107748.shtml"
kind = "government"
verified = 2026-11-20
confidence = "high"
"""

YEAR_2027 = """\
timezone = "Asia/Shanghai"

[[years]]
year = 2027
source = "https://www.gov.cn/zhengce/content/2027.htm"
published = 2026-11-10

[[years.holidays]]
name = { zh-CN = "元旦", en = "New Year's Day" }
first = 2027-01-01
last = 2027-01-03
makeup = []
"""


def test_the_branchs_hours_replace_the_channels_and_drive_open_now(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text(BRANCH_HOURS, encoding="utf-8")
    prepared = launch.prepare(path)
    assert not [n for n in prepared.notices if "branch_hours" in n], prepared.notices
    hours = channel_of(pack_of(prepared.packs, "general"), "pboc-12363").hours
    assert hours.set_by_branch == "西宁城西支行" and hours.source is not None
    assert hours.source.kind is SourceKind.GOVERNMENT
    assert status_at(hours, MONDAY_MORNING).state is OpenState.OPEN
    assert status_at(hours, MONDAY_LUNCH).state is OpenState.CLOSED


async def test_the_customer_sees_the_branch_as_the_source_of_the_hours(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text(BRANCH_HOURS, encoding="utf-8")
    app = launch.build_app(launch.prepare(path), Profile.KIOSK, clock=FixedClock(MONDAY_MORNING))
    async with app.run_test(size=(120, 40)) as pilot:
        app.screen.post_message(Navigate("channel:general:pboc-12363"))
        await pilot.pause()
        assert isinstance(app.screen, ChannelScreen)
        text = screen_text(app).replace("\n", " ")
        assert t("hours.set_by_branch", "en", branch="西宁城西支行") in text


def test_a_channel_that_is_not_loaded_is_a_notice_not_a_failure(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text(BRANCH_HOURS.replace("general:pboc-12363", "general:pboc-99999"), encoding="utf-8")
    prepared = launch.prepare(path)
    assert "branch_hours: hours for 'general:pboc-99999' were not applied: no such channel is loaded" in (
        prepared.notices
    )
    assert prepared.packs.wallets  # everything else loaded


def test_branch_hours_without_a_branch_name_are_refused_with_the_line(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text(BRANCH_HOURS.replace('branch_name = "西宁城西支行"\n', ""), encoding="utf-8")
    prepared = launch.prepare(path)
    assert (
        f"{path}:4: branch_hours: needs branch_name: customers are shown the branch as the source of these hours"
        in (prepared.notices)
    )
    assert channel_of(pack_of(prepared.packs, "general"), "pboc-12363").hours.set_by_branch is None


def test_a_bad_hours_table_names_file_line_and_field(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text(BRANCH_HOURS.replace('"08:30-12:00", ', '"8:30-12", '), encoding="utf-8")
    notices = launch.prepare(path).notices
    assert any(n.startswith(f"{path}:11: branch_hours[0].hours.rules[0].open[0]: ") for n in notices), notices


def test_the_calendar_folder_from_kiosk_toml_adds_a_year(tmp_path):
    folder = tmp_path / "calendars"
    folder.mkdir()
    (folder / "cn-mainland-2027.toml").write_text(YEAR_2027, encoding="utf-8")
    path = tmp_path / "kiosk.toml"
    path.write_text(f'calendars_dir = "{folder}"\n', encoding="utf-8")
    try:
        prepared = launch.prepare(path, {})
        assert not prepared.notices
        calendar = calendars.load_calendar("cn-mainland")
        assert 2027 in calendar.years
        assert calendar.day_type(dt.date(2027, 1, 2)).covered
        (folder / "cn-mainland-2028.toml").write_text(YEAR_2027.replace("year = 2027", "year = 2028"), encoding="utf-8")
        broken = launch.prepare(path, {}).notices
        assert any(n.startswith("holiday calendar: ") and "cn-mainland-2028.toml" in n for n in broken), broken
        assert 2027 in calendars.load_calendar("cn-mainland").years  # the good file still counts
        # $KIOSK_CALENDARS_DIR wins, as $KIOSK_PACKS_DIR wins over packs_dir.
        launch.prepare(path, {"KIOSK_CALENDARS_DIR": str(tmp_path / "elsewhere")})
        assert 2027 not in calendars.load_calendar("cn-mainland").years
        path.write_text("", encoding="utf-8")
        launch.prepare(path, {})
        assert 2027 not in calendars.load_calendar("cn-mainland").years
    finally:
        calendars.use_calendar_dir(None)
