"""The real OpenSSH client, in a real terminal (tmux), against `kiosk ssh` started as operators start it."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys

import pytest
from helpers import wait_until as _wait

pytestmark = pytest.mark.slow

SSH = shutil.which("ssh")
TMUX = shutil.which("tmux")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(SSH is None or TMUX is None, reason="needs the OpenSSH client (ssh) and tmux installed")
def test_openssh_client_in_tmux_sees_the_kiosk_and_can_use_it(tmp_path):
    assert SSH is not None and TMUX is not None  # see the skip above
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "TEXTUAL"))},
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "KIOSK_CONFIG": str(tmp_path / "kiosk.toml"),
        "KIOSK_PACK_CACHE": str(tmp_path / "cache"),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kiosk",
            "ssh",
            "--listen",
            f"127.0.0.1:{port}",
            "--access-log",
            str(tmp_path / "access.log"),
        ],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    tmux = [TMUX, "-L", f"kiosk-ssh-test-{os.getpid()}", "-f", "/dev/null"]
    try:
        _wait(lambda: _listening(port), 30, "kiosk ssh to listen")
        ssh = (
            f"{SSH} -tt -F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null "
            f"-o LogLevel=ERROR -o BatchMode=yes -p {port} customer@127.0.0.1; sleep 30"
        )
        subprocess.run(
            [*tmux, "new-session", "-d", "-s", "kiosk", "-x", "80", "-y", "24", ssh],
            check=True,
            timeout=10,
            env={**env, "TERM": "xterm-256color"},
        )

        def screen() -> str:
            return subprocess.run(
                [*tmux, "capture-pane", "-p", "-t", "kiosk"], capture_output=True, text=True, timeout=10
            ).stdout

        _wait(lambda: "Apple Pay" in screen(), 20, "the home screen")
        subprocess.run([*tmux, "send-keys", "-t", "kiosk", "C-l"], check=True, timeout=10)
        _wait(lambda: "Wallet Help Kiosk" in screen(), 10, "the English home screen")
        subprocess.run([*tmux, "send-keys", "-t", "kiosk", "C-q"], check=True, timeout=10)
        # Back at the shell's screen: the kiosk left the alternate screen.
        _wait(lambda: "Wallet Help Kiosk" not in screen(), 10, "the session to end")
        _wait(lambda: 'exit="customer quit"' in _read(tmp_path / "access.log"), 10, "the access log line")
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True, timeout=10)
        server.send_signal(signal.SIGTERM)
        try:
            _out, err = server.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            _out, err = server.communicate()
    assert server.returncode == 0, err.decode()
    assert b"host key SHA256:" in err


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _read(path) -> str:
    return path.read_text(encoding="utf-8") if path.exists() else ""
