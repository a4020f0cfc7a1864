"""A number-check verdict in words: what the screen shows and `kiosk number check` prints, in one place.

The kiosk's own words (the heading, the findings, the advice) are kept apart
from what packs wrote (a wallet's name, a channel's label and value): each
listing comes as its pack's words under a line the kiosk writes ("listed by
the Alipay pack · medium confidence · checked 2026-11-23"), so a pack's text
is always seen under its pack's name and never where the verdict is.

Advice fits how the number arrived: "do not call back" is only for a call or
a text; for a number found online it is "do not dial it".
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.i18n import t
from kiosk.model import Audience
from kiosk.numbers import CONTACTED, Context, Match, Pattern, PatternId, Verdict, VerdictKind
from kiosk.source_text import describe_source


@dataclass(frozen=True)
class ListingText:
    """One listing of the number: the pack's words and the kiosk's line about them."""

    official: bool
    #: The pack's words (names, the channel's label and value): show them as quoted pack text.
    pack: str
    label: str
    value: str
    audience: str | None
    #: The kiosk's words: who lists it, the confidence and the date; the source; why it does not confirm.
    vouched: str
    source: str
    unconfirmed: str | None


@dataclass(frozen=True)
class Finding:
    pattern: PatternId
    text: str
    based_on: str
    #: The general pack's scam warning that explains it (`general:ID`), if any.
    scam: str | None


@dataclass(frozen=True)
class VerdictText:
    kind: VerdictKind
    heading: str
    menu: str | None
    invalid_reason: str | None
    findings: tuple[Finding, ...]
    advice: str | None
    official_intro: str | None
    official: tuple[ListingText, ...]
    unconfirmed_intro: str | None
    unconfirmed: tuple[ListingText, ...]

    def lines(self) -> list[str]:
        """Everything as plain lines (for a terminal), the kiosk's words first."""
        out = [self.heading]
        for text in (self.menu, self.invalid_reason):
            if text:
                out.append(text)
        for finding in self.findings:
            out += [finding.text, f"  {finding.based_on}"]
        if self.advice:
            out.append(self.advice)
        for intro, listings in ((self.official_intro, self.official), (self.unconfirmed_intro, self.unconfirmed)):
            if intro and listings:
                out.append(intro)
                for listing in listings:
                    out.append(f"  {listing.vouched}")
                    value = f"{listing.value} · {listing.audience}" if listing.audience else listing.value
                    out.append(f"    “{listing.pack} · {listing.label}”  {value}")
                    out.append(f"    {listing.source}")
                    if listing.unconfirmed:
                        out.append(f"    {listing.unconfirmed}")
        return out


def verdict_text(verdict: Verdict, context: Context, locale: str) -> VerdictText:
    official = tuple(listing_text(m, locale) for m in verdict.official_matches)
    unconfirmed = tuple(listing_text(m, locale) for m in verdict.unconfirmed_matches)
    listed_key = "number.listed" if verdict.kind is VerdictKind.OFFICIAL else "number.listed_but"
    return VerdictText(
        kind=verdict.kind,
        heading=t(f"number.verdict.{verdict.kind}", locale),
        menu=_menu(verdict, locale),
        invalid_reason=t(f"number.invalid.{verdict.reason_code}", locale) if verdict.reason_code else None,
        findings=tuple(finding(p, verdict, context, locale) for p in (*verdict.warnings, *verdict.caveats)),
        advice=_advice(verdict, context, locale),
        official_intro=t(listed_key, locale) if official else None,
        official=official,
        unconfirmed_intro=t("number.unconfirmed_intro", locale) if unconfirmed else None,
        unconfirmed=unconfirmed,
    )


def listing_text(match: Match, locale: str) -> ListingText:
    channel = match.channel
    audience = None
    if tuple(channel.audience) != (Audience.CONSUMER,):
        names = ("、" if locale == "zh-CN" else ", ").join(t(f"audience.{a}", locale) for a in channel.audience)
        audience = t("channel.for", locale, audience=names)
    return ListingText(
        official=match.official,
        pack=match.pack_name[locale],
        label=channel.label[locale],
        value=channel.value[locale],
        audience=audience,
        vouched=t(
            "number.vouched",
            locale,
            pack=match.pack_name[locale],
            confidence=t(f"confidence.{channel.confidence}", locale),
            date=channel.verified.isoformat(),
        ),
        source=describe_source(channel.best_source, locale),
        unconfirmed=t(f"number.unconfirmed.{match.unconfirmed}", locale) if match.unconfirmed else None,
    )


def finding(pattern: Pattern, verdict: Verdict, context: Context, locale: str) -> Finding:
    return Finding(
        pattern=pattern.id,
        text=t(pattern_key(pattern.id, verdict, context), locale, prefix=verdict.international_prefix or "+"),
        based_on=t("number.based_on", locale, urls="; ".join(pattern.sources)),
        scam=pattern.scam,
    )


def pattern_key(pattern: PatternId, verdict: Verdict, context: Context) -> str:
    """The catalogue key of a finding's words: some depend on how the number arrived, or on its prefix."""
    key = f"number.pattern.{pattern}"
    if pattern is PatternId.CALLER_ID and context is Context.SMS:
        return key + ".sms"
    if pattern is PatternId.INTERNATIONAL_PREFIX and (verdict.international_prefix or "").endswith("86"):
        # China's own code: on a phone with a foreign SIM card every call from China shows it.
        return key + ".cn"
    if pattern is PatternId.LONG_95 and context not in CONTACTED:
        return key + ".found_online"
    return key


def _advice(verdict: Verdict, context: Context, locale: str) -> str | None:
    online = context not in CONTACTED
    if verdict.kind is VerdictKind.UNKNOWN:
        return t("number.unknown_advice.found_online" if online else "number.unknown_advice", locale)
    if verdict.kind is VerdictKind.LISTED:
        return t("number.listed_advice.found_online" if online else "number.listed_advice.contacted", locale)
    return None


def _menu(verdict: Verdict, locale: str) -> str | None:
    if verdict.menu_option is None or verdict.number is None:
        return None
    return t("number.menu", locale, number=verdict.number.national, option=verdict.menu_option)


__all__ = ["Finding", "ListingText", "VerdictText", "finding", "listing_text", "pattern_key", "verdict_text"]
