"""Search across every pack as the customer types: Chinese, pinyin, initials or English."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from kiosk.model import Category
from kiosk.ui.lookup import require_pack
from kiosk.ui.render import localized, plain
from kiosk.ui.screens.base import KioskScreen

if TYPE_CHECKING:
    from kiosk.search import SearchHit

RESULT_LIMIT = 30


class SearchScreen(KioskScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "focus_results", "Results", id="results", show=False),
    ]

    def screen_title(self):
        return plain(self.tr("tile.search"))

    def compose_body(self):
        yield Input(value=self.kiosk.session.search_query, placeholder=self.tr("search.placeholder"), id="query")
        yield Static(id="search-status")
        yield OptionList(id="results")

    def after_compose(self) -> None:
        query = self.query_one("#query", Input)
        query.cursor_blink = self.kiosk.settings.cursor_blink
        query.focus()
        query.cursor_position = len(query.value)
        self.show_results(query.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.kiosk.session.search_query = event.value
        self.show_results(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_focus_results()

    def action_focus_results(self) -> None:
        results = self.query_one("#results", OptionList)
        if results.option_count:
            results.focus()
            if results.highlighted is None:
                results.action_first()

    def show_results(self, query: str) -> None:
        status = self.query_one("#search-status", Static)
        results = self.query_one("#results", OptionList)
        results.clear_options()
        if not query.strip():
            status.update(plain(self.tr("search.hint"), "dim"))
            results.add_options(self.browse_options())
            return
        hits = self.kiosk.search_index.search(query, limit=RESULT_LIMIT)
        if hits:
            status.update(plain(self.tr("search.count", n=len(hits)), "dim"))
            results.add_options(self.hit_option(hit) for hit in hits)
        else:
            status.update(plain(self.tr("search.none", query=query.strip()), "bold yellow"))
            results.add_options(self.browse_options())

    def hit_option(self, hit: SearchHit) -> Option:
        doc = hit.document
        pack = require_pack(self.kiosk.packs, doc.pack_id)
        loc = self.locale
        if doc.kind == "scam":
            where = self.tr("search.scam")
            target = f"scam:{doc.pack_id}:{doc.item_id}"
        else:
            where = self.tr(f"category.{doc.category}")
            target = f"guide:{doc.pack_id}:{doc.item_id}"
        label = localized(pack.pack.name, loc, "bold") + plain(f" · {where} · ", "dim") + localized(doc.title, loc)
        return Option(label, id=target)

    def browse_options(self) -> list[Option]:
        options = [
            Option(plain("▸ ") + plain(self.tr(f"category.{c}")), id=f"category:{c}")
            for c in Category
            if any(g.category is c for p in self.kiosk.packs.packs for g in p.guides)
        ]
        options.append(Option(plain("☎ ") + plain(self.tr("tile.contacts"), "bold"), id="contacts"))
        return options
