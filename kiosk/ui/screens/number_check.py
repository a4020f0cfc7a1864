"""Is this number official? (The full check arrives with its own screen; until then, the safe advice.)"""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Static

from kiosk.ui.render import plain
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.screens.guide import resolve_channel
from kiosk.ui.widgets.channel_card import ChannelCard


class NumberCheckScreen(KioskScreen):
    def screen_title(self):
        return plain(self.tr("tile.number"))

    def compose_body(self):
        with VerticalScroll(id="number-body"):
            yield Static(plain(self.tr("wallet.only_official")), classes="warning")
            resolved = resolve_channel(self.kiosk.packs, "general:antifraud-96110", "general")
            if resolved:
                yield ChannelCard(resolved[1], resolved[0], self.locale)
