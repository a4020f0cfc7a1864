"""Where each target leads (see `kiosk.ui.messages.Navigate`): the only module that knows the screens.

Screens and widgets post `Navigate(target)`; `KioskApp` passes it here. Every
target opens a screen built just now, so nothing of one customer's screens
is kept for the next (which is why Textual's installed, named screens are not
used). This module imports every screen, so the app imports it on the first
navigation, not before the first paint.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from textual.screen import Screen

from kiosk.ui.screens.about import AboutScreen
from kiosk.ui.screens.category import CategoryScreen
from kiosk.ui.screens.channel import ChannelScreen
from kiosk.ui.screens.checklist import ChecklistScreen
from kiosk.ui.screens.contacts import ContactsScreen
from kiosk.ui.screens.escalation import EscalationScreen
from kiosk.ui.screens.guide import GuideScreen, ScamScreen
from kiosk.ui.screens.number_check import NumberCheckScreen
from kiosk.ui.screens.prepare import PrepareScreen
from kiosk.ui.screens.qr import QRScreen
from kiosk.ui.screens.search import SearchScreen
from kiosk.ui.screens.wallet import WalletScreen
from kiosk.ui.screens.wallets import WalletListScreen


class Navigator(Protocol):
    """What opening a target needs from the app."""

    def push_screen(self, screen: Screen[Any]) -> object: ...

    def action_toggle_language(self) -> None: ...


#: Targets that are one word: `search`.
_PLACES: dict[str, Callable[[], Screen[Any]]] = {
    "search": SearchScreen,
    "checklist": ChecklistScreen,
    "number": NumberCheckScreen,
    "escalation": EscalationScreen,
    "prepare": PrepareScreen,
    "contacts": ContactsScreen,
    "about": AboutScreen,
    "wallets": WalletListScreen,
}
#: Targets `KIND:ID`: `wallet:alipay`.
_BY_ID: dict[str, Callable[[str], Screen[Any]]] = {
    "wallet": WalletScreen,
    "category": CategoryScreen,
}
#: Targets `KIND:PACK:ITEM`: `guide:alipay:refund`, `qr:channel:alipay:hotline-95188`.
_BY_ITEM: dict[str, Callable[[str, str], Screen[Any]]] = {
    "guide": GuideScreen,
    "scam": ScamScreen,
    "channel": ChannelScreen,
    "qr:guide": QRScreen.for_guide,
    "qr:channel": QRScreen.for_channel,
}


def open_target(app: Navigator, target: str) -> None:
    """Open a target like `wallet:alipay`, `guide:alipay:forgot-payment-password`, `search`."""
    if target == "language":
        app.action_toggle_language()
    else:
        app.push_screen(screen_for(target))


def screen_for(target: str) -> Screen[Any]:
    """A new screen for `target`; ValueError for a target no screen answers."""
    kind, _, rest = target.partition(":")
    if kind == "qr":
        what, _, rest = rest.partition(":")
        kind = f"qr:{what}"
    if kind in _PLACES:
        return _PLACES[kind]()
    if kind in _BY_ID and rest:
        return _BY_ID[kind](rest)
    pack_id, _, item_id = rest.partition(":")
    if kind in _BY_ITEM and pack_id and item_id:
        return _BY_ITEM[kind](pack_id, item_id)
    raise ValueError(f"unknown target {target!r}")
