"""Search rankings pinned on a frozen copy of the bundled packs' searchable text.

The corpus (`fixtures/search/bundled-corpus.json`) is the text the index reads
from the bundled packs (titles, summaries, keywords, steps; scam warnings'
how-it-works and signs), copied once, so that edits to the packs' content do
not move these rankings. The expected results (`fixtures/search/rankings.json`)
give, for each query, the first results with their score and best field.

Any change to how the index scores, ranks or tokenises shows up here. When a
ranking change is intended, regenerate the expected results and review the diff:

    .venv/bin/python tests/test_search_rankings.py --update
"""

from __future__ import annotations

import datetime as _dt
import json
import sys
from pathlib import Path

import pytest

from kiosk.model import Category, Confidence, Guide, Manifest, Pack, ScamWarning, Source, Step, Text
from kiosk.search import SearchIndex

FIXTURES = Path(__file__).with_name("fixtures") / "search"
CORPUS = FIXTURES / "bundled-corpus.json"
EXPECTED = FIXTURES / "rankings.json"
#: How many results per query are pinned.
DEPTH = 8

#: Queries as customers type them, in every script the index reads.
QUERIES = (
    # Chinese: words, single characters, sentences, filler characters
    "支付密码",
    "密码",
    "退款",
    "退",
    "冻结",
    "账户被冻结了怎么办",
    "转账转错了",
    "手续费",
    "银行卡",
    "被骗了",
    "刷单",
    "安全账户",
    "客服电话",
    "微信退款",
    "支付宝退款",
    "手机丢了",
    # pinyin: whole, split, half typed, mixed with initials
    "zhifumima",
    "zhifu mima",
    "mima zhifu",
    "zhifumim",
    "tuikuan",
    "tui kuan",
    "dongjie",
    "shouxufei",
    "yinhangka",
    "shuadan",
    "weixin",
    "zhifubao",
    # initials
    "zfmm",
    "tk",
    "dj",
    "yhk",
    "aqzh",
    "sxf",
    # characters and letters mixed
    "支付mm",
    "zhifu密码",
    "微信tk",
    # English: words, phrases, prefixes, plural
    "refund",
    "refunds",
    "ref",
    "payment password",
    "forgot my payment pass",
    "frozen account",
    "stolen phone",
    "screen sharing",
    "fees",
    "apple pay",
    "wrong transfer",
    "scam call",
    # typos in every script
    "refnud",
    "pasword",
    "zhifumina",
    "tuikaun",
    # numbers and nonsense
    "95188",
    "110",
    "qqqqzzzz",
)


def _text(values: dict[str, str] | None) -> Text | None:
    return Text(values) if values is not None else None


def corpus_packs() -> list[Pack]:
    """The frozen corpus as packs: only what the index reads is real, the rest is filler."""
    source = Source(url="https://example.com/", verified=_dt.date(2026, 12, 1), confidence=Confidence.LOW)
    packs = []
    for entry in json.loads(CORPUS.read_text(encoding="utf-8")):
        guides = tuple(
            Guide(
                id=g["id"],
                category=Category(g["category"]),
                title=Text(g["title"]),
                summary=Text(g["summary"]),
                steps=tuple(Step(text=Text(s["text"]), detail=_text(s.get("detail"))) for s in g["steps"]),
                sources=(source,),
                keywords=tuple(g["keywords"]),
            )
            for g in entry["guides"]
        )
        scams = tuple(
            ScamWarning(
                id=s["id"],
                title=Text(s["title"]),
                how_it_works=Text(s["how_it_works"]),
                signs=tuple(Text(sign) for sign in s["signs"]),
                what_to_do=Text({"en": "-"}),
                sources=(source,),
                keywords=tuple(s["keywords"]),
            )
            for s in entry["scams"]
        )
        manifest = Manifest(
            id=entry["id"],
            name=Text({"en": entry["id"]}),
            summary=Text({"en": entry["id"]}),
            brand_colour="#000000",
            version="1.0.0",
            locales=("zh-CN", "en"),
        )
        packs.append(Pack(format=1, pack=manifest, guides=guides, scams=scams))
    return packs


def rankings(index: SearchIndex, query: str) -> list[str]:
    return [
        f"{h.document.kind}:{h.document.pack_id}:{h.document.item_id} {h.score:g} {h.field}"
        for h in index.search(query, limit=DEPTH)
    ]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(corpus_packs())


@pytest.fixture(scope="module")
def expected() -> dict[str, list[str]]:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


def test_every_query_is_pinned(expected):
    assert sorted(expected) == sorted(QUERIES)


@pytest.mark.parametrize("query", QUERIES)
def test_ranking_is_unchanged(index, expected, query):
    assert rankings(index, query) == expected[query]


def _update() -> None:
    index = SearchIndex.build(corpus_packs())
    found = {query: rankings(index, query) for query in QUERIES}
    lines = [f"  {json.dumps(q, ensure_ascii=False)}: {json.dumps(r, ensure_ascii=False)}" for q, r in found.items()]
    EXPECTED.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit(f"usage: python {sys.argv[0]} --update   (rewrites {EXPECTED.name} from the current ranking)")
    _update()
