"""Every screen wraps Chinese text by its rules: no line starts with closing punctuation, numbers stay whole."""

from __future__ import annotations

import datetime as _dt
import itertools

import pytest
from textual.geometry import Region
from textual.widgets import Static

from kiosk.ui.screens.idle import IdleWarningScreen
from ui.helpers import make_app

CLOSING = "。，、；：？！）」』】"


def rendered_lines(screen) -> list[str]:
    """The text lines every Static on `screen` draws at its present size."""
    out = []
    for widget in screen.query(Static):
        width, height = widget.size
        if width and height:
            out += [strip.text.strip() for strip in widget.render_lines(Region(0, 0, width, height))]
    return out


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 40)])
async def test_the_number_check_verdict_breaks_lines_by_the_chinese_rules(size):
    app = make_app("zh-CN")
    async with app.run_test(size=size) as pilot:
        await pilot.press("6")
        await pilot.pause()
        await pilot.click("#context-incoming_call")
        for key in "+864006700700":
            await pilot.press(key)
        await pilot.press("enter")
        for _ in range(4):
            await pilot.pause()
        lines = [line for line in rendered_lines(app.screen) if line]
        assert any("400" in line for line in lines)
        for line in lines:
            assert line[:1] not in CLOSING, line
        for before, after in itertools.pairwise(lines):
            assert not (before.endswith("+86") and after.startswith("开头")), (before, after)
            assert not (before.endswith("400") and after.startswith("号码")), (before, after)


async def test_the_idle_countdown_keeps_its_number_with_its_unit():
    app = make_app("zh-CN", idle_timeout=90, idle_warning=30)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right")
        app.clock.advance(_dt.timedelta(seconds=92))
        app.check_customer_idle()
        for _ in range(4):
            await pilot.pause()
        assert isinstance(app.screen, IdleWarningScreen)
        lines = [line for line in rendered_lines(app.screen) if line]
        countdown = next(line for line in lines if "秒" in line)
        assert "28 秒" in countdown, lines
