"""Usage counts: what is stored (and what never is), retention, several processes, `kiosk stats`, metrics."""

from __future__ import annotations

import datetime as _dt
import json
import sqlite3
import subprocess
import sys

import pytest
from helpers import REPO

from kiosk import cli
from kiosk.usagestats import UsageStats, db_path, report, scrub_query

DAY = _dt.date(2026, 12, 2)


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("95188", "#"),
        ("400 670 0700", "#"),
        ("400-670-0700 退款", "# 退款"),
        ("+86 571 2688 6000", "+#"),
        ("６２２２０２１２３４５６７８", "#"),  # full-width digits
        ("pin 123", "pin 123"),
        ("  Refund   NOT  arrived ", "refund not arrived"),
        ("我的卡号6222021234567890123被盗", "我的卡号#被盗"),
    ],
)
def test_digit_runs_of_four_or_more_are_never_stored(typed, stored):
    assert scrub_query(typed) == stored


def rows(path) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT day, kind, item, n FROM counts ORDER BY kind, item").fetchall()


def test_counts_per_day_and_item_only(tmp_path):
    stats = UsageStats(tmp_path / "usage.sqlite3", today=lambda: DAY)
    stats.no_result("zhifubao 95188 xyz")
    stats.no_result("zhifubao 95188 xyz")
    stats.view("alipay", "refund")
    stats.helpful("alipay", "refund", False)
    stats.flush()
    assert rows(stats.path) == [
        ("2026-12-02", "no_result", "zhifubao # xyz", 2),
        ("2026-12-02", "not_helpful", "alipay:refund", 1),
        ("2026-12-02", "view", "alipay:refund", 1),
    ]
    # Nothing else: no time of day, no order of events.
    with sqlite3.connect(stats.path) as connection:
        columns = [r[1] for r in connection.execute("PRAGMA table_info(counts)")]
        assert columns == ["day", "kind", "item", "n"]
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_old_days_are_removed_past_the_retention_limit(tmp_path):
    today = [DAY - _dt.timedelta(days=40)]
    stats = UsageStats(tmp_path / "usage.sqlite3", retention_days=30, today=lambda: today[0])
    stats.view("alipay", "refund")
    stats.flush()
    today[0] = DAY
    stats.view("wechat", "refund")
    stats.flush()
    assert [r[2] for r in rows(stats.path)] == ["wechat:refund"]


def test_a_state_folder_that_cannot_be_written_is_no_crash(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("")
    stats = UsageStats(blocked / "usage.sqlite3", today=lambda: DAY)
    stats.view("alipay", "refund")
    stats.flush()
    assert stats.most_viewed() == []


WRITER = """
import datetime, sys
from pathlib import Path
from kiosk.usagestats import UsageStats
stats = UsageStats(Path(sys.argv[1]), today=lambda: datetime.date(2026, 12, 2))
for _ in range(200):
    stats.view("alipay", "refund")
stats.flush(30)
"""


def test_several_processes_count_into_one_database(tmp_path):
    path = tmp_path / "usage.sqlite3"
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(path)], cwd=REPO) for _ in range(4)]
    assert [w.wait(timeout=60) for w in writers] == [0, 0, 0, 0]
    assert rows(path) == [("2026-12-02", "view", "alipay:refund", 800)]


def test_the_report_lists_no_result_queries_unhelpful_and_most_used_guides(tmp_path):
    stats = UsageStats(tmp_path / "usage.sqlite3", today=lambda: DAY)
    for query in ("qqq", "qqq", "zzz"):
        stats.no_result(query)
    stats.helpful("alipay", "refund", False)
    stats.helpful("alipay", "refund", True)
    stats.view("alipay", "refund")
    stats.flush()
    found = report(stats.totals())
    assert found["no_result_queries"] == [{"query": "qqq", "count": 2}, {"query": "zzz", "count": 1}]
    assert found["not_helpful_guides"] == [{"guide": "alipay:refund", "not_helpful": 1, "helpful": 1}]
    assert found["most_used_guides"] == [{"guide": "alipay:refund", "views": 1}]


def test_kiosk_stats_prints_and_filters_by_date(tmp_path, capsys):
    days = iter([DAY - _dt.timedelta(days=3), DAY])
    stats = UsageStats(db_path(), today=lambda: next(days))
    stats.no_result("old query")
    stats.flush()
    stats.no_result("new \x1b[31mquery")
    stats.flush()
    config = tmp_path / "kiosk.toml"
    config.write_text("")
    assert cli.main(["stats", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "old query" in out and "new" in out and "\x1b" not in out
    assert cli.main(["stats", "--config", str(config), "--json", "--since", DAY.isoformat()]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [q["query"] for q in data["no_result_queries"]] == ["new \x1b[31mquery"]
    assert data["recording"] is True and data["retention_days"] == 90


def test_the_metrics_carry_the_same_counts(tmp_path):
    from prometheus_client import CollectorRegistry

    from kiosk.metrics import exposition, register_usage_metrics

    stats = UsageStats(tmp_path / "usage.sqlite3", today=lambda: DAY)
    stats.no_result("secret words")
    stats.view("alipay", "refund")
    stats.helpful("alipay", "refund", False)
    stats.flush()
    registry = CollectorRegistry()
    register_usage_metrics(registry, stats)
    text = exposition(registry)
    assert 'kiosk_usage_events{kind="no_result"} 1.0' in text
    assert 'kiosk_usage_guide_events{guide="alipay:refund",kind="not_helpful"} 1.0' in text
    assert "secret" not in text


def test_the_switch_and_retention_are_kiosk_toml_keys(tmp_path):
    from kiosk.config import load

    path = tmp_path / "kiosk.toml"
    path.write_text("usage_stats = false\nusage_stats_days = 30\n")
    settings = load(path).settings
    assert (settings.usage_stats, settings.usage_stats_days) == (False, 30)
    path.write_text('usage_stats = "no"\n')
    assert [i.message for i in load(path).issues] == ["must be true or false, not 'no'"]
