"""Is this number official? Compare a number a customer was given with the packs' numbers.

`check_number` takes what the customer typed, how the number reached them
(an incoming call, a text, or found online) and the loaded packs, and says one
of four things:

- ``invalid``: the text cannot be read as a phone number (the reason says why);
- ``warning``: the number, or the way it reached the customer, matches a known
  scam pattern; any official channel it matches is still named;
- ``official``: a pack that may vouch for it lists it and no pattern applies;
  for calls and texts a caveat says the caller ID or sender can be faked;
- ``listed``: listed, not confirmed: a pack lists it, but none may vouch for
  it (the listing's confidence is low, the pack is not bundled or approved, or
  packs of two wallets claim it);
- ``unknown``: a readable number that no pack lists.

Who may vouch is kiosk.trust's rule: "official" needs a bundled or approved
pack that owns the number (kiosk.claims: no claim on another pack's or a public
number counts), and confidence medium or better. A claim that kiosk.claims rejects is not a match at all.

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

How the check runs: `read_number` reads what was typed once into a `Reading`
(the prefix, the number, its national digits, the official channels it
matches, how it reached the customer), or says why it cannot; then `judge`
applies `RULES`, an ordered table. Each rule is a small named predicate over
the reading with the pattern it reports; every rule that applies is collected,
in table order. A warning rule that applies makes the verdict a warning; caveat
rules are looked at only for an official number.

To add a rule (one place, `RULES` below): give it a `PatternId`, write its
predicate next to the others, and add a row to `RULES` with its sources and
scam warning, where its order says it should be shown. Its words go in the
catalogue as ``number.pattern.<id>`` (a test checks that every pattern has
them). To change the verdict kinds or their precedence, see `judge`.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kiosk import phones
from kiosk.claims import Standing, claims
from kiosk.model import Channel, Confidence, Pack, Text
from kiosk.packset import PackSet
from kiosk.phones import NumberType, PhoneError, PhoneNumber
from kiosk.trust import TRUSTED, Provenance


class Context(enum.StrEnum):
    """How the number reached the customer."""

    INCOMING_CALL = "incoming_call"
    SMS = "sms"
    FOUND_ONLINE = "found_online"


#: Contexts in which the customer was contacted (rather than looking the number up).
CONTACTED = frozenset({Context.INCOMING_CALL, Context.SMS})


class VerdictKind(enum.StrEnum):
    OFFICIAL = "official"
    WARNING = "warning"
    #: Listed, not confirmed.
    LISTED = "listed"
    UNKNOWN = "unknown"
    INVALID = "invalid"


#: Confidence a listing needs to be official.
CONFIRMING_CONFIDENCE = frozenset({Confidence.HIGH, Confidence.MEDIUM})


class Unconfirmed(enum.StrEnum):
    """Why a listed number is not official, as a key the UI can put in words."""

    LOW_CONFIDENCE = "low-confidence"
    UNAPPROVED = "unapproved"
    CONFLICT = "conflict"


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
    SEARCHED_SERVICE_NUMBER_ABROAD = "searched-service-number-abroad"
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


@dataclass(frozen=True, slots=True)
class Match:
    """A channel that lists the number, and whether its pack may vouch for it."""

    pack_id: str
    pack_name: Text
    channel: Channel
    provenance: Provenance = Provenance.BUNDLED
    standing: Standing = Standing.OWNER
    #: The distribution the pack came from (None for a local file or a pack built without records).
    distribution: str | None = None

    @property
    def unconfirmed(self) -> Unconfirmed | None:
        """Why this listing does not make the number official, or None when it does."""
        if self.standing is Standing.CONFLICT:
            return Unconfirmed.CONFLICT
        if self.provenance not in TRUSTED:
            return Unconfirmed.UNAPPROVED
        if self.channel.confidence not in CONFIRMING_CONFIDENCE:
            # A low-confidence listing is a lead, not a fact, whoever ships it: the kiosk's own packs
            # included, so "official" always means a source the pack's maintainers could confirm.
            return Unconfirmed.LOW_CONFIDENCE
        return None

    @property
    def official(self) -> bool:
        return self.unconfirmed is None

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
    def verified(self) -> _dt.date:
        return self.channel.verified

    @property
    def confidence(self) -> Confidence:
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
    #: A voice-menu option typed after the number (`2` in `95017-2`): the verdict is on the number.
    menu_option: str | None = None

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

    @property
    def official_matches(self) -> tuple[Match, ...]:
        """The listings that vouch for the number."""
        return tuple(m for m in self.matches if m.official)

    @property
    def unconfirmed_matches(self) -> tuple[Match, ...]:
        """The listings that do not (low confidence, an unapproved pack, a conflict)."""
        return tuple(m for m in self.matches if not m.official)

    def as_dict(self) -> dict[str, object]:
        """The verdict for scripts (`kiosk number check --json`)."""
        return {
            "verdict": str(self.kind),
            "number": self.number.e164 if self.number is not None else None,
            "international_prefix": self.international_prefix,
            "menu_option": self.menu_option,
            "invalid_reason": str(self.reason_code) if self.reason_code else None,
            "warnings": [str(p) for p in self.warning_ids],
            "caveats": [str(p) for p in self.caveat_ids],
            "matches": [
                {
                    "pack": m.pack_id,
                    "distribution": m.distribution,
                    "provenance": str(m.provenance),
                    "channel": m.channel_id,
                    "confidence": str(m.confidence),
                    "verified": m.verified.isoformat(),
                    "official": m.official,
                    "unconfirmed": str(m.unconfirmed) if m.unconfirmed else None,
                }
                for m in self.matches
            ],
        }


# -- the listed numbers -------------------------------------------------------------

#: Listings by (country, national form).
OfficialNumbers = dict[tuple[str, str], tuple[Match, ...]]


def official_numbers(packs: PackSet | Sequence[Pack]) -> OfficialNumbers:
    """Every phone channel of `packs` whose claim stands (kiosk.claims), by (country, national form)."""
    packset = _packset(packs)
    found: dict[tuple[str, str], list[Match]] = {}
    standing = claims(packset)
    for pack in packset.packs:
        provenance = packset.provenance(pack)
        record = packset.record(pack.id)
        distribution = record.distribution if record is not None else None
        for channel in pack.channels:
            claim = standing.get((pack.id, channel.id))
            if claim is None or claim.standing is Standing.REJECTED:
                continue  # not a phone number, or one the pack may not claim
            match = Match(pack.id, pack.pack.name, channel, provenance, claim.standing, distribution)
            found.setdefault(claim.key, []).append(match)
    return {key: tuple(matches) for key, matches in found.items()}


def _packset(packs: PackSet | Sequence[Pack]) -> PackSet:
    return packs if isinstance(packs, PackSet) else PackSet(packs=tuple(packs))


# -- reading what was typed, once ----------------------------------------------------

_AREA_96110_DOMESTIC = re.compile(r"0[1-9]\d{1,2}96110")
_AREA_96110_ABROAD = re.compile(r"0?[1-9]\d{1,2}96110")
#: Digits after an international prefix below which we do not guess it is a phone number at all.
_MIN_INTERNATIONAL_DIGITS = 6


@dataclass(frozen=True, slots=True)
class Reading:
    """What the rules look at: the number as read once from what was typed, and how it reached the customer."""

    context: Context
    #: The international prefix as typed (`+` or `00`), or None.
    prefix: str | None
    #: The digits after the prefix.
    digits: str
    #: The number, or None for a shape the number plan rejects but the rules still recognise.
    number: PhoneNumber | None
    #: Mainland national digits: the number's, or those of a rejected shape (None for another country's).
    national: str | None
    #: Official channels the number belongs to.
    matches: tuple[Match, ...]
    #: A voice-menu option typed after the number.
    menu_option: str | None = None

    @property
    def contacted(self) -> bool:
        """The number called or texted the customer (rather than being looked up)."""
        return self.context in CONTACTED

    @property
    def called(self) -> bool:
        return self.context is Context.INCOMING_CALL

    @property
    def international(self) -> bool:
        """Written with an international prefix."""
        return self.prefix is not None

    @property
    def shown_prefix(self) -> str | None:
        """The international prefix as shown (`+86`, `0086`; `+` when the country code is not one we know)."""
        if self.number is not None:
            return self.number.international_prefix
        return _shown_prefix(self.prefix, self.digits)

    @property
    def long_95(self) -> bool:
        """A 95 number longer than the 5 to 7 digits such numbers have."""
        return self.national is not None and self.national.startswith("95") and len(self.national) > 7

    @property
    def bulk_sms_1069(self) -> bool:
        """A 1069 bulk-text sender."""
        return self.national is not None and self.national.startswith("1069")


def read_number(raw: str, context: Context, packs: PackSet | Sequence[Pack]) -> Reading | Verdict:
    """`raw` read as a number that reached the customer in `context`, or the `invalid` verdict saying why not."""
    number_text, menu_option = phones.split_menu_option(raw)
    reading = _read(number_text, context, packs)
    if isinstance(reading, Reading) and menu_option is not None:
        return dataclasses.replace(reading, menu_option=menu_option)
    return reading


def _read(raw: str, context: Context, packs: PackSet | Sequence[Pack]) -> Reading | Verdict:
    text = phones.clean(raw)
    if not text:
        return _invalid(InvalidReason.EMPTY, "is empty")
    prefix, digits = _split_prefix(text)
    if not (digits.isascii() and digits.isdigit()):
        return _invalid(InvalidReason.CHARACTERS, _phone_error(text))
    official = official_numbers(packs)
    cn_digits = _cn_digits(prefix, digits)
    number, error = _parse(text)
    if number is None and prefix is None:
        number = _official_abroad(text, official)
    if number is None and cn_digits is not None:
        number = _area_code_96110(prefix, digits, cn_digits)
    if number is None:
        reading = Reading(context, prefix, digits, None, cn_digits, ())
        if _recognised_shape(reading):
            return reading
        unknown_country = prefix is not None and cn_digits is None and not digits.startswith("1")
        return _invalid(InvalidReason.COUNTRY if unknown_country else InvalidReason.FORMAT, error)
    matches = official.get((number.country, number.national), ())
    return Reading(context, prefix, digits, number, number.national, matches)


def _recognised_shape(reading: Reading) -> bool:
    """Shapes the number plan rejects that are still worth a verdict rather than "unreadable"."""
    foreign = reading.international and len(reading.digits) >= _MIN_INTERNATIONAL_DIGITS
    return reading.long_95 or reading.bulk_sms_1069 or foreign


def _area_code_96110(prefix: str | None, digits: str, cn_digits: str) -> PhoneNumber | None:
    """96110 behind a local area code (`0571 96110`), how a genuine 96110 call is reportedly displayed."""
    area_96110 = _AREA_96110_ABROAD if prefix else _AREA_96110_DOMESTIC
    if area_96110.fullmatch(cn_digits):
        return PhoneNumber("CN", "96110", NumberType.SERVICE_96, _shown_prefix(prefix, digits))
    return None


# -- the rules -----------------------------------------------------------------------
# Each predicate is one rule's condition over a Reading; RULES below puts them in order.


def _contacted_from_abroad(n: Reading) -> bool:
    return n.international and n.contacted


def _contacted_as_96110_from_abroad(n: Reading) -> bool:
    return n.international and n.contacted and n.national == "96110"


def _searched_abroad_and_unlisted(n: Reading) -> bool:
    return n.international and not n.contacted and not n.matches


def _searched_service_number_with_country_code(n: Reading) -> bool:
    """Found online as `+86 95188`: service numbers are dialled in China without it, from abroad with an area code."""
    number = n.number
    return (
        n.international
        and not n.contacted
        and number is not None
        and number.country == "CN"
        and number.area_code is None
        and number.type in _DIALLED_WITHOUT_COUNTRY_CODE
    )


_DIALLED_WITHOUT_COUNTRY_CODE = frozenset(
    {NumberType.SERVICE_95, NumberType.SERVICE_96, NumberType.SHORT_SERVICE, NumberType.EMERGENCY}
)


def _400_line_calling(n: Reading) -> bool:
    number = n.number
    return n.called and number is not None and number.type is NumberType.TOLL_FREE and number.national.startswith("400")


def _110_contacting(n: Reading) -> bool:
    return n.contacted and n.national == "110"


def _long_95(n: Reading) -> bool:
    return n.long_95


def _bulk_sms_1069(n: Reading) -> bool:
    return n.bulk_sms_1069


def _96110_calling(n: Reading) -> bool:
    return n.called and n.national == "96110"


def _contacted_other_than_by_96110_calling(n: Reading) -> bool:
    # A 96110 call gets "answer it" instead: the caller-ID caveat would say the opposite.
    return n.contacted and not _96110_calling(n)


class Finding(enum.StrEnum):
    #: The number or the way it reached the customer matches a scam pattern: the verdict is a warning.
    WARNING = "warning"
    #: Something to bear in mind with an official number.
    CAVEAT = "caveat"


@dataclass(frozen=True, slots=True)
class Rule:
    pattern: Pattern
    finding: Finding
    applies: Callable[[Reading], bool]


_CCTV = "https://www.takefoto.cn/news/2025/10/25/11369909.shtml"
_HENGYANG = "https://www.hengyang.gov.cn/gaj/jqts/20200118/i353033.html"
_WARNING, _CAVEAT = Finding.WARNING, Finding.CAVEAT

#: Every rule, in the order its finding is shown.
RULES: tuple[Rule, ...] = (
    # Calls from abroad must show 00 or +, and carriers may not remove it (CCTV).
    Rule(
        Pattern(PatternId.INTERNATIONAL_PREFIX, (_CCTV,), "general:international-prefix-call"),
        _WARNING,
        _contacted_from_abroad,
    ),
    # A genuine 96110 call shows the local area code plus 96110, no + or 00 (low confidence).
    Rule(
        Pattern(
            PatternId.INTERNATIONAL_96110,
            ("http://www.mccaee.com/a/xinwendongtai/54.html",),
            "general:international-prefix-call",
        ),
        _WARNING,
        _contacted_as_96110_from_abroad,
    ),
    # A searched "customer service" number starting 0086 cost a user 13,000 yuan.
    Rule(
        Pattern(
            PatternId.SEARCHED_INTERNATIONAL,
            ("https://piyao.kf.cn/c/2023-03-21/795744.shtml",),
            "general:searched-fake-hotline",
        ),
        _WARNING,
        _searched_abroad_and_unlisted,
    ),
    # The same scam's shape with a listed number: a service number written with the country code and no area code.
    Rule(
        Pattern(
            PatternId.SEARCHED_SERVICE_NUMBER_ABROAD,
            ("https://piyao.kf.cn/c/2023-03-21/795744.shtml",),
            "general:searched-fake-hotline",
        ),
        _WARNING,
        _searched_service_number_with_country_code,
    ),
    # Big companies' 400 lines normally receive calls only (Hengyang police; CCTV).
    Rule(
        Pattern(PatternId.TOLL_FREE_CALLING, (_HENGYANG, _CCTV), "general:spoofed-caller-id"),
        _WARNING,
        _400_line_calling,
    ),
    # 110 is receive-only; a call showing 110 is spoofed.
    Rule(
        Pattern(
            PatternId.POLICE_110_CALLING, ("https://mip.51dongshi.com/eedfrvarcrgac.html",), "general:spoofed-caller-id"
        ),
        _WARNING,
        _110_contacting,
    ),
    # Be wary of a 95 number longer than 7 digits (CCTV).
    Rule(Pattern(PatternId.LONG_95, (_CCTV,), "general:odd-95-and-1069-sms"), _WARNING, _long_95),
    # Don't trust 1069 texts about prizes or refunds, or ones containing links (CCTV).
    Rule(Pattern(PatternId.BULK_SMS_1069, (_CCTV,), "general:odd-95-and-1069-sms"), _WARNING, _bulk_sms_1069),
    # Caller ID can be spoofed to show a real support number.
    Rule(
        Pattern(
            PatternId.CALLER_ID,
            ("https://www.lifewire.com/what-is-the-apple-support-scam-4781736",),
            "general:spoofed-caller-id",
        ),
        _CAVEAT,
        _contacted_other_than_by_96110_calling,
    ),
    # If 96110 calls you, answer: you or a family member may be in the middle of a scam.
    Rule(
        Pattern(PatternId.ANSWER_96110, ("https://tech.sina.cn/2020-09-21/detail-iivhuipp5528609.d.html",)),
        _CAVEAT,
        _96110_calling,
    ),
)

PATTERNS: dict[PatternId, Pattern] = {rule.pattern.id: rule.pattern for rule in RULES}
WARNING_PATTERNS = frozenset(rule.pattern.id for rule in RULES if rule.finding is Finding.WARNING)


# -- the verdict ---------------------------------------------------------------------


def check_number(raw: str, context: Context | str, packs: PackSet | Sequence[Pack]) -> Verdict:
    """What the kiosk can say about `raw`, a number that reached the customer in `context`.

    `packs` is what the customer sees (a PackSet from kiosk.packselect knows each pack's
    provenance; a bare sequence can only tell the documents the kiosk ships from the rest).
    """
    reading = read_number(raw, Context(context), packs)
    return reading if isinstance(reading, Verdict) else judge(reading)


def judge(reading: Reading) -> Verdict:
    """The verdict on a readable number: the rules that apply, in precedence order.

    A warning beats an official match (which the warning still names), an
    official match, with its caveats, beats a listing nobody vouches for
    ("listed, not confirmed"), and that beats "unknown".
    """

    def found(finding: Finding) -> tuple[Pattern, ...]:
        return tuple(rule.pattern for rule in RULES if rule.finding is finding and rule.applies(reading))

    warnings = found(Finding.WARNING)
    caveats: tuple[Pattern, ...] = ()
    kind = VerdictKind.UNKNOWN
    if warnings:
        kind = VerdictKind.WARNING
    elif any(m.official for m in reading.matches):
        kind, caveats = VerdictKind.OFFICIAL, found(Finding.CAVEAT)
    elif reading.matches:
        kind = VerdictKind.LISTED
    return Verdict(
        kind,
        matches=reading.matches,
        warnings=warnings,
        caveats=caveats,
        number=reading.number,
        international_prefix=reading.shown_prefix,
        menu_option=reading.menu_option,
    )


# -- helpers -------------------------------------------------------------------------


def _invalid(code: InvalidReason, reason: str) -> Verdict:
    return Verdict(VerdictKind.INVALID, reason_code=code, reason=reason)


def _split_prefix(text: str) -> tuple[str | None, str]:
    if text.startswith("+"):
        return "+", text[1:]
    if text.startswith("00"):
        return "00", text[2:]
    return None, text


def _shown_prefix(prefix: str | None, digits: str) -> str | None:
    """`+86`, `0086`, `+1`; just `+` or `00` when the country code is not one we know."""
    if prefix is None:
        return None
    for code in sorted(phones.COUNTRY_CODES.values(), key=len, reverse=True):
        if digits.startswith(code):
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


def _official_abroad(text: str, official: OfficialNumbers) -> PhoneNumber | None:
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


def _cn_digits(prefix: str | None, digits: str) -> str | None:
    """The mainland China national digits in `digits`, or None when it has another country code."""
    if prefix is None:
        return digits
    if digits.startswith(phones.COUNTRY_CODES["CN"]):
        national = digits[len(phones.COUNTRY_CODES["CN"]) :]
        return national[1:] if national.startswith("0") else national
    return None
