"""Messages that screens and widgets send up to the app, which decides what happens."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from collections.abc import Sequence

    from textual.message_pump import MessagePump
    from textual.screen import Screen


class Navigate(Message):
    """Open `target`: screens and widgets ask, `KioskApp` answers through `kiosk.ui.navigation`.

    A target names a place, never a screen class, so no screen needs to know
    another one:

    - ``search``, ``checklist``, ``number``, ``escalation``, ``prepare``,
      ``contacts``, ``about``, ``wallets``: the help screens;
    - ``language``: switch language in place;
    - ``wallet:PACK``, ``category:CATEGORY``;
    - ``guide:PACK:GUIDE``, ``scam:PACK:SCAM``, ``channel:PACK:CHANNEL``;
    - ``qr:guide:PACK:GUIDE``, ``qr:channel:PACK:CHANNEL``: take it home as a QR code.
    """

    def __init__(self, target: str) -> None:
        super().__init__()
        self.target = target


class ScreenReady(Message):
    """`screen` has its widgets and its focus: keys typed while it was being built may now reach it."""

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.screen = screen


class KeySettled(Message):
    """The app's own note that `pumps` have handled the last key's messages: the next key may go."""

    def __init__(self, pumps: Sequence[MessagePump]) -> None:
        super().__init__()
        self.pumps = tuple(pumps)
