"""Search: the query shapes customers really type, checked against ranked results."""

from __future__ import annotations

import datetime as _dt

import pytest
from helpers import MINIMAL_PACK, REPO, run_python

from kiosk.model import Category, Confidence, Guide, Manifest, Pack, ScamWarning, Source, Step, Text
from kiosk.packfile import read_pack_file
from kiosk.search import SearchIndex

SOURCE = Source(url="https://example.com/help", verified=_dt.date(2026, 11, 1), confidence=Confidence.MEDIUM)


def text(zh: str, en: str) -> Text:
    return Text({"zh-CN": zh, "en": en})


def guide(
    id: str,
    category: Category,
    title: tuple[str, str],
    keywords: tuple[str, ...] = (),
    summary: tuple[str, str] = ("按步骤处理", "Follow the steps"),
    steps: tuple[tuple[str, str], ...] = (("打开应用", "Open the app"),),
) -> Guide:
    return Guide(
        id=id,
        category=category,
        title=text(*title),
        summary=text(*summary),
        steps=tuple(Step(text=text(*step)) for step in steps),
        sources=(SOURCE,),
        keywords=keywords,
    )


def pack(id: str, guides: tuple[Guide, ...], scams: tuple[ScamWarning, ...] = ()) -> Pack:
    manifest = Manifest(
        id=id,
        name=text("演示钱包", "Demo Wallet"),
        summary=text("演示", "Demo"),
        brand_colour="#AA3300",
        version="1.0.0",
        locales=("zh-CN", "en"),
    )
    return Pack(format=1, pack=manifest, guides=guides, scams=scams)


GUIDES = (
    guide(
        "change-login-password",
        Category.PASSWORD,
        ("修改登录密码", "Change your login password"),
        ("登录密码", "denglumima", "login password"),
        steps=(("打开“设置”", "Open Settings"), ("选择“账号与安全”", "Choose Account and Security")),
    ),
    guide(
        "forgot-payment-password",
        Category.PASSWORD,
        ("忘记支付密码", "I forgot my payment password"),
        ("支付密码", "zhifumima", "payment password", "pin"),
        summary=("在应用里重置支付密码", "Reset your payment password in the app"),
        steps=(
            ("打开“设置”", "Open Settings"),
            ("选择“忘记支付密码”，验证身份", "Choose Forgot payment password and verify"),
        ),
    ),
    guide(
        "payment-failed",
        Category.PAYMENT,
        ("付款失败怎么办", "A payment failed"),
        ("付款失败", "支付失败", "payment failed"),
        steps=(("检查余额和网络", "Check your balance and connection"),),
    ),
    guide(
        "password-free",
        Category.PAYMENT,
        ("关闭免密支付", "Turn off password-free payments"),
        ("免密支付", "自动扣款", "mianmi", "auto-debit"),
    ),
    guide(
        "refund",
        Category.REFUND,
        ("申请退款", "Ask for a refund"),
        ("退款", "tuikuan", "refund", "money back"),
        summary=("先联系商家", "Ask the merchant first"),
        steps=(("在订单页点“退款”", "Tap Refund on the order page"),),
    ),
    guide(
        "card-frozen", Category.ACCOUNT, ("银行卡被冻结", "Bank card frozen"), ("冻结", "解冻", "银行卡", "unfreeze")
    ),
    guide(
        "wrong-transfer",
        Category.TRANSFER,
        ("转账转错了人", "Sent money to the wrong person"),
        ("转错账", "转账", "wrong transfer"),
    ),
)
SCAM = ScamWarning(
    id="fake-refund-call",
    title=text("冒充客服退款诈骗", "Fake customer service offering a refund"),
    how_it_works=text(
        "对方自称客服，说要给你退款，让你提供验证码",
        "A caller claiming to be customer service offers a refund and asks for your code",
    ),
    signs=(
        text("主动打电话说要退款", "They call you first about a refund"),
        text("索要验证码", "They ask for a verification code"),
    ),
    what_to_do=text("挂断电话", "Hang up"),
    sources=(SOURCE,),
    keywords=("退款诈骗", "zhapian", "refund scam"),
)
DEMO = pack("demo", GUIDES, (SCAM,))


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build([DEMO])


def ids(hits) -> list[str]:
    return [hit.document.item_id for hit in hits]


def top(index: SearchIndex, query: str) -> str:
    hits = index.search(query)
    assert hits, f"{query!r} found nothing"
    return hits[0].document.item_id


# -- every way of typing "I forgot my payment password" --------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "支付密码",  # characters
        "zhifumima",  # full pinyin
        "zhifu mima",  # syllables split by a space
        "zfmm",  # initials
        "zhifumim",  # last syllable half typed
        "zhfumm",  # zh as an initial, mixed with a full syllable
        "支付mm",  # characters, then initials
        "zhifu密码",  # pinyin, then characters
        "zhifumina",  # one typo in pinyin
        "我忘记了支付密码怎么办",  # a whole sentence
        "payment password",  # English
        "payment pasword",  # one typo in English
        "forgot payment pass",  # the last word still being typed
        "Forgot my PIN",  # case, and small words
    ],
)
def test_every_shape_of_the_query_finds_forgot_payment_password_first(index, query):
    assert top(index, query) == "forgot-payment-password"


