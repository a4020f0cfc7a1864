"""'Sorry, starting again': all a customer sees of an unexpected error, in both languages at once.

The kiosk cannot know which language the person in front of it reads once it has failed,
and the text must not depend on anything that may be what failed: no pack data, no session,
no navigation. The app shows it, then exits for its supervisor to start a fresh kiosk.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from kiosk.i18n import t
from kiosk.model import LOCALES
from kiosk.ui.render import plain


def sorry_lines() -> list[str]:
    """The message, one line per language (Chinese first)."""
    return [t("crash.sorry", locale) for locale in LOCALES]


class CrashScreen(Screen[None]):
    """Nothing to press: the kiosk starts again by itself."""

    def compose(self) -> ComposeResult:
        with Vertical():
            for line in sorry_lines():
                yield Static(plain(line))
