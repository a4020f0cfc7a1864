"""Which kiosk versions a pack works with: reading the ranges packs declare, and the advice when they miss.

A pack states its range twice, and both are checked: its distribution's
dependency on wallet-kiosk (Requires-Dist, or `dependencies` in its
pyproject.toml) and `requires_kiosk` in its document. `version_problem` words
a mismatch as what to install. The common plain ranges (">=0.1,<1") are read
without `packaging`, which start-up would otherwise import just to confirm
that every bundled pack fits; anything unusual goes to `packaging`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from kiosk import __version__

if TYPE_CHECKING:
    from packaging.specifiers import Specifier
    from packaging.version import Version

#: The kiosk's own distribution name, as packs depend on it.
HOST_DISTRIBUTION = "wallet-kiosk"

_HOST_NAME = re.compile(r"^\s*wallet[-_.]+kiosk\b", re.IGNORECASE)
# "wallet-kiosk<1,>=0.1" or "wallet-kiosk (>=0.1,<1)": no extras, no markers.
_SIMPLE_REQUIREMENT = re.compile(r"^\s*wallet[-_.]+kiosk\s*\(?\s*((?:[<>=!~]=?\s*[\w.*]+\s*,?\s*)*)\)?\s*$", re.I)
_SIMPLE_CLAUSE = re.compile(r"^\s*(>=|<=|==|<|>)\s*(\d+(?:\.\d+)*)\s*$")


class Declares(Protocol):
    """A distribution as importlib.metadata or kiosk.entrypoints gives it: its Requires-Dist lines."""

    @property
    def requires(self) -> list[str] | None: ...


def host_requirement(dist: Declares | None) -> str | None:
    """The version range an installed (or wheel) distribution declares on wallet-kiosk, if any."""
    if dist is None:
        return None
    return requirement_on_host(dist.requires or ())


def requirement_on_host(requirements: Iterable[object]) -> str | None:
    """The wallet-kiosk range among requirement strings (Requires-Dist lines or pyproject dependencies).

    Requirements with an environment marker do not count: a pack must not be
    compatible with a kiosk only on some machines.
    """
    lines = [line for line in requirements if isinstance(line, str) and _HOST_NAME.match(line)]
    if not lines:
        return None  # checked without importing `packaging`, which start-up would otherwise pay for
    for line in lines:
        simple = _SIMPLE_REQUIREMENT.match(line)
        if simple:
            # Sorted like packaging's SpecifierSet, so messages read the same either way.
            clauses = [c for c in simple.group(1).replace(" ", "").split(",") if c]
            return ",".join(sorted(clauses)) or None
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    for line in lines:
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            continue
        if canonicalize_name(requirement.name) == HOST_DISTRIBUTION and requirement.marker is None:
            return str(requirement.specifier) or None
    return None


def suggested_requirement(version: str = __version__) -> str:
    """The wallet-kiosk range a new pack declares: this minor version up to the next major.

    While the kiosk is 0.x, the upper bound is 1 (see docs/packs.md, "Compatibility").
    """
    from packaging.version import Version

    v = Version(version)
    return f"{HOST_DISTRIBUTION}>={v.major}.{v.minor},<{v.major + 1}"


def version_problem(specifier: str | None, what: str) -> str | None:
    """Why this kiosk's version is outside `specifier`, in words that say what to install.

    A range that only admits newer kiosks means the pack is too new: upgrade
    wallet-kiosk. A range this kiosk has outgrown means the pack is too old:
    install a newer version of the pack.
    """
    if not specifier:
        return None
    if _simple_contains(specifier, __version__):
        return None
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import Version

    try:
        spec = SpecifierSet(specifier)
    except InvalidSpecifier:
        return f"{what} declares an unreadable kiosk version range {specifier!r}"
    if spec.contains(__version__, prereleases=True):
        return None
    here = Version(__version__)
    needs = f"{what} needs {HOST_DISTRIBUTION}{specifier} but this kiosk is {__version__}"
    if any(_excludes_older(s, here) for s in spec):
        return f"{needs}; upgrade {HOST_DISTRIBUTION} to a version in that range"
    if any(_excludes_newer(s, here) for s in spec):
        return f"{needs}; install a newer version of this pack (one made for {HOST_DISTRIBUTION} {__version__})"
    return f"{needs}; install a {HOST_DISTRIBUTION} in that range or a version of the pack made for {__version__}"


def _simple_contains(specifier: str, version: str) -> bool:
    """True when a plain range like ">=0.1,<1" certainly admits `version` (a fast path only)."""
    try:
        here = tuple(int(part) for part in version.split("."))
    except ValueError:
        return False
    for clause in specifier.split(","):
        match = _SIMPLE_CLAUSE.match(clause)
        if not match:
            return False  # anything unusual goes to `packaging`
        bound = tuple(int(part) for part in match.group(2).split("."))
        width = max(len(here), len(bound))
        a, b = here + (0,) * (width - len(here)), bound + (0,) * (width - len(bound))
        ok = {">=": a >= b, "<=": a <= b, "==": a == b, "<": a < b, ">": a > b}[match.group(1)]
        if not ok:
            return False
    return True


def _bound(spec: Specifier) -> Version | None:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(spec.version.rstrip(".*"))
    except InvalidVersion:
        return None


def _excludes_older(spec: Specifier, here: Version) -> bool:
    """True when `spec` keeps this kiosk out because it wants a newer one."""
    bound = _bound(spec)
    return bound is not None and spec.operator in (">", ">=", "~=", "==", "===") and bound > here


def _excludes_newer(spec: Specifier, here: Version) -> bool:
    """True when `spec` keeps this kiosk out because it wants an older one."""
    bound = _bound(spec)
    if bound is None:
        return False
    if spec.operator in ("<", "<="):
        return bound <= here if spec.operator == "<" else bound < here
    return spec.operator in ("~=", "==", "===") and bound < here


__all__ = [
    "HOST_DISTRIBUTION",
    "host_requirement",
    "requirement_on_host",
    "suggested_requirement",
    "version_problem",
]
