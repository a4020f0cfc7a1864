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

#: Comma-separated pack ids; when set, only these installed packs load ("" loads none).
ENV_ALLOW = "KIOSK_PACKS_ALLOW"
#: Comma-separated pack ids that never load, even if allowed.
ENV_BLOCK = "KIOSK_PACKS_BLOCK"


class PackStatus(enum.StrEnum):
    LOADED = "loaded"
    QUARANTINED = "quarantined"
    DISABLED = "disabled"  # blocked or not allowed by the operator; never imported
    DISCOVERED = "discovered"  # listed from metadata only; not imported


@dataclass(frozen=True)
class InstalledPack:
    """What entry-point metadata says about a pack plugin, without importing it."""

    entry_point: str
    target: str
    distribution: str | None
    version: str | None
    builtin: bool = False
    requires_kiosk: str | None = None


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
            "file": self.file,
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
        for record in self.records:
            if record.id == pack_id:
                return record
        return None


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
