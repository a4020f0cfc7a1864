"""Search: a wallet named in any script, contacts as results, typed numbers, synonyms from packs."""

from __future__ import annotations

import datetime as _dt

import pytest

from kiosk.model import (
    GENERAL_PACK_ID,
    Category,
    Channel,
    ChannelKind,
    Confidence,
    Guide,
    Intent,
    Manifest,
    Pack,
    ScamWarning,
    Schedule,
    Source,
    Step,
    SynonymGroup,
    Text,
    Value,
)
from kiosk.search import SearchIndex

SOURCE = Source(url="https://example.com/help", verified=_dt.date(2026, 11, 1), confidence=Confidence.MEDIUM)


def text(zh: str, en: str) -> Text:
    return Text({"zh-CN": zh, "en": en})


def guide(id: str, title: tuple[str, str], keywords: tuple[str, ...] = (), category=Category.REFUND) -> Guide:
    return Guide(
        id=id,
        category=category,
        title=text(*title),
        summary=text("按步骤处理", "Follow the steps"),
        steps=(Step(text=text("打开应用", "Open the app")),),
        sources=(SOURCE,),
        keywords=keywords,
    )


def hotline(id: str, number: str, label: tuple[str, str]) -> Channel:
    return Channel(
        id=id,
        kind=ChannelKind.HOTLINE,
        label=text(*label),
        value=Value(number),
        purpose=text("账户问题", "Account problems"),
        source="https://example.com/contact",
        verified=_dt.date(2026, 11, 1),
        confidence=Confidence.HIGH,
        hours=Schedule.unknown(),
    )


def scam(id: str, title: tuple[str, str], keywords: tuple[str, ...]) -> ScamWarning:
    return ScamWarning(
        id=id,
        title=text(*title),
        how_it_works=text("对方冒充客服", "They pretend to be service"),
        signs=(text("要验证码", "Asks for a code"),),
        what_to_do=text("挂断", "Hang up"),
        sources=(SOURCE,),
        keywords=keywords,
    )


def pack(id: str, name: tuple[str, str], *, aliases=(), popular=(), guides=(), channels=(), scams=(), synonyms=()):
    manifest = Manifest(
        id=id,
        name=text(*name),
        summary=text("演示", "Demo"),
        brand_colour="#AA3300",
        version="1.0.0",
        locales=("zh-CN", "en"),
        aliases=aliases,
        popular=popular,
    )
    return Pack(format=1, pack=manifest, guides=guides, channels=channels, scams=scams, synonyms=synonyms)


# Two made-up wallets that share their problems, and a general pack with a scam warning and synonyms.
CLOUD = pack(
    "cloud",
    ("云朵钱包", "Cloud Wallet"),
    aliases=("云朵", "yd", "cloudpay"),
    popular=("cloud-password",),
    guides=(
        guide("cloud-refund", ("退款什么时候到账", "Where is my refund?"), ("退款", "refund")),
        guide("cloud-password", ("忘记支付密码", "I forgot my payment password"), ("支付密码",), Category.PASSWORD),
    ),
    channels=(hotline("cloud-hotline", "95533", ("云朵客服热线", "Cloud hotline")),),
)
STAR = pack(
    "star",
    ("星星支付", "Star Pay"),
    guides=(
        guide("star-refund", ("星星支付退款", "Star Pay refund"), ("退款", "refund")),
        guide("star-password", ("忘记支付密码", "I forgot my payment password"), ("支付密码",), Category.PASSWORD),
    ),
    channels=(hotline("star-hotline", "400-810-8888", ("星星客服热线", "Star hotline")),),
)
GENERAL = pack(
    GENERAL_PACK_ID,
    ("通用帮助", "General help"),
    scams=(scam("fake-refund", ("主动来电说要给你退款", "Calls offering you a refund"), ("退款诈骗", "refund scam")),),
    channels=(hotline("police", "110", ("110 报警电话", "Police 110")),),
    synonyms=(
        SynonymGroup(("退款", "退钱", "money back")),
        SynonymGroup(("客服", "人工客服", "rengong kefu", "hotline"), Intent.CONTACT),
        SynonymGroup(("诈骗", "骗子", "scam"), Intent.SCAM),
    ),
)


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build([STAR, CLOUD, GENERAL])


def ids(index: SearchIndex, query: str, n: int = 3) -> list[str]:
    return [f"{h.document.kind}:{h.document.pack_id}:{h.document.item_id}" for h in index.search(query)[:n]]


@pytest.mark.parametrize(
    "query",
    ["云朵退款", "云朵 退款", "yunduo tuikuan", "yunduotuikuan", "yd tuikuan", "ydtk", "cloudpay refund", "云朵tk"],
)
def test_a_named_wallet_puts_its_own_guide_first_and_leaves_other_wallets_out(index, query):
    found = ids(index, query, 10)
    assert found[0] == "guide:cloud:cloud-refund", found
    assert not any(":star:" in f for f in found), found


