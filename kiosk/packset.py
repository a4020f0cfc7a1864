"""What loading packs produced: the packs, a record of every pack found, and the operator's lists.

These are plain data, imported by the loader (kiosk.discovery), the command
line and the UI alike; the UI needs a `PackSet` without the loader, pluggy or
the version rules behind it.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kiosk.errors import Issue
from kiosk.model import GENERAL_PACK_ID, Pack, Text
from kiosk.trust import Provenance, is_bundled_document

#: Comma-separated pack ids; when set, only these installed packs load ("" loads none).
ENV_ALLOW = "KIOSK_PACKS_ALLOW"
#: Comma-separated pack ids that never load, even if allowed.
ENV_BLOCK = "KIOSK_PACKS_BLOCK"


class PackStatus(enum.StrEnum):
    LOADED = "loaded"
    QUARANTINED = "quarantined"
    DISABLED = "disabled"  # blocked or not allowed by the operator; never imported
    DISCOVERED = "discovered"  # listed from metadata only; not imported
    #: Read and valid, but neither bundled nor approved: kept from customers in the kiosk and remote profiles.
    AWAITING_APPROVAL = "awaiting-approval"


@dataclass(frozen=True)
class InstalledPack:
    """What entry-point metadata says about a pack plugin, without importing it."""

    entry_point: str
    target: str
    distribution: str | None
    version: str | None
    builtin: bool = False
    requires_kiosk: str | None = None
    #: Where its metadata lies (the `*.dist-info` folder), to tell two copies of one distribution apart.
    location: str | None = None


@dataclass(frozen=True)
class PackRecord:
    """One row of `kiosk packs list`: a pack and what happened when it loaded."""

    id: str
    entry_point: str
    distribution: str | None
    version: str | None
    status: PackStatus
    name: Text | None = None
    pack_version: str | None = None
    error: str | None = None
    issues: tuple[Issue, ...] = ()
    file: str | None = None
    builtin: bool = False
    #: Where the pack came from (kiosk.trust); None when nothing was read (a metadata-only listing).
    provenance: Provenance | None = None
    #: SHA-256 of the pack document as read.
    sha256: str | None = None
    #: What the operator should know about the pack's claims: rejected numbers, conflicts, shared entry points.
    notes: tuple[str, ...] = ()
    location: str | None = None

    @property
    def awaiting_approval(self) -> bool:
        """A valid pack nobody approved yet (shown to customers only in development mode)."""
        return self.provenance is Provenance.UNAPPROVED and self.status in (
            PackStatus.LOADED,
            PackStatus.AWAITING_APPROVAL,
        )

    def as_dict(self, locale: str = "en") -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name[locale] if self.name else None,
            "entry_point": self.entry_point,
            "distribution": self.distribution,
            "version": self.version,
            "pack_version": self.pack_version,
            "status": str(self.status),
            "error": self.error,
            "builtin": self.builtin,
            "provenance": str(self.provenance) if self.provenance else None,
            "awaiting_approval": self.awaiting_approval,
            "sha256": self.sha256,
            "file": self.file,
            "location": self.location,
            "notes": list(self.notes),
            "issues": [issue.as_dict() for issue in self.issues],
        }


@dataclass(frozen=True)
class PackSet:
    """The packs the kiosk shows, plus what happened to every pack it found."""

    packs: tuple[Pack, ...]
    records: tuple[PackRecord, ...] = ()

    def get(self, pack_id: str) -> Pack | None:
        for pack in self.packs:
            if pack.id == pack_id:
                return pack
        return None

    @property
    def general(self) -> Pack | None:
        return self.get(GENERAL_PACK_ID)

    @property
    def wallets(self) -> tuple[Pack, ...]:
        """Packs shown as wallet tiles: everything but the general pack."""
        return tuple(p for p in self.packs if p.id != GENERAL_PACK_ID)

    @property
    def quarantined(self) -> tuple[PackRecord, ...]:
        return tuple(r for r in self.records if r.status is PackStatus.QUARANTINED)

    def record(self, pack_id: str) -> PackRecord | None:
        """The record of the pack loaded under `pack_id`, else the first record under that id."""
        found = [record for record in self.records if record.id == pack_id]
        loaded = [r for r in found if r.status is PackStatus.LOADED]
        return (loaded or found)[0] if found else None

    def provenance(self, pack: Pack) -> Provenance:
        """Where `pack` came from: its loaded record says; a set built without records (tests, tools)
        can only tell a document the kiosk ships, byte for byte, from everything else."""
        for record in self.records:
            if record.id == pack.id and record.status is PackStatus.LOADED and record.provenance is not None:
                return record.provenance
        return Provenance.BUNDLED if is_bundled_document(pack.pack.digest) else Provenance.UNAPPROVED


@dataclass
class Selection:
    """The operator's allow and block lists (pack ids or entry-point names)."""

    allow: frozenset[str] | None = None
    block: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Selection:
        environ = os.environ if environ is None else environ
        allow = environ.get(ENV_ALLOW)
        return cls(
            allow=None if allow is None else _split_ids(allow),
            block=_split_ids(environ.get(ENV_BLOCK, "")),
        )

    def refuses(self, name: str) -> str | None:
        """Why the operator's lists keep `name` out, or None."""
        if name in self.block:
            return f"blocked by {ENV_BLOCK}"
        if self.allow is not None and name not in self.allow:
            return f"not in {ENV_ALLOW}"
        return None


def _split_ids(value: str) -> frozenset[str]:
    return frozenset(part.strip() for part in value.split(",") if part.strip())


def discovered_records(installed: Iterable[InstalledPack]) -> list[PackRecord]:
    """Records for a metadata-only listing (`kiosk packs list --no-load`)."""
    return [
        PackRecord(
            id=p.entry_point,
            entry_point=p.entry_point,
            distribution=p.distribution,
            version=p.version,
            status=PackStatus.DISCOVERED,
            builtin=p.builtin,
            location=p.location,
        )
        for p in installed
    ]


__all__ = [
    "ENV_ALLOW",
    "ENV_BLOCK",
    "InstalledPack",
    "PackRecord",
    "PackSet",
    "PackStatus",
    "Selection",
    "discovered_records",
]
