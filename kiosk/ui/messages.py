"""Messages that screens and widgets send up to the app, which decides what happens."""

from __future__ import annotations

from textual.message import Message


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
