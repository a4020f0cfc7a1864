"""QR codes as drawn on screen decode back to what they encode, with a real decoder.

What is decoded is the screen itself: the compositor's final cells, each
painted by its own foreground and background colour and its glyph, with a
margin of whatever surrounds the code on screen (the dark theme background).
Nothing is added, so the quiet zone has to come from the drawing, and the
decoder is not allowed to try inverted colours.
"""

from __future__ import annotations

import pytest
import zxingcpp
from helpers import present
from PIL import Image
from rich.cells import cell_len

from kiosk.i18n import t
from kiosk.ui.screens.qr import QRScreen
from kiosk.ui.widgets.qr import QRCodeView
from ui.helpers import make_app

#: Every code here is drawn from the packs of a first start and of a later one (tests/ui/conftest.py).
pytestmark = pytest.mark.usefixtures("startup_cache")

#: Pixels per terminal cell: cells are about twice as tall as wide.
CELL_W, CELL_H = 4, 8
#: Cells of surrounding screen included around the code.
MARGIN = 3

TARGETS = {
    "channel": lambda: QRScreen.for_channel("alipay", "hotline-95188"),
    "guide": lambda: QRScreen.for_guide("wechat", "forgot-payment-password"),
    "intl-line": lambda: QRScreen.for_channel("alipay", "intl-line"),
    "web": lambda: QRScreen.for_channel("applepay", "find-my-web"),
}
SIZES = {"80x24": ((80, 24), "compact"), "120x40": ((120, 40), "full")}
#: A guide summary uses the room a larger window gives for more of its steps, drawn compact.
GUIDE_STYLES = {"80x24": "compact", "120x40": "compact"}


def screen_cells(app) -> list[list[tuple[str, tuple[int, int, int], tuple[int, int, int]]]]:
    """Every cell on screen as (glyph, foreground RGB, background RGB), from the compositor's final output."""
    rows = []
    for strip in app.screen._compositor.render_strips():
        row = []
        for segment in strip:
            style = segment.style
            fg = style.color.get_truecolor() if style and style.color else None
            bg = style.bgcolor.get_truecolor() if style and style.bgcolor else None
            colours = (tuple(fg) if fg else (255, 255, 255), tuple(bg) if bg else (0, 0, 0))
            for char in segment.text:
                # A double-width character fills its second cell with nothing ("").
                row.append((char, *colours))
                row.extend([("", *colours)] * (cell_len(char) - 1))
        rows.append(row)
    return rows


