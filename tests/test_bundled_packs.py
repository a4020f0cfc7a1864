"""The packs that ship with the kiosk: valid, bilingual, sourced, and free of numbers known to be wrong.

Most checks of sources read the TOML documents directly, so that they say exactly what is
written in the files (the kinds of sources, the reported hours, the keywords people type).
"""

from __future__ import annotations

import importlib
import re
import tomllib
from importlib.metadata import entry_points
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from helpers import REPO, present

from kiosk import phones
from kiosk.model import PHONE_KINDS, Category, ChannelKind
from kiosk.packfile import read_pack_file
from kiosk.search import SearchIndex

PACK_FILES = {
    "general": REPO / "kiosk" / "builtin" / "general.toml",
    "alipay": REPO / "packs" / "alipay" / "kiosk_pack_alipay" / "alipay.toml",
    "wechat": REPO / "packs" / "wechat" / "kiosk_pack_wechat" / "wechat.toml",
    "applepay": REPO / "packs" / "applepay" / "kiosk_pack_applepay" / "applepay.toml",
    "unionpay": REPO / "packs" / "unionpay" / "kiosk_pack_unionpay" / "unionpay.toml",
    "ecny": REPO / "packs" / "ecny" / "kiosk_pack_ecny" / "ecny.toml",
}
WALLETS = ["alipay", "wechat", "applepay"]
NEW_WALLETS = ["unionpay", "ecny"]

# Numbers and addresses the research found to be wrong, unverified or outright scams.
DO_NOT_SHIP = [
    "95055",  # claimed Alipay hotline; Alipay is 95188
    "+86-571-2688-8888",
    "+86-571-88156666",  # unverified "international" Alipay lines
    "400-000-9518",
    "service@alipay.com",  # unverified Alipay line and address
    "0755-86013860",  # unverified Tenpay line
    "400-600-8800",  # single SEO page for Apple
    "400-888-9999",  # a content farm's invented Apple line
    "1-888-992-5853",
    "1-855-518-8609",
    "1-844-706-0566",
    "1-855-470-1228",  # fake Apple Pay support
]
# A content farm's "official e-CNY number": quoted only as the example in the e-CNY scam warning.
FAKE_ECNY_NUMBER = "12345678"

KINDS = ("official", "regulator", "government", "media", "other")
# Content farms and look-alike domains that used to be cited; the content review named better sources.
WEAK_HOSTS = {
    "hbfzw.net",  # stock-tips farm
    "apple2.izyt.cc",  # an Apple look-alike domain
    "www.sqedu.cn",  # farm that also prints an unverified Alipay line
    "m.henyumen8.com",
    "aigc-chatgpt.com",  # AI content farm
    "m.jiusongjiankang.com",  # health-news farm
    "www.nctoro.com",  # farm that invents hours
    "cyberstorehut.com",
    "www.htuse.com",
    "cn.bg3.co",
    "epaper.qbnews.cn",  # hijacked e-paper subdomain
    "www.198689.com",
    "www.qiuwenbaike.cn",
}


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def document(pack_id: str) -> dict:
    with open(PACK_FILES[pack_id], "rb") as f:
        return tomllib.load(f)


def citations(doc: dict):
    """(where, source table) for every citation in a pack document."""
    for ch in doc.get("channels", []):
        yield f"channels.{ch['id']}", {"url": ch["source"], "kind": ch.get("source_kind")}
        for s in ch.get("sources", []):
            yield f"channels.{ch['id']}.sources", s
        for key in ("hours", "automated_hours"):
            hours = ch.get(key)
            if isinstance(hours, dict) and "source" in hours:
                yield f"channels.{ch['id']}.{key}", hours["source"]
    for section in ("guides", "scams", "never_asks", "escalation"):
        for item in doc.get(section, []):
            for s in item.get("sources", []):
                yield f"{section}.{item['id']}", s


def all_text(node) -> str:
    """Every string in a TOML subtree, joined (for 'does this guide mention ...' checks)."""
    if isinstance(node, str):
        return node
    if isinstance(node, dict):
        return " ".join(all_text(v) for v in node.values())
    if isinstance(node, list):
        return " ".join(all_text(v) for v in node)
    return ""


def guide(doc: dict, guide_id: str) -> dict:
    return next(g for g in doc["guides"] if g["id"] == guide_id)


@pytest.fixture(scope="module", params=list(PACK_FILES))
def result(request):
    return read_pack_file(PACK_FILES[request.param])


@pytest.fixture(scope="module", params=list(PACK_FILES))
def doc(request):
    return document(request.param)


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


# -- sources ---------------------------------------------------------------------------


