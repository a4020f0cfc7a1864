"""Is this number official? Type a number, say how it reached you, and get a plain verdict.

What the customer types and the context they chose live only in the session
(`number_entered`, `number_context`): never in a file, a log or a statistic.
The verdict is recomputed from the session whenever the screen is composed,
so a language switch shows the same verdict in the other language and a
session reset leaves nothing behind.
"""

from __future__ import annotations

from textual import on
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from kiosk.model import Audience, ChannelKind, ScamWarning
from kiosk.numbers import Context, Match, Pattern, PatternId, Verdict, VerdictKind, check_number
from kiosk.source_text import describe_source
from kiosk.ui.render import localized, plain
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets.channel_card import ChannelCard, resolve_channel

#: What the number field accepts: digits (also full-width), spaces, dashes, plus and brackets.
#: Full-width forms are normalised later (NFKC), so a Chinese keyboard works unchanged.
ALLOWED = r"[0-9０-９ \u3000\-－+＋()（）]*"
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
    def context(self) -> Context:
        try:
            return Context(self.kiosk.session.number_context)
        except ValueError:
            return Context.INCOMING_CALL

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

    def verdict(self) -> Verdict:
        return check_number(self.kiosk.session.number_entered, self.context, self.kiosk.packs.packs)

    def compose_verdict(self):
        if not self.checked:
            return
        verdict = self.verdict()
        loc = self.locale
        yield Static(
            plain(self.tr(f"number.verdict.{verdict.kind}"), _HEADINGS[verdict.kind]),
            classes="number-heading",
            id="number-verdict",
        )
        if verdict.kind is VerdictKind.INVALID:
            yield Static(plain(self.tr(f"number.invalid.{verdict.reason_code}")), classes="number-pattern")
            return
        if verdict.matches:
            key = "number.listed" if verdict.kind is VerdictKind.OFFICIAL else "number.listed_but"
            yield Static(plain(self.tr(key)))
            for match in verdict.matches:
                yield Static(self.match_text(match), classes="number-match")
        for pattern in verdict.warnings:
            yield from self.compose_pattern(pattern, verdict)
        for pattern in verdict.caveats:
            yield from self.compose_pattern(pattern, verdict)
        if verdict.kind is VerdictKind.UNKNOWN:
            yield Static(plain(self.tr("number.unknown_advice"), "bold"), classes="number-pattern")
        scams = []
        for pattern in (*verdict.warnings, *verdict.caveats):
            if pattern.scam and pattern.scam not in scams:
                scams.append(pattern.scam)
        for ref in scams:
            scam = self.scam(ref)
            if scam is not None:
                yield Button(
                    plain(self.tr("number.more_about")) + localized(scam.title, loc),
                    name=ref,
                    classes="number-scam",
                    compact=True,
                )

    def match_text(self, match: Match) -> Content:
        loc = self.locale
        channel = match.channel
        head = localized(match.pack_name, loc, "bold") + plain(" · ") + localized(channel.label, loc, "bold")
        value = plain("  ") + localized(channel.value, loc)
        if tuple(channel.audience) != (Audience.CONSUMER,):
            audience = ("、" if loc == "zh-CN" else ", ").join(self.tr(f"audience.{a}") for a in channel.audience)
            value += plain(" · " + self.tr("channel.for", audience=audience), "dim")
        source = plain("  " + describe_source(channel.best_source, loc), "dim")
        return Content("\n").join([head, value, source])

    def compose_pattern(self, pattern: Pattern, verdict: Verdict):
        key = f"number.pattern.{pattern.id}"
        if pattern.id is PatternId.CALLER_ID and self.context is Context.SMS:
            key += ".sms"
        style = "bold" if pattern.id in (PatternId.CALLER_ID, PatternId.ANSWER_96110) else ""
        text = self.tr(key, prefix=verdict.international_prefix or "+")
        urls = "; ".join(pattern.sources)
        yield Static(
            Content("\n").join([plain(text, style), plain(self.tr("number.based_on", urls=urls), "dim")]),
            classes="number-pattern",
            id=f"pattern-{pattern.id}",
        )

    def scam(self, ref: str) -> ScamWarning | None:
        pack_id, _, scam_id = ref.partition(":")
        pack = self.kiosk.packs.get(pack_id)
        return next((s for s in pack.scams if s.id == scam_id), None) if pack else None

    def compose_alternatives(self):
        packs, loc = self.kiosk.packs, self.locale
        yield Static(plain(self.tr("number.alternatives")), id="number-alternatives-title")
        yield Static(plain(self.tr("number.alternatives_intro")), id="number-alternatives-intro")
        for pack in packs.wallets:
            for channel in pack.channels:
                if channel.kind is ChannelKind.HOTLINE and Audience.CONSUMER in channel.audience:
                    yield ChannelCard(channel, pack.id, loc, compact=True)
        resolved = resolve_channel(packs, "general:antifraud-96110", "general")
        if resolved:
            yield ChannelCard(resolved[1], resolved[0], loc)

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

    async def show_verdict(self, *, scroll: bool = False) -> None:
        result = self.query_one("#number-result", Vertical)
        await result.remove_children()
        await result.mount_all(list(self.compose_verdict()))
        if scroll and self.checked:
            result.scroll_visible(animate=False)