def paint(cells, x0: int, y0: int, x1: int, y1: int) -> Image.Image:
    """Cells in [x0, x1) x [y0, y1) as pixels: block glyphs by their halves, anything else as background."""
    image = Image.new("RGB", ((x1 - x0) * CELL_W, (y1 - y0) * CELL_H))
    for y in range(y0, y1):
        for x in range(x0, x1):
            glyph, fg, bg = cells[y][x]
            top, bottom = {"█": (fg, fg), "▀": (fg, bg), "▄": (bg, fg)}.get(glyph, (bg, bg))
            px, py = (x - x0) * CELL_W, (y - y0) * CELL_H
            image.paste(top, (px, py, px + CELL_W, py + CELL_H // 2))
            image.paste(bottom, (px, py + CELL_H // 2, px + CELL_W, py + CELL_H))
    return image


def decode(image: Image.Image) -> list[str]:
    found = zxingcpp.read_barcodes(
        image, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode), try_invert=False
    )
    return [barcode.text for barcode in found]


def drawn_code(app) -> tuple[QRCodeView, Image.Image]:
    view = app.screen.query_one(QRCodeView)
    assert view.code_region is not None, "no code drawn"
    code = view.code_region.translate(view.content_region.offset)
    cells = screen_cells(app)
    x0, y0 = max(0, code.x - MARGIN), max(0, code.y - MARGIN)
    x1, y1 = min(len(cells[0]), code.right + MARGIN), min(len(cells), code.bottom + MARGIN)
    return view, paint(cells, x0, y0, x1, y1)


def text_rows(app, view: QRCodeView) -> list[str]:
    region = view.text_region.translate(view.content_region.offset)
    cells = screen_cells(app)
    return ["".join(glyph for glyph, _, _ in cells[y][region.x : region.right]) for y in range(region.y, region.bottom)]


def squeeze(text: str) -> str:
    return "".join(text.split())


async def open_qr(app, pilot, target: str) -> QRScreen:
    app.push_screen(TARGETS[target]())
    await pilot.pause()
    await pilot.pause()
    return app.screen


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("locale", ["zh-CN", "en"])
@pytest.mark.parametrize("target", list(TARGETS))
async def test_code_on_screen_decodes_to_its_payload(target, locale, size):
    terminal, style = SIZES[size]
    app = make_app(locale)
    async with app.run_test(size=terminal) as pilot:
        screen = await open_qr(app, pilot, target)
        view, image = drawn_code(app)
        assert view.drawn == (GUIDE_STYLES[size] if target == "guide" else style)
        assert view.text in screen.payload.texts
        assert decode(image) == [view.text]
        # The encoded text is printed beneath the code, in full.
        assert view.text_region.y >= present(view.code_region).bottom
        assert squeeze("".join(text_rows(app, view))) == squeeze(view.text)


async def test_guide_code_carries_chinese_text_intact():
    app = make_app("zh-CN")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_qr(app, pilot, "guide")
        view, image = drawn_code(app)
        (decoded,) = decode(image)
        assert decoded.startswith("忘记微信支付密码")
        assert decoded.endswith("电话 95017")
        assert decoded == view.text in screen.payload.texts


async def test_quiet_zone_is_drawn_not_borrowed_from_the_theme():
    """The quiet zone is part of the drawing: the code's outer cells are all light."""
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_qr(app, pilot, "channel")
        view = app.screen.query_one(QRCodeView)
        code = view.code_region.translate(view.content_region.offset)
        cells = screen_cells(app)
        white = (255, 255, 255)
        border = [cells[code.y][x] for x in range(code.x, code.right)]
        border += [cells[y][code.x] for y in range(code.y, code.bottom)]
        border += [cells[y][code.right - 1] for y in range(code.y, code.bottom)]
        assert all(glyph == " " and bg == white for glyph, _, bg in border)
        # Just outside the drawing is the dark theme, so a decode proves the drawn quiet zone works.
        _, _, outside = cells[code.y][code.x - 1]
        assert sum(outside) < 3 * 80


@pytest.mark.parametrize("theme", ["textual-light", "kiosk-high-contrast"])
async def test_code_is_painted_the_same_on_every_theme(theme):
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_qr(app, pilot, "guide")
        _, _on_default = drawn_code(app)
        view = app.screen.query_one(QRCodeView)
        code = view.code_region.translate(view.content_region.offset)
        before = [row[code.x : code.right] for row in screen_cells(app)[code.y : code.bottom]]
        app.theme = theme
        await pilot.pause()
        after = [row[code.x : code.right] for row in screen_cells(app)[code.y : code.bottom]]
        assert after == before
        view, image = drawn_code(app)
        assert decode(image) == [view.text]


async def test_code_re_lays_out_when_the_window_changes():
    app = make_app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_qr(app, pilot, "guide")
        view = app.screen.query_one(QRCodeView)
        assert view.drawn == "compact"
        large = view.text
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        view, image = drawn_code(app)
        assert view.drawn == "compact"
        # A smaller window draws a shorter text of the same summary.
        assert len(view.text) < len(large)
        assert decode(image) == [view.text]
        await pilot.resize_terminal(40, 14)
        await pilot.pause()
        assert view.drawn is None
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        view, image = drawn_code(app)
        assert view.drawn == "compact" and view.text == large
        assert decode(image) == [large]


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
async def test_below_the_smallest_size_only_please_enlarge_shows_and_no_code_is_half_drawn(locale):
    from kiosk.ui.screens.base import MIN_SIZE

    app = make_app(locale)
    async with app.run_test(size=(44, 14)) as pilot:
        await open_qr(app, pilot, "guide")
        cells = screen_cells(app)
        shown = squeeze("".join(cell[0] for row in cells for cell in row))
        width, height = MIN_SIZE
        for language in ("zh-CN", "en"):  # both, whatever the kiosk's language
            assert squeeze(t("screen.too_small", language, width=width, height=height)) in shown
        # No code cells painted anywhere: nothing half-drawn a phone might misread.
        painted = {(fg, bg) for row in cells for _, fg, bg in row}
        assert ((0, 0, 0), (255, 255, 255)) not in painted
        assert not decode(paint(cells, 0, 0, len(cells[0]), len(cells)))
        await pilot.resize_terminal(*MIN_SIZE)
        await pilot.pause()
        view = app.screen.query_one(QRCodeView)
        assert view.drawn is not None, "at the smallest supported size the code is drawn"


# -- getting there: keyboard and mouse ------------------------------------------------


async def test_channel_screen_takes_it_home_by_key_and_by_tap():
    from kiosk.ui.screens.channel import ChannelScreen

    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ChannelScreen("alipay", "hotline-95188"))
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, QRScreen)
        _, image = drawn_code(app)
        assert decode(image) == ["tel:95188"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChannelScreen)
        await pilot.click("#take-home")
        await pilot.pause()
        assert isinstance(app.screen, QRScreen)
        assert app.screen.payload.text == "tel:95188"


async def test_guide_offers_the_code_once_the_steps_are_over():
    from kiosk.ui.screens.guide import GuideScreen

    app = make_app("zh-CN")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(GuideScreen("alipay", "forgot-payment-password"))
        await pilot.pause()
        await pilot.press("t")  # not offered while walking the steps
        await pilot.pause()
        assert isinstance(app.screen, GuideScreen)
        assert not app.screen.query("#take-home")
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, QRScreen)
        _, image = drawn_code(app)
        (decoded,) = decode(image)
        assert decoded.startswith("我忘了支付密码 1.打开支付宝") and decoded.endswith("电话 95188")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, GuideScreen) and app.screen.phase == "escalate"
        app.push_screen(GuideScreen("alipay", "forgot-payment-password"))
        await pilot.pause()
        await pilot.press("s")  # solved: the code is offered there too
        await pilot.pause()
        app.screen.query_one("#take-home").scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click("#take-home")
        await pilot.pause()
        assert isinstance(app.screen, QRScreen)
        assert app.screen.guide_id == "forgot-payment-password"


