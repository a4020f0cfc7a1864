"""`kiosk config ...` as an operator runs it."""

from __future__ import annotations

import pytest
from helpers import run_kiosk, run_python

# Every test runs the `kiosk` command.
pytestmark = pytest.mark.slow


def cfg(tmp_path, *args: str, stdin: str | None = None):
    path = tmp_path / "kiosk.toml"
    if stdin is not None:
        return run_python(
            f"import sys; from kiosk.cli import main; sys.exit(main({['config', '--config', str(path), *args]!r}))",
            stdin=stdin,
        )
    return run_kiosk("config", "--config", str(path), *args)


def test_init_set_get_show_check(tmp_path):
    assert cfg(tmp_path, "init").returncode == 0
    assert cfg(tmp_path, "init").returncode == 2  # never overwrites by accident
    assert cfg(tmp_path, "set", "branch_name", "Xuhui").returncode == 0
    assert cfg(tmp_path, "set", "pack_order", "wechat,alipay").returncode == 0
    assert cfg(tmp_path, "get", "pack_order").stdout.strip() == "wechat,alipay"
    shown = cfg(tmp_path, "show").stdout
    assert 'branch_name = "Xuhui"' in shown and 'staff_pin_hash = "not set"' in shown
    check = cfg(tmp_path, "check")
    assert check.returncode == 0 and check.stdout.strip().endswith("valid")


def test_set_refuses_bad_values_and_keeps_the_file(tmp_path):
    cfg(tmp_path, "init")
    before = (tmp_path / "kiosk.toml").read_text()
    bad = cfg(tmp_path, "set", "idle_timeout", "5")
    assert bad.returncode == 1
    assert "idle_timeout: 5 is outside 30-3600 seconds" in bad.stderr
    assert (tmp_path / "kiosk.toml").read_text() == before


def test_check_reports_file_line_key_and_exits_1(tmp_path):
    (tmp_path / "kiosk.toml").write_text('branch_name = "X"\ntheme = "neon"\n', encoding="utf-8")
    check = cfg(tmp_path, "check")
    assert check.returncode == 1
    assert f"{tmp_path / 'kiosk.toml'}:2: theme: 'neon' is not one of default, high-contrast" in check.stdout


def test_check_reports_a_hash_whose_parameters_are_malformed(tmp_path):
    # Shaped like a hash, but no kiosk wrote it and checking a PIN against it would fail inside hashlib.
    path = tmp_path / "kiosk.toml"
    path.write_text(
        'branch_name = "X"\nstaff_pin_hash = "scrypt$1$1$1$AAAA$BBBB"\n'
        '[ssh]\nauth = "password"\npassword_hash = "scrypt$1$1$1$AAAA$BBBB"\n',
        encoding="utf-8",
    )
    check = cfg(tmp_path, "check")
    assert check.returncode == 1, check.stdout
    assert f"{path}:2: staff_pin_hash: is not a hash written by `kiosk config set-pin`" in check.stdout
    assert f"{path}:5: ssh.password_hash: is not a hash written by `kiosk ssh --set-password`" in check.stdout
    assert "N=1 is not a power of two" in check.stdout
    assert "valid" not in check.stdout.splitlines()[-1].split(":")[-1]


def test_set_pin_stores_only_a_hash(tmp_path):
    cfg(tmp_path, "init")
    result = cfg(tmp_path, "set-pin", "--stdin", stdin="975318\n")
    assert result.returncode == 0
    text = (tmp_path / "kiosk.toml").read_text()
    assert "975318" not in text and 'staff_pin_hash = "scrypt$' in text
    assert "975318" not in result.stdout + result.stderr
    assert cfg(tmp_path, "get", "staff_pin_hash").stdout.strip() == "set"
    short = cfg(tmp_path, "set-pin", "--stdin", stdin="12\n")
    assert short.returncode == 1 and "6 to 12 digits" in short.stderr
