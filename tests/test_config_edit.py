"""`kiosk config set`, `set-pin` and `kiosk ssh --set-password` change a key and keep everything else:
the operator's comments and layout, the file's owner, group and mode, and a symlink."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

import pytest
from helpers import run_kiosk, run_python

from kiosk import config
from kiosk.config import ConfigError
from kiosk.config.edit import set_values

COMMENTED = """\
# Branch 0042 (Xuhui), change ticket CHG-1234: keep this header.
branch_name = "Xuhui"      # as on the sign outside

# Wallets in the order marketing agreed (2026-11).
pack_order = ["alipay", "wechat"]
idle_timeout = 90

[ssh]
# Open for the branch network only; see the firewall ticket NET-77.
auth = "open"   # until the key rollout
max_sessions = 20
"""

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root (os.chown)")


def written(tmp_path, text: str = COMMENTED, mode: int = 0o640):
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def test_set_changes_one_value_and_keeps_every_comment_and_the_layout(tmp_path):
    path = written(tmp_path)
    set_values(path, {("branch_name",): "Xuhui Branch", ("ssh", "auth"): "keys", ("ssh", "authorized_keys"): "/k"})
    assert path.read_text(encoding="utf-8") == COMMENTED.replace('"Xuhui" ', '"Xuhui Branch" ').replace(
        'auth = "open"   # until the key rollout\n', 'auth = "keys"   # until the key rollout\n'
    ).replace("max_sessions = 20\n", 'max_sessions = 20\nauthorized_keys = "/k"\n')


def test_the_mode_is_kept(tmp_path):
    path = written(tmp_path, mode=0o640)
    set_values(path, {("idle_timeout",): 120})
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["kiosk.toml"]  # no temporary file left


@needs_root
def test_sudo_set_and_set_pin_keep_the_kiosk_users_file(request):
    """The H5 case: installed -o kiosk -m 0600, edited with sudo; the kiosk must still read it."""
    # A folder the other user can enter (the test's own tmp_path is root's, 0700), like /etc/wallet-kiosk.
    folder = Path(tempfile.mkdtemp(prefix="kiosk-etc-"))
    request.addfinalizer(lambda: shutil.rmtree(folder))
    folder.chmod(0o755)
    path = written(folder, mode=0o600)
    os.chown(path, 65534, 65534)  # nobody:nogroup stands in for the kiosk user
    assert run_kiosk("config", "--config", str(path), "set", "branch_name", "Xuhui Branch").returncode == 0
    pin = run_python(
        "import sys; from kiosk.cli import main; "
        f"sys.exit(main(['config', '--config', {str(path)!r}, 'set-pin', '--stdin']))",
        stdin="975318\n",
    )
    assert pin.returncode == 0, pin.stderr
    st = path.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (65534, 65534, 0o600)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Branch 0042 (Xuhui), change ticket CHG-1234") and "# until the key rollout" in text
    assert config.load(path).settings.staff_pin_hash.startswith("scrypt$")
    # Read as that user, as the kiosk would be.
    check = run_python(
        f"import os; os.setgid(65534); os.setuid(65534); print(open({str(path)!r}).read().count('staff_pin_hash'))"
    )
    assert check.returncode == 0 and check.stdout.strip() == "1", check.stderr


@needs_root
def test_init_force_keeps_the_owner_and_mode_too(tmp_path):
    path = written(tmp_path, mode=0o640)
    os.chown(path, 65534, 65534)
    assert run_kiosk("config", "--config", str(path), "init", "--force").returncode == 0
    st = path.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (65534, 65534, 0o640)


def test_an_owner_that_cannot_be_kept_refuses_and_changes_nothing(tmp_path, monkeypatch):
    path = written(tmp_path)
    before = path.read_bytes()

    def refuse(fd, uid, gid):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "fchown", refuse)
    monkeypatch.setattr(os, "fstat", lambda fd, real=os.fstat: os.stat_result((*real(fd)[:4], 12345, *real(fd)[5:])))
    with pytest.raises(ConfigError) as caught:
        set_values(path, {("branch_name",): "X"})
    assert "cannot keep the file's owner and group" in str(caught.value) and "nothing changed" in str(caught.value)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["kiosk.toml"]


def test_a_symlinked_file_is_edited_where_it_lives(tmp_path):
    real = written(tmp_path)
    (tmp_path / "etc").mkdir()
    link = tmp_path / "etc" / "kiosk.toml"
    link.symlink_to(real)
    set_values(link, {("theme",): "high-contrast"})
    assert link.is_symlink()
    assert 'theme = "high-contrast"' in real.read_text(encoding="utf-8")


def test_an_edit_that_adds_a_problem_is_refused_and_one_that_keeps_old_ones_is_made(tmp_path):
    path = written(tmp_path, COMMENTED + "bogus_key = 1\n".replace("bogus_key", "branch_nmae"))
    before = path.read_bytes()
    with pytest.raises(ConfigError) as caught:
        set_values(path, {("idle_timeout",): 5})
    assert "idle_timeout: 5 is outside 30-3600 seconds" in str(caught.value)
    assert path.read_bytes() == before
    edited = set_values(path, {("idle_timeout",): 45})
    assert [i.field for i in edited.remaining] == ["ssh.branch_nmae"]
    assert "idle_timeout = 45" in path.read_text(encoding="utf-8")


def test_setting_a_key_to_a_bad_value_it_already_had_is_still_refused(tmp_path):
    path = written(tmp_path, 'theme = "neon"\n')
    with pytest.raises(ConfigError, match="'neon' is not one of"):
        set_values(path, {("theme",): "neon"})


def test_a_file_that_is_not_toml_is_never_rewritten(tmp_path):
    path = written(tmp_path, 'branch_name = "unterminated\n')
    before = path.read_bytes()
    with pytest.raises(ConfigError, match="not valid TOML"):
        set_values(path, {("theme",): "default"})
    assert path.read_bytes() == before


def test_a_new_file_is_generated_whole_and_private(tmp_path):
    path = tmp_path / "new" / "kiosk.toml"
    edited = set_values(path, {("branch_name",): "Xuhui"})
    assert edited.created and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert config.load(path).settings.branch_name == "Xuhui"
    assert "idle_warning = 30" in path.read_text(encoding="utf-8")  # every key, as `config init` writes


pytestmark_slow = pytest.mark.slow


@pytestmark_slow
def test_config_set_idle_timeout_30_works_with_the_default_warning(tmp_path):
    path = tmp_path / "kiosk.toml"
    assert run_kiosk("config", "--config", str(path), "init").returncode == 0
    result = run_kiosk("config", "--config", str(path), "set", "idle_timeout", "30")
    assert result.returncode == 0, result.stderr
    assert config.load(path).settings.idle_timeout == 30
    # Where the two keys do clash, the message names both and how to fix it.
    run_kiosk("config", "--config", str(path), "set", "idle_warning", "30")
    clash = run_kiosk("config", "--config", str(path), "set", "idle_warning", "40")
    assert clash.returncode == 1
    assert "idle_warning (40 s) is longer than idle_timeout (30 s)" in clash.stderr
    assert "lower idle_warning or raise idle_timeout" in clash.stderr


@pytestmark_slow
@pytest.mark.parametrize("start", ['[ssh]\nauth = "password"\n', "", 'theme = "neon"\n[ssh]\nauth = "password"\n'])
def test_password_auth_can_be_set_up_from_any_state(tmp_path, start):
    path = tmp_path / "kiosk.toml"
    if start:
        path.write_text(start, encoding="utf-8")
    set_password = run_python(
        "import sys; from kiosk.cli import main; "
        f"sys.exit(main(['ssh', '--config', {str(path)!r}, '--set-password', '--stdin']))",
        stdin="correct horse battery\n",
    )
    assert set_password.returncode == 0, set_password.stderr
    switch = run_kiosk("config", "--config", str(path), "set", "ssh.auth", "password")
    assert switch.returncode == 0, switch.stderr
    loaded = config.load(path)
    assert loaded.settings.ssh["auth"] == "password" and str(loaded.settings.ssh["password_hash"]).startswith("scrypt$")
    assert [i.field for i in loaded.issues] == (["theme"] if "neon" in start else [])
    if "neon" in start:  # the problem elsewhere was said, not hidden
        assert "still to fix" in set_password.stderr and "theme" in set_password.stderr


@pytestmark_slow
def test_switching_to_password_auth_before_a_password_exists_says_what_to_do(tmp_path):
    path = tmp_path / "kiosk.toml"
    result = run_kiosk("config", "--config", str(path), "set", "ssh.auth", "password")
    assert result.returncode == 1
    assert "needs password_hash (set it with `kiosk ssh --set-password`)" in result.stderr
    assert not path.exists()
