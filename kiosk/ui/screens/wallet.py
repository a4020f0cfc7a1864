"""A wallet: its official contacts with live status, then its guides by category."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kiosk.model import Category, Pack
from kiosk.ui.attribution import pack_name
from kiosk.ui.lookup import require_pack
from kiosk.ui.render import localized, plain
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets.channel_card import ChannelCard


def guide_options(pack: Pack, locale: str, tr) -> list[Option | None]:
    """Guides grouped under category headings (headings are disabled rows)."""
    options: list[Option | None] = []
    for category in Category:
        guides = [g for g in pack.guides if g.category is category]
        if not guides:
            continue
        options.append(Option(plain(tr(f"category.{category}"), "bold $secondary"), disabled=True))
        for guide in guides:
            options.append(Option(plain("  ") + localized(guide.title, locale), id=f"guide:{pack.id}:{guide.id}"))
    return options


class WalletScreen(KioskScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("g", "focus_guides", "Problems", id="guides"),
        Binding("c", "focus_contacts", "Contacts", id="contacts", show=False),
    ]

    def __init__(self, pack_id: str) -> None:
        super().__init__()
        self.pack_id = pack_id

    @property
    def pack(self) -> Pack:
        return require_pack(self.kiosk.packs, self.pack_id)

    def screen_title(self):
        return pack_name(self.kiosk.packs, self.pack, self.locale)

    def compose_body(self):
        pack, loc = self.pack, self.locale
        with VerticalScroll(id="wallet-body"):
            yield Static(plain(self.tr("wallet.contacts")), classes="section-title")
            yield Static(plain(self.tr("wallet.only_official")), classes="warning")
            for channel in pack.channels:
                yield ChannelCard(channel, pack.id, loc, compact=True)
            yield Static(plain(self.tr("wallet.guides")), classes="section-title", id="guides-title")
            if pack.guides:
                yield OptionList(*guide_options(pack, loc, self.tr), id="guides")
            else:
                yield Static(plain(self.tr("wallet.no_guides")))

    def after_compose(self) -> None:
        cards = self.query(ChannelCard)
        if cards:
            cards.first().focus()

    def action_focus_guides(self) -> None:
        guides = self.query("#guides")
        if guides:
            guides.first().focus()
            self.query_one("#guides-title").scroll_visible(top=True)

    def action_focus_contacts(self) -> None:
        cards = self.query(ChannelCard)
        if cards:
            cards.first().focus()
