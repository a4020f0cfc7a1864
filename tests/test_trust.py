"""What the kiosk records about the packs it ships, and the rules built on that record."""

from __future__ import annotations

import tomllib

from helpers import MINIMAL_PACK, REPO, present, wallet_pack_text

from kiosk import trust
from kiosk.builtin import BUNDLED_WALLETS
from kiosk.builtin.record_bundled import render
from kiosk.discovery import load_packs
from kiosk.packset import PackStatus, Selection
from kiosk.trust import Provenance


def test_the_record_of_bundled_packs_matches_their_documents():
    recorded = (REPO / "kiosk" / "builtin" / "bundled.py").read_text(encoding="utf-8")
    assert recorded == render(REPO), "a bundled document changed: run `make bundled-record`"


def test_every_bundled_wallet_and_the_general_pack_are_recorded_with_their_distribution():
    assert set(trust.BUNDLED) == {"general", *BUNDLED_WALLETS}
    assert trust.BUNDLED["general"].distribution is None
    for project in (REPO / "packs").glob("*/pyproject.toml"):
        name = tomllib.loads(project.read_text(encoding="utf-8"))["project"]["name"]
        assert trust.bundled_for_distribution(name) is not None, name


def test_a_digest_is_the_sha256_that_sha256sum_prints():
    assert trust.document_digest(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_bundled_needs_the_recorded_distribution_and_the_recorded_document():
    alipay = trust.BUNDLED["alipay"]
    assert trust.is_bundled("kiosk-pack-alipay", alipay.sha256)
    assert trust.is_bundled("Kiosk_Pack.Alipay", alipay.sha256)  # names compare as packaging does
    assert not trust.is_bundled("kiosk-pack-alipay", "0" * 64)  # same name, other bytes
    assert not trust.is_bundled("kiosk-pack-zfb", alipay.sha256)  # same bytes, another distribution
    assert trust.is_bundled(None, None, builtin=True)


def test_bundled_ids_are_reserved_for_their_own_distributions():
    assert trust.may_use_id("alipay", "kiosk-pack-alipay")
    assert not trust.may_use_id("alipay", "kiosk-pack-aalipay")
    assert not trust.may_use_id("alipay", None)  # a local file
    assert not trust.may_use_id("general", "kiosk-pack-general")
    assert trust.may_use_id("general", None, builtin=True)
    assert trust.may_use_id("mywallet", None)


# -- provenance and reserved ids, as loading decides them ----------------------------------------

ALIPAY_DOCUMENT = REPO / "packs" / "alipay" / "kiosk_pack_alipay" / "alipay.toml"


def load(site, **kwargs):
    return load_packs(eps=site.entry_points(), selection=Selection(), **kwargs)


def test_every_record_says_where_its_pack_came_from(fake_site):
    fake_site.add_pack("kiosk-pack-demo", "prov_demo_mod", MINIMAL_PACK.read_text(encoding="utf-8"))
    packset = load(fake_site)
    assert present(packset.record("general")).provenance is Provenance.BUNDLED
    demo = present(packset.record("demo"))
    assert demo.provenance is Provenance.UNAPPROVED and demo.awaiting_approval
    assert demo.sha256 == trust.document_digest(MINIMAL_PACK.read_bytes())
    assert demo.as_dict()["provenance"] == "unapproved"


def test_the_bundled_document_from_its_own_distribution_is_bundled_even_through_the_hook(fake_site):
    fake_site.add_pack("kiosk-pack-alipay", "prov_alipay_mod", ALIPAY_DOCUMENT.read_text(encoding="utf-8"))
    assert present(load(fake_site).record("alipay")).provenance is Provenance.BUNDLED


def test_the_bundled_document_from_another_distribution_is_an_impostor(fake_site):
    fake_site.add_pack("kiosk-pack-zfb", "prov_zfb_mod", ALIPAY_DOCUMENT.read_text(encoding="utf-8"))
    record = present(load(fake_site).record("alipay"))
    assert record.status is PackStatus.QUARANTINED
    assert "kiosk-pack-alipay" in record.error and "kiosk-pack-zfb" in record.error


def test_a_same_named_distribution_with_another_document_may_keep_the_id_but_is_unapproved(fake_site):
    fake_site.add_pack("kiosk-pack-alipay", "prov_upgrade_mod", wallet_pack_text("alipay"), version="2.0.0")
    record = present(load(fake_site).record("alipay"))
    assert (record.status, record.provenance) == (PackStatus.LOADED, Provenance.UNAPPROVED)


def test_a_local_file_may_not_take_a_bundled_id_even_when_that_pack_is_not_installed(tmp_path):
    (tmp_path / "wechat.toml").write_text(wallet_pack_text("wechat"), encoding="utf-8")
    packset = load_packs(eps=[], selection=Selection(), local_dir=tmp_path)
    record = present(packset.record("wechat"))
    assert record.status is PackStatus.QUARANTINED
    assert "kiosk-pack-wechat" in str(record.error) and "wechat.toml" in str(record.error)


def test_two_distributions_providing_one_entry_point_are_both_reported(fake_site):
    fake_site.add_pack("kiosk-pack-one", "prov_one_mod", wallet_pack_text("one"), entry_point="wallet")
    fake_site.add_pack("kiosk-pack-two", "prov_two_mod", wallet_pack_text("two"), entry_point="wallet")
    packset = load(fake_site)
    one, two = present(packset.record("one")), present(packset.record("two"))
    assert "kiosk-pack-two" in " ".join(one.notes)
    assert "kiosk-pack-one" in " ".join(two.notes)
