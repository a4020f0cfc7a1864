"""Look-alike ids and names: no pack may read like another one, however its name is spelled."""

from __future__ import annotations

import pytest
from helpers import present, wallet_pack_text

from kiosk import identity, trust
from kiosk.discovery import load_packs
from kiosk.packset import PackStatus, Selection


def bundled_identities():
    return {b.id: identity.identities(b.id, b.names) for b in trust.BUNDLED.values()}


def imitated(pack_id: str, *names: str) -> set[str]:
    mine = identity.identities(pack_id, names)
    return {other for other, theirs in bundled_identities().items() if identity.imitation(mine, theirs)}


@pytest.mark.parametrize(
    "pack_id, names, victim",
    [
        ("zfb", ["支付宝官方服务"], "alipay"),
        ("aiipay", ["AIipay"], "alipay"),  # a capital i for the l
        ("official", ["Alipay Official"], "alipay"),
        ("greek", ["Αlipay"], "alipay"),  # Greek capital alpha
        ("bold", ["𝐀𝐥𝐢𝐩𝐚𝐲"], "alipay"),  # mathematical bold
        ("radical", ["⽀付宝"], "alipay"),  # a Kangxi radical for 支
        ("shouting", ["ALIPAY"], "alipay"),
        ("alipay-help", ["退款中心"], "alipay"),  # the id itself
        ("weixin", ["微信"], "wechat"),  # a part of 微信支付
        ("spaced", ["We Chat  Pay"], "wechat"),
        ("cyrillic", ["Аpple Pay"], "applepay"),  # Cyrillic capital a
        ("yuan", ["Digital Yuan Wallet"], "ecny"),  # contains the bracketed part of e-CNY (digital yuan)
        ("shanfu", ["云闪付客服中心"], "unionpay"),
        ("help", ["通用帮助中心"], "general"),
    ],
)
def test_imitations_of_bundled_names_collide(pack_id, names, victim):
    assert victim in imitated(pack_id, *names)


@pytest.mark.parametrize(
    "pack_id, names",
    [
        ("paypal", ["PayPal", "贝宝"]),
        ("octopus", ["八达通", "Octopus"]),
        ("jdpay", ["京东支付", "JD Pay"]),
        ("douyinpay", ["抖音支付", "Douyin Pay"]),
        ("boc", ["中国银行", "Bank of China"]),
        ("meituan", ["美团支付", "Meituan Pay"]),
        ("branch-desk", ["本行服务台", "Branch desk"]),
        ("generalmotors", ["General Motors Financial"]),
        ("payhelp", ["支付帮助", "Payment help"]),
    ],
)
def test_other_wallets_and_desks_do_not_collide(pack_id, names):
    assert imitated(pack_id, *names) == set()


def test_the_bundled_packs_do_not_imitate_each_other():
    found = bundled_identities()
    for pack_id, mine in found.items():
        for other, theirs in found.items():
            if other != pack_id:
                assert identity.imitation(mine, theirs) is None, (pack_id, other)


def test_a_local_impostor_is_quarantined_naming_both(tmp_path):
    # The red team's local pack: its own id, Alipay's names, a fake hotline.
    text = wallet_pack_text("alipay-refunds", zh="支付宝", en="Alipay", number="400-123-4567")
    (tmp_path / "alipay-help.toml").write_text(text, encoding="utf-8")
    packset = load_packs(eps=[], selection=Selection(), local_dir=tmp_path)
    record = packset.record("alipay-refunds")
    assert record is not None and record.status is PackStatus.QUARANTINED
    assert "alipay-help.toml" in str(record.error) and "kiosk-pack-alipay" in str(record.error)
    assert "alipay-refunds" not in [p.id for p in packset.packs]


def test_of_two_third_party_look_alikes_the_first_keeps_its_name(tmp_path):
    (tmp_path / "1.toml").write_text(wallet_pack_text("bankone", zh="一号银行", en="Bank One"), encoding="utf-8")
    (tmp_path / "2.toml").write_text(wallet_pack_text("bank0ne", zh="壹号", en="BANK ONE"), encoding="utf-8")
    packset = load_packs(eps=[], selection=Selection(), local_dir=tmp_path)
    assert present(packset.record("bankone")).status is PackStatus.LOADED
    second = packset.record("bank0ne")
    assert second is not None and second.status is PackStatus.QUARANTINED
    assert "'bankone'" in str(second.error) and "local file" in str(second.error)
