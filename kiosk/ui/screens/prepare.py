"""What to have ready before calling, and what official service never asks for."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from kiosk.ui.render import localized, plain
from kiosk.ui.screens.base import KioskScreen


class PrepareScreen(KioskScreen):
    def screen_title(self):
        return plain(self.tr("prepare.title"))

    def compose_body(self):
        loc = self.locale
        general = self.kiosk.packs.general
        with VerticalScroll(id="prepare-body"):
            yield Static(plain(self.tr("prepare.title"), "bold"), classes="page-title")
            for number, item in enumerate(general.prepare if general else (), start=1):
                row = plain(f"{number:>2}. ", "bold") + localized(item.text, loc, "bold")
                if item.why is not None:
                    row = row + Content("\n    ") + localized(item.why, loc, "dim")
                yield Static(row, classes="prepare-item")
            never = [n for p in self.kiosk.packs.packs for n in p.never_asks if p is general]
            if never:
                yield Static(plain(self.tr("prepare.never"), "bold red"), classes="section-title")
                yield Static(Content("\n").join(Content("  ✗ ") + localized(n.text, loc) for n in never))

    def after_compose(self) -> None:
        self.query_one("#prepare-body").focus()
