"""How healthy this kiosk is: one report, judged once, rendered as text, JSON and metrics.

`evaluate()` turns what the kiosk loads (the configuration and what is wrong
with it, the packs) and what the front doors say about themselves (their status
files) into a `StatusReport`: findings, each healthy, degraded or broken, and
the facts behind them. `kiosk status` prints it (kiosk.status_cli), the console
kiosk's node_exporter textfile and the doors' /metrics show it (kiosk.metrics);
none of them judges anything itself.

What is judged:
- packs: loaded, quarantined (with the reason), disabled by the operator, or
  awaiting approval; no general pack, or no wallet at all, is broken;
- facts: every `verified` date older than `max_fact_age_days`, and the oldest
  fact of each pack;
- the clock: behind the newest `verified` date (the clock is wrong, and hours
  with it), or in a year the holiday calendar has no notice for; from
  December on, next year's notice missing;
- the configuration: exactly what `kiosk config check` finds (kiosk.configcheck);
- the front doors: whether `kiosk ssh` and `kiosk web` run and listen, their
  sessions now and their refusals by reason (their status files).

Health is also the exit code of `kiosk status`: 0 healthy, 1 degraded, 2 broken.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.errors import Issue, Severity
from kiosk.model import GENERAL_PACK_ID, Pack
from kiosk.packset import PackRecord, PackSet, PackStatus

#: The front doors that keep a status file, and the file's name in the state folder.
DOORS = ("ssh", "web")
#: A status file not rewritten for this long belongs to a door that is not running (it writes every 10 s).
DOOR_STALE_AFTER = _dt.timedelta(seconds=30)
#: The time zone of "today" for verified dates and the holiday calendar (mainland China).
ZONE = "Asia/Shanghai"


class Health(enum.IntEnum):
    """Also the exit code of `kiosk status` (as a Nagios-style check reads it)."""

    HEALTHY = 0
    DEGRADED = 1
    BROKEN = 2

    def __str__(self) -> str:
        return self.name.lower()


#: What a pack's state is called in reports and metric labels.
AWAITING_APPROVAL = "awaiting-approval"


@dataclass(frozen=True)
class Finding:
    """One thing an operator should know: which check, how bad, and what it is, in one line."""

    check: str
    health: Health
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"check": self.check, "health": str(self.health), "message": self.message}


@dataclass(frozen=True)
class Fact:
    """A `verified` date in a pack: where it is and when the fact was last checked."""

    pack: str
    where: str
    verified: _dt.date

    def age_days(self, today: _dt.date) -> int:
        return (today - self.verified).days

    def as_dict(self, today: _dt.date) -> dict[str, object]:
        return {
            "pack": self.pack,
            "where": self.where,
            "verified": self.verified.isoformat(),
            "age_days": self.age_days(today),
        }


@dataclass(frozen=True)
class PackHealth:
    """One pack as `kiosk status` sees it."""

    id: str
    #: loaded, quarantined, disabled or awaiting-approval.
    state: str
    record: PackRecord
    #: Its facts, oldest first (none for a pack that did not load).
    facts: tuple[Fact, ...] = ()
    stale: tuple[Fact, ...] = ()

    @property
    def oldest(self) -> Fact | None:
        return self.facts[0] if self.facts else None

    @property
    def newest(self) -> Fact | None:
        return self.facts[-1] if self.facts else None

    def as_dict(self, today: _dt.date) -> dict[str, object]:
        record = self.record
        return {
            "id": self.id,
            "state": self.state,
            "status": str(record.status),
            "provenance": record.provenance,
            "distribution": record.distribution,
            "version": record.version,
            "pack_version": record.pack_version,
            "reason": record.error,
            "facts": len(self.facts),
            "oldest_fact": self.oldest.as_dict(today) if self.oldest else None,
            "stale_facts": [fact.as_dict(today) for fact in self.stale],
        }


@dataclass(frozen=True)
class CalendarState:
    name: str
    years: tuple[int, ...]
    #: The law's statutory days apply to this year (no notice for it).
    statutory_this_year: bool


@dataclass(frozen=True)
class DoorState:
    """A front door as its status file says (see `read_door`)."""

    door: str
    #: running, not running (no file: never started or stopped cleanly), stopped (a stale file:
    #: it died or hangs), unreadable.
    state: str
    expected: bool = False
    detail: str = ""
    pid: int | None = None
    listening: tuple[str, ...] = ()
    sessions_active: int | None = None
    sessions_total: int | None = None
    refused: Mapping[str, int] = field(default_factory=dict)
    started: str | None = None
    updated: str | None = None

    @property
    def running(self) -> bool:
        return self.state == "running"

    def as_dict(self) -> dict[str, object]:
        return {
            "door": self.door,
            "state": self.state,
            "expected": self.expected,
            "detail": self.detail or None,
            "pid": self.pid,
            "listening": list(self.listening),
            "sessions_active": self.sessions_active,
            "sessions_total": self.sessions_total,
            "refused": dict(self.refused),
            "started": self.started,
            "updated": self.updated,
        }


@dataclass(frozen=True)
class StatusReport:
    generated: _dt.datetime
    today: _dt.date
    config_file: str
    config_issues: tuple[Issue, ...]
    packs: tuple[PackHealth, ...]
    max_fact_age_days: int
    newest_fact: Fact | None
    calendars: tuple[CalendarState, ...]
    doors: tuple[DoorState, ...]
    findings: tuple[Finding, ...]

    @property
    def health(self) -> Health:
        return max((f.health for f in self.findings), default=Health.HEALTHY)

    def check_health(self, check: str) -> Health:
        return max((f.health for f in self.findings if f.check == check), default=Health.HEALTHY)

    @property
    def stale_facts(self) -> tuple[Fact, ...]:
        return tuple(fact for pack in self.packs for fact in pack.stale)

    def as_dict(self) -> dict[str, object]:
        from kiosk import __version__

        today = self.today
        return {
            "health": str(self.health),
            "exit_code": int(self.health),
            "generated": self.generated.isoformat(timespec="seconds"),
            "kiosk_version": __version__,
            "findings": [f.as_dict() for f in self.findings],
            "config": {"file": self.config_file, "issues": [i.as_dict() for i in self.config_issues]},
            "packs": [p.as_dict(today) for p in self.packs],
            "facts": {"max_age_days": self.max_fact_age_days, "stale": len(self.stale_facts)},
            "clock": {
                "today": today.isoformat(),
                "newest_verified": self.newest_fact.as_dict(today) if self.newest_fact else None,
                "calendars": [
                    {"name": c.name, "years": list(c.years), "statutory_this_year": c.statutory_this_year}
                    for c in self.calendars
                ],
            },
            "doors": [d.as_dict() for d in self.doors],
        }


# -- facts ------------------------------------------------------------------------------


def facts_of(pack: Pack) -> list[Fact]:
    """Every `verified` date of a pack with a readable place (`channel 95188`, `guide x source 2`)."""
    found: list[Fact] = []
    for section, items in (
        ("channel", pack.channels),
        ("guide", pack.guides),
        ("scam", pack.scams),
        ("never-asks", pack.never_asks),
        ("escalation", pack.escalation),
    ):
        for item in items:
            found += (Fact(pack.id, f"{section} {item.id}{where}", day) for where, day in _dates(item, ""))
    return found


def _dates(value: object, where: str) -> Iterator[tuple[str, _dt.date]]:
    """(place, date) of every `verified` in a model object, however deep (sources, hours' sources)."""
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return
    for f in dataclasses.fields(value):
        item = getattr(value, f.name)
        if f.name == "verified" and isinstance(item, _dt.date):
            yield where, item
        elif isinstance(item, tuple):
            for index, element in enumerate(item):
                yield from _dates(element, f"{where} {f.name.rstrip('s')} {index + 1}")
        elif dataclasses.is_dataclass(item):
            yield from _dates(item, f"{where} {f.name}")


_FUTURE = re.compile(r"^(\d{4}-\d{2}-\d{2})\b")


def _future_dates(record: PackRecord, today: _dt.date) -> list[Fact]:
    """Verified dates after today that reading a pack reported (such a pack may not have loaded)."""
    found = []
    for issue in record.issues:
        if issue.field.endswith("verified") and (match := _FUTURE.match(issue.message)):
            try:
                day = _dt.date.fromisoformat(match.group(1))
            except ValueError:
                continue
            if day > today:
                found.append(Fact(record.id, issue.field, day))
    return found


def pack_health(packs: PackSet, today: _dt.date, max_fact_age_days: int) -> tuple[PackHealth, ...]:
    """Every pack found, with its state, its facts oldest first and the stale ones among them."""
    loaded = {pack.id: pack for pack in packs.packs}
    limit = _dt.timedelta(days=max_fact_age_days)
    result = []
    recorded = {record.id for record in packs.records}
    # A PackSet made without the loader (a test, a tool) has packs but no records: each is loaded.
    unrecorded = [
        PackRecord(p.id, p.id, None, None, PackStatus.LOADED, name=p.pack.name, pack_version=p.pack.version)
        for p in packs.packs
        if p.id not in recorded
    ]
    for record in (*packs.records, *unrecorded):
        pack = loaded.get(record.id) if record.status is PackStatus.LOADED else None
        facts = sorted(facts_of(pack), key=lambda f: (f.verified, f.where)) if pack is not None else []
        stale = tuple(f for f in facts if today - f.verified > limit)
        result.append(PackHealth(record.id, _state(record), record, tuple(facts), stale))
    return tuple(result)


def _state(record: PackRecord) -> str:
    # The record's own rule: an unapproved pack that failed its checks is quarantined, since
    # approving it would not let it load.
    if record.awaiting_approval:
        return AWAITING_APPROVAL
    return str(record.status)


# -- doors ------------------------------------------------------------------------------


def door_file(door: str, folder: Path | None = None) -> Path:
    """Where a front door keeps its status: `<state folder>/<door>-status.json`."""
    if folder is None:
        from kiosk import paths

        folder = paths.state_dir()
    return folder / f"{door}-status.json"


def read_door(door: str, now: _dt.datetime, *, folder: Path | None = None, expected: bool = False) -> DoorState:
    """A front door's state from its status file: running only if fresh and its process is alive."""
    path = door_file(door, folder)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return DoorState(door, "not running", expected, "no status file: not started, or stopped cleanly")
    except (OSError, UnicodeDecodeError) as exc:
        return DoorState(door, "unreadable", expected, f"cannot read {path}: {exc}")
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        pid = _whole(data.get("pid"))
        updated = _dt.datetime.fromisoformat(str(data["updated"]))
        if updated.tzinfo is None:
            raise ValueError("'updated' has no time zone")
        refused = data.get("refused") or {}
        if not isinstance(refused, dict):
            raise ValueError("'refused' is not an object")
        state = DoorState(
            door,
            "running",
            expected,
            pid=pid,
            listening=tuple(str(a) for a in data.get("listening") or ()),
            sessions_active=_whole(data.get("sessions_active")),
            sessions_total=_whole(data.get("sessions_total")),
            refused={str(reason): _whole(count) or 0 for reason, count in refused.items()},
            started=str(data["started"]) if data.get("started") else None,
            updated=updated.isoformat(timespec="seconds"),
        )
    except (KeyError, ValueError, TypeError) as exc:
        return DoorState(door, "unreadable", expected, f"{path} is not a door status file: {exc}")
    age = now - updated
    if pid is None or not _alive(pid):
        return dataclasses.replace(state, state="stopped", detail=f"process {pid} is gone (it did not stop cleanly)")
    if age > DOOR_STALE_AFTER:
        seconds = int(age.total_seconds())
        return dataclasses.replace(state, state="stopped", detail=f"status not updated for {seconds} s (hung?)")
    return state


def _whole(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{value!r} is not a whole number")
    return value


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


# -- judging ------------------------------------------------------------------------------


def evaluate(
    *,
    now: _dt.datetime,
    packs: PackSet,
    config_file: str,
    config_issues: Sequence[Issue],
    max_fact_age_days: int,
    calendars: Iterable[CalendarState] | None = None,
    doors: Sequence[DoorState] = (),
) -> StatusReport:
    """The report: every finding, judged here and nowhere else.

    `config_issues`: what `kiosk config check` finds (kiosk.configcheck). `calendars`: the
    holiday calendars the kiosk uses (None: read them now).
    """
    from zoneinfo import ZoneInfo

    today = now.astimezone(ZoneInfo(ZONE)).date()
    health = pack_health(packs, today, max_fact_age_days)
    findings: list[Finding] = []
    findings += _pack_findings(packs, health)
    findings += _fact_findings(health, max_fact_age_days)
    facts = [f for p in health for f in p.facts] + [f for r in packs.records for f in _future_dates(r, today)]
    newest = max(facts, key=lambda f: f.verified, default=None)
    findings += _clock_findings(today, newest)
    calendar_states = tuple(read_calendars(today) if calendars is None else calendars)
    findings += _calendar_findings(today, calendar_states)
    for issue in config_issues:
        level = Health.DEGRADED if issue.severity is Severity.ERROR else Health.HEALTHY
        findings.append(Finding("config", level, str(issue)))
    findings += _door_findings(doors)
    return StatusReport(
        generated=now,
        today=today,
        config_file=config_file,
        config_issues=tuple(config_issues),
        packs=health,
        max_fact_age_days=max_fact_age_days,
        newest_fact=newest,
        calendars=calendar_states,
        doors=tuple(doors),
        findings=tuple(findings),
    )


def _pack_findings(packs: PackSet, health: Sequence[PackHealth]) -> list[Finding]:
    findings = []
    for pack in health:
        if pack.state == str(PackStatus.QUARANTINED):
            level = Health.BROKEN if pack.id == GENERAL_PACK_ID else Health.DEGRADED
            findings.append(Finding("packs", level, f"pack '{pack.id}' is quarantined: {pack.record.error}"))
        elif pack.state == AWAITING_APPROVAL:
            findings.append(
                Finding(
                    "packs",
                    Health.DEGRADED,
                    f"pack '{pack.id}' is awaiting approval (`kiosk packs approve {pack.id}`): customers do not see it",
                )
            )
    if packs.general is None and not any(p.id == GENERAL_PACK_ID and p.state == "quarantined" for p in health):
        findings.append(
            Finding("packs", Health.BROKEN, "the general pack is not loaded: no regulators, no escalation, no scams")
        )
    if not packs.wallets:
        findings.append(Finding("packs", Health.BROKEN, "no wallet pack is loaded: customers get no wallet help"))
    return findings


def _fact_findings(health: Sequence[PackHealth], max_age: int) -> list[Finding]:
    findings = []
    for pack in health:
        if pack.stale:
            oldest = pack.stale[0]
            findings.append(
                Finding(
                    "facts",
                    Health.DEGRADED,
                    f"pack '{pack.id}': {len(pack.stale)} fact(s) verified more than {max_age} days ago; "
                    f"oldest {oldest.verified} ({oldest.where.strip()})",
                )
            )
    return findings


def _clock_findings(today: _dt.date, newest: Fact | None) -> list[Finding]:
    if newest is None or newest.verified <= today:
        return []
    return [
        Finding(
            "clock",
            Health.DEGRADED,
            f"the system date {today} is earlier than the newest verified date {newest.verified} "
            f"(pack '{newest.pack}', {newest.where.strip()}): the clock is probably wrong, and "
            "'open now' and holidays with it",
        )
    ]


def read_calendars(today: _dt.date) -> list[CalendarState]:
    """The bundled holiday calendars with the operator's extra years, as the kiosk has them."""
    from kiosk.calendars import calendar_names, load_calendar

    states = []
    for name in calendar_names():
        calendar = load_calendar(name)
        states.append(CalendarState(name, calendar.years, calendar.applies_statutory(today.year)))
    return states


def _calendar_findings(today: _dt.date, calendars: Sequence[CalendarState]) -> list[Finding]:
    findings = []
    for calendar in calendars:
        if not calendar.years:
            continue
        first, last = calendar.years[0], calendar.years[-1]
        add = f"put {calendar.name}-YEAR.toml in calendars_dir once the State Council's notice is published"
        if today.year < first:
            findings.append(
                Finding(
                    "calendar",
                    Health.DEGRADED,
                    f"{calendar.name}: the system date {today} is before {first}, the first year the calendar "
                    "covers: the clock is probably wrong",
                )
            )
        elif today.year not in calendar.years:
            what = (
                "only the law's statutory days are known; bridging days and make-up workdays are not"
                if calendar.statutory_this_year
                else "holidays are not known at all"
            )
            findings.append(
                Finding(
                    "calendar",
                    Health.DEGRADED,
                    f"{calendar.name}: no holiday notice for {today.year} (covered: {first}-{last}): {what}; "
                    + add.replace("YEAR", str(today.year)),
                )
            )
        elif today.month == 12 and today.year + 1 not in calendar.years:
            findings.append(
                Finding(
                    "calendar",
                    Health.DEGRADED,
                    f"{calendar.name}: the holiday notice for {today.year + 1} is not installed; from 1 January only "
                    "the statutory days are known; " + add.replace("YEAR", str(today.year + 1)),
                )
            )
    return findings


def _door_findings(doors: Sequence[DoorState]) -> list[Finding]:
    findings = []
    for door in doors:
        name = f"kiosk {door.door}"
        if door.state == "running":
            if not door.listening:
                findings.append(Finding(door.door, Health.BROKEN, f"{name} runs but listens on no address"))
        elif door.state == "stopped":
            findings.append(Finding(door.door, Health.BROKEN, f"{name} is not running: {door.detail}"))
        elif door.state == "unreadable":
            findings.append(Finding(door.door, Health.DEGRADED, f"{name}: {door.detail}"))
        elif door.expected:
            findings.append(Finding(door.door, Health.BROKEN, f"{name} is not running ({door.detail})"))
    return findings


# -- text ----------------------------------------------------------------------------------


def text_lines(report: StatusReport) -> list[str]:
    """`kiosk status` for a person: the verdict first, then a line per area, then every finding."""
    health = report.health
    lines = [f"wallet-kiosk status: {str(health).upper()} (exit {int(health)})"]
    states: dict[str, int] = {}
    for pack in report.packs:
        states[pack.state] = states.get(pack.state, 0) + 1
    lines.append(f"  config    {report.config_file}: {_count(len(report.config_issues), 'problem')}")
    lines.append("  packs     " + (", ".join(f"{n} {state}" for state, n in states.items()) or "none found"))
    stale = report.stale_facts
    oldest = min((p.oldest for p in report.packs if p.oldest), key=lambda f: f.verified, default=None)
    facts_line = f"{_count(len(stale), 'fact')} verified more than {report.max_fact_age_days} days ago"
    if oldest is not None:
        facts_line += f"; oldest {oldest.verified} (pack '{oldest.pack}')"
    lines.append(f"  facts     {facts_line}")
    newest = f", newest verified date {report.newest_fact.verified}" if report.newest_fact else ""
    years = "; ".join(f"{c.name} {c.years[0]}-{c.years[-1]}" for c in report.calendars if c.years)
    lines.append(f"  clock     today {report.today}{newest}; holiday calendar {years or 'none'}")
    for door in report.doors:
        lines.append(f"  {door.door:<9} {_door_line(door)}")
    problems = [f for f in report.findings if f.health is not Health.HEALTHY]
    notes = [f for f in report.findings if f.health is Health.HEALTHY]
    if problems:
        lines.append("Problems:")
        lines += [f"  {f.health!s:<9} {f.check}: {f.message}" for f in problems]
    if notes:
        lines.append("Notes:")
        lines += [f"  {f.check}: {f.message}" for f in notes]
    lines.append("Packs:")
    for pack in report.packs:
        version = pack.record.pack_version or pack.record.version or "-"
        oldest_fact = f"oldest fact {pack.oldest.verified}" if pack.oldest else ""
        stale_text = f", {len(pack.stale)} stale" if pack.stale else ""
        reason = f"  {pack.record.error}" if pack.record.error and pack.state != "loaded" else ""
        lines.append(f"  {pack.id:<16} {pack.state:<18} {version:<10} {oldest_fact}{stale_text}{reason}".rstrip())
    return lines


def _door_line(door: DoorState) -> str:
    if door.state != "running":
        return f"{door.state}{' (expected)' if door.expected else ''}: {door.detail}"
    # The doors report every reason they can give, zeros included (for alerts); a person needs the others.
    refused = ", ".join(f"{reason} {count}" for reason, count in sorted(door.refused.items()) if count) or "none"
    listening = ", ".join(door.listening) or "nothing"
    return (
        f"running (pid {door.pid}), listening on {listening}, {door.sessions_active} session(s) now, "
        f"{door.sessions_total} in all; refused: {refused}"
    )


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


__all__ = [
    "AWAITING_APPROVAL",
    "DOORS",
    "CalendarState",
    "DoorState",
    "Fact",
    "Finding",
    "Health",
    "PackHealth",
    "StatusReport",
    "door_file",
    "evaluate",
    "facts_of",
    "pack_health",
    "read_calendars",
    "read_door",
    "text_lines",
]
