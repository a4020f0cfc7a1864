"""`kiosk config check` finds what would stop `kiosk ssh` or quietly change the kiosk, with file, line and key."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from helpers import run_kiosk

from kiosk import configcheck, launch

NOBODY = "nobody"


def check(path: Path, **kwargs):
    prepared = launch.prepare(path)
    return configcheck.check(path, packs=prepared.packs, **kwargs)


def problems(path: Path, **kwargs) -> list[str]:
    return [str(issue) for issue in check(path, **kwargs).issues]


def toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_has_no_problems(tmp_path):
    keys = tmp_path / "authorized_keys"
    keys.write_text("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBranch branch-0042\n", encoding="utf-8")
    (tmp_path / "log").mkdir()
    (tmp_path / "packs").mkdir()
    path = toml(
        tmp_path,
        f'pack_order = ["wechat", "alipay"]\npack_block = ["applepay"]\npacks_dir = "{tmp_path / "packs"}"\n'
        f'metrics_textfile = "{tmp_path / "kiosk.prom"}"\n'
        f'[ssh]\nauth = "keys"\nauthorized_keys = "{keys}"\naccess_log = "{tmp_path / "log" / "access.log"}"\n',
    )
    assert problems(path) == []


@pytest.mark.parametrize(
    "text, line, expected",
    [
        (
            '[ssh]\nauth = "keys"\nauthorized_keys = "{tmp}/missing"\n',
            3,
            "ssh.authorized_keys: {tmp}/missing does not exist",
        ),
        ('[ssh]\nauth = "keys"\nauthorized_keys = "{tmp}/empty"\n', 3, "lists no public key: nobody could connect"),
        (
            '[ssh]\naccess_log = "{tmp}/nofolder/access.log"\n',
            2,
            "ssh.access_log: its folder {tmp}/nofolder does not exist",
        ),
        ("[ssh]\nmax_sessions = 10\nmax_sessions_per_address = 100\n", 3, "max_sessions_per_address (100) is larger"),
        ('[ssh]\nhost_key = "{tmp}/nofolder/key"\n', 2, "cannot be created there"),
        ('[ssh]\nlisten = "localhost"\n', 2, "ssh.listen: 'localhost' is not HOST:PORT"),
        (
            'idle_timeout = 90\npack_allow = ["alipay", "unionpy"]\n',
            2,
            "pack_allow: unknown pack id 'unionpy'; did you mean 'unionpay'?",
        ),
        ('pack_block = ["wechatt"]\n', 1, "pack_block: unknown pack id 'wechatt'; did you mean 'wechat'?"),
        ('pack_order = ["nosuchpack"]\n', 1, "pack_order: unknown pack id 'nosuchpack'; installed: alipay"),
        ('pack_allow = ["nosuchpack"]\n', 1, "pack_allow: allows no installed pack: no wallet loads"),
        ('packs_dir = "{tmp}/nopacks"\n', 1, "packs_dir: {tmp}/nopacks does not exist"),
        ('calendars_dir = "{tmp}/nocal"\n', 1, "calendars_dir: {tmp}/nocal does not exist"),
        (
            'metrics_textfile = "{tmp}/nofolder/kiosk.prom"\n',
            1,
            "metrics_textfile: its folder {tmp}/nofolder does not exist",
        ),
        ('metrics_textfile = "{tmp}/kiosk.txt"\n', 1, "metrics_textfile: must end in .prom"),
    ],
)
def test_what_the_front_doors_and_the_kiosk_would_trip_over(tmp_path, text, line, expected):
    (tmp_path / "empty").write_text("# no keys yet\n", encoding="utf-8")
    path = toml(tmp_path, text.replace("{tmp}", str(tmp_path)))
    found = problems(path)
    wanted = f"{path}:{line}: " + expected.replace("{tmp}", str(tmp_path))
    assert any(
        p.startswith(wanted) or (p.startswith(f"{path}:{line}: ") and wanted.split(": ", 1)[1] in p) for p in found
    ), found


def test_branch_hours_for_a_channel_that_is_not_loaded(tmp_path):
    path = toml(
        tmp_path,
        'branch_name = "Xining"\n\n[[branch_hours]]\nchannel = "general:pboc-99999"\n'
        'hours = { rules = [ { days = ["workday"], open = ["08:30-17:30"] } ], '
        'source = { url = "https://www.gov.cn/x", kind = "government", verified = 2026-11-20, '
        'confidence = "high" } }\n',
    )
    assert problems(path) == [
        f"{path}:3: branch_hours.channel: 'general:pboc-99999' is not a channel of any loaded pack; "
        "these hours are not applied"
    ]


def test_a_broken_extra_calendar_file_is_named_with_its_own_line(tmp_path):
    folder = tmp_path / "calendars"
    folder.mkdir()
    (folder / "cn-mainland-2027.toml").write_text('timezone = "Asia/Shanghai"\nyears = 3\n', encoding="utf-8")
    path = toml(tmp_path, f'calendars_dir = "{folder}"\n')
    assert problems(path) == [
        f"{path}:1: calendars_dir: {folder}/cn-mainland-2027.toml:2: years: expected an array (this file is left out)"
    ]


# -- can the kiosk's own account read it? -----------------------------------------------------------


@pytest.fixture
def shared_folder(request):
    """A folder anyone may enter, as /etc/wallet-kiosk is (a test's tmp_path may be private to its owner)."""
    folder = Path(tempfile.mkdtemp(prefix="kiosk-check-"))
    request.addfinalizer(lambda: shutil.rmtree(folder))
    folder.chmod(0o755)
    return folder


def test_a_file_only_its_owner_can_read_is_unreadable_for_the_kiosk_user(shared_folder):
    path = toml(shared_folder, 'branch_name = "Xuhui"\n')
    path.chmod(0o600)  # owned by whoever runs the test, as after `sudo cp` it is root's
    found = problems(path, user=NOBODY)
    assert len(found) == 1
    assert f"user '{NOBODY}' cannot read this file (the file's mode does not allow it" in found[0]
    assert "mode 0600" in found[0] and f"chown {NOBODY} {path}" in found[0]
    path.chmod(0o644)
    assert problems(path, user=NOBODY) == []


def test_a_folder_the_kiosk_user_cannot_enter(shared_folder):
    inner = shared_folder / "private"
    inner.mkdir(mode=0o700)
    path = toml(inner, 'branch_name = "Xuhui"\n')
    path.chmod(0o644)
    [found] = problems(path, user=NOBODY)
    assert f"it cannot enter {inner}" in found


def test_a_packs_folder_the_kiosk_user_cannot_read(shared_folder):
    packs = shared_folder / "packs"
    packs.mkdir(mode=0o700)
    path = toml(shared_folder, f'packs_dir = "{packs}"\n')
    path.chmod(0o644)
    assert problems(path, user=NOBODY) == [
        f"{path}: packs_dir: user '{NOBODY}' cannot read {packs} (its mode does not allow it)"
    ]


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user (os.chown)")
def test_a_file_given_to_the_kiosk_user_is_readable_by_it(shared_folder):
    path = toml(shared_folder, 'branch_name = "Xuhui"\n')
    path.chmod(0o600)
    os.chown(path, 65534, 65534)
    assert problems(path, user=NOBODY) == []


# -- through the command -----------------------------------------------------------------------------


@pytest.mark.slow
def test_an_explicit_config_that_does_not_exist_is_an_error(tmp_path):
    missing = tmp_path / "typo" / "kiosk.toml"
    result = run_kiosk("config", "--config", str(missing), "check")
    assert result.returncode == 1
    assert f"{missing}: not found; the kiosk runs on defaults, without a staff PIN" in result.stdout
    via_env = run_kiosk("config", "check", env_extra={"KIOSK_CONFIG": str(missing)})
    assert via_env.returncode == 1
    # The default place missing only means defaults.
    default = run_kiosk("config", "check", env_extra={"XDG_CONFIG_HOME": str(tmp_path / "xdg")})
    assert default.returncode == 0 and "runs on defaults" in default.stdout


@pytest.mark.slow
def test_config_check_lists_them_all_and_exits_1(tmp_path):
    path = toml(
        tmp_path,
        f'pack_block = ["wechatt"]\n[ssh]\nauth = "keys"\nauthorized_keys = "{tmp_path}/keys"\n'
        f'access_log = "{tmp_path}/no/access.log"\nmax_sessions = 2\nmax_sessions_per_address = 5\n',
    )
    result = run_kiosk("config", "--config", str(path), "check", "--user", NOBODY)
    assert result.returncode == 1
    for line in (1, 4, 5, 7):
        assert f"{path}:{line}: " in result.stdout, result.stdout
    assert f"user '{NOBODY}' cannot read this file" in result.stdout
    assert "problem(s)" in result.stdout.splitlines()[-1]
