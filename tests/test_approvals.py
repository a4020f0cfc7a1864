"""Approvals: the operator shows customers a third-party pack as it is, and an upgrade needs approving again."""

from __future__ import annotations

import json
import os
import stat

import pytest
from helpers import FakeSite, run_kiosk, wallet_pack_text

from kiosk import approvals
from kiosk.approvals import ContactFact

pytestmark = pytest.mark.slow


def kiosk(tmp_path, site: FakeSite | None, *args: str):
    config = tmp_path / "config" / "kiosk.toml"
    env = {"HOME": str(tmp_path), "KIOSK_CONFIG": str(config), "KIOSK_PACK_CACHE": "off"}
    return run_kiosk(*args, pythonpath=[str(site.root)] if site else None, env_extra=env)


def rows(result) -> dict[str, dict]:
    assert result.returncode == 0, result.stderr
    return {row["id"]: row for row in json.loads(result.stdout)}


def test_approve_shows_the_pack_to_customers_and_an_upgrade_needs_approving_again(tmp_path):
    site = FakeSite(tmp_path / "site")
    first = wallet_pack_text("bankone", zh="一号银行", en="Bank One", number="95599")
    site.add_pack("kiosk-pack-bankone", "approvals_bankone_v1", first, entry_point="bankone")
    listed = rows(kiosk(tmp_path, site, "packs", "list", "--json"))["bankone"]
    assert (listed["status"], listed["provenance"], listed["awaiting_approval"]) == (
        "awaiting-approval",
        "unapproved",
        True,
    )
    checked = json.loads(kiosk(tmp_path, site, "number", "check", "95599", "--json").stdout)
    assert checked["verdict"] == "unknown"  # customers do not see it yet

    approved = kiosk(tmp_path, site, "packs", "approve", "bankone")
    assert approved.returncode == 0, approved.stderr
    assert "hotline 'hotline': +8695599" in approved.stdout  # the operator is shown what is approved
    file = tmp_path / "config" / "approvals.toml"
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    listed = rows(kiosk(tmp_path, site, "packs", "list", "--json"))["bankone"]
    assert (listed["status"], listed["provenance"]) == ("loaded", "approved")
    checked = json.loads(kiosk(tmp_path, site, "number", "check", "95599", "--json").stdout)
    assert checked["verdict"] == "official"
    assert checked["matches"][0]["provenance"] == "approved"

    # An upgrade whose document changed: unapproved again, and re-approving shows what changed.
    os.chmod(file, 0o640)
    upgraded = FakeSite(tmp_path / "site2")
    second = wallet_pack_text("bankone", zh="一号银行", en="Bank One", number="95588")
    upgraded.add_pack("kiosk-pack-bankone", "approvals_bankone_v2", second, entry_point="bankone", version="1.1.0")
    listed = rows(kiosk(tmp_path, upgraded, "packs", "list", "--json"))["bankone"]
    assert (listed["status"], listed["provenance"]) == ("awaiting-approval", "unapproved")
    again = kiosk(tmp_path, upgraded, "packs", "approve", "bankone")
    assert "changed hotline 'hotline': +8695599 -> +8695588" in again.stdout
    assert stat.S_IMODE(file.stat().st_mode) == 0o640  # the operator's mode is kept
    assert rows(kiosk(tmp_path, upgraded, "packs", "list", "--json"))["bankone"]["provenance"] == "approved"

    revoked = kiosk(tmp_path, upgraded, "packs", "revoke", "bankone")
    assert revoked.returncode == 0, revoked.stderr
    assert rows(kiosk(tmp_path, upgraded, "packs", "list", "--json"))["bankone"]["provenance"] == "unapproved"


def test_an_approvals_file_others_may_write_approves_nothing(tmp_path):
    site = FakeSite(tmp_path / "site")
    text = wallet_pack_text("bankone", zh="一号银行", en="Bank One", number="95599")
    site.add_pack("kiosk-pack-bankone", "approvals_bankone_ww", text, entry_point="bankone")
    assert kiosk(tmp_path, site, "packs", "approve", "bankone").returncode == 0
    os.chmod(tmp_path / "config" / "approvals.toml", 0o666)
    result = kiosk(tmp_path, site, "packs", "list", "--json")
    assert rows(result)["bankone"]["provenance"] == "unapproved"


def test_packs_list_applies_the_configurations_allow_block_and_packs_folder(tmp_path):
    local = tmp_path / "desk"
    local.mkdir()
    (local / "desk.toml").write_text(wallet_pack_text("branch-desk", zh="本行服务台", en="Branch desk"), "utf-8")
    config = tmp_path / "config" / "kiosk.toml"
    config.parent.mkdir(parents=True)
    config.write_text(
        f'pack_allow = ["alipay", "wechat", "branch-desk"]\npack_block = ["wechat"]\npacks_dir = "{local}"\n'
    )
    found = rows(kiosk(tmp_path, None, "packs", "list", "--json"))
    assert found["alipay"]["status"] == "loaded"
    assert found["wechat"]["status"] == "disabled"
    assert found["applepay"]["status"] == "disabled"
    assert found["branch-desk"]["status"] == "awaiting-approval"


def test_contact_fact_changes_name_what_was_added_removed_and_changed():
    before = [ContactFact("hotline", "hotline", "+8695599"), ContactFact("site", "web", "https://a.example/")]
    after = [ContactFact("hotline", "hotline", "+8695588"), ContactFact("mail", "email", "help@a.example")]
    assert approvals.changes(before, after) == [
        "changed hotline 'hotline': +8695599 -> +8695588",
        "added   email 'mail': help@a.example",
        "removed web 'site': https://a.example/",
    ]
