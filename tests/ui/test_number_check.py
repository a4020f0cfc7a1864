"""Is this number official? Typed on a keyboard or tapped on the keypad, checked, and kept nowhere else."""

from __future__ import annotations

import logging
import tempfile

from textual.widgets import Input, RadioSet

from kiosk.session import Session
from kiosk.ui.screens.number_check import NumberCheckScreen
from kiosk.ui.widgets.channel_card import ChannelCard
from ui.helpers import make_app, screen_text


async def open_number_check(pilot) -> NumberCheckScreen:
    await pilot.click("#tile-number")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, NumberCheckScreen)
    return screen


async def tap(pilot, selector: str) -> None:
    pilot.app.screen.query_one(selector).scroll_visible(animate=False)
    await pilot.pause()
    await pilot.click(selector)
    await pilot.pause()


async def tap_keys(pilot, digits: str) -> None:
    for key in digits:
        await tap(pilot, "#key-plus" if key == "+" else f"#key-{key}")


def verdict_text(app) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query("#number-result Static"))


async def test_a_number_typed_on_the_keyboard_that_called_is_official_with_the_caller_id_caveat():
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_number_check(pilot)
        assert app.focused is screen.query_one("#number-input", Input)
        await pilot.press(*"9518 8")
        await tap(pilot, "#context-incoming_call")
        await pilot.press("enter")
        await pilot.pause()
        text = verdict_text(app)
        assert "This is an official number" in text
        assert "Alipay · Alipay customer service hotline 95188" in text
        assert "Source: news media or institution · checked 2026-11-23 · medium confidence" in text
        assert "Caller ID can be faked: hang up and call the official number yourself." in text
        assert app.session.number_entered == "9518 8"
        assert app.session.number_context == "incoming_call"


async def test_a_number_tapped_on_the_keypad_that_called_is_a_400_warning_naming_the_channel():
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_number_check(pilot)
        await tap_keys(pilot, "4006700700")  # two taps in a row on the same key both count
        assert screen.query_one("#number-input", Input).value == "4006700700"
        await tap(pilot, "#context-incoming_call")
        await tap(pilot, "#number-check")
        text = verdict_text(app)
        assert "Be careful: this matches a known scam pattern" in text
        assert "WeChat Pay · Tencent 400 service line" in text
        assert "This listing has low confidence and has not been confirmed." in text
        assert "400 lines normally only take calls and do not call out" in text
        assert "https://www.hengyang.gov.cn/gaj/jqts/20200118/i353033.html" in text


async def test_keypad_plus_delete_and_clear_edit_the_number():
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_number_check(pilot)
        field = screen.query_one("#number-input", Input)
        await tap_keys(pilot, "+861")
        await tap(pilot, "#key-delete")
        assert field.value == "+86"
        await tap(pilot, "#key-clear")
        assert field.value == "" and app.session.number_entered == ""
        await pilot.press(*"11")
        await tap_keys(pilot, "0")
        assert field.value == "110"
        assert app.focused is field  # keypad taps leave the typing where it was


async def test_the_field_accepts_only_number_characters_including_full_width_digits():
    app = make_app("zh-CN")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_number_check(pilot)
        field = screen.query_one("#number-input", Input)
        await pilot.press(*"(0571)-2688", "space", *"abc", *"６０００")
        assert field.value == "(0571)-2688 ６０００"
        await pilot.press("enter")
        await pilot.pause()
        text = verdict_text(app)
        assert "本机资料里有这个号码，但未经确认" in text  # the line is listed with low confidence
        assert "支付宝国际服务热线（英文）" in text
        assert "不要回拨。" in text  # it called: use the number in the official app instead


async def test_unknown_number_found_online_says_do_not_dial_it_and_lists_the_alternatives():
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_number_check(pilot)
        await tap(pilot, "#context-found_online")
        await pilot.press(*"138-0013-8000", "enter")
        await pilot.pause()
        assert "not on this kiosk's list of official numbers" in verdict_text(app)
        # Nothing called: "do not call back" would make no sense.
        assert "Do not dial it; use the number shown in the official app." in verdict_text(app)
        assert "call back" not in verdict_text(app)
        cards = {card.reference for card in screen.query(ChannelCard)}
        assert cards == {
            "alipay:hotline-95188",
            "wechat:wechatpay-95017",
            "applepay:apple-china-hotline",
            "general:antifraud-96110",
        }


