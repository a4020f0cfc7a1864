"""Find installed and local packs and load them, one guarded step at a time.

Two passes, as in harlequin: `discover()` reads entry-point metadata only and
imports nothing, so listing is cheap and safe; `load_packs()` imports and
calls each plugin inside its own guard. Whatever one pack does wrong (fails
to import, raises, returns garbage, ships an invalid document, reuses an id,
needs another kiosk version) quarantines that pack with a precise reason and
every other pack still loads. Nothing here prints: callers decide where
reports go (stderr or the UI, never stdout).

Local packs are plain TOML documents in an operator's packs folder, loaded
after the installed packs with the same validation and quarantine, so a
branch can add its own desk without pip.
"""

from __future__ import annotations

import enum
import importlib
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

import pluggy

from kiosk import __version__, hookspecs
from kiosk.builtin import BUILTIN_PLUGINS
from kiosk.entrypoints import entry_points
from kiosk.errors import Issue, ReadResult
from kiosk.model import GENERAL_PACK_ID, Pack, Text

if TYPE_CHECKING:
    from importlib.metadata import Distribution, EntryPoint

    from kiosk.packcache import PackCache

#: The one entry-point group packs register under (tests check every pyproject and doc against it).
ENTRY_POINT_GROUP = "kiosk.packs"
HOST_DISTRIBUTION = "wallet-kiosk"

#: Comma-separated pack ids; when set, only these installed packs load ("" loads none).
ENV_ALLOW = "KIOSK_PACKS_ALLOW"
#: Comma-separated pack ids that never load, even if allowed.
ENV_BLOCK = "KIOSK_PACKS_BLOCK"
#: Any non-empty value other than 0 logs every hook call to stderr.
ENV_TRACE = "KIOSK_TRACE_HOOKS"
#: A folder of pack TOML documents loaded like installed packs (the operator's local packs).
ENV_PACKS_DIR = "KIOSK_PACKS_DIR"
#: Entry-point names of local packs are this prefix plus the file name (`local:branch-desk.toml`).
LOCAL_PREFIX = "local:"


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

    def as_dict(self, locale: str = "en") -> dict:
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


# -- pass 1: metadata only -----------------------------------------------------


def discover(eps: Iterable[EntryPoint] | None = None) -> list[InstalledPack]:
    """Installed pack plugins, from entry-point metadata only. Imports no pack."""
    found = [_describe(ep) for ep in (entry_points(group=ENTRY_POINT_GROUP) if eps is None else eps)]
    return sorted(found, key=lambda p: (p.entry_point, p.distribution or ""))


def _describe(ep: EntryPoint) -> InstalledPack:
    dist = getattr(ep, "dist", None)
    return InstalledPack(
        entry_point=ep.name,
        target=ep.value,
        distribution=dist.metadata["Name"] if dist is not None else None,
        version=dist.version if dist is not None else None,
        requires_kiosk=host_requirement(dist),
    )


_HOST_NAME = re.compile(r"^\s*wallet[-_.]+kiosk\b", re.IGNORECASE)
# "wallet-kiosk<1,>=0.1" or "wallet-kiosk (>=0.1,<1)": no extras, no markers.
_SIMPLE_REQUIREMENT = re.compile(r"^\s*wallet[-_.]+kiosk\s*\(?\s*((?:[<>=!~]=?\s*[\w.*]+\s*,?\s*)*)\)?\s*$", re.I)
_SIMPLE_CLAUSE = re.compile(r"^\s*(>=|<=|==|<|>)\s*(\d+(?:\.\d+)*)\s*$")


def host_requirement(dist: Distribution | None) -> str | None:
    """The version range a pack distribution declares on wallet-kiosk, if any."""
    if dist is None:
        return None
    lines = [line for line in dist.requires or () if _HOST_NAME.match(line)]
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


def _excludes_older(spec, here) -> bool:
    """True when `spec` keeps this kiosk out because it wants a newer one."""
    from packaging.version import InvalidVersion, Version

    try:
        bound = Version(spec.version.rstrip(".*"))
    except InvalidVersion:
        return False
    return spec.operator in (">", ">=", "~=", "==", "===") and bound > here


