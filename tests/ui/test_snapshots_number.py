"""The number check screen empty and with each kind of verdict, in both languages, fixed clock, no blinking."""

from __future__ import annotations

import pytest

from ui.helpers import make_app

LOCALES = ["zh-CN", "en"]

#: State name -> (what the customer types, how it reached them); None leaves the screen empty.
STATES = {
    "empty": None,
    "official": ("95188", "incoming_call"),
    "warning": ("400-670-0700", "incoming_call"),
    "unknown": ("138 0013 8000", "found_online"),
}


def _number_check(state):
    async def run_before(pilot) -> None:
        from kiosk.ui.screens.number_check import NumberCheckScreen

        pilot.app.push_screen(NumberCheckScreen())
        await pilot.pause()
        if state is not None:
            number, context = state
            await pilot.click(f"#context-{context}")
            await pilot.press(*number, "enter")
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("state", list(STATES))
def test_number_check(snap_compare, state, locale):
    assert snap_compare(make_app(locale), terminal_size=(80, 24), run_before=_number_check(STATES[state]))


@pytest.mark.parametrize("locale", LOCALES)
def test_number_check_official_large(snap_compare, locale):
    assert snap_compare(make_app(locale), terminal_size=(120, 40), run_before=_number_check(STATES["official"]))
