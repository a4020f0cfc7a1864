"""The console unit works as shipped: its command, run with exactly the unit's standard input,
output and error (a terminal where it says tty, a captured log stream where it says journal),
shows the kiosk on the terminal, sends no screen output to the log, and its notices reach the
journal by the journal's own socket.

PID 1 here is not systemd, so the unit itself cannot be started; this does what systemd does
for it: the same descriptors, the same environment (Environment=, the directories, HOME,
INVOCATION_ID, and JOURNAL_STREAM when a stream is the journal), the same working directory.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import select
import shlex
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pyte
import pytest
from fakejournal import FakeJournal
from systemd_units import CONSOLE_UNIT, Unit, expand, read_unit

from kiosk import oplog

pytestmark = pytest.mark.slow

TTY_INPUTS = {"tty", "tty-force", "tty-fail"}
LOG_OUTPUTS = {"journal", "journal+console", "kmsg", "kmsg+console", "syslog", "syslog+console"}
COLUMNS, LINES = 100, 30
HOME_TITLE = "钱包自助服务"


def stdio_arrangement(unit: Unit) -> tuple[str, str, str]:
    """("tty" | "log" | "null") for standard input, output and error, with systemd's defaults."""
    stdin = unit.value("StandardInput") or "null"
    stdout = unit.value("StandardOutput") or ("inherit" if stdin in TTY_INPUTS else "journal")
    stderr = unit.value("StandardError") or "inherit"

    def kind(setting: str, inherited: str) -> str:
        if setting == "inherit":
            return inherited
        if setting in TTY_INPUTS or setting == "tty":
            return "tty"
        if setting in LOG_OUTPUTS:
            return "log"
        if setting == "null":
            return "null"
        pytest.fail(f"{unit.path.name}: this test does not know the stream setting {setting!r}")

    stdin_kind = kind(stdin, "null")
    stdout_kind = kind(stdout, stdin_kind)
    return stdin_kind, stdout_kind, kind(stderr, stdout_kind)


def test_the_arrangement_is_read_as_systemd_reads_it(tmp_path):
    def arrangement(text: str) -> tuple[str, str, str]:
        path = tmp_path / "x.service"
        path.write_text(f"[Service]\n{text}\n", encoding="utf-8")
        return stdio_arrangement(read_unit(path))

    assert arrangement("") == ("null", "log", "log")
    assert arrangement("StandardInput=tty-force") == ("tty", "tty", "tty")
    # The console unit before this test existed: Textual draws on standard error, into the log.
    assert arrangement("StandardInput=tty-force\nStandardOutput=tty\nStandardError=journal") == ("tty", "tty", "log")


