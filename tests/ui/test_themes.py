"""The high-contrast theme stays readable when the terminal has only 16 colours."""

from __future__ import annotations

import pytest
from rich.color import Color, ColorSystem

from kiosk.ui.themes import HIGH_CONTRAST
from ui.helpers import make_app

VARIABLES = HIGH_CONTRAST.to_color_system().generate()

# (text, background) pairs the kiosk actually draws.
PAIRS = [
    ("foreground", "background"),
    ("contrast-on-primary", "primary"),
    ("footer-key-foreground", "footer-background"),
    ("footer-foreground", "footer-background"),
    ("warning", "background"),
    ("accent", "background"),
    ("secondary", "background"),
    ("text-primary", "background"),
    ("text-secondary", "background"),
    ("text-accent", "background"),
    ("text-warning", "background"),
    ("text-error", "background"),
    ("text-success", "background"),
    ("block-cursor-foreground", "block-cursor-background"),
    ("text-muted", "background"),
]


def at_16_colours(name: str) -> tuple[int, int, int]:
    if name == "contrast-on-primary":  # text on $primary (the header) is Textual's automatic contrast colour
        from textual.color import Color as TextualColor

        return at_16_colours(TextualColor.parse(VARIABLES["primary"]).get_contrast_text(1.0).hex)
    value = VARIABLES.get(name, name)
    red, green, blue = Color.parse(value[:7]).downgrade(ColorSystem.STANDARD).get_truecolor()
    return (red, green, blue)


def luminance(rgb) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


@pytest.mark.parametrize("text, background", PAIRS)
def test_contrast_at_16_colours_meets_wcag_aa(text, background):
    a, b = luminance(at_16_colours(text)), luminance(at_16_colours(background))
    ratio = (max(a, b) + 0.05) / (min(a, b) + 0.05)
    assert ratio >= 4.5, f"{text} on {background}: {ratio:.2f}"


async def test_config_selects_the_theme():
    app = make_app("en", theme="high-contrast")
    async with app.run_test(size=(80, 24)):
        assert app.theme == HIGH_CONTRAST.name


def test_high_contrast_snapshot(snap_compare):
    assert snap_compare(make_app("en", theme="high-contrast"), terminal_size=(80, 24))
