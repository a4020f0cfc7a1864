"""A short piece of an item's text that shows the customer why it matched."""

from __future__ import annotations

from collections.abc import Iterable

from kiosk.search.text import is_han, normalize, tokens

#: Characters a snippet is cut to (the screen adds its own ellipsis).
SNIPPET_CHARS = 36


def snippet(query: str, texts: Iterable[str], width: int = SNIPPET_CHARS) -> str | None:
    """The text (of `texts`) that shares most with `query`, cut to `width` characters around the match.

    Shared means characters of the query's Chinese runs and whole Latin words. None when no text
    shares anything.
    """
    typed = tokens(normalize(query))
    chars = {c for t in typed if is_han(t) for c in t}
    words = {t for t in typed if not is_han(t) and len(t) > 1}
    best: tuple[int, int, str] | None = None
    for raw in texts:
        text = " ".join(raw.split())
        norm = normalize(text)
        found = [i for i, c in enumerate(norm) if c in chars]
        for word in words:
            at = norm.find(word)
            if at >= 0:
                found += range(at, at + len(word))
        if found and (best is None or len(set(found)) > best[0]):
            best = (len(set(found)), min(found), text)
    if best is None:
        return None
    _count, first, text = best
    if len(text) <= width:
        return text
    start = max(0, min(first - width // 4, len(text) - width))
    piece = text[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")
