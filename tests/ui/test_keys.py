"""Keys do what a person expects: quick typing, the idle warning, the home grid, the language, `/`."""

from __future__ import annotations

import datetime as _dt

from textual import events
from textual.widgets import OptionList

from kiosk.ui.screens.guide import GuideScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.idle import IdleWarningScreen
from kiosk.ui.screens.search import SearchScreen
from kiosk.ui.screens.wallet import WalletScreen
from kiosk.ui.widgets.header import KioskHeader
from kiosk.ui.widgets.tile import Tile
from ui.helpers import make_app


def typed(key: str) -> events.Key:
    character = {"enter": "\r", "down": None}.get(key, key)
    return events.Key(key, character)


async def settle(pilot, times: int = 6) -> None:
    for _ in range(times):
        await pilot.pause()


async def test_keys_typed_straight_after_a_screen_change_reach_the_new_screen():
    # "1 g Enter" with no pause between them: all three are in the queue before the wallet
    # screen exists. The first problem must open, not the contact card that had the focus.
    app = make_app("zh-CN")
    async with app.run_test(size=(100, 30)) as pilot:
        for key in ("1", "g", "enter"):
            app.post_message(typed(key))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, GuideScreen), type(screen).__name__
        first_problem = next(o for o in _wallet_guides(app, "alipay") if o.id)
        assert f"guide:{screen.pack_id}:{screen.guide_id}" == first_problem.id


def _wallet_guides(app, pack_id):
    from kiosk.ui.screens.wallet import guide_options

    pack = app.packs.get(pack_id)
    return [o for o in guide_options(pack, "zh-CN", lambda key: key) if o is not None]


async def test_keys_typed_during_a_screen_change_keep_their_order():
    async def highlighted_after(keys, quick: bool) -> int | None:
        app = make_app("en")
        async with app.run_test(size=(100, 30)) as pilot:
            for key in keys:
                if quick:
                    app.post_message(typed(key))
                else:
                    await pilot.press(key)
                    await settle(pilot)
            await settle(pilot)
            assert isinstance(app.screen, WalletScreen)
            guides = app.screen.query_one("#guides", OptionList)
            assert app.focused is guides
            return guides.highlighted

    keys = ("1", "g", "down", "down")
    slowly = await highlighted_after(keys, quick=False)
    assert slowly is not None and slowly > 1
    assert await highlighted_after(keys, quick=True) == slowly


async def test_the_key_that_dismisses_the_idle_warning_is_not_passed_on():
    app = make_app("en", idle_timeout=90, idle_warning=30)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("right")  # someone is there
        app.clock.advance(_dt.timedelta(seconds=95))
        app.check_customer_idle()
        await settle(pilot)
        assert isinstance(app.screen, IdleWarningScreen)
        await pilot.press("2")  # "any key" to stay: it must not also open tile 2
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert len(app.screen_stack) == 1
        await pilot.press("2")  # the next key is the customer's again
        await settle(pilot)
        assert isinstance(app.screen, WalletScreen)


def _tile_ids(app) -> list[str]:
    return [tile.id or "" for tile in app.screen.query(Tile)]


async def test_home_tiles_move_as_a_grid():
    app = make_app("zh-CN")
    async with app.run_test(size=(100, 30)) as pilot:
        tiles = list(app.screen.query(Tile))
        columns = len({t.region.x for t in tiles if t.region.y == tiles[0].region.y})
        assert columns == 3
        assert app.focused is tiles[0]
        await pilot.press("up")
        assert app.focused is tiles[0], "up from the top row keeps the focus"
        await pilot.press("left")
        assert app.focused is tiles[0]
        await pilot.press("down")
        assert app.focused is tiles[columns], "down goes to the tile below"
        await pilot.press("right")
        assert app.focused is tiles[columns + 1]
        await pilot.press("up")
        assert app.focused is tiles[1]
        for _ in range(10):
            await pilot.press("down")
        assert isinstance(app.focused, Tile), "down from the bottom row keeps the focus"
        assert app.focused.region.y == max(t.region.y for t in tiles)
        await pilot.press("enter")  # the last tile is the language tile: Enter still chooses it
        await settle(pilot)
        assert app.session.locale == "en"


async def test_home_digits_follow_the_shipped_order():
    app = make_app("zh-CN")
    async with app.run_test(size=(100, 30)):
        ids = _tile_ids(app)
        assert ids[:3] == ["tile-wallet-alipay", "tile-wallet-applepay", "tile-wallet-wechat"]
        assert ids[3] == "tile-search"


async def test_tapping_the_language_already_shown_does_nothing():
    app = make_app("zh-CN")
    async with app.run_test(size=(100, 30)) as pilot:
        header = app.screen.query_one(KioskHeader)
        width = header.size.width
        language_start = width - 11  # " 中文 / EN "
        await pilot.click(KioskHeader, offset=(language_start + 2, 0))  # on 中文
        await settle(pilot)
        assert app.session.locale == "zh-CN" and app.screen.locale == "zh-CN"
        await pilot.click(KioskHeader, offset=(language_start + 8, 0))  # on EN
        await settle(pilot)
        assert app.session.locale == "en"
        header = app.screen.query_one(KioskHeader)
        await pilot.click(KioskHeader, offset=(language_start + 8, 0))  # EN again
        await settle(pilot)
        assert app.session.locale == "en"
        await pilot.click(KioskHeader, offset=(language_start + 2, 0))
        await settle(pilot)
        assert app.session.locale == "zh-CN"


async def test_switching_language_keeps_the_scroll_position_and_the_highlight():
    app = make_app("zh-CN")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2", "g")  # Apple Pay: its problems list is long
        await settle(pilot)
        for _ in range(7):
            await pilot.press("down")
        await settle(pilot)
        screen = app.screen
        guides = screen.query_one("#guides", OptionList)
        body = screen.query_one("#wallet-body")
        highlighted, scrolled = guides.highlighted, body.scroll_y
        assert highlighted and highlighted > 5 and scrolled > 0
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert app.screen is screen and screen.locale == "en"
        guides = screen.query_one("#guides", OptionList)
        assert guides.highlighted == highlighted
        assert app.focused is guides
        assert screen.query_one("#wallet-body").scroll_y == scrolled
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert screen.query_one("#guides", OptionList).highlighted == highlighted
        assert screen.query_one("#wallet-body").scroll_y == scrolled


async def test_slash_opens_search_from_every_screen():
    app = make_app("en")
    async with app.run_test(size=(100, 30)) as pilot:
        for keys in (("1",), ("1", "g", "enter"), ("7",), ("5",)):
            await pilot.press("home")
            await pilot.press(*keys)
            await settle(pilot)
            assert not isinstance(app.screen, HomeScreen | SearchScreen)
            await pilot.press("slash")
            await settle(pilot)
            assert isinstance(app.screen, SearchScreen), keys


async def test_slash_is_text_in_a_text_field():
    app = make_app("en")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        depth = len(app.screen_stack)
        await pilot.press("slash")
        await settle(pilot)
        assert len(app.screen_stack) == depth
