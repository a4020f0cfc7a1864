"""How a source is named to customers: who published it and when it was checked, in their language.

A raw citation URL is neither readable nor tappable at a kiosk, and a content
farm's address next to a number undermines "only trust numbers shown here".
So the screen names the kind of publisher ("官方网站" / "official website"),
the date the fact was checked and the confidence, all in the customer's
language; the address itself stays on the detail and About screens.
"""

from __future__ import annotations

from collections.abc import Iterable

from kiosk.i18n import t
from kiosk.model import Source

__all__ = ["describe_source", "describe_sources", "source_entry"]


def source_entry(source: Source, locale: str) -> str:
    """ "官方网站 · 2026-12-02 核实 · 可信度高" / "official website · checked 2026-12-02 · high confidence"."""
    return t(
        "source.entry",
        locale,
        kind=t(f"source.kind.{source.kind}", locale),
        date=source.verified.isoformat(),
        confidence=t(f"confidence.{source.confidence}", locale),
    )


def describe_source(source: Source, locale: str) -> str:
    """One source as a line: "来源：官方网站 · 2026-12-02 核实 · 可信度高"."""
    return t("source.line", locale, entry=source_entry(source, locale))


def describe_sources(sources: Iterable[Source], locale: str) -> str:
    """Several sources on one line, most trusted first; entries that read the same are given once."""
    entries: list[str] = []
    # Stable sort: among equally trusted sources the pack's order is kept.
    for source in sorted(sources, key=lambda s: s.kind, reverse=True):
        entry = source_entry(source, locale)
        if entry not in entries:
            entries.append(entry)
    return t("source.lines", locale, entries=t("source.separator", locale).join(entries))
