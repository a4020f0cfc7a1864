"""What to have ready before calling, and what official service never asks for."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Static

from kiosk.ui.render import localized, plain
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets.bullets import BulletList


class PrepareScreen(KioskScreen):
    def screen_title(self):
        return plain(self.tr("tile.prepare"))

    def compose_body(self):
        loc = self.locale
        general = self.kiosk.packs.general
        with VerticalScroll(id="prepare-body"):
            yield Static(plain(self.tr("prepare.title"), "bold"), classes="page-title")
            items = [
                (localized(item.text, loc, "bold"), localized(item.why, loc) if item.why else None)
                for item in (general.prepare if general else ())
            ]
            yield BulletList(items, numbered=True)
            never = general.never_asks if general else ()
            if never:
                yield Static(plain(self.tr("prepare.never"), "bold red"), classes="section-title")
                yield BulletList([localized(n.text, loc) for n in never], marker="✗", marker_style="bold red")

    def after_compose(self) -> None:
        self.query_one("#prepare-body").focus()
