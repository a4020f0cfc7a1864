"""Pinyin: the readings of Chinese titles and keywords, and every way a customer can type them.

A Chinese title or keyword becomes a `PinyinText`: its characters with one
syllable each, written as one line the matchers read with regular
expressions (``|支zhi|付fu|``). Each character may be typed as any prefix of
its syllable (the initial, the whole syllable, or anything in between, which
also forgives a dropped *-g*); `typed_keys` lists those spellings for the
index, `run_pattern` matches longer input, and characters mixed in, against a
line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache

#: Typed-pinyin keys are indexed up to this many letters; longer input is
#: checked against the texts its first letters lead to.
KEY_LEN = 4

#: A posting of a text: ((field, sorted document numbers), ...), each document under its best field.
Posting = tuple[tuple[int, tuple[int, ...]], ...]


class PinyinText:
    """A Chinese title or keyword: the line the pinyin matcher reads, and where it occurs."""

    __slots__ = ("building", "chars", "line", "occurs", "syllables")

    def __init__(self, syllables: list[str], chars: list[str]) -> None:
        self.syllables = syllables
        self.chars = chars
        self.line = "|" + "|".join(c + s for c, s in zip(chars, syllables, strict=True)) + "|"
        self.occurs: Posting = ()
        #: doc -> best field, while the index is being built.
        self.building: dict[int, int] = {}


@cache
def _lazy_pinyin() -> Callable[[str], list[str]]:
    """pypinyin's reader, imported on first use: loading its dictionaries is slow and the first paint does
    not need it."""
    from pypinyin import lazy_pinyin

    return lazy_pinyin


def load_readings() -> None:
    """Import pypinyin now (while an index is built) rather than on first use."""
    _lazy_pinyin()


def readings(run: str) -> list[str]:
    """Phrase-aware pinyin of a run of characters, one syllable each ("" where there is none).

    Phrase-aware: 银行 is *yinhang*, not *yinxing*.
    """
    pinyin = _lazy_pinyin()
    found = pinyin(run)
    if len(found) != len(run):
        found = [(pinyin(ch) or [""])[0] for ch in run]
    return [r if r.isascii() and r.isalpha() else "" for r in found]


def typed_keys(syllables: list[str], start: int) -> set[str]:
    """Every way to type the syllables from `start` on, each as a non-empty prefix, cut at KEY_LEN letters."""
    out: set[str] = set()
    stack = [(start, "")]
    n = len(syllables)
    while stack:
        i, typed = stack.pop()
        syllable = syllables[i]
        for length in range(1, len(syllable) + 1):
            key = typed + syllable[:length]
            if len(key) >= KEY_LEN:
                out.add(key[:KEY_LEN])
                break
            out.add(key)
            if i + 1 < n and syllables[i + 1]:
                stack.append((i + 1, key))
    return out


@lru_cache(maxsize=256)
def run_pattern(elements: tuple[tuple[bool, str], ...]) -> re.Pattern[str]:
    """A pattern over `PinyinText.line` for characters and pinyin letters typed as one run.

    `elements` are (is a Chinese character, the character or letter). A line is
    a bar-separated list of tokens, each a Chinese character (if any) followed
    by its syllable: ``|支zhi|付fu|``. A typed character must start a token; a
    letter either continues the current syllable or, skipping the rest of it,
    starts the next token.
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
