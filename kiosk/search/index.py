"""The index: documents, their postings, and the matchers that turn a query into scored hits."""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk import phones
from kiosk.model import GENERAL_PACK_ID, PHONE_KINDS, Intent, Text
from kiosk.search.pinyin import KEY_LEN, PinyinText, Posting, load_readings, readings, run_pattern, typed_keys
from kiosk.search.score import (
    CONTACT_BONUS,
    EQUAL_BONUS,
    FIELDS,
    KEYWORDS,
    MAX_QUERY,
    NUMBER_BONUS,
    PAIR_WEIGHTS,
    PHRASE_BONUS,
    PREFIX_FACTOR,
    START_BONUS,
    SUMMARY,
    TITLE,
    TYPO_FACTOR,
    WALLET_BONUS,
    WEIGHTS,
    WHOLE_BONUS,
    Tiers,
    best_field,
    keep_higher,
    merge_max,
    points,
    points_by_document,
    sum_units,
    tally,
)
from kiosk.search.synonyms import Intents, Synonyms
from kiosk.search.text import (
    HAN_FILLER,
    PINYIN_PARTICLES,
    STOPWORDS,
    Vocabulary,
    is_han,
    load_typo_matcher,
    normalize,
    tokens,
    variants,
)
from kiosk.search.wallets import WalletNames

if TYPE_CHECKING:
    from kiosk.model import Channel, Pack


@dataclass(frozen=True)
class SearchDocument:
    """One searchable item: a guide, a scam warning or a contact channel of a pack.

    The "check this number" action offered for a typed number is a document too:
    kind "number", no pack, the number as typed (separators dropped) as its item.
    """

    kind: str  #: "guide", "scam", "channel" or "number"
    pack_id: str
    item_id: str
    #: The guide's category value, "scam" for scam warnings, the channel's kind, "number" for the action.
    category: str
    title: Text  #: for display


@dataclass(frozen=True)
class SearchHit:
    document: SearchDocument
    score: float  #: relevance; only comparable within one result list
    #: The best field among the matches that scored: "title", "keywords", "summary" or "steps".
    field: str


#: Pinyin keys this short match a large share of all texts, so their document
#: lists are precomputed.
_SHORT_KEY = 2
#: Prefixes of English words up to this long are precomputed; longer ones are
#: looked up in the sorted vocabulary.
_SHORT_PREFIX = 3
#: Typos are looked for in English words of this many letters or more that match nothing as typed...
_WORD_TYPO_MIN = 4
#: ... and in pinyin of this many letters or more.
_PINYIN_TYPO_MIN = 5
#: A wallet name that is the whole title or a keyword of this many other packs' items is an ordinary word.
_COMMON_NAME_ITEMS = 2
#: Pinyin longer than this may end in a particle (le, ma...) that is tried without.
_PARTICLE_MIN = 4
#: A word that matches this few documents as typed is still looked for as a typo of others.
_LISTED_SLIP_DOCS = 2
#: Pinyin spellings of runs of up to this many characters are typo candidates.
_PINYIN_TYPO_CHARS = 4


