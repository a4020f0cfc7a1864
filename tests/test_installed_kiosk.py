"""The installed `kiosk` command on a real pseudo-terminal, used as customers and an attacker would.

Every test here starts the console script pip installed (tests/console.py) and reads the screen
through a terminal emulator. The walk starts twice with one HOME, so the second start reads
its packs from the pack cache, as every start after the first one at a branch does.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time

import pytest
from console import DOWN, ENTER, ESCAPE, KIOSK, Console, console_env
from helpers import INJECTED_SECRET, failing_start_site, failing_take_home_site, hostile_packs_folder

pytestmark = pytest.mark.slow

HOME_TITLE = "钱包自助服务"
HOME_PROMPT = "请选择您的钱包"
HOME_KEY = b"\x1b[H"
SORRY = ("很抱歉，自助机出了点问题，正在重新开始。", "Sorry, something went wrong. The kiosk is starting again.")


def no_traceback(console: Console) -> None:
    screen = console.text()
    for sign in ("Traceback", "Error:", "site-packages", ".py:"):
        assert sign not in screen, f"{sign!r} on the customer's screen:\n{screen}"


def write_config(home, text: str) -> str:
    path = home / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def operator_log(home) -> str:
    path = home / ".local" / "state" / "wallet-kiosk" / "operator.log"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def test_a_warm_start_walks_a_whole_visit_to_the_idle_reset(tmp_path):
    """wallet → problem → guide → take-home code → back → number check → search → idle reset."""
    config = write_config(tmp_path, "idle_timeout = 30\nidle_warning = 20\n")
    env = console_env(tmp_path)
    cold = Console(["--config", config], env)
    try:
        cold.wait_for(HOME_PROMPT)
    finally:
        cold.close()
    assert list((tmp_path / ".cache" / "wallet-kiosk" / "packs").glob("*.pickle")), "the first start cached nothing"

    kiosk = Console(["--config", config], env)  # locked down: the branch terminal's own command
    try:
        kiosk.wait_for(HOME_PROMPT)
        kiosk.press(b"3")
        kiosk.wait_for("官方联系方式")
        kiosk.press(b"g")
        kiosk.wait_for("常见问题")
        kiosk.press(DOWN, DOWN, ENTER)
        kiosk.wait_for("第 1 步")
        kiosk.press(b"s")
        kiosk.wait_for("扫码带走")
        kiosk.press(b"t")
        screen = kiosk.wait_for("电话 95017")
        assert "█" in screen and "▀" in screen  # the code itself is drawn
        kiosk.press(ESCAPE)
        kiosk.wait_for("太好了，问题已解决")
        kiosk.press(HOME_KEY)
        kiosk.wait_for(HOME_PROMPT)
        kiosk.press(b"6")  # the help tiles keep their digits: 6 is the number check
        kiosk.press(*[bytes([digit]) for digit in b"95188"], ENTER)
        kiosk.wait_for("请先选一下这个号码是怎么来的")  # no verdict until the customer says how it came
        kiosk.press(ENTER)  # the question has the focus: Enter picks its first answer, "it called me"
        kiosk.wait_for("官方号码")
        kiosk.press(HOME_KEY, b"/")
        kiosk.press(b"z", b"f", b"m", b"m", settle=0.2)
        kiosk.wait_for("找到")
        no_traceback(kiosk)
        started_idle = time.monotonic()
        kiosk.wait_for("您还在吗", timeout=40)
        kiosk.wait_for(HOME_PROMPT, timeout=40)
        assert time.monotonic() - started_idle >= 45  # 30 s idle, then the 20 s countdown
        assert "zfmm" not in kiosk.text()
        assert kiosk.alive()
        no_traceback(kiosk)
    finally:
        kiosk.close()


@pytest.mark.parametrize(
    "data",
    [b"\xff", b"\x9b", b"\xc3", b"a\xff\xfeb", b"\x1b[200~\xff\x9b\x1b[201~"],
    ids=["0xFF", "C1-CSI-0x9B", "cut-sequence", "mixed", "in-a-paste"],
)
def test_bytes_that_are_not_utf8_do_not_end_the_locked_down_kiosk(tmp_path, data):
    kiosk = Console([], console_env(tmp_path))
    try:
        kiosk.wait_for(HOME_PROMPT)
        kiosk.press(data, settle=0.5)
        kiosk.press(b"/")  # and it still takes keys
        kiosk.wait_for("zfmm")
        assert kiosk.alive(), kiosk.text()
        no_traceback(kiosk)
    finally:
        kiosk.close()


def test_an_unexpected_error_shows_sorry_logs_without_locals_and_exits_14(tmp_path):
    """The take-home code is broken on purpose (a pack plugin replaces it; see helpers)."""
    site = failing_take_home_site(tmp_path / "site")
    env = console_env(tmp_path, PYTHONPATH=str(site))
    kiosk = Console([], env)
    try:
        kiosk.wait_for(HOME_PROMPT)
        kiosk.press(b"3", b"g", DOWN, DOWN, ENTER)
        kiosk.wait_for("第 1 步")
        kiosk.press(b"s")
        kiosk.wait_for("扫码带走")
        kiosk.press(b"t")
        screen = kiosk.wait_for(SORRY[1])
        assert SORRY[0] in screen.replace("\n", "")
        assert "1234" not in screen
        no_traceback(kiosk)
        assert kiosk.wait_exit() == 14  # kiosk.exitcodes.UNEXPECTED_ERROR: systemd starts a fresh one
        raw = bytes(kiosk.raw)
        assert b"\x1b[?1049l" in raw[raw.rindex(b"\x1b[?1049h") :]  # the terminal is given back
    finally:
        kiosk.close()
    log = operator_log(tmp_path)
    assert "the kiosk stopped on an unexpected error" in log
    assert "injected failure: the take-home code broke" in log and "_failing_guide_payload" in log
    assert INJECTED_SECRET not in log and "'1234'" not in log


def test_an_error_before_the_app_is_up_shows_the_sorry_line_not_a_traceback(tmp_path):
    site = failing_start_site(tmp_path / "site")
    kiosk = Console([], console_env(tmp_path, PYTHONPATH=str(site)))
    try:
        assert kiosk.wait_exit() == 14
        screen = kiosk.text()
        assert SORRY[0] in screen and SORRY[1] in screen
        no_traceback(kiosk)
        assert b"1234" not in bytes(kiosk.raw)
    finally:
        kiosk.close()
    log = operator_log(tmp_path)
    assert "injected failure: the app could not be built" in log and "'1234'" not in log


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 0), (signal.SIGHUP, 13)], ids=["TERM", "HUP"])
def test_sigterm_and_sighup_give_the_terminal_back_and_exit_with_documented_codes(tmp_path, signum, code):
    kiosk = Console([], console_env(tmp_path))
    try:
        kiosk.wait_for(HOME_PROMPT)
        kiosk.proc.send_signal(signum)
        assert kiosk.wait_exit() == code
        raw = bytes(kiosk.raw)
        tail = raw[raw.rindex(b"\x1b[?1049h") :]
        for sequence in (b"\x1b[?1049l", b"\x1b[?1000l", b"\x1b[?1006l", b"\x1b[?25h"):
            assert sequence in tail, sequence
    finally:
        kiosk.close()


def test_hostile_local_packs_neither_hang_nor_stop_the_kiosk_or_the_pack_list(tmp_path):
    folder = tmp_path / "packs"
    reasons = hostile_packs_folder(folder)
    env = console_env(tmp_path, KIOSK_PACKS_DIR=str(folder))
    listed = subprocess.run(
        [str(KIOSK), "packs", "list", "--json"], env=env, capture_output=True, text=True, timeout=60
    )
    assert "Traceback" not in listed.stderr and "Traceback" not in listed.stdout
    records = {r["entry_point"]: r for r in json.loads(listed.stdout)}
    for name in reasons:
        assert records[f"local:{name}"]["status"] == "quarantined", records[f"local:{name}"]
    kiosk = Console([], env)
    try:
        kiosk.wait_for(HOME_PROMPT, timeout=30)
        assert kiosk.alive()
        no_traceback(kiosk)
    finally:
        kiosk.close()


def test_a_malformed_pin_hash_makes_staff_access_unavailable_and_a_pin_never_crashes(tmp_path):
    config = write_config(tmp_path, 'staff_pin_hash = "scrypt$1$1$1$AAAA$BBBB"\n')
    kiosk = Console(["--config", config], console_env(tmp_path))
    try:
        kiosk.wait_for(HOME_PROMPT)
        kiosk.press(b"\x14", b"1", b"2", b"3", b"4", ENTER)  # Ctrl+T, a PIN, Enter
        kiosk.wait_for("暂不可用")
        assert kiosk.alive()
        no_traceback(kiosk)
    finally:
        kiosk.close()
    assert "staff_login outcome=unavailable" in operator_log(tmp_path)
