"""What goes into take-home QR codes, and how big they are drawn."""

from __future__ import annotations

import dataclasses
import math
import re

import pytest
import segno
import zxingcpp
from helpers import channel_of, guide_of, pack_of, run_python
from PIL import Image
from ui.helpers import bundled_packs

from kiosk.i18n import t
from kiosk.model import PHONE_KINDS, ChannelKind, Value
from kiosk.phones import normalise
from kiosk.qr import (
    BUDGET_VERSION,
    BYTE_BUDGET,
    BYTE_CAPACITY_L,
    ELLIPSIS,
    GUIDE_MAX_VERSION,
    QUIET_ZONE,
    Payload,
    channel_payload,
    compact_height,
    compact_rows,
    fit,
    full_rows,
    guide_payload,
    make_matrix,
)

LOCALES = ["zh-CN", "en"]


def all_channels(kinds):
    return [(p.id, c) for p in bundled_packs().packs for c in p.channels if c.kind in kinds]


def all_guides():
    packs = bundled_packs()
    return [(p, g) for p in packs.packs for g in p.guides]


def size(text: str) -> int:
    return len(text.encode("utf-8"))


def decode_matrix(matrix) -> list[str]:
    scale = 4
    image = Image.new("L", (len(matrix) * scale, len(matrix) * scale), 255)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                image.paste(0, (x * scale, y * scale, x * scale + scale, y * scale + scale))
    return [
        b.text
        for b in zxingcpp.read_barcodes(
            image, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode), try_invert=False
        )
    ]


# -- payloads ------------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("pack_id,channel", all_channels(PHONE_KINDS), ids=lambda v: getattr(v, "id", v))
def test_every_bundled_number_becomes_a_tel_link(pack_id, channel, locale):
    payload = channel_payload(channel, locale)
    assert payload.kind == "tel"
    assert payload.text == normalise(channel.value[locale], channel.country).tel_uri
    assert payload.text.startswith("tel:") and payload.text[4:].lstrip("+").isdigit()
    assert payload.caption == channel.label[locale]


def test_tel_links_for_short_international_and_us_numbers():
    packs = bundled_packs()
    assert channel_payload(channel_of(pack_of(packs, "alipay"), "hotline-95188"), "en").text == "tel:95188"
    assert channel_payload(channel_of(pack_of(packs, "general"), "police-110"), "en").text == "tel:110"
    assert channel_payload(channel_of(pack_of(packs, "alipay"), "intl-line"), "en").text == "tel:+8657126886000"
    us_line = dataclasses.replace(
        channel_of(pack_of(packs, "alipay"), "hotline-95188"), value=Value("(877) 233-8552"), country="US"
    )
    assert channel_payload(us_line, "en").text == "tel:+18772338552"


@pytest.mark.parametrize("pack_id,channel", all_channels({ChannelKind.WEB}), ids=lambda v: getattr(v, "id", v))
def test_web_channels_encode_their_official_https_address(pack_id, channel):
    payload = channel_payload(channel, "zh-CN")
    assert payload.kind == "web"
    assert payload.text == channel.value.neutral
    assert payload.text.startswith("https://")


def test_web_channel_that_is_not_https_is_refused():
    channel = channel_of(pack_of(bundled_packs(), "wechat"), "tencent-kf-web")
    with pytest.raises(ValueError, match="https"):
        channel_payload(dataclasses.replace(channel, value=Value("http://kf.qq.com/")), "en")


def test_email_channel_opens_a_new_mail_and_refuses_extra_headers():
    channel = channel_of(pack_of(bundled_packs(), "applepay"), "apple-phishing-email")
    assert channel_payload(channel, "en").text == "mailto:reportphishing@apple.com"
    with pytest.raises(ValueError):
        channel_payload(dataclasses.replace(channel, value=Value("a@b.com?body=call 123")), "en")


def test_in_app_channel_gives_its_menu_path_in_the_language():
    channel = channel_of(pack_of(bundled_packs(), "alipay"), "complaint-in-app")
    zh = channel_payload(channel, "zh-CN")
    assert zh.kind == "text"
    assert zh.caption == channel.label["zh-CN"]
    # Label and path together would pass the budget, so the path alone is encoded.
    assert zh.text == "我的 → 客服中心 → 投诉与举报"
    assert channel_payload(channel, "en").text == "Me → help centre → Complaints & reports (投诉与举报)"


