"""What reaches the kiosk and what reaches the customer: environment, hostile output, abrupt disconnects."""

from __future__ import annotations

import asyncio
import json
import random
import sys
import textwrap

import pytest

from kiosk.ssh.spawn_exec import ExecSpawner
from ssh.client import HOME_TEXT, Terminal
from ssh.conftest import process_gone, wait_until

pytestmark = pytest.mark.slow

#: What a hostile client sends as `env` requests: each would change how the kiosk runs.
CLIENT_ENV = {
    "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
    "TEXTUAL": "devtools,debug",
    "TEXTUAL_PRESS": "ctrl+q",
    "TEXTUAL_DEVTOOLS_HOST": "203.0.113.9",
    "TEXTUAL_ALLOW_SIGNALS": "1",
    "LD_PRELOAD": "/tmp/evil.so",
    "PYTHONPATH": "/tmp/evil",
    "PYTHONSTARTUP": "/tmp/evil.py",
    "BASH_ENV": "/tmp/evil.sh",
    "LANG": "xx_XX.EVIL",
    "KIOSK_PACKS_DIR": "/tmp/evil-packs",
    "HOME": "/root",
    "TERM": "evil",
}


def _environ_of(pid: int) -> dict[str, str]:
    with open(f"/proc/{pid}/environ", "rb") as raw:
        return dict(item.decode().split("=", 1) for item in raw.read().split(b"\0") if item)


@pytest.mark.parametrize("spawn", ["fork-server", "exec"])
async def test_the_client_environment_never_reaches_the_kiosk(server, spawn):
    server_env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(server.tmp_path),
        "SERVICE_API_TOKEN": "server-secret",
        "TEXTUAL": "debug",
        "LD_LIBRARY_PATH": "/opt/server-only",
    }
    front = await server.start(environ=server_env, spawn=spawn)
    term = await Terminal.open(front.port, term="evil-term\x1b]0;x", env=CLIENT_ENV)
    await term.wait_for(HOME_TEXT, timeout=20)
    [pid] = front.spawned_pids
    if spawn == "fork-server":  # what the running kiosk's os.environ holds
        environ = json.loads((server.observe_dir / f"{pid}.json").read_text(encoding="utf-8"))
    else:
        environ = _environ_of(pid)
    assert set(environ) == {"PATH", "LANG", "TERM", "HOME", "KIOSK_PACK_CACHE"}, environ
    assert environ["TERM"] == "xterm-256color"  # an unknown TERM maps to the safe default
    assert environ["LANG"] == "C.UTF-8" and environ["PATH"] == "/usr/local/bin:/usr/bin:/bin"
    assert environ["HOME"].startswith("/") and environ["HOME"] != "/root"
    # The process environment block itself (what a child of the kiosk would inherit) is as clean.
    raw = _environ_of(pid)
    assert not set(raw) & (set(CLIENT_ENV) - {"PATH", "LANG", "TERM", "HOME"}), raw
    assert "server-secret" not in json.dumps(raw) and "evil" not in json.dumps(raw)
    term.close()
    await wait_until(lambda: process_gone(pid), 10, "the session process to be reaped")
    await wait_until(lambda: len(server.log_lines()) == 1, 5, "the access log line")
    line = server.log_lines()[0]
    assert "\x1b" not in line and "term=evil-term?]0;x->xterm-256color" in line


HOSTILE = textwrap.dedent(r"""
    import os, sys, time
    pieces = [
        b"\x1b[?1049h\x1b[2J\x1b[HVISIBLE-START ",
        b"\x1b]52;c;SGVsbG8gY2xpcGJvYXJk\x07",           # clipboard write
        b"\x1b]52;c;?\x1b\\",                           # clipboard read
        b"\x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\ ",  # hyperlink
        b"\x1b]0;pwned title\x07\x1b]2;another\x1b\\",   # window titles
        b"\x1bP$q\"p\x1b\\\x1bPtmux;\x1b\x1b]52;c;eA==\x07\x1b\\",  # DCS: DECRQSS, tmux passthrough
        b"\x1b_Gf=100;AAAA\x1b\\\x1b^privacy\x1b\\\x1bXsos\x1b\\",    # APC, PM, SOS
        b"\xc2\x9d52;c;YQ==\xc2\x9c\xc2\x9b6n",           # C1 OSC and C1 CSI
        b"\x1b[6n\x1b[c\x1b[>c\x1b[?2026$p\x1b[21t\x1b[?u",  # queries that make a terminal answer
        b"\x1b[1;31mRED\x1b[0m VISIBLE-END\r\n",
    ]
    data = b"".join(pieces)
    step = int(sys.argv[1])
    for i in range(0, len(data), step):  # split at every kind of boundary across reads
        os.write(1, data[i:i + step])
        time.sleep(0.002)
    time.sleep(30)
""")