def test_every_source_says_what_kind_it_is(doc):
    for where, source in citations(doc):
        assert source.get("kind") in KINDS, (
            f"{doc['pack']['id']}:{where} {source['url']} has kind {source.get('kind')!r}"
        )


def test_every_phone_number_and_web_address_has_a_source_better_than_other(doc):
    for ch in doc.get("channels", []):
        if ch["kind"] in {"hotline", "regulator", "police", "web"}:
            kinds = [ch.get("source_kind")] + [s.get("kind") for s in ch.get("sources", [])]
            assert set(kinds) - {"other", None}, f"{doc['pack']['id']}:{ch['id']} ({ch['value']}) rests only on {kinds}"


def test_no_content_farm_or_look_alike_source_is_cited(doc):
    for where, source in citations(doc):
        assert urlsplit(source["url"]).hostname not in WEAK_HOSTS, f"{doc['pack']['id']}:{where} cites {source['url']}"


def test_every_address_is_plain_ascii_without_user_info(doc):
    addresses = [s["url"] for _, s in citations(doc)] + [
        c["value"] for c in doc.get("channels", []) if c["kind"] == "web"
    ]
    for url in addresses:
        parts = urlsplit(url)
        assert parts.scheme in ("http", "https"), url
        assert "@" not in parts.netloc and parts.hostname.isascii() and "xn--" not in parts.hostname, url
    for ch in doc.get("channels", []):
        if ch["kind"] == "web":
            assert ch["value"].startswith("https://"), f"{ch['id']}: a web address goes into QR codes and must be https"


def test_reported_hours_are_marked_as_reported_and_name_their_source():
    intl = next(c for c in document("alipay")["channels"] if c["id"] == "intl-line")
    hours = intl["hours"]
    assert hours["reported"] is True
    assert hours["rules"] == [{"days": ["everyday"], "open": ["08:00-24:00"]}]
    assert hours["source"]["url"].startswith("https://www.alipayplus.com/")
    assert hours["source"]["confidence"] == "low"
    # hours nobody published stay unknown
    assert next(c for c in document("alipay")["channels"] if c["id"] == "hotline-95188")["hours"] == "unknown"


def test_no_channel_offers_the_fake_ecny_number_and_only_the_scam_warning_quotes_it():
    for pack_id in PACK_FILES:
        doc = document(pack_id)
        for ch in doc.get("channels", []):
            assert digits(all_text(ch["value"])) != FAKE_ECNY_NUMBER
        outside_warnings = {k: v for k, v in doc.items() if k not in ("scams", "guides")}
        assert FAKE_ECNY_NUMBER not in digits(all_text(outside_warnings))
        for g in doc.get("guides", []):
            if FAKE_ECNY_NUMBER in all_text(g):
                assert (pack_id, g["category"]) == ("ecny", "scam")


# -- corrections -----------------------------------------------------------------------


def test_mainland_visa_cards_work_abroad_since_january_2026():
    apple = document("applepay")
    for guide_id in ("payment-failed", "add-or-remove-card"):
        text = all_text(guide(apple, guide_id)["steps"])
        assert "Visa" in text and "2026" in text, guide_id
        assert "works only over the UnionPay network" not in text
        assert "Mainland cards in Apple Pay are UnionPay cards." not in text


def test_wechat_one_year_refund_window_comes_from_wechat_pay_itself():
    refund = guide(document("wechat"), "refund")
    official = [s for s in refund["sources"] if s["url"] == "https://pay.weixin.qq.com/doc/v3/merchant/4012556457"]
    assert official and official[0]["confidence"] == "high" and official[0]["kind"] == "official"
    assert "weak source" not in all_text(refund["steps"])


def test_consumer_finance_complaints_go_to_12378_not_12363():
    general = document("general")
    ladder = next(r for r in general["escalation"] if r["id"] == "financial-regulator")
    assert "消费金融" in ladder["handles"]["zh-CN"] and "花呗" in ladder["handles"]["zh-CN"]
    alipay = document("alipay")
    huabei = guide(alipay, "huabei-jiebei")
    assert "general:nfra-12378" in huabei["escalate"] and "general:pboc-12363" not in huabei["escalate"]
    assert "general:nfra-12378" in guide(alipay, "complaint-escalation")["escalate"]


def test_12363_and_12378_notes_give_the_dated_evidence():
    channels = {c["id"]: c for c in document("general")["channels"]}
    assert "2014" in channels["pboc-12363"]["note"]["zh-CN"] and "08:30" in channels["pboc-12363"]["note"]["zh-CN"]
    assert "2012" in channels["nfra-12378"]["note"]["zh-CN"] and "9:00" in channels["nfra-12378"]["note"]["zh-CN"]
    assert channels["pboc-12363"]["hours"] == channels["nfra-12378"]["hours"] == "unknown"


