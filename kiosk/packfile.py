"""Read a pack document (TOML) into the model, reporting every problem with file, line and field.

Reading is schema-driven: the dataclasses in `kiosk.model` are the schema.
Unknown keys are errors (they are almost always typos), every string is
checked for terminal control characters, and cross references (channels a
guide escalates to, related guides) must resolve.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
import re
import tomllib
import types
import typing
import unicodedata
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from functools import cache
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

from kiosk import model, phones, suggest, textsafety
from kiosk.errors import Issue, ReadResult, Severity
from kiosk.model import (
    GENERAL_PACK_ID,
    LOCALES,
    SUPPORTED_FORMATS,
    Channel,
    ChannelKind,
    Interval,
    Pack,
    Schedule,
    ScheduleState,
    SourceKind,
    Text,
    Value,
)
from kiosk.regularfile import MAX_DOCUMENT_BYTES, read_regular_file
from kiosk.tomllines import LineMap, error_position, scan
from kiosk.trust import document_digest

FieldPath = tuple[str | int, ...]

#: Facts checked longer ago than this get a warning: hours and menu paths drift.
STALE_AFTER = _dt.timedelta(days=365)

_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")
_INTERVAL = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")

_INVALID = object()


def _today() -> _dt.date:
    """The day `verified` dates are judged against when the caller names none: the computer's date."""
    return _dt.date.today()


_TOO_DEEP = "tables or arrays are nested too deeply to read; a pack document is only a few levels deep"


def format_path(path: FieldPath) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def read_pack_file(
    path: str | Path, *, external_channels: Mapping[str, frozenset[str]] | None = None, today: _dt.date | None = None
) -> ReadResult:
    path = Path(path)
    try:
        data = read_regular_file(path)
    except OSError as exc:
        issue = Issue(str(path), None, "", f"cannot read the file: {exc.strerror or exc}")
        return ReadResult(str(path), None, (issue,))
    return read_pack(data, str(path), external_channels=external_channels, today=today)


def read_pack(
    source: bytes | str,
    filename: str,
    *,
    external_channels: Mapping[str, frozenset[str]] | None = None,
    today: _dt.date | None = None,
) -> ReadResult:
    """Parse and validate one pack document.

    `external_channels` maps a pack id to the channel ids other packs may refer
    to as `ID:channel`; by default that is the built-in general pack.
    """
    size = len(source) if isinstance(source, bytes) else len(source.encode("utf-8", "surrogatepass"))
    if size > MAX_DOCUMENT_BYTES:
        issue = Issue(filename, None, "", f"the document is {size} bytes, more than the {MAX_DOCUMENT_BYTES} allowed")
        return ReadResult(filename, None, (issue,))
    if isinstance(source, bytes):
        try:
            text = source.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad_line = source[: exc.start].count(b"\n") + 1
            return ReadResult(filename, None, (Issue(filename, bad_line, "", "the file is not valid UTF-8"),))
    else:
        text = source
    # Windows editors write CRLF; a CR inside text would be a control character.
    text = text.replace("\r\n", "\n")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, message = error_position(exc)
        return ReadResult(filename, None, (Issue(filename, line, "", f"not valid TOML: {message}"),))
    except RecursionError:
        return ReadResult(filename, None, (Issue(filename, None, "", _TOO_DEEP),))
    reader = _Reader(filename, text, external_channels, today or _today())
    try:
        pack = reader.read(raw)
    except RecursionError:
        return ReadResult(filename, None, (*reader.issues, Issue(filename, None, "", _TOO_DEEP)))
    if pack is not None:
        # What the document was, byte for byte: how the kiosk recognises the packs it ships (kiosk.trust).
        data = source if isinstance(source, bytes) else source.encode("utf-8")
        pack = dataclasses.replace(pack, pack=dataclasses.replace(pack.pack, digest=document_digest(data)))
    return ReadResult(filename, pack, tuple(reader.issues))