class SearchIndex:
    """An immutable in-memory index: build once (it takes a while), search on every keystroke.

    Safe to share between threads once built.
    """

    def __init__(self) -> None:
        self._docs: list[SearchDocument] = []
        # Wallet names and aliases, synonyms' intents, what a named wallet shows on its own.
        self._wallets = WalletNames()
        self._intents = Intents(())
        self._pack_of: list[str] = []
        self._front: dict[str, tuple[int, ...]] = {}
        # Channels by the national form of their number, and those numbers sorted (for a number half typed).
        self._numbers: dict[str, tuple[int, ...]] = {}
        self._number_keys: list[str] = []
        # Characters and character pairs -> posting.
        self._han: dict[str, Posting] = {}
        # Latin words (English, pinyin keywords, numbers) -> posting.
        self._words: dict[str, Posting] = {}
        # Title and keyword words, sorted, and postings of their short prefixes.
        self._tk_vocab: list[str] = []
        self._short_prefix: dict[str, Posting] = {}
        self._word_typos = Vocabulary(())
        # A whole title or keyword (tokens joined by spaces) -> posting.
        self._equal: dict[str, Posting] = {}
        # Chinese titles and keywords, for pinyin.
        self._texts: list[PinyinText] = []
        self._keys: dict[str, tuple[int, ...]] = {}
        self._start_keys: dict[str, frozenset[int]] = {}
        self._whole: dict[str, frozenset[int]] = {}
        self._short_keys: dict[str, Tiers] = {}
        self._char_texts: dict[str, frozenset[int]] = {}
        self._spellings: dict[str, tuple[int, ...]] = {}
        self._pinyin_typos = Vocabulary(())

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
        # Both libraries load now, while the index is built, not on a customer's first keystroke.
        load_readings()
        load_typo_matcher()
        groups = [group for pack in packs for group in pack.synonyms]
        builder = _Builder(Synonyms(groups))
        index = cls()
        index._intents = Intents(groups)
        for pack in packs:
            first = len(builder.docs)
            guide_docs: dict[str, int] = {}
            for guide in pack.guides:
                guide_docs[guide.id] = len(builder.docs)
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
            channel_docs = []
            for channel in pack.channels:
                channel_docs.append(len(builder.docs))
                number = _national(channel)
                builder.add(
                    SearchDocument("channel", pack.id, channel.id, str(channel.kind.value), channel.label),
                    (
                        list(channel.label.strings()),
                        [*channel.keywords, *([number] if number else [])],
                        list(channel.purpose.strings()),
                        list(channel.note.strings()) if channel.note else [],
                    ),
                )
                if number:
                    builder.numbers[number].append(channel_docs[-1])
            popular = [guide_docs[g] for g in pack.pack.popular if g in guide_docs]
            others = [d for d in guide_docs.values() if d not in popular]
            index._front[pack.id] = (*popular, *others, *channel_docs)
            index._pack_of += [pack.id] * (len(builder.docs) - first)
        index._wallets = builder.wallet_names(packs, index._pack_of)
        return builder.finish(index)

    # -- searching --------------------------------------------------------------------

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """The best `limit` matches for what the customer has typed so far, best first.

        A wallet named in the query (`kiosk.search.wallets`) keeps only that
        wallet's items and the general pack's, and puts the wallet's own first
        (its scam warnings too when the query is about a scam); the name alone
        lists the wallet's popular guides and its channels. A query asking for
        a way to reach someone (a synonym group with the `contact` intent)
        puts channels first. A typed phone number gives "check this number"
        (a document of kind "number") and the channels with that number, first.

        An empty query, or one that matches nothing well enough, gives [].
        """
        if limit <= 0 or not self._docs:
            return []
        # Cut before normalising, so a pasted page costs no more than a long query.
        text = normalize(query[: MAX_QUERY * 2])[:MAX_QUERY]
        typed = tokens(text)
        if not typed:
            return []
        number_hits, number_docs, number_tokens = self._number(text)
        named = self._wallets.find(typed, self._words, readings, self._starts_a_word)
        intents = self._intents.of(text, typed)
        # The digits of a number that is some channel's are answered by that channel; the rest is searched.
        rest = [t for t in named.rest if t not in number_tokens] if number_docs else named.rest
        found = self._match(rest) if rest else {}
        if named.packs:
            if rest:
                # The name may be part of a title or keyword too (苹果退款): being equal to one still counts.
                for _field, docs in self._equal.get(" ".join(typed), ()):
                    for doc in docs:
                        if doc in found:
                            found[doc] += EQUAL_BONUS
            else:
                found = self._fronts(named.packs)
        contact = Intent.CONTACT in intents and Intent.SCAM not in intents
        # The channels a contact request is for: all it matched, or (移动客服) those of what is left once the
        # words asking for a contact are out, when that names any.
        asked: set[int] | None = None
        if contact:
            wanted = self._intents.without(Intent.CONTACT, rest)
            if wanted and wanted != rest:
                documents = self._docs
                channels = {d: v for d, v in self._match(wanted).items() if documents[d].kind == "channel"}
                if named.packs:  # a named wallet's channels, not others' that share a word
                    channels = {d: v for d, v in channels.items() if self._pack_of[d] in named.packs}
                if channels:
                    found.update(channels)  # ranked by what they are for, not by the words all channels share
                    asked = set(channels)
        for doc in number_docs:
            found[doc] = found.get(doc, 0) + NUMBER_BONUS
        if named.packs:
            self._prefer_wallets(found, named.packs, Intent.SCAM in intents)
        if contact:
            documents = self._docs
            for doc in found:
                if documents[doc].kind == "channel" and (asked is None or doc in asked):
                    found[doc] += CONTACT_BONUS
        return number_hits + self._rank(found, limit - len(number_hits)) if limit > len(number_hits) else number_hits

    def _starts_a_word(self, prefix: str) -> bool:
        """Whether some title or keyword word starts with `prefix` (the customer may be typing it)."""
        vocab = self._tk_vocab
        at = bisect.bisect_left(vocab, prefix)
        return at < len(vocab) and vocab[at].startswith(prefix)

    def _match(self, typed: list[str]) -> dict[int, int]:
        """{doc: tally} of the documents `typed` (tokens) matches well enough."""
        han_runs = [t for t in typed if is_han(t)]
        words = [t for t in typed if not is_han(t)]
        found = self._match_scripts(typed, han_runs, words)
        if han_runs and self._unheard_of(han_runs):
            # A pair of characters no text has is most often a slip of the input method (支付蜜码, 腿款):
            # what the characters sound like is matched as pinyin too.
            spoken = [
                "".join(s for s in readings(piece) if s) for run in han_runs for piece in HAN_FILLER.split(run) if piece
            ]
            spoken = [s for s in spoken if s]
            if spoken:
                keep_higher(found, self._match_scripts(spoken + words, [], spoken + words))
        return found

    def _match_scripts(self, typed: list[str], han_runs: list[str], words: list[str]) -> dict[int, int]:
        parts: list[dict[int, int]] = []
        if han_runs:
            parts.append(self._match_han(han_runs))
        if words:
            parts.append(self._match_latin(words))
        if not parts or not all(parts):
            return {}
        if len(parts) == 1:
            found = parts[0]
        else:
            # Characters and letters: both must match, and their scores add up.
            parts.sort(key=len)
            other = parts[1]
            found = {doc: value + other[doc] for doc, value in parts[0].items() if doc in other}
            for doc, bonus in self._mixed_run(typed).items():
                if doc in found:
                    found[doc] += bonus
        for _field, docs in self._equal.get(" ".join(typed), ()):
            for doc in docs:
                if doc in found:
                    found[doc] += EQUAL_BONUS
        return found

    def _unheard_of(self, runs: list[str]) -> bool:
        """Whether some character, or pair of neighbours, of the runs occurs in no text."""
        han = self._han
        for run in runs:
            for piece in HAN_FILLER.split(run):
                if any(c not in han for c in piece) or any(piece[i : i + 2] not in han for i in range(len(piece) - 1)):
                    return True
        return False

    def _fronts(self, packs: frozenset[str]) -> dict[int, int]:
        """The named wallets' own lists (popular guides first, then the rest, then channels) as tallies."""
        found: dict[int, int] = {}
        for pack in packs:
            front = self._front.get(pack, ())
            for place, doc in enumerate(front):
                found[doc] = tally(len(front) - place, TITLE)
        return found

    def _prefer_wallets(self, found: dict[int, int], packs: frozenset[str], about_scam: bool) -> None:
        """Keep the named wallets' items and the general pack's; the wallets' own go first."""
        pack_of = self._pack_of
        docs = self._docs
        for doc in list(found):
            pack = pack_of[doc]
            if pack in packs:
                if about_scam or docs[doc].kind != "scam":
                    found[doc] += WALLET_BONUS
            elif pack != GENERAL_PACK_ID:
                del found[doc]

    def _number(self, text: str) -> tuple[list[SearchHit], set[int], set[str]]:
        """For a typed phone number: the "check this number" hit, the channels with that number, its tokens."""
        match = _NUMBER.search(text)
        if match is None:
            return [], set(), set()
        typed = clean_number(match.group())
        digits = typed.lstrip("+")
        if len(digits) < _NUMBER_MIN_DIGITS:
            return [], set(), set()
        docs: set[int] = set()
        national = _national_of(typed)
        if national and national in self._numbers:
            docs.update(self._numbers[national])
        elif len(digits) >= _NUMBER_PREFIX_MIN:
            keys = self._number_keys
            at = bisect.bisect_left(keys, digits)
            while at < len(keys) and keys[at].startswith(digits) and len(docs) < _NUMBER_PREFIX_LIMIT:
                docs.update(self._numbers[keys[at]])
                at += 1
        check = SearchDocument("number", "", typed, "number", Text({"zh-CN": typed}))
        return [SearchHit(check, float(NUMBER_BONUS), "title")], docs, set(tokens(match.group()))

    def _rank(self, found: dict[int, int], limit: int) -> list[SearchHit]:
        scores = points_by_document(found)
        if len(scores) > limit:
            cutoff = sorted(scores.values(), reverse=True)[limit - 1]
            ranked = [doc for doc, score in scores.items() if score >= cutoff]
        else:
            ranked = list(scores)
        ranked.sort()  # document order decides between equal scores (the sort below is stable)
        ranked.sort(key=scores.__getitem__, reverse=True)
        return [SearchHit(self._docs[doc], scores[doc] / 10, best_field(found[doc])) for doc in ranked[:limit]]

    # Chinese characters --------------------------------------------------------------

    def _match_han(self, runs: list[str]) -> dict[int, int]:
        # Filler characters (了, 怎么, 吗, ...) only count when there is nothing else.
        content = [r for run in runs for r in HAN_FILLER.split(run) if r] or runs
        # One unit per distinct character. It matches on its own in a title or
        # keyword (in any field when it is the whole query), or next to its
        # neighbour in the query, in any field, where it counts more (PAIR_WEIGHTS).
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
            tiers: Tiers = [
                (tally(WEIGHTS[f], f), docs) for f, docs in self._han.get(char, ()) if alone or f <= KEYWORDS
            ]
            for pair in near:
                tiers += [(tally(PAIR_WEIGHTS[f], f), docs) for f, docs in self._han.get(pair, ())]
            units.append(merge_max(tiers))
        return sum_units(units)

    # Latin letters: English words and pinyin --------------------------------------------

    def _match_latin(self, words: list[str]) -> dict[int, int]:
        content = [w for w in words if w not in STOPWORDS] or words
        typing = content[-1] is words[-1]  # the last word may be half typed
        n = len(content)
        if n == 1:
            return self._latin_unit(content[0], typing, pinyin=True)
        # All the words typed as one run of pinyin ("zhifu mima") count as every word, and more.
        # Only when there is no such run is a word that is no English word tried as pinyin on
        # its own ("mima zhifu").
        run = merge_max(self._pinyin_tiers("".join(words), units=n, scale=n, bonus=PHRASE_BONUS))
        units = [
            self._latin_unit(w, typing and i == n - 1, pinyin=False if run else None) for i, w in enumerate(content)
        ]
        total = sum_units(units)
        keep_higher(total, run)
        return total

    def _latin_unit(self, word: str, typing: bool, pinyin: bool | None) -> dict[int, int]:
        """One word as English (exact, as a prefix while `typing`, or with a typo) and as pinyin.

        `pinyin` None: as pinyin only when it matched nothing as English.
        """
        tiers: Tiers = []
        exact = prefixed = False
        for variant in variants(word):
            posting = self._words.get(variant)
            if posting:
                # A word only a keyword or two list is most often a misspelling a pack lists ("refnud"):
                # what it is a slip of is still looked for.
                exact = exact or sum(len(docs) for _field, docs in posting) > _LISTED_SLIP_DOCS
                tiers += _word_tiers(posting, 1.0)
        if typing:
            for posting in self._prefix_postings(word):
                prefixed = True
                tiers += _word_tiers(posting, PREFIX_FACTOR)
        if not word.isdigit():
            if len(word) >= _WORD_TYPO_MIN and not exact and not prefixed:
                for other in self._word_typos.near(word):
                    tiers += _word_tiers(self._words[other], TYPO_FACTOR)
            if pinyin or (pinyin is None and not tiers):
                tiers += self._pinyin_tiers(word)
            if not tiers and len(word) > _PARTICLE_MIN and word.endswith(PINYIN_PARTICLES) and word.isalpha():
                return self._latin_unit(word[:-2], typing, pinyin)
        return merge_max(tiers)

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
            yield tuple((field, docs) for field, docs in self._words[word] if field <= KEYWORDS)

    def _pinyin_texts(self, letters: str) -> tuple[Sequence[int], set[int] | frozenset[int]]:
        """Chinese texts that `letters` can be typed into as pinyin, and those it starts."""
        candidates = self._keys.get(letters[:KEY_LEN], ())
        if len(letters) <= KEY_LEN:
            return candidates, self._start_keys.get(letters, frozenset())
        search = run_pattern(tuple((False, c) for c in letters)).search
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
            factor, starts, whole = TYPO_FACTOR, frozenset(), frozenset()
            texts = sorted({tid for near in self._pinyin_typos.near(letters) for tid in self._spellings[near]})
        base = [tally(int(WEIGHTS[field] * scale * factor) + bonus, field, units) for field in (TITLE, KEYWORDS)]
        by_value: dict[int, list[int]] = {}
        all_texts = self._texts
        for tid in texts:
            extra = (START_BONUS if tid in starts else 0) + (WHOLE_BONUS if tid in whole else 0)
            for field, docs in all_texts[tid].occurs:
                value = base[field] + extra
                found = by_value.get(value)
                if found is None:
                    by_value[value] = list(docs)
                else:
                    found.extend(docs)
        return list(by_value.items())

    def _mixed_run(self, typed: list[str]) -> dict[int, int]:
        """{doc: bonus} where characters and pinyin are typed as one unbroken run of a title or keyword."""
        elements = tuple((is_han(c), c) for token in typed for c in token)
        candidates: frozenset[int] | None = None
        for han, c in elements:
            if han:
                texts = self._char_texts.get(c, frozenset())
                candidates = texts if candidates is None else candidates & texts
        bonus: dict[int, int] = {}
        if not candidates:
            return bonus
        search = run_pattern(elements).search
        for tid in candidates:
            text = self._texts[tid]
            if search(text.line):
                for field, docs in text.occurs:
                    for doc in docs:
                        bonus[doc] = max(bonus.get(doc, 0), WEIGHTS[field] + PHRASE_BONUS)
        return bonus


