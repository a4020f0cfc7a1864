"""Navigation: screens and widgets post `Navigate(target)`, the app opens what the target names."""

from __future__ import annotations

import pytest

from kiosk.ui.messages import Navigate
from kiosk.ui.screens.about import AboutScreen
from kiosk.ui.screens.category import CategoryScreen
from kiosk.ui.screens.channel import ChannelScreen
from kiosk.ui.screens.checklist import ChecklistScreen
from kiosk.ui.screens.contacts import ContactsScreen
from kiosk.ui.screens.escalation import EscalationScreen
from kiosk.ui.screens.guide import GuideScreen, ScamScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.number_check import NumberCheckScreen
from kiosk.ui.screens.prepare import PrepareScreen
from kiosk.ui.screens.qr import QRScreen
from kiosk.ui.screens.search import SearchScreen
from kiosk.ui.screens.wallet import WalletScreen
from kiosk.ui.screens.wallets import WalletListScreen
from ui.helpers import make_app

TARGETS = [
    ("search", SearchScreen, {}),
    ("checklist", ChecklistScreen, {}),
    ("number", NumberCheckScreen, {}),
    ("escalation", EscalationScreen, {}),
    ("prepare", PrepareScreen, {}),
    ("contacts", ContactsScreen, {}),
    ("about", AboutScreen, {}),
    ("wallets", WalletListScreen, {}),
    ("wallet:wechat", WalletScreen, {"pack_id": "wechat"}),
    ("category:refund", CategoryScreen, {"category": "refund"}),
    ("guide:alipay:refund", GuideScreen, {"pack_id": "alipay", "guide_id": "refund"}),
    ("scam:general:task-scam", ScamScreen, {"pack_id": "general", "scam_id": "task-scam"}),
    ("channel:alipay:hotline-95188", ChannelScreen, {"pack_id": "alipay", "channel_id": "hotline-95188"}),
    ("qr:guide:wechat:refund", QRScreen, {"pack_id": "wechat", "guide_id": "refund", "channel_id": None}),
    ("qr:channel:alipay:hotline-95188", QRScreen, {"pack_id": "alipay", "channel_id": "hotline-95188"}),
]


@pytest.mark.parametrize("target, screen_class, attributes", TARGETS, ids=[t for t, _, _ in TARGETS])
async def test_a_target_posted_by_a_screen_opens_its_screen(target, screen_class, attributes):
    app = make_app("en")
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.post_message(Navigate(target))
        await pilot.pause()
        screen = app.screen
        assert type(screen) is screen_class
        assert {name: getattr(screen, name) for name in attributes} == attributes
        assert len(app.screen_stack) == 2


async def test_the_language_target_switches_language_in_place():
    app = make_app("zh-CN")
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.post_message(Navigate("language"))
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.screen.locale == "en"
        assert app.session.locale == "en"


async def test_every_visit_gets_a_screen_built_for_it():
    app = make_app("en")
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.post_message(Navigate("guide:alipay:refund"))
        await pilot.pause()
        first = app.screen
        await app.reset_session()  # the next customer
        await pilot.pause()
        app.screen.post_message(Navigate("guide:alipay:refund"))
        await pilot.pause()
        assert isinstance(app.screen, GuideScreen) and app.screen is not first


@pytest.mark.parametrize("target", ["nowhere", "wallet", "guide:alipay", "qr:somewhere:alipay:refund", "qr"])
def test_a_target_no_screen_answers_is_an_error(target):
    from kiosk.ui.navigation import screen_for

    with pytest.raises(ValueError, match="unknown target"):
        screen_for(target)


def test_an_item_a_screen_names_but_no_pack_has_is_reported_by_name():
    from kiosk.ui.lookup import NotLoaded, require_channel, require_guide, require_pack, require_scam
    from ui.helpers import bundled_packs

    packs = bundled_packs()
    alipay = require_pack(packs, "alipay")
    assert require_guide(alipay, "refund").id == "refund"
    with pytest.raises(NotLoaded, match="no pack 'nowhere' is loaded"):
        require_pack(packs, "nowhere")
    with pytest.raises(NotLoaded, match="pack 'alipay' has no guide 'nothing'"):
        require_guide(alipay, "nothing")
    with pytest.raises(NotLoaded, match="pack 'alipay' has no channel 'nothing'"):
        require_channel(alipay, "nothing")
    with pytest.raises(NotLoaded, match="pack 'alipay' has no scam warning 'nothing'"):
        require_scam(alipay, "nothing")
