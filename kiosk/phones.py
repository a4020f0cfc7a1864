"""Telephone numbers: normalise what people and packs write into one comparable form.

Accepts digits with spaces, dashes, dots and brackets, full-width digits
(NFKC), and the international prefixes `+` and `00`. Only the number plans
this kiosk needs are known: mainland China (CN) and the North American plan
(US). Anything else is rejected with a reason, not guessed.

A 95 or 96 service number may follow an area code: that is how it is dialled
from abroad (`+86 571 95017`, `+86 10 956196`) and how a call from one is
often displayed (`0571 96110`); the number is the service number, and
`area_code` keeps what came before it. A menu option written after a service
number (`95017-2`, `95017转2`, `95188,1`) is split off by `split_menu_option`.
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
    #: The area code written before a 95 or 96 service number (`571` in `+86 571 95017`).
    area_code: str | None = None

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
                return PhoneNumber(parsed.country, parsed.national, parsed.type, prefix + code, parsed.area_code)
        raise PhoneError(f"country code in {prefix}{text[:4]}... is not one this kiosk knows (+86 China, +1 US)")
    return _parse_national(text, country, international=False)


def _parse_national(digits: str, country: str, *, international: bool) -> PhoneNumber:
    if country == "US":
        if len(digits) == 11 and digits.startswith("1"):
            digits = digits[1:]
        if len(digits) == 10 and digits[0] in "23456789" and digits[3] in "23456789":
            return PhoneNumber("US", digits, NumberType.NANP)
        raise PhoneError(f"{digits} is not a 10-digit North American number")
    area_service = _area_code_service(digits, international)
    if area_service is not None:
        return area_service
    return PhoneNumber("CN", *_parse_cn(digits, international))


def _area_code_service(digits: str, international: bool) -> PhoneNumber | None:
    """A 5- or 6-digit 95/96 service number behind an area code (`+86 571 95017`, `0571 96110`).

    Local subscriber numbers have 7 or 8 digits, so a 95/96 part this short cannot be one.
    """
    local = digits[1:] if digits.startswith("0") else digits
    if not international and not digits.startswith("0"):
        return None
    # Beijing (10) and the 2x cities have two-digit area codes; the rest three.
    area = local[:2] if local.startswith(("10", "2")) else local[:3]
    service = local[len(area) :]
    if len(area) < 2 or not area.isdigit() or (area.startswith(("0", "1")) and area != "10"):
        return None
    if len(service) in (5, 6) and service.startswith(("95", "96")):
        kind = NumberType.SERVICE_95 if service.startswith("95") else NumberType.SERVICE_96
        return PhoneNumber("CN", service, kind, area_code=area)
    return None


def _parse_cn(digits: str, international: bool) -> tuple[str, NumberType]:
    n = len(digits)
    if international and digits.startswith("0"):
        # "+86 0571 ..." is a common mistake; the trunk 0 is not dialled after +86.
        digits = digits[1:]
        n = len(digits)
    if not digits:
        raise PhoneError("no number follows the country code")
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


#: A menu option after an explicit marker: 转 (transfer), a comma (a dialler's pause) or #. Letters
#: ("ext") are not read: the number field takes none, and a number with letters is not a number.
_MENU_EXPLICIT = re.compile(r"^(?P<number>.*\d)\s*(?:转|轉|,|，|#)\s*(?P<option>\d{1,6})$")
#: A short group after a separator: `95017-2`, `95188 1` (only after a complete service number).
_MENU_AFTER_SEPARATOR = re.compile(r"^(?P<number>.*\d)[\s\-]+(?P<option>\d{1,2})$")
#: Number types that answer with a voice menu.
MENU_TYPES = frozenset({NumberType.SERVICE_95, NumberType.SERVICE_96, NumberType.TOLL_FREE, NumberType.SHORT_SERVICE})


def split_menu_option(raw: str) -> tuple[str, str | None]:
    """`raw` as (the number, the menu option typed after it), or (`raw`, None) when there is none.

    People write "call 95017, then press 2" as `95017-2`, `95017转2` or `95188,1`. After a
    separator only a group of one or two digits following a complete service number counts,
    so `400-670-0700` and `9518 8123` stay whole numbers.
    """
    text = unicodedata.normalize("NFKC", raw).strip()
    explicit = _MENU_EXPLICIT.match(text)
    if explicit:
        return explicit.group("number"), explicit.group("option")
    grouped = _MENU_AFTER_SEPARATOR.match(text)
    if grouped:
        try:
            head = normalise(grouped.group("number"))
        except PhoneError:
            return raw, None
        if head.type in MENU_TYPES:
            return grouped.group("number"), grouped.group("option")
    return raw, None
