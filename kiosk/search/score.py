"""How matches are scored: every weight, factor and bonus, and the packed tally that adds them up.

How to change a weight
----------------------
Every number that decides a ranking is one constant in this module, with a
comment that says what it weighs; nothing else in the kiosk (docstrings
included) restates its value. Points are whole tenths, so a weight of 2.5 is
25. To change one:

1. change the constant here;
2. run ``python tests/test_search_rankings.py --update`` and read the diff of
   ``tests/fixtures/search/rankings.json``: it shows every result your change
   moved, over the bundled packs' text in every script;
3. run ``tests/test_search.py`` (the query shapes that must keep working) and
   ``make bench ARGS="--only search"``.

How a query is scored
---------------------
A query is cut into units (a Chinese character, or a Latin word). Each unit
adds the points of its best match in a document: the weight of the field it
matched in, times a factor for a weaker kind of match (a prefix, a typo), plus
the bonuses below. Hits are sorted by points, then by the order of the packs
given to `SearchIndex.build`, then by the order of items in the pack, guides
before scam warnings. Points are only comparable within one result list.

The tally
---------
A match is one integer, a *tally*, that packs several counters, so that adding
the tallies of all query units keeps every counter with no extra bookkeeping:

    bits  0-23  points (tenths)
    bits 24-55  units matched in steps, summary, keywords, title (8 bits each)
    bits 64-71  units matched (characters, or words)

Units sit highest, so "at least N units matched" is one comparison (bits 56-63
stay clear, so the field counters cannot carry into it). Queries are cut to
`MAX_QUERY` characters, so no counter overflows. Adding plain points to a tally
adds to its points. Only this module knows the layout: the rest of the search
package goes through `tally`, `points`, `best_field` and the functions below.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import ceil

#: Field names, best first; a field is its index in this tuple.
FIELDS: tuple[str, ...] = ("title", "keywords", "summary", "steps")
TITLE, KEYWORDS, SUMMARY, STEPS = range(4)

# -- the weights --------------------------------------------------------------------------

#: What a unit matched in each field is worth, in tenths: title, keywords, summary (a scam's
#: "how it works"), steps (step text and detail; a scam's warning signs).
WEIGHTS: tuple[int, ...] = (30, 25, 15, 10)
#: A Chinese character matched together with its query neighbour (a pair) counts one and a half.
PAIR_WEIGHTS: tuple[int, ...] = tuple(w * 3 // 2 for w in WEIGHTS)
#: A word matched as the start of a longer title or keyword word, while it is being typed.
PREFIX_FACTOR = 0.8
#: A word or pinyin matched only with one typo.
TYPO_FACTOR = 0.6
#: Pinyin that starts a title or keyword.
START_BONUS = 2
#: Pinyin (or its initials) that spells a whole title or keyword.
WHOLE_BONUS = 5
#: A query equal to a whole title or keyword.
EQUAL_BONUS = 10
#: A run typed in one piece across words or scripts ("zhifu mima", "支付mm"); the field's weight is added too.
PHRASE_BONUS = 10
#: Items of a wallet the query names, over everything else (its scam warnings only when the query is about a scam).
WALLET_BONUS = 10_000
#: Channels, for a query that asks for a way to reach someone; above a named wallet's guides.
CONTACT_BONUS = 20_000
#: The channels whose number the customer typed, and the "check this number" action, over everything.
NUMBER_BONUS = 100_000
#: A query of three units or more needs this share of them to match (one or two need all).
MIN_SHARE = 0.6

#: Queries are cut to this many characters, so that no counter of a tally overflows.
MAX_QUERY = 64

# -- the tally ----------------------------------------------------------------------------

_POINTS_MASK = (1 << 24) - 1
_FIELD_BIT = tuple(1 << shift for shift in (48, 40, 32, 24))
_LANE = 0xFF
_UNIT_SHIFT = 64

#: [(tally, documents), ...]: a document may be in several tiers, its highest tally counts.
Tiers = list[tuple[int, Sequence[int]]]


def tally(points: int, field: int, units: int = 1) -> int:
    """`units` query units matched in `field`, worth `points` tenths."""
    return points | _FIELD_BIT[field] | (units << _UNIT_SHIFT)


def points(value: int) -> int:
    """The points (tenths) of a tally."""
    return value & _POINTS_MASK


def points_by_document(found: dict[int, int]) -> dict[int, int]:
    """{doc: points} of {doc: tally} (in one pass: this runs on every keystroke over every hit)."""
    return {doc: value & _POINTS_MASK for doc, value in found.items()}


def best_field(value: int) -> str:
    """The name of the best field any unit of the tally matched in."""
    for field, bit in enumerate(_FIELD_BIT):
        if (value // bit) & _LANE:
            return FIELDS[field]
    return FIELDS[STEPS]


def merge_max(tiers: Tiers) -> dict[int, int]:
    """{doc: its tally with the most points} over the tiers; the per-document work runs in C."""
    merged: dict[int, int] = {}
    for value, docs in sorted(tiers, key=lambda tier: tier[0] & _POINTS_MASK):
        merged.update(dict.fromkeys(docs, value))
    return merged


def keep_higher(total: dict[int, int], other: dict[int, int]) -> None:
    """Take `other`'s tally into `total` wherever it has more points."""
    for doc, value in other.items():
        if value & _POINTS_MASK > total.get(doc, 0) & _POINTS_MASK:
            total[doc] = value


def sum_units(units: list[dict[int, int]]) -> dict[int, int]:
    """{doc: sum of its tallies} for documents that match enough of the units.

    Enough is all of one or two units, `MIN_SHARE` of more. A document that
    matches enough units must be in one of the n - need + 1 smallest, so only
    those are candidates, and each unit is only walked where it meets them.
    """
    n = len(units)
    if n == 1:
        return units[0]
    units = sorted(units, key=len)
    if n == 2:
        first, second = units
        return {doc: value + second[doc] for doc, value in first.items() if doc in second}
    need = ceil(MIN_SHARE * n)
    candidates = set(units[0]).union(*units[1 : n - need + 1])
    total = dict.fromkeys(candidates, 0)
    for unit in units:
        for doc in unit.keys() & candidates:
            total[doc] += unit[doc]
    threshold = need << _UNIT_SHIFT
    return {doc: value for doc, value in total.items() if value >= threshold}
