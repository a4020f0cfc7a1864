"""A contact channel with its live status, recomputed from the kiosk's clock."""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

from textual.content import Content

from kiosk.hours import OpenState, status_at
from kiosk.hours_text import describe
from kiosk.i18n import t
from kiosk.model import PHONE_KINDS, Channel, Schedule, ScheduleState
from kiosk.source_text import describe_source
from kiosk.ui.context import kiosk_app
from kiosk.ui.messages import Navigate
from kiosk.ui.render import localized, plain
from kiosk.ui.widgets.status import LiveStatus

if TYPE_CHECKING:
    from kiosk.packset import PackSet

# State is never told by colour alone: each marker is paired with words.
_MARKERS = {
    OpenState.OPEN: ("●", "green"),
    OpenState.ALWAYS: ("●", "green"),
    OpenState.CLOSED: ("○", "red"),
    OpenState.UNKNOWN: ("?", "yellow"),
}


def resolve_channel(packs: PackSet, ref: str, pack_id: str) -> tuple[str, Channel] | None:
    """A channel reference (`hotline` or `general:police-110`) of pack `pack_id` as (pack id, channel)."""
    owner, _, channel_id = ref.rpartition(":")
    owner = owner or pack_id
    pack = packs.get(owner)
    channel = pack.channel(channel_id) if pack else None
    return (owner, channel) if channel else None


def status_lines(channel: Channel, locale: str, now: _dt.datetime) -> list[Content]:
    """The status lines for a channel at `now`: people, then automated service, each with its remarks."""
    rows = []
    if channel.self_service:
        rows.append((t("channel.self_service", locale), channel.hours))
    else:
        rows.append((t("channel.people", locale), channel.hours))
        if channel.automated_hours is not None:
            rows.append((t("channel.automated", locale), channel.automated_hours))
    # "Call to check" only where there is something to call.
    can_call = channel.kind in PHONE_KINDS
    lines = []
    for label, schedule in rows:
        lines.append(_status_line(label, schedule, locale, now, can_call))
        lines += _schedule_remarks(schedule, locale)
    return lines


def _status_line(label: str, schedule: Schedule, locale: str, now: _dt.datetime, can_call: bool) -> Content:
    status = status_at(schedule, now)
    marker, colour = _MARKERS[status.state]
    text = describe(status, locale, now, can_call=can_call)
    if status.today_reason is not None and schedule.state is ScheduleState.WEEKLY:
        text += " · " + status.today_reason.get(locale).text
    return Content.assemble((f"{marker} ", f"bold {colour}"), (f"{label}: ", "bold"), plain(text))


def _schedule_remarks(schedule: Schedule, locale: str) -> list[Content]:
    """What the pack says about the hours (their note), and who set them when the branch did."""
    remarks = []
    if schedule.set_by_branch is not None:
        remarks.append(plain("  " + t("hours.set_by_branch", locale, branch=schedule.set_by_branch), "dim"))
    if schedule.note is not None:
        remarks.append(Content("  ") + localized(schedule.note, locale, "dim"))
    return remarks


class ChannelCard(LiveStatus, can_focus=True):
    """One channel: what it is, what to dial or tap, whether it is open now, how sure we are.

    Choosing it (a tap, or Enter) opens the channel in full.
    """

    DEFAULT_CSS = """
    ChannelCard {
        height: auto;
        padding: 0 1;
        margin: 0 0 1 0;
        border-left: tall $secondary;
    }
    ChannelCard:focus { background: $boost; border-left: tall $accent; }
    """

    def __init__(self, channel: Channel, pack_id: str, locale: str, *, compact: bool = False) -> None:
        super().__init__()
        self.channel = channel
        self.pack_id = pack_id
        self.locale = locale
        self.compact = compact

    @property
    def reference(self) -> str:
        return f"{self.pack_id}:{self.channel.id}"

    def render(self) -> Content:
        c, loc = self.channel, self.locale
        # The kind in words, not an icon: symbol widths vary between terminals and fonts.
        head = plain(f"[{t(f'kind.{c.kind}', loc)}] ", "bold $secondary") + localized(c.label, loc, "bold")
        value = Content("  ") + localized(c.value, loc, "bold")
        status = [Content("  ") + line for line in status_lines(c, loc, kiosk_app(self).clock.now())]
        if self.compact:
            return Content("\n").join([head, value, *status])
        lines = [head, value, Content("  ") + localized(c.purpose, loc), *status]
        if c.note is not None:
            lines.append(Content("  ⚠ ").stylize("bold yellow") + localized(c.note, loc, "italic"))
        audience = "、".join if loc == "zh-CN" else ", ".join
        meta = describe_source(c.best_source, loc)
        if tuple(c.audience) != ("consumer",):
            meta += " · " + t("channel.for", loc, audience=audience(t(f"audience.{a}", loc) for a in c.audience))
        lines.append(plain("  " + meta, "dim"))
        return Content("\n").join(lines)

    def on_click(self) -> None:
        self.post_message(Navigate(f"channel:{self.reference}"))

    def key_enter(self) -> None:
        self.post_message(Navigate(f"channel:{self.reference}"))
