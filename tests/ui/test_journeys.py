"""Customer journeys driven through the real app, asserting on what the screen shows."""

from __future__ import annotations

import datetime as _dt

import pytest
from textual.widgets import Input, OptionList

from kiosk.model import Pack
from kiosk.ui.screens.checklist import ChecklistScreen
from kiosk.ui.screens.guide import GuideScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.qr import QRScreen
from kiosk.ui.screens.search import SearchScreen
from kiosk.ui.screens.wallet import WalletScreen
from kiosk.ui.widgets.channel_card import ChannelCard
from ui.helpers import SHANGHAI, make_app, screen_text, startup_packs

#: Every journey runs on the packs of a first start and of a later one (tests/ui/conftest.py).
pytestmark = pytest.mark.usefixtures("startup_cache")


async def click_scrolled(pilot, selector: str) -> None:
    """Scroll a widget into view, as a customer would, then tap it."""
    pilot.app.screen.query_one(selector).scroll_visible(animate=False)
    await pilot.pause()
    await pilot.click(selector)
    await pilot.pause()


async def type_text(pilot, text: str) -> None:
    # Pilot.press takes key names; a CJK character is its own key name.
    await pilot.press(*list(text))
    await pilot.pause()


def option_ids(option_list: OptionList) -> list[str | None]:
    return [option_list.get_option_at_index(i).id for i in range(option_list.option_count)]


async def search_for(pilot, query: str) -> list[str | None]:
    await pilot.press("slash")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SearchScreen)
    await type_text(pilot, query)
    return option_ids(pilot.app.screen.query_one("#results", OptionList))


def test_a_warm_start_hands_out_the_very_packs_a_cold_one_validated():
    """One type for every consumer: what the cache gives back is a Pack, equal to the validated one."""
    cold, warm = startup_packs("cold"), startup_packs("warm")
    assert [type(p) for p in warm.packs] == [Pack] * len(warm.packs)
    assert warm.packs == cold.packs
    assert [(r.id, r.status, r.provenance) for r in warm.records] == [
        (r.id, r.status, r.provenance) for r in cold.records
    ]


async def test_a_guide_is_taken_home_as_a_code_and_back(startup_cache):
    """The last step of a good visit: wallet, its problems, a guide, solved, the take-home code, back."""
    app = make_app("zh-CN")
    async with app.run_test(size=(100, 30)) as pilot:
        for key in ("3", "g", "down", "down", "enter"):
            await pilot.press(key)
            await pilot.pause()
        assert isinstance(app.screen, GuideScreen)
        guide = (app.screen.pack_id, app.screen.guide_id)
        await pilot.press("s")  # solved
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, QRScreen), startup_cache
        assert app.screen.guide_id == guide[1] and app.screen.payload.kind == "guide"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, GuideScreen)
        assert (app.screen.pack_id, app.screen.guide_id) == guide


async def test_forgotten_alipay_payment_password_found_by_initials():
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        results = await search_for(pilot, "zfmm")
        assert results[0] == "guide:alipay:forgot-payment-password"
        await pilot.press("enter")  # Enter in the box opens the first result
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, GuideScreen)
        assert (screen.pack_id, screen.guide_id, screen.step) == ("alipay", "forgot-payment-password", 0)
        assert "Step 1 of" in screen_text(app)


async def test_forgotten_alipay_payment_password_found_by_chinese():
    app = make_app("zh-CN")
    async with app.run_test(size=(80, 24)) as pilot:
        results = await search_for(pilot, "支付密码")
        assert results[0] == "guide:alipay:forgot-payment-password"
        assert "guide:wechat:forgot-payment-password" in results[:3]


async def test_search_with_no_result_offers_categories_and_contacts():
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        results = await search_for(pilot, "qqqqzzzz")
        assert "contacts" in results
        assert "category:refund" in results
        assert "Nothing found for “qqqqzzzz”" in screen_text(app)


async def test_wechat_refund_by_browsing():
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#tile-wallet-wechat")
        await pilot.pause()
        assert isinstance(app.screen, WalletScreen)
        assert "Official contacts" in screen_text(app)
        await pilot.press("g")
        guides = app.screen.query_one("#guides", OptionList)
        assert app.focused is guides
        refund = next(i for i, oid in enumerate(option_ids(guides)) if oid and ":refund" in oid)
        guides.highlighted = refund
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, GuideScreen)
        assert app.screen.guide.category == "refund"
        assert app.screen.pack_id == "wechat"