def test_short_in_app_directions_keep_their_label():
    channel = channel_of(pack_of(bundled_packs(), "applepay"), "apple-support-app")
    short = dataclasses.replace(channel, value=Value({"zh-CN": "App Store 搜索“Apple 支持”", "en": "App Store"}))
    assert channel_payload(short, "zh-CN").text == "Apple 支持 App：App Store 搜索“Apple 支持”"
    assert channel_payload(short, "en").text == "Apple Support app: App Store"


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("pack,guide", all_guides(), ids=lambda v: getattr(v, "id", None))
def test_guide_summary_fits_the_budget_and_keeps_title_and_number(pack, guide, locale):
    packs = bundled_packs()
    payload = guide_payload(pack, guide, locale, others=packs.packs)
    assert payload.kind == "guide"
    sizes = [size(text) for text in payload.texts]
    assert sizes == sorted(sizes, reverse=True) and len(set(sizes)) == len(sizes)
    # The shortest text fits the 80 x 24 budget; none needs more than the largest guide version.
    assert sizes[-1] <= BYTE_BUDGET
    version = segno.make_qr(payload.texts[-1], mode="byte", encoding="utf-8").version
    assert isinstance(version, int) and version <= BUDGET_VERSION  # a str would be a Micro QR version
    assert sizes[0] <= BYTE_CAPACITY_L[GUIDE_MAX_VERSION]
    call = t("qr.guide.call", locale, number=_first_number(packs, pack, guide, locale))
    title = guide.title[locale]
    for text in payload.texts:
        # The number to call is always there, whole, at the end.
        assert text.endswith(" " + call)
        # The title is there whole, or cut with an ellipsis because it alone is too long.
        if title not in text:
            kept = text.split(ELLIPSIS)[0]
            assert title.startswith(kept) and len(kept) >= 8
            assert size(f"{title} {call}") > BYTE_BUDGET


def _first_number(packs, pack, guide, locale):
    for ref in guide.escalate:
        owner, _, cid = ref.rpartition(":")
        channel = channel_of(pack_of(packs, owner) if owner else pack, cid)
        if channel.kind in PHONE_KINDS:
            return channel.value[locale]
    raise AssertionError("every bundled guide escalates to a number")


def numbered_steps(text: str) -> list[tuple[str, str]]:
    """The "N.step" parts of a summary, in order."""
    return re.findall(r"(?:^| )(\d)\.(.+?)(?= \d\.| more in the kiosk| 更多见自助机| Call | 电话 )", text)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("pack,guide", all_guides(), ids=lambda v: getattr(v, "id", None))
def test_guide_summary_carries_its_steps_and_never_cuts_a_word(pack, guide, locale):
    packs = bundled_packs()
    payload = guide_payload(pack, guide, locale, others=packs.packs)
    more = t("qr.guide.more", locale)
    whole = [step.text[locale].strip().rstrip("。.") for step in guide.steps]
    for text in payload.texts:
        steps = numbered_steps(text)
        assert [int(n) for n, _ in steps] == list(range(1, len(steps) + 1))
        # Steps left out are said to be at the kiosk; a complete summary says nothing of the kind.
        # (The smallest text may have room for the title and the number alone.)
        if len(steps) == len(whole):
            assert more not in text
        elif steps:
            assert more in text
        for (n, shown), original in zip(steps, whole, strict=False):
            if shown.endswith(ELLIPSIS):
                kept = shown[: -len(ELLIPSIS)]
                assert original.startswith(kept), (n, shown)
                following = original[len(kept)]
                # Cut where a word ends: a space, punctuation, or a change between Chinese and Latin script.
                assert following in " →、“”‘’「」（）()《》/，。；：！？,;:!?" or (
                    _is_cjk(kept[-1]) != _is_cjk(following)
                ), (n, shown, following)
            else:
                assert shown == original, (n, shown)
    # Where there is room, every step is carried (the longest text has them all, shortened or whole).
    assert len(numbered_steps(payload.text)) == len(guide.steps) or size(payload.text) > 200


def _is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff"


def test_fewer_characters_per_step_before_fewer_steps():
    packs = bundled_packs()
    wechat = pack_of(packs, "wechat")
    guide = guide_of(wechat, "forgot-payment-password")
    texts = guide_payload(wechat, guide, "en", others=packs.packs).texts
    counts = [len(numbered_steps(text)) for text in texts]
    # Longest first: all six steps are kept while they get shorter, and only then do steps go.
    assert counts == sorted(counts, reverse=True)
    assert counts[:4] == [6, 6, 6, 6]
    lengths = [sum(len(step) for _, step in numbered_steps(text)) for text in texts[:4]]
    assert lengths == sorted(lengths, reverse=True)