def test_mixed_characters_and_pinyin_prefer_an_unbroken_match(index):
    # "关闭免密支付" has 支付 and m-m (免密) too, but not as one run.
    hits = index.search("支付mm")
    assert ids(hits)[:2] == ["forgot-payment-password", "password-free"]
    assert hits[0].score > hits[1].score


def test_both_parts_of_a_mixed_query_must_match(index):
    assert index.search("支付qqqq") == []
    assert index.search("xxxx退款") == []


# -- short Chinese queries ---------------------------------------------------------------------


def test_two_characters_find_both_password_guides_first(index):
    hits = index.search("密码")
    assert set(ids(hits)[:2]) == {"change-login-password", "forgot-payment-password"}
    assert hits[0].field == "title"


def test_one_character_works(index):
    hits = index.search("退")
    assert ids(hits)[:2] == ["refund", "fake-refund-call"]
    assert hits[0].field == "title"


def test_characters_side_by_side_rank_above_scattered_ones():
    guides = (
        guide("scattered", Category.ACCOUNT, ("结账时手机冻住了", "Phone froze while paying")),
        guide(
            "in-steps",
            Category.ACCOUNT,
            ("账户异常", "Account problem"),
            steps=(("查看账户是否被冻结", "See if it is frozen"),),
        ),
        guide("pair", Category.ACCOUNT, ("账户被冻结", "Account frozen")),
        guide("unrelated", Category.ACCOUNT, ("冻品退货", "Returning frozen food")),
    )
    hits = SearchIndex.build([pack("p", guides)]).search("冻结")
    assert ids(hits) == ["pair", "scattered", "in-steps"]
    assert [h.field for h in hits] == ["title", "title", "steps"]


# -- pinyin ------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["tk", "tuikuan", "tuik", "TuiKuan", "tui kuan"])
def test_pinyin_and_initials_find_refund(index, query):
    assert top(index, query) == "refund"


@pytest.mark.parametrize("query", ["yinhang", "yinhangka", "yhk", "yinh"])
def test_phrase_reading_of_yinhang(index, query):
    # 银行 is read yinhang in the phrase; the single character 行 alone would be xing.
    assert top(index, query) == "card-frozen"


def test_pinyin_of_a_word_in_the_middle_of_a_title(index):
    assert top(index, "dongjie") == "card-frozen"
    assert top(index, "djie") == "card-frozen"


# -- English -----------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["refund", "REFUND", "ｒｅｆｕｎｄ", "refunds", "  refund  "])
def test_english_word_finds_refund_first(index, query):
    hits = index.search(query)
    assert ids(hits)[0] == "refund"
    assert "fake-refund-call" in ids(hits)


def test_typo_is_found_but_ranks_below_the_exact_word(index):
    exact = index.search("refund")
    typo = index.search("refnud")
    assert ids(typo)[0] == "refund"
    assert typo[0].score < exact[0].score


def test_prefix_while_typing(index):
    for prefix in ["r", "re", "ref", "refu", "refun", "refund"]:
        assert "refund" in ids(index.search(prefix)), prefix
    assert top(index, "ref") == "refund"
    assert top(index, "froz") == "card-frozen"


def test_small_words_are_ignored(index):
    assert top(index, "how do I get a refund") == "refund"


# -- scam warnings, hit contents, ordering -----------------------------------------------------------


def test_scam_warnings_are_searchable(index):
    for query in ["诈骗", "zhapian", "refund scam", "验证码"]:
        hit = index.search(query)[0]
        assert hit.document.kind == "scam", query
        assert hit.document.category == "scam"
        assert hit.document.item_id == "fake-refund-call"
    assert index.search("验证码")[0].field == "summary"  # how it works counts as the summary


def test_hits_carry_pack_category_title_and_field(index):
    hit = index.search("tuikuan")[0]
    assert hit.document.pack_id == "demo"
    assert hit.document.kind == "guide"
    assert hit.document.category == "refund"
    assert hit.document.title["en"] == "Ask for a refund"
    assert hit.field == "keywords"  # 退款 is a whole keyword: that beats part of the title
    assert index.search("shenqing")[0].field == "title"
    assert index.search("余额")[0].field == "steps"
    assert index.search("merchant")[0].field == "summary"
    assert index.search("auto-debit")[0].field == "keywords"


