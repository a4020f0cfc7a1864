"""[ssh] in kiosk.toml, `kiosk ssh` options over it, the host key, the shared password."""

from __future__ import annotations

import os
import stat

import pytest
from helpers import run_kiosk

from kiosk import config
from kiosk.config import remote as ssh_settings
from kiosk.config.remote import SshSettings


def test_an_ssh_table_round_trips_and_fills_defaults(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text('branch_name = "X"\n\n[ssh]\nlisten = "[::1]:2022"\nmax_sessions = 7\n', encoding="utf-8")
    result = config.load(path)
    assert result.ok, result.issues
    resolved = ssh_settings.resolve(result.settings.ssh)
    assert resolved.host_port == ("::1", 2022) and resolved.max_sessions == 7
    assert resolved.login_grace == 30 and resolved.auth == "open" and resolved.idle_timeout == 300
    config.write(path, result.settings)
    assert config.load(path).settings == result.settings


@pytest.mark.parametrize(
    "line, key, message",
    [
        ("max_sesions = 4", "ssh.max_sesions", "unknown key 'max_sesions' in [ssh]; did you mean 'max_sessions'?"),
        ("idle_timeout = 5", "ssh.idle_timeout", "5 is outside 30-86400"),
        ('listen = "everywhere"', "ssh.listen", "is not HOST:PORT"),
        ('auth = "none"', "ssh.auth", "'none' is not one of open, password, keys"),
        ('password_hash = "hunter2"', "ssh.password_hash", "is not a hash written by `kiosk ssh --set-password`"),
        ('auth = "password"', "ssh.auth", "needs password_hash"),
        ("max_sessions = true", "ssh.max_sessions", "must be a whole number"),
    ],
)
def test_each_ssh_problem_names_file_line_and_key(tmp_path, line, key, message):
    text = 'theme = "default"\n[ssh]\nlisten = "127.0.0.1:2222"\n' + line + "\n"
    if key == "ssh.listen":
        text = 'theme = "default"\n[ssh]\n' + line + "\n"
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    [issue] = config.load(path).issues
    assert (issue.file, issue.field) == (str(path), key)
    assert issue.line == text.splitlines().index(line) + 1
    assert message in issue.message


def test_command_line_values_win_and_are_checked():
    base = SshSettings(listen="127.0.0.1:2222", auth="keys")
    changed = ssh_settings.with_overrides(base, listen="0.0.0.0:22", auth=None)
    assert changed.listen == "0.0.0.0:22" and changed.auth == "keys"
    with pytest.raises(ValueError, match="--listen"):
        ssh_settings.with_overrides(base, listen="nowhere")


def test_a_bad_ssh_table_stops_the_front_door_before_it_listens(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text("[ssh]\nmax_sessions = 0\n", encoding="utf-8")
    result = run_kiosk("ssh", "--config", str(path))
    assert result.returncode == 1
    assert "ssh.max_sessions" in result.stderr and "0 is outside 1-1000" in result.stderr


def test_a_bad_option_is_a_usage_error_and_nothing_listens(tmp_path):
    result = run_kiosk("ssh", "--listen", "nowhere", env_extra={"KIOSK_CONFIG": str(tmp_path / "none.toml")})
    assert result.returncode == 2  # kiosk.exitcodes.USAGE, as for every command
    assert "--listen" in result.stderr and "listening" not in result.stderr


def test_the_host_key_is_made_once_kept_private_and_its_fingerprint_printed(tmp_path):
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "KIOSK_CONFIG": str(tmp_path / "none.toml")}
    first = run_kiosk("ssh", "--fingerprint", env_extra=env)
    second = run_kiosk("ssh", "--fingerprint", env_extra=env)
    assert first.returncode == 0, first.stderr
    key_path = tmp_path / "data" / "wallet-kiosk" / "ssh_host_ed25519_key"
    assert first.stdout == second.stdout and first.stdout.startswith("SHA256:") and str(key_path) in first.stdout
    assert stat.S_IMODE(os.stat(key_path).st_mode) == 0o600
    os.chmod(key_path, 0o644)
    refused = run_kiosk("ssh", "--fingerprint", env_extra=env)
    assert refused.returncode == 1 and "readable by others" in refused.stderr


def test_set_password_stores_only_a_hash(tmp_path):
    path = tmp_path / "kiosk.toml"
    result = run_python_with_stdin(path, "correct horse battery\n")
    assert result.returncode == 0, result.stderr
    text = path.read_text(encoding="utf-8")
    assert "correct horse" not in text and "correct horse" not in result.stdout + result.stderr
    stored = config.load(path).settings.ssh["password_hash"]
    assert isinstance(stored, str)
    from kiosk.ssh.auth import verify_password

    assert verify_password("correct horse battery", stored)
    assert not verify_password("correct horse", stored)
    short = run_python_with_stdin(path, "short\n")
    assert short.returncode == 1 and "at least 8 characters" in short.stderr


def run_python_with_stdin(path, stdin: str):
    from helpers import run_python

    return run_python(
        f"import sys; from kiosk.cli import main; "
        f"sys.exit(main(['ssh', '--config', {str(path)!r}, '--set-password', '--stdin']))",
        stdin=stdin,
    )