def test_guide_summary_examples():
    packs = bundled_packs()
    wechat = pack_of(packs, "wechat")
    guide = guide_of(wechat, "forgot-payment-password")
    payload = guide_payload(wechat, guide, "zh-CN", others=packs.packs)
    # The title already names the wallet, so the wallet is not repeated.
    assert payload.text == (
        "忘记微信支付密码 1.打开 我 → 服务 → 钱包 → 支付设置 2.点“忘记支付密码” 3.核对实名信息… "
        "4.填写卡号、姓名… 5.设置新的支付密码… 6.验证不通过或名下没有银行卡… 电话 95017"
    )
    # What an 80 x 24 window draws: version 4 with one row of text beneath.
    assert "忘记微信支付密码 1.打开 我… 更多见自助机 电话 95017" in payload.texts
    assert payload.texts[-1] == "忘记微信支付密码 … 电话 95017"
    alipay = pack_of(packs, "alipay")
    guide = guide_of(alipay, "forgot-payment-password")
    assert guide_payload(alipay, guide, "en", others=packs.packs).texts[-1] == (
        "I forgot my payment password … Call 95188"
    )


def test_guide_summary_numbers_steps_that_fit_and_marks_the_rest():
    packs = bundled_packs()
    alipay = pack_of(packs, "alipay")
    guide = guide_of(alipay, "payment-failed")
    texts = ["Wait, then try again.", "Retry", "Use another card", "Top up", "Ask", "Call"]
    steps = tuple(
        dataclasses.replace(step, text=type(step.text)({"zh-CN": text, "en": text}))
        for step, text in zip(guide.steps, texts, strict=True)
    )
    short_guide = dataclasses.replace(guide, steps=steps)
    pack = dataclasses.replace(alipay, guides=(short_guide,))
    payload = guide_payload(pack, short_guide, "en", others=packs.packs)
    # Everything fits whole at every size but the smallest.
    assert payload.text == (
        "Alipay: My payment failed 1.Wait, then try again 2.Retry 3.Use another card 4.Top up 5.Ask 6.Call Call 95188"
    )
    assert payload.shorter == (
        # A step is shortened at a word boundary, with an ellipsis ...
        "Alipay: My payment failed 1.Wait, then try… 2.Retry 3.Use another card 4.Top up 5.Ask 6.Call Call 95188",
        # ... and once the steps are as short as they go, the later ones are left to the kiosk.
        "Alipay: My payment failed 1.Wait… 2.Retry more in the kiosk Call 95188",
        "My payment failed more in the kiosk Call 95188",
    )
    assert size(payload.texts[-1]) <= BYTE_BUDGET


def test_general_pack_number_needs_the_general_pack():
    packs = bundled_packs()
    apple = pack_of(packs, "applepay")
    guide = guide_of(apple, "transaction-history")  # escalates only to general:nfra-12378
    assert guide_payload(apple, guide, "en", others=packs.packs).text.endswith("Call 12378")
    assert "12378" not in guide_payload(apple, guide, "en").text


@pytest.mark.parametrize(
    "call",
    # Wrong types on purpose: what the type checker would refuse, the module refuses at run time too.
    [
        lambda: channel_payload("tel:110", "en"),  # type: ignore[arg-type]
        lambda: channel_payload({"kind": "hotline", "value": "110"}, "en"),  # type: ignore[arg-type]
        lambda: guide_payload("alipay", "forgot-payment-password", "en"),  # type: ignore[arg-type]
        lambda: guide_payload(pack_of(bundled_packs(), "alipay"), "I typed this", "en"),  # type: ignore[arg-type]
        lambda: guide_payload(
            pack_of(bundled_packs(), "alipay"),
            pack_of(bundled_packs(), "alipay").guides[0],
            "en",
            others=["general"],  # type: ignore[list-item]
        ),
        lambda: make_matrix(b"tel:110"),  # type: ignore[arg-type]
    ],
)
def test_only_pack_model_objects_are_encoded(call):
    with pytest.raises(TypeError):
        call()


def test_guide_must_belong_to_the_pack():
    packs = bundled_packs()
    with pytest.raises(ValueError):
        guide_payload(pack_of(packs, "wechat"), guide_of(pack_of(packs, "alipay"), "lost-phone"), "en")


# -- the matrix ----------------------------------------------------------------------