#: A phone number as customers type it: digits with spaces, dashes or brackets, maybe a leading +.
_NUMBER = re.compile(r"\+?[0-9][0-9 ()\-]*[0-9]")
#: A typed number is offered to the number check from this many digits on...
_NUMBER_MIN_DIGITS = 3
#: ... and, when it is no channel's number, finds the channels whose number starts with it from this many.
_NUMBER_PREFIX_MIN = 4
_NUMBER_PREFIX_LIMIT = 8


def clean_number(raw: str) -> str:
    """A typed number without its separators (``400 670 0700`` -> ``4006700700``)."""
    return phones.clean(raw)


def _national_of(typed: str) -> str | None:
    try:
        return phones.normalise(typed).national
    except phones.PhoneError:
        return None


def _national(channel: Channel) -> str | None:
    """The national form of a phone channel's number, as the index looks typed numbers up."""
    if channel.kind not in PHONE_KINDS or channel.value.neutral is None:
        return None
    number, _option = phones.split_menu_option(channel.value.neutral)
    try:
        return phones.normalise(number, channel.country).national
    except phones.PhoneError:
        return None


def _word_tiers(posting: Posting, factor: float) -> Tiers:
    return [(tally(int(WEIGHTS[field] * factor), field), docs) for field, docs in posting]


