"""A door's tally, its status file and its session log, as kiosk.status reads them back."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import stat
import urllib.request

import pytest

from kiosk import config
from kiosk.config import remote, webdoor
from kiosk.doorhealth import DoorHealth, MetricsError
from kiosk.doorstatus import DoorTally, SessionEnd, SessionLog, StatusFile
from kiosk.status import read_door


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_tally_counts_sessions_and_every_refusal_reason_from_zero():
    clock = Clock()
    tally = DoorTally("ssh", clock=clock)
    ends: list[SessionEnd] = []
    tally.on_session_end.append(ends.append)
    assert tally.refused()["per-address-cap"] == 0 and tally.refused()["forwarding"] == 0
    first = tally.session_started()
    tally.session_started()
    clock.now += 12.5
    tally.session_ended(first, "customer quit")
    tally.refuse("global-cap")
    tally.refuse("global-cap")
    snapshot = tally.snapshot()
    assert snapshot["sessions_active"] == 1 and snapshot["sessions_total"] == 2
    assert tally.refused()["global-cap"] == 2
    assert ends == [SessionEnd(12.5, "customer quit")]


async def test_the_status_file_is_what_kiosk_status_reads_and_goes_on_a_clean_stop(tmp_path):
    tally = DoorTally("web")
    status = StatusFile(tally, tmp_path / "web-status.json", delay=0.01)
    tally.set_listening(["127.0.0.1:8000"])
    status.start()
    path = tmp_path / "web-status.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # no secret; a monitoring account may read it
    door = read_door("web", dt.datetime.now(dt.UTC), folder=tmp_path)
    assert door.state == "running" and door.pid == os.getpid() and door.listening == ("127.0.0.1:8000",)
    tally.session_started()
    tally.refuse("global-cap")
    for _ in range(100):  # a change is written within the delay, not only every 10 s
        await asyncio.sleep(0.02)
        if json.loads(path.read_text())["sessions_active"] == 1:
            break
    door = read_door("web", dt.datetime.now(dt.UTC), folder=tmp_path)
    assert door.sessions_active == 1 and door.sessions_total == 1 and door.refused["global-cap"] == 1
    await status.stop()
    assert not path.exists()
    assert read_door("web", dt.datetime.now(dt.UTC), folder=tmp_path).state == "not running"


async def test_a_status_file_that_cannot_be_written_is_said_once_and_the_door_goes_on(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("")
    said: list[str] = []
    status = StatusFile(DoorTally("ssh"), blocked / "ssh-status.json", warn=said.append)
    status.start()
    status.write()
    assert len(said) == 1 and "cannot write the status file" in said[0]
    await status.stop()


def test_the_session_log_has_one_line_per_event_that_a_client_cannot_forge():
    lines: list[str] = []
    log = SessionLog("kiosk-web", lines.append)
    log.started('1.2.3.4 reason="x"\n', 1, 50)
    log.ended("127.0.0.1", SessionEnd(3.25, 'idle"\x1b[2J'), 0, 50)
    log.refused("127.0.0.1", "global-cap", 50, 50)
    assert len(lines) == 3 and all("\n" not in line and "\x1b" not in line for line in lines)
    assert lines[0].startswith("kiosk-web start address=1.2.3.4?reason??x?? sessions=1/50 at=")
    assert 'duration=3.2s reason="idle??[2J" sessions=0/50' in lines[1]
    assert lines[2] == "kiosk-web refused address=127.0.0.1 reason=global-cap sessions=50/50"


@pytest.mark.parametrize(
    "code, reason", [(0, "customer quit"), (12, "idle (kiosk)"), (13, "terminal lost"), (1, "kiosk exited 1")]
)
def test_a_kiosk_that_ends_by_itself_is_named_by_its_exit_code(code, reason):
    assert SessionLog.kiosk_exit(code) == reason


def test_metrics_listen_is_checked_in_both_tables_with_file_and_line(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text('[ssh]\nmetrics_listen = "nowhere"\n\n[web]\nmetrics_listen = "127.0.0.1:99999"\n')
    loaded = config.load(path)
    found = {(issue.field, issue.line) for issue in loaded.issues}
    assert found == {("ssh.metrics_listen", 2), ("web.metrics_listen", 5)}, loaded.issues
    assert remote.resolve(loaded.settings.ssh).metrics_listen == ""  # off, not guessed
    path.write_text('[web]\nmetrics_listen = "127.0.0.1:9465"\nmetrics = 1\n')
    loaded = config.load(path)
    assert webdoor.resolve(loaded.settings.web).metrics_listen == "127.0.0.1:9465"
    assert [i.field for i in loaded.issues] == ["web.metrics"]


def test_the_metrics_cannot_share_the_ssh_port(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text('[ssh]\nlisten = "127.0.0.1:2222"\nmetrics_listen = "127.0.0.1:2222"\n')
    loaded = config.load(path)
    [issue] = loaded.issues
    assert (issue.field, issue.line) == ("ssh.metrics_listen", 3) and "a port of their own" in issue.message
    assert remote.resolve(loaded.settings.ssh).metrics_listen == ""


def test_metrics_are_off_by_default():
    assert remote.SshSettings().metrics_listen == "" and webdoor.WebSettings().metrics_listen == ""


async def test_the_door_serves_its_counts_and_the_pack_metrics(tmp_path):
    health = DoorHealth("ssh", config_path=tmp_path / "kiosk.toml", metrics_listen="127.0.0.1:0")
    health.status.path = tmp_path / "ssh-status.json"
    health.start(["127.0.0.1:2222"])
    try:
        started = health.session_started()
        health.session_ended(started, "idle")
        health.refuse("rate")
        url = f"http://{health.metrics_address}/metrics"
        text = await asyncio.to_thread(lambda: urllib.request.urlopen(url, timeout=10).read().decode())
        assert 'kiosk_door_sessions_total{door="ssh"} 1.0' in text
        assert 'kiosk_door_refused_total{door="ssh",reason="rate"} 1.0' in text
        assert 'kiosk_door_session_duration_seconds_bucket{door="ssh",le="5.0"} 1.0' in text
        assert 'kiosk_packs{status="loaded"}' in text
        health.reload("")  # a reload without an address stops serving
        assert health.metrics_address is None
    finally:
        await health.stop()


def test_a_metrics_address_in_use_is_an_error_that_names_it(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        health = DoorHealth("web", config_path=tmp_path / "kiosk.toml", metrics_listen=f"127.0.0.1:{port}")
        with pytest.raises(MetricsError, match=f"cannot serve metrics on 127.0.0.1:{port}"):
            health.start_metrics()


def test_a_web_reload_that_fails_unexpectedly_is_logged_and_the_door_goes_on(caplog):
    from kiosk.web import build_server

    server = build_server("exec true")

    def broken() -> None:
        raise RuntimeError("the disk went away")

    server.on_reload = broken
    with caplog.at_level("ERROR", logger="kiosk.web"):
        server.reload()
    assert "reload failed (RuntimeError: the disk went away); kiosk web goes on" in caplog.text
