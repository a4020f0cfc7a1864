"""One channel in full: what it is for, its hours now, the caution, where the fact comes from."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Static

from kiosk.model import Channel
from kiosk.source_text import describe_source
from kiosk.ui.lookup import require_channel, require_pack
from kiosk.ui.render import localized, plain
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets.channel_card import ChannelCard


class ChannelScreen(KioskScreen):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("t", "take_home", "Take it home", id="take_home")]

    def __init__(self, pack_id: str, channel_id: str) -> None:
        super().__init__()
        self.pack_id = pack_id
        self.channel_id = channel_id

    @property
    def channel(self) -> Channel:
        return require_channel(require_pack(self.kiosk.packs, self.pack_id), self.channel_id)

    def screen_title(self):
        return localized(self.channel.label, self.locale)

    def compose_body(self):
        channel = self.channel
        with VerticalScroll():
            yield ChannelCard(channel, self.pack_id, self.locale)
            with Horizontal(classes="buttons"):
                yield Button(plain(self.tr("qr.button")), id="take-home", variant="primary")
            # The card names the most trusted source; here are the addresses, for those who want to
            # look them up, each with who published it when there are several.
            sources = sorted(channel.all_sources, key=lambda s: s.kind, reverse=True)
            for source in sources:
                lines = [describe_source(source, self.locale)] if len(sources) > 1 else []
                lines.append(self.tr("source.address", url=source.url))
                yield Static(plain("\n".join(lines), "dim"), classes="source")

    def action_take_home(self) -> None:
        self.navigate(f"qr:channel:{self.pack_id}:{self.channel_id}")

    @on(Button.Pressed, "#take-home")
    def take_home_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_take_home()
