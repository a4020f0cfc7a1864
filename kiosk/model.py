"""The pack data model: immutable values, no I/O, no UI.

Field names here *are* the pack format: `kiosk.packfile` reads TOML into these
classes by walking their fields, and `kiosk.packexport` writes them back.
A field's metadata carries its documentation and validation kind, so the
format reference (docs/packs.md) and the validator cannot drift apart.
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

#: Locales every pack may provide; the first is the kiosk's default.
LOCALES: tuple[str, ...] = ("zh-CN", "en")

#: Pack format versions this host can read. See docs/packs.md, "Compatibility".
FORMAT_VERSION = 1
SUPPORTED_FORMATS: frozenset[int] = frozenset({1})

#: Pack id of the built-in pack that holds regulators, escalation and general advice.
GENERAL_PACK_ID = "general"

#: The one shape of an id (packs, channels, guides...): what every reader and writer checks against.
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
#: SLUG in words, for messages.
SLUG_RULE = (
    "use lowercase letters, digits and dashes, starting and ending with a letter or digit, at most 40 characters"
)


def is_slug(value: str) -> bool:
    return SLUG.match(value) is not None


def doc(text: str, *, kind: str | None = None, default_doc: str | None = None) -> dict:
    """Field metadata: the format reference text, and an optional validation kind."""
    meta = {"doc": text}
    if kind:
        meta["kind"] = kind
    if default_doc:
        meta["default_doc"] = default_doc
    return meta


class Text:
    """User-visible text in one or more locales.

    A pack may give only one language for a field; `get` then falls back to
    another locale and says so, so the UI can mark the fallback visibly.
    """

    __slots__ = ("_values",)

    def __init__(self, values: dict[str, str] | None = None, **kw: str) -> None:
        merged = dict(values or {})
        for key, value in kw.items():
            merged[key.replace("_", "-")] = value
        self._values: tuple[tuple[str, str], ...] = tuple(
            (loc, merged[loc]) for loc in sorted(merged, key=_locale_order)
        )

    def get(self, locale: str) -> Localized:
        values = dict(self._values)
        if locale in values:
            return Localized(values[locale], locale, False)
        for loc in LOCALES:
            if loc in values:
                return Localized(values[loc], loc, True)
        loc, value = self._values[0]
        return Localized(value, loc, True)

    def __getitem__(self, locale: str) -> str:
        return self.get(locale).text

    def locales(self) -> tuple[str, ...]:
        return tuple(loc for loc, _ in self._values)

    def items(self) -> tuple[tuple[str, str], ...]:
        return self._values

    def strings(self) -> Iterator[str]:
        for _, value in self._values:
            yield value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and other._values == self._values

    def __hash__(self) -> int:
        return hash(self._values)

    def __repr__(self) -> str:
        return f"Text({dict(self._values)!r})"


def _locale_order(locale: str) -> tuple[int, str]:
    return (LOCALES.index(locale) if locale in LOCALES else len(LOCALES), locale)


class Value(Text):
    """A channel value: language-neutral (a number, an address) or localized (a menu path).

    In TOML it is either a plain string or a locale table. A plain string is the
    same in every language and never shows a fallback marker.
    """

    __slots__ = ("neutral",)

    def __init__(self, values: dict[str, str] | str | None = None, **kw: str) -> None:
        if isinstance(values, str):
            super().__init__()
            self.neutral: str | None = values
        else:
            super().__init__(values, **kw)
            self.neutral = None

    def get(self, locale: str) -> Localized:
        if self.neutral is not None:
            return Localized(self.neutral, locale, False)
        return super().get(locale)

    def strings(self) -> Iterator[str]:
        if self.neutral is not None:
            yield self.neutral
        else:
            yield from super().strings()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Value) and (other.neutral, other._values) == (self.neutral, self._values)

    def __hash__(self) -> int:
        return hash((self.neutral, self._values))

    def __repr__(self) -> str:
        if self.neutral is not None:
            return f"Value({self.neutral!r})"
        return f"Value({dict(self._values)!r})"


@dataclass(frozen=True)
class Localized:
    """The text chosen for a locale, and whether it came from another locale."""

    text: str
    locale: str
    is_fallback: bool


class ChannelKind(enum.StrEnum):
    HOTLINE = "hotline"
    CHAT = "chat"
    IN_APP = "in_app"
    WEB = "web"
    EMAIL = "email"
    SOCIAL = "social"
    REGULATOR = "regulator"
    POLICE = "police"


#: Kinds whose value is a telephone number (validated and normalised).
PHONE_KINDS = frozenset({ChannelKind.HOTLINE, ChannelKind.REGULATOR, ChannelKind.POLICE})


class Audience(enum.StrEnum):
    CONSUMER = "consumer"
    MERCHANT = "merchant"
    OVERSEAS = "overseas"


class Confidence(enum.StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class SourceKind(enum.StrEnum):
    """What kind of publisher a source is, in order of trust: official first, other last.

    Members compare by trust, not alphabetically: `SourceKind.MEDIA > SourceKind.OTHER`,
    so "better than other" is `kind > SourceKind.OTHER`. Compare kinds only with kinds.
    """

    #: The provider's own page or app (alipay.com, pay.weixin.qq.com, support.apple.com).
    OFFICIAL = "official"
    #: A financial or market regulator: PBoC, NFRA, CSRC, CAC, MIIT, SAMR.
    REGULATOR = "regulator"
    #: Another government body: the State Council, the police, the courts, a city government.
    GOVERNMENT = "government"
    #: National or regional news media, or a bank's or a university's own notice.
    MEDIA = "media"
    #: Blogs, forums, mirrors, content farms, compilations: never enough on its own for a number.
    OTHER = "other"

    @property
    def rank(self) -> int:
        """0 for `other` up to 4 for `official`."""
        return _SOURCE_KIND_RANK[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, SourceKind):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, SourceKind):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, SourceKind):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, SourceKind):
            return NotImplemented
        return self.rank >= other.rank

    # Comparison methods would otherwise reset the hash inherited from str.
    __hash__ = enum.StrEnum.__hash__


_SOURCE_KIND_RANK: dict[SourceKind, int] = {kind: rank for rank, kind in enumerate(reversed(list(SourceKind)))}

#: Kinds that are enough on their own for a phone number or a web address.
TRUSTED_SOURCE_KINDS: tuple[SourceKind, ...] = tuple(k for k in SourceKind if k is not SourceKind.OTHER)


class Category(enum.StrEnum):
    ACCOUNT = "account"
    PASSWORD = "password"
    PAYMENT = "payment"
    TRANSFER = "transfer"
    REFUND = "refund"
    FEES = "fees"
    SECURITY = "security"
    COMPLAINT = "complaint"
    SCAM = "scam"


class Scope(enum.StrEnum):
    GENERAL = "general"
    WALLET = "wallet"


class DaySelector(enum.StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"
    #: Monday to Friday plus make-up workdays, minus public holidays (with a calendar).
    WORKDAY = "workday"
    #: Saturdays and Sundays that are not make-up workdays and not public holidays.
    RESTDAY = "restday"
    #: Official public holidays from the schedule's calendar.
    HOLIDAY = "holiday"
    EVERYDAY = "everyday"


WEEKDAY_SELECTORS: tuple[DaySelector, ...] = (
    DaySelector.MON,
    DaySelector.TUE,
    DaySelector.WED,
    DaySelector.THU,
    DaySelector.FRI,
    DaySelector.SAT,
    DaySelector.SUN,
)


@dataclass(frozen=True)
class Interval:
    """Minutes after local midnight. `end` may exceed 1440: the interval runs past midnight."""

    start: int
    end: int

    def __str__(self) -> str:
        return f"{_hhmm(self.start)}-{_hhmm(self.end)}"


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class Rule:
    """Opening intervals on the days a rule selects."""

    days: tuple[DaySelector, ...] = field(
        metadata=doc(
            "Which days the rule covers: `mon`..`sun`, `workday`, `restday`, `holiday`, `everyday`. "
            "When several rules match a day, the **last** one wins (it replaces, not adds)."
        )
    )
    open: tuple[Interval, ...] = field(
        metadata=doc(
            'Opening intervals as `"HH:MM-HH:MM"`. An end earlier than the start runs past '
            'midnight (`"22:00-02:00"`); `"00:00-24:00"` is the whole day. An empty list means closed.',
            kind="intervals",
        )
    )


@dataclass(frozen=True)
class Override:
    """Dated hours that replace the weekly rules (a closure, a holiday rota)."""

    date: _dt.date = field(metadata=doc("First date the override applies to (local date)."))
    open: tuple[Interval, ...] = field(
        metadata=doc("Intervals that replace the weekly rules on these dates; `[]` means closed.", kind="intervals")
    )
    until: _dt.date | None = field(
        default=None, metadata=doc("Last date (inclusive) when the override spans several days.")
    )
    note: Text | None = field(default=None, metadata=doc("Why the hours differ (shown to customers)."))


class ScheduleState(enum.StrEnum):
    UNKNOWN = "unknown"
    ALWAYS = "always"
    WEEKLY = "weekly"


@dataclass(frozen=True)
class Schedule:
    """Opening hours. In TOML: the string `"unknown"`, the string `"always"`, or a table."""

    state: ScheduleState = field(default=ScheduleState.WEEKLY, metadata=doc("internal", kind="internal"))
    timezone: str = field(
        default="Asia/Shanghai", metadata=doc("IANA time zone the hours are given in.", kind="timezone")
    )
    calendar: str | None = field(
        default=None,
        metadata=doc(
            "Bundled holiday calendar (`cn-mainland`) that decides `workday`, `restday` and `holiday`, "
            "including 调休 make-up workdays.",
            kind="calendar",
        ),
    )
    rules: tuple[Rule, ...] = field(default=(), metadata=doc("Weekly rules, later ones winning."))
    overrides: tuple[Override, ...] = field(
        default=(), metadata=doc("Dated exceptions (closures, special hours); they beat the weekly rules.")
    )
    note: Text | None = field(default=None, metadata=doc("A remark about the hours, shown with them."))
    reported: bool = field(
        default=False,
        metadata=doc(
            "`true` for hours a named `source` reports but nobody has confirmed. They are shown as "
            'reported and unconfirmed (据报 08:00–24:00，未确认) and never make the channel "open now".'
        ),
    )
    source: Source | None = field(
        default=None,
        metadata=doc("Where the hours come from (a source table); required when `reported = true`."),
    )
    #: Set when the kiosk's operator gave these hours for their own branch (not read from packs):
    #: the branch's name, shown to customers as the source of the hours.
    set_by_branch: str | None = field(default=None, metadata=doc("internal", kind="internal"))

    @property
    def confirmed(self) -> bool:
        """Whether the hours may say "open now": a weekly table nobody marked as only reported."""
        return self.state == ScheduleState.WEEKLY and not self.reported

    @classmethod
    def unknown(cls) -> Schedule:
        return cls(state=ScheduleState.UNKNOWN)

    @classmethod
    def always(cls) -> Schedule:
        return cls(state=ScheduleState.ALWAYS)


@dataclass(frozen=True)
class Source:
    """Where a contact fact comes from, when it was checked and how sure we are."""

    url: str = field(
        metadata=doc(
            "Where the fact comes from (`https:` or `http:`; many government pages are http only).", kind="source_url"
        )
    )
    verified: _dt.date = field(metadata=doc("Date someone last checked the fact against the source."))
    confidence: Confidence = field(metadata=doc("`high`, `medium` or `low`."))
    kind: SourceKind = field(
        default=SourceKind.OTHER,
        metadata=doc(
            "Who published it: `official` (the provider's own page or app), `regulator` (PBoC, NFRA, CSRC, "
            "CAC, MIIT, SAMR ...), `government` (other government bodies, police, courts), `media` (national "
            "or regional news media, a bank's or university's notice) or `other` (blogs, forums, mirrors, "
            "content farms, compilations). Customers see it in their language."
        ),
    )
    title: str | None = field(default=None, metadata=doc("Optional human-readable name of the source."))


@dataclass(frozen=True)
class Manifest:
    """Who a pack is: id, names, version, format and languages."""

    id: str = field(metadata=doc("Pack id: lowercase slug, unique among installed packs.", kind="slug"))
    name: Text = field(metadata=doc("Wallet or desk name as customers know it."))
    summary: Text = field(metadata=doc("One line describing what the pack covers."))
    brand_colour: str = field(metadata=doc('Tile colour, `"#RRGGBB"`.', kind="colour"))
    version: str = field(metadata=doc("The pack's own version (PEP 440, e.g. `1.2.0`).", kind="version"))
    locales: tuple[str, ...] = field(metadata=doc("Locales the pack is written in (`zh-CN`, `en`).", kind="locales"))
    aliases: tuple[str, ...] = field(
        default=(),
        metadata=doc(
            "Other names customers call the wallet by, in any script: Chinese (`微信`), pinyin (`weixin`), "
            "initials (`wx`), English (`wechat`). With `name`, a search that names the wallet shows this "
            "wallet's guides and contacts first and leaves other wallets' out; slips of an alias of five "
            "letters or more count too. At least two characters each.",
            kind="aliases",
        ),
    )
    popular: tuple[str, ...] = field(
        default=(),
        metadata=doc(
            "Ids of this pack's guides customers ask for most, most asked first: the search screen "
            "lists them before a key is pressed.",
            kind="guide_refs",
        ),
    )
    requires_kiosk: str | None = field(
        default=None,
        metadata=doc(
            "Optional PEP 440 range of kiosk versions the pack works with (e.g. `>=0.1,<1`). "
            "A pack outside the range is quarantined with a message saying what to install.",
            kind="specifier",
        ),
    )
    #: SHA-256 of the document the pack was read from (set by the reader, not written in packs); two
    #: packs read from different bytes can be equal, so it takes no part in comparisons.
    digest: str | None = field(default=None, compare=False, metadata=doc("internal", kind="internal"))


@dataclass(frozen=True)
class Channel:
    """One way to reach help: a hotline, a chat, an in-app path, a regulator."""

    id: str = field(metadata=doc("Channel id, unique within the pack.", kind="slug"))
    kind: ChannelKind = field(
        metadata=doc("`hotline`, `chat`, `in_app`, `web`, `email`, `social`, `regulator` or `police`.")
    )
    label: Text = field(metadata=doc('What the channel is called ("Customer service hotline").'))
    value: Value = field(
        metadata=doc(
            "What to dial, type or tap: a phone number for `hotline`/`regulator`/`police` (checked and "
            "normalised), an `https:` address for `web`, an address for `email`, a menu path or "
            "account name for `in_app`/`social`/`chat` (a plain string, or a locale table when "
            "the path differs by app language).",
            kind="channel_value",
        )
    )
    purpose: Text = field(metadata=doc("What the channel is for."))
    source: str = field(metadata=doc("Where this contact fact comes from (`https:` or `http:`).", kind="source_url"))
    verified: _dt.date = field(metadata=doc("Date the fact was last checked against `source`."))
    confidence: Confidence = field(metadata=doc("`high`, `medium` or `low`."))
    hours: Schedule = field(
        metadata=doc(
            'When a person answers (or, for `self_service` channels, when it works): `"unknown"`, '
            '`"always"` or a schedule table. Never guess: unknown hours are `"unknown"`.'
        )
    )
    audience: tuple[Audience, ...] = field(
        default=(Audience.CONSUMER,),
        metadata=doc("Who it serves: `consumer`, `merchant`, `overseas`.", default_doc='["consumer"]'),
    )
    automated_hours: Schedule | None = field(
        default=None,
        metadata=doc("When the automated service (voice menu, bot) answers, if it differs from `hours`."),
    )
    self_service: bool = field(default=False, metadata=doc("True when no person answers (an app menu, a web form)."))
    country: str = field(
        default="CN",
        metadata=doc("ISO country the phone number belongs to (`CN`, `US`, ...), for normalisation.", kind="country"),
    )
    note: Text | None = field(default=None, metadata=doc("A caution shown with the channel."))
    source_kind: SourceKind = field(
        default=SourceKind.OTHER,
        metadata=doc(
            "Who published `source`: `official`, `regulator`, `government`, `media` or `other` (as a "
            "source's `kind`). A phone number (`hotline`, `regulator`, `police`) or a `web` address needs "
            "at least one source better than `other`, here or in `sources`."
        ),
    )
    sources: tuple[Source, ...] = field(
        default=(), metadata=doc("Further sources for the same contact fact (source tables), besides `source`.")
    )
    keywords: tuple[str, ...] = field(
        default=(),
        metadata=doc(
            "Search words for the channel in any language (`人工客服`, `rengong kefu`, `hotline`); its label, "
            "purpose and number are searched too."
        ),
    )

    @property
    def primary_source(self) -> Source:
        """`source`, `source_kind`, `verified` and `confidence` as one Source."""
        return Source(url=self.source, verified=self.verified, confidence=self.confidence, kind=self.source_kind)

    @property
    def all_sources(self) -> tuple[Source, ...]:
        return (self.primary_source, *self.sources)

    @property
    def best_source(self) -> Source:
        """The most trusted source (the first given among equals): what a customer is shown."""
        return best_source(self.all_sources)


def best_source(sources: tuple[Source, ...] | list[Source]) -> Source:
    """The source of the most trusted kind; among equals the first given. `sources` must not be empty."""
    best = sources[0]
    for source in sources[1:]:
        if source.kind > best.kind:
            best = source
    return best


@dataclass(frozen=True)
class Step:
    """One thing to try in a guide."""

    text: Text = field(metadata=doc("What to do in this step."))
    detail: Text | None = field(default=None, metadata=doc("Extra explanation shown under the step."))
    channel: str | None = field(
        default=None,
        metadata=doc(
            "A channel this step uses (id in this pack, or `general:ID`); its live status is shown.", kind="channel_ref"
        ),
    )
    continues: bool = field(
        default=True,
        metadata=doc(
            "If this step did not help, can the customer continue with the next one? `false` sends "
            "them straight to the escalation channels."
        ),
    )
    otherwise_step: int | None = field(
        default=None,
        metadata=doc(
            "If this step did not work, go to this step (counted from 1) instead of the next one. The "
            'guide screen then asks "did this work? yes / no" here.',
            kind="step_number",
        ),
    )
    otherwise_guide: str | None = field(
        default=None,
        metadata=doc(
            "If this step did not work, go to this guide: an id in this pack, or `PACK:GUIDE` for another "
            'pack\'s guide. The guide screen then asks "did this work? yes / no" here.',
            kind="guide_link",
        ),
    )


@dataclass(frozen=True)
class Guide:
    """A step-by-step fix for one problem, and where to turn when it does not work."""

    id: str = field(metadata=doc("Guide id, unique within the pack.", kind="slug"))
    category: Category = field(
        metadata=doc(
            "`account`, `password`, `payment`, `transfer`, `refund`, `fees`, `security`, `complaint` or `scam`."
        )
    )
    title: Text = field(metadata=doc('The problem in the customer\'s words ("I forgot my payment password").'))
    summary: Text = field(metadata=doc("One or two sentences: what this guide gets you to."))
    steps: tuple[Step, ...] = field(metadata=doc("Ordered steps.", kind="nonempty"))
    sources: tuple[Source, ...] = field(metadata=doc("Where the procedure comes from.", kind="nonempty"))
    keywords: tuple[str, ...] = field(
        default=(),
        metadata=doc("Search words and aliases in any language: Chinese, pinyin, English, common misspellings."),
    )
    prepare: tuple[Text, ...] = field(default=(), metadata=doc("What to have ready before contacting anyone."))
    escalate: tuple[str, ...] = field(
        default=(),
        metadata=doc(
            "Channels to turn to when the steps did not help, in order (ids or `general:ID`).", kind="channel_refs"
        ),
    )
    related: tuple[str, ...] = field(
        default=(),
        metadata=doc(
            "Related guides: ids in this pack, or `PACK:GUIDE` for another wallet's guide (a stolen phone "
            "links to freezing the other wallets). A link to a pack that is not installed is not shown.",
            kind="guide_links",
        ),
    )


@dataclass(frozen=True)
class ChecklistItem:
    """A security habit or setting, and why it matters."""

    id: str = field(metadata=doc("Item id, unique within the pack.", kind="slug"))
    text: Text = field(metadata=doc("The habit or setting, as an instruction."))
    why: Text = field(metadata=doc("Why it matters."))
    how: Text | None = field(default=None, metadata=doc("How to do it (menu path, steps)."))
    scope: Scope = field(default=Scope.WALLET, metadata=doc("`wallet` (specific to this wallet) or `general`."))


@dataclass(frozen=True)
class ScamWarning:
    """A common scam: what it looks like and what to do."""

    id: str = field(metadata=doc("Warning id, unique within the pack.", kind="slug"))
    title: Text = field(metadata=doc("Short name of the scam."))
    how_it_works: Text = field(metadata=doc("How the scam unfolds."))
    signs: tuple[Text, ...] = field(metadata=doc("Warning signs a customer can recognise.", kind="nonempty"))
    what_to_do: Text = field(metadata=doc("What to do if it happens."))
    sources: tuple[Source, ...] = field(metadata=doc("Where the pattern is documented.", kind="nonempty"))
    keywords: tuple[str, ...] = field(default=(), metadata=doc("Search words and aliases."))


@dataclass(frozen=True)
class NeverAsks:
    """Something official service never asks for."""

    id: str = field(metadata=doc("Fact id, unique within the pack.", kind="slug"))
    text: Text = field(metadata=doc('What official service never asks for ("your SMS verification code").'))
    sources: tuple[Source, ...] = field(metadata=doc("Who says so.", kind="nonempty"))


@dataclass(frozen=True)
class EscalationRung:
    """One step up the complaint ladder, and the evidence to keep for it."""

    id: str = field(metadata=doc("Rung id, unique within the pack.", kind="slug"))
    title: Text = field(metadata=doc("Who to turn to at this rung."))
    when: Text = field(metadata=doc("When to move to this rung."))
    handles: Text = field(metadata=doc("Which kind of provider or problem this body handles."))
    evidence: tuple[Text, ...] = field(default=(), metadata=doc("What evidence to keep and bring."))
    channels: tuple[str, ...] = field(default=(), metadata=doc("Channels of this rung (ids).", kind="channel_refs"))
    sources: tuple[Source, ...] = field(default=(), metadata=doc("Where the rule comes from."))


@dataclass(frozen=True)
class PrepareItem:
    """Something to have ready before contacting a provider."""

    id: str = field(metadata=doc("Item id, unique within the pack.", kind="slug"))
    text: Text = field(metadata=doc("What to have ready."))
    why: Text | None = field(default=None, metadata=doc("Why the agent will ask for it."))


class Intent(enum.StrEnum):
    """What a query using a synonym group's words asks for."""

    #: A way to reach a person: contact cards rank first.
    CONTACT = "contact"
    #: Whether something is a scam: scam warnings are not put behind a named wallet's guides.
    SCAM = "scam"


