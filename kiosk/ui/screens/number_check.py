"""Is this number official? Type a number, say how it reached you, and get a plain verdict.

What the customer types and the context they chose live only in the session
(`number_entered`, `number_context`): never in a file, a log or a statistic.
The verdict is recomputed from the session whenever the screen is composed,
so a language switch shows the same verdict in the other language and a
session reset leaves nothing behind.

The words are kiosk.number_text's (the same `kiosk number check` prints). The
verdict area (`#number-verdict-area`: the heading, the findings, the advice)
holds only the kiosk's own words; what packs wrote (a wallet's name, a
channel's label) is shown below it, each listing in a box of its own under the
kiosk's line saying which pack lists it, at what confidence and since when.
"""

from __future__ import annotations

from textual import on
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from kiosk.model import Audience, ChannelKind, ScamWarning
from kiosk.number_text import Finding, ListingText, verdict_text
from kiosk.numbers import Context, PatternId, Verdict, VerdictKind, check_number, official_numbers
from kiosk.ui.render import localized, plain
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets.channel_card import ChannelCard, resolve_channel

#: What the number field accepts: digits (also full-width), spaces, dashes, plus and brackets, and the
#: ways a menu option is written after a number (95017转2, 95188,1, #). Full-width forms are
#: normalised later (NFKC), so a Chinese keyboard works unchanged.
ALLOWED = r"[0-9０-９ \u3000\-－+＋()（）转,，#＃]*"
MAX_LENGTH = 32

#: The on-screen keypad, row by row: (key id, label or catalogue key). Delete and Clear span two columns.
KEYPAD = (
    *((d, d) for d in "1234567890"),
    ("plus", "+"),
    ("delete", "number.delete"),
    ("clear", "number.clear"),
)

_HEADINGS = {
    VerdictKind.OFFICIAL: "bold $text-success",
    VerdictKind.WARNING: "bold $text-error",
    VerdictKind.LISTED: "bold $text-warning",
    VerdictKind.UNKNOWN: "bold $text-warning",
    VerdictKind.INVALID: "bold $text-warning",
}


class KeypadButton(Button, can_focus=False):
    """A key of the on-screen keypad: never takes the focus away from the number field.

    Every tap counts, even two quick taps on the same key (a plain Button
    ignores a click while it is still showing the previous press).
    """

    async def _on_click(self, event) -> None:
        event.stop()
        event.prevent_default()  # skip Button's own click handling
        self.press()


class ContextChoice(RadioSet):
    """How the number reached the customer. Tapping a choice leaves the focus in the number field,
    so Enter still checks; Tab and the arrow keys still reach it from the keyboard."""

    FOCUS_ON_CLICK = False

    async def _on_click(self, event) -> None:
        event.prevent_default()  # RadioSet would take the focus


