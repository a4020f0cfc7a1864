"""The host key: made once, private, reused; refused when others could read it."""

from __future__ import annotations

import os
import stat

import asyncssh
import pytest

from kiosk.ssh import hostkey
from kiosk.ssh.hostkey import HostKeyError, fingerprint, load_or_create


def test_made_once_in_a_private_folder_and_reused(tmp_path):
    path = tmp_path / "new" / "ssh_host_ed25519_key"
    key = load_or_create(path)
    assert key.algorithm == b"ssh-ed25519"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    again = load_or_create(path)
    assert fingerprint(again) == fingerprint(key) and fingerprint(key).startswith("SHA256:")
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


def test_a_key_others_can_read_is_refused_with_the_fix(tmp_path):
    path = tmp_path / "ssh_host_ed25519_key"
    load_or_create(path)
    os.chmod(path, 0o640)
    with pytest.raises(HostKeyError, match=f"readable by others \\(mode 640\\); run: chmod 600 {path}"):
        load_or_create(path)


def test_a_file_that_is_not_a_key_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "ssh_host_ed25519_key"
    path.write_text("not a key\n", encoding="utf-8")
    os.chmod(path, 0o600)
    with pytest.raises(HostKeyError, match="cannot read the host key"):
        load_or_create(path)
    assert path.read_text(encoding="utf-8") == "not a key\n"


def test_a_key_made_by_another_start_meanwhile_wins(tmp_path, monkeypatch):
    """Two servers starting at once: neither overwrites the other's key, both use one."""
    path = tmp_path / "ssh_host_ed25519_key"
    theirs = asyncssh.generate_private_key("ssh-ed25519")
    real_link = os.link

    def link_after_the_other_start(source, target):
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(theirs.export_private_key("openssh"))
        real_link(source, target)  # raises FileExistsError, as a lost race does

    monkeypatch.setattr(hostkey.os, "link", link_after_the_other_start)
    key = load_or_create(path)
    assert fingerprint(key) == fingerprint(theirs)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
