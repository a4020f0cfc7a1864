"""Is this number official? Compare a number a customer was given with the packs' numbers.

`check_number` takes what the customer typed, how the number reached them
(an incoming call, a text, or found online) and the loaded packs, and says one
of four things:

- ``invalid``: the text cannot be read as a phone number (the reason says why);
- ``warning``: the number, or the way it reached the customer, matches a known
  scam pattern; any official channel it matches is still named;
- ``official``: it is a number from a loaded pack and no pattern applies; for
  calls and texts a caveat says the caller ID or sender can be faked;
- ``unknown``: a readable number that no pack lists.

Precedence, when several things apply: a warning pattern beats an official
match (an official 400 line calling you, "110" calling you, an official number
shown with +86 on a call: each is a warning that still names the channel),
and an official match beats "unknown". Two shapes that the number plan
rejects are still recognised rather than reported as unreadable: a 95 number
too long to be valid (the "long 95 number" warning) and a 1069 bulk-text
sender. A local area code in front of 96110 (``0571 96110``) is how a genuine
96110 call is reportedly displayed, so it is read as 96110.

Each rule is worded no stronger than its source; every pattern carries the
https sources it rests on and the general pack's scam warning that explains
it. Nothing here logs, prints or writes anything, and the verdict keeps only
the normalised number, never the text as typed.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass

from kiosk import phones
from kiosk.model import PHONE_KINDS, Channel, Pack, Text
from kiosk.phones import NumberType, PhoneError, PhoneNumber


class Context(enum.StrEnum):
    """How the number reached the customer."""

    INCOMING_CALL = "incoming_call"
    SMS = "sms"
    FOUND_ONLINE = "found_online"


class VerdictKind(enum.StrEnum):
    OFFICIAL = "official"
    WARNING = "warning"
    UNKNOWN = "unknown"
    INVALID = "invalid"


class InvalidReason(enum.StrEnum):
    """Why the text is not a phone number, as a key the UI can put in words."""

    EMPTY = "empty"
    CHARACTERS = "characters"
    COUNTRY = "country"
    FORMAT = "format"


class PatternId(enum.StrEnum):
    # Warnings: the number or the way it reached the customer matches a scam pattern.
    INTERNATIONAL_PREFIX = "international-prefix"
    INTERNATIONAL_96110 = "international-96110"
    SEARCHED_INTERNATIONAL = "searched-international"
    TOLL_FREE_CALLING = "400-calling"
    POLICE_110_CALLING = "110-calling"
    LONG_95 = "long-95"
    BULK_SMS_1069 = "1069-sms"
    # Caveats: shown with an official number.
    CALLER_ID = "caller-id"
    ANSWER_96110 = "answer-96110"


@dataclass(frozen=True, slots=True)
class Pattern:
    id: PatternId
    #: Where the rule comes from (https only).
    sources: tuple[str, ...]
    #: The general pack's scam warning that explains it (`general:ID`), if any.
    scam: str | None = None


_CCTV = "https://www.takefoto.cn/news/2025/10/25/11369909.shtml"
_HENGYANG = "https://www.hengyang.gov.cn/gaj/jqts/20200118/i353033.html"

PATTERNS: dict[PatternId, Pattern] = {
    p.id: p
    for p in (
        # Calls from abroad must show 00 or +, and carriers may not remove it (CCTV).
        Pattern(PatternId.INTERNATIONAL_PREFIX, (_CCTV,), "general:international-prefix-call"),
        # A genuine 96110 call shows the local area code plus 96110, no + or 00 (low confidence).
        Pattern(
            PatternId.INTERNATIONAL_96110,
            ("https://www.198689.com/damingxing/719384.html",),
            "general:international-prefix-call",
        ),
        # A searched "customer service" number starting 0086 cost a user 13,000 yuan.
        Pattern(
            PatternId.SEARCHED_INTERNATIONAL,
            ("https://piyao.kf.cn/c/2023-03-21/795744.shtml",),
            "general:searched-fake-hotline",
        ),
        # Big companies' 400 lines normally receive calls only (Hengyang police; CCTV).
        Pattern(PatternId.TOLL_FREE_CALLING, (_HENGYANG, _CCTV), "general:spoofed-caller-id"),
        # 110 is receive-only; a call showing 110 is spoofed.
        Pattern(
            PatternId.POLICE_110_CALLING, ("https://mip.51dongshi.com/eedfrvarcrgac.html",), "general:spoofed-caller-id"
        ),
        # Be wary of a 95 number longer than 7 digits (CCTV).
        Pattern(PatternId.LONG_95, (_CCTV,), "general:odd-95-and-1069-sms"),
        # Don't trust 1069 texts about prizes or refunds, or ones containing links (CCTV).
        Pattern(PatternId.BULK_SMS_1069, (_CCTV,), "general:odd-95-and-1069-sms"),
        # Caller ID can be spoofed to show a real support number.
        Pattern(
            PatternId.CALLER_ID,
            ("https://www.lifewire.com/what-is-the-apple-support-scam-4781736",),
            "general:spoofed-caller-id",
        ),
        # If 96110 calls you, answer: you or a family member may be in the middle of a scam.
        Pattern(PatternId.ANSWER_96110, ("https://tech.sina.cn/2020-09-21/detail-iivhuipp5528609.d.html",)),
    )
}

WARNING_PATTERNS = frozenset(
    {
        PatternId.INTERNATIONAL_PREFIX,
        PatternId.INTERNATIONAL_96110,
        PatternId.SEARCHED_INTERNATIONAL,
        PatternId.TOLL_FREE_CALLING,
        PatternId.POLICE_110_CALLING,
        PatternId.LONG_95,
        PatternId.BULK_SMS_1069,
    }
)

#: Contexts in which the customer was contacted (rather than looking the number up).
CONTACTED = frozenset({Context.INCOMING_CALL, Context.SMS})


@dataclass(frozen=True, slots=True)
class Match:
    """An official channel the number belongs to."""

    pack_id: str
    pack_name: Text
    channel: Channel

    @property
    def channel_id(self) -> str:
        return self.channel.id

    @property
    def label(self) -> Text:
        return self.channel.label

    @property
    def source(self) -> str:
        return self.channel.source

    @property
    def verified(self):
        return self.channel.verified

    @property
    def confidence(self):
        return self.channel.confidence


@dataclass(frozen=True, slots=True)
class Verdict:
    kind: VerdictKind
    matches: tuple[Match, ...] = ()
    #: Scam patterns that apply (only for `warning`).
    warnings: tuple[Pattern, ...] = ()
    #: What still to bear in mind with an official number (caller ID, 96110).
    caveats: tuple[Pattern, ...] = ()
    #: The number in normalised form; None when unreadable or only recognised by its shape.
    number: PhoneNumber | None = None
    #: For `invalid`: why, as a key and in the number plan's plain words.
    reason_code: InvalidReason | None = None
    reason: str | None = None
    #: The international prefix as shown (`+86`, `00`), when there was one.
    international_prefix: str | None = None

    @property
    def warning_ids(self) -> tuple[PatternId, ...]:
        return tuple(p.id for p in self.warnings)

    @property
    def caveat_ids(self) -> tuple[PatternId, ...]:
        return tuple(p.id for p in self.caveats)

    @property
    def references(self) -> tuple[tuple[str, str], ...]:
        """The matched channels as (pack id, channel id)."""
        return tuple((m.pack_id, m.channel_id) for m in self.matches)


# -- the official numbers --------------------------------------------------------


def official_numbers(packs: Sequence[Pack]) -> dict[tuple[str, str], tuple[Match, ...]]:
    """Every phone channel of `packs` by (country, national form)."""
    found: dict[tuple[str, str], list[Match]] = {}
    for pack in packs:
        for channel in pack.channels:
            if channel.kind not in PHONE_KINDS:
                continue
            value = next(channel.value.strings(), "")
            try:
                number = phones.normalise(value, channel.country)
            except PhoneError:
                continue  # the validator reports these; a bad pack value matches nothing
            found.setdefault((number.country, number.national), []).append(Match(pack.id, pack.pack.name, channel))
    return {key: tuple(matches) for key, matches in found.items()}


# -- the check --------------------------------------------------------------------

_AREA_96110_DOMESTIC = re.compile(r"0[1-9]\d{1,2}96110")
_AREA_96110_ABROAD = re.compile(r"0?[1-9]\d{1,2}96110")
#: Digits after an international prefix below which we do not guess it is a phone number at all.
_MIN_INTERNATIONAL_DIGITS = 6


def check_number(raw: str, context: Context | str, packs: Sequence[Pack]) -> Verdict:
    """What the kiosk can say about `raw`, a number that reached the customer in `context`."""
    context = Context(context)
    text = phones.clean(raw)
    if not text:
        return _invalid(InvalidReason.EMPTY, "is empty")
    prefix, body = _split_prefix(text)
    if not (body.isascii() and body.isdigit()):
        return _invalid(InvalidReason.CHARACTERS, _phone_error(text))

    official = official_numbers(packs)
    number, error = _parse(text)
    if number is None and prefix is None:
        number = _official_abroad(text, official)
    # CN national digits as the number plan sees them (for shapes it rejects).
    cn_digits = _cn_digits(prefix, body)
    if number is None and cn_digits is not None:
        area_96110 = _AREA_96110_ABROAD if prefix else _AREA_96110_DOMESTIC
        if area_96110.fullmatch(cn_digits):
            number = PhoneNumber("CN", "96110", NumberType.SERVICE_96, _shown_prefix(prefix, body))
    shown_prefix = (
        number.international_prefix if number is not None else (_shown_prefix(prefix, body) if prefix else None)
    )

    national = number.national if number is not None else cn_digits
    long_95 = national is not None and national.startswith("95") and len(national) > 7
    bulk_1069 = national is not None and national.startswith("1069")
    foreign_shape = prefix is not None and len(body) >= _MIN_INTERNATIONAL_DIGITS
    if number is None and not (long_95 or bulk_1069 or foreign_shape):
        unknown_country = prefix is not None and cn_digits is None and not body.startswith("1")
        return _invalid(InvalidReason.COUNTRY if unknown_country else InvalidReason.FORMAT, error)

    matches = official.get((number.country, number.national), ()) if number is not None else ()

    warnings: list[PatternId] = []
    if prefix is not None:
        if context in CONTACTED:
            warnings.append(PatternId.INTERNATIONAL_PREFIX)
            if national == "96110":
                warnings.append(PatternId.INTERNATIONAL_96110)
        elif not matches:
            warnings.append(PatternId.SEARCHED_INTERNATIONAL)
    if (
        context is Context.INCOMING_CALL
        and number is not None
        and number.type is NumberType.TOLL_FREE
        and number.national.startswith("400")
    ):
        warnings.append(PatternId.TOLL_FREE_CALLING)
    if context in CONTACTED and national == "110":
        warnings.append(PatternId.POLICE_110_CALLING)
    if long_95:
        warnings.append(PatternId.LONG_95)
    if bulk_1069:
        warnings.append(PatternId.BULK_SMS_1069)

    common = dict(matches=matches, number=number, international_prefix=shown_prefix)
    if warnings:
        return Verdict(VerdictKind.WARNING, warnings=tuple(PATTERNS[w] for w in warnings), **common)
    if matches:
        caveats: tuple[Pattern, ...] = ()
        if context is Context.INCOMING_CALL and national == "96110":
            caveats = (PATTERNS[PatternId.ANSWER_96110],)
        elif context in CONTACTED:
            caveats = (PATTERNS[PatternId.CALLER_ID],)
        return Verdict(VerdictKind.OFFICIAL, caveats=caveats, **common)
    return Verdict(VerdictKind.UNKNOWN, **common)


def _invalid(code: InvalidReason, reason: str) -> Verdict:
    return Verdict(VerdictKind.INVALID, reason_code=code, reason=reason)


def _split_prefix(text: str) -> tuple[str | None, str]:
    if text.startswith("+"):
        return "+", text[1:]
    if text.startswith("00"):
        return "00", text[2:]
    return None, text


def _shown_prefix(prefix: str | None, body: str) -> str | None:
    """`+86`, `0086`, `+1`; just `+` or `00` when the country code is not one we know."""
    if prefix is None:
        return None
    for code in sorted(phones.COUNTRY_CODES.values(), key=len, reverse=True):
        if body.startswith(code):
            return prefix + code
    return prefix


def _phone_error(text: str) -> str:
    try:
        phones.normalise(text, "CN")
    except PhoneError as error:
        return str(error)
    return ""


def _parse(text: str) -> tuple[PhoneNumber | None, str]:
    try:
        return phones.normalise(text, "CN"), ""
    except PhoneError as error:
        return None, str(error)


def _official_abroad(text: str, official: dict[tuple[str, str], tuple[Match, ...]]) -> PhoneNumber | None:
    """A number typed without its country code, read in another country an official channel belongs to.

    Only accepted when it then matches that channel: `(877) 233-8552` is the
    Apple Cash line, but an arbitrary ten digits are not guessed to be American.
    """
    for country in sorted({country for country, _ in official} - {"CN"}):
        try:
            number = phones.normalise(text, country)
        except PhoneError:
            continue
        if (number.country, number.national) in official:
            return number
    return None


def _cn_digits(prefix: str | None, body: str) -> str | None:
    """The mainland China national digits in `body`, or None when it has another country code."""
    if prefix is None:
        return body
    if body.startswith(phones.COUNTRY_CODES["CN"]):
        digits = body[len(phones.COUNTRY_CODES["CN"]) :]
        return digits[1:] if digits.startswith("0") else digits
    return None
