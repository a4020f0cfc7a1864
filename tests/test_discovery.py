"""Guarded discovery: one broken pack is quarantined with its reason, every other pack still loads."""

from __future__ import annotations

import io
import sys

import pytest
from helpers import minimal_pack_text

from kiosk import __version__
from kiosk.discovery import discover, load_packs
from kiosk.packset import PackStatus, Selection

GOOD = minimal_pack_text()


def pack_text(pack_id: str) -> str:
    return minimal_pack_text(**{'id = "demo"': f'id = "{pack_id}"'})


def load(site, **kwargs):
    kwargs.setdefault("selection", Selection())
    return load_packs(eps=site.entry_points(), **kwargs)


def statuses(packset):
    return {r.id: r.status for r in packset.records}


def record(packset, pack_id):
    found = packset.record(pack_id)
    assert found is not None, [r.id for r in packset.records]
    return found


@pytest.fixture
def site(fake_site):
    # Every scenario has a healthy pack beside the broken one: it must always load.
    fake_site.add_pack("kiosk-pack-good", "good_pack_mod", pack_text("good"), entry_point="good")
    return fake_site


def assert_others_loaded(packset):
    assert [p.id for p in packset.packs] == ["general", "good"]


def test_healthy_packs_load_after_the_builtin_general_pack(site):
    packset = load(site)
    assert_others_loaded(packset)
    good = record(packset, "good")
    assert (good.status, good.distribution, good.version, good.pack_version) == (
        PackStatus.LOADED,
        "kiosk-pack-good",
        "1.0.0",
        "1.0.0",
    )
    assert good.file.endswith("pack.toml")
    assert record(packset, "general").builtin


def test_pack_that_fails_to_import(site):
    site.add(
        "kiosk-pack-broken", module="broken_import_mod", code="import does_not_exist_anywhere\n", entry_point="broken"
    )
    packset = load(site)
    assert_others_loaded(packset)
    broken = record(packset, "broken")
    assert broken.status is PackStatus.QUARANTINED
    assert broken.error == (
        "could not import broken_import_mod: ModuleNotFoundError: No module named 'does_not_exist_anywhere'"
    )


def test_pack_with_a_syntax_error(site):
    site.add("kiosk-pack-syntax", module="syntax_error_mod", code="def oops(:\n", entry_point="syntax")
    packset = load(site)
    assert_others_loaded(packset)
    assert "SyntaxError" in record(packset, "syntax").error


def test_entry_point_naming_a_missing_attribute(site):
    site.add("kiosk-pack-attr", module="attr_mod", code="", entry_point="attr", target="attr_mod:plugin")
    packset = load(site)
    assert_others_loaded(packset)
    assert "AttributeError" in record(packset, "attr").error


def test_pack_that_exits_at_import_does_not_stop_the_kiosk(site):
    site.add("kiosk-pack-exit", module="exit_mod", code="import sys\nsys.exit(3)\n", entry_point="exiter")
    packset = load(site)
    assert_others_loaded(packset)
    assert record(packset, "exiter").error == "could not import exit_mod: SystemExit: 3"


def test_pack_whose_hook_raises(site):
    site.add(
        "kiosk-pack-raises",
        module="raises_mod",
        entry_point="raises",
        code="""
        from kiosk import hookimpl

        @hookimpl
        def kiosk_packs():
            raise RuntimeError("pack data missing")
    """,
    )
    packset = load(site)
    assert_others_loaded(packset)
    assert record(packset, "raises").error == "kiosk_packs() raised RuntimeError: pack data missing"


