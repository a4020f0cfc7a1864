"""Find entry points of one group by reading `*.dist-info` folders on sys.path directly.

`importlib.metadata.entry_points()` parses every installed distribution's
metadata with the email parser before filtering by group; at start-up that is
a fifth of what the kiosk adds to a bare Textual app. Here only distributions
whose `entry_points.txt` names the group are opened further. Same rules as
importlib.metadata: the first distribution of a name on sys.path wins, and
the objects answer the parts of its API the kiosk uses (`name`, `value`,
`load()`, `dist.metadata["Name"]`, `dist.version`, `dist.requires`).
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
    """The installed distribution behind an entry point; METADATA is read only when asked."""

    def __init__(self, path: Path, name: str, version: str) -> None:
        self._path = path
        self._name = name
        self._version = version
        self._requires: list[str] | None = None

    @property
    def metadata(self) -> dict[str, str]:
        return {"Name": self._name, "Version": self._version}

    @property
    def version(self) -> str:
        return self._version

    @property
    def requires(self) -> list[str]:
        if self._requires is None:
            self._requires = []
            try:
                text = (self._path / "METADATA").read_text(encoding="utf-8")
            except OSError:
                return self._requires
            for line in text.split("\n\n", 1)[0].splitlines():
                if line.startswith("Requires-Dist:"):
                    self._requires.append(line.partition(":")[2].strip())
        return self._requires


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
    seen: set[str] = set()
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
            if key in seen:
                continue
            seen.add(key)
            info = folder / name
            try:
                text = (info / "entry_points.txt").read_text(encoding="utf-8")
            except OSError:
                continue
            if f"[{group}]" not in text:
                continue
            dist = LightDistribution(info, *_name_and_version(info, name))
            found.extend(LightEntryPoint(n, v, group, dist) for n, v in _group_entries(text, group))
    return found


def _name_and_version(info: Path, folder_name: str) -> tuple[str, str]:
    """Name and Version from METADATA's headers (the folder name is normalised and loses the real name)."""
    name = version = None
    try:
        with open(info / "METADATA", encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    break
                if line.startswith("Name:"):
                    name = line.partition(":")[2].strip()
                elif line.startswith("Version:"):
                    version = line.partition(":")[2].strip()
                if name and version:
                    break
    except OSError:
        pass
    stem = folder_name[: -len(".dist-info")]
    fallback_name, _, fallback_version = stem.rpartition("-")
    return name or fallback_name or stem, version or fallback_version


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
