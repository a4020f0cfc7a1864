"""The operator log goes to the journal under systemd, never to the kiosk's terminal, and carries no
control characters, no unbounded text and no local variables."""

from __future__ import annotations

import os
import stat

import pytest
from fakejournal import FakeJournal, parse_datagram
from helpers import run_python

from kiosk import oplog

ESC_TEXT = "pack 'x\x1b]0;owned\x07' could not be loaded:\nline two\tand\x9b2J a tab"


@pytest.fixture
def clean(monkeypatch, tmp_path):
    """No systemd in sight, the screen not yet taken, the state folder in tmp_path."""
    for name in ("INVOCATION_ID", "JOURNAL_STREAM", oplog.ENV_JOURNAL_SOCKET):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setattr(oplog, "_screen_taken", False)
    monkeypatch.setattr(oplog, "_journal", None)
    return tmp_path


@pytest.fixture
def journal(clean, monkeypatch):
    """Under systemd with the console unit's layout: no journal stream, a journal socket."""
    with FakeJournal() as fake:
        monkeypatch.setenv("INVOCATION_ID", "0123456789abcdef0123456789abcdef")
        monkeypatch.setenv(oplog.ENV_JOURNAL_SOCKET, str(fake.path))
        yield fake


def stderr_identity() -> str:
    st = os.fstat(2)
    return f"{st.st_dev}:{st.st_ino}"


def test_the_route_follows_systemd_and_the_screen(clean, monkeypatch, capfd):
    assert oplog.route() == oplog.STDERR
    oplog.screen_taken()
    assert oplog.route() == oplog.FILE
    monkeypatch.setenv("INVOCATION_ID", "abc")
    assert oplog.route() == oplog.JOURNAL
    monkeypatch.delenv("INVOCATION_ID")
    monkeypatch.setenv("JOURNAL_STREAM", "1:2")  # systemd's, but for standard output: not ours
    assert oplog.route() == oplog.JOURNAL
    monkeypatch.setenv("JOURNAL_STREAM", stderr_identity())
    assert oplog.route() == oplog.JOURNAL_STREAM
    monkeypatch.delenv("JOURNAL_STREAM")
    monkeypatch.setenv(oplog.ENV_JOURNAL_SOCKET, "/some/socket")  # a test's stand-in journal
    assert oplog.route() == oplog.JOURNAL


def test_under_systemd_a_notice_is_a_journal_entry_and_never_reaches_the_terminal(journal, capfd):
    oplog.notice("/etc/wallet-kiosk/kiosk.toml:1: not valid TOML")
    [entry] = journal.wait_for(lambda entries: entries)
    assert entry == {
        "MESSAGE": "/etc/wallet-kiosk/kiosk.toml:1: not valid TOML",
        "PRIORITY": "5",
        "SYSLOG_IDENTIFIER": "wallet-kiosk",
        "KIOSK_EVENT": "notice",
    }
    out, err = capfd.readouterr()
    assert out == err == ""
    assert not oplog.log_file().exists()


def test_an_event_carries_its_fields(journal, capfd):
    oplog.event("staff_login", priority=oplog.WARNING, outcome="refused", tries_left=3, locked=False)
    [entry] = journal.wait_for(lambda entries: entries)
    assert entry["MESSAGE"] == "staff_login outcome=refused tries_left=3 locked=false"
    assert entry["PRIORITY"] == "4"
    assert entry["KIOSK_EVENT"] == "staff_login"
    assert (entry["KIOSK_OUTCOME"], entry["KIOSK_TRIES_LEFT"], entry["KIOSK_LOCKED"]) == ("refused", "3", "false")
    assert capfd.readouterr().err == ""


def test_nothing_written_holds_control_characters_or_unbounded_text(journal, capfd):
    oplog.notice(ESC_TEXT + "x" * 10_000)
    oplog.event("pack_quarantined", pack=ESC_TEXT, reason="y" * 10_000)
    entries = journal.wait_for(lambda entries: len(entries) == 2)
    for entry in entries:
        for name, value in entry.items():
            assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in value), (name, value)
    notice, event = entries
    assert notice["MESSAGE"].startswith(
        "pack 'x\ufffd]0;owned\ufffd' could not be loaded: ⏎ line two and\ufffd2J a tab"
    )
    assert len(notice["MESSAGE"]) == oplog.MAX_TEXT and notice["MESSAGE"].endswith("…")
    assert len(event["KIOSK_REASON"]) == oplog.MAX_VALUE
    assert event["MESSAGE"].startswith("pack_quarantined pack=\"pack 'x\ufffd]0;owned")


def test_event_names_and_fields_are_checked():
    with pytest.raises(ValueError, match="lowercase identifier"):
        oplog.event("Staff Login")
    with pytest.raises(ValueError, match="reserved"):
        oplog.event("staff_login", event="x")
    with pytest.raises(ValueError, match="syslog priority"):
        oplog.event("staff_login", priority=9)


def raise_with_a_secret_in_a_local() -> None:
    typed_pin = "493817"  # noqa: F841 (a local variable the traceback must not show)
    raise ValueError("scrypt parameters out of range")