def test_the_merchant_line_says_its_days_are_not_stated():
    merchant = next(c for c in document("wechat")["channels"] if c["id"] == "wechatpay-95017-merchant")
    assert "没有写哪几天" in merchant["note"]["zh-CN"] and "names no days" in merchant["note"]["en"]


# -- the English line and the stolen phone ----------------------------------------------


def test_every_alipay_guide_that_sends_people_to_95188_also_offers_the_english_line():
    for g in document("alipay")["guides"]:
        if "hotline-95188" in g.get("escalate", []):
            assert "intl-line" in g["escalate"], g["id"]
        for step in g["steps"]:
            if step.get("channel") == "hotline-95188":
                assert "+86 571 2688 6000" in all_text(step.get("detail", {}).get("en", "")), (
                    g["id"],
                    step["text"]["en"],
                )


def test_the_stolen_iphone_guide_stops_the_sim_first_and_freezes_the_other_wallets():
    steps = guide(document("applepay"), "lost-or-stolen-device")["steps"]
    assert "10086" in steps[0]["text"]["zh-CN"]
    text = all_text(steps)
    assert "95188" in text and "95017" in text


# -- new topics ------------------------------------------------------------------------

NEW_GUIDES = {
    "alipay": ["cancel-auto-deduct", "huabei-jiebei", "wrong-recipient", "minor-spending-refund"],
    "wechat": ["cancel-deduction-service", "wrong-recipient", "minor-spending-refund"],
    "applepay": ["app-store-refund", "cancel-subscription", "transit-card", "minor-spending-refund"],
}


@pytest.mark.parametrize("pack_id", list(NEW_GUIDES))
def test_the_new_topics_have_sourced_bilingual_guides(pack_id):
    doc = document(pack_id)
    for guide_id in NEW_GUIDES[pack_id]:
        g = guide(doc, guide_id)
        assert g["sources"] and g["escalate"], guide_id
        assert any(s["kind"] != "other" for s in g["sources"]), f"{guide_id} rests only on weak sources"
        for step in g["steps"]:
            assert step["text"]["zh-CN"] and step["text"]["en"], guide_id


@pytest.mark.parametrize(
    "pack_id, guide_id, words",
    [
        (
            "alipay",
            "cancel-auto-deduct",
            [
                "自动扣费",
                "自动续费",
                "免密支付",
                "乱扣钱",
                "被扣钱了",
                "zidongkoufei",
                "zidong koufei",
                "zdkf",
                "auto-renewal",
                "unsubscribe",
                "cancel subscription",
            ],
        ),
        (
            "wechat",
            "cancel-deduction-service",
            ["自动扣费", "自动续费", "扣费服务", "免密支付", "zidongkoufei", "zdkf", "auto-renewal"],
        ),
        ("applepay", "cancel-subscription", ["取消订阅", "自动续费", "cancel subscription", "unsubscribe"]),
        ("alipay", "wrong-recipient", ["钱转错人了", "转错账", "zhuancuozhang", "zhuan cuo zhang", "wrong recipient"]),
        ("wechat", "wrong-recipient", ["钱转错人了", "转错账", "zhuancuozhang", "wrong recipient"]),
        ("alipay", "minor-spending-refund", ["孩子充值", "未成年退款", "refund for my child"]),
        ("applepay", "minor-spending-refund", ["孩子充值", "未成年退款", "refund for my child", "screen time"]),
        ("alipay", "huabei-jiebei", ["花呗", "借呗", "huabei", "jiebei"]),
        ("applepay", "transit-card", ["交通卡", "transit card", "express mode"]),
        ("applepay", "app-store-refund", ["苹果退款", "app store refund", "reportaproblem"]),
    ],
)
def test_guides_carry_the_words_people_type(pack_id, guide_id, words):
    keywords = {k.lower() for k in guide(document(pack_id), guide_id)["keywords"]}
    assert not [w for w in words if w.lower() not in keywords]


def test_scam_keywords_do_not_catch_people_who_want_to_cancel_or_close_something():
    misleading = {"自动扣费", "auto-debit", "注销账户", "cancel membership", "转错人", "转错了"}
    for pack_id in PACK_FILES:
        for scam in document(pack_id).get("scams", []):
            assert not misleading & set(scam.get("keywords", [])), f"{pack_id}:{scam['id']}"
    for pack_id in ("alipay", "wechat"):
        assert not {"转错人", "转错了"} & set(guide(document(pack_id), "transfer-not-arrived")["keywords"])