@pytest.mark.parametrize("query", ["yunduu tuikuan", "cloudpya refund", "云躲退款"])
def test_a_slip_in_a_wallet_name_still_names_it(index, query):
    assert ids(index, query, 1) == ["guide:cloud:cloud-refund"]


def test_without_a_wallet_every_wallet_answers(index):
    found = ids(index, "退款", 10)
    assert "guide:cloud:cloud-refund" in found and "guide:star:star-refund" in found


def test_a_wallet_guide_goes_before_a_scam_warning_unless_the_query_is_about_a_scam(index):
    assert ids(index, "云朵退款", 10).index("guide:cloud:cloud-refund") < ids(index, "云朵退款", 10).index(
        "scam:general:fake-refund"
    )
    assert ids(index, "云朵退款诈骗", 1) == ["scam:general:fake-refund"]


def test_the_name_alone_lists_the_popular_guides_first_then_the_channels(index):
    assert ids(index, "云朵", 3) == [
        "guide:cloud:cloud-password",
        "guide:cloud:cloud-refund",
        "channel:cloud:cloud-hotline",
    ]


def test_synonyms_from_a_pack_find_items_of_every_pack(index):
    assert set(ids(index, "退钱", 3)) >= {"guide:cloud:cloud-refund", "guide:star:star-refund"}
    assert ids(index, "yunduo money back", 1) == ["guide:cloud:cloud-refund"]


@pytest.mark.parametrize("query", ["人工客服", "rengong kefu", "hotline", "客服"])
def test_contact_requests_find_channels_first(index, query):
    found = ids(index, query, 3)
    assert all(f.startswith("channel:") for f in found[:2]), found


def test_a_contact_request_with_a_wallet_finds_that_wallet_s_channel(index):
    assert ids(index, "云朵人工客服", 1) == ["channel:cloud:cloud-hotline"]
    assert ids(index, "star hotline", 1) == ["channel:star:star-hotline"]


@pytest.mark.parametrize(
    "query, channel",
    [
        ("95533", "channel:cloud:cloud-hotline"),
        ("4008108888", "channel:star:star-hotline"),
        ("400 810 8888", "channel:star:star-hotline"),
        ("400-810-8888", "channel:star:star-hotline"),
        ("+86 400 810 8888", "channel:star:star-hotline"),
        ("4008108", "channel:star:star-hotline"),
        ("110", "channel:general:police"),
    ],
)
def test_a_typed_number_offers_the_number_check_then_its_channel(index, query, channel):
    hits = index.search(query)
    assert hits[0].document.kind == "number"
    assert hits[0].document.item_id == query.replace(" ", "").replace("-", "")
    assert ids(index, query, 2)[1] == channel


def test_a_number_nobody_lists_is_still_offered_to_the_number_check(index):
    hits = index.search("13812345678")
    assert [h.document.kind for h in hits] == ["number"]


def test_short_digit_runs_are_no_number(index):
    assert all(h.document.kind != "number" for h in index.search("15分钟"))


def test_a_pasted_page_costs_no_more_than_a_long_query(index):
    import time

    page = "退款 zhifu 95188 " * 400_000  # about 6 MB
    began = time.process_time()
    index.search(page)
    assert time.process_time() - began < 0.5


def test_a_contact_request_finds_the_channel_it_names_before_the_others(index):
    assert ids(index, "报警客服", 1) == ["channel:general:police"]


def test_a_misspelling_a_pack_lists_does_not_hide_the_word_it_is_a_slip_of():
    listed = pack(
        "p",
        ("演示钱包", "Demo"),
        guides=(guide("a", ("退款", "Refund"), ("refnud",)), guide("b", ("退钱", "Refund status"))),
    )
    found = ids(SearchIndex.build([listed]), "refnud", 3)
    assert set(found) == {"guide:p:a", "guide:p:b"}


def test_question_words_are_left_out():
    index = SearchIndex.build([STAR, CLOUD])
    assert ids(index, "星星支付退款怎么办", 1) == ["guide:star:star-refund"]
    assert ids(index, "cant refund", 2) == ids(index, "refund", 2)


def test_a_pack_cannot_take_an_ordinary_search_word_as_its_name():
    # A pack calling itself 退款 (refund) would otherwise keep every refund search for itself.
    hostile = pack(
        "hostile",
        ("假钱包", "Fake Wallet"),
        aliases=("退款", "refund", "退钱"),
        guides=(guide("x", ("打开链接", "Open the link")),),
    )
    index = SearchIndex.build([STAR, CLOUD, hostile, GENERAL])
    found = ids(index, "退款", 10)
    assert "guide:cloud:cloud-refund" in found and "guide:star:star-refund" in found
    assert ids(index, "refund", 3)[0] != "guide:hostile:x"
