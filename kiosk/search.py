"""Search over the guides and scam warnings of installed packs.

Customers at a kiosk often have no Chinese input method, so one index answers
every way of typing a problem:

* Chinese characters (``支付密码``, ``密码``, ``退``): an inverted index of
  the characters and character pairs of every field. A query character counts
  where it stands next to its query neighbour (a pair, in any field, worth one
  and a half), or on its own in a title or keyword; a one-character query
  matches in any field. One or two characters must all count, a longer query
  60% of them; filler characters (了, 怎么, 吗, ...) are left out when there is
  anything else.
* Pinyin against titles and keywords: full syllables, initials, a mix of both
  and a half-typed last syllable (``zhifumima``, ``zhifu mima``, ``zfmm``,
  ``zhifumim``, ``tk``). Each character may be typed as any prefix of its
  syllable: the initial (``z`` or ``zh``), the whole syllable, or anything in
  between, which also forgives a dropped *-g*. Readings are phrase-aware, so
  银行 is *yinhang*, not *yinxing*.
* Characters and pinyin mixed (``支付mm``, ``zhifu密码``): both parts must
  match the same document, and an unbroken run in a title or keyword ranks
  highest.
* English words (``refund``, ``payment password``): both words of two must
  match, 60% of a longer query (small words such as "my" and "how" are left
  out). The last word is also matched as the start of title and keyword
  words, so results follow each keystroke (``ref``).
* One typo (``refnud``, ``pasword``, ``zhifumina``): a letter wrong, missing,
  added, or two neighbours swapped, for English words of four letters or more
  that match nothing as typed, and for pinyin of five letters or more that
  matches nothing. Typo matches rank below exact ones.

Both sides are normalised alike: NFKC (full-width letters become half-width),
lower case, ü typed as v; punctuation and spaces separate words.

Ranking. A field weighs: title 3, keywords 2.5, summary 1.5 (a scam's "how it
works"), steps 1 (step text and detail; a scam's warning signs). Each query
unit (a character or a word) adds the weight of its best match. A word matched
as a prefix counts 0.8 of that, a typo 0.6. Small
bonuses go to pinyin that starts a title or keyword (0.2) or spells all of it
(0.5), to a query equal to a whole title or keyword (1), and to a run typed in
one piece across words or scripts (1 plus the field weight). Hits are sorted by
score, then by the order of the packs given to `SearchIndex.build`, then by
the order of items in the pack, guides before scam warnings. Scores are only
comparable within one result list.

`pypinyin` and `rapidfuzz` are imported when an index is built, not when this
module is imported.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from math import ceil
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.model import Pack, Text

__all__ = ["FIELDS", "SearchDocument", "SearchHit", "SearchIndex", "normalize"]


@dataclass(frozen=True)
class SearchDocument:
    """One searchable item: a guide or a scam warning of a pack."""

    kind: str  #: "guide" or "scam"
    pack_id: str
    item_id: str
    category: str  #: the guide's category value, or "scam" for scam warnings
    title: Text  #: for display


@dataclass(frozen=True)
class SearchHit:
    document: SearchDocument
    score: float  #: relevance; only comparable within one result list
    #: The best field among the matches that scored: "title", "keywords", "summary" or "steps".
    field: str


#: Field names, best first.
FIELDS: tuple[str, ...] = ("title", "keywords", "summary", "steps")
_TITLE, _KEYWORDS, _SUMMARY, _STEPS = range(4)
#: Field weights in tenths: title 3, keywords 2.5, summary 1.5, steps 1.
_WEIGHTS: tuple[int, ...] = (30, 25, 15, 10)
#: A Chinese character matched together with its neighbour counts one and a half.
_PAIR_WEIGHTS: tuple[int, ...] = tuple(w * 3 // 2 for w in _WEIGHTS)

# A match is one integer that packs several counters, so that adding up the
# matches of all query units keeps every counter with no extra bookkeeping:
#
#   bits  0-23  score (tenths)
#   bits 24-55  units matched in steps, summary, keywords, title (8 bits each)
#   bits 64-71  units matched (characters, or words)
#
# Units sit highest, so "at least N units matched" is one comparison (bits
# 56-63 stay clear, so the field counters cannot carry into it). Queries
# are cut to 64 characters, so no counter overflows.
_SCORE_MASK = (1 << 24) - 1
_FIELD_BIT = tuple(1 << shift for shift in (48, 40, 32, 24))
_LANE = 0xFF
_UNIT_SHIFT = 64
_UNIT = 1 << _UNIT_SHIFT
_MAX_QUERY = 64

_PREFIX_FACTOR = 0.8
_TYPO_FACTOR = 0.6
_START_BONUS = 2
_WHOLE_BONUS = 5
_EQUAL_BONUS = 10
_PHRASE_BONUS = 10

#: Typed-pinyin keys are indexed up to this many letters; longer input is
#: checked against the texts its first letters lead to.
_KEY_LEN = 4
#: Pinyin keys this short match a large share of all texts, so their document
#: lists are precomputed.
_SHORT_KEY = 2
#: Prefixes of English words up to this long are precomputed; longer ones are
#: looked up in the sorted vocabulary.
_SHORT_PREFIX = 3
_WORD_TYPO_MIN = 4
_PINYIN_TYPO_MIN = 5
#: Pinyin spellings of runs of up to this many characters are typo candidates.
_PINYIN_TYPO_CHARS = 4

_STOPWORDS = frozenset(
    [
        "a",
        "am",
        "an",
        "and",
        "any",
        "are",
        "at",
        "be",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "for",
        "from",
        "get",
        "got",
        "has",
        "have",
        "help",
        "how",
        "i",
        "in",
        "is",
        "it",
        "me",
        "my",
        "need",
        "of",
        "on",
        "or",
        "please",
        "should",
        "that",
        "the",
        "this",
        "to",
        "want",
        "was",
        "what",
        "when",
        "where",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_FILLER = re.compile("[的了吗呢吧啊呀么怎我]+")


@lru_cache(maxsize=1)
def _token_re() -> re.Pattern[str]:
    """Runs of Chinese characters, and runs of Latin letters and digits (compiled on first use)."""
    return re.compile(f"[{_HAN}]+|[a-z0-9]+")


_FOLD = str.maketrans({"ü": "v"})

# A posting: ((field, sorted document numbers), ...); each document only under
# its best field.
Posting = tuple[tuple[int, tuple[int, ...]], ...]
# Tiers: [(packed value, documents), ...]; a document may be in several tiers,
# its highest value counts.
Tiers = list[tuple[int, Sequence[int]]]


def normalize(text: str) -> str:
    """NFKC, lower case, ü as v: the form documents and queries are compared in."""
    return unicodedata.normalize("NFKC", text).lower().translate(_FOLD)


def _han(token: str) -> bool:
    """Tokens are runs of Chinese characters or of [a-z0-9]; this tells them apart."""
    return token[0] > "z"


class SearchIndex:
    """An immutable in-memory index: build once (it takes a while), search on every keystroke.

    Safe to share between threads once built.
    """

    def __init__(self) -> None:
        self._docs: list[SearchDocument] = []
        # Characters and character pairs -> posting.
        self._han: dict[str, Posting] = {}
        # Latin words (English, pinyin keywords, numbers) -> posting.
        self._words: dict[str, Posting] = {}
        # Title and keyword words, sorted, and postings of their short prefixes.
        self._tk_vocab: list[str] = []
        self._short_prefix: dict[str, Posting] = {}
        self._word_typos = _Vocabulary(())
        # A whole title or keyword (tokens joined by spaces) -> posting.
        self._equal: dict[str, Posting] = {}
        # Chinese titles and keywords, for pinyin.
        self._texts: list[_PinyinText] = []
        self._keys: dict[str, tuple[int, ...]] = {}
        self._start_keys: dict[str, frozenset[int]] = {}
        self._whole: dict[str, frozenset[int]] = {}
        self._short_keys: dict[str, Tiers] = {}
        self._char_texts: dict[str, frozenset[int]] = {}
        self._spellings: dict[str, tuple[int, ...]] = {}
        self._pinyin_typos = _Vocabulary(())

    def __len__(self) -> int:
        """Number of documents."""
        return len(self._docs)

    @property
    def documents(self) -> tuple[SearchDocument, ...]:
        """Every document, in ranking order for equal scores."""
        return tuple(self._docs)

    # -- building ---------------------------------------------------------------------

    @classmethod
    def build(cls, packs: Sequence[Pack]) -> SearchIndex:
        """Index every guide and scam warning of `packs`.

        Fields: titles and summaries in every locale, keywords and step text
        (and detail) of guides; title, keywords, how it works (as summary) and
        signs (as steps) of scam warnings.
        """
        _load_pinyin()
        _load_rapidfuzz()
        builder = _Builder()
        for pack in packs:
            for guide in pack.guides:
                builder.add(
                    SearchDocument("guide", pack.id, guide.id, str(guide.category.value), guide.title),
                    (
                        list(guide.title.strings()),
                        list(guide.keywords),
                        list(guide.summary.strings()),
                        [s for step in guide.steps for t in (step.text, step.detail) if t for s in t.strings()],
                    ),
                )
            for scam in pack.scams:
                builder.add(
                    SearchDocument("scam", pack.id, scam.id, "scam", scam.title),
                    (
                        list(scam.title.strings()),
                        list(scam.keywords),
                        list(scam.how_it_works.strings()),
                        [s for sign in scam.signs for s in sign.strings()],
                    ),
                )
        return builder.finish(cls())

    # -- searching --------------------------------------------------------------------

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """The best `limit` matches for what the customer has typed so far, best first.

        An empty query, or one that matches nothing well enough, gives [].
        """
        text = normalize(query)[:_MAX_QUERY]
        tokens = _token_re().findall(text)
        if not tokens or limit <= 0 or not self._docs:
            return []
        han_runs = [t for t in tokens if _han(t)]
        words = [t for t in tokens if not _han(t)]

        parts: list[dict[int, int]] = []
        if han_runs:
            parts.append(self._match_han(han_runs))
        if words:
            parts.append(self._match_latin(words))
        if not all(parts):
            return []
        if len(parts) == 1:
            found = parts[0]
        else:
            # Characters and letters: both must match, and their scores add up.
            parts.sort(key=len)
            other = parts[1]
            found = {doc: value + other[doc] for doc, value in parts[0].items() if doc in other}
            for doc, bonus in self._mixed_run(tokens).items():
                if doc in found:
                    found[doc] += bonus
        for _field, docs in self._equal.get(" ".join(tokens), ()):
            for doc in docs:
                if doc in found:
                    found[doc] += _EQUAL_BONUS
        return self._rank(found, limit)

    def _rank(self, found: dict[int, int], limit: int) -> list[SearchHit]:
        scores = {doc: value & _SCORE_MASK for doc, value in found.items()}
        if len(scores) > limit:
            cutoff = sorted(scores.values(), reverse=True)[limit - 1]
            ranked = [doc for doc, score in scores.items() if score >= cutoff]
        else:
            ranked = list(scores)
        ranked.sort()  # document order decides between equal scores (the sort below is stable)
        ranked.sort(key=scores.__getitem__, reverse=True)
        return [SearchHit(self._docs[doc], scores[doc] / 10, _best_field(found[doc])) for doc in ranked[:limit]]

    # Chinese characters --------------------------------------------------------------

    def _match_han(self, runs: list[str]) -> dict[int, int]:
        # Filler characters (了, 怎么, 吗, ...) only count when there is nothing else.
        content = [r for run in runs for r in _HAN_FILLER.split(run) if r] or runs
        # One unit per distinct character. It matches on its own in a title or
        # keyword (in any field when it is the whole query), or next to its
        # neighbour in the query, in any field; a pair counts one and a half.
        pairs: dict[str, list[str]] = {}
        for run in content:
            for i, char in enumerate(run):
                found = pairs.setdefault(char, [])
                for pair in (run[i - 1 : i + 1] if i else "", run[i : i + 2]):
                    if len(pair) == 2 and pair not in found:
                        found.append(pair)
        alone = len(pairs) == 1
        units = []
        for char, near in pairs.items():
            tiers = [
                (_WEIGHTS[f] | _FIELD_BIT[f] | _UNIT, docs)
                for f, docs in self._han.get(char, ())
                if alone or f <= _KEYWORDS
            ]
            for pair in near:
                tiers += [(_PAIR_WEIGHTS[f] | _FIELD_BIT[f] | _UNIT, docs) for f, docs in self._han.get(pair, ())]
            units.append(_merge_max(tiers))
        return _sum_units(units)

    # Latin letters: English words and pinyin --------------------------------------------

    def _match_latin(self, words: list[str]) -> dict[int, int]:
        content = [w for w in words if w not in _STOPWORDS] or words
        typing = content[-1] is words[-1]  # the last word may be half typed
        n = len(content)
        if n == 1:
            return self._latin_unit(content[0], typing, pinyin=True)
        # All the words typed as one run of pinyin ("zhifu mima") count as every word, and more.
        # Only when there is no such run is a word that is no English word tried as pinyin on
        # its own ("mima zhifu").
        run = _merge_max(self._pinyin_tiers("".join(words), units=n, scale=n, bonus=_PHRASE_BONUS))
        units = [
            self._latin_unit(w, typing and i == n - 1, pinyin=False if run else None) for i, w in enumerate(content)
        ]
        total = _sum_units(units)
        for doc, value in run.items():
            if value & _SCORE_MASK > total.get(doc, 0) & _SCORE_MASK:
                total[doc] = value
        return total

    def _latin_unit(self, word: str, typing: bool, pinyin: bool | None) -> dict[int, int]:
        """One word as English (exact, as a prefix while `typing`, or with a typo) and as pinyin.

        `pinyin` None: as pinyin only when it matched nothing as English.
        """
        tiers: Tiers = []
        exact = prefixed = False
        for variant in _variants(word):
            posting = self._words.get(variant)
            if posting:
                exact = True
                tiers += _word_tiers(posting, 1.0)
        if typing:
            for posting in self._prefix_postings(word):
                prefixed = True
                tiers += _word_tiers(posting, _PREFIX_FACTOR)
        if not word.isdigit():
            if len(word) >= _WORD_TYPO_MIN and not exact and not prefixed:
                for other in self._word_typos.near(word):
                    tiers += _word_tiers(self._words[other], _TYPO_FACTOR)
            if pinyin or (pinyin is None and not tiers):
                tiers += self._pinyin_tiers(word)
        return _merge_max(tiers)

    def _prefix_postings(self, prefix: str) -> Iterator[Posting]:
        """Postings (titles and keywords only) of longer words that start with `prefix`."""
        if len(prefix) <= _SHORT_PREFIX:
            posting = self._short_prefix.get(prefix)
            if posting:
                yield posting
            return
        vocab = self._tk_vocab
        lo = bisect.bisect_right(vocab, prefix)
        hi = bisect.bisect_left(vocab, prefix + "\x7f", lo)
        for word in vocab[lo:hi]:
            yield tuple((field, docs) for field, docs in self._words[word] if field <= _KEYWORDS)

    def _pinyin_texts(self, letters: str) -> tuple[Sequence[int], set[int] | frozenset[int]]:
        """Chinese texts that `letters` can be typed into as pinyin, and those it starts."""
        candidates = self._keys.get(letters[:_KEY_LEN], ())
        if len(letters) <= _KEY_LEN:
            return candidates, self._start_keys.get(letters, frozenset())
        search = _run_pattern(tuple((False, c) for c in letters)).search
        texts: list[int] = []
        starts: set[int] = set()
        for tid in candidates:
            found = search(self._texts[tid].line)
            if found:
                texts.append(tid)
                if found.start() == 0:
                    starts.add(tid)
        return texts, starts

    def _pinyin_tiers(self, letters: str, *, units: int = 1, scale: int = 1, bonus: int = 0) -> Tiers:
        """Tiers of documents whose title or keywords `letters` spells as pinyin.

        Failing an exact spelling, five letters or more may carry one typo.
        """
        if not letters.isascii() or not letters.isalnum():
            return []
        if len(letters) <= _SHORT_KEY and scale == 1:
            return self._short_keys.get(letters, [])
        texts, starts = self._pinyin_texts(letters)
        whole = self._whole.get(letters, frozenset())
        factor = 1.0
        if not texts and len(letters) >= _PINYIN_TYPO_MIN:
            factor, starts, whole = _TYPO_FACTOR, frozenset(), frozenset()
            texts = sorted({tid for near in self._pinyin_typos.near(letters) for tid in self._spellings[near]})
        base = [
            (int(_WEIGHTS[field] * scale * factor) + bonus) | _FIELD_BIT[field] | (units << _UNIT_SHIFT)
            for field in (_TITLE, _KEYWORDS)
        ]
        by_value: dict[int, list[int]] = {}
        all_texts = self._texts
        for tid in texts:
            extra = (_START_BONUS if tid in starts else 0) + (_WHOLE_BONUS if tid in whole else 0)
            for field, docs in all_texts[tid].occurs:
                value = base[field] + extra
                found = by_value.get(value)
                if found is None:
                    by_value[value] = list(docs)
                else:
                    found.extend(docs)
        return list(by_value.items())

    def _mixed_run(self, tokens: list[str]) -> dict[int, int]:
        """{doc: bonus} where characters and pinyin are typed as one unbroken run of a title or keyword."""
        elements = tuple((_han(c), c) for token in tokens for c in token)
        candidates: frozenset[int] | None = None
        for is_han, c in elements:
            if is_han:
                texts = self._char_texts.get(c, frozenset())
                candidates = texts if candidates is None else candidates & texts
        bonus: dict[int, int] = {}
        if not candidates:
            return bonus
        search = _run_pattern(elements).search
        for tid in candidates:
            text = self._texts[tid]
            if search(text.line):
                for field, docs in text.occurs:
                    for doc in docs:
                        bonus[doc] = max(bonus.get(doc, 0), _WEIGHTS[field] + _PHRASE_BONUS)
        return bonus


# -- query helpers -------------------------------------------------------------------------


def _best_field(value: int) -> str:
    for field, bit in enumerate(_FIELD_BIT):
        if (value // bit) & _LANE:
            return FIELDS[field]
    return FIELDS[_STEPS]


def _variants(word: str) -> tuple[str, ...]:
    """The word and its plain singular or plural twin (refund, refunds)."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return (word, word[:-1])
    if word.isalpha():
        return (word, word + "s")
    return (word,)


