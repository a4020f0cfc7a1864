"""Take it home: a QR code for a channel or a guide, the text it holds, and what scanning it does."""

from __future__ import annotations

from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from kiosk.qr import Payload, channel_payload, guide_payload
from kiosk.ui.lookup import require_channel, require_guide, require_pack
from kiosk.ui.render import plain
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets.qr import QRCodeView


class QRScreen(KioskScreen):
    """Shows the code for one pack channel or guide.

    The screen holds only references into the packs, never text to encode:
    the payload is rebuilt from the pack in the current language whenever the
    screen is composed, so nothing but pack data can end up in the code.
    """

    def __init__(self, pack_id: str, *, channel_id: str | None = None, guide_id: str | None = None) -> None:
        if (channel_id is None) == (guide_id is None):
            raise ValueError("a QR screen shows either a channel or a guide")
        super().__init__()
        self.pack_id = pack_id
        self.channel_id = channel_id
        self.guide_id = guide_id

    @classmethod
    def for_channel(cls, pack_id: str, channel_id: str) -> QRScreen:
        return cls(pack_id, channel_id=channel_id)

    @classmethod
    def for_guide(cls, pack_id: str, guide_id: str) -> QRScreen:
        return cls(pack_id, guide_id=guide_id)

    @property
    def payload(self) -> Payload:
        packs = self.kiosk.packs
        pack = require_pack(packs, self.pack_id)
        if self.channel_id is not None:
            return channel_payload(require_channel(pack, self.channel_id), self.locale)
        if self.guide_id is not None:
            return guide_payload(pack, require_guide(pack, self.guide_id), self.locale, others=packs.packs)
        raise AssertionError("the constructor takes exactly one of channel_id and guide_id")

    def screen_title(self):
        return plain(self.tr("qr.title"))

    def compose_body(self):
        payload = self.payload
        with Horizontal(id="qr-body"):
            yield QRCodeView(payload, self.locale, id="qr-code")
            with VerticalScroll(id="qr-side"):
                yield Static(plain(payload.caption), id="qr-caption")
                yield Static(plain(self.tr(f"qr.explain.{payload.kind}")), id="qr-explain")
