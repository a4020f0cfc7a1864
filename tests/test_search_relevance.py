"""Relevance: realistic customer queries over the bundled packs, scored as hit@3.

`data/search_relevance.toml` holds the queries and, for each, the results that
count as a right answer. A query is a hit when one of them is among the first
three answers (the "check this number" action offered on top of a typed number
is an action, not an answer, so it does not take one of the three places).

The test fails when hit@3 over the whole set drops below `THRESHOLD`, or below
`SHAPE_THRESHOLD` for any one shape of query. Run this file directly to see
every miss:

    .venv/bin/python tests/test_search_relevance.py
"""

from __future__ import annotations

import sys
import tomllib
from functools import cache
from pathlib import Path

from kiosk.model import Pack
from kiosk.packfile import read_pack_file
from kiosk.search import SearchIndex

DATA = Path(__file__).with_name("data") / "search_relevance.toml"
REPO = Path(__file__).resolve().parent.parent
#: The bundled wallets in the kiosk's tile order, then the general pack.
PACK_FILES = (
    "packs/alipay/kiosk_pack_alipay/alipay.toml",
    "packs/applepay/kiosk_pack_applepay/applepay.toml",
    "packs/wechat/kiosk_pack_wechat/wechat.toml",
    "packs/ecny/kiosk_pack_ecny/ecny.toml",
    "packs/unionpay/kiosk_pack_unionpay/unionpay.toml",
    "kiosk/builtin/general.toml",
)
#: hit@3 the whole set must reach...
THRESHOLD = 0.95
#: ... and each shape of query (Chinese, pinyin, typos, contacts...) on its own.
SHAPE_THRESHOLD = 0.80
#: Answers looked at per query.
DEPTH = 3


def cases() -> dict[str, dict[str, list[str]]]:
    """{shape: {query: acceptable answers}}."""
    with DATA.open("rb") as f:
        return tomllib.load(f)


@cache
def bundled_packs() -> tuple[Pack, ...]:
    packs = []
    for name in PACK_FILES:
        result = read_pack_file(REPO / name)
        assert result.pack is not None, result.issues
        packs.append(result.pack)
    return tuple(packs)


@cache
def bundled_index() -> SearchIndex:
    return SearchIndex.build(bundled_packs())


def answers(index: SearchIndex, query: str) -> list[str]:
    """The first answers to `query`, named as in the data file."""
    found = []
    for hit in index.search(query, limit=DEPTH + 1):
        doc = hit.document
        if doc.kind == "number":
            continue
        found.append(f"{doc.kind}:{doc.pack_id}:{doc.item_id}")
    return found[:DEPTH]


def misses(index: SearchIndex) -> dict[str, list[tuple[str, list[str]]]]:
    """{shape: [(query, what came instead), ...]} for every query without a right answer in the top three."""
    out: dict[str, list[tuple[str, list[str]]]] = {}
    for shape, queries in cases().items():
        out[shape] = []
        for query, ok in queries.items():
            got = answers(index, query)
            if not set(got) & set(ok):
                out[shape].append((query, got))
    return out


def report(index: SearchIndex) -> tuple[float, dict[str, float], dict[str, list[tuple[str, list[str]]]]]:
    """(overall hit@3, {shape: hit@3}, misses)."""
    all_cases = cases()
    missed = misses(index)
    per_shape = {shape: 1 - len(missed[shape]) / len(queries) for shape, queries in all_cases.items()}
    total = sum(len(q) for q in all_cases.values())
    overall = 1 - sum(len(m) for m in missed.values()) / total
    return overall, per_shape, missed


def test_the_set_is_large_and_well_formed():
    all_cases = cases()
    assert sum(len(q) for q in all_cases.values()) >= 150
    targets = set()
    for pack in bundled_packs():
        targets |= {f"guide:{pack.id}:{g.id}" for g in pack.guides}
        targets |= {f"scam:{pack.id}:{s.id}" for s in pack.scams}
        targets |= {f"channel:{pack.id}:{c.id}" for c in pack.channels}
    for shape, queries in all_cases.items():
        for query, ok in queries.items():
            assert ok, f"{shape}: {query!r} has no answer"
            unknown = set(ok) - targets
            assert not unknown, f"{shape}: {query!r} names answers no bundled pack has: {sorted(unknown)}"


def test_hit_at_3(capsys):
    overall, per_shape, missed = report(bundled_index())
    with capsys.disabled():
        shapes = ", ".join(f"{shape} {value:.0%}" for shape, value in per_shape.items())
        print(f"\nsearch relevance hit@3: {overall:.1%} ({shapes})")
    listing = "\n".join(f"  [{shape}] {q!r} -> {got}" for shape, items in missed.items() for q, got in items)
    assert overall >= THRESHOLD, f"hit@3 {overall:.1%} is below {THRESHOLD:.0%}; misses:\n{listing}"
    weak = {shape: value for shape, value in per_shape.items() if value < SHAPE_THRESHOLD}
    assert not weak, f"shapes below {SHAPE_THRESHOLD:.0%}: {weak}; misses:\n{listing}"


if __name__ == "__main__":
    overall, per_shape, missed = report(bundled_index())
    for shape, items in missed.items():
        for query, got in items:
            print(f"[{shape}] {query!r} -> {got}")
    print({shape: round(value, 3) for shape, value in per_shape.items()})
    print(f"hit@3 {overall:.1%}")
    sys.exit(0 if overall >= THRESHOLD else 1)