async def test_110_texting_you_is_a_warning_and_the_scam_warning_opens():
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_number_check(pilot)
        await tap(pilot, "#context-sms")
        await pilot.press(*"110", "enter")
        await pilot.pause()
        assert "110 only takes calls and never calls out" in verdict_text(app)
        await tap(pilot, "#number-result Button")
        assert "Spoofed caller ID" in screen_text(app)


async def test_invalid_input_says_why_in_words():
    app = make_app("zh-CN")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_number_check(pilot)
        await pilot.press(*"2345", "enter")
        await pilot.pause()
        assert "看不出这是一个电话号码" in verdict_text(app)
        assert "手机号 11 位" in verdict_text(app)


async def test_changing_the_number_clears_the_verdict_and_changing_the_context_updates_it():
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_number_check(pilot)
        await pilot.press(*"95017", "enter")
        await pilot.pause()
        assert "Caller ID can be faked" in verdict_text(app)
        await tap(pilot, "#context-found_online")
        assert "This is an official number" in verdict_text(app)
        assert "Caller ID" not in verdict_text(app)
        screen.query_one("#number-input", Input).focus()
        await pilot.press("backspace")
        await pilot.pause()
        assert verdict_text(app) == ""


async def test_a_language_switch_keeps_the_number_the_context_and_the_verdict():
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_number_check(pilot)
        await tap(pilot, "#context-sms")
        await pilot.press(*"+86 95188", "enter")
        await pilot.pause()
        assert "The number starts with +86." in verdict_text(app)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.screen is screen
        assert screen.query_one("#number-input", Input).value == "+86 95188"
        assert screen.query_one(RadioSet).pressed_button.id == "context-sms"
        text = verdict_text(app)
        assert "请当心：这符合常见的诈骗特征" in text
        assert "号码以 +86 开头" in text
        assert "支付宝客服热线 95188" in text
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert "The number starts with +86." in verdict_text(app)


async def test_96110_calling_says_answer_it():
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_number_check(pilot)
        await pilot.press(*"0571 96110", "enter")
        await pilot.pause()
        text = verdict_text(app)
        assert "This is an official number" in text
        assert "If it calls you, answer" in text
        assert "Caller ID can be faked" not in text


# -- privacy ------------------------------------------------------------------------

DISTINCTIVE = "137 2468 1357"
FORMS = [DISTINCTIVE, DISTINCTIVE.replace(" ", ""), "137-2468-1357", "+8613724681357"]


def _isolate_home(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))


async def test_nothing_typed_is_logged_or_written_and_a_reset_forgets_it(tmp_path, monkeypatch, caplog):
    _isolate_home(monkeypatch, tmp_path)
    caplog.set_level(logging.DEBUG)
    for name in list(logging.root.manager.loggerDict):
        caplog.set_level(logging.DEBUG, logger=name)
    app = make_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_number_check(pilot)
        await tap(pilot, "#context-incoming_call")
        await pilot.press(*DISTINCTIVE, "enter")
        await pilot.pause()
        assert "Do not call back" in verdict_text(app)
        await pilot.press("ctrl+l")  # a language switch re-renders from the session
        await pilot.pause()
        # The number lives in the session only, not in the screen's own state.
        assert app.session.number_entered == DISTINCTIVE
        for name, value in vars(screen).items():
            assert DISTINCTIVE.replace(" ", "") not in str(value).replace(" ", ""), name
        await app.reset_session()
        await pilot.pause()
        assert app.session.number_entered == "" and app.session.number_context == Session().number_context
        assert all(DISTINCTIVE not in str(w.render()) for w in app.screen.query("*"))
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.args!r}" for r in caplog.records)
    for form in FORMS:
        assert form not in logged
    written = [path for path in tmp_path.rglob("*") if path.is_file()]
    for path in written:
        data = path.read_bytes()
        for form in FORMS:
            assert form.encode() not in data, path
