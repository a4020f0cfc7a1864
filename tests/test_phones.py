"""Phone normalisation: the shapes people type and packs write all compare equal."""

import pytest

from kiosk.phones import NumberType, PhoneError, normalise


@pytest.mark.parametrize(
    "raw, national, kind",
    [
        ("95188", "95188", NumberType.SERVICE_95),
        ("９５１８８", "95188", NumberType.SERVICE_95),  # full-width digits
        ("95017", "95017", NumberType.SERVICE_95),
        ("110", "110", NumberType.EMERGENCY),
        ("12363", "12363", NumberType.SHORT_SERVICE),
        ("96110", "96110", NumberType.SERVICE_96),
        ("400-666-8800", "4006668800", NumberType.TOLL_FREE),
        ("+86 400 670 0700", "4006700700", NumberType.TOLL_FREE),
        ("0571-2688 6000", "057126886000", NumberType.LANDLINE),
        ("+86 571 2688 6000", "057126886000", NumberType.LANDLINE),
        ("0086 571 26886000", "057126886000", NumberType.LANDLINE),
        ("+86 (0)571 2688 6000", "057126886000", NumberType.LANDLINE),
        ("0755-83765566", "075583765566", NumberType.LANDLINE),
        ("138 0013 8000", "13800138000", NumberType.MOBILE),
        ("＋８６ １３８００１３８０００", "13800138000", NumberType.MOBILE),
    ],
)
def test_china_numbers_normalise(raw, national, kind):
    number = normalise(raw)
    assert (number.country, number.national, number.type) == ("CN", national, kind)


def test_international_prefix_is_remembered():
    assert normalise("+86 571 2688 6000").international_prefix == "+86"
    assert normalise("0086 571 2688 6000").international_prefix == "0086"
    assert normalise("0571 2688 6000").international_prefix is None


def test_us_numbers():
    number = normalise("(877) 233-8552", "US")
    assert (number.national, number.type, number.e164) == ("8772338552", NumberType.NANP, "+18772338552")
    assert normalise("+1 877 233 8552").country == "US"


def test_tel_uri_dials_short_numbers_as_they_are():
    assert normalise("95188").tel_uri == "tel:95188"
    assert normalise("0571-26886000").tel_uri == "tel:+8657126886000"


@pytest.mark.parametrize(
    "raw, reason",
    [
        ("", "is empty"),
        ("95188 ext 2", "contains 'e'"),
        ("951888888", "5 to 8 digits"),
        ("+44 20 7946 0000", "not one this kiosk knows"),
        ("4006668", "400 and 800 numbers have 10 digits"),
        ("12", "not a mobile number"),
        ("2345", "does not match any mainland China number format"),
    ],
)
def test_invalid_numbers_say_why(raw, reason):
    with pytest.raises(PhoneError) as raised:
        normalise(raw)
    assert reason in str(raised.value)