async def test_walk_a_guide_to_the_end_and_escalate_shows_live_hotline_status():
    app = make_app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(GuideScreen("wechat", "refund"))
        await pilot.pause()
        screen = app.screen
        total = len(screen.guide.steps)
        for expected in range(1, total + 1):
            assert f"Step {expected} of {total}" in screen_text(app)
            if expected < total:
                await pilot.click("#next")
                await pilot.pause()
        assert not app.screen.query("#next")  # no "next" after the last step
        await pilot.click("#need_help")
        await pilot.pause()
        text = screen_text(app)
        assert "Not solved? Contact them" in text
        cards = {card.channel.id: card for card in app.screen.query(ChannelCard)}
        hotline = str(cards["wechatpay-95017"].render())
        assert "95017" in hotline
        # Its consumer hours are not confirmed anywhere official, and the card says so.
        assert "? Agents: Hours not confirmed: call to check" in hotline
        assert "Was this guide helpful?" in text
        await click_scrolled(pilot, "#helpful-yes")
        assert "Thank you for your feedback." in screen_text(app)


async def test_escalation_status_changes_with_the_clock():
    night = _dt.datetime(2026, 11, 23, 23, 30, tzinfo=SHANGHAI)
    app = make_app("en", when=night)
    async with app.run_test(size=(120, 40)) as pilot:
        from kiosk.ui.screens.contacts import ContactsScreen

        app.push_screen(ContactsScreen())
        await pilot.pause()
        merchant = next(c for c in app.screen.query(ChannelCard) if "merchant" in str(c.channel.audience[0]))
        assert "Closed · opens tomorrow 09:00" in str(merchant.render())
        app.clock.set(_dt.datetime(2026, 11, 24, 9, 5, tzinfo=SHANGHAI))
        app.screen.refresh_statuses()
        await pilot.pause()
        assert "Open now · closes 22:00" in str(merchant.render())


async def test_checklist_can_be_completed():
    app = make_app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(ChecklistScreen())
        await pilot.pause()
        await pilot.click("#wallet-alipay")
        await pilot.pause()
        items = app.screen.query_one("#checklist-items", OptionList)
        total = items.option_count
        general = len(app.packs.general.checklist)
        assert total == general + len(app.packs.get("alipay").checklist)
        assert f"0 of {total} done" in screen_text(app)
        items.focus()
        for index in range(total):
            items.highlighted = index
            await pilot.press("space")
        await pilot.pause()
        assert f"{total} of {total} done · All done. Well done!" in screen_text(app)
        assert len(app.session.ticked) == total
        assert all(str(items.get_option_at_index(i).prompt).startswith("[✓] ") for i in range(total))


async def test_language_switch_mid_guide_keeps_the_step():
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(GuideScreen("alipay", "forgot-payment-password"))
        await pilot.pause()
        await pilot.press("n", "n")
        await pilot.pause()
        total = len(app.screen.guide.steps)
        assert f"Step 3 of {total}" in screen_text(app)
        await pilot.press("ctrl+l")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, GuideScreen)
        assert screen.step == 2
        assert f"第 3 步，共 {total} 步" in screen_text(app)
        assert screen.guide.steps[2].text["zh-CN"] in screen_text(app)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert f"Step 3 of {total}" in screen_text(app)


async def test_language_key_works_while_typing_a_search():
    app = make_app("zh-CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await search_for(pilot, "refund")
        await pilot.press("ctrl+l")
        await pilot.pause()
        query = app.screen.query_one("#query", Input)
        assert query.value == "refund"
        assert app.focused is query
        assert app.session.locale == "en"


async def test_escape_goes_back_and_home_goes_home():
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#tile-wallet-alipay")
        await pilot.pause()
        app.push_screen(GuideScreen("alipay", "refund"))
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WalletScreen)
        app.push_screen(GuideScreen("alipay", "refund"))
        await pilot.pause()
        await pilot.press("home")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert len(app.screen_stack) == 1


async def test_digits_open_tiles():
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, WalletScreen)
        assert app.screen.pack_id == app.packs.wallets[0].id


async def test_solved_then_not_helpful_still_offers_contacts():
    app = make_app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(GuideScreen("alipay", "refund"))
        await pilot.pause()
        await pilot.click("#solved")
        await pilot.pause()
        assert "Good, that solved it." in screen_text(app)
        await click_scrolled(pilot, "#helpful-no")
        assert app.screen.phase == "escalate"
        assert app.screen.query(ChannelCard)
        assert "Sorry it did not help." in screen_text(app)
        assert app.session.feedback[("alipay", "refund")] is False
