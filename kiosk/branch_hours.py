"""Hours an operator gives for a channel at their own branch, applied over the loaded packs.

Some lines answer at hours that differ by place: 12363 is answered by each
province's PBoC branch, on that province's working hours. A bank branch knows
its own province's hours (and where they are published) better than any pack,
so the operator may give them for this kiosk. The kiosk then shows these hours,
names the branch as where they come from, and lets them drive "open now" like
confirmed pack hours (unless the operator marks them `reported = true`).

This module is the hook only: it reads one override table with the pack rules
and applies overrides to packs. Where the tables live (kiosk.toml) is the
configuration's business.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kiosk.errors import Issue, Severity
from kiosk.model import Pack, Schedule
from kiosk.packfile import FieldPath, format_path, read_schedule

__all__ = ["BranchHours", "apply_branch_hours", "read_branch_hours"]

_KEYS = ("channel", "hours", "automated")


@dataclass(frozen=True)
class BranchHours:
    """New hours for one channel: `channel` is `PACK:ID` (e.g. `general:pboc-12363`)."""

    channel: str
    hours: Schedule
    #: Replace the channel's `automated_hours` (voice menu) instead of its `hours`.
    automated: bool = False


def read_branch_hours(
    raw: Mapping[str, object], filename: str, *, text: str | None = None, path: FieldPath = ()
) -> tuple[BranchHours | None, tuple[Issue, ...]]:
    """One override table, `{ channel = "general:pboc-12363", hours = { ... }, automated = false }`.

    `hours` is read exactly like a pack's hours (rules, overrides, calendar, note,
    `reported` and `source`), so the same mistakes get the same file:line messages.
    """
    issues: list[Issue] = []

    def problem(field: FieldPath, message: str) -> None:
        issues.append(Issue(filename, None, format_path(field), message))

    if not isinstance(raw, Mapping):
        problem(path, 'must be a table like { channel = "general:pboc-12363", hours = { ... } }')
        return None, tuple(issues)
    for key in raw:
        if key not in _KEYS:
            problem((*path, key), f"unknown key '{key}'; known keys: {', '.join(_KEYS)}")
    channel = raw.get("channel")
    if not isinstance(channel, str) or channel.count(":") != 1 or not all(channel.split(":")):
        problem((*path, "channel"), 'must name a channel as "PACK:ID", e.g. "general:pboc-12363"')
    automated = raw.get("automated", False)
    if not isinstance(automated, bool):
        problem((*path, "automated"), "must be true or false")
    if "hours" not in raw:
        problem(path, "missing required field 'hours'")
        return None, tuple(issues)
    schedule, schedule_issues = read_schedule(raw["hours"], filename, text=text, path=(*path, "hours"))
    issues += schedule_issues
    if schedule is None or any(i.severity is Severity.ERROR for i in issues):
        return None, tuple(issues)
    assert isinstance(channel, str) and isinstance(automated, bool)
    return BranchHours(channel, schedule, automated), tuple(issues)


def apply_branch_hours(
    packs: Iterable[Pack], overrides: Iterable[BranchHours], branch: str
) -> tuple[tuple[Pack, ...], tuple[str, ...]]:
    """The packs with each override's hours in place, marked as set by `branch`; and the problems.

    An override naming a pack or channel that is not loaded changes nothing and is
    reported (for the operator log), so a typo never takes the kiosk down. A later
    override of the same channel wins.
    """
    by_pack: dict[str, list[BranchHours]] = {}
    for override in overrides:
        by_pack.setdefault(override.channel.split(":", 1)[0], []).append(override)
    result = []
    found: set[str] = set()
    for pack in packs:
        changes = by_pack.get(pack.id)
        if not changes:
            result.append(pack)
            continue
        channels = list(pack.channels)
        for override in changes:
            channel_id = override.channel.split(":", 1)[1]
            for index, channel in enumerate(channels):
                if channel.id == channel_id:
                    hours = dataclasses.replace(override.hours, set_by_branch=branch)
                    if override.automated:
                        channels[index] = dataclasses.replace(channel, automated_hours=hours)
                    else:
                        channels[index] = dataclasses.replace(channel, hours=hours)
                    found.add(override.channel)
        result.append(dataclasses.replace(pack, channels=tuple(channels)))
    problems = tuple(
        f"hours for '{o.channel}' were not applied: no such channel is loaded"
        for o in dict.fromkeys(o for group in by_pack.values() for o in group)
        if o.channel not in found
    )
    return tuple(result), problems
