"""Kiosk profile: nothing a customer does leaves the app; idle clears everything; staff need the PIN."""

from __future__ import annotations

import datetime as _dt
import logging

import pytest
from textual.widgets import Input, OptionList

from kiosk import config, exitcodes
from kiosk.session import Session
from kiosk.ui.screens.checklist import ChecklistScreen
from kiosk.ui.screens.guide import GuideScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.idle import IdleWarningScreen
from kiosk.ui.screens.staff import StaffPinScreen, StaffScreen
from kiosk.ui.screens.wallet import WalletScreen
from ui.helpers import make_app, screen_text

FORBIDDEN_KEYS = [
    "ctrl+c",
    "ctrl+q",
    "ctrl+z",
    "ctrl+backslash",
    "ctrl+p",
    "ctrl+d",
    "ctrl+s",
    "ctrl+x",
    "ctrl+v",
    "f1",
    "f2",
    "f5",
    "f10",
    "f12",
    "escape",
    "alt+f4",
    "ctrl+alt+delete",
    "super+q",
    "ctrl+shift+c",
]


async def advance(pilot, seconds: float) -> None:
    """Move the kiosk's clock on and let its idle check run, as the one-second timer would."""
    app = pilot.app
    app.clock.advance(_dt.timedelta(seconds=seconds))
    app.check_customer_idle()
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("key", FORBIDDEN_KEYS)
async def test_forbidden_keys_do_not_leave_the_kiosk(key, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a screenshot would land here
    opened = []
    monkeypatch.setattr("webbrowser.open", lambda *a, **k: opened.append(a))
    app = make_app("en")
    async with app.run_test(size=(100, 30)) as pilot:
        for where in ("home", "search"):
            if where == "search":
                await pilot.press("slash")
                await pilot.pause()
                await pilot.press("a", "b")
            before = type(app.screen)
            await pilot.press(key)
            await pilot.pause()
            assert app.is_running and app.return_code is None
            assert type(app.screen) is before or key == "escape"
        assert app.clipboard == ""  # nothing copied for the next customer to paste
    assert list(tmp_path.iterdir()) == [] and opened == []


async def test_no_selection_clipboard_url_or_screenshot(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    opened = []
    monkeypatch.setattr("webbrowser.open", lambda *a, **k: opened.append(a))
    app = make_app("en")
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(GuideScreen("alipay", "refund"))
        await pilot.pause()
        await pilot.click("#step-text", times=3)  # a triple click selects text in an ordinary app
        await pilot.pause()
        assert app.screen.get_selected_text() in (None, "")
        app.copy_to_clipboard("secret")
        app.open_url("https://example.com/")
        app.action_screenshot()
        await pilot.pause()
        assert app.clipboard == "" and opened == [] and list(tmp_path.iterdir()) == []


async def test_idle_warning_then_reset_leaves_nothing_of_the_customer():
    app = make_app("zh-CN", idle_timeout=90, idle_warning=30)
    async with app.run_test(size=(100, 30)) as pilot:
        # A customer's visit: English, a search, checklist ticks, a number, a deep guide step.
        await pilot.press("ctrl+l")
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"refund")
        app.session.number_entered = "13800138000"
        await pilot.press("home")
        app.push_screen(ChecklistScreen())
        await pilot.pause()
        await pilot.press("space", "down", "space")
        await pilot.press("home")
        await pilot.press("1")
        await pilot.pause()
        app.push_screen(GuideScreen("alipay", "refund"))
        await pilot.pause()
        await pilot.press("n", "n")
        await pilot.pause()
        old_screens = list(app.screen_stack[1:])
        old_home_widgets = set(app.screen_stack[0].query("*"))
        assert app.session.locale == "en" and app.session.ticked and app.session.search_query == "refund"

        # 89 s of nothing: no warning yet. At 90 s: "Are you still there?" with the countdown.
        await advance(pilot, 89)
        assert not isinstance(app.screen, IdleWarningScreen)
        await advance(pilot, 1)
        assert isinstance(app.screen, IdleWarningScreen)
        assert "In 30 seconds everything from this visit will be cleared" in screen_text(app)
        await advance(pilot, 10)
        assert "In 20 seconds" in screen_text(app)

        # Any key keeps the visit going, exactly where it was.
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, GuideScreen) and app.screen.step == 2

        # Walk away: warning at 90 s, everything cleared at 120 s.
        await advance(pilot, 90)
        assert isinstance(app.screen, IdleWarningScreen)
        await advance(pilot, 30)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen_stack == [app.screen]
        assert app.session == Session(locale="zh-CN")
        assert app.screen.locale == "zh-CN"
        assert not any(screen.is_attached for screen in old_screens)
        # Home is rebuilt: not one widget (scroll position, focus) of the visit is left on it.
        assert set(app.screen.query("*")).isdisjoint(old_home_widgets)

        # Nothing of the visit is reachable: no back history, an empty search, no ticks.
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("slash")
        await pilot.pause()
        assert app.screen.query_one("#query", Input).value == ""
        await pilot.press("home")
        app.push_screen(ChecklistScreen())
        await pilot.pause()
        items = app.screen.query_one("#checklist-items", OptionList)
        assert all(str(items.get_option_at_index(i).prompt).startswith("[ ] ") for i in range(items.option_count))
        assert "0 of" not in screen_text(app) and "已完成 0 /" in screen_text(app)


