"""Reading the shipped systemd units the way systemd does, for the tests of deploy/.

configparser keeps one value per key, but a unit may repeat a key (Environment=,
SystemCallFilter=, After=), and an empty assignment clears what came before it.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

from helpers import REPO

UNIT_DIR = REPO / "deploy"
UNITS = sorted(UNIT_DIR.glob("*.service"))
CONSOLE_UNIT = UNIT_DIR / "wallet-kiosk.service"

#: The values systemd gives these specifiers in a system unit.
SYSTEM_SPECIFIERS = {"%S": "/var/lib", "%C": "/var/cache", "%E": "/etc", "%L": "/var/log", "%t": "/run", "%%": "%"}


@dataclass(frozen=True)
class Unit:
    path: Path
    sections: dict[str, list[tuple[str, str]]]

    def values(self, key: str, section: str = "Service") -> list[str]:
        """Every assignment of `key`, in order, after the last empty one (which resets the list)."""
        found: list[str] = []
        for name, value in self.sections.get(section, []):
            if name == key:
                found = [] if value == "" else [*found, value]
        return found

    def value(self, key: str, section: str = "Service") -> str | None:
        """The last assignment of `key` ("" for an empty one), or None if it is never set."""
        assigned = [value for name, value in self.sections.get(section, []) if name == key]
        return assigned[-1] if assigned else None

    def environment(self, specifiers: dict[str, str] | None = None) -> dict[str, str]:
        """Environment= assignments, with specifiers expanded."""
        env: dict[str, str] = {}
        for line in self.values("Environment"):
            for item in shlex.split(line):
                name, _, value = item.partition("=")
                env[name] = expand(value, specifiers)
        return env


def read_unit(path: Path) -> Unit:
    sections: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] | None = None
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = pending + raw.strip()
        pending = ""
        if not line or line[0] in "#;":
            continue
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
            continue
        assert current is not None, f"{path.name}: {line!r} outside a section"
        key, sep, value = line.partition("=")
        assert sep, f"{path.name}: {line!r} is not key=value"
        current.append((key.strip(), value.strip()))
    return Unit(path, sections)


def expand(text: str, specifiers: dict[str, str] | None = None) -> str:
    table = {**SYSTEM_SPECIFIERS, **(specifiers or {})}
    out, i = [], 0
    while i < len(text):
        pair = text[i : i + 2]
        if pair in table:
            out.append(table[pair])
            i += 2
        else:
            assert text[i] != "%", f"unknown specifier {pair!r} in {text!r}"
            out.append(text[i])
            i += 1
    return "".join(out)
