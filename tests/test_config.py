"""Operator configuration: round trip, every kind of mistake, atomic writes, the staff PIN hash."""

from __future__ import annotations

import os
import stat

import pytest

from kiosk import config
from kiosk.config import ConfigError, Settings


def write_text(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_means_defaults(tmp_path):
    result = config.load(tmp_path / "kiosk.toml")
    assert result.ok and result.settings == Settings()


def test_round_trip(tmp_path):
    path = tmp_path / "etc" / "kiosk.toml"
    settings = Settings(
        branch_name="Xuhui Branch",
        default_locale="en",
        idle_timeout=120,
        idle_warning=25,
        theme="high-contrast",
        pack_order=("wechat", "alipay"),
        pack_block=("applepay",),
        packs_dir="/srv/packs",
        staff_pin_hash=config.hash_pin("246813"),
    )
    config.write(path, settings)
    result = config.load(path)
    assert result.ok, result.issues
    assert result.settings == settings
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600  # it may hold the PIN hash


@pytest.mark.parametrize(
    "text, field, message",
    [
        ('idle_timeout = "90"\n', "idle_timeout", "must be a whole number of seconds"),
        ("idle_timeout = 5\n", "idle_timeout", "5 is outside 30-3600 seconds"),
        ("idle_warning = 10\n", "idle_warning", "10 is outside 20-300 seconds"),
        (
            "idle_timeout = 60\nidle_warning = 61\n",
            "idle_warning",
            "idle_warning (61 s) is longer than idle_timeout (60 s): the countdown may last at most as long as "
            "the quiet time before it; lower idle_warning or raise idle_timeout",
        ),
        ("idle_timeout = 30\nidle_warning = 31\n", "idle_warning", "lower idle_warning or raise idle_timeout"),
        ('default_locale = "fr"\n', "default_locale", "'fr' is not one of zh-CN, en"),
        ('theme = "neon"\n', "theme", "'neon' is not one of default, high-contrast"),
        ('pack_order = "alipay"\n', "pack_order", "must be a list of pack ids"),
        ('pack_block = ["Ali Pay"]\n', "pack_block", "'Ali Pay' is not a pack id"),
        ('staff_pin_hash = "1234"\n', "staff_pin_hash", "is not a hash written by `kiosk config set-pin`"),
        ('staff_pin_hash = "scrypt$1$1$1$AAAA$BBBB"\n', "staff_pin_hash", "N=1 is not a power of two"),
        (
            'staff_pin_hash = "scrypt$16384$8$99$c2FsdHNhbHRzYWx0$ZGlnZXN0ZGlnZXN0ZGlnZXN0"\n',
            "staff_pin_hash",
            "p=99 is outside 1-16",
        ),
        ('branch_nam = "X"\n', "branch_nam", "unknown key 'branch_nam'; did you mean 'branch_name'?"),
        ('branch_name = "A\\u001b[2J"\n', "branch_name", "contains control characters"),
    ],
)
def test_each_config_error_names_file_line_key(tmp_path, text, field, message):
    full = 'pack_allow = ["alipay"]\n' + text
    path = write_text(tmp_path / "kiosk.toml", full)
    result = config.load(path)
    [issue] = result.issues
    assert (issue.file, issue.field) == (str(path), field)
    expected_line = next(n for n, line in enumerate(full.splitlines(), 1) if line.startswith(f"{field} ="))
    assert issue.line == expected_line
    assert message in issue.message
    assert result.settings.pack_allow == ("alipay",)  # the good keys still apply


def test_a_problem_is_reported_on_its_own_line_not_on_a_key_of_the_same_name_in_ssh(tmp_path):
    # Both tables have an idle_timeout; a quoted key is the same key to TOML.
    text = 'branch_name = "X"\n"idle_timeout" = 5\n\n[ssh]\nidle_timeout = 300\n'
    path = write_text(tmp_path / "kiosk.toml", text)
    [issue] = config.load(path).issues
    assert (issue.field, issue.line) == ("idle_timeout", 2)
    inline = write_text(tmp_path / "inline.toml", 'theme = "default"\nssh = { idle_timeout = 5 }\n')
    [issue] = config.load(inline).issues
    assert (issue.field, issue.line) == ("ssh.idle_timeout", 2)


def test_broken_toml_falls_back_to_defaults_with_a_located_issue(tmp_path):
    path = write_text(tmp_path / "kiosk.toml", 'branch_name = "Ok"\nidle_timeout = = 3\n')
    result = config.load(path)
    assert result.settings.public_items() == Settings().public_items()
    # Every key is lost, the staff PIN too: staff access is unavailable rather than "not set".
    assert result.settings.staff_access_problem == f"{path}:2: not valid TOML: Invalid value"
    [issue] = result.issues
    assert issue.line == 2 and "not valid TOML" in issue.message


def test_write_refuses_invalid_settings_and_leaves_the_old_file(tmp_path):
    path = tmp_path / "kiosk.toml"
    config.write(path, Settings(branch_name="Before"))
    before = path.read_bytes()
    with pytest.raises(ConfigError):
        config.write(path, Settings(idle_timeout=1))
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["kiosk.toml"]  # no temp file left behind


def test_write_is_atomic_when_interrupted(tmp_path, monkeypatch):
    path = tmp_path / "kiosk.toml"
    config.write(path, Settings(branch_name="Before"))
    before = path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        config.write(path, Settings(branch_name="After"))
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["kiosk.toml"]


def test_pin_hash_is_salted_and_verifies():
    first, second = config.hash_pin("246813"), config.hash_pin("246813")
    assert first != second and "246813" not in first
    assert config.verify_pin("246813", first) and config.verify_pin("246813", second)
    assert not config.verify_pin("246814", first)
    assert not config.verify_pin("246813", "")
    with pytest.raises(ValueError):
        config.hash_pin("12ab")


def test_a_malformed_hash_never_lets_a_pin_in_and_never_raises():
    for stored in ("scrypt$1$1$1$AAAA$BBBB", "scrypt$16384$8$1$!!!!$????", "scrypt$99999999$8$1$AAAA$BBBB"):
        assert config.verify_pin("1234", stored) is False


def test_a_malformed_ssh_password_hash_names_file_line_and_key(tmp_path):
    text = '[ssh]\nauth = "password"\npassword_hash = "scrypt$1$1$1$AAAA$BBBB"\n'
    path = write_text(tmp_path / "kiosk.toml", text)
    issues = config.load(path).issues
    first = issues[0]
    assert (first.file, first.line, first.field) == (str(path), 3, "ssh.password_hash")
    assert "N=1 is not a power of two" in first.message


def test_config_location_order(tmp_path, monkeypatch):
    env = {"KIOSK_CONFIG": str(tmp_path / "env.toml")}
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    assert config.resolve_path("cli.toml", env) == config.Path("cli.toml")
    assert config.resolve_path(None, env) == tmp_path / "env.toml"
    assert config.resolve_path(None, {}) == tmp_path / ".config" / "wallet-kiosk" / "kiosk.toml"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "x"))
    assert config.resolve_path(None, {}) == tmp_path / "x" / "wallet-kiosk" / "kiosk.toml"


def test_set_parses_values_by_key():
    settings = config.with_value(Settings(), "pack_order", config.parse_value("pack_order", "wechat, alipay"))
    assert settings.pack_order == ("wechat", "alipay")
    assert config.with_value(settings, "idle_timeout", config.parse_value("idle_timeout", "120")).idle_timeout == 120
    with pytest.raises(ConfigError):
        config.parse_value("idle_timeout", "soon")
    with pytest.raises(ConfigError):
        config.parse_value("colour", "red")
