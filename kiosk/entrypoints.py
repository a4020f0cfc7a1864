"""Find entry points of one group by reading `*.dist-info` folders on sys.path directly.

`importlib.metadata.entry_points()` parses every installed distribution's
metadata with the email parser before filtering by group; at start-up that is
a fifth of what the kiosk adds to a bare Textual app. Here only distributions
whose `entry_points.txt` names the group are opened further. Same rules as
importlib.metadata: the first distribution of a name on sys.path wins, and
the objects answer the parts of its API the kiosk uses (`name`, `value`,
`load()`, `dist.metadata["Name"]`, `dist.version`, `dist.requires`,
`dist.read_text()`, `dist.locate_file()`).

Unlike importlib.metadata, a later copy of a distribution is not hidden: its
entry points are listed too, with `dist.shadowed_by` naming the copy that
wins, so that a same-named distribution earlier on the path never replaces
another one unnoticed (kiosk.discovery reports both).
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

_SECTION = re.compile(r"^\s*\[([^\]]+)\]\s*$")
_NAME_NORMALISE = re.compile(r"[-_.]+")


def _normalise(name: str) -> str:
    return _NAME_NORMALISE.sub("-", name).lower()


class LightDistribution:
    """The installed distribution behind an entry point: the headers of its METADATA, read once."""

    def __init__(self, path: Path, shadowed_by: LightDistribution | None = None) -> None:
        self._path = path
        self._headers: tuple[str, str, list[str]] | None = None
        #: The copy of the same distribution earlier on the path, which Python imports instead.
        self.shadowed_by = shadowed_by

    @property
    def path(self) -> Path:
        """The `*.dist-info` folder."""
        return self._path

    def read_text(self, filename: str) -> str | None:
        """A file of the `*.dist-info` folder (RECORD, entry_points.txt ...), or None."""
        try:
            return (self._path / filename).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def locate_file(self, path: str) -> Path:
        """Where a file of the distribution, named as in its RECORD, is installed."""
        return self._path.parent / path

    def _read(self) -> tuple[str, str, list[str]]:
        if self._headers is None:
            name = version = ""
            requires: list[str] = []
            try:
                with open(self._path / "METADATA", encoding="utf-8") as handle:
                    for line in handle:
                        if not line.strip():
                            break  # the body (the long description) follows the headers
                        key, _, value = line.partition(":")
                        if key == "Name":
                            name = value.strip()
                        elif key == "Version":
                            version = value.strip()
                        elif key == "Requires-Dist":
                            requires.append(value.strip())
            except OSError:
                pass
            stem = self._path.name[: -len(".dist-info")]
            fallback_name, _, fallback_version = stem.rpartition("-")
            self._headers = (name or fallback_name or stem, version or fallback_version, requires)
        return self._headers

    @property
    def metadata(self) -> dict[str, str]:
        name, version, _ = self._read()
        return {"Name": name, "Version": version}

    @property
    def version(self) -> str:
        return self._read()[1]

    @property
    def requires(self) -> list[str]:
        return self._read()[2]


@dataclass(frozen=True)
class LightEntryPoint:
    name: str
    value: str
    group: str
    dist: LightDistribution

    def load(self) -> object:
        module_name, _, attrs = self.value.partition(":")
        target = importlib.import_module(module_name.strip())
        for attr in filter(None, attrs.strip().split(".")):
            target = getattr(target, attr)
        return target


def entry_points(group: str, path: list[str] | None = None) -> list[LightEntryPoint]:
    found: list[LightEntryPoint] = []
    #: The first copy of each distribution name on the path: the one Python imports from.
    first: dict[str, Path] = {}
    listed: set[Path] = set()  # a folder named twice on sys.path is read once
    for entry in sys.path if path is None else path:
        folder = Path(entry or ".")
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            if not name.endswith(".dist-info"):
                continue
            # Shadowing is decided by name, even for a distribution without entry points.
            key = _normalise(name[: -len(".dist-info")].rpartition("-")[0] or name)
            info = folder / name
            if info in listed:
                continue
            listed.add(info)
            winner = first.setdefault(key, info)
            try:
                text = (info / "entry_points.txt").read_text(encoding="utf-8")
            except OSError:
                continue
            if f"[{group}]" not in text:
                continue
            dist = LightDistribution(info, shadowed_by=LightDistribution(winner) if winner != info else None)
            found.extend(LightEntryPoint(n, v, group, dist) for n, v in _group_entries(text, group))
    return found


def _group_entries(text: str, group: str) -> list[tuple[str, str]]:
    entries: list[tuple[str, str]] = []
    current = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", ";")):
            continue
        section = _SECTION.match(stripped)
        if section:
            current = section.group(1).strip()
            continue
        if current == group and "=" in stripped:
            name, _, value = stripped.partition("=")
            entries.append((name.strip(), value.strip()))
    return entries
