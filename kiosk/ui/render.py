"""Turn pack text into inert on-screen content.

Everything from a pack is shown as `Content` built from sanitised plain text:
never parsed as markup (so `[@click=app.quit]` stays literal) and never
carrying control characters (so ESC sequences cannot reach the terminal),
even if a pack bypassed validation.
"""

from __future__ import annotations

import textual.content
from rich.cells import cell_len
from textual.content import Content

from kiosk import linebreak
from kiosk.i18n import t
from kiosk.model import Text
from kiosk.textsafety import sanitise


def _divide_line(text: str, width: int, fold: bool = True) -> list[int]:
    return linebreak.divide_line(text, width, fold, measure=cell_len)


# Every text the kiosk shows is wrapped by Textual's Content, which breaks lines only at spaces:
# Chinese text was cut wherever the width ran out, full stops started lines and "18 秒" or a phone
# number were split. Content looks its line breaker up in its module by this name (Textual is
# pinned exactly, and tests check this is the one in use), so this one rule holds for every screen.
textual.content.divide_line = _divide_line


def plain(text: str, style: str = "") -> Content:
    """Inert content from any string that is not the kiosk's own markup."""
    content = Content(sanitise(text))
    return content.stylize(style) if style else content


def localized(text: Text, locale: str, style: str = "") -> Content:
    """Pack text in `locale`, with a small visible marker when it falls back to another language."""
    chosen = text.get(locale)
    content = plain(chosen.text, style)
    if chosen.is_fallback:
        marker = t(f"fallback.marker.{locale}", locale)
        content = content + Content(" ") + Content(marker).stylize("dim italic")
    return content


def lines(*parts: Content | str) -> Content:
    """Join parts with newlines; plain strings are treated as pack text (inert)."""
    return Content("\n").join(p if isinstance(p, Content) else plain(p) for p in parts)
