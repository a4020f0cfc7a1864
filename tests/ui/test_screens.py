"""Screen behaviour a customer notices: keys in their language, fallbacks marked, statuses live."""

from __future__ import annotations

import dataclasses
import datetime as _dt

import pytest
from helpers import guide_of, pack_of
from textual.widgets._footer import FooterKey

from kiosk.i18n import CATALOG, LOCALES
from kiosk.model import Text
from kiosk.packset import PackRecord, PackSet, PackStatus
from kiosk.ui.screens.guide import GuideScreen
from kiosk.ui.screens.home import HELP_TILES
from kiosk.ui.screens.wallet import WalletScreen
from kiosk.ui.widgets.channel_card import ChannelCard
from kiosk.ui.widgets.tile import Tile
from ui.helpers import SHANGHAI, bundled_packs, make_app, screen_text


def footer_labels(app) -> dict[str, str]:
    return {key.key: key.description for key in app.screen.query(FooterKey)}


def test_every_catalogue_entry_exists_in_every_locale():
    missing = [(key, loc) for key, entry in CATALOG.items() for loc in LOCALES if not entry.get(loc)]
    assert missing == []


async def test_footer_speaks_the_customers_language_and_shows_only_keys_that_work():
    app = make_app("zh-CN")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        home = footer_labels(app)
        assert "escape" not in home and "home" not in home  # nowhere to go back to from home
        assert home["ctrl+l"] == "English"
        assert home["slash"] == "搜索"
        app.push_screen(GuideScreen("alipay", "refund"))
        await pilot.pause()
        guide = footer_labels(app)
        assert guide["escape"] == "返回" and guide["home"] == "首页"
        assert guide["s"] == "已解决"
        assert "p" not in guide and "left" not in guide  # no previous step on step 1
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert footer_labels(app)["escape"] == "Back"


async def test_footer_keys_can_be_tapped():
    app = make_app("en")
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(WalletScreen("alipay"))
        await pilot.pause()
        back = next(k for k in app.screen.query(FooterKey) if k.key == "escape")
        await pilot.click(back)
        await pilot.pause()
        assert len(app.screen_stack) == 1


async def test_quarantined_packs_are_not_shown_to_customers():
    broken = PackRecord(
        id="broken",
        entry_point="broken",
        distribution="kiosk-pack-broken",
        version="1.0",
        status=PackStatus.QUARANTINED,
        error="could not import",
    )
    packs = dataclasses.replace(bundled_packs(), records=(broken,))
    app = make_app("en", packs=packs)
    async with app.run_test(size=(100, 30)):
        assert not app.screen.query("#tile-wallet-broken")
        assert "broken" not in screen_text(app)
        assert [t.id for t in app.screen.query("Tile")][:3] == [
            "tile-wallet-alipay",
            "tile-wallet-applepay",
            "tile-wallet-wechat",
        ]


async def test_missing_translation_falls_back_with_a_visible_marker():
    alipay = pack_of(bundled_packs(), "alipay")
    guide = guide_of(alipay, "refund")
    only_chinese = dataclasses.replace(guide, title=Text({"zh-CN": guide.title["zh-CN"]}))
    patched = dataclasses.replace(alipay, guides=tuple(only_chinese if g.id == "refund" else g for g in alipay.guides))
    packs = PackSet(packs=tuple(patched if p.id == "alipay" else p for p in bundled_packs().packs))
    app = make_app("en", packs=packs)
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(GuideScreen("alipay", "refund"))
        await pilot.pause()
        assert f"{guide.title['zh-CN']} (Chinese)" in screen_text(app)
        await pilot.press("ctrl+l")
        await pilot.pause()
        text = screen_text(app)
        assert guide.title["zh-CN"] in text and "(Chinese)" not in text and "（中文）" not in text


@pytest.mark.parametrize(
    "locale, before, after",
    [
        ("en", "Closed · opens tomorrow 09:00", "Open now · closes 22:00"),
        ("zh-CN", "非服务时间 · 明天 09:00 开始服务", "营业中 · 22:00 结束"),
    ],
)
async def test_status_refreshes_while_the_screen_is_open(locale, before, after):
    app = make_app(locale, when=_dt.datetime(2026, 11, 23, 23, 59, 30, tzinfo=SHANGHAI))
    app.status_refresh_seconds = 0.05
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(WalletScreen("wechat"))
        await pilot.pause()
        merchant = next(c for c in app.screen.query(ChannelCard) if c.channel.audience[0] == "merchant")
        assert before in str(merchant.render())
        app.clock.set(_dt.datetime(2026, 11, 24, 9, 0, 1, tzinfo=SHANGHAI))
        await pilot.pause(0.2)  # no key pressed: the screen's own timer recomputes the status
        assert after in str(merchant.render())


