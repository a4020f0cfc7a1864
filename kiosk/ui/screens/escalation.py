"""The complaint ladder: who to turn to next, what evidence to keep, which regulator covers whom."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from kiosk.ui.render import localized, plain
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.screens.guide import resolve_channel
from kiosk.ui.widgets.channel_card import ChannelCard


class EscalationScreen(KioskScreen):
    def screen_title(self):
        return plain(self.tr("escalation.title"))

    def compose_body(self):
        loc = self.locale
        general = self.kiosk.packs.general
        with VerticalScroll(id="escalation-body"):
            yield Static(plain(self.tr("escalation.intro")), classes="summary")
            for number, rung in enumerate(general.escalation if general else (), start=1):
                yield Static(plain(self.tr("escalation.rung", n=number) + " · ", "bold $secondary")
                             + localized(rung.title, loc, "bold"), classes="section-title")
                rows = [plain(self.tr("escalation.when") + ": ", "bold") + localized(rung.when, loc),
                        plain(self.tr("escalation.handles") + ": ", "bold") + localized(rung.handles, loc)]
                if rung.evidence:
                    rows.append(plain(self.tr("escalation.evidence") + ":", "bold"))
                    rows += [Content("  • ") + localized(e, loc) for e in rung.evidence]
                yield Static(Content("\n").join(rows), classes="rung")
                for ref in rung.channels:
                    resolved = resolve_channel(self.kiosk.packs, ref, general.id)
                    if resolved:
                        yield ChannelCard(resolved[1], resolved[0], loc, compact=True)

    def after_compose(self) -> None:
        self.query_one("#escalation-body").focus()
