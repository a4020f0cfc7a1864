"""The access log: one line per connection, in a fixed shape, that a client cannot forge."""

from __future__ import annotations

import os
import re
import stat

from kiosk.ssh.accesslog import AccessLog, ConnectionRecord

LINE = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ kiosk-ssh address=(?P<address>\S+) port=(?P<port>\d+) "
    r"auth=(?P<auth>\S+) key=(?P<key>\S+) term=(?P<term>\S+) size=(?P<size>\S+) "
    r'duration=(?P<duration>\d+\.\d)s(?: refused=(?P<refused>\S+))? exit="(?P<exit>[^"]*)"$'
)


def test_a_line_says_who_how_what_terminal_how_long_and_how_it_ended():
    record = ConnectionRecord("192.0.2.7", 50022, "password", started=100.0)
    record.term, record.size, record.exit = "xterm-256color", "80x24", "customer quit"
    record.key = "SHA256:rO3pdXYx0Sd3pfsfE2ZTBLQ/54Lf8bnWXaAklkNcQkY"
    match = LINE.match(record.line(now=112.34))
    assert match, record.line(now=112.34)
    assert match.groupdict() == {
        "address": "192.0.2.7",
        "port": "50022",
        "auth": "password",
        "key": "SHA256:rO3pdXYx0Sd3pfsfE2ZTBLQ/54Lf8bnWXaAklkNcQkY",
        "term": "xterm-256color",
        "size": "80x24",
        "duration": "12.3",
        "refused": None,
        "exit": "customer quit",
    }


def test_until_told_otherwise_a_connection_was_disconnected():
    record = ConnectionRecord("192.0.2.7", 1, "open", started=0.0)
    assert record.line(now=0.0).endswith('key=- term=- size=- duration=0.0s exit="disconnected"')


def test_requests_refused_on_a_connection_that_went_on_are_listed_once():
    record = ConnectionRecord("192.0.2.7", 1, "open", started=0.0)
    record.refused += ["forwarding", "forwarding"]
    match = LINE.match(record.line(now=0.0))
    assert match and match["refused"] == "forwarding" and match["exit"] == "disconnected"


def test_a_terminal_name_from_the_client_cannot_forge_a_line_or_an_escape(tmp_path):
    path = tmp_path / "access.log"
    log = AccessLog(str(path))
    record = ConnectionRecord("192.0.2.7", 1, "open")
    record.term = 'x\x1b]0;evil\x07\nexit="fake" ' + "y" * 100
    log.write(record)
    log.close()
    [line] = path.read_text(encoding="utf-8").splitlines()
    assert "\x1b" not in line and "\x07" not in line
    match = LINE.match(line)
    assert match and match["exit"] == "disconnected"
    assert match["term"].startswith("x?]0;evil??exit=?fake??") and len(match["term"]) == 64


def test_the_file_is_appended_to_one_line_at_a_time_and_not_world_readable(tmp_path):
    path = tmp_path / "access.log"
    path.write_text("an earlier line\n", encoding="utf-8")
    os.chmod(path, 0o600)
    log = AccessLog(str(path))
    log.write(ConnectionRecord("192.0.2.1", 1, "open"))
    assert len(path.read_text(encoding="utf-8").splitlines()) == 2  # on disk at once, not at close
    log.write(ConnectionRecord("192.0.2.2", 2, "open"))
    log.close()
    log.close()  # harmless
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "an earlier line" and "address=192.0.2.2" in lines[2]
    fresh = tmp_path / "new.log"
    AccessLog(str(fresh)).close()
    assert stat.S_IMODE(fresh.stat().st_mode) & 0o007 == 0


def test_dash_is_standard_error(capsys):
    AccessLog("-").write(ConnectionRecord("192.0.2.1", 1, "keys"))
    captured = capsys.readouterr()
    assert captured.out == "" and LINE.match(captured.err.rstrip("\n"))


def test_a_full_disk_does_not_take_the_help_line_down():
    log = AccessLog("/dev/full")
    log.write(ConnectionRecord("192.0.2.1", 1, "open"))  # ENOSPC, swallowed
    log.close()