class ConsoleRun:
    """The unit's ExecStart, with this environment's `kiosk`, on a pseudo-terminal as its tty."""

    def __init__(self, unit: Unit, root: Path, config: Path, journal: FakeJournal) -> None:
        specifiers = {"%S": str(root / "var/lib"), "%C": str(root / "var/cache"), "%E": str(root / "etc")}
        directories = {
            "StateDirectory": ("STATE_DIRECTORY", "%S"),
            "CacheDirectory": ("CACHE_DIRECTORY", "%C"),
            "ConfigurationDirectory": ("CONFIGURATION_DIRECTORY", "%E"),
        }
        home = root / "home"
        home.mkdir()
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": str(home),
            "USER": "kiosk",
            "LOGNAME": "kiosk",
            "SHELL": "/usr/sbin/nologin",
            "INVOCATION_ID": secrets.token_hex(16),
            oplog.ENV_JOURNAL_SOCKET: str(journal.path),
        }
        for key, (variable, base) in directories.items():
            names = unit.values(key)
            for name in names:
                (Path(specifiers[base]) / name).mkdir(parents=True, exist_ok=True)
            if names:
                env[variable] = ":".join(str(Path(specifiers[base]) / name) for name in names)
        env.update(unit.environment(specifiers))
        cwd = Path(expand((unit.value("WorkingDirectory") or "/").lstrip("-"), specifiers).replace("~", str(home), 1))
        if not cwd.is_relative_to(root):  # a literal path such as /var/lib/wallet-kiosk: the same under root
            cwd = root / cwd.relative_to("/")
        cwd.mkdir(parents=True, exist_ok=True)

        argv = shlex.split(unit.value("ExecStart") or "")
        assert Path(argv[0]).name == "kiosk"
        argv[0] = str(Path(sys.executable).parent / "kiosk")
        argv[argv.index("--config") + 1] = str(config)

        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        self.log_read, log_write = os.pipe()
        os.set_blocking(self.master, False)
        os.set_blocking(self.log_read, False)
        fds = {"tty": slave, "log": log_write, "null": os.open(os.devnull, os.O_RDWR)}
        self.arrangement = stdio_arrangement(unit)
        if "log" in self.arrangement:  # systemd tells the service which stream is the journal
            st = os.fstat(log_write)
            env["JOURNAL_STREAM"] = f"{st.st_dev}:{st.st_ino}"
        tty_input = self.arrangement[0] == "tty"

        def controlling_terminal() -> None:  # what StandardInput=tty-force does
            if tty_input:
                fcntl.ioctl(0, termios.TIOCSCTTY, 1)

        stdin, stdout, stderr = (fds[kind] for kind in self.arrangement)
        self.proc = subprocess.Popen(
            argv,
            stdin=stdin,
            stdout=stdout,
            stderr=stderr,
            env=env,
            cwd=cwd,
            start_new_session=True,
            preexec_fn=controlling_terminal,
        )
        for fd in fds.values():
            os.close(fd)
        self.screen = pyte.Screen(COLUMNS, LINES)
        self.stream = pyte.ByteStream(self.screen)
        self.tty_bytes = b""
        self.log_stream = b""

    def pump(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.master, self.log_read], [], [], 0.1)
            for fd in ready:
                try:
                    data = os.read(fd, 65536)
                except OSError:  # the terminal closed
                    data = b""
                if fd == self.master:
                    self.tty_bytes += data
                    self.stream.feed(data)
                else:
                    self.log_stream += data

    def text(self) -> str:
        return "\n".join("".join(cell.data for cell in self.screen.buffer[y].values()) for y in range(LINES))

    def wait_until(self, shown, timeout: float = 45) -> bool:
        """Until shown(screen text) holds (or the kiosk exits, or the time is up)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump(0.2)
            if shown(self.text()):
                return True
            if self.proc.poll() is not None:
                self.pump(0.5)
                return shown(self.text())
        return False

    def wait_for(self, text: str, timeout: float = 45) -> bool:
        return self.wait_until(lambda screen: text in screen, timeout)

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.pump(0.3)
        os.close(self.master)
        os.close(self.log_read)


def test_the_console_unit_shows_the_kiosk_on_its_terminal_and_its_notices_in_the_journal(tmp_path):
    unit = read_unit(CONSOLE_UNIT)
    config = tmp_path / "kiosk.toml"
    config.write_text("idle_timeout = = 3\n", encoding="utf-8")  # a broken file: a notice for the operator
    with FakeJournal() as journal:
        run = ConsoleRun(unit, tmp_path, config, journal)
        try:
            shown = run.wait_for(HOME_TITLE)
            log_so_far = run.log_stream
            assert shown, (
                f"no home screen on the unit's terminal (stdin, stdout, stderr = {run.arrangement}); "
                f"the log stream got {len(log_so_far)} bytes: {log_so_far[:300]!r}"
            )
            # The kiosk measured the real terminal (standard output is the tty), so it fills it:
            # the footer comes to the last line, not to the 24th of an assumed 80x24.
            assert run.wait_until(lambda text: text.split("\n")[LINES - 1].strip(), timeout=15), run.text()
            run.send(b"/")  # one key: the search screen is drawn on the terminal too
            assert run.wait_for("搜索"), run.text()
            entries = journal.wait_for(lambda found: any("not valid TOML" in e.get("MESSAGE", "") for e in found))
            run.pump(0.5)
        finally:
            run.stop()
    assert run.log_stream == b"", f"the log stream got screen output: {run.log_stream[:300]!r}"
    notices = [e for e in entries if "not valid TOML" in e.get("MESSAGE", "")]
    assert notices, f"no notice reached the journal: {entries}"
    [notice] = notices
    assert notice["MESSAGE"].startswith(f"{config}:1: not valid TOML")
    assert (notice["PRIORITY"], notice["SYSLOG_IDENTIFIER"], notice["KIOSK_EVENT"]) == ("5", "wallet-kiosk", "notice")
    assert any("safe defaults" in e["MESSAGE"] for e in entries)
    # The notice went to the journal only: the terminal (which keeps what was written before
    # the kiosk's screen opened) never had the operator's log line. (The home screen's own
    # staff notice line is the kiosk's business, not the log's.)
    assert b"kiosk: " not in run.tty_bytes
