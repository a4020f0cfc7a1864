"""Line breaking for Chinese and English: where lines may break, what stays together."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from kiosk.linebreak import divide_line

CLOSING = "。，、；：？！）」』】"

SENTENCES = [
    "号码以 +86 开头。从境外打来的电话必须显示“00”或“+”，运营商不能去掉。"
    "如果你在境外没有亲友或业务往来，这样的来电或短信多半是诈骗，"
    "哪怕后面的号码看起来像国内客服。",
    "400 号码打给你要当心：大公司的 400 号码一般只接听、不外呼，来电显示也可以伪造。挂断，自己拨打官方号码核实。",
    "据报道，这是 Apple 2024 年对被盗设备的建议：小偷会利用锁屏上的联系方式骗你；请先把手机设为丢失模式（“查找”）。",
    "18 秒后将清除本次使用的所有内容，回到首页。按任意键或点击「继续使用」。",
    "Alipay's English line: inside China dial 0571-2688 6000, from abroad +86 571 2688 6000.",
    "第 1 步，共 6 步：打开微信，点「我」→「服务」→「钱包」→「支付设置」，再点「忘记支付密码」。",
]


def lines_of(text: str, width: int) -> list[str]:
    offsets = [0, *divide_line(text, width, measure=cell_len), len(text)]
    return [text[a:b].rstrip(" ") for a, b in itertools.pairwise(offsets)]


@pytest.mark.parametrize("width", [12, 17, 20, 23, 30, 38, 41, 57, 60, 78, 97])
@pytest.mark.parametrize("text", SENTENCES)
def test_lines_fit_and_no_line_starts_with_closing_punctuation(text, width):
    lines = lines_of(text, width)
    assert "".join(line for line in lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        assert cell_len(line) <= width, line
    for line in lines[1:]:
        assert line[:1] not in CLOSING, lines


@pytest.mark.parametrize("width", [17, 20, 23, 30, 38, 41, 57, 60])
@pytest.mark.parametrize(
    "text, whole",
    [
        (SENTENCES[0], "+86"),
        (SENTENCES[2], "2024 年"),
        (SENTENCES[3], "18 秒"),
        (SENTENCES[4], "0571-2688 6000"),
        (SENTENCES[4], "+86 571 2688 6000"),
        (SENTENCES[5], "1 步"),
        (SENTENCES[5], "6 步"),
    ],
)
def test_numbers_phone_numbers_and_units_are_never_split(text, whole, width):
    if cell_len(whole) + 1 > width:
        pytest.skip("only a line too narrow for the number itself may cut it")
    assert any(whole in line for line in lines_of(text, width)), lines_of(text, width)


def test_chinese_fills_the_line_instead_of_breaking_after_an_english_word():
    # Breaking only at spaces put "号码以 +86" alone on the first line.
    first, *_ = lines_of(SENTENCES[0], 40)
    assert cell_len(first) >= 38


def test_english_breaks_between_words():
    assert lines_of("Do not call back; use the number shown in the official app.", 20) == [
        "Do not call back;",
        "use the number shown",
        "in the official app.",
    ]


def test_a_piece_longer_than_the_line_is_cut_without_starting_a_line_with_closing_punctuation():
    lines = lines_of("https://chinaoffshore.com.cn/zhzs/202504/1304972.html。", 20)
    assert all(cell_len(line) <= 20 for line in lines)
    assert not lines[-1].startswith("。")


@given(st.text(alphabet="支付宝微信。，（）「」 +0123456789abc-", max_size=80), st.integers(min_value=4, max_value=50))
def test_any_text_is_cut_into_lines_that_fit(text, width):
    for line in lines_of(text, width):
        assert cell_len(line) <= width
