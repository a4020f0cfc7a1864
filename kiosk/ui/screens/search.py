"""Search across every pack as the customer types: Chinese, pinyin, initials or English.

Before a key is pressed the screen lists popular problems (each pack's `popular`
order, taken in turns across the packs). Results are guides, scam warnings and
contact channels (with their open/closed state), each with a short snippet of
what it matched; a typed phone number is offered to the number check first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from kiosk.model import Category
from kiosk.search import snippet
from kiosk.search.score import MAX_QUERY
from kiosk.ui.render import localized, plain
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets.channel_card import status_lines

if TYPE_CHECKING:
    from kiosk.model import Guide, Pack
    from kiosk.search import SearchHit

RESULT_LIMIT = 30
#: Popular problems listed before a key is pressed.
POPULAR_LIMIT = 8
#: Characters the search box takes: search reads no more, and a pasted page is cut to this.
QUERY_LIMIT = MAX_QUERY
#: Option id prefix of "check this number".
CHECK_NUMBER = "check-number:"


class QueryInput(Input):
    """The search box: a paste longer than the box takes is cut, not refused (Input drops it whole)."""

    def _on_paste(self, event: events.Paste) -> None:
        if event.text and self.max_length:
            room = max(0, self.max_length - len(self.value) + len(self.selected_text))
            # Cut before splitting lines, so a pasted page costs no more than what is kept.
            lines = event.text[: room + 1].splitlines()
            event = events.Paste(lines[0][:room] if lines else "")
        super()._on_paste(event)


class SearchScreen(KioskScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "focus_results", "Results", id="results", show=False),
    ]

    def screen_title(self):
        return plain(self.tr("tile.search"))

    def compose_body(self):
        yield QueryInput(
            value=self.kiosk.session.search_query[:QUERY_LIMIT],
            placeholder=self.tr("search.placeholder"),
            max_length=QUERY_LIMIT,
            # Typing in the results goes on in the box: focusing it must not select (and so replace) the query.
            select_on_focus=False,
            id="query",
        )
        yield Static(id="search-status")
        yield OptionList(id="results")

    def after_compose(self) -> None:
        query = self.query_one("#query", Input)
        query.cursor_blink = self.kiosk.settings.cursor_blink
        query.focus()
        query.cursor_position = len(query.value)
        self.show_results(query.value)

    #: The query that found nothing, not yet counted: it is counted once the customer gives up on it
    #: (Enter, or leaving the screen), so the letters typed on the way are never counted.
    missed: str | None = None

    def on_input_changed(self, event: Input.Changed) -> None:
        self.kiosk.session.search_query = event.value
        self.show_results(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the box opens the first result (what the customer sees highlighted at the top)."""
        self.count_miss()
        results = self.query_one("#results", OptionList)
        if event.value.strip() and results.option_count:
            first = results.get_option_at_index(0)
            if first.id and not first.disabled:
                self.open_option(first.id)
                return
        self.action_focus_results()

    def count_miss(self) -> None:
        if self.missed:
            self.kiosk.usage.no_result(self.missed)
            self.missed = None

    def on_screen_suspend(self) -> None:
        self.count_miss()

    def on_unmount(self) -> None:
        self.count_miss()

    def on_key(self, event: events.Key) -> None:
        """Typing while the results have focus goes on in the box."""
        query = self.query_one("#query", Input)
        if self.focused is query or not event.is_printable or not event.character:
            return
        query.focus()
        query.cursor_position = len(query.value)
        query.insert_text_at_cursor(event.character)
        event.stop()
        event.prevent_default()

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        message.stop()
        if message.option.id:
            self.open_option(message.option.id)

    def open_option(self, option_id: str) -> None:
        if option_id.startswith(CHECK_NUMBER):
            # The number check reads the number from the session, as if typed there.
            self.kiosk.session.number_entered = option_id.removeprefix(CHECK_NUMBER)
            self.navigate("number")
        else:
            self.navigate(option_id)

    def action_focus_results(self) -> None:
        results = self.query_one("#results", OptionList)
        if results.option_count:
            results.focus()
            if results.highlighted is None:
                results.action_first()

    def show_results(self, query: str) -> None:
        status = self.query_one("#search-status", Static)
        results = self.query_one("#results", OptionList)
        results.clear_options()
        if not query.strip():
            self.missed = None
            status.update(plain(self.tr("search.hint"), "dim"))
            results.add_options(self.popular_options())
            results.add_options(self.browse_options())
            return
        hits = self.kiosk.search_index.search(query, limit=RESULT_LIMIT)
        self.missed = None if hits else query.strip()
        if hits:
            status.update(plain(self.tr("search.count", n=len(hits)), "dim"))
            results.add_options(option for hit in hits if (option := self.hit_option(hit, query)) is not None)
        else:
            status.update(plain(self.tr("search.none", query=query.strip()), "bold yellow"))
            results.add_options(self.browse_options())

    def hit_option(self, hit: SearchHit, query: str) -> Option | None:
        doc = hit.document
        loc = self.locale
        if doc.kind == "number":
            label = plain("☎ " + self.tr("search.check_number", number=doc.item_id), "bold yellow")
            return Option(label, id=CHECK_NUMBER + doc.item_id)
        pack = self.kiosk.packs.get(doc.pack_id)
        if pack is None:  # the index and the packs disagree: leave the result out rather than fail
            return None
        if doc.kind == "channel":
            return self.channel_option(pack, doc.item_id)
        if doc.kind == "scam":
            where = self.tr("search.scam")
            target = f"scam:{doc.pack_id}:{doc.item_id}"
        else:
            where = self.tr(f"category.{doc.category}")
            target = f"guide:{doc.pack_id}:{doc.item_id}"
        label = localized(pack.pack.name, loc, "bold") + plain(f" · {where} · ", "dim") + localized(doc.title, loc)
        if hit.field != "title":
            shown = snippet(query, self.matched_texts(pack, doc.kind, doc.item_id, hit.field))
            if shown:
                label = Content("\n").join([label, plain("  " + shown, "dim italic")])
        return Option(label, id=target)

    def channel_option(self, pack: Pack, channel_id: str) -> Option | None:
        channel = pack.channel(channel_id)
        if channel is None:
            return None
        loc = self.locale
        head = (
            localized(pack.pack.name, loc, "bold")
            + plain(f" · {self.tr(f'kind.{channel.kind}')} · ", "dim")
            + localized(channel.label, loc)
        )
        value = plain("  ") + localized(channel.value, loc, "bold")
        state = status_lines(channel, loc, self.kiosk.clock.now())[:1]
        return Option(
            Content("\n").join([head, value, *(plain("  ") + s for s in state)]), id=f"channel:{pack.id}:{channel.id}"
        )

    def matched_texts(self, pack: Pack, kind: str, item_id: str, field: str) -> list[str]:
        """The texts of an item's field, in the screen's language first, for its snippet."""
        loc = self.locale
        if kind == "guide":
            guide = pack.guide(item_id)
            if guide is None:
                return []
            if field == "keywords":
                return list(guide.keywords)
            if field == "summary":
                return [guide.summary[loc]]
            return [t[loc] for step in guide.steps for t in (step.text, step.detail) if t]
        scam = next((s for s in pack.scams if s.id == item_id), None)
        if scam is None:
            return []
        if field == "keywords":
            return list(scam.keywords)
        if field == "summary":
            return [scam.how_it_works[loc]]
        return [sign[loc] for sign in scam.signs]

    def popular_options(self) -> list[Option]:
        """Each pack's popular guides, taken in turns across the packs (first of each, then second...).

        Where this branch counts guide views (kiosk.usagestats), the guides viewed most here come first.
        """
        loc = self.locale
        lists = [(pack, [pack.guide(g) for g in pack.pack.popular]) for pack in self.kiosk.packs.packs]
        in_turns: list[tuple[Pack, Guide]] = []
        for place in range(max((len(guides) for _, guides in lists), default=0)):
            for pack, guides in lists:
                guide = guides[place] if place < len(guides) else None
                if guide is not None:
                    in_turns.append((pack, guide))
        views = dict(self.kiosk.usage.most_viewed(limit=POPULAR_LIMIT * 4))
        in_turns.sort(key=lambda found: -views.get(f"{found[0].id}:{found[1].id}", 0))  # stable: ties keep turns
        options: list[Option] = []
        for pack, guide in in_turns[:POPULAR_LIMIT]:
            label = localized(pack.pack.name, loc, "bold") + plain(" · ") + localized(guide.title, loc)
            options.append(Option(label, id=f"guide:{pack.id}:{guide.id}"))
        if options:
            options.insert(0, Option(plain(self.tr("search.popular"), "bold"), disabled=True))
        return options

    def browse_options(self) -> list[Option]:
        options = [
            Option(plain("▸ ") + plain(self.tr(f"category.{c}")), id=f"category:{c}")
            for c in Category
            if any(g.category is c for p in self.kiosk.packs.packs for g in p.guides)
        ]
        options.append(Option(plain("☎ ") + plain(self.tr("tile.contacts"), "bold"), id="contacts"))
        return options
