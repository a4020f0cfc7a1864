"""In English, a guide step that sends the customer to a hotline also shows the pack's line for visitors."""

from __future__ import annotations

import pytest

from kiosk.ui.messages import Navigate
from kiosk.ui.screens.guide import GuideScreen
from kiosk.ui.widgets.channel_card import ChannelCard
from ui.helpers import make_app


async def open_last_step(app, pilot, target: str) -> GuideScreen:
    app.screen.post_message(Navigate(target))
    for _ in range(3):
        await pilot.pause()
    screen = app.screen
    assert isinstance(screen, GuideScreen)
    for _ in range(len(screen.guide.steps) - 1):
        await pilot.press("n")
        await pilot.pause()
    return screen


def shown_channels(screen) -> list[str]:
    return [card.reference for card in screen.query(ChannelCard)]


@pytest.mark.parametrize("locale, shown", [("en", True), ("zh-CN", False)])
async def test_the_payment_failed_guide_names_the_english_line_beside_95188_in_english(locale, shown):
    app = make_app(locale)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_last_step(app, pilot, "guide:alipay:payment-failed")
        channels = shown_channels(screen)
        assert "alipay:hotline-95188" in channels
        assert ("alipay:intl-line" in channels) is shown
        assert bool(screen.query("#overseas-line")) is shown


async def test_a_pack_without_such_a_line_gets_none_invented():
    app = make_app("en")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_last_step(app, pilot, "guide:wechat:forgot-payment-password")
        assert not screen.query("#overseas-line")
        assert all(ref.startswith(("wechat:", "general:")) for ref in shown_channels(screen))