def _word_tiers(posting: Posting, factor: float) -> Tiers:
    return [(int(_WEIGHTS[field] * factor) | _FIELD_BIT[field] | _UNIT, docs) for field, docs in posting]


def _merge_max(tiers: Tiers) -> dict[int, int]:
    """{doc: its value with the highest score} over the tiers; the per-document work runs in C."""
    merged: dict[int, int] = {}
    for value, docs in sorted(tiers, key=lambda tier: tier[0] & _SCORE_MASK):
        merged.update(dict.fromkeys(docs, value))
    return merged


def _sum_units(units: list[dict[int, int]]) -> dict[int, int]:
    """{doc: sum of its values} for documents that match enough of the units.

    Enough is all of one or two units, 60% of more. A document that matches
    enough units must be in one of the n - need + 1 smallest, so only those
    are candidates, and each unit is only walked where it meets them.
    """
    n = len(units)
    if n == 1:
        return units[0]
    units = sorted(units, key=len)
    if n == 2:
        first, second = units
        return {doc: value + second[doc] for doc, value in first.items() if doc in second}
    need = ceil(0.6 * n)
    candidates = set(units[0]).union(*units[1 : n - need + 1])
    total = dict.fromkeys(candidates, 0)
    for unit in units:
        for doc in unit.keys() & candidates:
            total[doc] += unit[doc]
    threshold = need << _UNIT_SHIFT
    return {doc: value for doc, value in total.items() if value >= threshold}


