"""A guide walked step by step, then either "solved" or escalation with live contact status."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Button, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from kiosk.model import Audience, Channel, ChannelKind, Guide, Pack, ScamWarning, Source, Step
from kiosk.source_text import describe_sources
from kiosk.ui.lookup import require_guide, require_pack, require_scam
from kiosk.ui.render import localized, plain
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets.bullets import BulletList
from kiosk.ui.widgets.channel_card import ChannelCard, resolve_channel


def sources_text(sources: tuple[Source, ...], locale: str) -> Content:
    """Who published the sources and when they were checked, in the customer's language (no raw URLs)."""
    return plain(describe_sources(sources, locale), "dim")


class GuideScreen(KioskScreen):
    """Step N of M. Phases: "steps" (walking), "escalate" (not solved), "done" (solved)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right,n", "next_step", "Next step", id="next"),
        Binding("left,p", "previous_step", "Previous", id="previous"),
        Binding("s", "solved", "Solved", id="solved"),
        Binding("e", "need_help", "Still need help", id="need_help"),
        Binding("t", "take_home", "Take it home", id="take_home"),
    ]

    step: reactive[int] = reactive(0, recompose=True)
    phase: reactive[str] = reactive("steps", recompose=True)

    def __init__(self, pack_id: str, guide_id: str) -> None:
        super().__init__()
        self.pack_id = pack_id
        self.guide_id = guide_id

    @property
    def pack(self) -> Pack:
        return require_pack(self.kiosk.packs, self.pack_id)

    def on_mount(self) -> None:
        super().on_mount()
        self.kiosk.usage.view(self.pack_id, self.guide_id)

    @property
    def guide(self) -> Guide:
        return require_guide(self.pack, self.guide_id)

    def screen_title(self):
        return localized(self.pack.pack.name, self.locale) + Content(" › ") + localized(self.guide.title, self.locale)

    # -- rendering -----------------------------------------------------------
    def compose_body(self):
        guide, loc = self.guide, self.locale
        with VerticalScroll(id="guide-body"):
            yield Static(localized(guide.title, loc, "bold"), classes="page-title")
            yield Static(localized(guide.summary, loc, "italic"), classes="summary")
            if self.phase == "steps":
                yield from self.compose_step()
            elif self.phase == "escalate":
                yield from self.compose_escalation()
                yield from self.compose_feedback()
            else:
                yield Static(plain(self.tr("guide.done_title"), "bold $text-success"), classes="section-title")
                with Horizontal(classes="buttons"):
                    yield Button(plain(self.tr("qr.button")), id="take-home")
                yield from self.compose_feedback()
            yield from self.compose_related()
            yield Static(sources_text(guide.sources, loc), classes="source")

    def compose_overseas_lines(self, pack_id: str, channel: Channel):
        """In English, a step that sends the customer to a hotline also shows the pack's own line for
        overseas customers (Alipay's English line beside 95188), so a visitor is not left with a
        Chinese voice menu. Only a line the pack lists; nothing when it has none."""
        if self.locale == "zh-CN" or channel.kind is not ChannelKind.HOTLINE or Audience.OVERSEAS in channel.audience:
            return
        pack = self.kiosk.packs.get(pack_id)
        lines = (
            [c for c in pack.channels if c.kind is ChannelKind.HOTLINE and Audience.OVERSEAS in c.audience]
            if pack
            else []
        )
        if lines:
            yield Static(plain(self.tr("guide.overseas_line"), "bold"), id="overseas-line")
            for line in lines:
                yield ChannelCard(line, pack_id, self.locale)

    def compose_step(self):
        guide, loc = self.guide, self.locale
        step = guide.steps[self.step]
        total = len(guide.steps)
        yield Static(plain(self.tr("guide.step_of", n=self.step + 1, m=total), "bold $secondary"), id="step-count")
        yield ProgressBar(total=total, show_eta=False, show_percentage=False, id="step-progress")
        yield Static(localized(step.text, loc, "bold"), id="step-text")
        if step.detail is not None:
            yield Static(localized(step.detail, loc), id="step-detail")
        if step.channel is not None:
            resolved = resolve_channel(self.kiosk.packs, step.channel, self.pack_id)
            if resolved:
                yield Static(plain(self.tr("guide.uses_channel"), "dim"))
                yield ChannelCard(resolved[1], resolved[0], loc)
                yield from self.compose_overseas_lines(resolved[0], resolved[1])
        last = self.step == total - 1
        if not step.continues:
            yield Static(plain(self.tr("guide.dead_end"), "bold yellow"), classes="warning")
        if self.branches(step):
            # A step that says where to go when it did not work asks first.
            yield Static(plain(self.tr("guide.did_it_work"), "bold"), id="did-it-work")
            with Horizontal(classes="buttons"):
                yield Button(plain(self.tr("guide.it_worked")), id="it-worked", variant="success")
                yield Button(plain(self.tr("guide.it_did_not")), id="it-did-not", variant="warning")
        with Horizontal(classes="buttons"):
            if self.step > 0:
                yield Button(plain(self.tr("guide.previous")), id="previous")
            yield Button(plain(self.tr("guide.solved")), id="solved", variant="success")
            if step.continues and not last:
                yield Button(plain(self.tr("guide.next")), id="next", variant="primary")
            yield Button(plain(self.tr("guide.need_help")), id="need_help", variant="warning")

    def compose_escalation(self):
        guide, loc = self.guide, self.locale
        yield Static(plain(self.tr("guide.escalate_title"), "bold"), classes="section-title")
        if guide.prepare:
            yield Static(plain(self.tr("guide.prepare_title"), "bold"), classes="page-title")
            yield BulletList([localized(item, loc) for item in guide.prepare])
            yield Button(plain(self.tr("guide.prepare_more")), id="prepare-more", compact=True)
        for ref in guide.escalate:
            resolved = resolve_channel(self.kiosk.packs, ref, self.pack_id)
            if resolved:
                yield ChannelCard(resolved[1], resolved[0], loc)
        with Horizontal(classes="buttons"):
            yield Button(plain(self.tr("guide.restart")), id="restart")
            yield Button(plain(self.tr("qr.button")), id="take-home")

    def compose_feedback(self):
        given = self.kiosk.session.feedback.get((self.pack_id, self.guide_id))
        yield Static(plain(self.tr("guide.helpful"), "bold"), classes="section-title")
        if given is None:
            with Horizontal(classes="buttons"):
                yield Button(plain(self.tr("guide.helpful_yes")), id="helpful-yes", variant="success")
                yield Button(plain(self.tr("guide.helpful_no")), id="helpful-no")
        else:
            yield Static(plain(self.tr("guide.thanks" if given else "guide.sorry")), id="feedback-reply")

    def resolve_guide(self, ref: str) -> tuple[Pack, Guide] | None:
        """A guide reference (`refund`, or `wechat:lost-phone` in another pack) as (pack, guide), if installed."""
        pack_id, _, guide_id = ref.rpartition(":")
        pack = self.kiosk.packs.get(pack_id or self.pack_id)
        guide = pack.guide(guide_id) if pack is not None else None
        return (pack, guide) if pack is not None and guide is not None else None

    def branches(self, step: Step) -> bool:
        """Whether `step` says where to go when it did not work (and that place exists)."""
        if step.otherwise_step is not None and step.otherwise_step <= len(self.guide.steps):
            return True
        return step.otherwise_guide is not None and self.resolve_guide(step.otherwise_guide) is not None

    def compose_related(self):
        loc = self.locale
        related = [found for found in map(self.resolve_guide, self.guide.related) if found is not None]
        if related:
            yield Static(plain(self.tr("guide.related"), "bold"), classes="section-title")
            options = []
            for pack, guide in related:
                # Another wallet's guide says whose it is.
                label = localized(guide.title, loc)
                if pack.id != self.pack_id:
                    label = localized(pack.pack.name, loc, "bold") + plain(" · ") + label
                options.append(Option(label, id=f"guide:{pack.id}:{guide.id}"))
            yield OptionList(*options, id="related")

    def after_compose(self) -> None:
        bars = self.query("#step-progress")
        if bars:
            bars.first(ProgressBar).update(progress=self.step + 1)
        for button_id in ("#next", "#need_help", "#helpful-yes", "#restart"):
            found = self.query(button_id)
            if found:
                found.first().focus()
                break

    # -- actions -----------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next_step", "previous_step", "solved", "need_help") and self.phase != "steps":
            return False
        if action == "take_home":
            return self.phase != "steps"
        if action == "next_step":
            step = self.guide.steps[self.step]
            return step.continues and self.step < len(self.guide.steps) - 1
        if action == "previous_step":
            return self.step > 0
        return super().check_action(action, parameters)

    def action_next_step(self) -> None:
        if self.check_action("next_step", ()):
            self.step += 1

    def action_previous_step(self) -> None:
        if self.check_action("previous_step", ()):
            self.step -= 1

    def action_solved(self) -> None:
        self.phase = "done"

    def action_need_help(self) -> None:
        self.phase = "escalate"

    def action_take_home(self) -> None:
        self.navigate(f"qr:guide:{self.pack_id}:{self.guide_id}")

    # -- buttons (each stops its event: the screen answers it) ---------------------
    @on(Button.Pressed, "#next")
    def next_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_next_step()

    @on(Button.Pressed, "#previous")
    def previous_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_previous_step()

    @on(Button.Pressed, "#solved")
    def solved_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_solved()

    @on(Button.Pressed, "#need_help")
    def need_help_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_need_help()

    @on(Button.Pressed, "#take-home")
    def take_home_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_take_home()

    @on(Button.Pressed, "#it-worked")
    def it_worked_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if self.step < len(self.guide.steps) - 1:
            self.step += 1
        else:
            self.action_solved()

    @on(Button.Pressed, "#it-did-not")
    def it_did_not_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        step = self.guide.steps[self.step]
        if step.otherwise_step is not None and step.otherwise_step <= len(self.guide.steps):
            self.step = step.otherwise_step - 1
            return
        found = self.resolve_guide(step.otherwise_guide) if step.otherwise_guide else None
        if found is not None:
            self.navigate(f"guide:{found[0].id}:{found[1].id}")
        else:
            self.action_need_help()

    @on(Button.Pressed, "#restart")
    def restart_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.set_reactive(GuideScreen.step, 0)
        self.phase = "steps"

    @on(Button.Pressed, "#helpful-yes, #helpful-no")
    def feedback_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        helpful = event.button.id == "helpful-yes"
        if (self.pack_id, self.guide_id) not in self.kiosk.session.feedback:
            self.kiosk.usage.helpful(self.pack_id, self.guide_id, helpful)
        self.kiosk.session.feedback[(self.pack_id, self.guide_id)] = helpful
        if not helpful and self.phase == "done":
            self.phase = "escalate"  # a "no" after "solved" still deserves the contacts
        else:
            self.refresh(recompose=True)

    @on(Button.Pressed, "#prepare-more")
    def prepare_more_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.navigate("prepare")


class ScamScreen(KioskScreen):
    """A scam warning: how it works, the signs, what to do, and who to call."""

    def __init__(self, pack_id: str, scam_id: str) -> None:
        super().__init__()
        self.pack_id = pack_id
        self.scam_id = scam_id

    @property
    def scam(self) -> ScamWarning:
        return require_scam(require_pack(self.kiosk.packs, self.pack_id), self.scam_id)

    def screen_title(self):
        return localized(self.scam.title, self.locale)

    def compose_body(self):
        scam, loc = self.scam, self.locale
        with VerticalScroll():
            yield Static(plain("⚠ ", "bold red") + localized(scam.title, loc, "bold"), classes="page-title")
            yield Static(localized(scam.how_it_works, loc))
            yield BulletList([localized(sign, loc) for sign in scam.signs])
            yield Static(localized(scam.what_to_do, loc, "bold"), classes="section-title")
            for ref in ("general:police-110", "general:antifraud-96110"):
                resolved = resolve_channel(self.kiosk.packs, ref, self.pack_id)
                if resolved:
                    yield ChannelCard(resolved[1], resolved[0], loc, compact=True)
            yield Static(sources_text(scam.sources, loc), classes="source")
