"""The kiosk's colour themes. High contrast uses only colours the 16-colour palette has exactly."""

from __future__ import annotations

from textual.theme import Theme

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
THEME_NAMES = {"default": "textual-dark", "high-contrast": HIGH_CONTRAST.name}
