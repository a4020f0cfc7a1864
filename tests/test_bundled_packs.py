"""The packs that ship with the kiosk: valid, bilingual, sourced, and free of numbers known to be wrong."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import REPO

from kiosk import phones
from kiosk.model import PHONE_KINDS, Category, ChannelKind
from kiosk.packfile import read_pack_file

PACK_FILES = {
    "general": REPO / "kiosk" / "builtin" / "general.toml",
    "alipay": REPO / "packs" / "alipay" / "kiosk_pack_alipay" / "alipay.toml",
    "wechat": REPO / "packs" / "wechat" / "kiosk_pack_wechat" / "wechat.toml",
    "applepay": REPO / "packs" / "applepay" / "kiosk_pack_applepay" / "applepay.toml",
}
WALLETS = ["alipay", "wechat", "applepay"]

# Numbers and addresses the research found to be wrong, unverified or outright scams.
DO_NOT_SHIP = [
    "95055",  # claimed Alipay hotline; Alipay is 95188
    "+86-571-2688-8888",
    "+86-571-88156666",  # unverified "international" Alipay lines
    "400-000-9518",
    "service@alipay.com",  # unverified Alipay line and address
    "0755-86013860",  # unverified Tenpay line
    "400-600-8800",  # single SEO page for Apple
    "1-888-992-5853",
    "1-855-518-8609",
    "1-844-706-0566",
    "1-855-470-1228",  # fake Apple Pay support
]


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@pytest.fixture(scope="module", params=list(PACK_FILES))
def result(request):
    return read_pack_file(PACK_FILES[request.param])


def test_validates_with_no_errors_and_no_warnings(result):
    assert [str(i) for i in result.issues] == []


def test_every_text_is_in_both_languages(result):
    assert result.pack.pack.locales == ("zh-CN", "en")


def test_no_number_from_the_do_not_ship_list(result):
    raw = Path(result.file).read_text(encoding="utf-8")
    raw_digits = digits(raw)
    for bad in DO_NOT_SHIP:
        if "@" in bad:
            assert bad not in raw
        else:
            assert digits(bad) not in raw_digits, f"{bad} appears in {result.file}"
    for channel in result.pack.channels:
        if channel.kind in PHONE_KINDS:
            assert phones.normalise(channel.value.neutral, channel.country).national != "12377", (
                "12377 reports online content; it is not a police or complaint line"
            )


@pytest.mark.parametrize("pack_id", WALLETS)
def test_wallet_packs_cover_the_seed_topics(pack_id):
    pack = read_pack_file(PACK_FILES[pack_id]).unwrap()
    categories = {g.category for g in pack.guides}
    assert {
        Category.PASSWORD,
        Category.ACCOUNT,
        Category.SECURITY,
        Category.PAYMENT,
        Category.REFUND,
        Category.FEES,
        Category.COMPLAINT,
        Category.SCAM,
    } <= categories
    assert len(pack.guides) >= 8
    assert pack.checklist and pack.scams and pack.never_asks
    assert any(c.kind is ChannelKind.HOTLINE for c in pack.channels)
    for guide in pack.guides:
        assert guide.escalate, f"{pack_id}:{guide.id} leaves the customer nowhere to turn"


def test_the_official_hotlines_are_the_researched_ones():
    values = {
        pid: {
            phones.normalise(c.value.neutral, c.country).national
            for c in read_pack_file(PACK_FILES[pid]).unwrap().channels
            if c.kind is ChannelKind.HOTLINE
        }
        for pid in WALLETS
    }
    assert "95188" in values["alipay"]
    assert "95017" in values["wechat"]
    assert "4006668800" in values["applepay"]


def test_general_pack_has_the_escalation_ladder():
    pack = read_pack_file(PACK_FILES["general"]).unwrap()
    numbers = {c.value.neutral for c in pack.channels if c.kind in PHONE_KINDS}
    assert {"12363", "12378", "12315", "110", "96110"} <= numbers
    assert len(pack.escalation) >= 5
    assert pack.prepare and pack.checklist and pack.scams and pack.never_asks


def test_apple_pay_sends_refunds_and_disputes_to_merchant_and_issuer():
    pack = read_pack_file(PACK_FILES["applepay"]).unwrap()
    refund_text = " ".join(s.text["en"] for g in pack.guides if g.category is Category.REFUND for s in g.steps).lower()
    assert "merchant" in refund_text
    assert "issuer" in " ".join(s.text["en"] for g in pack.guides for s in g.steps).lower()
