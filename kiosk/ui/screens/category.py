"""Every guide of one category, across all wallets."""

from __future__ import annotations

from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kiosk.model import Category
from kiosk.ui.render import localized, plain
from kiosk.ui.screens.base import KioskScreen


class CategoryScreen(KioskScreen):
    def __init__(self, category: str) -> None:
        super().__init__()
        self.category = Category(category)

    def screen_title(self):
        return plain(self.tr("category.title", category=self.tr(f"category.{self.category}")))

    def compose_body(self):
        loc = self.locale
        options = [
            Option(
                localized(pack.pack.name, loc, "bold") + plain(" · ") + localized(guide.title, loc),
                id=f"guide:{pack.id}:{guide.id}",
            )
            for pack in self.kiosk.packs.packs
            for guide in pack.guides
            if guide.category is self.category
        ]
        yield Static(
            plain(self.tr("category.title", category=self.tr(f"category.{self.category}")), "bold"),
            classes="page-title",
        )
        if options:
            yield OptionList(*options, id="category-guides")
        else:
            yield Static(plain(self.tr("category.empty")))

    def after_compose(self) -> None:
        lists = self.query("#category-guides")
        if lists:
            lists.first().focus()
