"""Is this number official? Every verdict, every pattern and every shape a customer may type."""

from __future__ import annotations

import dataclasses
import json

import pytest
from helpers import run_python
from ui.helpers import bundled_packs

from kiosk.model import PHONE_KINDS, Audience, ChannelKind, Value
from kiosk.numbers import (
    PATTERNS,
    WARNING_PATTERNS,
    Context,
    InvalidReason,
    PatternId,
    VerdictKind,
    check_number,
)

CALL, SMS, ONLINE = Context.INCOMING_CALL, Context.SMS, Context.FOUND_ONLINE


def check(raw: str, context: Context = ONLINE):
    return check_number(raw, context, bundled_packs().packs)


def phone_channels(*, confirmed: bool | None = None):
    """The bundled phone channels; `confirmed` keeps only those of medium or better confidence
    (True) or only the low-confidence ones (False)."""
    return [
        pytest.param(pack.id, channel, id=f"{pack.id}:{channel.id}")
        for pack in bundled_packs().packs
        for channel in pack.channels
        if channel.kind in PHONE_KINDS and (confirmed is None or (channel.confidence != "low") == confirmed)
    ]


# -- official -----------------------------------------------------------------------


def test_the_bundled_packs_have_hotline_regulator_and_police_numbers():
    kinds = {channel.kind for _, channel in (p.values for p in phone_channels())}
    assert kinds == {ChannelKind.HOTLINE, ChannelKind.REGULATOR, ChannelKind.POLICE}


@pytest.mark.parametrize("pack_id, channel", phone_channels(confirmed=True))
def test_every_bundled_phone_number_found_online_is_official(pack_id, channel):
    verdict = check(channel.value.neutral, ONLINE)
    assert verdict.kind is VerdictKind.OFFICIAL
    assert (pack_id, channel.id) in verdict.references
    assert verdict.caveats == ()
    match = next(m for m in verdict.matches if m.channel_id == channel.id)
    assert match.source == channel.source and match.source.startswith(("https://", "http://"))
    assert match.label == channel.label


@pytest.mark.parametrize("pack_id, channel", phone_channels(confirmed=False))
def test_a_bundled_low_confidence_number_is_listed_not_confirmed(pack_id, channel):
    """The kiosk's own packs get no exception: a lead its maintainers could not confirm is never
    called official, and the customer is told why."""
    verdict = check(channel.value.neutral, ONLINE)
    assert verdict.kind is VerdictKind.LISTED
    assert (pack_id, channel.id) in verdict.references


def test_some_bundled_numbers_are_low_confidence():
    assert phone_channels(confirmed=False), "the rule above would test nothing"


@pytest.mark.parametrize(
    "raw, reference",
    [
        ("95188", ("alipay", "hotline-95188")),
        ("95017", ("wechat", "wechatpay-95017")),
        ("12363", ("general", "pboc-12363")),
        ("12378", ("general", "nfra-12378")),
        ("12315", ("general", "samr-12315")),
        ("10086", ("general", "china-mobile-10086")),
    ],
)
@pytest.mark.parametrize("context", [CALL, SMS])
def test_an_official_number_that_contacted_you_comes_with_the_caller_id_caveat(raw, reference, context):
    verdict = check(raw, context)
    assert verdict.kind is VerdictKind.OFFICIAL
    assert reference in verdict.references
    assert verdict.caveat_ids == (PatternId.CALLER_ID,)
    assert verdict.warnings == ()


def test_a_number_shared_by_two_channels_names_both():
    verdict = check("95017", CALL)
    assert verdict.references == (("wechat", "wechatpay-95017"), ("wechat", "wechatpay-95017-merchant"))
    audiences = {m.channel.audience for m in verdict.matches}
    assert audiences == {(Audience.CONSUMER,), (Audience.MERCHANT,)}


def test_matches_carry_the_wallet_name_label_source_and_confidence():
    (match,) = check("95188").matches
    assert match.pack_name["en"] == "Alipay"
    assert "95188" in match.label["en"]
    channel = bundled_packs().get("alipay").channel("hotline-95188")
    assert (match.source, match.confidence, match.verified) == (channel.source, channel.confidence, channel.verified)


