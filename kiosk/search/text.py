"""Text as the index compares it: normal form, tokens, small words, plural twins, words one typo away."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from types import ModuleType

#: The CJK ideograph blocks (with extension A and the compatibility ideographs).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: Characters and question words that carry no meaning in a question (了, 怎么办, 什么时候, 吗, ...):
#: left out when there is anything else.
HAN_FILLER = re.compile(
    "(?:什么时候|怎么办|怎么样|为什么|是什么|是多少|是哪个|是哪家|在哪里|在哪儿|在哪|什么|多少|多久|能不能|可不可以|如何|一下"
    "|[的了吗呢吧啊呀么怎我])+"
)
#: Particles typed at the end of pinyin (beidaole: 被盗了), tried without when the word finds nothing.
PINYIN_PARTICLES = ("le", "ma", "ne", "la", "ba", "de")

#: English words too common to tell documents apart ("my", "how"): left out when there is anything else.
STOPWORDS = frozenset(
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
        "cannot",
        "cant",
        "could",
        "did",
        "do",
        "does",
        "doesnt",
        "dont",
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

_FOLD = str.maketrans({"ü": "v"})


def normalize(text: str) -> str:
    """NFKC, lower case, ü as v: the form documents and queries are compared in."""
    return unicodedata.normalize("NFKC", text).lower().translate(_FOLD)


@lru_cache(maxsize=1)
def _token_re() -> re.Pattern[str]:
    """Runs of Chinese characters, and runs of Latin letters and digits (compiled on first use)."""
    return re.compile(f"[{HAN}]+|[a-z0-9]+")


def tokens(normalized: str) -> list[str]:
    """The tokens of normalised text: runs of Chinese characters and runs of [a-z0-9]; the rest separates."""
    return _token_re().findall(normalized)


def is_han(token: str) -> bool:
    """Tokens are runs of Chinese characters or of [a-z0-9]; this tells them apart."""
    return token[0] > "z"


def variants(word: str) -> tuple[str, ...]:
    """The word and its plain singular or plural twin (refund, refunds)."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return (word, word[:-1])
    if word.isalpha():
        return (word, word + "s")
    return (word,)


@cache
def _rapidfuzz() -> tuple[ModuleType, ModuleType]:
    """rapidfuzz's `process` and `OSA`, imported on first use: the kiosk's first paint does not need them."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    return process, OSA


def load_typo_matcher() -> None:
    """Import the typo matcher now (while an index is built) rather than on a customer's keystroke."""
    _rapidfuzz()


class Vocabulary:
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
        process, osa = _rapidfuzz()
        found = process.extract(word, self._strings[lo:hi], scorer=osa.distance, score_cutoff=1, limit=None)
        return [string for string, _distance, _index in found if string != word]
