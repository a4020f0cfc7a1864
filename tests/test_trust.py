"""What the kiosk records about the packs it ships, and the rules built on that record."""

from __future__ import annotations

import tomllib

from helpers import REPO

from kiosk import trust
from kiosk.builtin import BUNDLED_WALLETS
from kiosk.builtin.record_bundled import render


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