@lru_cache(maxsize=256)
def _run_pattern(elements: tuple[tuple[bool, str], ...]) -> re.Pattern[str]:
    """A pattern over `_PinyinText.line` for characters and pinyin letters typed as one run.

    A line is a bar-separated list of tokens, each a Chinese character (if any)
    followed by its syllable: ``|支zhi|付fu|``. A typed character must start a
    token; a letter either continues the current syllable or, skipping the
    rest of it, starts the next token.
    """
    parts: list[str] = []
    previous: bool | None = None
    for is_han, ch in elements:
        c = re.escape(ch)
        if previous is None:
            parts.append(rf"\|{c}" if is_han else rf"\|[^a-z0-9|]?{c}")
        elif is_han:
            parts.append(rf"[a-z0-9]*\|{c}")
        elif previous:
            parts.append(rf"[a-z0-9]*\|[^a-z0-9|]?{c}")
        else:
            parts.append(rf"(?:{c}|[a-z0-9]*\|[^a-z0-9|]?{c})")
        previous = is_han
    return re.compile("".join(parts))


class _Vocabulary:
    """Strings ordered by length, for finding those one typo away with rapidfuzz."""

    __slots__ = ("_lengths", "_strings")

    def __init__(self, strings: Iterable[str]) -> None:
        self._strings = sorted(set(strings), key=lambda s: (len(s), s))
        self._lengths = [len(s) for s in self._strings]

    def near(self, word: str) -> list[str]:
        """Strings one edit away (a letter wrong, missing or added, or two neighbours swapped)."""
        lo = bisect.bisect_left(self._lengths, len(word) - 1)
        hi = bisect.bisect_right(self._lengths, len(word) + 1)
        if lo >= hi:
            return []
        process, osa = _load_rapidfuzz()
        found = process.extract(word, self._strings[lo:hi], scorer=osa.distance, score_cutoff=1, limit=None)
        return [string for string, _distance, _index in found if string != word]


