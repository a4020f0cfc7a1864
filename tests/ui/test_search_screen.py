"""The search screen and guide branches, driven as a customer would."""

from __future__ import annotations

import pytest
from helpers import minimal_pack_text
from textual import events
from textual.widgets import Button, Input, OptionList

from kiosk.packfile import read_pack
from kiosk.packset import PackSet
from kiosk.ui.messages import Navigate
from kiosk.ui.screens.guide import GuideScreen
from kiosk.ui.screens.number_check import NumberCheckScreen
from kiosk.ui.screens.search import QUERY_LIMIT, SearchScreen
from ui.helpers import bundled_packs, make_app, screen_text

pytestmark = pytest.mark.slow


def option_ids(option_list: OptionList) -> list[str | None]:
    return [option_list.get_option_at_index(i).id for i in range(option_list.option_count)]


async def open_search(pilot) -> SearchScreen:
    await pilot.press("slash")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SearchScreen)
    return pilot.app.screen


async def test_popular_problems_are_listed_before_a_key_is_pressed():
    app = make_app("zh-CN")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_search(pilot)
        ids = option_ids(screen.query_one("#results", OptionList))
        # Each pack's first popular guide, in the packs' order, before the categories.
        popular = [i for i in ids if i and i.startswith("guide:")]
        assert popular[:3] == [
            "guide:alipay:forgot-payment-password",
            "guide:applepay:lost-or-stolen-device",
            "guide:wechat:forgot-payment-password",
        ]
        assert ids.index(popular[-1]) < ids.index("contacts")
        assert "大家常问" in screen_text(app)


async def test_a_typed_number_opens_the_number_check_with_the_number_filled_in():
    app = make_app("zh-CN")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_search(pilot)
        await pilot.press(*"95188")
        await pilot.pause()
        ids = option_ids(screen.query_one("#results", OptionList))
        assert ids[:2] == ["check-number:95188", "channel:alipay:hotline-95188"]
        assert "核对这个号码：95188" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NumberCheckScreen)
        assert app.screen.query_one(Input).value == "95188"


async def test_contact_results_show_whether_they_are_open():
    app = make_app("zh-CN")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_search(pilot)
        await pilot.press(*"rengong kefu")
        await pilot.pause()
        ids = option_ids(screen.query_one("#results", OptionList))
        assert ids[0] and ids[0].startswith("channel:")
        text = screen_text(app)
        assert "人工" in text and ("●" in text or "○" in text or "?" in text)


async def test_results_show_a_snippet_of_what_they_matched():
    app = make_app("zh-CN")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_search(pilot)
        await pilot.press(*"weixin tuikuan")
        await pilot.pause()
        assert "退款什么时候到账" in screen_text(app)
        # A keyword match shows the keyword it matched.
        assert "tuikuan" in screen_text(app)


async def test_typing_in_the_results_goes_on_in_the_box():
    app = make_app("en")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_search(pilot)
        await pilot.press(*"refu")
        await pilot.press("down")
        await pilot.pause()
        results: object = screen.query_one("#results", OptionList)  # focus moves on: keep mypy from narrowing
        assert app.focused is results
        await pilot.press("n", "d")
        await pilot.pause()
        box = screen.query_one("#query", Input)
        assert app.focused is box and box.value == "refund"


async def test_a_pasted_page_is_cut_to_what_search_reads():
    app = make_app("en")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_search(pilot)
        box = screen.query_one("#query", Input)
        box.post_message(events.Paste("refund " * 700_000))
        await pilot.pause()
        assert len(box.value) == QUERY_LIMIT
        assert option_ids(screen.query_one("#results", OptionList))


BRANCHING = minimal_pack_text(
    **{
        '{ text = { zh-CN = "打开设置", en = "Open settings" }, channel = "app" }': (
            '{ text = { zh-CN = "打开设置", en = "Open settings" }, channel = "app", otherwise_guide = "refund" }'
        ),
        'related = ["refund"]': 'related = ["refund", "wechat:lost-phone"]',
    }
)


def branching_packs() -> PackSet:
    return PackSet(packs=(*bundled_packs().packs, read_pack(BRANCHING, "demo.toml").unwrap()))


async def test_a_branching_step_asks_whether_it_worked_and_no_goes_where_it_says():
    app = make_app("en", packs=branching_packs())
    async with app.run_test(size=(100, 40)) as pilot:
        app.post_message(Navigate("guide:demo:forgot-password"))
        await pilot.pause()
        assert isinstance(app.screen, GuideScreen)
        assert "Did this work?" in screen_text(app)
        await pilot.click("#it-did-not")
        await pilot.pause()
        assert isinstance(app.screen, GuideScreen)
        assert (app.screen.pack_id, app.screen.guide_id) == ("demo", "refund")


async def test_yes_on_a_branching_step_goes_on_and_related_guides_of_other_wallets_say_whose_they_are():
    app = make_app("en", packs=branching_packs())
    async with app.run_test(size=(100, 40)) as pilot:
        app.post_message(Navigate("guide:demo:forgot-password"))
        await pilot.pause()
        related = option_ids(app.screen.query_one("#related", OptionList))
        assert related == ["guide:demo:refund", "guide:wechat:lost-phone"]
        assert "WeChat Pay · My phone was lost or stolen" in screen_text(app)
        await pilot.click("#it-worked")
        await pilot.pause()
        assert app.screen.step == 1
        assert "Did this work?" not in screen_text(app)


async def test_a_search_that_found_nothing_is_counted_once_when_the_customer_gives_up():
    app = make_app("zh-CN")
    async with app.run_test(size=(100, 40)) as pilot:
        await open_search(pilot)
        await pilot.press(*"qqqq zzzz")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        app.usage.flush()
        counts = [(c.kind, c.item, c.n) for c in app.usage.totals()]
    assert counts == [("no_result", "qqqq zzzz", 1)]


async def test_guide_views_and_answers_are_counted_and_popular_follows_this_branch_s_views():
    app = make_app("en")
    async with app.run_test(size=(100, 40)) as pilot:
        for _ in range(2):
            app.post_message(Navigate("guide:wechat:refund"))
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
        app.post_message(Navigate("guide:wechat:refund"))
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#helpful-no", Button).press()
        await pilot.pause()
        app.usage.flush()
        counts = {(c.kind, c.item): c.n for c in app.usage.totals()}
        assert counts == {("view", "wechat:refund"): 3, ("not_helpful", "wechat:refund"): 1}
        await pilot.press("escape")
        await pilot.pause()
        screen = await open_search(pilot)
        popular = [i for i in option_ids(screen.query_one("#results", OptionList)) if i and i.startswith("guide:")]
        assert popular[0] == "guide:wechat:refund"


async def test_nothing_is_counted_when_the_operator_switched_counting_off():
    app = make_app("en", usage_stats=False)
    async with app.run_test(size=(100, 40)) as pilot:
        app.post_message(Navigate("guide:wechat:refund"))
        await pilot.pause()
    from kiosk.usagestats import db_path

    assert not db_path().exists()