def test_equal_scores_follow_pack_order_then_item_order():
    same = (
        guide("lost-card", Category.ACCOUNT, ("挂失银行卡", "Report a lost card"), ("挂失",)),
        guide("lost-phone", Category.ACCOUNT, ("挂失手机", "Report a lost phone"), ("挂失",)),
    )
    first, second = pack("first", same), pack("second", same)
    order = [(h.document.pack_id, h.document.item_id) for h in SearchIndex.build([first, second]).search("gs")]
    assert order == [("first", "lost-card"), ("first", "lost-phone"), ("second", "lost-card"), ("second", "lost-phone")]
    flipped = [(h.document.pack_id, h.document.item_id) for h in SearchIndex.build([second, first]).search("gs")]
    assert flipped == [
        ("second", "lost-card"),
        ("second", "lost-phone"),
        ("first", "lost-card"),
        ("first", "lost-phone"),
    ]
    scores = [h.score for h in SearchIndex.build([first, second]).search("gs")]
    assert len(set(scores)) == 1


def test_results_are_deterministic(index):
    for query in ["m", "密", "zf", "pass"]:
        runs = [[(h.document.item_id, h.score, h.field) for h in index.search(query)] for _ in range(3)]
        rebuilt = [(h.document.item_id, h.score, h.field) for h in SearchIndex.build([DEMO]).search(query)]
        assert runs[0] == runs[1] == runs[2] == rebuilt, query


def test_results_are_sorted_and_limited(index):
    hits = index.search("m")
    assert len(hits) > 2
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert len(index.search("m", limit=2)) == 2
    assert index.search("m", limit=0) == []


@pytest.mark.parametrize("query", ["", "   ", "，。！", "qqqqzzzz", "xyzzyqv", "哈哈哈哈"])
def test_nothing_for_empty_or_nonsense_queries(index, query):
    assert index.search(query) == []


def test_length_counts_guides_and_scam_warnings(index):
    assert len(index) == len(GUIDES) + 1
    assert len(SearchIndex.build([])) == 0
    assert SearchIndex.build([]).search("refund") == []


# -- real pack files -----------------------------------------------------------------------------


def test_minimal_fixture_pack():
    index = SearchIndex.build([read_pack_file(MINIMAL_PACK).unwrap()])
    for query in ["zfmm", "支付密码", "zhifu mima", "payment password"]:
        assert top(index, query) == "forgot-password", query
    for query in ["tk", "退", "refund", "refnud"]:
        assert top(index, query) == "refund", query


BUNDLED = [REPO / "kiosk" / "builtin" / "general.toml", *sorted(REPO.glob("packs/*/kiosk_pack_*/*.toml"))]


@pytest.fixture(scope="module")
def bundled() -> SearchIndex:
    return SearchIndex.build([read_pack_file(path).unwrap() for path in BUNDLED if path.exists()])


@pytest.mark.parametrize(
    "query, item",
    [
        ("刷单", "task-scam"),
        ("shuadan", "task-scam"),
        ("安全账户", "safe-account-fake-police"),
        ("aqzh", "safe-account-fake-police"),
        ("screen sharing", "cancel-membership-screen-share"),
    ],
)
def test_bundled_general_pack_scam_warnings(bundled, query, item):
    assert top(bundled, query) == item


@pytest.mark.parametrize("query", ["zfmm", "支付密码", "zhifumima", "payment password"])
def test_bundled_wallet_packs_find_a_payment_password_guide(bundled, query):
    if not any(d.kind == "guide" and d.category == Category.PASSWORD for d in bundled.documents):
        pytest.skip("no wallet pack with a password guide yet")
    assert any(h.document.category == Category.PASSWORD for h in bundled.search(query)[:3])


def test_bundled_refund_queries_find_refund_material(bundled):
    for query in ["退款", "tuikuan", "tk", "refund"]:
        hits = bundled.search(query)[:3]
        assert any(h.document.category in {"refund", "scam"} for h in hits), query


# -- start-up cost --------------------------------------------------------------------------------


def test_importing_search_loads_neither_pinyin_nor_rapidfuzz():
    result = run_python("""
        import sys
        import kiosk.search
        print(sorted(m for m in sys.modules if m.split(".")[0] in {"pypinyin", "rapidfuzz", "textual"}))
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


# -- the synthetic benchmark corpus ------------------------------------------------------------------


def test_synthetic_corpus_is_deterministic_varied_and_searchable():
    from bench.corpus import synthetic_packs

    packs = synthetic_packs(4, 10, seed=3)
    assert packs == synthetic_packs(4, 10, seed=3)
    assert packs != synthetic_packs(4, 10, seed=4)
    assert len({p.id for p in packs}) == len({p.pack.name["zh-CN"] for p in packs}) == 4
    titles = [g.title["zh-CN"] for p in packs for g in p.guides]
    assert len(set(titles)) > 30 and all(6 <= len(t) <= 12 for t in titles)
    index = SearchIndex.build(packs)
    assert len(index) == 4 * (10 + 2)
    assert index.search("zfmm") and index.search("refund")
