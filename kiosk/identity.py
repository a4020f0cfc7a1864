"""Does one pack's id or name imitate another's? Compared after NFKC, case folding and confusable folding.

A customer reads a tile, not bytes: "AIipay" (capital i), "Αlipay" (Greek alpha),
"Alipay Official", "支付宝官方服务" and "⽀付宝" (a Kangxi radical) all read as
Alipay. So every id and name is folded to one comparable form:

1. NFKC (full-width and mathematical letters, radicals, ligatures);
2. confusable folding: each character becomes the representative of its class
   in Unicode's confusables data (UTS #39, as shipped by the
   confusable-homoglyphs package), where an ASCII letter represents its class
   when there is one (`I`, `1`, `|` and `l` become `l`, `0` and `O` become `O`);
3. case folding, then confusable folding again (lower-case look-alikes);
4. only letters and digits are kept (spaces, dashes, dots and brackets go).

Two packs collide when a folded id or name of one equals one of the other's,
or contains it: a name that contains another pack's whole name ("Alipay
Official") reads as that pack. Containment counts only for folded names of at
least three ASCII or two other characters, and the general pack's id
("general", a common word) counts only when equal. Each part of a name in
brackets counts on its own ("e-CNY (digital yuan)" is also "e-CNY" and
"digital yuan").

The confusables table is read on first use only: a kiosk with only bundled
packs never reads it (kiosk.discovery checks bundled packs against each other
in a test, not at start-up).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from kiosk.model import GENERAL_PACK_ID

_BRACKETS = re.compile(r"[()（）\[\]【】〔〕「」『』<>《》]")


@dataclass(frozen=True)
class Identity:
    """One way a pack is known: its id or a name, as written and in its folded forms."""

    written: str
    #: The forms it folds to (folding before and after case folding can differ: `AIipay`, `ALIPAY`).
    folded: frozenset[str]
    #: An id (not a name): it collides by being, or containing, another's id or name, not by being contained.
    is_id: bool = False
    #: Collides only when equal (never by containment): the general pack's id, a common word.
    exact_only: bool = False


def fold(text: str) -> str:
    """`text` in the form look-alikes share (see the module); `folds` gives every form."""
    return min(folds(text))


def folds(text: str) -> frozenset[str]:
    """The forms `text` folds to: confusable folding after case folding, and before and after it."""
    text = unicodedata.normalize("NFKC", text)
    lower_first = _skeleton(text.casefold())
    skeleton_first = _skeleton(_skeleton(text).casefold())
    return frozenset(_letters_and_digits(form) for form in (lower_first, skeleton_first))


def _skeleton(text: str) -> str:
    return "".join(_representative(char) for char in text)


def _letters_and_digits(text: str) -> str:
    return "".join(char for char in text if unicodedata.category(char)[0] in "LN")


def identities(pack_id: str, names: Iterable[str]) -> tuple[Identity, ...]:
    """Every id and name a pack is known by, folded (names also by their bracketed parts)."""
    return _identities(pack_id, tuple(names))


# Each new pack is compared with every pack before it: folding each pack once, not once per
# comparison, keeps start-up linear in the folding (200 packs folded 21,000 times took seconds).
@lru_cache(maxsize=4096)
def _identities(pack_id: str, names: tuple[str, ...]) -> tuple[Identity, ...]:
    found = [Identity(pack_id, folds(pack_id), is_id=True, exact_only=pack_id == GENERAL_PACK_ID)]
    for name in names:
        for part in (name, *_BRACKETS.split(name)):
            folded = folds(part) - {""}
            if folded and all(folded != i.folded for i in found):
                found.append(Identity(part.strip(), folded))
    return tuple(found)


def imitation(mine: Iterable[Identity], theirs: Iterable[Identity]) -> tuple[Identity, Identity] | None:
    """(my identity, theirs) that read as one another, or None.

    They do when equal once folded, when mine contains theirs ("Alipay Official" contains
    "Alipay"), or when my name is contained in theirs ("微信" in "微信支付").
    """
    theirs = tuple(theirs)
    for a in mine:
        for b in theirs:
            if a.folded & b.folded or _contains(a, b) or (not a.is_id and _contains(b, a)):
                return a, b
    return None


def _contains(outer: Identity, inner: Identity) -> bool:
    if inner.exact_only:
        return False
    return any(
        len(small) >= (3 if small.isascii() else 2) and small in big for small in inner.folded for big in outer.folded
    )


@cache
def _representative(char: str) -> str:
    """The character (or characters: `m` reads as `rn`) that `char`'s confusable class shares."""
    entries = _confused_with(char)
    if not entries:
        return char
    if len(entries) == 1 and len(entries[0]) > 1:
        return "".join(_representative(c) for c in entries[0])  # a character that reads as several
    # A class is a prototype and the characters that read as it. A character listing one other either
    # reads as it or is the prototype of just that one: either way, that pair is in one class.
    prototype = char if len(entries) > 1 else entries[0]
    members = {char, prototype, *(c for c in _confused_with(prototype) if len(c) == 1)}
    return min(members, key=_preference)


def _confused_with(char: str) -> list[str]:
    # The data wraps right-to-left characters in marks that only steer how they are displayed.
    return [e["c"].replace("\u200e", "").replace("\u200f", "") for e in _confusables().get(char, ())]


@cache
def _confusables() -> dict[str, list[dict[str, str]]]:
    """Unicode's confusables (confusable-homoglyphs' copy): each character and those it is confused with."""
    import json
    from importlib.resources import files

    data: dict[str, list[dict[str, str]]] = json.loads(
        (files("confusable_homoglyphs") / "confusables.json").read_text(encoding="utf-8")
    )
    return data


def _preference(char: str) -> tuple[int, int]:
    """What represents a class: an ASCII letter (lower case first), a digit, then a letter that is
    its own NFKC form (支 rather than the radical ⽀), then anything, lowest code first."""
    if char.isascii() and char.islower():
        return (0, ord(char))
    if char.isascii() and char.isupper():
        return (1, ord(char))
    if char.isascii() and char.isdigit():
        return (2, ord(char))
    if unicodedata.category(char)[0] in "LN" and unicodedata.normalize("NFKC", char) == char:
        return (3, ord(char))
    return (4, ord(char))


__all__ = ["Identity", "fold", "folds", "identities", "imitation"]
