"""Prometheus metrics from the status report: pack status for the doors' /metrics, and the console kiosk's
node_exporter textfile, replaced atomically and kept fresh."""

from __future__ import annotations

import datetime as dt
import os
import stat
import time

import pytest
from fakejournal import FakeJournal
from helpers import wait_until
from prometheus_client import CollectorRegistry
from prometheus_client.parser import text_string_to_metric_families
from ui.helpers import bundled_packs

from kiosk import launch, metrics, oplog
from kiosk.packset import PackRecord, PackSet, PackStatus
from kiosk.profile import Profile
from kiosk.status import evaluate

DECEMBER = dt.datetime(2026, 12, 2, 1, 0, tzinfo=dt.UTC)


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_pack_metrics_for_the_doors_move_on_with_the_date():
    packs = bundled_packs()
    broken = PackRecord("broken", "broken", "kiosk-pack-broken", "1.0", PackStatus.QUARANTINED, error="x")
    day = [dt.date(2026, 12, 2)]
    registry = CollectorRegistry()
    metrics.register_pack_metrics(registry, PackSet(packs.packs, (*packs.records, broken)), today=lambda: day[0])
    first = samples(metrics.exposition(registry))
    assert first[("kiosk_packs", (("status", "loaded"),))] == len(packs.packs)
    assert first[("kiosk_packs", (("status", "quarantined"),))] == 1
    assert first[("kiosk_packs", (("status", "awaiting-approval"),))] == 0
    age = first[("kiosk_pack_oldest_fact_age_days", (("pack", "alipay"),))]
    assert age >= 0 and ("kiosk_pack_oldest_fact_age_days", (("pack", "broken"),)) not in first
    day[0] += dt.timedelta(days=400)
    later = samples(metrics.exposition(registry))
    assert later[("kiosk_pack_oldest_fact_age_days", (("pack", "alipay"),))] == age + 400
    assert later[("kiosk_pack_stale_facts", (("pack", "alipay"),))] > 0


def test_the_status_registry_holds_the_health_and_each_check():
    report = evaluate(
        now=DECEMBER, packs=bundled_packs(), config_file="kiosk.toml", config_issues=(), max_fact_age_days=365
    )
    found = samples(metrics.exposition(metrics.status_registry(report)))
    assert found[("kiosk_health", ())] == int(report.health)
    assert found[("kiosk_check_health", (("check", "calendar"),))] == int(report.check_health("calendar"))
    assert found[("kiosk_calendar_last_year", (("calendar", "cn-mainland"),))] == report.calendars[0].years[-1]
    assert found[("kiosk_status_generated_timestamp_seconds", ())] == DECEMBER.timestamp()


def test_the_textfile_is_replaced_whole_and_readable_by_node_exporter(tmp_path):
    report = evaluate(now=DECEMBER, packs=bundled_packs(), config_file="-", config_issues=(), max_fact_age_days=365)
    path = tmp_path / "kiosk.prom"
    metrics.write_textfile(path, metrics.status_registry(report))
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["kiosk.prom"]
    assert samples(path.read_text(encoding="utf-8"))[("kiosk_health", ())] == int(report.health)


def test_the_writer_keeps_writing_and_says_once_when_it_cannot(tmp_path, monkeypatch):
    with FakeJournal() as journal:
        monkeypatch.delenv("JOURNAL_STREAM", raising=False)
        monkeypatch.setenv("INVOCATION_ID", "0123456789abcdef0123456789abcdef")
        monkeypatch.setenv(oplog.ENV_JOURNAL_SOCKET, str(journal.path))
        monkeypatch.setattr(oplog, "_journal", None)
        calls = []

        def report():
            calls.append(1)
            return evaluate(now=DECEMBER, packs=bundled_packs(), config_file="-", config_issues=(), max_fact_age_days=1)

        missing = tmp_path / "no" / "kiosk.prom"
        writer = metrics.TextfileWriter(missing, report, interval=0.05, first_delay=0.01).start()
        try:
            wait_until(lambda: len(calls) >= 4, timeout=10, what="four tries")
            (tmp_path / "no").mkdir()
            wait_until(missing.exists, timeout=10, what="the textfile")
        finally:
            writer.stop()
        errors = [e for e in journal.entries() if e["KIOSK_EVENT"] == "exception"]
    assert len(errors) == 1 and "cannot write the metrics textfile" in errors[0]["MESSAGE"]
    assert samples(missing.read_text(encoding="utf-8"))[("kiosk_health", ())] == 1


def test_only_the_console_kiosk_writes_a_textfile(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text(f'metrics_textfile = "{tmp_path / "kiosk.prom"}"\n', encoding="utf-8")
    prepared = launch.prepare(path)
    assert launch.start_metrics_textfile(prepared, Profile.REMOTE, path) is None
    assert launch.start_metrics_textfile(prepared, Profile.DEVELOPMENT, path) is None
    writer = launch.start_metrics_textfile(prepared, Profile.KIOSK, path)
    assert writer is not None
    writer.stop()


@pytest.mark.slow
def test_the_console_kiosk_keeps_its_textfile(tmp_path):
    from test_launch import Terminal, kiosk_env

    textfile = tmp_path / "metrics" / "kiosk.prom"
    textfile.parent.mkdir()
    config = tmp_path / "config" / "wallet-kiosk" / "kiosk.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'metrics_textfile = "{textfile}"\npack_block = ["wechat"]\n', encoding="utf-8")
    term = Terminal([], kiosk_env(tmp_path, XDG_STATE_HOME=str(tmp_path / "state")))
    try:
        assert term.read_until("钱包自助服务".encode())
        started = time.monotonic()
        wait_until(textfile.exists, timeout=30, what="the textfile")
        assert time.monotonic() - started < 30
        found = samples(textfile.read_text(encoding="utf-8"))
        assert found[("kiosk_packs", (("status", "disabled"),))] == 1
        assert ("kiosk_pack_oldest_fact_age_days", (("pack", "alipay"),)) in found
        assert ("kiosk_health", ()) in found
        assert term.proc.poll() is None  # the kiosk runs on
        assert b"kiosk_health" not in term.output  # nothing of it on the customer's screen
    finally:
        term.close()
    assert not [p for p in textfile.parent.iterdir() if p.name != "kiosk.prom"]
    assert os.stat(textfile).st_mode & 0o777 == 0o644
