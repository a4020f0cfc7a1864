"""The one "did you mean ...?" for every message about a mistyped key, id, locale or group name.

Only such a message needs `difflib`, so it is imported when a suggestion is made:
reading a valid file never loads it.
"""

from __future__ import annotations

from collections.abc import Iterable


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice most like `word`, if one is close enough to be a likely typo."""
    import difflib

    matches = difflib.get_close_matches(word, list(choices), n=1)
    return matches[0] if matches else None


def hint(word: str, choices: Iterable[str], *, list_all: str | None = None) -> str:
    """ "; did you mean 'x'?" for the closest choice; otherwise "; <list_all>: a, b, c", or nothing."""
    options = list(choices)
    match = closest(word, options)
    if match is not None:
        return f"; did you mean '{match}'?"
    return f"; {list_all}: {', '.join(options)}" if list_all else ""