def test_an_exception_is_logged_with_its_traceback_and_without_local_variables(journal, capfd):
    try:
        raise_with_a_secret_in_a_local()
    except ValueError as exc:
        oplog.exception("the kiosk stopped on an unexpected error", exc)
    [entry] = journal.wait_for(lambda entries: entries)
    message = entry["MESSAGE"]
    lines = message.split("\n")  # a multi-line value, sent in the protocol's length-prefixed form
    assert lines[0] == "the kiosk stopped on an unexpected error"
    assert lines[1] == "Traceback (most recent call last):"
    assert any("in raise_with_a_secret_in_a_local" in line for line in lines)
    assert lines[-1] == "ValueError: scrypt parameters out of range"
    assert "493817" not in message and "typed_pin" not in message
    assert (entry["PRIORITY"], entry["KIOSK_EVENT"], entry["KIOSK_EXCEPTION"]) == ("3", "exception", "ValueError")
    assert capfd.readouterr().err == ""


def test_a_long_traceback_is_bounded_and_keeps_where_it_failed(journal):
    cause: Exception | None = None
    for step in range(300):  # a chain of 300 exceptions, each raised while handling the last
        try:
            raise ValueError(f"step {step}") from cause
        except ValueError as exc:
            cause = exc
    try:
        raise RuntimeError("at the bottom") from cause
    except RuntimeError as exc:
        oplog.exception("crash", exc)
    [entry] = journal.wait_for(lambda entries: entries)
    lines = entry["MESSAGE"].split("\n")
    assert len(lines) <= oplog.MAX_TRACEBACK_LINES + 2
    assert len(entry["MESSAGE"]) <= oplog.MAX_TRACEBACK_CHARS + oplog.MAX_TEXT + 500
    assert lines[-1] == "RuntimeError: at the bottom"
    assert any(line.startswith("... (") and line.endswith("lines left out)") for line in lines)


def test_before_the_screen_is_taken_messages_go_to_standard_error(clean, capfd):
    oplog.notice(ESC_TEXT)
    err = capfd.readouterr().err
    assert err == "kiosk: pack 'x\ufffd]0;owned\ufffd' could not be loaded: ⏎ line two and\ufffd2J a tab\n"
    assert not oplog.log_file().exists()


def test_where_standard_error_is_the_journal_lines_carry_their_priority(clean, monkeypatch, capfd):
    monkeypatch.setenv("JOURNAL_STREAM", stderr_identity())
    monkeypatch.setenv("INVOCATION_ID", "abc")
    oplog.screen_taken()  # the journal is no screen: still standard error
    oplog.notice("pack 'x' could not be loaded")
    try:
        raise KeyError("k")
    except KeyError as exc:
        oplog.exception("crash", exc)
    err = capfd.readouterr().err.splitlines()
    assert err[0] == "<5>kiosk: pack 'x' could not be loaded"
    assert err[1] == "<3>kiosk: crash"
    assert err[2] == "<3>kiosk: Traceback (most recent call last):"
    assert err[-1] == "<3>kiosk: KeyError: 'k'"


def test_once_the_screen_is_taken_messages_go_to_a_private_file(clean, capfd):
    oplog.screen_taken()
    oplog.notice(ESC_TEXT)
    oplog.event("staff_exit", code=10)
    assert capfd.readouterr().err == ""
    path = oplog.log_file()
    assert path == clean / "state" / "wallet-kiosk" / "operator.log"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    assert lines[0].endswith(
        f"[{os.getpid()}] notice: pack 'x\ufffd]0;owned\ufffd' could not be loaded: ⏎ line two and\ufffd2J a tab"
    )
    assert lines[1].endswith("info: staff_exit code=10")


def test_the_file_is_kept_private_and_bounded(clean):
    oplog.screen_taken()
    path = oplog.log_file()
    path.parent.mkdir(parents=True)
    path.write_text("old\n", encoding="utf-8")
    path.chmod(0o644)
    oplog.notice("one")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.write_bytes(b"x" * (oplog.MAX_FILE_BYTES + 1))
    oplog.notice("two")
    assert path.read_text(encoding="utf-8").endswith("notice: two\n") and path.stat().st_size < 200
    assert path.with_name("operator.log.1").stat().st_size == oplog.MAX_FILE_BYTES + 1


def test_a_symlinked_log_file_is_not_followed(clean):
    oplog.screen_taken()
    path = oplog.log_file()
    path.parent.mkdir(parents=True)
    target = clean / "elsewhere"
    target.write_text("", encoding="utf-8")
    path.symlink_to(target)
    oplog.notice("one")  # dropped: nowhere safe to write, and no exception either
    assert target.read_text(encoding="utf-8") == ""


def test_without_a_reachable_journal_the_file_is_used_never_the_terminal(clean, monkeypatch, capfd):
    monkeypatch.setenv("INVOCATION_ID", "abc")
    monkeypatch.setenv(oplog.ENV_JOURNAL_SOCKET, str(clean / "no-such-socket"))
    oplog.notice("pack 'x' could not be loaded")
    assert capfd.readouterr().err == ""
    assert oplog.log_file().read_text(encoding="utf-8").endswith("notice: pack 'x' could not be loaded\n")


def test_the_fake_journal_parses_both_field_forms():
    data = b"MESSAGE\n" + (7).to_bytes(8, "little") + b"a\nb\nc d\nPRIORITY=5\n"
    assert parse_datagram(data) == {"MESSAGE": "a\nb\nc d", "PRIORITY": "5"}
    with pytest.raises(ValueError):
        parse_datagram(b"_PID=1\n")


def test_the_operator_log_needs_nothing_but_the_standard_library():
    result = run_python(
        """
        import sys
        import kiosk  # the package itself (its hook marker needs pluggy)
        before = set(sys.modules)
        import kiosk.oplog
        new = sorted(m for m in set(sys.modules) - before if m.split(".")[0] not in sys.stdlib_module_names)
        print(new)
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['kiosk.oplog', 'kiosk.textsafety']"