async def test_an_untouched_kiosk_does_not_nag():
    app = make_app("en", idle_timeout=90, idle_warning=30)
    async with app.run_test(size=(100, 30)) as pilot:
        await advance(pilot, 600)
        assert isinstance(app.screen, HomeScreen)


async def test_end_session_clears_at_once():
    app = make_app("en")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, WalletScreen)
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and len(app.screen_stack) == 1
        assert app.session == Session(locale="en")


async def test_staff_pin_lockout_and_exit_code(caplog):
    caplog.set_level(logging.DEBUG)
    app = make_app("en", staff_pin_hash=config.hash_pin("246803"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, StaffPinScreen)
        for _attempt in range(5):
            await pilot.press(*"11111", "enter")
            await pilot.pause()
        assert "Too many wrong PINs: locked for 5 minutes." in screen_text(app)
        await pilot.press(*"246803", "enter")  # right PIN, but locked
        await pilot.pause()
        assert isinstance(app.screen, StaffPinScreen)
        assert app.screen.query_one("#pin", Input).value == ""

        app.clock.advance(_dt.timedelta(minutes=5, seconds=1))
        await pilot.press(*"246803", "enter")
        await pilot.pause()
        assert isinstance(app.screen, StaffScreen)
        assert "4 packs loaded" in screen_text(app)
        await pilot.click("#staff-exit")
        await pilot.pause()
    assert app.return_code == exitcodes.STAFF_MAINTENANCE
    assert not any("246803" in record.getMessage() for record in caplog.records)


async def test_wrong_pins_count_down():
    app = make_app("en", staff_pin_hash=config.hash_pin("135792"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press(*"0000", "enter")
        await pilot.pause()
        assert "Wrong PIN. 4 attempt(s) left." in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_without_a_pin_there_is_no_way_out():
    app = make_app("en")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press(*"0000", "enter")
        await pilot.pause()
        assert "No staff PIN is set" in screen_text(app)
        assert isinstance(app.screen, StaffPinScreen)


async def test_staff_restart_exit_code():
    app = make_app("en", staff_pin_hash=config.hash_pin("135792"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press(*"135792", "enter")
        await pilot.pause()
        await pilot.click("#staff-restart")
        await pilot.pause()
    assert app.return_code == exitcodes.STAFF_RESTART


async def test_remote_profile_may_quit_and_idles_out_without_staff_access():
    app = make_app("en", profile="remote", idle_timeout=60, idle_warning=20, staff_pin_hash=config.hash_pin("135792"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)  # no staff path over the network
        await pilot.press("1")
        await advance(pilot, 60)
        assert isinstance(app.screen, IdleWarningScreen)
        await advance(pilot, 20)
    assert app.return_code == exitcodes.IDLE_TIMEOUT

    quitter = make_app("en", profile="remote")
    async with quitter.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert quitter.return_code == exitcodes.OK


async def test_staff_notices_are_shown_on_the_home_screen():
    app = make_app("en", notices=("kiosk.toml:3: idle_timeout: 5 is outside 30-3600 seconds",))
    async with app.run_test(size=(100, 30)):
        assert "Staff notice: kiosk.toml:3: idle_timeout" in screen_text(app)


async def test_a_remote_customer_never_sees_staff_notices():
    app = make_app("en", profile="remote", notices=("/etc/wallet-kiosk/kiosk.toml:3: idle_timeout: 5 is outside",))
    async with app.run_test(size=(100, 30)):
        text = screen_text(app)
        assert "Staff notice" not in text and "kiosk.toml" not in text


async def test_pack_order_from_the_operator():
    app = make_app("en", pack_order=("applepay", "wechat"))
    async with app.run_test(size=(100, 30)) as pilot:
        tiles = [t.id for t in app.screen.query("Tile")][:3]
        assert tiles == ["tile-wallet-applepay", "tile-wallet-wechat", "tile-wallet-alipay"]
        await pilot.press("1")
        await pilot.pause()
        assert app.screen.pack_id == "applepay"
