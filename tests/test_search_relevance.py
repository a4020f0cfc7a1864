"""Relevance: realistic customer queries over the bundled packs, scored as hit@3 (see `bench.relevance`).

The test fails when hit@3 over the whole set drops below `THRESHOLD`, or below
`SHAPE_THRESHOLD` for any one shape of query. Run this file directly to see
every miss:

    .venv/bin/python tests/test_search_relevance.py
"""

from __future__ import annotations

import sys
from functools import cache

from bench.relevance import bundled_packs, cases, report
from kiosk.search import SearchIndex

#: hit@3 the whole set must reach...
THRESHOLD = 0.97
#: ... and each shape of query (Chinese, pinyin, typos, contacts...) on its own.
SHAPE_THRESHOLD = 0.85


@cache
def bundled_index() -> SearchIndex:
    return SearchIndex.build(bundled_packs())


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
    found = report(bundled_index())
    with capsys.disabled():
        shapes = ", ".join(f"{shape} {value:.0%}" for shape, value in found.per_shape.items())
        print(f"\nsearch relevance hit@3: {found.overall:.1%} of {found.queries} queries ({shapes})")
    listing = "\n".join(f"  [{shape}] {q!r} -> {got}" for shape, items in found.misses.items() for q, got in items)
    assert found.overall >= THRESHOLD, f"hit@3 {found.overall:.1%} is below {THRESHOLD:.0%}; misses:\n{listing}"
    weak = {shape: value for shape, value in found.per_shape.items() if value < SHAPE_THRESHOLD}
    assert not weak, f"shapes below {SHAPE_THRESHOLD:.0%}: {weak}; misses:\n{listing}"


if __name__ == "__main__":
    found = report(bundled_index())
    for shape, items in found.misses.items():
        for query, got in items:
            print(f"[{shape}] {query!r} -> {got}")
    print({shape: round(value, 3) for shape, value in found.per_shape.items()})
    print(f"hit@3 {found.overall:.1%} of {found.queries} queries")
    sys.exit(0 if found.overall >= THRESHOLD else 1)
