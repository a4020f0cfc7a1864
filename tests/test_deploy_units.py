"""The example systemd units start commands this kiosk accepts, stay up the way the guide says,
and are locked down without losing what each needs (a tty, listening sockets, ptys).

A unit that drifts from the command line fails only on a branch machine at boot; here it fails
in the suite instead. Where systemd's own tools are installed, they verify each unit and score
its exposure, and the guide must quote that score.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO
from systemd_units import CONSOLE_UNIT, UNIT_DIR, UNITS, expand, read_unit

from kiosk.cli import build_parser
from kiosk.exitcodes import STAFF_MAINTENANCE, USAGE

GUIDE = REPO / "docs" / "operating.md"
SSH_UNIT = UNIT_DIR / "wallet-kiosk-ssh.service"
WEB_UNIT = UNIT_DIR / "wallet-kiosk-web.service"
#: What each unit may open sockets for: the console only the journal's (AF_UNIX); the front doors
#: also listen (AF_INET, AF_INET6) and talk to their session processes (AF_UNIX).
ADDRESS_FAMILIES = {
    CONSOLE_UNIT.name: {"AF_UNIX"},
    SSH_UNIT.name: {"AF_UNIX", "AF_INET", "AF_INET6"},
    WEB_UNIT.name: {"AF_UNIX", "AF_INET", "AF_INET6"},
}
MAX_EXPOSURE = 2.0


def test_a_unit_ships_for_the_console_ssh_and_the_browser():
    assert [u.name for u in UNITS] == ["wallet-kiosk-ssh.service", "wallet-kiosk-web.service", "wallet-kiosk.service"]


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_the_unit_starts_a_valid_kiosk_command_and_restarts_it(path):
    unit = read_unit(path)
    argv = shlex.split(unit.value("ExecStart") or "")
    assert Path(argv[0]).name == "kiosk"
    # build_parser() exits 2 with a message on anything it does not accept.
    args = build_parser().parse_args(argv[1:])
    assert args.config == "/etc/wallet-kiosk/kiosk.toml"
    assert unit.value("Restart") == "always"
    assert unit.value("User") not in (None, "root", "0")
    # A bad command line (2) cannot fix itself and a maintenance exit (10) means "stay down".
    assert (unit.value("RestartPreventExitStatus") or "").split() == [str(USAGE), str(STAFF_MAINTENANCE)]
    # No start limit: a kiosk or front door that failed for a while is tried again, not left failed.
    assert unit.value("StartLimitIntervalSec", section="Unit") == "0"


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_the_operator_guide_tells_how_to_install_each_unit(path):
    guide = GUIDE.read_text(encoding="utf-8")
    assert f"sudo cp deploy/{path.name} /etc/systemd/system/" in guide


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_the_unit_is_locked_down(path):
    unit = read_unit(path)
    assert unit.value("NoNewPrivileges") == "yes"
    assert unit.value("ProtectSystem") == "strict"
    assert unit.value("PrivateTmp") == "yes"
    assert unit.value("ProtectHome") == "yes"
    families = {family for line in unit.values("RestrictAddressFamilies") for family in line.split()}
    assert families == ADDRESS_FAMILIES[path.name]
    # An allow list of the system-service group first; later lines may only take calls away.
    filters = unit.values("SystemCallFilter")
    assert filters and filters[0] == "@system-service"
    assert all(line.startswith("~") for line in filters[1:])
    assert unit.value("SystemCallArchitectures") == "native"
    # Empty: no capabilities at all (an empty assignment resets the set to nothing).
    assert unit.value("CapabilityBoundingSet") == "" and unit.values("CapabilityBoundingSet") == []
    assert unit.values("AmbientCapabilities") == []
    assert unit.value("LimitCORE") == "0"
    assert unit.value("UMask") == "0077"
    assert re.fullmatch(r"\d+[KMGT]", unit.value("MemoryMax") or ""), unit.value("MemoryMax")
    assert re.fullmatch(r"\d+", unit.value("TasksMax") or "")
    for setting in (
        "ProtectKernelTunables",
        "ProtectKernelModules",
        "ProtectKernelLogs",
        "ProtectControlGroups",
        "ProtectClock",
        "ProtectHostname",
        "RestrictNamespaces",
        "RestrictRealtime",
        "RestrictSUIDSGID",
        "LockPersonality",
        "MemoryDenyWriteExecute",
        "RemoveIPC",
    ):
        assert unit.value(setting) == "yes", setting


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_systemd_makes_the_directories_and_the_kiosk_finds_them(path):
    """$XDG_STATE_HOME/wallet-kiosk is the StateDirectory, and so on: no manual `install -d`."""
    unit = read_unit(path)
    assert unit.values("StateDirectory") == ["wallet-kiosk"]
    assert unit.values("CacheDirectory") == ["wallet-kiosk"]
    assert unit.values("ConfigurationDirectory") == ["wallet-kiosk"]
    assert unit.value("StateDirectoryMode") == unit.value("CacheDirectoryMode") == "0700"
    env = unit.environment()
    state = "/var/lib/wallet-kiosk"
    assert f"{env['XDG_STATE_HOME']}/wallet-kiosk" == f"{env['XDG_DATA_HOME']}/wallet-kiosk" == state
    assert f"{env['XDG_CACHE_HOME']}/wallet-kiosk" == "/var/cache/wallet-kiosk"
    assert f"{env['XDG_CONFIG_HOME']}/wallet-kiosk" == "/etc/wallet-kiosk"
    assert expand(unit.value("WorkingDirectory") or "") == state
    assert "/etc/wallet-kiosk/" in (unit.value("ExecStart") or "")
    assert "install -d" not in path.read_text(encoding="utf-8")


def test_the_ssh_host_key_is_in_the_state_directory(monkeypatch):
    from kiosk.config.remote import default_host_key

    # The kiosk reads its folders from the process environment, which the unit sets.
    for name, value in read_unit(SSH_UNIT).environment().items():
        monkeypatch.setenv(name, value)
    assert default_host_key() == Path("/var/lib/wallet-kiosk/ssh_host_ed25519_key")
    assert "/var/lib/wallet-kiosk/ssh_host_ed25519_key" in SSH_UNIT.read_text(encoding="utf-8")


def test_the_console_unit_owns_its_terminal_and_no_other_device():
    unit = read_unit(CONSOLE_UNIT)
    assert unit.value("StandardInput") == "tty-force"
    # Textual draws on standard error and measures the screen on standard output.
    assert unit.value("StandardOutput") == unit.value("StandardError") == "tty"
    # Not PrivateDevices=, which would hide the console; a closed device list with it on it.
    assert unit.value("PrivateDevices") in (None, "no")
    assert unit.value("DevicePolicy") == "closed"
    assert f"{unit.value('TTYPath')} rw" in unit.values("DeviceAllow")
    assert unit.value("PrivateNetwork") == "yes"
    assert unit.value("TTYVTDisallocate") == unit.value("TTYReset") == unit.value("TTYVHangup") == "yes"


@pytest.mark.parametrize("path", [SSH_UNIT, WEB_UNIT], ids=lambda p: p.name)
def test_the_front_doors_keep_their_ptys_and_log_to_the_journal(path):
    unit = read_unit(path)
    # PrivateDevices= leaves /dev/ptmx and /dev/pts: every session's kiosk runs on a pty.
    assert unit.value("PrivateDevices") == "yes"
    assert unit.value("DevicePolicy") in (None, "closed")
    assert unit.value("StandardOutput") == unit.value("StandardError") == "journal"
    assert unit.value("KillMode") == "mixed"


def test_the_web_unit_listens_on_loopback_and_accepts_only_loopback():
    from kiosk.web import is_loopback

    unit = read_unit(WEB_UNIT)
    args = build_parser().parse_args(shlex.split(unit.value("ExecStart") or "")[1:])
    assert is_loopback(args.host) and not args.public
    assert unit.value("IPAddressDeny") == "any"
    assert unit.values("IPAddressAllow") == ["localhost"]


# -- systemd's own tools ------------------------------------------------------------------

SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
needs_systemd_analyze = pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="systemd-analyze is not installed")


def runnable_copy(path: Path, folder: Path) -> Path:
    """The unit with ExecStart pointing at this environment's `kiosk`, so that it exists."""
    unit = read_unit(path)
    installed = shlex.split(unit.value("ExecStart") or "")[0]
    here = Path(sys.executable).parent / "kiosk"
    assert here.exists()
    copy = folder / path.name
    copy.write_text(path.read_text(encoding="utf-8").replace(installed, str(here)), encoding="utf-8")
    return copy