# -- building ------------------------------------------------------------------------------


class _Builder:
    """Collects documents, then freezes the tables of a `SearchIndex`."""

    def __init__(self, synonyms: Synonyms) -> None:
        self.synonyms = synonyms
        self.numbers: defaultdict[str, list[int]] = defaultdict(list)
        self.docs: list[SearchDocument] = []
        # Per field: key -> documents (each document under its best field only).
        self.han: list[defaultdict[str, list[int]]] = [defaultdict(list) for _ in FIELDS]
        self.words: list[defaultdict[str, list[int]]] = [defaultdict(list) for _ in FIELDS]
        self.prefixes: list[defaultdict[str, list[int]]] = [defaultdict(list) for _ in FIELDS]
        self.equal: list[defaultdict[str, list[int]]] = [defaultdict(list) for _ in FIELDS]
        self.text_ids: dict[str, int] = {}
        self.texts: list[PinyinText] = []

    def wallet_names(self, packs: Sequence[Pack], pack_of: list[str]) -> WalletNames:
        """The wallets' names and aliases, leaving out those that are ordinary search words of other packs."""
        synonym_forms = self.synonyms.forms()
        equal = self.equal
        names = WalletNames()
        for pack in packs:
            if pack.id == GENERAL_PACK_ID:
                continue

            def is_common(form: str, own: str = pack.id) -> bool:
                if form in synonym_forms:
                    return True
                others = {d for table in equal[: KEYWORDS + 1] for d in table.get(form, ()) if pack_of[d] != own}
                return len(others) >= _COMMON_NAME_ITEMS

            names.add(pack.id, (*pack.pack.name.strings(), *pack.pack.aliases), readings, is_common)
        names.freeze()
        return names

    def add(self, doc: SearchDocument, fields: tuple[list[str], ...]) -> None:
        gained = self.synonyms.expand(fields[TITLE], fields[KEYWORDS])
        if gained:
            fields = (fields[TITLE], [*fields[KEYWORDS], *gained], *fields[SUMMARY:])
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
                found = tokens(normalize(raw))
                if not found:
                    continue
                has_han = False
                for token in found:
                    if is_han(token):
                        has_han = True
                        field_grams.update(token)
                        field_grams.update(token[i : i + 2] for i in range(len(token) - 1))
                    else:
                        field_words.add(token)
                if field <= KEYWORDS:
                    key = " ".join(found)
                    equal[key] = field
                    if has_han:
                        self._text(key, found).building[number] = field
            grams.update(dict.fromkeys(field_grams, field))
            words.update(dict.fromkeys(field_words, field))
        prefixes: dict[str, int] = {}
        for field in (KEYWORDS, TITLE):
            for word, best in words.items():
                if best == field:
                    prefixes.update(
                        dict.fromkeys((word[:n] for n in range(1, min(len(word), _SHORT_PREFIX + 1))), field)
                    )
        for table, keys in ((self.han, grams), (self.words, words), (self.prefixes, prefixes), (self.equal, equal)):
            for key, field in keys.items():
                table[field][key].append(number)

    def _text(self, key: str, found: list[str]) -> PinyinText:
        tid = self.text_ids.get(key)
        if tid is not None:
            return self.texts[tid]
        syllables: list[str] = []
        chars: list[str] = []
        for token in found:
            if is_han(token):
                syllables += readings(token)
                chars += token
            else:
                syllables.append(token)
                chars.append("")
        self.text_ids[key] = len(self.texts)
        self.texts.append(PinyinText(syllables, chars))
        return self.texts[-1]

    def finish(self, index: SearchIndex) -> SearchIndex:
        index._docs = self.docs
        index._numbers = {key: tuple(docs) for key, docs in self.numbers.items()}
        index._number_keys = sorted(index._numbers)
        index._han = _postings(self.han)
        index._words = _postings(self.words)
        index._short_prefix = _postings(self.prefixes)
        index._equal = _postings(self.equal)
        index._tk_vocab = sorted(set(self.words[TITLE]) | set(self.words[KEYWORDS]))
        index._word_typos = Vocabulary(w for w in index._words if len(w) >= _WORD_TYPO_MIN and w.isalpha())
        self._finish_pinyin(index)
        return index

    def _finish_pinyin(self, index: SearchIndex) -> None:
        keys: defaultdict[str, set[int]] = defaultdict(set)
        start_keys: defaultdict[str, set[int]] = defaultdict(set)
        whole: defaultdict[str, set[int]] = defaultdict(set)
        char_texts: defaultdict[str, set[int]] = defaultdict(set)
        spellings: defaultdict[str, set[int]] = defaultdict(set)
        for tid, text in enumerate(self.texts):
            text.occurs = _freeze(text.building)
            text.building = {}
            syllables = text.syllables
            for position in range(len(syllables)):
                typed = typed_keys(syllables, position)
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
        index._pinyin_typos = Vocabulary(index._spellings)

        # Keys of one or two letters match a large share of all texts: precompute their documents.
        for key, tids in index._keys.items():
            if len(key) <= _SHORT_KEY:
                index._short_keys[key] = _short_key_tiers(
                    self.texts, tids, start_keys.get(key, set()), whole.get(key, set())
                )


