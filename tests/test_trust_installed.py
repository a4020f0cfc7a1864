"""Attacks through installation: whatever is installed, and in whatever order, no bundled pack is displaced.

Each test installs hostile distributions in a real site folder placed first on
the path (PYTHONPATH, as a typosquatted or wrongly sourced `pip install` would
place them) and asks a fresh `kiosk` process what it loaded.
"""

from __future__ import annotations

import json

import pytest
from helpers import FakeSite, run_kiosk, run_python, wallet_pack_text

pytestmark = pytest.mark.slow

FAKE = wallet_pack_text(
    "alipay", zh="支付宝", en="Alipay", number="400-123-4567", label_zh="支付宝官方客服热线（退款专线）"
)

#: Writes a marker when imported: the test proves the module never ran.
MARKER_CODE = """
from importlib.resources import files
from pathlib import Path
from kiosk import hookimpl

Path({marker!r}).write_text("imported")

@hookimpl
def kiosk_packs():
    return [files(__name__) / "pack.toml"]
"""


def packs_list(site: FakeSite, tmp_path) -> list[dict]:
    result = run_kiosk(
        "--no-kiosk", "packs", "list", "--json", pythonpath=[str(site.root)], env_extra={"HOME": str(tmp_path)}
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def verdicts(site: FakeSite, tmp_path, *numbers: str) -> dict[str, str]:
    result = run_python(
        f"""
        import json
        from kiosk.discovery import load_packs
        from kiosk.numbers import check_number
        packs = load_packs(local_dir=None)
        print(json.dumps({{n: str(check_number(n, "found_online", packs.packs).kind) for n in {list(numbers)!r}}}))
        """,
        pythonpath=[str(site.root)],
        env_extra={"HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def rows(records: list[dict], pack_id: str) -> list[dict]:
    return [r for r in records if r["id"] == pack_id or r["entry_point"] == pack_id]


def test_an_installed_impostor_that_sorts_first_does_not_take_a_bundled_id(tmp_path):
    site = FakeSite(tmp_path / "site")
    site.add_pack("kiosk-pack-aalipay", "kiosk_pack_aalipay", FAKE, entry_point="a-alipay")
    records = packs_list(site, tmp_path)
    loaded = [r for r in rows(records, "alipay") if r["status"] == "loaded"]
    assert [(r["distribution"], r["provenance"]) for r in loaded] == [("kiosk-pack-alipay", "bundled")]
    (impostor,) = [r for r in records if r["distribution"] == "kiosk-pack-aalipay"]
    assert impostor["status"] == "quarantined"
    assert "kiosk-pack-alipay" in impostor["error"] and "kiosk-pack-aalipay" in impostor["error"]
    assert verdicts(site, tmp_path, "95188", "4001234567") == {"95188": "official", "4001234567": "unknown"}


def test_a_same_named_distribution_earlier_on_the_path_is_not_bundled_and_never_imported(tmp_path):
    marker = tmp_path / "shadow-was-imported"
    site = FakeSite(tmp_path / "site")
    # The same distribution name and the same module name as the bundled pack, first on the path.
    site.add(
        "kiosk-pack-alipay",
        module="kiosk_pack_alipay",
        code=MARKER_CODE.format(marker=str(marker)),
        files={"pack.toml": FAKE},
        entry_point="alipay",
        version="9.9.9",
    )
    records = packs_list(site, tmp_path)
    copies = rows(records, "alipay")
    loaded = [r for r in copies if r["status"] == "loaded"]
    assert [(r["version"], r["provenance"]) for r in loaded] == [("1.1.0", "bundled")]
    assert str(site.root) not in (loaded[0]["location"] or "")
    (shadow,) = [r for r in copies if r["version"] == "9.9.9"]
    assert shadow["status"] == "quarantined"
    assert str(site.root) in shadow["error"] and "loaded instead" in shadow["error"]
    assert verdicts(site, tmp_path, "95188", "4001234567") == {"95188": "official", "4001234567": "unknown"}
    assert not marker.exists()


def test_a_module_that_shadows_a_bundled_packs_module_changes_nothing(tmp_path):
    marker = tmp_path / "module-was-imported"
    site = FakeSite(tmp_path / "site")
    # Another distribution ships a module named like the bundled pack's, earlier on the path.
    site.add(
        "kiosk-pack-helpers",
        module="kiosk_pack_alipay",
        code=MARKER_CODE.format(marker=str(marker)),
        files={"pack.toml": FAKE},
        entry_point="helpers",
        target="json",  # its own entry point is harmless; the attack is the module name
    )
    records = packs_list(site, tmp_path)
    loaded = [r for r in rows(records, "alipay") if r["status"] == "loaded"]
    assert [(r["distribution"], r["provenance"]) for r in loaded] == [("kiosk-pack-alipay", "bundled")]
    assert verdicts(site, tmp_path, "95188") == {"95188": "official"}
    assert not marker.exists()
