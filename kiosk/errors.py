"""Validation findings that say where (file, line, field) and what, in plain words."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.model import Pack


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Issue:
    file: str
    line: int | None
    field: str
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f"{self.field}: {self.message}" if self.field else self.message
        prefix = "" if self.severity is Severity.ERROR else "warning: "
        return f"{where}: {prefix}{what}"

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "message": self.message,
            "severity": str(self.severity),
        }


class PackInvalid(Exception):
    """A pack document that cannot be used; carries every error found, not just the first."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = [i for i in issues if i.severity is Severity.ERROR] or issues
        first = self.issues[0]
        more = len(self.issues) - 1
        super().__init__(str(first) + (f" (and {more} more)" if more else ""))


@dataclass(frozen=True)
class ReadResult:
    """What reading a pack document found: the pack (if usable) and every issue."""

    file: str
    pack: Pack | None
    issues: tuple[Issue, ...]

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.WARNING)

    def unwrap(self) -> Pack:
        if self.pack is None or self.errors:
            raise PackInvalid(list(self.issues))
        return self.pack