@pytest.mark.parametrize(
    "returned, expected",
    [
        ("42", "kiosk_packs() returned int 42; expected a list of paths"),
        ("'pack.toml'", "kiosk_packs() returned str 'pack.toml'; expected a list of paths"),
        ("[1, 2]", "kiosk_packs() returned int 1 in its list; expected paths to pack TOML files"),
        ("[]", "kiosk_packs() returned no pack documents"),
        ("None", "kiosk_packs() returned no pack documents"),
    ],
)
def test_pack_whose_hook_returns_garbage(site, returned, expected):
    module = f"garbage_{abs(hash(returned))}_mod"
    site.add(
        "kiosk-pack-garbage",
        module=module,
        entry_point="garbage",
        code=f"""
        from kiosk import hookimpl

        @hookimpl
        def kiosk_packs():
            return {returned}
    """,
    )
    packset = load(site)
    assert_others_loaded(packset)
    assert record(packset, "garbage").error == expected


def test_plugin_without_the_hook(site):
    site.add("kiosk-pack-nohook", module="nohook_mod", code="VALUE = 1\n", entry_point="nohook")
    packset = load(site)
    assert_others_loaded(packset)
    assert record(packset, "nohook").error == "nohook_mod implements no kiosk hook (expected kiosk_packs)"


def test_hook_with_a_wrong_signature(site):
    site.add(
        "kiosk-pack-sig",
        module="sig_mod",
        entry_point="sig",
        code="""
        from kiosk import hookimpl

        @hookimpl
        def kiosk_packs(locale):
            return []
    """,
    )
    packset = load(site)
    assert_others_loaded(packset)
    error = record(packset, "sig").error
    assert error.startswith("sig_mod is not a valid pack plugin:")
    assert "locale" in error


def test_pack_with_an_invalid_document_reports_file_line_and_field(site):
    text = pack_text("invalid").replace('brand_colour = "#AA3300"', 'brand_colour = "orange"')
    site.add_pack("kiosk-pack-invalid", "invalid_doc_mod", text, entry_point="invalid")
    packset = load(site)
    assert_others_loaded(packset)
    invalid = record(packset, "invalid")
    assert invalid.status is PackStatus.QUARANTINED
    assert invalid.error.endswith("pack.toml:8: pack.brand_colour: 'orange' is not a colour like \"#1677FF\"")
    assert [i.field for i in invalid.issues] == ["pack.brand_colour"]


def test_duplicate_pack_id_keeps_the_first(site):
    site.add_pack("kiosk-pack-zz-copy", "copy_mod", pack_text("good"), entry_point="zz-copy")
    packset = load(site)
    assert_others_loaded(packset)
    copies = [r for r in packset.records if r.id == "good"]
    assert [r.status for r in copies] == [PackStatus.LOADED, PackStatus.QUARANTINED]
    assert copies[1].error == "duplicate pack id 'good': already provided by kiosk-pack-good"


def test_pack_in_a_newer_format_says_what_to_upgrade(site):
    site.add_pack(
        "kiosk-pack-future", "future_mod", pack_text("future").replace("format = 1", "format = 2"), entry_point="future"
    )
    packset = load(site)
    assert_others_loaded(packset)
    assert (
        "pack format 2 is newer than this kiosk reads (1); upgrade wallet-kiosk to a version that reads it"
        in record(packset, "future").error
    )


def test_distribution_needing_another_kiosk_version_is_not_even_imported(site):
    site.add_pack(
        "kiosk-pack-old", "old_host_mod", pack_text("old"), entry_point="old", requires=["wallet-kiosk>=5,<6"]
    )
    packset = load(site)
    assert_others_loaded(packset)
    old = record(packset, "old")
    assert old.status is PackStatus.QUARANTINED
    assert old.error == (
        f"distribution kiosk-pack-old needs wallet-kiosk<6,>=5 but this kiosk is {__version__}; "
        "upgrade wallet-kiosk to a version in that range"
    )
    assert "old_host_mod" not in sys.modules