def _excludes_newer(spec, here) -> bool:
    """True when `spec` keeps this kiosk out because it wants an older one."""
    from packaging.version import InvalidVersion, Version

    try:
        bound = Version(spec.version.rstrip(".*"))
    except InvalidVersion:
        return False
    if spec.operator in ("<", "<="):
        return bound <= here if spec.operator == "<" else bound < here
    return spec.operator in ("~=", "==", "===") and bound < here


# -- pass 2: guarded load --------------------------------------------------------


def make_plugin_manager(trace: IO[str] | None = None) -> pluggy.PluginManager:
    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    if trace is not None:
        _install_trace(pm, trace)
    return pm


def _install_trace(pm: pluggy.PluginManager, out: IO[str]) -> None:
    started: list[float] = []

    def before(hook_name, hook_impls, kwargs):
        started.append(time.perf_counter())
        plugins = ", ".join(impl.plugin_name for impl in hook_impls)
        print(f"kiosk trace: calling {hook_name}({kwargs or ''}) on [{plugins}]", file=out)

    def after(outcome, hook_name, hook_impls, kwargs):
        elapsed = (time.perf_counter() - started.pop()) * 1000 if started else 0.0
        exc = outcome.exception
        result = f"raised {type(exc).__name__}: {exc}" if exc else f"returned {outcome.get_result()!r}"
        print(f"kiosk trace: {hook_name} {result} ({elapsed:.1f} ms)", file=out)

    pm.add_hookcall_monitoring(before, after)


def trace_stream(environ: Mapping[str, str] | None = None) -> IO[str] | None:
    environ = os.environ if environ is None else environ
    value = environ.get(ENV_TRACE, "")
    return sys.stderr if value and value != "0" else None


def load_packs(
    *,
    eps: Iterable[EntryPoint] | None = None,
    builtins: Iterable[str] = BUILTIN_PLUGINS,
    selection: Selection | None = None,
    trace: IO[str] | None = None,
    reader: Callable[[bytes, str], ReadResult] | None = None,
    local_dir: str | os.PathLike[str] | None = None,
    cache: PackCache | None = None,
) -> PackSet:
    """Load the built-in packs, every installed pack, then the local packs, each in its own guard.

    `local_dir` is the operator's packs folder (see `local_packs_dir`); every
    `*.toml` in it is one pack document. Local packs come last, so an installed
    pack keeps its id and a local document reusing it is quarantined.
    `cache` (kiosk start-up passes one) skips re-validating unchanged documents.
    """
    selection = Selection.from_environment() if selection is None else selection
    pm = make_plugin_manager(trace)
    loader = _Loader(pm, selection, reader)
    loader.cache = cache
    for module_name in builtins:
        loader.load(
            InstalledPack(module_name.rsplit(".", 1)[-1], module_name, HOST_DISTRIBUTION, __version__, builtin=True),
            lambda name=module_name: importlib.import_module(name),
        )
    all_eps = list(entry_points(group=ENTRY_POINT_GROUP) if eps is None else eps)
    for installed, ep in sorted(
        ((_describe(ep), ep) for ep in all_eps), key=lambda pair: (pair[0].entry_point, pair[0].distribution or "")
    ):
        loader.load(installed, ep.load)
    if local_dir is not None:
        problem, local = _scan_local(Path(local_dir))
        if problem:
            loader.record(
                InstalledPack(f"{LOCAL_PREFIX}{local_dir}", str(local_dir), None, None),
                PackStatus.QUARANTINED,
                error=problem,
            )
        for installed in local:
            loader.load_local(installed)
    return PackSet(packs=tuple(loader.packs), records=tuple(loader.records))


def local_packs_dir(environ: Mapping[str, str] | None = None) -> Path | None:
    """The operator's local packs folder, from KIOSK_PACKS_DIR (None when unset or empty)."""
    environ = os.environ if environ is None else environ
    value = environ.get(ENV_PACKS_DIR, "").strip()
    return Path(value).expanduser() if value else None


