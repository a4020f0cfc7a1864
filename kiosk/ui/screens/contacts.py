"""Every official channel: each wallet's, then regulators and police."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Static

from kiosk.ui.render import localized, plain
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets.channel_card import ChannelCard


class ContactsScreen(KioskScreen):
    def screen_title(self):
        return plain(self.tr("tile.contacts"))

    def compose_body(self):
        packs = self.kiosk.packs
        with VerticalScroll():
            yield Static(plain(self.tr("wallet.only_official")), classes="warning")
            for pack in [*packs.wallets, *([packs.general] if packs.general else [])]:
                title = (
                    plain(self.tr("contacts.general"))
                    if pack is packs.general
                    else localized(pack.pack.name, self.locale)
                )
                yield Static(title.stylize("bold"), classes="section-title")
                for channel in pack.channels:
                    yield ChannelCard(channel, pack.id, self.locale, compact=True)

    def after_compose(self) -> None:
        cards = self.query(ChannelCard)
        if cards:
            cards.first().focus()
