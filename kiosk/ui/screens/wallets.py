"""Every wallet by name, for kiosks with more packs than the home screen has tiles for."""

from __future__ import annotations

from textual.widgets import OptionList
from textual.widgets.option_list import Option

from kiosk.ui.attribution import pack_name
from kiosk.ui.render import localized, plain
from kiosk.ui.screens.base import KioskScreen


class WalletListScreen(KioskScreen):
    def screen_title(self):
        return plain(self.tr("home.wallets"))

    def compose_body(self):
        loc = self.locale
        yield OptionList(
            *(
                Option(
                    pack_name(self.kiosk.packs, p, loc, "bold") + plain(" · ") + localized(p.pack.summary, loc),
                    id=f"wallet:{p.id}",
                )
                for p in self.kiosk.packs.wallets
            ),
            id="wallet-list",
        )

    def after_compose(self) -> None:
        self.query_one("#wallet-list").focus()