# -- building ------------------------------------------------------------------------------


class _PinyinText:
    """A Chinese title or keyword: the line the pinyin matcher reads, and where it occurs."""

    __slots__ = ("_building", "chars", "line", "occurs", "syllables")

    def __init__(self, syllables: list[str], chars: list[str]) -> None:
        self.syllables = syllables
        self.chars = chars
        self.line = "|" + "|".join(c + s for c, s in zip(chars, syllables, strict=True)) + "|"
        self.occurs: Posting = ()
        self._building: dict[int, int] = {}  # doc -> best field, until frozen


class _Builder:
    """Collects documents, then freezes the tables of a `SearchIndex`."""

    def __init__(self) -> None:
        self.docs: list[SearchDocument] = []
        # Per field: key -> documents (each document under its best field only).
        self.han: list[defaultdict[str, list[int]]] = [defaultdict(list) for _ in FIELDS]
        self.words: list[defaultdict[str, list[int]]] = [defaultdict(list) for _ in FIELDS]
        self.prefixes: list[defaultdict[str, list[int]]] = [defaultdict(list) for _ in FIELDS]
        self.equal: list[defaultdict[str, list[int]]] = [defaultdict(list) for _ in FIELDS]
        self.text_ids: dict[str, int] = {}
        self.texts: list[_PinyinText] = []

    def add(self, doc: SearchDocument, fields: tuple[list[str], ...]) -> None:
        number = len(self.docs)
        self.docs.append(doc)
        grams: dict[str, int] = {}
        words: dict[str, int] = {}
        equal: dict[str, int] = {}
        # Worst field first: a better field overwrites, so each key keeps its best field.
        for field in reversed(range(len(FIELDS))):
            field_grams: set[str] = set()
            field_words: set[str] = set()
            for raw in fields[field]:
                tokens = _token_re().findall(normalize(raw))
                if not tokens:
                    continue
                has_han = False
                for token in tokens:
                    if _han(token):
                        has_han = True
                        field_grams.update(token)
                        field_grams.update(token[i : i + 2] for i in range(len(token) - 1))
                    else:
                        field_words.add(token)
                if field <= _KEYWORDS:
                    key = " ".join(tokens)
                    equal[key] = field
                    if has_han:
                        self._text(key, tokens)._building[number] = field
            grams.update(dict.fromkeys(field_grams, field))
            words.update(dict.fromkeys(field_words, field))
        prefixes: dict[str, int] = {}
        for field in (_KEYWORDS, _TITLE):
            for word, best in words.items():
                if best == field:
                    prefixes.update(
                        dict.fromkeys((word[:n] for n in range(1, min(len(word), _SHORT_PREFIX + 1))), field)
                    )
        for table, found in ((self.han, grams), (self.words, words), (self.prefixes, prefixes), (self.equal, equal)):
            for key, field in found.items():
                table[field][key].append(number)

    def _text(self, key: str, tokens: list[str]) -> _PinyinText:
        tid = self.text_ids.get(key)
        if tid is not None:
            return self.texts[tid]
        syllables: list[str] = []
        chars: list[str] = []
        for token in tokens:
            if _han(token):
                syllables += _readings(token)
                chars += token
            else:
                syllables.append(token)
                chars.append("")
        self.text_ids[key] = len(self.texts)
        self.texts.append(_PinyinText(syllables, chars))
        return self.texts[-1]

    def finish(self, index: SearchIndex) -> SearchIndex:
        index._docs = self.docs
        index._han = _postings(self.han)
        index._words = _postings(self.words)
        index._short_prefix = _postings(self.prefixes)
        index._equal = _postings(self.equal)
        index._tk_vocab = sorted(set(self.words[_TITLE]) | set(self.words[_KEYWORDS]))
        index._word_typos = _Vocabulary(w for w in index._words if len(w) >= _WORD_TYPO_MIN and w.isalpha())
        self._finish_pinyin(index)
        return index

    def _finish_pinyin(self, index: SearchIndex) -> None:
        keys: defaultdict[str, set[int]] = defaultdict(set)
        start_keys: defaultdict[str, set[int]] = defaultdict(set)
        whole: defaultdict[str, set[int]] = defaultdict(set)
        char_texts: defaultdict[str, set[int]] = defaultdict(set)
        spellings: defaultdict[str, set[int]] = defaultdict(set)
        for tid, text in enumerate(self.texts):
            text.occurs = _freeze(text._building)
            text._building = {}
            syllables = text.syllables
            for position in range(len(syllables)):
                typed = _typed_keys(syllables, position)
                for key in typed:
                    keys[key].add(tid)
                if position == 0:
                    for key in typed:
                        start_keys[key].add(tid)
            for ch in text.chars:
                if ch:
                    char_texts[ch].add(tid)
            n = len(syllables)
            if all(syllables):
                whole["".join(syllables)].add(tid)
                whole["".join(s[0] for s in syllables)].add(tid)
                spellings["".join(syllables)].add(tid)
            # Pinyin spellings of short runs of characters, for typos.
            for i in range(n):
                for j in range(i + 2, min(n, i + _PINYIN_TYPO_CHARS) + 1):
                    if all(syllables[i:j]):
                        spellings["".join(syllables[i:j])].add(tid)
            text.syllables = text.chars = []  # the line is all searching needs

        index._texts = self.texts
        index._keys = {key: tuple(sorted(tids)) for key, tids in keys.items()}
        index._start_keys = {key: frozenset(tids) for key, tids in start_keys.items()}
        index._whole = {key: frozenset(tids) for key, tids in whole.items()}
        index._char_texts = {ch: frozenset(tids) for ch, tids in char_texts.items()}
        index._spellings = {
            spelling: tuple(sorted(tids))
            for spelling, tids in spellings.items()
            if len(spelling) >= _PINYIN_TYPO_MIN - 1
        }
        index._pinyin_typos = _Vocabulary(index._spellings)

        # Keys of one or two letters match a large share of all texts: precompute their documents.
        for key, tids in index._keys.items():
            if len(key) <= _SHORT_KEY:
                index._short_keys[key] = _short_key_tiers(
                    self.texts, tids, start_keys.get(key, set()), whole.get(key, set())
                )


