"""The validated-pack cache: the very packs validation made, judged again each day, never trusting strangers' files."""

from __future__ import annotations

import os

import pytest
from helpers import MINIMAL_PACK, minimal_pack_text, present

from kiosk.discovery import load_packs
from kiosk.model import Pack
from kiosk.packcache import PackCache, default_directory
from kiosk.packfile import read_pack_file
from kiosk.packset import Selection


def load(site, cache):
    return load_packs(eps=site.entry_points(), selection=Selection(), cache=cache)


def test_second_start_uses_the_cache_and_gives_equal_packs(fake_site, tmp_path):
    fake_site.add_pack(
        "kiosk-pack-demo", "cache_demo_mod", MINIMAL_PACK.read_text(encoding="utf-8"), entry_point="demo"
    )
    cache = PackCache(tmp_path / "cache")
    first = load(fake_site, cache)
    assert cache.hits == 0
    again = PackCache(tmp_path / "cache")
    second = load(fake_site, again)
    assert again.hits == 2  # the general pack and the demo pack
    demo = second.get("demo")
    # A real Pack, not a stand-in: no consumer (the QR code, search, branch hours) can tell it apart.
    assert type(demo) is Pack
    assert demo.pack.name["en"] == "Demo Wallet"
    assert present(demo.guide("forgot-password")).title["en"] == "I forgot my payment password"
    assert demo == first.get("demo") == read_pack_file(MINIMAL_PACK).unwrap()
    assert [r.status for r in second.records] == [r.status for r in first.records]


def test_a_changed_document_is_validated_again(fake_site, tmp_path):
    fake_site.add_pack(
        "kiosk-pack-demo", "cache_change_mod", MINIMAL_PACK.read_text(encoding="utf-8"), entry_point="demo"
    )
    cache = PackCache(tmp_path / "cache")
    load(fake_site, cache)
    document = next(fake_site.root.glob("cache_change_mod/pack.toml"))
    document.write_text(minimal_pack_text(**{'brand_colour = "#AA3300"': 'brand_colour = "red"'}), encoding="utf-8")
    again = PackCache(tmp_path / "cache")
    packset = load(fake_site, again)
    assert packset.get("demo") is None
    assert packset.record("demo").status == "quarantined"


def test_files_others_could_have_written_are_ignored(fake_site, tmp_path):
    fake_site.add_pack(
        "kiosk-pack-demo", "cache_trust_mod", MINIMAL_PACK.read_text(encoding="utf-8"), entry_point="demo"
    )
    folder = tmp_path / "cache"
    load(fake_site, PackCache(folder))
    for path in folder.iterdir():
        os.chmod(path, 0o666)  # group and world writable: anyone could have planted it
    again = PackCache(folder)
    packset = load(fake_site, again)
    assert again.hits == 0 and packset.get("demo") is not None


def test_damaged_content_is_validated_again(fake_site, tmp_path):
    fake_site.add_pack(
        "kiosk-pack-demo", "cache_damage_mod", MINIMAL_PACK.read_text(encoding="utf-8"), entry_point="demo"
    )
    folder = tmp_path / "cache"
    load(fake_site, PackCache(folder))
    for entry in folder.glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    again = PackCache(folder)
    packset = load(fake_site, again)
    assert again.hits == 0
    assert packset.get("demo").guide("refund").category == "refund"


def test_a_new_day_validates_again_and_old_entries_are_pruned(fake_site, tmp_path):
    """Validation judges `verified` dates against today: yesterday's verdict is not reused."""
    import datetime as _dt

    fake_site.add_pack("kiosk-pack-demo", "cache_day_mod", MINIMAL_PACK.read_text(encoding="utf-8"), entry_point="demo")
    folder = tmp_path / "cache"
    day = _dt.date(2026, 12, 2)
    load(fake_site, PackCache(folder, today=day))
    written = sorted(folder.glob("*.pickle"))
    same_day = PackCache(folder, today=day)
    load(fake_site, same_day)
    assert same_day.hits == 2
    for entry in written:
        os.utime(entry, (0, 0))  # written long ago
    next_day = PackCache(folder, today=day + _dt.timedelta(days=1))
    load(fake_site, next_day)
    assert next_day.hits == 0
    assert not set(written) & set(folder.glob("*.pickle"))  # the old entries are gone, today's are there
    assert len(list(folder.glob("*.pickle"))) == len(written)


def test_cache_location_and_switch(monkeypatch):
    assert default_directory({"KIOSK_PACK_CACHE": "off"}) is None
    assert str(default_directory({"KIOSK_PACK_CACHE": "/srv/cache"})) == "/srv/cache"
    monkeypatch.setenv("XDG_CACHE_HOME", "/x")
    assert str(default_directory({})) == "/x/wallet-kiosk/packs"


@pytest.mark.slow
def test_a_start_with_every_document_cached_never_loads_the_validator(tmp_path):
    """The validator is most of what loading costs; a kiosk restarting over unchanged packs skips it."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from kiosk.discovery import load_packs\n"
        "from kiosk.packcache import PackCache\n"
        "from pathlib import Path\n"
        f"packs = load_packs(cache=PackCache(Path({str(tmp_path / 'cache')!r})))\n"
        "assert len(packs.packs) >= 4, packs.records\n"
        "print('kiosk.packfile' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    runs = [
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True).stdout
        for _ in range(2)
    ]
    assert runs == ["True\n", "False\n"]  # the first start validates and fills the cache; the second does not
