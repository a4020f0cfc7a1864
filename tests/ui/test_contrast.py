"""Every text style of the default theme is readable: WCAG AA (4.5:1), measured on what is drawn.

The ratios come from the rendered screen (the compositor's segments with their resolved colours),
in truecolour and after rounding to the 256-colour palette a terminal such as tmux shows, so a
colour that only looks right in one of them still fails here. Dim text is taken as halfway
between its colour and the background, as terminals draw it.
"""

from __future__ import annotations

import pytest
from rich.color import Color, ColorSystem
from rich.segment import Segment

from ui.helpers import make_app

AA = 4.5

#: Key presses from the home screen to each screen measured (bundled packs: 1-3 wallets, then help tiles).
JOURNEYS = {
    "home": (),
    "home, second tile focused": ("right",),
    "wallet problems": ("2", "g"),
    "guide step": ("2", "g", "enter"),
    "guide, still need help": ("2", "g", "enter", "e"),
    "guide, solved": ("2", "g", "enter", "s"),
    "number check": ("6",),
    "number check verdict": ("6", "9", "5", "1", "8", "8", "enter"),
    "search results": ("slash", "w", "x"),
    "checklist": ("5",),
    "escalation": ("7",),
    "prepare": ("8",),
    "contacts": ("9",),
    "channel": ("9", "enter"),
    "about": ("question_mark",),
    "wallet contacts": ("1",),
    "channel QR": ("1", "enter", "t"),
}


def luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def as_rgb(color: Color, system: ColorSystem) -> tuple[int, int, int]:
    shown = color.downgrade(system) if system is not ColorSystem.TRUECOLOR else color
    triplet = shown.get_truecolor()
    return triplet.red, triplet.green, triplet.blue


def segments(node):
    if isinstance(node, Segment):
        yield node
    else:
        for child in node:
            yield from segments(child)


def low_contrast_text(app, system: ColorSystem) -> list[tuple[float, str]]:
    """(ratio, text) for every piece of text drawn below AA on the current screen."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    found = []
    for strip in update.strips:
        for segment in segments(strip):
            style = segment.style
            if style is None or not any(c.isalnum() for c in segment.text):
                continue  # borders, bars and blank cells are not text
            assert style.color is not None and style.bgcolor is not None, segment
            fg, bg = as_rgb(style.color, system), as_rgb(style.bgcolor, system)
            if style.dim:
                fg = (fg[0] + bg[0]) // 2, (fg[1] + bg[1]) // 2, (fg[2] + bg[2]) // 2
            ratio = contrast(fg, bg)
            if ratio < AA:
                found.append((round(ratio, 2), segment.text.strip()))
    return found


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
@pytest.mark.parametrize("system", [ColorSystem.TRUECOLOR, ColorSystem.EIGHT_BIT], ids=["truecolour", "256-colour"])
async def test_every_text_style_meets_wcag_aa_in_the_default_theme(locale, system):
    app = make_app(locale)
    failures = {}
    async with app.run_test(size=(100, 30)) as pilot:
        for name, keys in JOURNEYS.items():
            await pilot.press("home")
            if keys:
                await pilot.press(*keys)
            for _ in range(4):
                await pilot.pause()
            low = low_contrast_text(app, system)
            if low:
                failures[name] = sorted(set(low))[:5]
    assert not failures, failures


def test_the_measure_is_right():
    assert contrast((255, 255, 255), (0, 0, 0)) == pytest.approx(21.0)
    # The audit's figure for the old category headings in a 256-colour pane: #005f87 on #262626.
    assert contrast((0x00, 0x5F, 0x87), (0x26, 0x26, 0x26)) == pytest.approx(2.15, abs=0.01)
