"""Readable at every size: whole tile descriptions when there is room, staff notices never hidden,
and below the smallest supported size a bilingual "please enlarge" instead of clipped controls."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from kiosk.i18n import t
from kiosk.ui.screens.base import MIN_SIZE
from kiosk.ui.widgets.footer import KioskFooter
from kiosk.ui.widgets.tile import Tile
from ui.helpers import make_app

NOTICES = (
    "kiosk.toml:3: idle_timeout: 5 is outside 30-3600 seconds",
    "packs/broken.toml: quarantined: line 12: expected '=' after a key, and the rest of this notice runs on",
)


def visible(widget) -> bool:
    return widget.display and widget.region.width > 0 and widget.region.height > 0


@pytest.mark.parametrize("size", [(MIN_SIZE[0] - 1, MIN_SIZE[1]), (MIN_SIZE[0], MIN_SIZE[1] - 1), (44, 14)])
@pytest.mark.parametrize("keys", [(), ("1",), ("6",), ("1", "g", "enter")])
async def test_below_the_smallest_size_every_screen_asks_to_be_enlarged_in_both_languages(size, keys):
    app = make_app("en")
    async with app.run_test(size=size) as pilot:
        if keys:
            await pilot.press(*keys)
        for _ in range(3):
            await pilot.pause()
        notice = app.screen.query_one("#too-small", Static)
        assert visible(notice)
        text = str(notice.render())
        for locale in ("zh-CN", "en"):
            assert t("screen.too_small", locale, width=MIN_SIZE[0], height=MIN_SIZE[1]) in text
        others = [w for w in app.screen.children if w is not notice]
        assert others and not any(visible(w) for w in others), "nothing clipped shows beside it"
        await pilot.resize_terminal(*MIN_SIZE)
        await pilot.pause()
        assert not visible(app.screen.query_one("#too-small"))
        assert visible(app.screen.query_one(KioskFooter))


@pytest.mark.parametrize("size", [(100, 30), (120, 40), (200, 50)])
@pytest.mark.parametrize("locale", ["zh-CN", "en"])
async def test_tile_descriptions_are_whole_when_the_screen_has_room(size, locale):
    app = make_app(locale)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for tile in app.screen.query(Tile):
            assert str(tile.fitted_subtitle()) == str(tile.subtitle), tile.id
            assert tile.region.bottom <= size[1] - 1, f"{tile.id} is below the fold"


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
async def test_at_the_smallest_size_every_tile_is_in_view(locale):
    app = make_app(locale)
    async with app.run_test(size=MIN_SIZE) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KioskFooter)
        for tile in app.screen.query(Tile):
            assert tile.region.bottom <= footer.region.y, f"{tile.id} is below the fold"
            assert str(tile.fitted_subtitle()).strip(), tile.id


@pytest.mark.parametrize("size", [MIN_SIZE, (100, 30), (120, 40)])
async def test_staff_notices_are_whole_and_never_under_the_footer(size):
    app = make_app("en", notices=NOTICES)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KioskFooter)
        notices = list(app.screen.query(".staff-notice"))
        assert len(notices) == len(NOTICES)
        for widget, notice in zip(notices, NOTICES, strict=True):
            widget.scroll_visible(animate=False, immediate=True)
            await pilot.pause()
            assert notice in str(widget.render())
            assert widget.region.height >= 1
            assert not widget.region.overlaps(footer.region)
            assert widget.region.bottom <= footer.region.y
