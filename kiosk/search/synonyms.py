"""Synonym groups from packs: other ways of saying a problem, and what a query asks for.

A group (``退款, 退钱, tuiqian, refund, money back``) gives every item whose
title contains one of its words, or whose keywords list one, all the others as
keywords, so the item is found by each of them, in every script the index
reads (pinyin and initials of the new keywords included).

A group may carry an intent: a query with a word of a ``contact`` group asks
for a way to reach someone, one with a word of a ``scam`` group asks about a
scam (`Intents.of`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from kiosk.search.text import is_han, normalize, tokens

if TYPE_CHECKING:
    from kiosk.model import Intent, SynonymGroup


class _Word:
    """A synonym in the form it is compared in: a run of characters, or Latin words."""

    __slots__ = ("han", "latin")

    def __init__(self, raw: str) -> None:
        found = tokens(normalize(raw))
        #: The word's characters when it is all Chinese ("" otherwise): found inside text.
        self.han = "".join(found) if found and all(is_han(t) for t in found) else ""
        #: Its tokens otherwise: found as whole words, in order.
        self.latin: tuple[str, ...] = () if self.han else tuple(found)

    def in_text(self, text: str, words: Sequence[str]) -> bool:
        """Whether the word occurs in normalised `text` (whose tokens are `words`)."""
        if self.han:
            return self.han in text
        n = len(self.latin)
        if not n:
            return False
        return any(tuple(words[i : i + n]) == self.latin for i in range(len(words) - n + 1))


class Synonyms:
    """The synonym groups of all indexed packs."""

    def __init__(self, groups: Iterable[SynonymGroup]) -> None:
        self._groups: list[tuple[list[_Word], tuple[str, ...], Intent | None]] = []
        for group in groups:
            words = [_Word(w) for w in group.words]
            self._groups.append(([w for w in words if w.han or w.latin], group.words, group.intent))

    def forms(self) -> set[str]:
        """Every word of every group, as its tokens joined by spaces."""
        return {" ".join(tokens(normalize(w))) for _words, raw_words, _intent in self._groups for w in raw_words}

    def expand(self, titles: Iterable[str], keywords: Sequence[str]) -> list[str]:
        """The synonyms an item with these titles and keywords gains as keywords (none it has already)."""
        if not self._groups:
            return []
        texts = [(t, tokens(t)) for t in (normalize(s) for s in (*titles, *keywords))]
        exact = {" ".join(tokens(normalize(k))) for k in keywords}
        title_count = len(texts) - len(keywords)
        gained: list[str] = []
        for words, raw_words, _intent in self._groups:
            if any(self._matches(word, texts, title_count, exact) for word in words):
                gained += [w for w in raw_words if w not in keywords and w not in gained]
        return gained

    @staticmethod
    def _matches(word: _Word, texts: list[tuple[str, list[str]]], title_count: int, exact: set[str]) -> bool:
        if word.latin and " ".join(word.latin) in exact:
            return True
        # In a title the word may stand anywhere; in keywords a run of characters may too (退款 in 退款没到账).
        for index, (text, words) in enumerate(texts):
            if (index < title_count or word.han) and word.in_text(text, words):
                return True
        return False


class Intents:
    """The words of groups with an intent, to tell what a query asks for."""

    def __init__(self, groups: Iterable[SynonymGroup]) -> None:
        self._words: list[tuple[_Word, Intent]] = []
        for group in groups:
            if group.intent is not None:
                self._words += [(w, group.intent) for w in (_Word(raw) for raw in group.words) if w.han or w.latin]

    def of(self, text: str, words: Sequence[str]) -> frozenset[Intent]:
        """The intents of a normalised query `text` whose tokens are `words`."""
        if not self._words:
            return frozenset()
        joined = "".join(words)
        found = set()
        for word, intent in self._words:
            # Pinyin run together counts too (rengongkefu).
            if word.in_text(text, words) or (word.latin and "".join(word.latin) in joined and len(word.latin) > 1):
                found.add(intent)
        return frozenset(found)

    def without(self, intent: Intent, typed: list[str]) -> list[str]:
        """The tokens `typed` with the words of `intent`'s groups taken out (``移动客服`` -> ``移动``)."""
        han = sorted((w.han for w, i in self._words if i is intent and w.han), key=len, reverse=True)
        # Latin words go one by one (customer service number: customer, service, number).
        latin = {part for w, i in self._words if i is intent for part in w.latin}
        out: list[str] = []
        for token in typed:
            if is_han(token):
                for word in han:
                    token = token.replace(word, " ")
                out += token.split()
            elif token not in latin:
                out.append(token)
        return out