# -- input shapes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "057126886000",  # digits
        "0571 2688 6000",  # spaces
        "0571-2688-6000",  # dashes
        "(0571) 2688 6000",  # brackets
        "（0571）26886000",  # full-width brackets
        "+86 571 2688 6000",  # +86
        "+86 (0)571 2688 6000",  # +86 with the trunk 0 in brackets
        "0086 571 2688 6000",  # 0086
        "０５７１２６８８６０００",  # full-width digits
        "０５７１－２６８８　６０００",  # full-width dash and ideographic space
        "＋８６ ５７１ ２６８８ ６０００",  # full-width plus
        "  0571-26886000  ",  # surrounding spaces
    ],
)
def test_every_way_of_writing_a_landline_with_area_code_matches(raw):
    verdict = check(raw, ONLINE)
    assert verdict.kind is VerdictKind.LISTED  # the line's confidence is low
    assert verdict.references == (("alipay", "intl-line"),)
    assert (verdict.number.country, verdict.number.national) == ("CN", "057126886000")


@pytest.mark.parametrize(
    "raw", ["400-670-0700", "400 670 0700", "4006700700", "４００６７００７００", "(400) 670-0700"]
)
def test_every_way_of_writing_a_400_number_matches(raw):
    assert check(raw, ONLINE).references == (("wechat", "tencent-400"),)


def with_us_line() -> tuple:
    """The bundled packs, with Apple Pay also listing an American number (country = "US")."""
    packs = bundled_packs().packs
    apple = next(p for p in packs if p.id == "applepay")
    hotline = next(c for c in apple.channels if c.kind is ChannelKind.HOTLINE)
    us_line = dataclasses.replace(hotline, id="us-line", value=Value("(877) 233-8552"), country="US")
    apple = dataclasses.replace(apple, channels=(*apple.channels, us_line))
    return tuple(apple if p.id == "applepay" else p for p in packs)


@pytest.mark.parametrize("raw", ["(877) 233-8552", "877-233-8552", "+1 877 233 8552", "001 877 233 8552"])
def test_a_us_number_matches_with_or_without_its_country_code(raw):
    verdict = check_number(raw, ONLINE, with_us_line())
    assert verdict.kind is VerdictKind.OFFICIAL
    assert verdict.references == (("applepay", "us-line"),)
    assert verdict.number.country == "US"


def test_ten_digits_are_not_guessed_to_be_american_when_no_pack_lists_them():
    assert check("877-233-8552", ONLINE).kind is VerdictKind.INVALID


@pytest.mark.parametrize("raw", ["138 0013 8000", "138-0013-8000", "13800138000", "１３８００１３８０００"])
def test_a_mobile_number_no_pack_lists_is_unknown(raw):
    verdict = check(raw, CALL)
    assert verdict.kind is VerdictKind.UNKNOWN
    assert verdict.matches == verdict.warnings == verdict.caveats == ()
    assert verdict.number.national == "13800138000"


@pytest.mark.parametrize("context", list(Context))
@pytest.mark.parametrize("raw", ["0755-8376 5566", "95555", "12381", "400-123-4567"])
def test_other_readable_numbers_are_unknown(raw, context):
    verdict = check(raw, context)
    if raw.startswith("400") and context is CALL:
        assert verdict.kind is VerdictKind.WARNING  # a 400 number calling you, even an unknown one
    else:
        assert verdict.kind is VerdictKind.UNKNOWN


def test_ten_unknown_digits_are_not_guessed_to_be_american():
    verdict = check("877 233 0000", ONLINE)
    assert verdict.kind is VerdictKind.INVALID


