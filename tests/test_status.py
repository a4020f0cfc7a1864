"""`kiosk status`: the truth about packs, facts, the clock, the calendar, the configuration and the doors,
as text, JSON and metrics, with exit 0 healthy, 1 degraded, 2 broken."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import minimal_pack_text, present, run_kiosk
from ui.helpers import bundled_packs

from kiosk import paths, status_cli
from kiosk.errors import Issue
from kiosk.packset import PackRecord, PackSet, PackStatus
from kiosk.status import CalendarState, Health, evaluate, facts_of, read_door, text_lines
from kiosk.trust import Provenance

DECEMBER = dt.datetime(2026, 12, 2, 1, 0, tzinfo=dt.UTC)  # 09:00 in Beijing
WITH_2027 = [CalendarState("cn-mainland", (2025, 2026, 2027), False)]


def report(now=DECEMBER, packs: PackSet | None = None, calendars=WITH_2027, **kwargs):
    defaults = {"config_file": "kiosk.toml", "config_issues": (), "max_fact_age_days": 365}
    return evaluate(now=now, packs=packs or bundled_packs(), calendars=calendars, **{**defaults, **kwargs})


def messages(result, check: str | None = None) -> list[str]:
    return [f.message for f in result.findings if check is None or f.check == check]


def test_the_bundled_packs_on_a_good_day_are_healthy():
    result = report()
    assert result.health is Health.HEALTHY and result.findings == ()
    assert {p.state for p in result.packs} == {"loaded"}
    assert all(p.oldest is not None for p in result.packs)
    assert text_lines(result)[0] == "wallet-kiosk status: HEALTHY (exit 0)"


def test_stale_facts_are_listed_with_the_oldest_per_pack():
    result = report(max_fact_age_days=5)
    assert result.health is Health.DEGRADED
    alipay = next(p for p in result.packs if p.id == "alipay")
    assert alipay.stale and alipay.stale[0] == alipay.oldest
    assert alipay.oldest.verified <= min(f.verified for f in facts_of(present(bundled_packs().get("alipay"))))
    stale = messages(result, "facts")
    assert any(m.startswith("pack 'alipay': ") and "verified more than 5 days ago; oldest" in m for m in stale)
    as_json = result.as_dict()
    assert as_json["facts"]["stale"] == len(result.stale_facts) > 0
    row = next(p for p in as_json["packs"] if p["id"] == "alipay")
    assert row["oldest_fact"]["where"].startswith(("channel ", "guide ", "scam "))
    assert row["oldest_fact"]["age_days"] == (DECEMBER.date() - alipay.oldest.verified).days


def test_a_clock_behind_the_newest_verified_date_is_reported():
    result = report(now=dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC))
    [clock] = messages(result, "clock")
    newest = max(f.verified for p in bundled_packs().packs for f in facts_of(p))
    assert f"the system date 2026-06-01 is earlier than the newest verified date {newest}" in clock
    assert "the clock is probably wrong" in clock and result.health is Health.DEGRADED


def test_a_pack_quarantined_for_a_future_date_still_tells_the_clock():
    """With a wrong clock a pack may not load at all; its reading still said which date was ahead."""
    issue = Issue("x.toml", 12, "channels[0].verified", "2027-01-05 is in the future; 'verified' is the day ...")
    record = PackRecord(
        "demo", "demo", "kiosk-pack-demo", "1.0", PackStatus.QUARANTINED, error=str(issue), issues=(issue,)
    )
    packs = bundled_packs()
    result = report(packs=PackSet(packs.packs, (*packs.records, record)))
    assert any("earlier than the newest verified date 2027-01-05 (pack 'demo'" in m for m in messages(result, "clock"))
    assert any(m.startswith("pack 'demo' is quarantined: x.toml:12:") for m in messages(result, "packs"))


@pytest.mark.parametrize(
    "now, years, expected",
    [
        (DECEMBER, (2025, 2026), "the holiday notice for 2027 is not installed; from 1 January only the statutory"),
        (dt.datetime(2027, 3, 1, tzinfo=dt.UTC), (2025, 2026), "no holiday notice for 2027 (covered: 2025-2026)"),
        (dt.datetime(2024, 5, 1, tzinfo=dt.UTC), (2025, 2026), "is before 2025, the first year the calendar covers"),
    ],
)
def test_the_calendar_is_judged_against_the_clock(now, years, expected):
    result = report(now=now, calendars=[CalendarState("cn-mainland", years, now.year == 2027)])
    assert any(expected in m for m in messages(result, "calendar")), messages(result)
    assert result.check_health("calendar") is Health.DEGRADED


def test_november_does_not_warn_about_next_year():
    result = report(
        now=dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC),
        calendars=[CalendarState("cn-mainland", (2025, 2026), False)],
    )
    assert messages(result, "calendar") == []


def test_without_a_wallet_or_the_general_pack_the_kiosk_is_broken():
    packs = bundled_packs()
    only_general = PackSet((present(packs.general),), packs.records)
    assert report(packs=only_general).health is Health.BROKEN
    assert "no wallet pack is loaded" in messages(report(packs=only_general), "packs")[0]
    without_general = PackSet(packs.wallets, tuple(r for r in packs.records if r.id != "general"))
    assert any("the general pack is not loaded" in m for m in messages(report(packs=without_general)))


def test_a_pack_awaiting_approval_is_reported_as_such():
    packs = bundled_packs()
    local = PackRecord(
        "branch-desk", "local:desk.toml", None, None, PackStatus.AWAITING_APPROVAL, provenance=Provenance.UNAPPROVED
    )
    result = report(packs=PackSet(packs.packs, (*packs.records, local)))
    [finding] = messages(result, "packs")
    assert finding.startswith("pack 'branch-desk' is awaiting approval (`kiosk packs approve branch-desk`)")
    row = next(p for p in result.as_dict()["packs"] if p["id"] == "branch-desk")
    assert row["state"] == "awaiting-approval" and row["provenance"] == "unapproved"


def test_an_unapproved_pack_that_failed_its_checks_is_quarantined_not_awaiting_approval():
    """Approving it would change nothing (it would still be refused), so status must not suggest it."""
    packs = bundled_packs()
    impostor = PackRecord(
        "alipay",
        "local:desk.toml",
        None,
        None,
        PackStatus.QUARANTINED,
        error="pack id 'alipay' belongs to the bundled pack from kiosk-pack-alipay; local file x.toml may not use it",
        provenance=Provenance.UNAPPROVED,
    )
    result = report(packs=PackSet(packs.packs, (*packs.records, impostor)))
    [finding] = messages(result, "packs")
    assert finding.startswith("pack 'alipay' is quarantined: pack id 'alipay' belongs to the bundled pack")
    assert "approve" not in finding
    assert [p["state"] for p in result.as_dict()["packs"] if p["id"] == "alipay"] == ["quarantined"]


def test_config_problems_degrade_and_warnings_are_notes():
    issues = (Issue("kiosk.toml", 3, "theme", "'neon' is not one of default, high-contrast"),)
    result = report(config_issues=issues)
    assert result.health is Health.DEGRADED
    assert messages(result, "config") == ["kiosk.toml:3: theme: 'neon' is not one of default, high-contrast"]


# -- the front doors' status files ---------------------------------------------------------------------


def door_file(door: str, **fields) -> Path:
    data = {
        "door": door,
        "pid": fields.pop("pid", None) or __import__("os").getpid(),
        "listening": ["127.0.0.1:2222"],
        "started": "2026-12-02T08:00:00+08:00",
        "updated": fields.pop("updated", DECEMBER.isoformat()),
        "sessions_active": 3,
        "sessions_total": 17,
        "refused": {"per-address-cap": 1, "global-cap": 0, "rate": 2, "rejected-key": 1},
        **fields,
    }
    path = paths.state_dir() / f"{door}-status.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_running_door_with_its_sessions_and_refusals():
    door_file("ssh")
    door = read_door("ssh", DECEMBER + dt.timedelta(seconds=5))
    assert door.running and door.listening == ("127.0.0.1:2222",)
    assert (door.sessions_active, door.sessions_total) == (3, 17)
    assert door.refused == {"per-address-cap": 1, "global-cap": 0, "rate": 2, "rejected-key": 1}
    result = report(doors=[door])
    assert result.health is Health.HEALTHY
    line = next(line for line in text_lines(result) if line.lstrip().startswith("ssh"))
    assert "listening on 127.0.0.1:2222, 3 session(s) now, 17 in all" in line
    assert "per-address-cap 1" in line and "rejected-key 1" in line
    assert "global-cap" not in line  # reasons nobody was refused for are in the JSON, not in the line


@pytest.mark.slow  # starts a process to have a pid that is gone
def test_a_door_whose_process_is_gone_is_broken():
    door_file("web", pid=dead_pid())
    door = read_door("web", DECEMBER)
    assert door.state == "stopped" and "is gone" in door.detail
    assert report(doors=[door]).health is Health.BROKEN


def test_a_door_that_stopped_updating_is_broken():
    door_file("ssh", updated=(DECEMBER - dt.timedelta(seconds=31)).isoformat())
    door = read_door("ssh", DECEMBER)
    assert door.state == "stopped" and "not updated for 31 s" in door.detail
    assert report(doors=[door]).health is Health.BROKEN


def test_an_expected_door_that_is_not_running_is_broken_an_unexpected_one_is_not():
    assert report(doors=[read_door("web", DECEMBER, expected=True)]).health is Health.BROKEN
    assert report(doors=[read_door("web", DECEMBER)]).health is Health.HEALTHY


def test_a_running_door_that_listens_nowhere_is_broken():
    door_file("ssh", listening=[])
    assert report(doors=[read_door("ssh", DECEMBER)]).health is Health.BROKEN


def test_a_damaged_door_file_is_unreadable_not_a_crash():
    path = paths.state_dir() / "ssh-status.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"pid": "twelve"}', encoding="utf-8")
    door = read_door("ssh", DECEMBER)
    assert door.state == "unreadable" and str(path) in door.detail
    assert report(doors=[door]).health is Health.DEGRADED


# -- through the start-up path and the command ---------------------------------------------------------


def args(path: Path, **kwargs) -> argparse.Namespace:
    return argparse.Namespace(config=str(path), expect=kwargs.get("expect", []), user=kwargs.get("user"), json=False)


def test_build_reads_the_configuration_the_packs_and_the_calendar_folder_as_the_kiosk_does(tmp_path):
    calendars = tmp_path / "calendars"
    calendars.mkdir()
    (calendars / "cn-mainland-2027.toml").write_text(
        'timezone = "Asia/Shanghai"\n\n[[years]]\nyear = 2027\nsource = "https://www.gov.cn/zhengce/2027.htm"\n'
        "published = 2026-11-10\n\n[[years.holidays]]\n"
        'name = { zh-CN = "元旦", en = "New Year\'s Day" }\nfirst = 2027-01-01\nlast = 2027-01-03\nmakeup = []\n',
        encoding="utf-8",
    )
    path = tmp_path / "kiosk.toml"
    path.write_text(f'calendars_dir = "{calendars}"\nmax_fact_age_days = 3650\n', encoding="utf-8")
    result = status_cli.build(args(path), now=DECEMBER)
    assert messages(result, "calendar") == [], messages(result)
    assert result.calendars[0].years[-1] == 2027
    path.write_text("max_fact_age_days = 3650\n", encoding="utf-8")
    assert any("2027 is not installed" in m for m in messages(status_cli.build(args(path), now=DECEMBER)))


def test_build_with_a_clock_set_back(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text("", encoding="utf-8")
    result = status_cli.build(args(path), now=dt.datetime(2026, 1, 10, tzinfo=dt.UTC))
    assert result.health is Health.DEGRADED and messages(result, "clock")


@pytest.mark.slow
def test_exit_codes_broken_and_degraded(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text('pack_allow = ["alipay"]\npack_block = ["alipay"]\n', encoding="utf-8")
    result = run_kiosk("status", "--config", str(broken))
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout.startswith("wallet-kiosk status: BROKEN (exit 2)")
    assert "no wallet pack is loaded" in result.stdout

    stale = tmp_path / "stale.toml"
    stale.write_text("max_fact_age_days = 1\n", encoding="utf-8")
    result = run_kiosk("status", "--config", str(stale), "--json")
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert data["health"] == "degraded" and data["exit_code"] == 1
    assert data["facts"]["stale"] > 0 and {"packs", "clock", "doors", "config", "findings"} <= set(data)

    expected_door = run_kiosk("status", "--config", str(stale), "--expect", "ssh")
    assert expected_door.returncode == 2 and "kiosk ssh is not running" in expected_door.stdout


@pytest.mark.slow
def test_metrics_in_prometheus_text_format(tmp_path):
    from prometheus_client.parser import text_string_to_metric_families

    path = tmp_path / "kiosk.toml"
    path.write_text('pack_block = ["wechat"]\nmax_fact_age_days = 1\n', encoding="utf-8")
    result = run_kiosk("status", "--config", str(path), "--metrics")
    assert result.returncode == 1, result.stderr
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(result.stdout)
        for s in family.samples
    }
    assert samples[("kiosk_health", ())] == 1
    assert samples[("kiosk_packs", (("status", "disabled"),))] == 1
    assert samples[("kiosk_packs", (("status", "quarantined"),))] == 0
    assert samples[("kiosk_check_health", (("check", "facts"),))] == 1
    assert samples[("kiosk_pack_oldest_fact_age_days", (("pack", "alipay"),))] >= 1
    assert samples[("kiosk_pack_stale_facts", (("pack", "alipay"),))] > 0
    assert ("kiosk_pack_oldest_fact_age_days", (("pack", "wechat"),)) not in samples
    assert samples[("kiosk_door_running", (("door", "ssh"),))] == 0


@pytest.mark.slow
def test_a_local_pack_with_a_verified_date_years_ahead_says_the_clock_is_behind(tmp_path):
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "desk.toml").write_text(
        minimal_pack_text(**{'id = "demo"': 'id = "desk"', "verified = 2026-11-01": "verified = 2099-01-05"}),
        encoding="utf-8",
    )
    path = tmp_path / "kiosk.toml"
    path.write_text(f'packs_dir = "{packs}"\n', encoding="utf-8")
    result = run_kiosk("status", "--config", str(path), "--json")
    assert result.returncode in (1, 2), result.stderr
    clock = [f["message"] for f in json.loads(result.stdout)["findings"] if f["check"] == "clock"]
    # The pack may be quarantined for it (under the id of its file) or loaded with a warning.
    assert clock and re.search(
        r"earlier than the newest verified date 2099-01-05 \(pack '(desk|local:desk.toml)'", clock[0]
    )


@pytest.mark.slow
def test_a_broken_local_pack_is_reported_with_its_file_line_and_field(tmp_path):
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "desk.toml").write_text(minimal_pack_text(**{'value = "95188"': "value = 95188"}), encoding="utf-8")
    path = tmp_path / "kiosk.toml"
    path.write_text(f'packs_dir = "{packs}"\n', encoding="utf-8")
    result = run_kiosk("status", "--config", str(path))
    assert result.returncode == 1, result.stdout + result.stderr
    [line] = [line for line in result.stdout.splitlines() if "is quarantined" in line]
    assert f"packs: pack 'local:desk.toml' is quarantined: {packs / 'desk.toml'}:" in line
    assert "channels[0].value" in line


@pytest.mark.slow
def test_a_local_pack_taking_a_bundled_id_is_reported_quarantined(tmp_path):
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "desk.toml").write_text(minimal_pack_text(**{'id = "demo"': 'id = "alipay"'}), encoding="utf-8")
    path = tmp_path / "kiosk.toml"
    path.write_text(f'packs_dir = "{packs}"\n', encoding="utf-8")
    result = run_kiosk("status", "--config", str(path))
    assert result.returncode == 1, result.stdout + result.stderr
    [line] = [line for line in result.stdout.splitlines() if line.lstrip().startswith("degraded  packs:")]
    assert "pack 'alipay' is quarantined: pack id 'alipay' belongs to the bundled pack" in line
    assert "approve" not in result.stdout
