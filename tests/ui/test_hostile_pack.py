"""Pack text is shown inert: no markup is interpreted, no control sequence reaches the terminal."""

from __future__ import annotations

import dataclasses
import datetime as _dt

from textual.widgets import OptionList

from kiosk.model import (
    Category,
    Channel,
    ChannelKind,
    Confidence,
    Guide,
    Manifest,
    Pack,
    Schedule,
    Source,
    Step,
    Text,
    Value,
)
from kiosk.packset import PackSet
from kiosk.ui.screens.guide import GuideScreen
from kiosk.ui.screens.wallet import WalletScreen
from ui.helpers import bundled_packs, make_app, screen_text

MARKUP = "[@click=app.quit]Tap me[/] [bold red]LOUD[/]"
OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"  # a clipboard write
CLEAR = "\x1b[2J\x9b2J"  # clear screen, 7-bit and 8-bit CSI
BIDI = "\u202e8819 5"  # a right-to-left override that would flip a number


def hostile(text: str) -> Text:
    return Text({"zh-CN": text, "en": text})


def hostile_pack() -> Pack:
    """Built directly, bypassing the validator, to prove the UI defends itself too."""
    source = Source("https://example.com/", _dt.date(2026, 11, 1), Confidence.LOW)
    channel = Channel(
        id="evil",
        kind=ChannelKind.HOTLINE,
        label=hostile(f"Hotline {MARKUP}"),
        value=Value(f"95188{OSC52}"),
        purpose=hostile(f"Purpose {CLEAR}"),
        source="https://example.com/",
        verified=_dt.date(2026, 11, 1),
        confidence=Confidence.LOW,
        hours=Schedule.unknown(),
        note=hostile(f"Note {BIDI}"),
    )
    guide = Guide(
        id="evil-guide",
        category=Category.PASSWORD,
        title=hostile(f"Title {MARKUP}"),
        summary=hostile(f"Summary {OSC52}"),
        steps=(Step(text=hostile(f"Step {MARKUP}{CLEAR}"), channel="evil"),),
        sources=(source,),
        escalate=("evil",),
    )
    manifest = Manifest(
        id="evil",
        name=hostile(f"Evil {MARKUP}"),
        summary=hostile(f"Sum {OSC52}"),
        brand_colour="#FF0000",
        version="1.0.0",
        locales=("zh-CN", "en"),
    )
    return Pack(format=1, pack=manifest, channels=(channel,), guides=(guide,))


def packs_with_hostile() -> PackSet:
    return dataclasses.replace(bundled_packs(), packs=(*bundled_packs().packs, hostile_pack()))


def assert_inert(text: str) -> None:
    assert "\x1b" not in text and "\x9b" not in text and "\u202e" not in text and "\x07" not in text
    assert "[@click=app.quit]Tap me[/]" in text  # shown literally, not interpreted


async def test_hostile_text_is_shown_literally_and_without_control_characters():
    app = make_app("en", packs=packs_with_hostile())
    async with app.run_test(size=(120, 40)) as pilot:
        assert_inert(screen_text(app))  # the "all wallets" tile names the pack
        app.screen.query_one("#tile-wallets")
        featured = make_app("en", packs=packs_with_hostile(), pack_order=["evil"])  # the operator puts it first
    async with featured.run_test(size=(120, 40)) as pilot:
        app = featured
        assert_inert(screen_text(app))  # its own tile shows the pack name
        await pilot.click("#tile-wallet-evil")
        await pilot.pause()
        assert isinstance(app.screen, WalletScreen)
        text = screen_text(app)
        assert_inert(text)
        assert "95188\ufffd]52;c;cm0gLXJmIH4=\ufffd" in text  # neutralised, still visible to staff
        app.push_screen(GuideScreen("evil", "evil-guide"))
        await pilot.pause()
        assert_inert(screen_text(app))
        # Clicking the would-be action link does nothing: the app keeps running.
        await pilot.click("#step-text")
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, GuideScreen)


async def test_hostile_titles_in_option_lists_are_plain():
    app = make_app("en", packs=packs_with_hostile())
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(WalletScreen("evil"))
        await pilot.pause()
        guides = app.screen.query_one("#guides", OptionList)
        prompts = [str(guides.get_option_at_index(i).prompt) for i in range(guides.option_count)]
        assert any("Title [@click=app.quit]Tap me[/]" in p for p in prompts)


def test_rendered_screenshot_carries_no_injected_sequences():
    """The whole screen as the terminal would draw it holds no OSC, CSI or bidi from the pack."""
    import asyncio

    async def run() -> str:
        app = make_app("en", packs=packs_with_hostile())
        async with app.run_test(size=(120, 40)) as pilot:
            app.push_screen(GuideScreen("evil", "evil-guide"))
            await pilot.pause()
            return app.export_screenshot()

    svg = asyncio.run(run())
    assert "]52;" not in svg.replace("\ufffd]52;", "")
    assert "\x1b" not in svg and "\u202e" not in svg