# -- warnings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, context, expected, references",
    [
        # International prefix on a call or text, even on a domestic service number.
        (
            "+86 4006700700",
            CALL,
            (PatternId.INTERNATIONAL_PREFIX, PatternId.TOLL_FREE_CALLING),
            (("wechat", "tencent-400"),),
        ),
        ("+86 95188", SMS, (PatternId.INTERNATIONAL_PREFIX,), (("alipay", "hotline-95188"),)),
        (
            "0086 95017",
            CALL,
            (PatternId.INTERNATIONAL_PREFIX,),
            (("wechat", "wechatpay-95017"), ("wechat", "wechatpay-95017-merchant")),
        ),
        ("+86 138 0013 8000", CALL, (PatternId.INTERNATIONAL_PREFIX,), ()),
        ("+44 20 7946 0000", CALL, (PatternId.INTERNATIONAL_PREFIX,), ()),
        ("+86 571 2688 6000", CALL, (PatternId.INTERNATIONAL_PREFIX,), (("alipay", "intl-line"),)),
        # 96110 shown with an international prefix is not the real anti-fraud line.
        (
            "+86 96110",
            CALL,
            (PatternId.INTERNATIONAL_PREFIX, PatternId.INTERNATIONAL_96110),
            (("general", "antifraud-96110"),),
        ),
        (
            "+86 571 96110",
            CALL,
            (PatternId.INTERNATIONAL_PREFIX, PatternId.INTERNATIONAL_96110),
            (("general", "antifraud-96110"),),
        ),
        # A number found online with an international prefix, not in any pack.
        ("0086 138 0013 8000", ONLINE, (PatternId.SEARCHED_INTERNATIONAL,), ()),
        ("+44 20 7946 0000", ONLINE, (PatternId.SEARCHED_INTERNATIONAL,), ()),
        # A 400 number calling you, official or not.
        ("400-670-0700", CALL, (PatternId.TOLL_FREE_CALLING,), (("wechat", "tencent-400"),)),
        ("400-666-8800", CALL, (PatternId.TOLL_FREE_CALLING,), (("applepay", "apple-china-hotline"),)),
        ("400-123-4567", CALL, (PatternId.TOLL_FREE_CALLING,), ()),
        # 110 never calls or texts out.
        ("110", CALL, (PatternId.POLICE_110_CALLING,), (("general", "police-110"),)),
        ("110", SMS, (PatternId.POLICE_110_CALLING,), (("general", "police-110"),)),
        # 95 numbers longer than 7 digits, valid or too long to be valid at all.
        ("95188123", CALL, (PatternId.LONG_95,), ()),
        ("9518 8123", ONLINE, (PatternId.LONG_95,), ()),
        ("95188 1234 5678", SMS, (PatternId.LONG_95,), ()),
        ("+86 951881234567", CALL, (PatternId.INTERNATIONAL_PREFIX, PatternId.LONG_95), ()),
        # 1069 bulk texts.
        ("10690000123", SMS, (PatternId.BULK_SMS_1069,), ()),
        ("1069 5555 0000 1234", SMS, (PatternId.BULK_SMS_1069,), ()),
    ],
)
def test_each_warning_pattern(raw, context, expected, references):
    verdict = check(raw, context)
    assert verdict.kind is VerdictKind.WARNING
    assert verdict.warning_ids == expected
    assert verdict.references == references
    assert verdict.caveats == ()


def test_a_400_number_found_online_or_texting_is_not_the_calling_pattern():
    assert check("400-670-0700", ONLINE).kind is VerdictKind.LISTED  # listed with low confidence
    assert check("400-670-0700", SMS).warning_ids == ()


def test_110_found_online_is_the_police_line():
    verdict = check("110", ONLINE)
    assert verdict.kind is VerdictKind.OFFICIAL
    assert verdict.references == (("general", "police-110"),)


def test_a_95_number_of_seven_digits_or_fewer_is_not_flagged_for_length():
    assert check("9555888", CALL).kind is VerdictKind.UNKNOWN
    assert check("95188", CALL).kind is VerdictKind.OFFICIAL


def test_the_international_prefix_is_reported_as_shown():
    assert check("+86 4006700700", CALL).international_prefix == "+86"
    assert check("0086 4006700700", CALL).international_prefix == "0086"
    assert check("+44 20 7946 0000", CALL).international_prefix == "+"
    assert check("4006700700", CALL).international_prefix is None


# -- 96110 ----------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["96110", "0571 96110", "0571-96110", "010 96110", "０２１９６１１０"])
def test_96110_calling_is_the_anti_fraud_line_to_answer(raw):
    verdict = check(raw, CALL)
    assert verdict.kind is VerdictKind.OFFICIAL
    assert verdict.references == (("general", "antifraud-96110"),)
    assert verdict.caveat_ids == (PatternId.ANSWER_96110,)


def test_96110_texting_gets_the_ordinary_caveat():
    assert check("96110", SMS).caveat_ids == (PatternId.CALLER_ID,)


