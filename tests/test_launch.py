"""The real `kiosk` command in a real terminal: clean environment, no way out, staff warnings."""

from __future__ import annotations

import datetime
import os
import pty
import select
import signal
import subprocess
import sys
import time

import pytest

from kiosk.launch import prepare, scrub_textual_environment
from kiosk.profile import Profile

pytestmark = pytest.mark.slow


class Terminal:
    """`kiosk` running on a pseudo-terminal, as on a branch console."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        os.set_blocking(self.master, False)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.output = b""

    def read_until(self, needle: bytes, timeout: float = 30) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.output:
                return True
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:
                    return needle in self.output
            elif self.proc.poll() is not None:
                return needle in self.output
        return needle in self.output

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def wait_for_exit(self, timeout: float = 15) -> int:
        """The exit code, reading the screen meanwhile: a terminal nobody reads stops the app
        when its output buffer fills, as a real terminal never would."""
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None:
            if time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(self.proc.args, timeout)
            self.read_until(b"\0" * 8, timeout=0.2)
        return self.proc.returncode

    def close(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        os.close(self.master)
        return self.proc.returncode


def kiosk_env(tmp_path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "TEXTUAL"))}
    env.update(
        HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        TERM="xterm-256color",
        LANG="C.UTF-8",
        COLUMNS="100",
        LINES="30",
    )
    env.update(extra)
    return env


def test_scrub_removes_every_textual_variable():
    environ = {"TEXTUAL_DRIVER": "x", "TEXTUAL": "devtools", "TEXTUAL_ALLOW_SIGNALS": "1", "TERM": "linux"}
    assert scrub_textual_environment(environ) == ["TEXTUAL", "TEXTUAL_ALLOW_SIGNALS", "TEXTUAL_DRIVER"]
    assert environ == {"TERM": "linux"}


@pytest.mark.parametrize(
    "args, profile", [([], Profile.KIOSK), (["--no-kiosk"], Profile.DEVELOPMENT), (["--remote"], Profile.REMOTE)]
)
def test_the_command_line_decides_the_profile(args, profile):
    from kiosk.cli import build_parser

    assert build_parser().parse_args(args).profile is profile


#: Keys that leave an ordinary terminal program: Ctrl+C, Ctrl+Z, Ctrl+\\, Ctrl+Q, Ctrl+P, Ctrl+D, F1,
#: F10, and a bare Escape followed by Alt+F4 (sent together: another key right after an Escape
#: is what tells the kiosk it was a bare one, and a language switch would read as Alt+Ctrl+L).
WAYS_OUT = (b"\x03", b"\x1a", b"\x1c", b"\x11", b"\x10", b"\x04", b"\x1bOP", b"\x1b[21~", b"\x1b\x1b[1;3S")
#: What the home and search screens show in English and in Chinese (the default).
TITLES = (b"Wallet Help Kiosk", "钱包自助服务".encode())
SEARCH = (b"Search", "搜索".encode())


def test_kiosk_ignores_environment_overrides_and_every_way_out(tmp_path):
    env = kiosk_env(
        tmp_path, TEXTUAL_DRIVER="no.such.module:Driver", TEXTUAL_ALLOW_SIGNALS="1", TEXTUAL="devtools,debug"
    )
    term = Terminal([], env)
    try:
        assert term.read_until(TITLES[1]), term.output[-2000:]
        for turn, keys in enumerate(WAYS_OUT):
            term.send(keys)
            # Then the language switch: once its title shows, the kiosk has handled the keys
            # before it (they arrive in order) and is still answering. No blind waiting.
            term.output = b""
            term.send(b"\x0c")  # Ctrl+L
            assert term.read_until(TITLES[turn % 2], timeout=15), (keys, term.output[-2000:])
            assert b"\x1b[?1049l" not in term.output, f"{keys!r} made the kiosk leave its screen"
        term.output = b""
        term.send(b"/")  # the kiosk still answers: the search screen opens
        assert term.read_until(SEARCH[(len(WAYS_OUT) - 1) % 2], timeout=10), term.output[-2000:]
        assert term.proc.poll() is None, "the kiosk exited"
    finally:
        term.close()


def test_broken_config_still_starts_and_warns_staff(tmp_path):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text("idle_timeout = = 3\n", encoding="utf-8")
    term = Terminal(["--config", str(cfg)], kiosk_env(tmp_path))
    try:
        assert term.read_until("工作人员提示".encode()), term.output[-2000:]
        assert term.proc.poll() is None
    finally:
        term.close()


def test_development_mode_can_be_quit(tmp_path):
    term = Terminal(["--no-kiosk"], kiosk_env(tmp_path))
    try:
        assert term.read_until("钱包自助服务".encode())
        term.send(b"\x11")  # Ctrl+Q
        term.wait_for_exit(15)
        assert term.proc.returncode == 0
    finally:
        term.close()


def test_prepare_merges_config_and_environment(tmp_path):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text('pack_block = ["wechat"]\nidle_timeout = 5\n', encoding="utf-8")
    prepared = prepare(cfg, {"KIOSK_PACKS_BLOCK": "applepay"})
    loaded = {p.id for p in prepared.packs.packs}
    assert "wechat" not in loaded and "applepay" not in loaded and "alipay" in loaded
    assert prepared.settings.idle_timeout == 90  # the bad value is replaced by the safe default
    assert any("idle_timeout: 5 is outside 30-3600 seconds" in n for n in prepared.notices)


def test_a_terminal_that_hangs_up_ends_the_kiosk(tmp_path):
    """Closing the terminal without a SIGHUP reaching the kiosk (it is not in the terminal's
    foreground group here) must still end it, for the supervisor to start a fresh one, rather
    than leave it reading a dead terminal for ever."""
    term = Terminal([], kiosk_env(tmp_path))
    try:
        assert term.read_until("钱包自助服务".encode())
        os.close(term.master)
        term.master = os.open(os.devnull, os.O_RDONLY)  # for close() below
        term.proc.wait(15)
        assert term.proc.returncode == 13  # kiosk.exitcodes.TERMINAL_LOST
    finally:
        term.close()


def test_hang_up_detection_on_terminals_and_pipes():
    from kiosk.ui.app import input_hung_up

    master, slave = pty.openpty()
    assert not input_hung_up(slave)
    os.write(master, b"x")
    assert not input_hung_up(slave)  # waiting input is not a hang-up
    os.close(master)
    assert input_hung_up(slave)
    os.close(slave)
    read_end, write_end = os.pipe()
    assert not input_hung_up(read_end)
    os.close(write_end)
    assert input_hung_up(read_end)
    os.close(read_end)
    assert input_hung_up(read_end)  # a closed descriptor counts as gone


def test_prepare_returns_the_packs_in_the_operators_order(tmp_path):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text('pack_order = ["wechat", "applepay"]\n', encoding="utf-8")
    discovered = [p.id for p in prepare(tmp_path / "none.toml", {}).packs.packs]
    ordered = [p.id for p in prepare(cfg, {}).packs.packs]
    assert ordered[:2] == ["wechat", "applepay"]
    assert ordered[2:] == [i for i in discovered if i not in ("wechat", "applepay")]  # the rest keep their order
    assert sorted(ordered) == sorted(discovered)


def test_in_operator_order_is_stable_and_idempotent(tmp_path):
    from kiosk.builtin import BUNDLED_WALLETS
    from kiosk.launch import in_operator_order
    from kiosk.packset import PackSet

    packs = prepare(tmp_path / "none.toml", {}).packs
    ids = [p.id for p in packs.packs]
    # Without an operator's order: the general pack, then the bundled wallets in their shipped order.
    assert ids == ["general", *BUNDLED_WALLETS]
    once = in_operator_order(packs, ("unionpay", "no-such-pack", "wechat"))
    assert [p.id for p in once.packs] == ["unionpay", "wechat", "general", "alipay", "applepay", "ecny"]
    assert in_operator_order(once, ("unionpay", "no-such-pack", "wechat")).packs == once.packs
    assert in_operator_order(packs, ()).packs == packs.packs
    assert isinstance(once, PackSet) and once.records == packs.records


def test_build_app_is_the_app_of_the_prepared_packs_in_their_order(tmp_path):
    from kiosk.clock import FixedClock
    from kiosk.launch import build_app
    from kiosk.search import SearchIndex

    cfg = tmp_path / "kiosk.toml"
    cfg.write_text('pack_order = ["applepay"]\nidle_timeout = 5\n', encoding="utf-8")
    prepared = prepare(cfg, {})
    index = SearchIndex.build(prepared.packs.packs)
    clock = FixedClock(datetime.datetime(2026, 11, 23, 10, 30, tzinfo=datetime.UTC))
    app = build_app(prepared, Profile.REMOTE, search_index=index, clock=clock)
    assert app.packs.packs == prepared.packs.packs and app.packs.packs[0].id == "applepay"
    assert app.search_index is index  # shared, not rebuilt: it indexes the same packs in the same order
    assert app.profile is Profile.REMOTE and app.clock is clock and app.settings is prepared.settings
    assert app.notices == ()  # a remote session's notices go to its front door's log instead
    kiosk_app = build_app(prepared, Profile.KIOSK)
    assert kiosk_app.notices == prepared.notices and kiosk_app.notices


ENTER_PROFILE = """
import os, signal, sys
from kiosk.launch import enter_profile
from kiosk.profile import Profile
if sys.argv[1] != "none":
    enter_profile(Profile(sys.argv[1]))
print(sorted(name for name in os.environ if name.startswith("TEXTUAL")))
for name in sys.argv[2:]:
    os.kill(os.getpid(), getattr(signal, name))
print("still here")
"""


def enter_profile_and_signal(profile: str, *signals: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    env["TEXTUAL_DRIVER"] = "textual.drivers.web_driver:WebDriver"
    return subprocess.run(
        [sys.executable, "-c", ENTER_PROFILE, profile, *signals], capture_output=True, text=True, env=env, timeout=60
    )


@pytest.mark.parametrize(
    "profile, signals, textual",
    [
        ("remote", ["SIGUSR1"], ["TEXTUAL_DRIVER"]),  # a web tab's driver variable must stay
        ("kiosk", ["SIGINT", "SIGQUIT", "SIGTSTP"], []),
    ],
)
def test_entering_a_profile_sets_up_signals_and_environment(profile, signals, textual):
    result = enter_profile_and_signal(profile, *signals)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [str(textual), "still here"]


def test_without_the_remote_profile_the_ending_soon_signal_would_end_the_process():
    """So the check above can fail: SIGUSR1's default action ends a process."""
    assert enter_profile_and_signal("none", "SIGUSR1").returncode == -signal.SIGUSR1