def test_capacity_table_matches_the_encoder():
    for version, capacity in BYTE_CAPACITY_L.items():
        segno.make_qr(b"\xff" * capacity, error="L", version=version, mode="byte", boost_error=False)
        with pytest.raises(segno.DataOverflowError):
            segno.make_qr(b"\xff" * (capacity + 1), error="L", version=version, mode="byte", boost_error=False)


def test_budget_comes_from_the_80x24_sizing():
    # 24 rows - header - footer - 2 rows of text beneath = 20 rows: version 3 (19 rows) fits, version 4 (21) does not.
    assert (compact_height(3), compact_height(4)) == (19, 21)
    assert (BUDGET_VERSION, BYTE_BUDGET) == (3, 53)


@pytest.mark.parametrize(
    "text",
    ["tel:95188", "https://cshall.alipay.com/hall/index.htm", "支付宝：我忘了支付密码 … 电话 95188", "x" * BYTE_BUDGET],
)
def test_matrix_is_a_regular_qr_code_with_its_quiet_zone(text):
    matrix = make_matrix(text)
    side = len(matrix)
    assert all(len(row) == side for row in matrix)
    version = (side - 2 * QUIET_ZONE - 17) / 4
    assert version == int(version) and version >= 1  # a Micro QR would be 11 to 17 modules plus a 2-module zone
    for band in range(QUIET_ZONE):
        assert not any(matrix[band]) and not any(matrix[-1 - band])
        assert not any(row[band] or row[-1 - band] for row in matrix)
    assert decode_matrix(matrix) == [text]


def test_error_correction_is_raised_as_far_as_the_version_allows():
    code = segno.make_qr("tel:95188", mode="byte", encoding="utf-8")
    assert (code.version, code.error) == (1, "Q")
    assert len(make_matrix("tel:95188")) == 21 + 2 * QUIET_ZONE


def test_chinese_text_is_utf8_not_shift_jis():
    # Every character here is also in Shift_JIS; phones read such codes as UTF-8.
    text = "支付宝 电话 95188"
    assert decode_matrix(make_matrix(text)) == [text]


# -- drawing and layout --------------------------------------------------------------


def test_full_rows_use_two_columns_per_module():
    matrix = make_matrix("tel:95188")
    rows = full_rows(matrix)
    assert len(rows) == len(matrix)
    assert {len(row) for row in rows} == {2 * len(matrix)}
    assert rows[0] == " " * (2 * len(matrix))
    assert rows[QUIET_ZONE].startswith(" " * 2 * QUIET_ZONE + "██" * 7)  # the top-left finder


def test_compact_rows_pair_module_rows_in_half_blocks():
    matrix = [[True, True, False, False], [True, False, True, False], [True, False, True, True]]
    assert compact_rows(matrix) == ["█▀▄ ", "▀ ▀▀"]
    real = make_matrix("tel:95188")
    rows = compact_rows(real)
    assert len(rows) == math.ceil(len(real) / 2)
    assert {len(row) for row in rows} == {len(real)}


@pytest.mark.parametrize(
    "width,height,expected",
    [
        # The QR view's share of an 80x24 terminal: too short for full, compact fits.
        (53, 22, "compact"),
        (80, 24, "compact"),
        # Of a 120x40 terminal: full fits with its text line.
        (80, 38, "full"),
        (120, 40, "full"),
        # A tiny window: nothing fits.
        (26, 10, None),
    ],
)
def test_layout_choice_for_a_phone_number(width, height, expected):
    assert fit(make_matrix("tel:95188"), width, height, 1) == expected


def test_layout_choice_for_a_guide_summary_at_the_budget():
    matrix = make_matrix("x" * BYTE_BUDGET)
    assert len(matrix) == 37
    assert fit(matrix, 53, 22, 2) == "compact"
    assert fit(matrix, 80, 38, 1) == "full"
    assert fit(matrix, 80, 38, 2) == "compact"  # full needs 37 rows plus its text
    assert fit(matrix, 36, 40, 1) is None  # narrower than the code
    assert fit(matrix, 80, 20, 2) is None


def test_payload_is_plain_frozen_data():
    payload = Payload("tel:110", "110")
    with pytest.raises(dataclasses.FrozenInstanceError):
        payload.text = "tel:12345"  # type: ignore[misc]  # read-only on purpose


def test_qr_module_does_not_import_textual():
    result = run_python(
        """
        import json, sys
        import kiosk.qr
        print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))))
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
