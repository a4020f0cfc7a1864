"""The example systemd units start commands this kiosk accepts, and stay up the way the guide says.

A unit that drifts from the command line fails only on a branch machine at boot; here it fails
in the suite instead.
"""

import configparser
import shlex
from pathlib import Path

import pytest
from helpers import REPO

from kiosk.cli import build_parser

UNITS = sorted((REPO / "deploy").glob("*.service"))


def read_unit(path: Path) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    unit.optionxform = str  # systemd keys are case-sensitive
    unit.read_string(path.read_text(encoding="utf-8"))
    return unit


def test_a_unit_ships_for_the_console_ssh_and_the_browser():
    assert [u.name for u in UNITS] == ["wallet-kiosk-ssh.service", "wallet-kiosk-web.service", "wallet-kiosk.service"]


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_the_unit_starts_a_valid_kiosk_command_and_restarts_it(path):
    service = read_unit(path)["Service"]
    argv = shlex.split(service["ExecStart"])
    assert Path(argv[0]).name == "kiosk"
    # build_parser() exits 2 with a message on anything it does not accept.
    args = build_parser().parse_args(argv[1:])
    assert args.config == "/etc/wallet-kiosk/kiosk.toml"
    assert service["Restart"] == "always"
    assert service["User"] != "root"
    assert service["NoNewPrivileges"] == "yes"


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_the_operator_guide_tells_how_to_install_each_unit(path):
    guide = (REPO / "docs" / "operating.md").read_text(encoding="utf-8")
    assert f"sudo cp deploy/{path.name} /etc/systemd/system/" in guide


def test_the_console_unit_stays_down_after_a_maintenance_exit():
    from kiosk.exitcodes import STAFF_MAINTENANCE

    service = read_unit(REPO / "deploy" / "wallet-kiosk.service")["Service"]
    assert service["RestartPreventExitStatus"].split() == [str(STAFF_MAINTENANCE)]


def test_the_web_unit_listens_on_loopback():
    from kiosk.web import is_loopback

    argv = shlex.split(read_unit(REPO / "deploy" / "wallet-kiosk-web.service")["Service"]["ExecStart"])
    args = build_parser().parse_args(argv[1:])
    assert is_loopback(args.host) and not args.public
