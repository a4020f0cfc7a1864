"""UI test helpers: an app built from the packs the real start-up loads, a fixed clock, no blinking.

The packs come through `kiosk.launch.prepare`, the path every `kiosk` start takes, with a
pack cache: a "cold" start validates the documents and fills the cache, a "warm" one (every
start after the first) reads them back from it. Tests that build packs some other way never
see what the cache hands out, which is how a guide's take-home code once crashed every warm
start while the suite stayed green.
"""

from __future__ import annotations

import atexit
import datetime as _dt
import os
import shutil
import tempfile
from pathlib import Path
from typing import Literal
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

CacheState = Literal["cold", "warm"]
#: Which start make_app's packs come from unless a test says; a fixture may switch it (cold/warm).
DEFAULT_CACHE: CacheState = "warm"
#: The wallets the UI tests and snapshots show, in their tile order (the general pack always loads).
STARTUP_WALLETS = ("alipay", "wechat", "applepay")

_startup: dict[CacheState, PackSet] = {}


def bundled_packs() -> PackSet:
    """The bundled packs read straight from the repository files, validated here."""
    global _packs_cache
    if _packs_cache is None:
        _packs_cache = PackSet(packs=tuple(read_pack_file(p).unwrap() for p in PACK_FILES))
    return _packs_cache


def startup_packs(cache: CacheState = "warm") -> PackSet:
    """The installed packs as `kiosk` start-up loads them (kiosk profile) with a pack cache folder.

    "cold": the cache folder is empty, so every document is validated (and stored);
    "warm": the folder was filled by an earlier start, so every document is read from it.
    Loaded once per process and state; the packs are immutable.
    """
    if cache not in _startup:
        from kiosk.launch import prepare
        from kiosk.profile import Profile

        folder = Path(tempfile.mkdtemp(prefix="kiosk-ui-startup-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        config_path = folder / "kiosk.toml"
        wallets = ", ".join(f'"{w}"' for w in STARTUP_WALLETS)
        config_path.write_text(f"pack_allow = [{wallets}]\n", encoding="utf-8")
        environ = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
        environ["KIOSK_PACK_CACHE"] = str(folder / "cache")
        first = prepare(config_path, environ, Profile.KIOSK, named=True)
        if cache == "warm":
            stored = sorted((folder / "cache").glob("*.pickle"))
            assert stored, "the first start stored nothing in the pack cache"
            second = prepare(config_path, environ, Profile.KIOSK, named=True)
            _startup[cache] = second.packs
        else:
            _startup[cache] = first.packs
        assert {p.id for p in _startup[cache].packs} == {"general", *STARTUP_WALLETS}, _startup[cache].records
    return _startup[cache]


def make_app(
    locale: str = "zh-CN",
    packs: PackSet | None = None,
    when: _dt.datetime = MONDAY_MORNING,
    profile: str = "kiosk",
    notices: tuple[str, ...] = (),
    search_index=None,
    cache: CacheState | None = None,
    **settings,
):
    """The app as a customer at a branch terminal meets it (kiosk profile), unless told otherwise.

    Without `packs`, the packs of a real start-up (`startup_packs`), warm unless `cache` or
    DEFAULT_CACHE says cold.
    """
    from kiosk.launch import in_operator_order
    from kiosk.profile import Profile
    from kiosk.ui.app import KioskApp

    options = Settings(default_locale=locale, cursor_blink=False, **settings)
    # In the operator's order, as launch.prepare hands them to the app.
    return KioskApp(
        packs=in_operator_order(packs or startup_packs(cache or DEFAULT_CACHE), options.pack_order),
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
