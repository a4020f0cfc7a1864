"""The operator's approvals of third-party packs: approvals.toml, next to kiosk.toml.

An approval binds one pack id to one source (a distribution, normalised, or
`local:FILE` for the local packs folder), its version and the SHA-256 of its
document, and keeps the contact facts (phone numbers and addresses) the
operator approved, so that approving an upgrade can show what changed. Only
`kiosk packs approve` and `kiosk packs revoke` write the file; it is replaced
atomically and keeps its mode and owner. A file that is unreadable, malformed,
or writable by someone other than root and the kiosk's user approves nothing
(the problem is reported): approvals fail closed. See kiosk.trust.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from kiosk.model import PHONE_KINDS, ChannelKind, Pack
from kiosk.trust import normalise_distribution, strict_modes_problem

APPROVALS_NAME = "approvals.toml"

#: Channel kinds whose values are contact facts an approval shows and compares.
CONTACT_KINDS = frozenset({*PHONE_KINDS, ChannelKind.WEB, ChannelKind.EMAIL})

_HEADER = (
    "# Third-party packs this kiosk's operator approved: only these and the bundled packs are shown\n"
    "# to customers. Written by `kiosk packs approve` and `kiosk packs revoke`; see docs/operating.md.\n"
)


def path_for(config_path: Path) -> Path:
    """Where the approvals of the kiosk configured by `config_path` live: beside it."""
    return config_path.parent / APPROVALS_NAME


@dataclass(frozen=True, order=True)
class ContactFact:
    """One number or address a pack lists, as the operator approves it."""

    channel: str
    kind: str
    value: str

    def __str__(self) -> str:
        return f"{self.kind} '{self.channel}': {self.value}"


@dataclass(frozen=True)
class Approval:
    pack: str
    #: The normalised distribution name, or `local:FILE`.
    source: str
    #: The distribution's version (None for a local file, which has none).
    version: str | None
    sha256: str
    approved: _dt.date
    pack_version: str | None = None
    contacts: tuple[ContactFact, ...] = ()

    def as_table(self) -> dict[str, object]:
        table: dict[str, object] = {"pack": self.pack, "source": self.source}
        if self.version is not None:
            table["version"] = self.version
        if self.pack_version is not None:
            table["pack_version"] = self.pack_version
        table["sha256"] = self.sha256
        table["approved"] = self.approved
        table["contacts"] = [{"channel": c.channel, "kind": c.kind, "value": c.value} for c in self.contacts]
        return table


@dataclass(frozen=True)
class Approvals:
    path: Path | None = None
    entries: tuple[Approval, ...] = ()
    #: Why the file approves nothing, when it does not.
    problems: tuple[str, ...] = field(default=())

    def approves(self, pack_id: str, source: str, version: str | None, digest: str) -> bool:
        """This exact pack: id, source, version and document."""
        source = _normalise_source(source)
        return any((a.pack, a.source, a.version, a.sha256) == (pack_id, source, version, digest) for a in self.entries)

    def covers(self, distribution: str | None, version: str | None) -> bool:
        """Some approval names this distribution and version (its document is checked once read)."""
        if distribution is None:
            return False
        source = normalise_distribution(distribution)
        return any((a.source, a.version) == (source, version) for a in self.entries)

    def of(self, pack_id: str) -> Approval | None:
        """The approval of `pack_id`, if any."""
        return next((a for a in self.entries if a.pack == pack_id), None)

    def with_approval(self, approval: Approval) -> Approvals:
        """These approvals, with `approval` replacing any earlier one of the same pack."""
        kept = tuple(a for a in self.entries if a.pack != approval.pack)
        return replace(self, entries=(*kept, approval), problems=())

    def without(self, pack_id: str) -> Approvals:
        return replace(self, entries=tuple(a for a in self.entries if a.pack != pack_id), problems=())

    def render(self) -> str:
        import tomli_w  # only writing needs it

        body = tomli_w.dumps({"approved": [a.as_table() for a in self.entries]}) if self.entries else ""
        return _HEADER + ("\n" + body if body else "")


def load(path: Path | None) -> Approvals:
    """The approvals in `path`; none (and why) when it is missing, unsafe or malformed."""
    if path is None:
        return Approvals()
    try:
        with open(path, "rb") as handle:
            problem = strict_modes_problem(path, os.fstat(handle.fileno()), what="approvals file")
            if problem:
                return Approvals(path, problems=(f"{problem}; no pack is approved until it is fixed",))
            data = handle.read(_MAX_SIZE + 1)
    except FileNotFoundError:
        return Approvals(path)
    except OSError as exc:
        return Approvals(path, problems=(f"cannot read approvals file {path}: {exc.strerror or exc}",))
    if len(data) > _MAX_SIZE:
        return Approvals(path, problems=(f"approvals file {path} is larger than {_MAX_SIZE} bytes",))
    try:
        raw = tomllib.loads(data.decode("utf-8"))
        entries = tuple(_approval(table) for table in raw.get("approved", []))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
        return Approvals(path, problems=(f"approvals file {path} is not valid ({exc}); no pack is approved",))
    return Approvals(path, entries)


#: Far more than any kiosk's approvals; a larger file is not one `kiosk packs approve` wrote.
_MAX_SIZE = 1024 * 1024


def _approval(table: dict) -> Approval:
    if not isinstance(table, dict):
        raise TypeError("each [[approved]] entry must be a table")
    approved = table["approved"]
    if not isinstance(approved, _dt.date) or isinstance(approved, _dt.datetime):
        raise ValueError(f"'approved' must be a date, not {approved!r}")
    version = table.get("version")
    return Approval(
        pack=_text(table["pack"]),
        source=_normalise_source(_text(table["source"])),
        version=None if version is None else _text(version),
        sha256=_text(table["sha256"]),
        approved=approved,
        pack_version=None if table.get("pack_version") is None else _text(table["pack_version"]),
        contacts=tuple(
            ContactFact(_text(c["channel"]), _text(c["kind"]), _text(c["value"])) for c in table.get("contacts", [])
        ),
    )


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, not {value!r}")
    return value


def _normalise_source(source: str) -> str:
    return source if source.startswith("local:") else normalise_distribution(source)


def save(approvals: Approvals) -> None:
    """Write `approvals` to its file, whole or not at all, keeping the file's mode and owner."""
    from kiosk.atomicfile import write_atomic  # only `kiosk packs approve/revoke` write

    assert approvals.path is not None
    approvals.path.parent.mkdir(parents=True, exist_ok=True)
    data = approvals.render().encode("utf-8")
    try:
        old = approvals.path.stat()
    except FileNotFoundError:
        write_atomic(approvals.path, data, durable=True)
    else:
        # An operator's file that root edits for the kiosk's user stays the kiosk user's.
        write_atomic(approvals.path, data, durable=True, mode=old.st_mode & 0o7777, owner=(old.st_uid, old.st_gid))