def _short_key_tiers(texts: list[_PinyinText], tids: Iterable[int], starts: set[int], whole: set[int]) -> Tiers:
    best: dict[int, int] = {}
    for tid in tids:
        extra = (_START_BONUS if tid in starts else 0) + (_WHOLE_BONUS if tid in whole else 0)
        for field, docs in texts[tid].occurs:
            value = (_WEIGHTS[field] + extra) | _FIELD_BIT[field] | _UNIT
            for doc in docs:
                if _WEIGHTS[field] + extra > best.get(doc, 0) & _SCORE_MASK:
                    best[doc] = value
    by_value: defaultdict[int, list[int]] = defaultdict(list)
    for doc, value in best.items():
        by_value[value].append(doc)
    return [(value, tuple(sorted(docs))) for value, docs in sorted(by_value.items())]


def _postings(per_field: list[defaultdict[str, list[int]]]) -> dict[str, Posting]:
    keys = set().union(*per_field)
    return {
        key: tuple((field, tuple(table[key])) for field, table in enumerate(per_field) if key in table) for key in keys
    }


def _freeze(best: dict[int, int]) -> Posting:
    """{doc: best field} -> posting."""
    by_field: defaultdict[int, list[int]] = defaultdict(list)
    for doc, field in best.items():
        by_field[field].append(doc)
    return tuple((field, tuple(sorted(docs))) for field, docs in sorted(by_field.items()))


