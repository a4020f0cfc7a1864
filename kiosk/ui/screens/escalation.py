"""The complaint ladder: who to turn to next, what evidence to keep, which regulator covers whom."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Static

from kiosk.model import GENERAL_PACK_ID
from kiosk.ui.render import localized, plain
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets.bullets import BulletList
from kiosk.ui.widgets.channel_card import ChannelCard, resolve_channel


class EscalationScreen(KioskScreen):
    def screen_title(self):
        return plain(self.tr("tile.escalation"))

    def compose_body(self):
        loc = self.locale
        general = self.kiosk.packs.general
        with VerticalScroll(id="escalation-body"):
            yield Static(plain(self.tr("escalation.title"), "bold"), classes="page-title")
            yield Static(plain(self.tr("escalation.intro")), classes="summary")
            for rung in general.escalation if general else ():
                yield Static(localized(rung.title, loc, "bold $secondary"), classes="section-title")
                yield Static(
                    plain(self.tr("escalation.when") + ": ", "bold") + localized(rung.when, loc), classes="rung"
                )
                yield Static(
                    plain(self.tr("escalation.handles") + ": ", "bold") + localized(rung.handles, loc), classes="rung"
                )
                if rung.evidence:
                    yield Static(plain(self.tr("escalation.evidence") + ":", "bold"), classes="rung")
                    yield BulletList([localized(e, loc) for e in rung.evidence], classes="rung")
                for ref in rung.channels:
                    resolved = resolve_channel(self.kiosk.packs, ref, GENERAL_PACK_ID)
                    if resolved:
                        yield ChannelCard(resolved[1], resolved[0], loc, compact=True)

    def after_compose(self) -> None:
        self.query_one("#escalation-body").focus()
