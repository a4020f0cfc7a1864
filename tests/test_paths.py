"""Default file locations come from platformdirs and, on Linux, are exactly the XDG paths the kiosk always used."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from helpers import run_python

from kiosk import config, packcache, paths
from kiosk.config.remote import SshSettings

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG layout is Linux's")

XDG = ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME")


def locations() -> dict[str, Path | None]:
    return {
        "config": config.resolve_path(None, {}),
        "cache": packcache.default_directory({}),
        "host_key": SshSettings().host_key_path(),
        "state": paths.state_dir(),
    }


def test_without_xdg_variables_everything_is_under_home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in XDG:
        monkeypatch.delenv(name, raising=False)
    assert locations() == {
        "config": tmp_path / ".config" / "wallet-kiosk" / "kiosk.toml",
        "cache": tmp_path / ".cache" / "wallet-kiosk" / "packs",
        "host_key": tmp_path / ".local" / "share" / "wallet-kiosk" / "ssh_host_ed25519_key",
        "state": tmp_path / ".local" / "state" / "wallet-kiosk",
    }


def test_xdg_variables_win_over_home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name in XDG:
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    assert locations() == {
        "config": tmp_path / "xdg_config_home" / "wallet-kiosk" / "kiosk.toml",
        "cache": tmp_path / "xdg_cache_home" / "wallet-kiosk" / "packs",
        "host_key": tmp_path / "xdg_data_home" / "wallet-kiosk" / "ssh_host_ed25519_key",
        "state": tmp_path / "xdg_state_home" / "wallet-kiosk",
    }
    assert not (tmp_path / "xdg_config_home").exists()  # asking for a folder creates nothing


def test_the_kiosk_variables_win_over_the_platform_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    env = {"KIOSK_CONFIG": "/etc/kiosk.toml", "KIOSK_PACK_CACHE": "/srv/cache"}
    assert config.resolve_path(None, env) == Path("/etc/kiosk.toml")
    assert packcache.default_directory(env) == Path("/srv/cache")
    assert packcache.default_directory({"KIOSK_PACK_CACHE": "off"}) is None
    assert SshSettings(host_key="~/k").host_key_path() == Path("~/k").expanduser()


@pytest.mark.slow
def test_the_same_paths_from_a_fresh_process_and_no_platformdirs_when_both_are_named(tmp_path):
    code = """
        import json, sys
        from kiosk import config, packcache
        from kiosk.config.remote import SshSettings
        print(json.dumps({
            "config": str(config.resolve_path(None)),
            "cache": str(packcache.default_directory()),
            "host_key": str(SshSettings().host_key_path()),
            "platformdirs": "platformdirs" in sys.modules,
        }))
        """
    unset = {name: "" for name in XDG}  # empty counts as unset, for platformdirs as it always did
    home = run_python(code, env_extra={"HOME": str(tmp_path), **unset})
    assert home.returncode == 0, home.stderr
    assert json.loads(home.stdout) == {
        "config": f"{tmp_path}/.config/wallet-kiosk/kiosk.toml",
        "cache": f"{tmp_path}/.cache/wallet-kiosk/packs",
        "host_key": f"{tmp_path}/.local/share/wallet-kiosk/ssh_host_ed25519_key",
        "platformdirs": True,
    }
    named = run_python(
        code.replace('"host_key": str(SshSettings().host_key_path()),', ""),
        env_extra={"HOME": str(tmp_path), "KIOSK_CONFIG": "/etc/k.toml", "KIOSK_PACK_CACHE": "/srv/c"},
    )
    assert named.returncode == 0, named.stderr
    assert json.loads(named.stdout) == {"config": "/etc/k.toml", "cache": "/srv/c", "platformdirs": False}