def _typed_keys(syllables: list[str], start: int) -> set[str]:
    """Every way to type the syllables from `start` on, each as a non-empty prefix, cut at _KEY_LEN letters."""
    out: set[str] = set()
    stack = [(start, "")]
    n = len(syllables)
    while stack:
        i, typed = stack.pop()
        syllable = syllables[i]
        for length in range(1, len(syllable) + 1):
            key = typed + syllable[:length]
            if len(key) >= _KEY_LEN:
                out.add(key[:_KEY_LEN])
                break
            out.add(key)
            if i + 1 < n and syllables[i + 1]:
                stack.append((i + 1, key))
    return out


_lazy_pinyin = None
_rapidfuzz = None


def _load_pinyin():
    global _lazy_pinyin
    if _lazy_pinyin is None:
        from pypinyin import lazy_pinyin

        _lazy_pinyin = lazy_pinyin
    return _lazy_pinyin


def _load_rapidfuzz():
    global _rapidfuzz
    if _rapidfuzz is None:
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        _rapidfuzz = (process, OSA)
    return _rapidfuzz


def _readings(run: str) -> list[str]:
    """Phrase-aware pinyin of a run of characters, one syllable each ("" where there is none)."""
    pinyin = _load_pinyin()
    readings = pinyin(run)
    if len(readings) != len(run):
        readings = [(pinyin(ch) or [""])[0] for ch in run]
    return [r if r.isascii() and r.isalpha() else "" for r in readings]