def test_no_guide_invents_account_closing_or_other_unsourced_procedures():
    # the content review found only content farms for these; no guide may claim to cover them
    for pack_id in WALLETS + NEW_WALLETS:
        titles = " ".join(g["title"]["zh-CN"] for g in document(pack_id)["guides"])
        for topic in ("注销账户", "解绑银行卡", "红包", "亲情卡", "亲属卡", "更换手机号"):
            assert topic not in titles, f"{pack_id}: a guide about {topic}"


def search_index():
    packs = [read_pack_file(PACK_FILES[p]).unwrap() for p in WALLETS + NEW_WALLETS + ["general"]]
    return SearchIndex.build(packs)


@pytest.mark.parametrize(
    "query, first",
    [
        ("自动扣费", {"cancel-auto-deduct", "cancel-deduction-service", "cancel-subscription"}),
        ("zdkf", {"cancel-auto-deduct", "cancel-deduction-service", "cancel-subscription"}),
        ("auto-renewal", {"cancel-auto-deduct", "cancel-deduction-service", "cancel-subscription"}),
        ("钱转错人了", {"wrong-recipient"}),
        ("wrong recipient", {"wrong-recipient"}),
        ("孩子充值", {"minor-spending-refund"}),
        ("refund for my child", {"minor-spending-refund"}),
        ("花呗", {"huabei-jiebei"}),
        ("交通卡", {"transit-card"}),
        ("苹果退款", {"app-store-refund"}),
    ],
)
def test_search_finds_the_new_guides_first(query, first):
    hits = search_index().search(query)
    assert hits and hits[0].document.kind == "guide" and hits[0].document.item_id in first, [
        (h.document.pack_id, h.document.item_id) for h in hits[:3]
    ]


# -- wallet packs ------------------------------------------------------------------------


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
            phones.normalise(present(c.value.neutral), c.country).national
            for c in read_pack_file(PACK_FILES[pid]).unwrap().channels
            if c.kind is ChannelKind.HOTLINE
        }
        for pid in WALLETS + NEW_WALLETS
    }
    assert "95188" in values["alipay"]
    assert "95017" in values["wechat"]
    assert "4006668800" in values["applepay"]
    assert "95516" in values["unionpay"]
    assert "956196" in values["ecny"]


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


# -- the new distributions -------------------------------------------------------------


@pytest.mark.parametrize("pack_id", NEW_WALLETS)
def test_new_packs_are_distributions_like_the_others(pack_id):
    with open(REPO / "packs" / pack_id / "pyproject.toml", "rb") as f:
        project = tomllib.load(f)["project"]
    assert project["name"] == f"kiosk-pack-{pack_id}"
    assert project["dependencies"] == ["wallet-kiosk>=0.1,<1"]
    assert project["entry-points"]["kiosk.packs"] == {pack_id: f"kiosk_pack_{pack_id}"}
    assert (REPO / "packs" / pack_id / "README.md").is_file()
    assert document(pack_id)["pack"]["id"] == pack_id


@pytest.mark.parametrize("pack_id", NEW_WALLETS)
def test_new_packs_are_installed_and_their_plugin_names_the_document(pack_id):
    # `make setup` installs every packs/*/pyproject.toml, so the entry point is there
    (entry,) = [e for e in entry_points(group="kiosk.packs") if e.name == pack_id]
    module = importlib.import_module(entry.value)
    (path,) = module.kiosk_packs()
    assert Path(str(path)).resolve() == PACK_FILES[pack_id].resolve()


def test_new_packs_have_their_hotlines_with_trustworthy_sources_and_unknown_hours():
    unionpay = {c["id"]: c for c in document("unionpay")["channels"]}
    assert unionpay["hotline-95516"]["source"].startswith("https://wallet.95516.com/")
    assert unionpay["hotline-95516"]["source_kind"] == "official"
    ecny = {c["id"]: c for c in document("ecny")["channels"]}
    assert ecny["hotline-956196"]["value"] == "956196"
    assert "+86 10 956196" in ecny["hotline-956196"]["note"]["en"]
    for ch in [*unionpay.values(), *ecny.values()]:
        if ch["kind"] == "hotline":
            assert ch["hours"] == "unknown", f"{ch['id']}: no source gives its hours"


def test_the_shipped_wallet_order_names_exactly_the_packs_in_this_repository():
    from kiosk.builtin import BUNDLED_WALLETS

    shipped = {read_pack_file(path).unwrap().id for path in REPO.glob("packs/*/kiosk_pack_*/*.toml")}
    assert sorted(BUNDLED_WALLETS) == sorted(shipped) and len(set(BUNDLED_WALLETS)) == len(BUNDLED_WALLETS)