def read_schedule(
    raw: object,
    filename: str,
    *,
    text: str | None = None,
    path: FieldPath = (),
    today: _dt.date | None = None,
) -> tuple[Schedule | None, tuple[Issue, ...]]:
    """Read one hours value (`"unknown"`, `"always"` or a table) with the pack rules.

    For hours written outside a pack (an operator's kiosk.toml): `path` is where the
    value sits in that document and `text` the document, so problems name its line.
    """
    reader = _Reader(filename, text or "", {}, today or _today())
    reader._check_characters(raw, path)
    schedule = reader.convert(Schedule, raw, path, {}) if not reader.issues else _INVALID
    ok = schedule is not _INVALID and not any(i.severity is Severity.ERROR for i in reader.issues)
    return (schedule if ok else None), tuple(reader.issues)  # type: ignore[return-value]


class _Reader:
    def __init__(
        self, filename: str, text: str, external_channels: Mapping[str, frozenset[str]] | None, today: _dt.date
    ) -> None:
        self.filename = filename
        self._source = text
        self._lines: LineMap | None = None
        self.issues: list[Issue] = []
        self._external = external_channels
        self.today = today

    # -- reporting ---------------------------------------------------------
    @property
    def lines(self) -> LineMap:
        # Finding lines means scanning the whole file again; a valid pack never needs it.
        if self._lines is None:
            self._lines = scan(self._source)
        return self._lines

    def error(self, path: FieldPath, message: str) -> None:
        self.issues.append(Issue(self.filename, self.lines.line_of(path), format_path(path), message))

    def warn(self, path: FieldPath, message: str) -> None:
        self.issues.append(Issue(self.filename, self.lines.line_of(path), format_path(path), message, Severity.WARNING))

    # -- entry ---------------------------------------------------------------
    def read(self, raw: dict) -> Pack | None:
        if not self._check_format(raw):
            return None
        self._check_characters(raw, ())
        if self.issues:
            return None
        pack = self.convert(Pack, raw, (), {})
        if not isinstance(pack, Pack):  # _INVALID: every reason is in self.issues
            return None
        self._cross_check(pack)
        self._check_one_line(pack)
        self._check_source_policy(pack, raw)
        self._check_translations(pack, raw)
        return pack if not any(i.severity is Severity.ERROR for i in self.issues) else None

    def _check_format(self, raw: dict) -> bool:
        version = raw.get("format")
        if version is None:
            self.error((), f"missing required field 'format' (the pack format version; this kiosk reads {_formats()})")
            return False
        if not isinstance(version, int) or isinstance(version, bool):
            self.error(("format",), f"must be an integer, not {_type_name(version)}")
            return False
        if version in SUPPORTED_FORMATS:
            return True
        if version > max(SUPPORTED_FORMATS):
            self.error(
                ("format",),
                f"pack format {version} is newer than this kiosk reads ({_formats()}); "
                "upgrade wallet-kiosk to a version that reads it",
            )
        else:
            self.error(
                ("format",),
                f"pack format {version} is older than this kiosk reads ({_formats()}); "
                "install a newer version of this pack",
            )
        return False

    def _check_characters(self, value: object, path: FieldPath) -> None:
        if isinstance(value, str):
            for index, description in textsafety.forbidden_characters(value)[:1]:
                self.error(
                    path,
                    f"contains the control character {description} at position {index}; "
                    "text shown on a terminal must not contain control, bidi, format or invisible characters",
                )
            run = textsafety.combining_run(value)
            if run is not None:
                self.error(
                    path,
                    f"has more than {textsafety.MAX_COMBINING} combining marks in a row at position {run}; "
                    "they stack over one character and can cover the text around it",
                )
        elif isinstance(value, dict):
            for key, item in value.items():
                if textsafety.forbidden_characters(key):
                    self.error(path, f"key {key!r} contains a control character")
                self._check_characters(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self._check_characters(item, (*path, index))

    # -- generic conversion ------------------------------------------------
    def convert(self, tp: object, raw: object, path: FieldPath, meta: Mapping) -> object:
        origin = typing.get_origin(tp)
        if origin in (typing.Union, types.UnionType):
            inner = [a for a in typing.get_args(tp) if a is not type(None)]
            return self.convert(inner[0], raw, path, meta)
        if origin is tuple:
            return self._tuple(typing.get_args(tp)[0], raw, path, meta)
        if tp is Schedule:
            return self._schedule(raw, path)
        if tp is Value:
            return self._value(raw, path)
        if tp is Text:
            return self._text(raw, path)
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            return self._dataclass(tp, raw, path)
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return self._enum(tp, raw, path)
        if tp is bool:
            return raw if isinstance(raw, bool) else self._wrong_type(path, "true or false", raw)
        if tp is int:
            if not isinstance(raw, int) or isinstance(raw, bool):
                return self._wrong_type(path, "an integer", raw)
            if meta.get("kind") == "step_number" and raw < 1:
                self.error(path, f"steps are counted from 1, so {raw} is no step")
                return _INVALID
            return raw
        if tp is _dt.date:
            if isinstance(raw, _dt.date) and not isinstance(raw, _dt.datetime):
                return self._date(raw, path, meta)
            return self._wrong_type(path, "a date like 2026-11-23 (no quotes, no time)", raw)
        if tp is str:
            if not isinstance(raw, str):
                return self._wrong_type(path, "a string", raw)
            return self._string(raw, path, meta.get("kind"))
        raise TypeError(f"no reader for {tp!r}")  # a model bug, not a pack problem

    def _wrong_type(self, path: FieldPath, expected: str, raw: object) -> object:
        self.error(path, f"must be {expected}, not {_type_name(raw)}")
        return _INVALID

    def _dataclass(self, cls: type, raw: object, path: FieldPath) -> object:
        if not isinstance(raw, dict):
            return self._wrong_type(path, "a table", raw)
        fields = [f for f in dataclasses.fields(cls) if f.metadata.get("kind") != "internal"]
        names = [f.name for f in fields]
        for key in raw:
            if key not in names:
                self.error((*path, key), f"unknown key '{key}'{suggest.hint(key, names, list_all='known keys')}")
        hints = _hints(cls)
        kwargs = {}
        ok = True
        for f in fields:
            if f.name not in raw:
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                    self.error(path, f"missing required field '{f.name}'")
                    ok = False
                continue
            value = self.convert(hints[f.name], raw[f.name], (*path, f.name), f.metadata)
            if value is _INVALID:
                ok = False
            else:
                kwargs[f.name] = value
        return cls(**kwargs) if ok else _INVALID

    def _tuple(self, item_type: object, raw: object, path: FieldPath, meta: Mapping) -> object:
        if not isinstance(raw, list):
            return self._wrong_type(path, "a list", raw)
        if meta.get("kind") == "nonempty" and not raw:
            self.error(path, "must not be empty")
            return _INVALID
        if meta.get("kind") == "synonyms" and len(raw) < 2:
            self.error(path, "a synonym group needs at least two words")
            return _INVALID
        if meta.get("kind") == "intervals":
            items = [self._interval(item, (*path, i)) for i, item in enumerate(raw)]
        else:
            kind = meta.get("kind")
            item_meta = {"kind": _ITEM_KIND[kind]} if kind in _ITEM_KIND else {}
            items = [self.convert(item_type, item, (*path, i), item_meta) for i, item in enumerate(raw)]
        return _INVALID if any(i is _INVALID for i in items) else tuple(items)

    def _enum(self, cls: type[enum.Enum], raw: object, path: FieldPath) -> object:
        choices = [m.value for m in cls]
        if isinstance(raw, str) and raw in choices:
            return cls(raw)
        hint = suggest.closest(raw, choices) if isinstance(raw, str) else None
        suggestion = f" (did you mean '{hint}'?)" if hint else ""
        self.error(path, f"{raw!r} is not one of: {', '.join(choices)}{suggestion}")
        return _INVALID

    def _date(self, value: _dt.date, path: FieldPath, meta: Mapping) -> object:
        if path and path[-1] == "verified":
            if value > self.today:
                # Only a warning: a kiosk whose clock is behind (a flat RTC battery, no network time
                # yet) would otherwise quarantine every pack and leave customers with no help at all.
                self.warn(
                    path,
                    f"{value} is in the future: this computer's date is {self.today}; if the date is right, "
                    "'verified' should be the day the fact was checked",
                )
            elif self.today - value > STALE_AFTER:
                self.warn(path, f"verified {value}, more than a year ago; check the fact again")
        return value

    def _text(self, raw: object, path: FieldPath) -> object:
        if isinstance(raw, str):
            self.error(path, 'must be a table of translations like { zh-CN = "...", en = "..." }, not a plain string')
            return _INVALID
        if not isinstance(raw, dict):
            return self._wrong_type(path, "a table of translations", raw)
        if not raw:
            self.error(path, "has no translations; give at least one of " + ", ".join(LOCALES))
            return _INVALID
        ok = True
        for locale, value in raw.items():
            if locale not in LOCALES:
                self.error(
                    (*path, locale),
                    f"'{locale}' is not a supported locale ({', '.join(LOCALES)}){suggest.hint(locale, LOCALES)}",
                )
                ok = False
            elif not isinstance(value, str):
                self._wrong_type((*path, locale), "a string", value)
                ok = False
            elif not value.strip():
                self.error((*path, locale), "is empty")
                ok = False
        return Text(raw) if ok else _INVALID

    def _value(self, raw: object, path: FieldPath) -> object:
        if isinstance(raw, str):
            if not raw.strip():
                self.error(path, "is empty")
                return _INVALID
            return Value(raw)
        text = self._text(raw, path)
        return Value(dict(text.items())) if isinstance(text, Text) else _INVALID

    def _interval(self, raw: object, path: FieldPath) -> object:
        if not isinstance(raw, str):
            return self._wrong_type(path, 'a string like "09:00-17:30"', raw)
        match = _INTERVAL.match(raw.strip())
        if not match:
            self.error(path, f'{raw!r} is not an interval like "09:00-17:30"')
            return _INVALID
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or m1 > 59 or h2 > 24 or m2 > 59 or (h2 == 24 and m2):
            self.error(path, f"{raw!r} has an impossible time of day")
            return _INVALID
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if end == start:
            self.error(path, f'{raw!r} is empty (start equals end); use "00:00-24:00" for the whole day')
            return _INVALID
        if end < start:
            end += 24 * 60  # runs past midnight into the next day
        return Interval(start, end)

    def _schedule(self, raw: object, path: FieldPath) -> object:
        if isinstance(raw, str):
            if raw == ScheduleState.UNKNOWN:
                return Schedule.unknown()
            if raw == ScheduleState.ALWAYS:
                return Schedule.always()
            self.error(path, f'{raw!r} is not "unknown", "always" or a table of hours')
            return _INVALID
        schedule = self._dataclass(Schedule, raw, path)
        if not isinstance(schedule, Schedule):
            return _INVALID
        for index, override in enumerate(schedule.overrides):
            if override.until is not None and override.until < override.date:
                self.error((*path, "overrides", index, "until"), f"{override.until} is before 'date' {override.date}")
        if not schedule.rules and not schedule.overrides:
            self.error(path, 'has no rules; write "unknown" if the hours are not known')
        if schedule.reported and schedule.source is None:
            self.error(
                (*path, "reported"),
                'reported hours need the source that reports them: add source = { url = "...", '
                'kind = "...", verified = ..., confidence = "..." } to this table',
            )
        uses_calendar_days = any(day in (model.DaySelector.HOLIDAY,) for rule in schedule.rules for day in rule.days)
        if uses_calendar_days and schedule.calendar is None:
            self.error(path, "a rule uses 'holiday' but the schedule names no 'calendar'")
        return schedule

    def _string(self, raw: str, path: FieldPath, kind: str | None) -> object:
        check = _STRING_CHECKS.get(kind) if kind is not None else None
        if check is None:
            if not raw.strip():
                self.error(path, "is empty")
                return _INVALID
            return raw
        problem = check(raw)
        if problem:
            self.error(path, problem)
            return _INVALID
        return raw

    # -- whole-pack checks ---------------------------------------------------
    def _cross_check(self, pack: Pack) -> None:
        for section in ("channels", "guides", "checklist", "scams", "never_asks", "escalation", "prepare"):
            seen: dict[str, int] = {}
            for index, item in enumerate(getattr(pack, section)):
                if item.id in seen:
                    self.error(
                        (section, index, "id"), f"duplicate id '{item.id}' (first used by {section}[{seen[item.id]}])"
                    )
                else:
                    seen[item.id] = index
        for index, channel in enumerate(pack.channels):
            self._check_channel_value(channel, ("channels", index))
        for locale in pack.pack.locales:
            if pack.pack.locales.count(locale) > 1:
                self.error(("pack", "locales"), f"'{locale}' is listed twice")
                break

        channel_ids = {c.id for c in pack.channels}
        guide_ids = {g.id for g in pack.guides}
        for g_index, guide in enumerate(pack.guides):
            base = ("guides", g_index)
            for r_index, ref in enumerate(guide.escalate):
                self._check_channel_ref(pack, channel_ids, ref, (*base, "escalate", r_index))
            for s_index, step in enumerate(guide.steps):
                if step.channel is not None:
                    self._check_channel_ref(pack, channel_ids, step.channel, (*base, "steps", s_index, "channel"))
            for r_index, ref in enumerate(guide.related):
                if ref == guide.id or ref == f"{pack.id}:{guide.id}":
                    self.error((*base, "related", r_index), "a guide cannot be related to itself")
                else:
                    self._check_guide_link(pack, guide_ids, ref, (*base, "related", r_index))
            for s_index, step in enumerate(guide.steps):
                where = (*base, "steps", s_index)
                if step.otherwise_step is not None:
                    if step.otherwise_step > len(guide.steps):
                        self.error(
                            (*where, "otherwise_step"),
                            f"the guide has {len(guide.steps)} steps, so there is no step {step.otherwise_step}",
                        )
                    elif step.otherwise_step == s_index + 1:
                        self.error((*where, "otherwise_step"), "a step cannot send the customer back to itself")
                if step.otherwise_guide is not None:
                    if step.otherwise_guide in (guide.id, f"{pack.id}:{guide.id}"):
                        self.error((*where, "otherwise_guide"), "use otherwise_step to go to a step of this guide")
                    else:
                        self._check_guide_link(pack, guide_ids, step.otherwise_guide, (*where, "otherwise_guide"))
        for p_index, ref in enumerate(pack.pack.popular):
            if ref not in guide_ids:
                self.error(
                    ("pack", "popular", p_index), f"no guide with id '{ref}' in this pack" + _suggest(ref, guide_ids)
                )
        if len(set(pack.pack.popular)) != len(pack.pack.popular):
            self.error(("pack", "popular"), "lists a guide twice")
        for e_index, rung in enumerate(pack.escalation):
            for r_index, ref in enumerate(rung.channels):
                self._check_channel_ref(pack, channel_ids, ref, ("escalation", e_index, "channels", r_index))

    def _check_guide_link(self, pack: Pack, guide_ids: set[str], ref: str, path: FieldPath) -> None:
        """A guide of this pack by id, or another pack's as PACK:GUIDE (checked when that pack is shown)."""
        pack_id, _, guide_id = ref.rpartition(":")
        if pack_id and pack_id != pack.id:
            return
        if guide_id not in guide_ids:
            self.error(path, f"no guide with id '{guide_id}' in this pack" + _suggest(guide_id, guide_ids))

    def _check_one_line(self, pack: Pack) -> None:
        """Names, labels, titles and values are one line: a line break there could draw something else."""
        fields: list[tuple[FieldPath, Text | None]] = [
            (("pack", "name"), pack.pack.name),
            (("pack", "summary"), pack.pack.summary),
        ]
        for index, channel in enumerate(pack.channels):
            fields += [(("channels", index, "label"), channel.label), (("channels", index, "value"), channel.value)]
        for section in ("guides", "scams", "escalation"):
            fields += [((section, index, "title"), item.title) for index, item in enumerate(getattr(pack, section))]
        for path, text in fields:
            if text is None:
                continue
            if isinstance(text, Value) and text.neutral is not None:
                values: tuple[tuple[str | None, str], ...] = ((None, text.neutral),)
            else:
                values = tuple(text.items())
            for locale, value in values:
                if "\n" in value.strip():
                    where = path if locale is None else (*path, locale)
                    self.error(where, "must be one line: a name, label, title or value has no line breaks")

    def _check_source_policy(self, pack: Pack, raw: dict) -> None:
        """A phone number or a web address must rest on at least one source better than `other`.

        Numbers and addresses are what scammers fake, and a number that only a blog
        or a content farm lists is exactly what the kiosk must never show as official.
        """
        channels_raw = raw.get("channels")
        raw_channels: list = channels_raw if isinstance(channels_raw, list) else []
        for index, channel in enumerate(pack.channels):
            if channel.kind not in model.PHONE_KINDS and channel.kind is not ChannelKind.WEB:
                continue
            if any(source.kind > SourceKind.OTHER for source in channel.all_sources):
                continue
            path = ("channels", index)
            table = raw_channels[index] if index < len(raw_channels) and isinstance(raw_channels[index], dict) else {}
            what = "a web address" if channel.kind is ChannelKind.WEB else f"a {channel.kind} number"
            why = (
                "source_kind is 'other'"
                if "source_kind" in table
                else "source_kind is not set, so 'source' counts as 'other'"
            )
            if channel.sources:
                why += f", and so do all {len(channel.sources)} entries of 'sources'"
            better = ", ".join(f"'{k}'" for k in model.TRUSTED_SOURCE_KINDS)
            # Point at the line a fix goes on: source_kind if written, else the source it describes.
            line_path = (*path, "source_kind") if "source_kind" in table else (*path, "source")
            self.issues.append(
                Issue(
                    self.filename,
                    self.lines.line_of(line_path),
                    format_path((*path, "source_kind")),
                    f"{what} needs at least one source better than 'other' ({why}). "
                    f"If 'source' is the provider's own page, a regulator's, a government body's or a news "
                    f"outlet's, set source_kind to one of {better}; otherwise add such a source: "
                    f'sources = [{{ url = "https://...", kind = "official", verified = {self.today}, '
                    f'confidence = "high" }}]',
                )
            )

    def _check_channel_ref(self, pack: Pack, local_ids: AbstractSet[str], ref: str, path: FieldPath) -> None:
        if ":" in ref:
            pack_id, channel_id = ref.split(":", 1)
            known: AbstractSet[str]
            if pack_id == pack.id:
                known = local_ids
            else:
                external = self._external if self._external is not None else _builtin_channels()
                if pack_id not in external:
                    self.error(
                        path,
                        f"'{ref}' refers to pack '{pack_id}'; only this pack's channels and "
                        f"{', '.join(sorted(f'{p}:ID' for p in external)) or 'none'} can be referenced",
                    )
                    return
                known = external[pack_id]
            if channel_id not in known:
                self.error(path, f"pack '{pack_id}' has no channel '{channel_id}'" + _suggest(channel_id, known))
        elif ref not in local_ids:
            self.error(path, f"no channel with id '{ref}' in this pack" + _suggest(ref, local_ids))

    def _check_channel_value(self, channel: Channel, path: FieldPath) -> None:
        value_path = (*path, "value")
        if channel.kind in model.PHONE_KINDS:
            if channel.value.neutral is None:
                self.error(value_path, f"a {channel.kind} value is a phone number: write it as a plain string")
                return
            try:
                phones.normalise(channel.value.neutral, channel.country)
            except phones.PhoneError as exc:
                self.error(value_path, f"not a valid phone number: {exc}")
        elif channel.kind is ChannelKind.WEB:
            if channel.value.neutral is None:
                self.error(value_path, "a web value is an address: write it as a plain string")
                return
            problem = _check_url(channel.value.neutral)
            if problem:
                self.error(value_path, problem)
        elif channel.kind is ChannelKind.EMAIL and (
            channel.value.neutral is None or not _EMAIL.match(channel.value.neutral)
        ):
            self.error(value_path, "not an email address like service@example.com")

    def _check_translations(self, pack: Pack, raw: dict) -> None:
        wanted = pack.pack.locales

        def walk(value: object, path: FieldPath) -> None:
            if isinstance(value, Text):
                if isinstance(value, Value) and value.neutral is not None:
                    return
                missing = [loc for loc in wanted if loc not in value.locales()]
                if missing:
                    self.warn(path, f"no {', '.join(missing)} translation; the other language is shown instead")
            elif dataclasses.is_dataclass(value):
                for f in dataclasses.fields(value):
                    walk(getattr(value, f.name), (*path, f.name))
            elif isinstance(value, tuple):
                for index, item in enumerate(value):
                    walk(item, (*path, index))

        walk(pack, ())


def _formats() -> str:
    return ", ".join(str(v) for v in sorted(SUPPORTED_FORMATS))


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, _dt.datetime):
        return "a date-time"
    if isinstance(value, _dt.date):
        return "a date"
    return type(value).__name__