# -- invalid ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, code, reason",
    [
        ("", InvalidReason.EMPTY, "is empty"),
        ("   - ", InvalidReason.EMPTY, "is empty"),
        ("95188 ext 2", InvalidReason.CHARACTERS, "contains 'e'"),
        ("12+3", InvalidReason.CHARACTERS, "contains '+'"),
        ("+44 20", InvalidReason.COUNTRY, "not one this kiosk knows"),
        ("12", InvalidReason.FORMAT, "not a mobile number"),
        ("2345", InvalidReason.FORMAT, "does not match any mainland China number format"),
        ("4006668", InvalidReason.FORMAT, "400 and 800 numbers have 10 digits"),
        ("9518", InvalidReason.FORMAT, "numbers starting 95 have 5 to 8 digits"),
    ],
)
@pytest.mark.parametrize("context", list(Context))
def test_unreadable_input_is_invalid_with_the_plain_reason(raw, code, reason, context):
    verdict = check(raw, context)
    assert verdict.kind is VerdictKind.INVALID
    assert verdict.reason_code is code
    assert reason in verdict.reason
    assert verdict.number is None and verdict.matches == ()


def test_context_may_be_given_as_its_string_value():
    assert check_number("95188", "incoming_call", bundled_packs().packs).caveat_ids == (PatternId.CALLER_ID,)
    with pytest.raises(ValueError):
        check_number("95188", "carrier pigeon", bundled_packs().packs)


def test_without_packs_nothing_is_official():
    assert check_number("95188", ONLINE, ()).kind is VerdictKind.UNKNOWN
    assert check_number("110", CALL, ()).warning_ids == (PatternId.POLICE_110_CALLING,)


# -- patterns and privacy ---------------------------------------------------------------


def test_every_pattern_has_web_sources_that_the_bundled_packs_cite():
    cited = set()
    for pack in bundled_packs().packs:
        cited |= {source.url for channel in pack.channels for source in channel.all_sources}
        cited |= {source.url for scam in pack.scams for source in scam.sources}
    assert set(PATTERNS) == set(PatternId)
    for pattern in PATTERNS.values():
        assert pattern.sources
        for url in pattern.sources:
            assert url.startswith(("https://", "http://")), url
            assert url in cited, f"{pattern.id} cites {url}, which no bundled pack cites"


def test_every_pattern_names_an_existing_general_scam_warning():
    general = bundled_packs().general
    scam_ids = {scam.id for scam in general.scams}
    for pattern in PATTERNS.values():
        if pattern.id in WARNING_PATTERNS:
            assert pattern.scam is not None, pattern.id
        if pattern.scam is not None:
            owner, _, scam_id = pattern.scam.partition(":")
            assert owner == "general" and scam_id in scam_ids, pattern.scam


@pytest.mark.parametrize("raw", ["  138-0013-8000 ", "１３８ ００１３ ８０００", "12+3"])
def test_the_verdict_does_not_keep_the_text_as_typed(raw):
    verdict = check(raw, CALL)
    assert raw not in repr(verdict)
    assert raw.strip() not in repr(verdict)


def test_checking_a_number_imports_no_ui_and_writes_nothing(tmp_path):
    result = run_python(
        """
        import json, logging, sys
        records = []
        class Catch(logging.Handler):
            def emit(self, record):
                records.append(record.getMessage())
        logging.basicConfig(level=logging.DEBUG, handlers=[Catch()])
        from kiosk.numbers import check_number
        from kiosk.discovery import load_packs; from kiosk.packset import Selection
        packs = load_packs(selection=Selection(allow=frozenset()), local_dir=None).packs
        verdict = check_number("138 0013 8000", "incoming_call", packs)
        print(json.dumps({"kind": str(verdict.kind), "records": records,
                          "ui": sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))}))
        """,
        env_extra={"HOME": str(tmp_path), "TMPDIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["kind"] == "unknown"
    assert out["ui"] == []
    assert not [r for r in out["records"] if "138" in r]
    assert list(tmp_path.rglob("*")) == []
    assert result.stderr == ""


# -- the rule table -------------------------------------------------------------------------


def test_every_pattern_has_exactly_one_rule_and_its_words():
    from kiosk.i18n import CATALOG
    from kiosk.numbers import RULES

    assert sorted(rule.pattern.id for rule in RULES) == sorted(PatternId)
    assert [key for key in (f"number.pattern.{p}" for p in PatternId) if key not in CATALOG] == []


def test_a_verdict_lists_its_findings_in_the_order_of_the_rule_table():
    from kiosk.numbers import RULES

    order = [rule.pattern.id for rule in RULES]
    verdict = check("+86 96110", CALL)
    assert len(verdict.warning_ids) > 1
    assert list(verdict.warning_ids) == sorted(verdict.warning_ids, key=order.index)
