"""The kiosk's colour themes. High contrast uses only colours the 16-colour palette has exactly."""

from __future__ import annotations

from textual.theme import Theme

#: The default: Textual's dark theme with the colours text is drawn in changed until every text style
#: meets WCAG AA (4.5:1) in truecolour and in the 256-colour palette a terminal rounds them to.
#: Textual's own secondary (#004578) made headings 1.5:1; its primary left the header at 3.8:1.
KIOSK_DARK = Theme(
    name="kiosk-dark",
    primary="#00538F",
    secondary="#6CB8F0",
    accent="#FFA62B",
    warning="#FFA62B",
    error="#F0707F",
    success="#4EBF71",
    foreground="#E0E0E0",
    background="#121212",
    surface="#1E1E1E",
    panel="#242F38",
    dark=True,
    variables={
        "text-muted": "#B8B8B8",
        "text-disabled": "#9A9A9A",  # input placeholders
        "input-selection-background": "#00538F 35%",
    },
)

HIGH_CONTRAST = Theme(
    name="kiosk-high-contrast",
    primary="#00FFFF",
    secondary="#FFFF00",
    accent="#FFFF00",
    warning="#FFFF00",
    error="#FF5555",
    success="#55FF55",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#000000",
    boost="#000000",
    dark=True,
    text_alpha=1.0,
    luminosity_spread=0.0,
    variables={
        "footer-key-foreground": "#FFFF00",
        "footer-background": "#000000",
        "footer-foreground": "#FFFFFF",
        "text-muted": "#FFFFFF",
        "block-cursor-background": "#FFFF00",
        "block-cursor-foreground": "#000000",
        "input-cursor-background": "#FFFF00",
        "input-cursor-foreground": "#000000",
    },
)

#: Config theme name -> Textual theme name.
THEME_NAMES = {"default": KIOSK_DARK.name, "high-contrast": HIGH_CONTRAST.name}
