"""The hook for an operator's own hours (e.g. their province's 12363 hours), shown with the branch as source."""

from __future__ import annotations

import datetime as dt
import tomllib
from zoneinfo import ZoneInfo

from helpers import channel_of, pack_of, present
from ui.helpers import bundled_packs

from kiosk.branch_hours import BranchHours, apply_branch_hours, read_branch_hours
from kiosk.hours import OpenState, status_at
from kiosk.model import SourceKind

SHANGHAI = ZoneInfo("Asia/Shanghai")

# How such a table could look in an operator's file; the kiosk.toml key itself belongs to the configuration.
SOURCE = (
    'source = { url = "http://www.qinghai.gov.cn/zwgk/system/2014/03/20/010107748.shtml", '
    'kind = "government", verified = 2026-11-20, confidence = "high" }'
)
CONFIG = """\
[[hours]]
channel = "general:pboc-12363"
hours = { calendar = "cn-mainland", rules = [ { days = ["workday"], open = ["08:30-11:30", "14:00-17:30"] } ], SOURCE }
""".replace("SOURCE", SOURCE)


def read_config(text: str = CONFIG):
    data = tomllib.loads(text)
    return [
        read_branch_hours(table, "kiosk.toml", text=text, path=("hours", i)) for i, table in enumerate(data["hours"])
    ]


def test_an_override_replaces_the_hours_and_names_the_branch():
    [(override, issues)] = read_config()
    assert issues == ()
    packs, problems = apply_branch_hours(bundled_packs().packs, [override], branch="青海西宁支行")
    assert problems == ()
    general = next(p for p in packs if p.id == "general")
    channel = channel_of(general, "pboc-12363")
    assert channel.hours.set_by_branch == "青海西宁支行"
    assert present(channel.hours.source).kind is SourceKind.GOVERNMENT
    # Confirmed by the branch: it drives "open now" (a Monday morning, a Saturday).
    monday = status_at(channel.hours, dt.datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI))
    saturday = status_at(channel.hours, dt.datetime(2026, 11, 21, 10, 0, tzinfo=SHANGHAI))
    assert (monday.state, saturday.state) == (OpenState.OPEN, OpenState.CLOSED)
    # Nothing else changed, and the loaded packs themselves are untouched.
    assert channel_of(pack_of(bundled_packs(), "general"), "pboc-12363").hours.set_by_branch is None
    assert [p.id for p in packs] == [p.id for p in bundled_packs().packs]


def test_an_unknown_channel_is_reported_not_raised():
    override = BranchHours("general:pboc-99999", channel_of(pack_of(bundled_packs(), "general"), "pboc-12363").hours)
    packs, problems = apply_branch_hours(bundled_packs().packs, [override], branch="x")
    assert problems == ("hours for 'general:pboc-99999' were not applied: no such channel is loaded",)
    assert packs == bundled_packs().packs


def test_a_bad_table_gets_the_pack_rules_messages_with_lines():
    text = CONFIG.replace('"14:00-17:30"', '"14:00-17:61"').replace(
        'channel = "general:pboc-12363"', 'channel = "12363"'
    )
    [(override, issues)] = read_config(text)
    assert override is None
    messages = [(i.line, i.field, i.message) for i in issues]
    assert (None, "hours[0].channel", 'must name a channel as "PACK:ID", e.g. "general:pboc-12363"') in messages
    assert (3, "hours[0].hours.rules[0].open[1]", "'14:00-17:61' has an impossible time of day") in messages


def test_reported_branch_hours_need_their_source():
    text = CONFIG.replace("hours = { calendar", "hours = { reported = true, calendar").replace(", " + SOURCE, "")
    [(override, issues)] = read_config(text)
    assert override is None
    assert any(i.field == "hours[0].hours.reported" and "need the source" in i.message for i in issues)
