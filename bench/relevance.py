"""Search relevance: hit@3 of the customer query set over the bundled packs.

The query set is `tests/data/search_relevance.toml`: realistic queries grouped
by shape, each with the results that count as a right answer. A query is a hit
when one of them is among the first three answers; the "check this number"
action offered on top of a typed number is an action, not an answer, so it
takes none of the three places. `tests/test_search_relevance.py` holds the
threshold; the search section of `make bench` prints the figure next to the
latency.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.model import Pack
    from kiosk.search import SearchIndex

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data" / "search_relevance.toml"
#: The bundled wallets in the kiosk's tile order, then the general pack.
PACK_FILES = (
    "packs/alipay/kiosk_pack_alipay/alipay.toml",
    "packs/applepay/kiosk_pack_applepay/applepay.toml",
    "packs/wechat/kiosk_pack_wechat/wechat.toml",
    "packs/ecny/kiosk_pack_ecny/ecny.toml",
    "packs/unionpay/kiosk_pack_unionpay/unionpay.toml",
    "kiosk/builtin/general.toml",
)
#: Answers looked at per query.
DEPTH = 3


@dataclass(frozen=True)
class Report:
    overall: float  #: hit@3 over every query
    per_shape: dict[str, float]  #: hit@3 of each shape (table of the data file)
    misses: dict[str, list[tuple[str, list[str]]]]  #: {shape: [(query, what came instead)]}
    queries: int


def cases() -> dict[str, dict[str, list[str]]]:
    """{shape: {query: acceptable answers}}."""
    with DATA.open("rb") as f:
        return tomllib.load(f)


@cache
def bundled_packs() -> tuple[Pack, ...]:
    from kiosk.packfile import read_pack_file

    return tuple(read_pack_file(REPO / name).unwrap() for name in PACK_FILES)


def answers(index: SearchIndex, query: str) -> list[str]:
    """The first answers to `query`, named as in the data file (`guide:PACK:GUIDE`...)."""
    found = []
    for hit in index.search(query, limit=DEPTH + 1):
        doc = hit.document
        if doc.kind != "number":
            found.append(f"{doc.kind}:{doc.pack_id}:{doc.item_id}")
    return found[:DEPTH]


def report(index: SearchIndex) -> Report:
    all_cases = cases()
    misses: dict[str, list[tuple[str, list[str]]]] = {}
    for shape, queries in all_cases.items():
        misses[shape] = []
        for query, ok in queries.items():
            got = answers(index, query)
            if not set(got) & set(ok):
                misses[shape].append((query, got))
    per_shape = {shape: 1 - len(misses[shape]) / len(queries) for shape, queries in all_cases.items()}
    total = sum(len(q) for q in all_cases.values())
    overall = 1 - sum(len(m) for m in misses.values()) / total
    return Report(overall, per_shape, misses, total)