def _suggest(word: str, choices: Iterable[str]) -> str:
    return suggest.hint(word, sorted(choices))


def _check_url(value: str) -> str | None:
    try:
        parts = urlsplit(value)
    except ValueError:
        return f"{value!r} is not a valid address"
    if parts.scheme != "https":
        return f"{value!r}: only https: addresses are allowed"
    return _host_problem(value, parts)


def _check_source_url(value: str) -> str | None:
    """A citation: `https:` or `http:` (many government pages are served over http only)."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return f"{value!r} is not a valid address"
    if parts.scheme not in ("https", "http"):
        return f"{value!r}: a source must be an https: or http: address"
    return _host_problem(value, parts)


def _host_problem(value: str, parts: SplitResult) -> str | None:
    """Why the address's host is not one a customer can read for what it is, or None.

    `https://www.alipay.com@evil.example/` leads to evil.example; `www.аlipay.com` (a Cyrillic а)
    and its punycode form `xn--...` are other hosts that look the same; an IP address says nothing.
    """
    if "@" in parts.netloc:
        return (
            f"{value!r} has user-info before its host (the part up to '@'): it really leads to "
            f"{parts.hostname or 'another host'}; write the address without it"
        )
    host = parts.hostname
    if not host or "." not in host or " " in value:
        return f"{value!r} has no valid host name"
    if not host.isascii():
        return f"{value!r}: the host name has non-ASCII characters, which can imitate another host; use its own name"
    if any(label.startswith("xn--") for label in host.split(".")):
        return f"{value!r}: the host name is punycode (xn--), which can imitate another host; use an ASCII name"
    if all(label.isdigit() for label in host.split(".")) or host.startswith("["):
        return f"{value!r}: the host is an IP address; use the publisher's host name"
    return None


def _check_slug(value: str) -> str | None:
    return None if model.is_slug(value) else f"{value!r} is not a valid id: {model.SLUG_RULE}"


def _check_colour(value: str) -> str | None:
    return None if _COLOUR.match(value) else f'{value!r} is not a colour like "#1677FF"'


def _check_version(value: str) -> str | None:
    from packaging.version import InvalidVersion, Version

    try:
        Version(value)
    except InvalidVersion:
        return f"{value!r} is not a version number like 1.2.0"
    return None


def _check_specifier(value: str) -> str | None:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        SpecifierSet(value)
    except InvalidSpecifier:
        return f'{value!r} is not a version range like ">=0.1,<1"'
    return None


def _check_timezone(value: str) -> str | None:
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return f'{value!r} is not an IANA time zone like "Asia/Shanghai"'
    return None


def _check_calendar(value: str) -> str | None:
    from kiosk.calendars import CALENDAR_NAMES

    if value in CALENDAR_NAMES:
        return None
    return f"{value!r} is not a bundled calendar (known: {', '.join(CALENDAR_NAMES)})"


def _check_country(value: str) -> str | None:
    if value in phones.COUNTRY_CODES:
        return None
    return f"{value!r} is not a supported country for phone numbers ({', '.join(sorted(phones.COUNTRY_CODES))})"


def _check_locale(value: str) -> str | None:
    return None if value in LOCALES else f"{value!r} is not a supported locale ({', '.join(LOCALES)})"


def _check_ref(value: str) -> str | None:
    pack_id, _, item_id = value.rpartition(":")
    if (pack_id and _check_slug(pack_id)) or _check_slug(item_id):
        return f'{value!r} is not a reference like "hotline" or "general:police-110"'
    return None


def _check_guide_ref(value: str) -> str | None:
    pack_id, _, item_id = value.rpartition(":")
    if (pack_id and _check_slug(pack_id)) or _check_slug(item_id):
        return f'{value!r} is not a guide reference like "refund" or "wechat:lost-phone"'
    return None


def _search_length(value: str) -> int:
    """Letters, digits and Chinese characters: what search compares (spaces and punctuation separate)."""
    return sum(1 for c in unicodedata.normalize("NFKC", value) if c.isalnum())


def _check_alias(value: str) -> str | None:
    if _search_length(value) < 2:
        return f"{value!r} is too short for an alias: a name of one letter would match almost every search"
    return None


def _check_synonym(value: str) -> str | None:
    if _search_length(value) < 2:
        return f"{value!r} is too short for a synonym: one letter or character would match almost everything"
    return None


_STRING_CHECKS = {
    "slug": _check_slug,
    "url": _check_url,
    "source_url": _check_source_url,
    "colour": _check_colour,
    "version": _check_version,
    "specifier": _check_specifier,
    "timezone": _check_timezone,
    "calendar": _check_calendar,
    "country": _check_country,
    "locale": _check_locale,
    "channel_ref": _check_ref,
    "guide_ref": _check_slug,
    "guide_link": _check_guide_ref,
    "alias": _check_alias,
    "synonym": _check_synonym,
}

#: The kind each item of a list field gets.
_ITEM_KIND = {
    "locales": "locale",
    "channel_refs": "channel_ref",
    "guide_refs": "guide_ref",
    "guide_links": "guide_link",
    "aliases": "alias",
    "synonyms": "synonym",
}


@cache
def _hints(cls: type) -> dict[str, object]:
    return typing.get_type_hints(cls, vars(model))


@cache
def _builtin_channels() -> dict[str, frozenset[str]]:
    """Channel ids of the built-in general pack, which every pack may escalate to."""
    from kiosk.builtin import general

    result = read_pack_file(general.PACK_FILE, external_channels={})
    ids = frozenset(c.id for c in result.pack.channels) if result.pack else frozenset()
    return {GENERAL_PACK_ID: ids}