class NumberCheckScreen(KioskScreen):
    def __init__(self) -> None:
        super().__init__()
        #: Whether the customer asked for a verdict on what is in the field now (not the number itself).
        self.checked = False

    def screen_title(self):
        return plain(self.tr("tile.number"))

    @property
    def context(self) -> Context | None:
        """How the number reached the customer, once they have said (the advice depends on it)."""
        try:
            return Context(self.kiosk.session.number_context)
        except ValueError:
            return None

    # -- composing ---------------------------------------------------------------
    def compose_body(self):
        session = self.kiosk.session
        if not session.number_entered:
            self.checked = False  # nothing to judge, e.g. after the session was reset
        with VerticalScroll(id="number-body"):
            yield Static(plain(self.tr("number.intro")), classes="summary")
            with Horizontal(id="number-top"):
                with Vertical(id="number-entry-column"):
                    with Horizontal(id="number-entry"):
                        yield Input(
                            value=session.number_entered,
                            placeholder=self.tr("number.placeholder"),
                            restrict=ALLOWED,
                            max_length=MAX_LENGTH,
                            select_on_focus=False,
                            id="number-input",
                        )
                        yield Button(plain(self.tr("number.check")), id="number-check", variant="primary")
                    yield Static(plain(self.tr("number.context"), "bold"), id="number-context-label")
                    with ContextChoice(id="number-context"):
                        for context in Context:
                            yield RadioButton(
                                plain(self.tr(f"number.context.{context}")),
                                value=context is self.context,
                                id=f"context-{context}",
                            )
                with Grid(id="number-keypad"):
                    for key, label in KEYPAD:
                        text = self.tr(label) if label.startswith("number.") else label
                        yield KeypadButton(
                            plain(text), id=f"key-{key}", classes="wide" if key in ("delete", "clear") else ""
                        )
            yield Static(plain(self.tr("number.prompt"), "dim"), id="number-status")
            with Vertical(id="number-result"):
                yield from self.compose_verdict()
            yield from self.compose_alternatives()

    def verdict(self, context: Context) -> Verdict:
        return check_number(self.kiosk.session.number_entered, context, self.kiosk.packs)

    def compose_verdict(self):
        if not self.checked:
            return
        context = self.context
        if context is None:
            # Whether to say "do not call back" or "do not dial it" depends on where the number came
            # from, and only the customer knows: ask, and give the verdict as soon as they choose.
            # (What cannot be read as a number is said at once: that does not depend on it.)
            unread = self.verdict(Context.FOUND_ONLINE)
            if unread.kind is not VerdictKind.INVALID:
                yield Static(plain(self.tr("number.choose_context"), "bold"), id="number-choose-context")
                return
            context = Context.FOUND_ONLINE
        verdict = self.verdict(context)
        words = verdict_text(verdict, context, self.locale)
        # The kiosk's own words only: nothing a pack wrote is drawn in this area.
        area: list[Static] = [
            Static(plain(words.heading, _HEADINGS[verdict.kind]), classes="number-heading", id="number-verdict")
        ]
        if words.invalid_reason:
            area.append(Static(plain(words.invalid_reason), classes="number-pattern"))
        if words.menu:
            area.append(Static(plain(words.menu), classes="number-pattern", id="number-menu"))
        area += [self.finding_widget(item) for item in words.findings]
        if words.advice:
            area.append(Static(plain(words.advice, "bold"), classes="number-pattern", id="number-advice"))
        yield Vertical(*area, id="number-verdict-area")
        for intro, listings in ((words.official_intro, words.official), (words.unconfirmed_intro, words.unconfirmed)):
            if intro and listings:
                yield Static(plain(intro), classes="number-listed-intro")
                for listing in listings:
                    yield Static(self.listing_content(listing), classes="number-match pack-text")
        scams = []
        for pattern in (*verdict.warnings, *verdict.caveats):
            if pattern.scam and pattern.scam not in scams:
                scams.append(pattern.scam)
        for ref in scams:
            scam = self.scam(ref)
            if scam is not None:
                yield Button(
                    plain(self.tr("number.more_about")) + localized(scam.title, self.locale),
                    name=ref,
                    classes="number-scam",
                    compact=True,
                )

    def listing_content(self, listing: ListingText) -> Content:
        """A pack's listing under the kiosk's line naming the pack (the pack's words are never bold or coloured)."""
        vouched = plain(listing.vouched, "bold")
        quoted = plain(f"“{listing.pack} · {listing.label}”")
        value = plain("  " + listing.value)
        if listing.audience:
            value += plain(" · " + listing.audience, "dim")
        lines = [vouched, quoted, value, plain("  " + listing.source, "dim")]
        if listing.unconfirmed:
            lines.append(plain(listing.unconfirmed, "bold"))
        return Content("\n").join(lines)

    def finding_widget(self, item: Finding) -> Static:
        style = "bold" if item.pattern in (PatternId.CALLER_ID, PatternId.ANSWER_96110) else ""
        return Static(
            Content("\n").join([plain(item.text, style), plain(item.based_on, "dim")]),
            classes="number-pattern",
            id=f"pattern-{item.pattern}",
        )

    def scam(self, ref: str) -> ScamWarning | None:
        pack_id, _, scam_id = ref.partition(":")
        pack = self.kiosk.packs.get(pack_id)
        return next((s for s in pack.scams if s.id == scam_id), None) if pack else None

    def compose_alternatives(self):
        packs, loc = self.kiosk.packs, self.locale
        yield Static(plain(self.tr("number.alternatives")), id="number-alternatives-title")
        yield Static(plain(self.tr("number.alternatives_intro")), id="number-alternatives-intro")
        vouched = self._vouched_hotlines()
        for pack in packs.wallets:
            for channel in pack.channels:
                consumer_hotline = channel.kind is ChannelKind.HOTLINE and Audience.CONSUMER in channel.audience
                # Only numbers the kiosk would call official: never a pack's unconfirmed claim.
                if consumer_hotline and (pack.id, channel.id) in vouched:
                    yield ChannelCard(channel, pack.id, loc, compact=True)
        resolved = resolve_channel(packs, "general:antifraud-96110", "general")
        if resolved:
            yield ChannelCard(resolved[1], resolved[0], loc)

    def _vouched_hotlines(self) -> set[tuple[str, str]]:
        """(pack id, channel id) of every listing whose number would be judged official."""
        return {
            (m.pack_id, m.channel_id)
            for matches in official_numbers(self.kiosk.packs).values()
            for m in matches
            if m.official
        }

    def after_compose(self) -> None:
        field = self.query_one("#number-input", Input)
        field.cursor_blink = self.kiosk.settings.cursor_blink
        field.focus()
        field.cursor_position = len(field.value)

    # -- events ----------------------------------------------------------------------
    async def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value == self.kiosk.session.number_entered:
            return  # the field being filled from the session after (re)composing
        self.kiosk.session.number_entered = event.value
        if self.checked:
            self.checked = False
            await self.show_verdict()

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        await self.action_check()

    async def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        chosen = (event.pressed.id or "").removeprefix("context-")
        if chosen and chosen != self.kiosk.session.number_context:
            self.kiosk.session.number_context = chosen
            if self.checked:
                await self.show_verdict()

    @on(Button.Pressed, "#number-check")
    async def check_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self.action_check()

    @on(Button.Pressed, "KeypadButton")
    def keypad_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.press_key((event.button.id or "").removeprefix("key-"))

    @on(Button.Pressed, ".number-scam")
    def scam_pressed(self, event: Button.Pressed) -> None:
        """The "more about this scam" buttons: the button's name is the scam's reference."""
        event.stop()
        if event.button.name:
            self.navigate(f"scam:{event.button.name}")

    def press_key(self, key: str) -> None:
        field = self.query_one("#number-input", Input)
        if key == "delete":
            field.action_delete_left()
        elif key == "clear":
            field.value = ""
        else:
            field.insert_text_at_cursor("+" if key == "plus" else key)
        field.focus()

    async def action_check(self) -> None:
        self.checked = True
        await self.show_verdict(scroll=True)
        if self.query("#number-choose-context"):
            self.query_one("#number-context", ContextChoice).focus()

    async def show_verdict(self, *, scroll: bool = False) -> None:
        result = self.query_one("#number-result", Vertical)
        await result.remove_children()
        await result.mount_all(list(self.compose_verdict()))
        if scroll and self.checked:
            result.scroll_visible(animate=False)
