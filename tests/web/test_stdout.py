"""Under textual-serve the kiosk's stdout is the driver's channel: the first bytes must be its prelude.

textual-serve starts each tab's kiosk with TEXTUAL_DRIVER set to Textual's WebDriver and reads
stdout as framed packets after the line `__GANGLION__`. Anything printed before it (a pack's
print(), a warning, a notice) would corrupt the channel, so start-up talks on stderr only.
"""

from __future__ import annotations

import subprocess
import time

import pytest
from helpers import MINIMAL_PACK, FakeSite, minimal_pack_text

from kiosk.trust import document_digest
from web.helpers import (
    HOME_TEXT,
    PRELUDE,
    WEB_DRIVER,
    clean_env,
    kiosk_command,
    meta,
    parse_packets,
    read_exactly,
)

pytestmark = pytest.mark.slow

#: A pack plugin that talks on stdout in every way a Python program can, then fails to load.
NOISY_PLUGIN = """
    import os, sys, warnings
    print("a pack printing on import")
    sys.stdout.write("and writing without a newline")
    sys.__stdout__.write("and through the original stream")
    os.write(1, b"and straight to file descriptor 1\\n")
    warnings.warn("a pack warning")
    raise RuntimeError("this pack is broken on purpose")
"""


def installed_site(tmp_path) -> FakeSite:
    """A good pack, a pack whose document is broken and a noisy broken plugin, installed side by side."""
    site = FakeSite(tmp_path / "site")
    site.add_pack("kiosk-pack-demo", "kiosk_pack_demo", MINIMAL_PACK.read_text(encoding="utf-8"))
    site.add_pack(
        "kiosk-pack-badtoml",
        "kiosk_pack_badtoml",
        minimal_pack_text(**{'id = "demo"': 'id = "badtoml"', "format = 1": "format = = 1"}),
    )
    site.add("kiosk-pack-noisy", module="kiosk_pack_noisy", code=NOISY_PLUGIN)
    return site


def start_remote(tmp_path, *args: str, pythonpath: str | None = None) -> subprocess.Popen:
    env = clean_env(tmp_path, TEXTUAL_DRIVER=WEB_DRIVER, COLUMNS="100", ROWS="30", PYTHONWARNINGS="always")
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    return subprocess.Popen(
        kiosk_command("--remote", *args),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
    )


def run_until_home_then_quit(proc: subprocess.Popen, until: str = HOME_TEXT) -> tuple[bytes, bytes, bytes]:
    """(first bytes, every frame after them, stderr): waits for `until` (by default the home
    screen's title) to be drawn, then quits over the channel."""
    assert proc.stdout is not None and proc.stdin is not None
    fd = proc.stdout.fileno()
    first = read_exactly(fd, len(PRELUDE), timeout=30)
    frames = b""
    deadline = time.monotonic() + 30
    while until.encode() not in frames and time.monotonic() < deadline:
        chunk = read_exactly(fd, 65536, timeout=0.2)
        if not chunk and proc.poll() is not None:
            break
        frames += chunk
    proc.stdin.write(meta({"type": "quit"}))
    proc.stdin.flush()
    rest, errors = proc.communicate(timeout=30)
    return first, frames + rest, errors


@pytest.mark.parametrize("broken", ["packs", "config", "both"])
def test_first_bytes_on_stdout_are_the_driver_prelude(tmp_path, broken):
    pythonpath = None
    if broken in ("packs", "both"):
        pythonpath = str(installed_site(tmp_path).root)
    config = tmp_path / "kiosk.toml"
    config.write_text("idle_timeout = = 3\n" if broken in ("config", "both") else "", encoding="utf-8")
    # The good pack is approved (approvals.toml beside kiosk.toml): customers see only approved third-party packs.
    digest = document_digest(MINIMAL_PACK.read_bytes())
    (tmp_path / "approvals.toml").write_text(
        f'[[approved]]\npack = "demo"\nsource = "kiosk-pack-demo"\nversion = "1.0.0"\nsha256 = "{digest}"\n'
        "approved = 2026-12-01\n",
        encoding="utf-8",
    )
    (tmp_path / "approvals.toml").chmod(0o600)
    proc = start_remote(tmp_path, "--config", str(config), pythonpath=pythonpath)
    try:
        first, frames, errors = run_until_home_then_quit(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    assert first == PRELUDE, (first + frames[:200], errors[-2000:])
    packets = parse_packets(frames)
    screen = b"".join(payload for kind, payload in packets if kind == b"D").decode("utf-8", "replace")
    assert HOME_TEXT in screen
    assert packets[-1] == (b"M", b'{"type": "exit"}')
    assert proc.returncode == 0
    stderr = errors.decode("utf-8", "replace")
    if broken in ("packs", "both"):
        # Everything the noisy pack said went to stderr, and its problem is reported there.
        for said in (
            "a pack printing on import",
            "and writing without a newline",
            "and through the original stream",
            "and straight to file descriptor 1",
            "a pack warning",
        ):
            assert said in stderr, said
        assert "pack 'kiosk_pack_noisy' could not be loaded" in stderr or "kiosk_pack_noisy" in stderr
        assert "badtoml" in stderr
        # The good pack beside them still loads: a sixth wallet, counted on the "all wallets" tile.
        assert "全部钱包（6 个）" in screen or "All wallets (6)" in screen, screen
    if broken in ("config", "both"):
        assert "kiosk.toml" in stderr and "not valid TOML" in stderr


def test_a_tab_shows_the_footer_keys_before_it_is_ever_focused(tmp_path):
    """A browser tab is unfocused until clicked; the customer must still see which keys work."""
    proc = start_remote(tmp_path)
    try:
        first, frames, _ = run_until_home_then_quit(proc, until="结束使用")
    finally:
        if proc.poll() is None:
            proc.kill()
    assert first == PRELUDE
    assert HOME_TEXT.encode() in frames
    assert "结束使用".encode() in frames  # the footer's "End session" key, in the default language
