"""An unexpected error: the customer reads "sorry, starting again" in both languages, the operator
gets the traceback without local variables, and the kiosk exits for its supervisor (exit 14).

The failure is injected by replacing what the take-home code is made from (tests only); the
installed command's own test of this is tests/test_installed_kiosk.py.
"""

from __future__ import annotations

import pytest

from kiosk import exitcodes
from kiosk.i18n import t
from kiosk.ui.screens.crash import CrashScreen
from kiosk.ui.screens.guide import GuideScreen
from ui.helpers import make_app, screen_text


def break_the_take_home_code(monkeypatch) -> None:
    import kiosk.ui.screens.qr as qr_screen

    def failing(pack, guide, locale, *, others=()):
        pin = "1234"  # a local a crash report must never show
        raise RuntimeError(f"injected failure ({len(pin)} digits)")

    monkeypatch.setattr(qr_screen, "guide_payload", failing)


@pytest.mark.parametrize("profile", ["kiosk", "remote"])
async def test_an_unexpected_error_says_sorry_in_both_languages_and_exits_14(monkeypatch, capfd, profile):
    break_the_take_home_code(monkeypatch)
    app = make_app("en", profile=profile)
    app.crash_screen_seconds = 0.3
    with pytest.raises(RuntimeError, match="injected failure"):  # run_test still tells the test
        async with app.run_test(size=(80, 24)) as pilot:
            app.push_screen(GuideScreen("alipay", "forgot-payment-password"))
            await pilot.pause()
            await pilot.press("s")
            await pilot.pause()
            await pilot.press("t")
            await pilot.pause()
            assert isinstance(app.screen, CrashScreen)
            shown = screen_text(app)
            assert t("crash.sorry", "zh-CN") in shown and t("crash.sorry", "en") in shown
            await pilot.press("ctrl+l", "home", "escape")  # nothing takes the customer anywhere now
            await pilot.pause()
            assert isinstance(app.screen, CrashScreen)
            await pilot.pause(0.6)
    assert app.return_code == exitcodes.UNEXPECTED_ERROR
    log = capfd.readouterr().err  # the operator log's route before a real screen is taken
    assert "the kiosk stopped on an unexpected error" in log and "injected failure (4 digits)" in log
    assert "1234" not in log


async def test_development_mode_keeps_textuals_own_report(monkeypatch):
    break_the_take_home_code(monkeypatch)
    app = make_app("en", profile="development")
    with pytest.raises(RuntimeError, match="injected failure"):
        async with app.run_test(size=(80, 24)) as pilot:
            app.push_screen(GuideScreen("alipay", "forgot-payment-password"))
            await pilot.pause()
            await pilot.press("s", "t")
            await pilot.pause()
    assert app.return_code == 1


def test_the_terminal_input_decoder_is_still_the_one_textual_uses():
    """tolerate_invalid_input works by the name Textual's input thread looks its decoder up by."""
    from textual.drivers.linux_driver import LinuxDriver

    from kiosk.ui.terminal_input import tolerate_invalid_input

    tolerate_invalid_input()
    from textual.drivers import linux_driver

    assert "getincrementaldecoder" in LinuxDriver.run_input_thread.__code__.co_names
    decode = linux_driver.getincrementaldecoder("utf-8")().decode
    assert decode(b"a\xff\x9bb\xe4\xb8") + decode(b"\xad", final=True) == "ab中"


async def test_a_failed_input_thread_says_sorry_too(capfd):
    """Textual's input thread hands the app a traceback to print when it dies; the kiosk logs it instead."""
    app = make_app("zh-CN", profile="kiosk")
    app.crash_screen_seconds = 0.3
    async with app.run_test(size=(80, 24)) as pilot:
        try:
            raise OSError("input/output error (injected)")
        except OSError:
            from rich.traceback import Traceback

            app.call_later(app.panic, Traceback())
        await pilot.pause()
        assert isinstance(app.screen, CrashScreen)
        await pilot.pause(0.6)
    assert app.return_code == exitcodes.UNEXPECTED_ERROR
    log = capfd.readouterr().err
    assert "its terminal input failed" in log and "input/output error (injected)" in log
