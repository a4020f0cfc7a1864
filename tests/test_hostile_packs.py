"""Hostile pack documents: every failure while reading one quarantines that pack, and nothing else stops.

Deeply nested documents (RecursionError inside tomllib), documents over the size limit, a FIFO
and a symlink to /dev/zero under a `.toml` name, and a reader that raises anything at all.
The files are fixtures (tests/fixtures/packs/hostile) or made by `hostile_packs_folder`.
"""

from __future__ import annotations

import os
import threading

import pytest
from helpers import HOSTILE_PACKS, MINIMAL_PACK, hostile_packs_folder, minimal_pack_text, present

from kiosk.discovery import load_packs
from kiosk.packfile import read_pack, read_pack_file
from kiosk.packset import PackSet, PackStatus, Selection
from kiosk.regularfile import MAX_DOCUMENT_BYTES, FileRefused, read_regular_file


def load_in_time(timeout: float = 20, **kwargs) -> PackSet:
    """load_packs in a thread: a start-up that hangs (a FIFO) fails the test instead of hanging it."""
    kwargs.setdefault("selection", Selection())
    kwargs.setdefault("eps", [])
    found: list[PackSet] = []
    failed: list[BaseException] = []

    def run() -> None:
        try:
            found.append(load_packs(**kwargs))
        except BaseException as exc:
            failed.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout)
    assert not worker.is_alive(), f"loading packs did not finish in {timeout} s"
    assert not failed, f"loading packs raised {failed[0]!r}"
    return found[0]


@pytest.mark.parametrize("fixture", sorted(p.name for p in HOSTILE_PACKS.glob("nested-*.toml")))
def test_a_deeply_nested_document_is_reported_not_raised(fixture):
    result = read_pack((HOSTILE_PACKS / fixture).read_bytes(), fixture)
    assert result.pack is None
    [error] = result.errors
    assert "nested too deeply" in error.message and error.file == fixture


def test_nesting_deep_enough_for_the_validator_but_not_for_tomllib_is_reported_too():
    """tomllib copes with a few hundred levels; the checks walking the document must cope as well."""
    deep = minimal_pack_text() + "\n[extra]\nx = " + "[" * 450 + "]" * 450 + "\n"
    result = read_pack(deep, "deep.toml")
    assert result.pack is None and result.errors


def test_a_document_over_the_size_limit_is_refused_before_parsing():
    text = MINIMAL_PACK.read_text(encoding="utf-8") + "#" * MAX_DOCUMENT_BYTES
    result = read_pack(text.encode(), "big.toml")
    assert result.pack is None
    assert "more than the" in result.errors[0].message


def test_only_regular_files_of_bounded_size_are_read(tmp_path):
    reasons = hostile_packs_folder(tmp_path)
    assert b"format = 1" in read_regular_file(tmp_path / "good.toml")
    for name in ("fifo.toml", "zero.toml", "huge.toml"):
        with pytest.raises(FileRefused, match=reasons[name]):
            read_regular_file(tmp_path / name)
    with pytest.raises(FileRefused, match="a folder"):
        read_regular_file(tmp_path)
    # read_pack_file, what `kiosk packs validate` uses, reports it instead of hanging
    result = read_pack_file(tmp_path / "fifo.toml")
    assert result.pack is None and "not a regular file" in result.errors[0].message


def test_every_hostile_local_file_is_quarantined_with_its_reason_and_the_good_one_loads(tmp_path):
    folder = tmp_path / "packs"
    reasons = hostile_packs_folder(folder)
    packset = load_in_time(local_dir=folder)
    assert [p.id for p in packset.packs] == ["general", "branch-desk"]
    for name, reason in reasons.items():
        record = packset.record(f"local:{name}")
        assert record is not None, name
        assert record.status is PackStatus.QUARANTINED, name
        assert reason in (record.error or ""), (name, record.error)


def test_an_installed_pack_with_a_nested_document_is_quarantined(fake_site):
    fake_site.add_pack(
        "kiosk-pack-deep", "hostile_deep_mod", (HOSTILE_PACKS / "nested-arrays.toml").read_text(), entry_point="deep"
    )
    fake_site.add_pack(
        "kiosk-pack-demo", "hostile_demo_mod", MINIMAL_PACK.read_text(encoding="utf-8"), entry_point="demo"
    )
    packset = load_in_time(eps=fake_site.entry_points())
    assert [p.id for p in packset.packs] == ["general", "demo"]
    record = present(packset.record("deep"))
    assert record.status is PackStatus.QUARANTINED and "nested too deeply" in (record.error or "")


def test_an_installed_pack_pointing_at_a_fifo_is_quarantined(fake_site, tmp_path):
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    fake_site.add(
        "kiosk-pack-pipe",
        module="hostile_pipe_mod",
        code=(
            "from pathlib import Path\nfrom kiosk import hookimpl\n\n"
            f"@hookimpl\ndef kiosk_packs():\n    return [Path({str(fifo)!r})]\n"
        ),
        entry_point="pipe",
    )
    packset = load_in_time(eps=fake_site.entry_points())
    record = present(packset.record("pipe"))
    assert record.status is PackStatus.QUARANTINED and "not a regular file" in (record.error or "")


def test_any_exception_while_reading_a_document_quarantines_only_that_pack(tmp_path):
    (tmp_path / "a.toml").write_text(MINIMAL_PACK.read_text(encoding="utf-8"), encoding="utf-8")

    def exploding_reader(data: bytes, filename: str):
        raise MemoryError("the document was too much")

    packset = load_in_time(local_dir=tmp_path, reader=exploding_reader)
    assert packset.packs == ()
    statuses = {r.entry_point: (r.status, r.error) for r in packset.records}
    assert statuses["local:a.toml"][0] is PackStatus.QUARANTINED
    assert "MemoryError: the document was too much" in (statuses["local:a.toml"][1] or "")
    assert statuses["general"][0] is PackStatus.QUARANTINED  # quarantined too, and nothing raised