class HostileSpawner(ExecSpawner):
    """A 'kiosk' that writes every dangerous sequence there is, in small pieces."""

    def __init__(self, *args, step: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.step = step

    def argv(self) -> list[str]:
        return [sys.executable, "-c", HOSTILE, str(self.step)]


@pytest.mark.parametrize("step", [1, 3, 7])
async def test_hostile_output_is_filtered_even_split_across_reads(server, step):
    front = await server.start(spawn="exec")
    front.spawner = HostileSpawner(None, front.spawner.base_env, step=step)
    term = await Terminal.open(front.port)
    await term.wait_for("VISIBLE-END", timeout=15)
    raw = bytes(term.session.raw)
    for forbidden in (
        b"\x1b]",
        b"\x1bP",
        b"\x1b_",
        b"\x1b^",
        b"\x1bX",
        b"\xc2\x9d",
        b"\xc2\x9b",
        b"\xc2\x9c",
        b"\x1b[6n",
        b"\x1b[c",
        b"\x1b[>c",
        b"$p",
        b"\x1b[21t",
        b"\x1b[?u",
        b"52;",
        b"pwned",
    ):
        assert forbidden not in raw, forbidden
    assert b"\x1b[1;31mRED\x1b[0m" in raw  # colours pass untouched
    line = next(line for line in term.text().splitlines() if "VISIBLE-START" in line)
    assert "link" in line and "RED VISIBLE-END" in line
    term.close()


async def test_a_hundred_abrupt_disconnects_leave_nothing_behind(server):
    front = await server.start()
    rng = random.Random(7)

    async def customer(n: int) -> None:
        term = await Terminal.open(front.port)
        if n % 3 == 0:
            await term.wait_for(HOME_TEXT)  # some leave after the first screen...
        await asyncio.sleep(rng.uniform(0, 0.15))  # ...others while their kiosk is still starting
        term.abort()

    for batch in range(10):
        await asyncio.gather(*(customer(batch * 10 + i) for i in range(10)))
    await wait_until(lambda: all(process_gone(pid) for pid in front.spawned_pids), 30, "every session process reaped")
    await wait_until(lambda: all(value == 0 for value in front.counts().values()), 10, "zero counters")
    assert len(front.spawned_pids) >= 60  # most got as far as a kiosk process
    await wait_until(lambda: len(server.log_lines()) == 100, 10, "a log line per connection")


@pytest.mark.parametrize("spawn", ["fork-server", "exec"])
async def test_start_up_notices_reach_the_log_once_and_never_the_customer(server, spawn, tmp_path, capfd):
    """A broken configuration is the operator's business: it is logged, and the customer's
    terminal (which keeps what was written before the kiosk's screen opened) never shows it."""
    config = tmp_path / "kiosk.toml"
    config.write_text('idle_timeout = "soon"\n', encoding="utf-8")
    front = await server.start(config_path=config, spawn=spawn)
    raw = b""
    for _ in range(2):
        term = await Terminal.open(front.port)
        await term.wait_for(HOME_TEXT, timeout=20)
        term.send("\x11")  # Ctrl+Q ends the session; the terminal gets back its main screen
        await term.wait_closed()
        raw += bytes(term.session.raw) + bytes(term.session.stderr)
    assert b"idle_timeout" not in raw and b"safe defaults" not in raw
    logged = capfd.readouterr().err
    assert logged.count("safe defaults") == 1, logged
    assert "idle_timeout" in logged
