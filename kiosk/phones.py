"""Telephone numbers: normalise what people and packs write into one comparable form.

Accepts digits with spaces, dashes, dots and brackets, full-width digits
(NFKC), and the international prefixes `+` and `00`. Only the number plans
this kiosk needs are known: mainland China (CN) and the North American plan
(US). Anything else is rejected with a reason, not guessed.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass


class PhoneError(ValueError):
    """A value that is not a usable phone number; the message says why in plain words."""


class NumberType(enum.StrEnum):
    EMERGENCY = "emergency"  # 110, 119, 120, 122
    SHORT_SERVICE = "short_service"  # 5-digit public service numbers: 12315, 12363, 10086 ...
    SERVICE_95 = "service_95"  # 95xxx(x) company numbers: 95188, 95017
    SERVICE_96 = "service_96"  # 96xxx public numbers: 96110
    TOLL_FREE = "toll_free"  # 400 / 800 national numbers
    MOBILE = "mobile"
    LANDLINE = "landline"
    NANP = "nanp"  # US/Canada ten-digit numbers


COUNTRY_CODES = {"CN": "86", "US": "1"}

_SEPARATORS = re.compile(r"[\s\-.()（）\u00a0\u3000]+")


@dataclass(frozen=True, slots=True)
class PhoneNumber:
    country: str
    #: National significant form used for comparison: for CN landlines with the
    #: trunk 0 (`057126886000`), for service numbers the digits as dialled (`95188`).
    national: str
    type: NumberType
    #: How it was written, if it had an international prefix (`+86`, `0086`).
    international_prefix: str | None = None

    @property
    def e164(self) -> str:
        digits = self.national[1:] if self.type is NumberType.LANDLINE else self.national
        return f"+{COUNTRY_CODES[self.country]}{digits}"

    @property
    def tel_uri(self) -> str:
        """What a phone should dial from inside the country (short numbers have no E.164 form)."""
        if self.type in (NumberType.EMERGENCY, NumberType.SHORT_SERVICE, NumberType.SERVICE_95, NumberType.SERVICE_96):
            return f"tel:{self.national}"
        return f"tel:{self.e164}"


def clean(raw: str) -> str:
    """NFKC (full-width digits and plus), then drop separators."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw).strip())


def normalise(raw: str, country: str = "CN") -> PhoneNumber:
    """Parse `raw` as a number of `country`; raise PhoneError saying what is wrong."""
    if country not in COUNTRY_CODES:
        raise PhoneError(f"country {country!r} is not supported (known: {', '.join(sorted(COUNTRY_CODES))})")
    text = clean(raw)
    if not text:
        raise PhoneError("is empty")
    prefix = None
    if text.startswith("+"):
        prefix, text = "+", text[1:]
    elif text.startswith("00"):
        prefix, text = "00", text[2:]
    if not text.isdigit() or not text.isascii():
        bad = next((c for c in text if not (c.isascii() and c.isdigit())), "")
        raise PhoneError(f"contains {bad!r}; only digits, spaces, dashes, brackets and a leading + are allowed")
    if prefix is not None:
        for code, number_country in sorted(((v, k) for k, v in COUNTRY_CODES.items()), key=lambda p: -len(p[0])):
            if text.startswith(code):
                parsed = _parse_national(text[len(code) :], number_country, international=True)
                return PhoneNumber(parsed.country, parsed.national, parsed.type, prefix + code)
        raise PhoneError(f"country code in {prefix}{text[:4]}... is not one this kiosk knows (+86 China, +1 US)")
    return _parse_national(text, country, international=False)


def _parse_national(digits: str, country: str, *, international: bool) -> PhoneNumber:
    if country == "US":
        if len(digits) == 11 and digits.startswith("1"):
            digits = digits[1:]
        if len(digits) == 10 and digits[0] in "23456789" and digits[3] in "23456789":
            return PhoneNumber("US", digits, NumberType.NANP)
        raise PhoneError(f"{digits} is not a 10-digit North American number")
    return PhoneNumber("CN", *_parse_cn(digits, international))


def _parse_cn(digits: str, international: bool) -> tuple[str, NumberType]:
    n = len(digits)
    if international and digits.startswith("0"):
        # "+86 0571 ..." is a common mistake; the trunk 0 is not dialled after +86.
        digits = digits[1:]
        n = len(digits)
    if digits in {"110", "119", "120", "122"}:
        return digits, NumberType.EMERGENCY
    if digits.startswith("95"):
        if 5 <= n <= 8:
            return digits, NumberType.SERVICE_95
        raise PhoneError(f"{digits}: numbers starting 95 have 5 to 8 digits, this one has {n}")
    if digits.startswith("96"):
        if 5 <= n <= 6:
            return digits, NumberType.SERVICE_96
        raise PhoneError(f"{digits}: numbers starting 96 have 5 or 6 digits, this one has {n}")
    if digits.startswith(("400", "800")):
        if n == 10:
            return digits, NumberType.TOLL_FREE
        raise PhoneError(f"{digits}: 400 and 800 numbers have 10 digits, this one has {n}")
    if digits.startswith("1"):
        if n == 5 and digits[1] in "0123":
            return digits, NumberType.SHORT_SERVICE
        if n == 11 and digits[1] in "3456789":
            return digits, NumberType.MOBILE
        raise PhoneError(f"{digits}: not a mobile number (11 digits, 13x-19x) or a 5-digit public service number")
    if not international and digits.startswith("0"):
        if 10 <= n <= 12 and digits[1] != "0":
            return digits, NumberType.LANDLINE
        raise PhoneError(
            f"{digits}: a landline is 0, an area code and 7 or 8 digits (10 to 12 digits), this one has {n}"
        )
    if international and digits[0] in "23456789" and 9 <= n <= 11:
        return "0" + digits, NumberType.LANDLINE
    raise PhoneError(f"{digits} does not match any mainland China number format")
