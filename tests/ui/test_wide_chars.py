"""Double-width text on a layer above other widgets reaches the terminal whole, in full and partial updates."""

from __future__ import annotations

import io

import pyte
import pytest
from rich.console import Console
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from kiosk.ui import wide_chars

pytestmark = pytest.mark.slow

WARNING = "本次服务即将达到时间上限，很快会结束。"
LATER = "请重新连接继续，谢谢您的耐心。"


class Overlaid(App[None]):
    """Three narrow columns (each edge a cut on every line) and a text box floating above them."""

    CSS = """
    Screen { layers: below above; }
    Horizontal { layer: below; }
    #left { width: 7; } #middle { width: 9; } #right { width: 1fr; }
    #box { layer: above; offset: 2 3; width: 40; height: 3; background: darkred; }
    """

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static("ab" * 40, id="left")
            yield Static("cd" * 50, id="middle")
            yield Static("ef" * 250, id="right")
        # Starts at column 2: every character's halves sit at columns (2+2n, 3+2n), so the
        # edges at 7 and 16 fall inside a character.
        yield Static(WARNING, id="box")


def screen_text(app: App) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def terminal_after(first: str, *updates: str, width: int = 60, height: int = 10) -> list[str]:
    screen = pyte.Screen(width, height)
    stream = pyte.Stream(screen)
    for data in (first, *updates):
        stream.feed(data)
    return ["".join(screen.buffer[y][x].data for x in range(width)) for y in range(height)]


def rendered(update: object, width: int = 60) -> str:
    console = Console(file=io.StringIO(), width=width, force_terminal=True, color_system="truecolor")
    return update.render_segments(console)  # type: ignore[attr-defined]


async def test_text_over_widget_edges_keeps_every_character():
    wide_chars.apply()
    app = Overlaid()
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        assert WARNING in screen_text(app)


async def test_a_partial_update_of_the_floating_box_keeps_every_character():
    wide_chars.apply()
    app = Overlaid()
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        compositor = app.screen._compositor
        full = rendered(compositor.render_full_update())
        box = app.query_one("#box", Static)
        box.update(LATER)
        await pilot.pause()
        # What the screen was about to send: every dirty piece, as the terminal gets it.
        compositor._dirty_regions.add(box.region)
        partial = compositor.render_partial_update()
        assert partial is not None
        lines = terminal_after(full, rendered(partial))
        assert LATER in lines[3].replace("\x00", "")
        assert "efef" in lines[3]  # what lies beside the box is still drawn


def test_the_pinned_textual_gets_the_fix():
    from textual._compositor import Compositor

    import kiosk.ui.app  # noqa: F401  (applies it)

    assert Compositor._render_chops is wide_chars._render_chops
    assert Compositor.render_partial_update is wide_chars._render_partial_update


def test_a_different_compositor_is_left_alone(monkeypatch):
    from textual._compositor import Compositor

    monkeypatch.setattr(wide_chars, "_applied", False)
    monkeypatch.setitem(wide_chars._EXPECTED, "_render_chops", "000000000000")
    original = Compositor._render_chops
    assert wide_chars.apply() is False
    assert Compositor._render_chops is original
