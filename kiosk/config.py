"""Operator settings. (The config file, `kiosk config` and validation build on this.)"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.model import LOCALES


@dataclass(frozen=True)
class Settings:
    branch_name: str = ""
    default_locale: str = LOCALES[0]
    #: Tests and snapshots turn blinking off so every frame is the same.
    cursor_blink: bool = True
