"""The one way the kiosk replaces a file: all or nothing, owner-only, nothing left behind."""

from __future__ import annotations

import os
import stat

import pytest

from kiosk.atomicfile import write_atomic


def test_a_file_is_replaced_whole_and_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text("old", encoding="utf-8")
    os.chmod(path, 0o644)
    write_atomic(path, b"new")
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["kiosk.toml"]


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary_one(tmp_path, monkeypatch):
    path = tmp_path / "cache.pickle"
    path.write_bytes(b"old")

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(path, b"new")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["cache.pickle"]


def test_only_a_durable_write_waits_for_the_disk(tmp_path, monkeypatch):
    synced: list[int] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    write_atomic(tmp_path / "cache", b"x")
    assert synced == []
    write_atomic(tmp_path / "kiosk.toml", b"x", durable=True)
    assert len(synced) == 1
