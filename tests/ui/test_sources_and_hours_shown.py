"""What a customer sees of a fact's source and of hours: kinds and dates in their language, honest hours."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import re

import pytest
from helpers import channel_of, pack_of

from kiosk.branch_hours import BranchHours, apply_branch_hours
from kiosk.model import Confidence, DaySelector, Interval, Rule, Schedule, Source, SourceKind
from kiosk.packset import PackSet
from kiosk.source_text import describe_source
from kiosk.ui.screens.channel import ChannelScreen
from kiosk.ui.screens.guide import GuideScreen
from kiosk.ui.widgets.channel_card import ChannelCard
from ui.helpers import SHANGHAI, bundled_packs, make_app, screen_text

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def card(app, channel_id: str) -> str:
    return next(str(c.render()) for c in app.screen.query(ChannelCard) if c.channel.id == channel_id)


def with_channel(pack_id: str, channel_id: str, **changes) -> PackSet:
    packs = []
    for pack in bundled_packs().packs:
        if pack.id == pack_id:
            channels = tuple(dataclasses.replace(c, **changes) if c.id == channel_id else c for c in pack.channels)
            pack = dataclasses.replace(pack, channels=channels)
        packs.append(pack)
    return PackSet(packs=tuple(packs))


async def test_channel_card_names_the_kind_of_source_and_the_date_not_the_address():
    app = make_app("zh-CN")
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(ChannelScreen("wechat", "wechatpay-95017"))
        await pilot.pause()
        shown = card(app, "wechatpay-95017")
        assert "来源：官方网站 · 2026-11-23 核实 · 可信度高" in shown
        assert "http" not in shown and "high" not in shown
        # The address is still there, on the detail screen, beneath the kind.
        text = screen_text(app)
        assert "网址：https://pay.weixin.qq.com/static/help_guide/help_index.shtml" in text


async def test_channel_detail_lists_every_source_most_trusted_first_in_english():
    app = make_app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(ChannelScreen("alipay", "hotline-95188"))
        await pilot.pause()
        sources = [str(w.render()) for w in app.screen.query(".source")]
        channel = app.packs.get("alipay").channel("hotline-95188")
        ranked = sorted(channel.all_sources, key=lambda source: source.kind, reverse=True)
        assert len(sources) == len(ranked) > 1
        for shown, source in zip(sources, ranked, strict=True):
            assert shown.startswith(describe_source(source, "en")) and f"Address: {source.url}" in shown
        assert ranked[0].kind > ranked[-1].kind


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
async def test_guide_source_line_is_in_the_customers_language_without_addresses(locale):
    app = make_app(locale)
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(GuideScreen("wechat", "forgot-payment-password"))
        await pilot.pause()
        [line] = [str(w.render()) for w in app.screen.query(".source")]
        assert "http" not in line and "(2026" not in line
        if locale == "zh-CN":
            assert line.startswith("资料来源：") and not LATIN_WORD.search(line), line
        else:
            assert line.startswith("Sources: ") and "confidence" in line


async def test_number_check_shows_the_source_kind_of_the_match():
    from kiosk.ui.screens.number_check import NumberCheckScreen

    app = make_app("zh-CN")
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(NumberCheckScreen())
        await pilot.pause()
        await pilot.click("#context-incoming_call")
        app.screen.query_one("#number-input").focus()
        await pilot.press(*"95017", "enter")
        await pilot.pause()
        text = "\n".join(str(w.render()) for w in app.screen.query(".number-match"))
        assert "来源：官方网站 · 2026-11-23 核实 · 可信度高" in text
        assert "http" not in text


async def test_unknown_hours_suggest_calling_only_numbers():
    app = make_app("zh-CN")
    async with app.run_test(size=(120, 60)) as pilot:
        from kiosk.ui.screens.wallet import WalletScreen

        app.push_screen(WalletScreen("wechat"))
        await pilot.pause()
        assert "服务时间未确认，请致电确认" in card(app, "wechatpay-95017")
        in_app = card(app, "wechat-in-app-help")
        assert "服务时间未确认" in in_app and "致电" not in in_app


async def test_the_schedule_note_is_shown_with_the_hours_and_closed_reads_as_outside_service_hours():
    early = _dt.datetime(2026, 11, 23, 7, 30, tzinfo=SHANGHAI)
    app = make_app("zh-CN", when=early)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(ChannelScreen("wechat", "wechatpay-95017-merchant"))
        await pilot.pause()
        shown = card(app, "wechatpay-95017-merchant")
        assert "○ 人工: 非服务时间 · 今天 09:00 开始服务" in shown
        assert "已关闭" not in shown
        note = app.packs.get("wechat").channel("wechatpay-95017-merchant").hours.note
        flat = lambda text: "".join(text.split())  # noqa: E731  (the card wraps the note)
        assert note is not None and flat(note["zh-CN"]) in flat(shown)


REPORTED = Schedule(
    rules=(Rule((DaySelector.EVERYDAY,), (Interval(8 * 60, 24 * 60),)),),
    reported=True,
    source=Source(
        url="https://example.com/travel-notes",
        verified=_dt.date(2026, 11, 23),
        confidence=Confidence.LOW,
        kind=SourceKind.OTHER,
    ),
)


@pytest.mark.parametrize(
    "locale, expected",
    [("zh-CN", "? 人工: 据报 08:00–24:00，未确认"), ("en", "? Agents: Hours reportedly 08:00–24:00, not confirmed")],
)
async def test_reported_hours_are_shown_as_reported_and_never_as_open(locale, expected):
    packs = with_channel("alipay", "intl-line", hours=REPORTED)
    app = make_app(locale, packs=packs)  # Monday 10:30: inside the reported hours
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(ChannelScreen("alipay", "intl-line"))
        await pilot.pause()
        shown = card(app, "intl-line")
        assert expected in shown
        assert "营业中" not in shown and "Open now" not in shown


async def test_hours_set_by_the_branch_name_the_branch():
    general = pack_of(bundled_packs(), "general")
    hours = Schedule(
        calendar="cn-mainland",
        rules=(Rule((DaySelector.WORKDAY,), (Interval(8 * 60 + 30, 11 * 60 + 30), Interval(14 * 60, 17 * 60 + 30))),),
    )
    packs, problems = apply_branch_hours(bundled_packs().packs, [BranchHours("general:pboc-12363", hours)], "西宁支行")
    assert problems == () and channel_of(general, "pboc-12363").hours.set_by_branch is None
    app = make_app("zh-CN", packs=PackSet(packs=packs))
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(ChannelScreen("general", "pboc-12363"))
        await pilot.pause()
        shown = card(app, "pboc-12363")
        assert "● 人工: 营业中 · 11:30 结束" in shown
        assert "服务时间由本网点（西宁支行）提供" in shown
