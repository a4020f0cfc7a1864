"""English guides name the English line wherever the pack has one (and send nobody to a Chinese voice menu alone).

A pack's English line is a hotline for overseas customers whose English label says English. Every
guide that sends the customer to one of the pack's other hotlines (a step's channel, or the "still
need help" list) must, in English, also name the English line: in that step's words or in the list.
Nothing is invented: the line is the pack's own channel, and the test only reads the packs.
"""

from __future__ import annotations

import pytest
from ui.helpers import bundled_packs

from kiosk.model import Audience, ChannelKind, Pack


def english_lines(pack: Pack):
    return [
        c
        for c in pack.channels
        if c.kind is ChannelKind.HOTLINE and Audience.OVERSEAS in c.audience and "english" in c.label["en"].lower()
    ]


PACKS = [p for p in bundled_packs().packs if english_lines(p)]


def test_a_bundled_pack_has_an_english_line():
    assert [p.id for p in PACKS] == ["alipay"]


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.id)
def test_every_english_guide_that_sends_to_a_hotline_names_the_english_line(pack):
    lines = english_lines(pack)
    line_ids = {c.id for c in lines}
    numbers = [c.value["en"] for c in lines]
    hotlines = {c.id for c in pack.channels if c.kind is ChannelKind.HOTLINE} - line_ids
    missing = []
    for guide in pack.guides:
        escalation_names_it = bool(line_ids & set(guide.escalate))
        for number, step in enumerate(guide.steps, start=1):
            if step.channel not in hotlines:
                continue
            words = step.text["en"] + (step.detail["en"] if step.detail else "")
            if not any(n in words for n in numbers):
                missing.append(f"{guide.id} step {number}")
        if hotlines & set(guide.escalate) and not escalation_names_it:
            named_in_a_step = any(
                any(n in step.text["en"] + (step.detail["en"] if step.detail else "") for n in numbers)
                for step in guide.steps
            )
            if not named_in_a_step:
                missing.append(f"{guide.id} still-need-help list")
    assert not missing