def _short_key_tiers(texts: list[PinyinText], tids: Iterable[int], starts: set[int], whole: set[int]) -> Tiers:
    best: dict[int, int] = {}
    for tid in tids:
        extra = (START_BONUS if tid in starts else 0) + (WHOLE_BONUS if tid in whole else 0)
        for field, docs in texts[tid].occurs:
            worth = WEIGHTS[field] + extra
            value = tally(worth, field)
            for doc in docs:
                if worth > points(best.get(doc, 0)):
                    best[doc] = value
    by_value: defaultdict[int, list[int]] = defaultdict(list)
    for doc, value in best.items():
        by_value[value].append(doc)
    return [(value, tuple(sorted(docs))) for value, docs in sorted(by_value.items())]


def _postings(per_field: list[defaultdict[str, list[int]]]) -> dict[str, Posting]:
    keys: set[str] = set().union(*per_field)
    return {
        key: tuple((field, tuple(table[key])) for field, table in enumerate(per_field) if key in table) for key in keys
    }


def _freeze(best: dict[int, int]) -> Posting:
    """{doc: best field} -> posting."""
    by_field: defaultdict[int, list[int]] = defaultdict(list)
    for doc, field in best.items():
        by_field[field].append(doc)
    return tuple((field, tuple(sorted(docs))) for field, docs in sorted(by_field.items()))
