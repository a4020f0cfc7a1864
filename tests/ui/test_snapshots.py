"""Every screen, in both languages, at 80x24 and 120x40, with a fixed clock and no blinking.

Chinese text is double-width; these snapshots are where misalignment shows.
Regenerate after an intended change with `make snapshot-update` and review
the SVGs in the diff.
"""

from __future__ import annotations

import pytest

from ui.helpers import CacheState, make_app

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}
LOCALES = ["zh-CN", "en"]


def _push(factory):
    async def run_before(pilot) -> None:
        pilot.app.push_screen(factory())
        await pilot.pause()

    return run_before


def _guide(pack_id: str, guide_id: str, *, steps: int = 0, phase: str | None = None):
    async def run_before(pilot) -> None:
        from kiosk.ui.screens.guide import GuideScreen

        screen = GuideScreen(pack_id, guide_id)
        pilot.app.push_screen(screen)
        await pilot.pause()
        for _ in range(steps):
            await pilot.press("n")
        if phase == "escalate":
            await pilot.press("e")
        elif phase == "done":
            await pilot.press("s")
        await pilot.pause()

    return run_before


def _search(query: str):
    async def run_before(pilot) -> None:
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*list(query))
        await pilot.pause()

    return run_before


def _screens():
    from kiosk.ui.screens.about import AboutScreen
    from kiosk.ui.screens.category import CategoryScreen
    from kiosk.ui.screens.channel import ChannelScreen
    from kiosk.ui.screens.checklist import ChecklistScreen
    from kiosk.ui.screens.contacts import ContactsScreen
    from kiosk.ui.screens.escalation import EscalationScreen
    from kiosk.ui.screens.guide import ScamScreen
    from kiosk.ui.screens.number_check import NumberCheckScreen
    from kiosk.ui.screens.prepare import PrepareScreen
    from kiosk.ui.screens.wallet import WalletScreen

    return {
        "home": None,
        "wallet": _push(lambda: WalletScreen("alipay")),
        "channel": _push(lambda: ChannelScreen("wechat", "wechatpay-95017")),
        "guide_step": _guide("alipay", "forgot-payment-password", steps=1),
        "guide_escalate": _guide("alipay", "forgot-payment-password", phase="escalate"),
        "guide_done": _guide("wechat", "refund", phase="done"),
        "scam": _push(lambda: ScamScreen("general", "fake-shop-refund")),
        "search_results": _search("zfmm"),
        "search_empty": _search("qqqqzzzz"),
        "category": _push(lambda: CategoryScreen("refund")),
        "contacts": _push(ContactsScreen),
        "checklist": _push(ChecklistScreen),
        "escalation": _push(EscalationScreen),
        "prepare": _push(PrepareScreen),
        "number_check": _push(NumberCheckScreen),
        "about": _push(AboutScreen),
    }


SCREENS = list(_screens())


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("screen", SCREENS)
def test_screen(snap_compare, screen, locale, size):
    run_before = _screens()[screen]
    assert snap_compare(make_app(locale), terminal_size=SIZES[size], run_before=run_before)


async def _drawn(screen: str, cache: CacheState) -> str:
    import re

    app = make_app("zh-CN", cache=cache)
    async with app.run_test(size=SIZES["80x24"]) as pilot:
        run_before = _screens()[screen]
        if run_before is not None:
            await run_before(pilot)
        await pilot.pause()
        svg = app.export_screenshot()
    return re.sub(r"terminal-\d+", "terminal", svg)  # the id Textual gives each export


@pytest.mark.parametrize("screen", ["home", "wallet", "guide_done", "search_results", "contacts"])
async def test_screen_is_drawn_the_same_from_a_cold_and_a_warm_pack_cache(screen):
    """The snapshots above draw the packs of a warm start; a first start must draw exactly the same.

    (A few screens that between them show every kind of pack content: the packs themselves are
    compared for equality in test_journeys.py.)
    """
    assert await _drawn(screen, "cold") == await _drawn(screen, "warm")
