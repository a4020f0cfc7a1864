"""Where the kiosk's information comes from: packs, versions, verification dates, sources."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from kiosk import __version__
from kiosk.model import Pack
from kiosk.ui.render import localized, plain
from kiosk.ui.screens.base import KioskScreen


def fact_dates(pack: Pack) -> list:
    dates = [c.verified for c in pack.channels]
    for group in (pack.guides, pack.scams, pack.never_asks, pack.escalation):
        dates += [s.verified for item in group for s in item.sources]
    return sorted(dates)


def fact_sources(pack: Pack) -> list[str]:
    urls = [c.source for c in pack.channels]
    for group in (pack.guides, pack.scams, pack.never_asks, pack.escalation):
        urls += [s.url for item in group for s in item.sources]
    return sorted(set(urls))


class AboutScreen(KioskScreen):
    def screen_title(self):
        return plain(self.tr("key.about"))

    def compose_body(self):
        loc = self.locale
        packs = self.kiosk.packs
        with VerticalScroll(id="about-body"):
            yield Static(plain(self.tr("about.kiosk", version=__version__), "bold"))
            yield Static(plain(self.tr("about.intro")), classes="summary")
            for pack in packs.packs:
                m = pack.pack
                dates = fact_dates(pack)
                rows = [plain(self.tr("about.pack", name=m.name.get(loc).text, id=m.id, version=m.version), "bold")]
                rows.append(localized(m.summary, loc))
                if dates:
                    rows.append(
                        plain(self.tr("about.verified", first=dates[0].isoformat(), last=dates[-1].isoformat()))
                    )
                rows.append(plain(self.tr("about.sources") + ":", "dim"))
                rows += [plain(f"  {url}", "dim") for url in fact_sources(pack)]
                yield Static(Content("\n").join(rows), classes="about-pack")
            if packs.quarantined:
                yield Static(plain(self.tr("about.unavailable", n=len(packs.quarantined)), "yellow"))

    def after_compose(self) -> None:
        self.query_one("#about-body").focus()
