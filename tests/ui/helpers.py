"""UI test helpers: an app built from the repository's pack files, a fixed clock, no blinking."""

from __future__ import annotations

import datetime as _dt
from zoneinfo import ZoneInfo

from helpers import REPO

from kiosk.clock import FixedClock
from kiosk.config import Settings
from kiosk.packfile import read_pack_file
from kiosk.packset import PackSet

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: A Monday morning, a normal working day: hotlines with hours are open.
MONDAY_MORNING = _dt.datetime(2026, 11, 23, 10, 30, tzinfo=SHANGHAI)

PACK_FILES = [
    REPO / "kiosk" / "builtin" / "general.toml",
    REPO / "packs" / "alipay" / "kiosk_pack_alipay" / "alipay.toml",
    REPO / "packs" / "wechat" / "kiosk_pack_wechat" / "wechat.toml",
    REPO / "packs" / "applepay" / "kiosk_pack_applepay" / "applepay.toml",
]

_packs_cache: PackSet | None = None


def bundled_packs() -> PackSet:
    """The bundled packs read straight from the repository, not from whatever is installed."""
    global _packs_cache
    if _packs_cache is None:
        _packs_cache = PackSet(packs=tuple(read_pack_file(p).unwrap() for p in PACK_FILES))
    return _packs_cache


def make_app(
    locale: str = "zh-CN",
    packs: PackSet | None = None,
    when: _dt.datetime = MONDAY_MORNING,
    profile: str = "kiosk",
    notices: tuple[str, ...] = (),
    search_index=None,
    **settings,
):
    """The app as a customer at a branch terminal meets it (kiosk profile), unless told otherwise."""
    from kiosk.launch import in_operator_order
    from kiosk.profile import Profile
    from kiosk.ui.app import KioskApp

    options = Settings(default_locale=locale, cursor_blink=False, **settings)
    # In the operator's order, as launch.prepare hands them to the app.
    return KioskApp(
        packs=in_operator_order(packs or bundled_packs(), options.pack_order),
        clock=FixedClock(when),
        settings=options,
        profile=Profile(profile),
        notices=notices,
        search_index=search_index,
    )


def screen_text(app) -> str:
    """Everything the current screen shows, as plain text (what a customer reads)."""
    from textual.widgets import Button, Input, OptionList, Static

    parts = []
    for widget in app.screen.query("*"):
        if isinstance(widget, Static):
            parts.append(str(widget.render()))
        elif isinstance(widget, Button):
            parts.append(str(widget.label))
        elif isinstance(widget, Input):
            parts.append(widget.value)
        elif isinstance(widget, OptionList):
            parts.extend(str(widget.get_option_at_index(i).prompt) for i in range(widget.option_count))
        elif hasattr(widget, "render") and type(widget).__module__.startswith("kiosk."):
            parts.append(str(widget.render()))
    return "\n".join(parts)