def discover_local(local_dir: str | os.PathLike[str] | None) -> list[InstalledPack]:
    """The documents in the local packs folder, sorted by file name. Reads nothing but the listing."""
    if local_dir is None:
        return []
    return _scan_local(Path(local_dir))[1]


def _scan_local(folder: Path) -> tuple[str | None, list[InstalledPack]]:
    if not folder.is_dir():
        return f"local packs folder {folder} is not a folder ({ENV_PACKS_DIR})", []
    try:
        files = sorted(p for p in folder.glob("*.toml") if not p.name.startswith("."))
    except OSError as exc:
        return f"cannot list local packs folder {folder}: {exc}", []
    return None, [InstalledPack(f"{LOCAL_PREFIX}{p.name}", str(p), None, None) for p in files]


class _Loader:
    def __init__(
        self, pm: pluggy.PluginManager, selection: Selection, reader: Callable[[bytes, str], ReadResult] | None
    ) -> None:
        self.pm = pm
        self.selection = selection
        self.reader = reader
        self.cache: PackCache | None = None
        #: Channel ids other packs may reference as `general:ID`, once the general pack has loaded.
        self.general_channels: dict[str, frozenset[str]] | None = None
        self.packs: list[Pack] = []
        self.records: list[PackRecord] = []
        self.owner: dict[str, str] = {}  # pack id -> who provided it

    def record(self, installed: InstalledPack, status: PackStatus, **extra) -> None:
        self.records.append(
            PackRecord(
                id=extra.pop("id", installed.entry_point),
                entry_point=installed.entry_point,
                distribution=installed.distribution,
                version=installed.version,
                status=status,
                builtin=installed.builtin,
                **extra,
            )
        )

    def load(self, installed: InstalledPack, importer: Callable[[], object]) -> None:
        if not installed.builtin:
            refused = self.selection.refuses(installed.entry_point)
            if refused:
                self.record(installed, PackStatus.DISABLED, error=refused)
                return
        problem = version_problem(installed.requires_kiosk, f"distribution {installed.distribution}")
        if problem:
            self.record(installed, PackStatus.QUARANTINED, error=problem)
            return

        try:
            plugin = importer()
        except (Exception, SystemExit) as exc:  # a pack calling sys.exit() must not stop the kiosk
            self.record(
                installed,
                PackStatus.QUARANTINED,
                error=f"could not import {installed.target}: {type(exc).__name__}: {exc}",
            )
            return

        plugin_name = f"{installed.distribution or 'unknown'}:{installed.entry_point}"
        try:
            self.pm.register(plugin, name=plugin_name)
        except Exception as exc:
            self.record(
                installed, PackStatus.QUARANTINED, error=f"{installed.target} is not a valid pack plugin: {exc}"
            )
            return
        try:
            documents = self._call_hook(plugin, installed)
        finally:
            # Each plugin is called on its own; nothing of it stays registered.
            self.pm.unregister(name=plugin_name)
        if documents is None:
            return
        for document in documents:
            self._load_document(installed, document)

    def load_local(self, installed: InstalledPack) -> None:
        """A document from the local packs folder: no plugin, same validation and rules.

        The operator's lists match its pack id (checked once the document is read).
        """
        self._load_document(installed, Path(installed.target))

    def _call_hook(self, plugin: object, installed: InstalledPack) -> list | None:
        impls = [i for i in self.pm.hook.kiosk_packs.get_hookimpls() if i.plugin is plugin]
        if not impls:
            self.record(
                installed,
                PackStatus.QUARANTINED,
                error=f"{installed.target} implements no kiosk hook (expected kiosk_packs)",
            )
            return None
        others = [p for p in self.pm.get_plugins() if p is not plugin]
        caller = self.pm.subset_hook_caller("kiosk_packs", remove_plugins=others)
        try:
            results = caller()
        except (Exception, SystemExit) as exc:
            self.record(installed, PackStatus.QUARANTINED, error=f"kiosk_packs() raised {type(exc).__name__}: {exc}")
            return None
        documents: list = []
        for result in results:
            if isinstance(result, (str, bytes)) or not isinstance(result, Iterable):
                self.record(
                    installed,
                    PackStatus.QUARANTINED,
                    error=f"kiosk_packs() returned {_describe_value(result)}; expected a list of paths",
                )
                return None
            items = list(result)
            bad = next((item for item in items if not _is_document(item)), None)
            if bad is not None:
                self.record(
                    installed,
                    PackStatus.QUARANTINED,
                    error=f"kiosk_packs() returned {_describe_value(bad)} in its list; "
                    "expected paths to pack TOML files",
                )
                return None
            documents.extend(items)
        if not documents:
            self.record(installed, PackStatus.QUARANTINED, error="kiosk_packs() returned no pack documents")
            return None
        return documents

    def _load_document(self, installed: InstalledPack, document: object) -> None:
        filename = str(document)
        try:
            data = document.read_bytes()  # Path and Traversable both have it
        except Exception as exc:
            self.record(
                installed, PackStatus.QUARANTINED, file=filename, error=f"cannot read pack document {filename}: {exc}"
            )
            return
        result = self.read(data, filename)
        if result.pack is None or result.errors:
            first = result.errors[0] if result.errors else None
            count = len(result.errors)
            summary = str(first) + (f" (and {count - 1} more)" if count > 1 else "") if first else "invalid pack"
            self.record(installed, PackStatus.QUARANTINED, file=filename, error=summary, issues=result.issues)
            return
        pack = result.pack
        common = dict(
            id=pack.id, name=pack.pack.name, pack_version=pack.pack.version, file=filename, issues=result.issues
        )
        if not installed.builtin:
            refused = self.selection.refuses(pack.id)
            if refused:
                self.record(installed, PackStatus.DISABLED, error=refused, **common)
                return
        problem = version_problem(pack.pack.requires_kiosk, f"pack '{pack.id}'")
        if problem:
            self.record(installed, PackStatus.QUARANTINED, error=problem, **common)
            return
        if pack.id in self.owner:
            self.record(
                installed,
                PackStatus.QUARANTINED,
                **common,
                error=f"duplicate pack id '{pack.id}': already provided by {self.owner[pack.id]}",
            )
            return
        self.owner[pack.id] = installed.distribution or installed.entry_point
        self.packs.append(pack)
        self.record(installed, PackStatus.LOADED, **common)
        if installed.builtin and pack.id == GENERAL_PACK_ID:
            # Every later pack may refer to these; knowing them saves reading general.toml twice.
            self.general_channels = {GENERAL_PACK_ID: frozenset(c.id for c in pack.channels)}

    def read(self, data: bytes, filename: str) -> ReadResult:
        if self.reader is not None:
            return self.reader(data, filename)
        external = self.general_channels

        def validate() -> ReadResult:
            # The validator is imported only when a document is not in the cache: with every
            # document cached, start-up never loads it.
            from kiosk.packfile import read_pack

            return read_pack(data, filename, external_channels=external)

        if self.cache is None:
            return validate()
        key = self.cache.key(data, filename, external)
        result = self.cache.get(key, lambda: validate().unwrap())
        if result is None:
            result = validate()
            self.cache.put(key, result)
        return result


def _is_document(item: object) -> bool:
    return isinstance(item, os.PathLike) or (hasattr(item, "read_bytes") and hasattr(item, "name"))


def _describe_value(value: object) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


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
    "ENTRY_POINT_GROUP",
    "ENV_ALLOW",
    "ENV_BLOCK",
    "ENV_PACKS_DIR",
    "ENV_TRACE",
    "LOCAL_PREFIX",
    "InstalledPack",
    "PackRecord",
    "PackSet",
    "PackStatus",
    "Selection",
    "discover",
    "discover_local",
    "discovered_records",
    "host_requirement",
    "load_packs",
    "local_packs_dir",
    "trace_stream",
    "version_problem",
]