@dataclass(frozen=True)
class SynonymGroup:
    """Words customers use for the same thing, for search."""

    words: tuple[str, ...] = field(
        metadata=doc(
            "Ways of saying one thing, in any script (`退款`, `退钱`, `tuiqian`, `refund`, `money back`). "
            "An item whose title contains one of them, or whose keywords list one, is found by all of "
            "them. At least two words, each of two characters or more.",
            kind="synonyms",
        )
    )
    intent: Intent | None = field(
        default=None,
        metadata=doc(
            "`contact` when these words ask for a way to reach someone (contact cards then rank first), "
            "`scam` when they ask about a scam (scam warnings then keep their place before a named "
            "wallet's guides)."
        ),
    )


@dataclass(frozen=True)
class Pack:
    """One pack document: the manifest and everything it knows."""

    format: int = field(metadata=doc("Pack format version. This kiosk reads format 1.", kind="format"))
    pack: Manifest = field(metadata=doc("The manifest."))
    channels: tuple[Channel, ...] = field(default=(), metadata=doc("Contact channels."))
    guides: tuple[Guide, ...] = field(default=(), metadata=doc("Issue guides."))
    checklist: tuple[ChecklistItem, ...] = field(default=(), metadata=doc("Security checklist items."))
    scams: tuple[ScamWarning, ...] = field(default=(), metadata=doc("Scam warnings."))
    never_asks: tuple[NeverAsks, ...] = field(default=(), metadata=doc('"Official service never asks for ..." facts.'))
    escalation: tuple[EscalationRung, ...] = field(
        default=(), metadata=doc("The complaint ladder, first rung first (normally only the general pack).")
    )
    prepare: tuple[PrepareItem, ...] = field(
        default=(), metadata=doc('The "prepare before you call" list (normally only the general pack).')
    )
    synonyms: tuple[SynonymGroup, ...] = field(
        default=(),
        metadata=doc(
            "Colloquial and other ways of saying a problem, for search. Groups apply to every installed "
            "pack's guides, scam warnings and channels, so general ones belong in the general pack."
        ),
    )

    @property
    def id(self) -> str:
        return self.pack.id

    def channel(self, channel_id: str) -> Channel | None:
        for channel in self.channels:
            if channel.id == channel_id:
                return channel
        return None

    def guide(self, guide_id: str) -> Guide | None:
        for guide in self.guides:
            if guide.id == guide_id:
                return guide
        return None
