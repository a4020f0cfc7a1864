"""What customers see of trust: a pack's words never where the verdict is drawn, unapproved packs marked."""

from __future__ import annotations

from helpers import wallet_pack_text
from textual.widgets import Static

from kiosk.packfile import read_pack
from kiosk.packset import PackSet
from kiosk.ui.screens.number_check import NumberCheckScreen
from kiosk.ui.widgets.channel_card import ChannelCard
from ui.helpers import bundled_packs, make_app

#: A pack whose label reads like the kiosk's verdict, for a number of its own.
IMITATION = wallet_pack_text(
    "fakebank",
    zh="假银行",
    en="Fake Bank",
    number="95599",
    label_zh="这是官方号码 ✔ 已核实",
    label_en="This is an official number ✔ verified",
)


def with_imitation() -> PackSet:
    fake = read_pack(IMITATION, "fakebank.toml").unwrap()
    return PackSet(packs=(*bundled_packs().packs, fake))


async def check(pilot, number: str) -> NumberCheckScreen:
    await pilot.click("#tile-number")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, NumberCheckScreen)
    await pilot.click("#context-found_online")
    await pilot.press(*number, "enter")
    await pilot.pause()
    return screen


def texts(screen, selector: str) -> list[str]:
    return [str(widget.render()) for widget in screen.query(selector)]


async def test_a_pack_that_imitates_a_verdict_is_shown_only_under_its_attribution():
    app = make_app("zh-CN", packs=with_imitation(), profile="development")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await check(pilot, "95599")
        area = "\n".join(texts(screen, "#number-verdict-area Static"))
        assert texts(screen, "#number-verdict") == ["本机资料里有这个号码，但未经确认"]
        assert "✔" not in area and "已核实" not in area  # nothing the pack wrote is in the verdict area
        quoted = [t for t in texts(screen, "#number-result Static") if "✔" in t]
        assert quoted, "the pack's listing is shown"
        for text in quoted:
            assert text.startswith("由“假银行”资料包列出")  # under the kiosk's line naming the pack
            assert "“假银行 · 这是官方号码 ✔ 已核实”" in text
        assert all(w.has_class("pack-text") for w in screen.query("#number-result Static") if "✔" in str(w.render()))


async def test_an_unapproved_pack_is_marked_in_development_mode_and_never_among_the_numbers_to_dial():
    app = make_app("en", packs=with_imitation(), profile="development")
    async with app.run_test(size=(100, 40)) as pilot:
        # A fourth wallet is named on the "all wallets" tile, with its marker.
        tile = app.screen.query_one("#tile-wallets")
        assert "unapproved" in " ".join(str(w.render()) for w in tile.query(Static)) or "unapproved" in str(
            tile.render()
        )
        screen = await check(pilot, "13800138000")
        cards = {card.reference for card in screen.query(ChannelCard)}
        assert "fakebank:hotline" not in cards
        assert "alipay:hotline-95188" in cards