# -- contact facts ---------------------------------------------------------------------


def contact_facts(pack: Pack) -> tuple[ContactFact, ...]:
    """Every phone number and address `pack` lists, normalised where it is a number."""
    from kiosk import phones

    facts = []
    for channel in pack.channels:
        if channel.kind not in CONTACT_KINDS:
            continue
        value = next(channel.value.strings(), "")
        if channel.kind in PHONE_KINDS:
            with contextlib.suppress(phones.PhoneError):
                value = phones.normalise(value, channel.country).e164
        facts.append(ContactFact(channel.id, str(channel.kind), value))
    return tuple(sorted(facts))


def changes(before: Iterable[ContactFact], after: Iterable[ContactFact]) -> list[str]:
    """What changed in the contact facts, channel by channel: added, removed, changed."""
    old = {(f.channel, f.kind): f for f in before}
    new = {(f.channel, f.kind): f for f in after}
    lines = []
    for key in sorted(old.keys() | new.keys()):
        was, now = old.get(key), new.get(key)
        if was is None and now is not None:
            lines.append(f"added   {now}")
        elif now is None and was is not None:
            lines.append(f"removed {was}")
        elif was is not None and now is not None and was.value != now.value:
            lines.append(f"changed {now.kind} '{now.channel}': {was.value} -> {now.value}")
    return lines


__all__ = [
    "APPROVALS_NAME",
    "Approval",
    "Approvals",
    "ContactFact",
    "changes",
    "contact_facts",
    "load",
    "path_for",
    "save",
]