async def test_many_wallets_go_behind_an_all_wallets_tile():
    alipay = pack_of(bundled_packs(), "alipay")
    extra = tuple(
        dataclasses.replace(alipay, pack=dataclasses.replace(alipay.pack, id=f"wallet-{n}")) for n in range(6)
    )
    packs = PackSet(packs=(*bundled_packs().packs, *extra))
    app = make_app("en", packs=packs)
    async with app.run_test(size=(100, 30)) as pilot:
        tiles = list(app.screen.query(Tile))
        wallet_tiles = [t.id for t in tiles if t.id and t.id.startswith("tile-wallet-")]
        assert len(wallet_tiles) == 3
        # The help tiles keep their digits however many wallets there are; "all wallets" comes last.
        assert {t.id: t.number for t in tiles}["tile-number"] == 6
        all_wallets = tiles[-1]
        assert all_wallets.id == "tile-wallets" and all_wallets.number is None
        total = len(packs.wallets)
        assert f"All wallets ({total})" in screen_text(app)
        await pilot.click(all_wallets)
        await pilot.pause()
        listed = app.screen.query_one("#wallet-list")
        assert listed.option_count == total
        listed.highlighted = total - 1
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WalletScreen) and app.screen.pack_id == "wallet-5"


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
async def test_the_help_tiles_keep_their_digits_with_five_bundled_wallets(locale):
    """The installed kiosk ships five wallets: 1-3 are Alipay, Apple Pay and WeChat Pay, and 4-0 stay
    the help tiles, so the digits a customer was told (6: is this number official?) hold."""
    app = make_app(locale)
    async with app.run_test(size=(100, 30)) as pilot:
        numbers = {t.id: t.number for t in app.screen.query(Tile)}
        assert numbers["tile-wallet-alipay"] == 1 and numbers["tile-wallet-applepay"] == 2
        assert numbers["tile-wallet-wechat"] == 3
        assert [numbers[f"tile-{target}"] for target, _, _ in HELP_TILES] == [4, 5, 6, 7, 8, 9, 0]
        assert "tile-wallet-unionpay" not in numbers and numbers.get("tile-wallets") is None
        await pilot.press("6")
        await pilot.pause()
        assert type(app.screen).__name__ == "NumberCheckScreen"


async def test_tapping_the_language_marker_switches_language():
    app = make_app("zh-CN")
    async with app.run_test(size=(100, 30)) as pilot:
        header = app.screen.query_one("KioskHeader")
        await pilot.click(header, offset=(header.size.width - 3, 0))
        await pilot.pause()
        assert app.session.locale == "en"
        assert "Wallet Help Kiosk" in str(app.screen.query_one("KioskHeader").render())
        await pilot.click(app.screen.query_one("KioskHeader"), offset=(2, 0))  # the title is not a button
        await pilot.pause()
        assert app.session.locale == "en"


async def test_search_index_is_built_in_the_background_after_start():
    app = make_app("en")
    app.search_warmup_seconds = 0.05
    async with app.run_test(size=(100, 30)) as pilot:
        assert app._search_index is None
        await pilot.pause(0.1)
        await app.workers.wait_for_complete()
        assert app._search_index is not None and len(app._search_index) > 30


async def test_a_search_index_built_beforehand_answers_the_first_keystroke():
    """A server starting many sessions builds the index once; each session searches it at once."""
    from kiosk.search import SearchIndex

    probe = make_app("en")
    index = SearchIndex.build(probe.packs.packs)
    app = make_app("en", search_index=index)
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.search_index is index
        await pilot.press("slash", *"refund")
        await pilot.pause()
        assert "refund" in screen_text(app).lower()


async def test_footer_shows_the_keys_while_the_terminal_is_not_focused():
    """A browser tab starts unfocused (the web driver says so at once); its footer must not be empty."""
    from textual import events

    app = make_app("en")
    async with app.run_test(size=(100, 30)) as pilot:
        app.post_message(events.AppBlur())
        await pilot.pause()
        assert not app.app_focus
        app.push_screen(GuideScreen("alipay", "refund"))
        await pilot.pause()
        await pilot.pause()
        keys = footer_labels(app)
        assert keys.get("escape") == "Back" and keys.get("ctrl+l") == "中文"