def test_distribution_made_for_an_older_kiosk_says_to_install_a_newer_pack(site):
    site.add_pack(
        "kiosk-pack-stale",
        "stale_host_mod",
        pack_text("stale"),
        entry_point="stale",
        requires=["wallet-kiosk>=0.0.1,<0.1"],
    )
    packset = load(site)
    assert_others_loaded(packset)
    stale = record(packset, "stale")
    assert stale.status is PackStatus.QUARANTINED
    assert stale.error == (
        f"distribution kiosk-pack-stale needs wallet-kiosk<0.1,>=0.0.1 but this kiosk is "
        f"{__version__}; install a newer version of this pack (one made for wallet-kiosk "
        f"{__version__})"
    )
    assert "stale_host_mod" not in sys.modules


def test_pack_in_an_older_format_says_to_install_a_newer_pack(site):
    site.add_pack(
        "kiosk-pack-ancient",
        "ancient_mod",
        pack_text("ancient").replace("format = 1", "format = 0"),
        entry_point="ancient",
    )
    packset = load(site)
    assert_others_loaded(packset)
    assert "pack format 0 is older than this kiosk reads (1); install a newer version of this pack" in (
        record(packset, "ancient").error
    )


def test_pack_manifest_needing_another_kiosk_version(site):
    text = pack_text("picky").replace('locales = ["zh-CN", "en"]', 'locales = ["zh-CN", "en"]\nrequires_kiosk = ">=9"')
    site.add_pack("kiosk-pack-picky", "picky_mod", text, entry_point="picky")
    packset = load(site)
    assert_others_loaded(packset)
    assert record(packset, "picky").error.startswith("pack 'picky' needs wallet-kiosk>=9")


def test_block_list_keeps_a_pack_out_without_importing_it(site):
    site.add_pack("kiosk-pack-blocked", "blocked_mod", pack_text("blocked"), entry_point="blocked")
    packset = load(site, selection=Selection.from_environment({"KIOSK_PACKS_BLOCK": "blocked, other"}))
    assert_others_loaded(packset)
    blocked = record(packset, "blocked")
    assert (blocked.status, blocked.error) == (PackStatus.DISABLED, "blocked by KIOSK_PACKS_BLOCK")
    assert "blocked_mod" not in sys.modules


def test_allow_list_loads_only_the_named_packs_but_always_the_general_pack(site):
    site.add_pack("kiosk-pack-extra", "extra_mod", pack_text("extra"), entry_point="extra")
    packset = load(site, selection=Selection.from_environment({"KIOSK_PACKS_ALLOW": "good"}))
    assert_others_loaded(packset)
    assert statuses(packset)["extra"] is PackStatus.DISABLED
    nothing = load(site, selection=Selection.from_environment({"KIOSK_PACKS_ALLOW": ""}))
    assert [p.id for p in nothing.packs] == ["general"]


def test_block_list_also_matches_the_pack_id_inside_the_document(site):
    site.add_pack("kiosk-pack-renamed", "renamed_mod", pack_text("secret"), entry_point="innocent")
    packset = load(site, selection=Selection(block=frozenset({"secret"})))
    assert statuses(packset)["secret"] is PackStatus.DISABLED
    assert_others_loaded(packset)


def test_trace_logs_every_hook_call(site):
    out = io.StringIO()
    load(site, trace=out)
    lines = out.getvalue().splitlines()
    assert any(line.startswith("kiosk trace: calling kiosk_packs() on [wallet-kiosk:general]") for line in lines)
    assert any("on [kiosk-pack-good:good]" in line for line in lines)
    assert any(line.startswith("kiosk trace: kiosk_packs returned [") for line in lines)


def test_discover_lists_metadata_without_importing(site):
    site.add(
        "kiosk-pack-loud",
        module="loud_mod",
        code="raise SystemExit('imported!')\n",
        entry_point="loud",
        version="2.3.4",
        requires=["wallet-kiosk>=0.1,<1"],
    )
    found = {p.entry_point: p for p in discover(site.entry_points())}
    assert set(found) == {"good", "loud"}
    assert (found["loud"].distribution, found["loud"].version, found["loud"].requires_kiosk) == (
        "kiosk-pack-loud",
        "2.3.4",
        "<1,>=0.1",
    )
    assert "loud_mod" not in sys.modules