def exposure(path: Path) -> float:
    assert SYSTEMD_ANALYZE is not None
    done = subprocess.run(
        [SYSTEMD_ANALYZE, "security", "--offline=true", "--no-pager", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    found = re.search(rf"Overall exposure level for {re.escape(path.name)}: (\d+\.\d)", done.stdout)
    assert found, done.stdout + done.stderr
    return float(found.group(1))


def documented_exposure(name: str) -> float:
    found = re.search(rf"^\| `{re.escape(name)}` \| \*\*(\d+\.\d)\*\*", GUIDE.read_text(encoding="utf-8"), re.M)
    assert found, f"docs/operating.md gives no exposure score for {name}"
    return float(found.group(1))


@needs_systemd_analyze
@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_systemd_verifies_the_unit(path, tmp_path):
    assert SYSTEMD_ANALYZE is not None
    copy = runnable_copy(path, tmp_path)
    done = subprocess.run([SYSTEMD_ANALYZE, "verify", str(copy)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert copy.name not in done.stdout + done.stderr, done.stdout + done.stderr


@needs_systemd_analyze
@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_the_unit_scores_low_on_systemds_exposure_check_and_the_guide_says_so(path, tmp_path):
    score = exposure(runnable_copy(path, tmp_path))
    assert score <= MAX_EXPOSURE
    assert exposure(path) == score  # the shipped file itself scores the same
    assert documented_exposure(path.name) == score


#: Front doors that apply a new configuration on SIGHUP (kiosk.ssh.server.serve); only their
#: units may say `systemctl reload` works.
RELOADS_ON_SIGHUP = {SSH_UNIT.name}


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_reload_is_offered_exactly_where_the_door_reloads_on_sighup(path):
    reload = read_unit(path).value("ExecReload")
    if path.name in RELOADS_ON_SIGHUP:
        assert reload is not None and shlex.split(reload) == ["/bin/kill", "-HUP", "$MAINPID"]
    else:
        assert reload is None
