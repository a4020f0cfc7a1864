"""Wallet names in a query: which wallet the customer named, and what is left of the query.

Customers name the wallet first (``微信 退款``, ``zhifubao mima``, ``wxmm``,
``alipay refund``). Every pack's name and declared aliases are wallet names;
a Chinese name also counts as its pinyin, and as its initials when they are
three letters or more (shorter initials, ``wx``, only when a pack declares
them: two letters would take ordinary initials such as ``tk`` for 退款).

A name is found

* as Chinese characters anywhere in a run (``支付宝退款``), or as characters
  that read the same (``支付包``, a slip of the input method);
* as Latin words (``apple pay``), or at the start of a run of pinyin
  (``zhifubaomima``, ``wxmm``) when the run is no word of the index;
* with one slip, for names of five letters or more typed as a word of their
  own (``weixn``, ``alipya``).

What is left of the query is searched within the named wallet (and the general
pack), see `SearchIndex.search`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass
from functools import lru_cache

from kiosk.search.text import Vocabulary, is_han, normalize, tokens

#: Initials derived from a Chinese name count as a wallet name from this many letters on.
_DERIVED_INITIALS_MIN = 3
#: Names typed as a word of their own may carry one slip from this many letters on.
_TYPO_MIN = 5
#: A run of pinyin that starts with a name keeps at least this many letters for the problem.
_REST_MIN = 2


@dataclass(frozen=True)
class Named:
    """What `WalletNames.find` saw in a query."""

    #: Ids of the packs named (usually one).
    packs: frozenset[str]
    #: The query's tokens with the names taken out.
    rest: list[str]


class WalletNames:
    """Every wallet name of the indexed packs, in the forms a query can be compared with."""

    def __init__(self) -> None:
        self._han: dict[str, set[str]] = defaultdict(set)
        self._han_sound: dict[str, set[str]] = defaultdict(set)
        # The first syllable of every name's sound: a run can only sound like a name from such a character.
        self._first_syllables: set[str] = set()
        self._latin: dict[str, set[str]] = defaultdict(set)
        self._han_lengths: list[int] = []
        self._sound_lengths: list[int] = []
        self._latin_max_words = 1
        self._typos = Vocabulary(())

    def add(
        self,
        pack_id: str,
        names: Iterable[str],
        readings: Callable[[str], list[str]],
        is_common: Callable[[str], bool] = lambda form: False,
    ) -> None:
        """Add a pack's names (its display names and aliases).

        A name `is_common` says is an ordinary search word (another pack's title or keyword, a synonym)
        is left out: a pack calling itself 退款 would otherwise take every refund search for itself.
        """
        for raw in names:
            found = tokens(normalize(raw))
            if not found or is_common(" ".join(found)):
                continue
            if all(is_han(t) for t in found):
                run = "".join(found)
                if len(run) < 2:
                    continue
                self._han[run].add(pack_id)
                syllables = readings(run)
                if all(syllables):
                    self._han_sound["".join(syllables)].add(pack_id)
                    self._first_syllables.add(syllables[0])
                    self._latin["".join(syllables)].add(pack_id)
                    initials = "".join(s[0] for s in syllables)
                    if len(initials) >= _DERIVED_INITIALS_MIN:
                        self._latin[initials].add(pack_id)
            elif not any(is_han(t) for t in found):
                joined = "".join(found)
                if len(joined) >= 2:
                    self._latin[joined].add(pack_id)
                    self._latin_max_words = max(self._latin_max_words, len(found))

    def freeze(self) -> None:
        self._han_lengths = sorted({len(n) for n in self._han}, reverse=True)
        self._sound_lengths = sorted({len(n) for n in self._han_sound}, reverse=True)
        self._typos = Vocabulary(n for n in self._latin if len(n) >= _TYPO_MIN and n.isalpha())

    def find(
        self,
        typed: list[str],
        known_words: Container[str],
        readings: Callable[[str], list[str]],
        being_typed: Callable[[str], bool] = lambda word: False,
    ) -> Named:
        """The wallets named in `typed` (tokens of a normalised query) and the tokens left.

        `known_words` are the index's Latin words: a run that is one is not cut into a name and a rest.
        `being_typed` says whether a word starts some indexed word (then it is no slip of a name).
        """
        packs: set[str] = set()
        rest: list[str] = []
        i = 0
        while i < len(typed):
            token = typed[i]
            if is_han(token):
                rest += self._han_run(token, packs, readings)
                i += 1
                continue
            used = self._latin_words(typed, i, packs)
            if used:
                i += used
                continue
            cut = self._latin_prefix(token, known_words)
            if cut is not None:
                name_packs, remainder = cut
                packs |= name_packs
                rest.append(remainder)
            elif len(token) >= _TYPO_MIN and token.isalpha() and token not in known_words and not being_typed(token):
                near = {p for name in self._typos.near(token) for p in self._latin[name]}
                if near:
                    packs |= near
                else:
                    rest.append(token)
            else:
                rest.append(token)
            i += 1
        return Named(frozenset(packs), rest)

    def _latin_words(self, typed: list[str], start: int, packs: set[str]) -> int:
        """How many tokens from `start` spell a name as words (the longest), adding its packs; 0 if none."""
        for count in range(min(self._latin_max_words, len(typed) - start), 0, -1):
            words = typed[start : start + count]
            if any(is_han(w) for w in words):
                continue
            found = self._latin.get("".join(words))
            if found:
                packs |= found
                return count
        return 0

    def _latin_prefix(self, token: str, known_words: Container[str]) -> tuple[set[str], str] | None:
        """(packs, rest) where `token` is a name run together with pinyin (``zhifubaomima``), the shortest name."""
        if token in known_words or not token.isalpha():
            return None
        for length in range(2, len(token) - _REST_MIN + 1):
            found = self._latin.get(token[:length])
            if found:
                return found, token[length:]
        return None

    def _han_run(self, run: str, packs: set[str], readings: Callable[[str], list[str]]) -> list[str]:
        """The pieces of a run of characters left when names (or characters that read like one) are taken out."""
        spans = self._han_spans(run)
        if not spans and self._han_sound and len(run) >= 2:
            spans = self._sound_spans(run, [_char_reading(c, readings) for c in run])
        pieces = []
        at = 0
        for start, end, found in spans:
            packs |= found
            if start > at:
                pieces.append(run[at:start])
            at = end
        if at < len(run):
            pieces.append(run[at:])
        return pieces

    def _han_spans(self, run: str) -> list[tuple[int, int, set[str]]]:
        spans = []
        i = 0
        while i < len(run):
            match = None
            for length in self._han_lengths:  # longest first: 微信支付 before 微信
                found = self._han.get(run[i : i + length])
                if found:
                    match = (i, i + length, found)
                    break
            if match:
                spans.append(match)
                i = match[1]
            else:
                i += 1
        return spans

    def _sound_spans(self, run: str, syllables: list[str]) -> list[tuple[int, int, set[str]]]:
        spans = []
        i = 0
        n = len(run)
        firsts = self._first_syllables
        while i < n:
            match = None
            for j in range(n, i + 1, -1) if syllables[i] in firsts else ():
                if all(syllables[i:j]):
                    found = self._han_sound.get("".join(syllables[i:j]))
                    if found:
                        match = (i, j, found)
                        break
            if match:
                spans.append(match)
                i = match[1]
            else:
                i += 1
        return spans


@lru_cache(maxsize=8192)
def _char_reading_cached(char: str, readings: Callable[[str], list[str]]) -> str:
    return (readings(char) or [""])[0]


def _char_reading(char: str, readings: Callable[[str], list[str]]) -> str:
    """One character's syllable, remembered: the names' sounds are compared on every keystroke."""
    return _char_reading_cached(char, readings)