async def test_language_switch_redraws_the_code_in_the_new_language():
    app = make_app("zh-CN")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_qr(app, pilot, "guide")
        _, image = drawn_code(app)
        assert decode(image) == ["忘记微信支付密码 1.打开 我… 更多见自助机 电话 95017"]
        await pilot.press("ctrl+l")
        await pilot.pause()
        view, image = drawn_code(app)
        assert decode(image) == [view.text]
        assert view.text in screen.payload.texts and view.text.endswith("Call 95017")
        assert "Scan with your phone's camera" in str(screen.query_one("#qr-explain").render())


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
async def test_widest_bundled_guide_summaries_fit_compact_at_80x24_and_scan(locale):
    """The summaries that take the most room beneath the code still leave room for it."""
    from kiosk.qr import guide_payload
    from kiosk.textwidth import cell_width
    from ui.helpers import bundled_packs

    packs = bundled_packs()
    guides = [(pack, guide) for pack in packs.wallets for guide in pack.guides]

    def shortest(pack, guide) -> str:
        return guide_payload(pack, guide, locale, others=packs.packs).texts[-1]

    widest = sorted(guides, key=lambda pg: -cell_width(shortest(*pg)))[:3]
    app = make_app(locale)
    async with app.run_test(size=(80, 24)) as pilot:
        for pack, guide in widest:
            app.push_screen(QRScreen.for_guide(pack.id, guide.id))
            await pilot.pause()
            view, image = drawn_code(app)
            assert view.drawn == "compact", guide.id
            assert decode(image) == [view.text], guide.id
            assert squeeze("".join(text_rows(app, view))) == squeeze(view.text)
            app.pop_screen()
            await pilot.pause()


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
@pytest.mark.parametrize(("size", "least_steps"), [((80, 24), 0), ((100, 30), 3), ((120, 40), 6)])
async def test_a_guide_code_carries_as_many_steps_as_the_window_can_show_and_scan(locale, size, least_steps):
    app = make_app(locale)
    async with app.run_test(size=size) as pilot:
        await open_qr(app, pilot, "guide")
        view, image = drawn_code(app)
        (decoded,) = decode(image)
        assert decoded == view.text
        steps = [n for n in range(1, 7) if f"{n}." in decoded]
        assert steps == list(range(1, len(steps) + 1)) and len(steps) >= least_steps, decoded
        if len(steps) < 6 and steps:
            assert t("qr.guide.more", locale) in decoded
