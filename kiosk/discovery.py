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

What loading produces (PackSet, PackRecord, the operator's Selection) is in
kiosk.packset; which kiosk versions a pack works with, in kiosk.compat.
"""

from __future__ import annotations

import functools
import importlib
import os
import stat
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol, runtime_checkable

import pluggy

from kiosk import __version__, hookspecs, trust
from kiosk.builtin import BUILTIN_PLUGINS
from kiosk.compat import HOST_DISTRIBUTION, host_requirement, version_problem
from kiosk.entrypoints import entry_points
from kiosk.errors import Issue, ReadResult
from kiosk.model import GENERAL_PACK_ID, Pack
from kiosk.packset import InstalledPack, PackRecord, PackSet, PackStatus, Selection
from kiosk.regularfile import MAX_DOCUMENT_BYTES, file_kind, read_regular_file
from kiosk.textsafety import escape
from kiosk.trust import Provenance

if TYPE_CHECKING:
    from kiosk.approvals import Approvals
    from kiosk.packcache import PackCache


class AnyEntryPoint(Protocol):
    """What discovery reads of an entry point.

    kiosk.entrypoints' light ones, importlib.metadata's (tests, tools) or a
    look-alike (the benchmarks time `load`); a `dist` attribute, when there,
    gives the distribution's name, version and requirements.
    """

    @property
    def name(self) -> str: ...

    @property
    def value(self) -> str: ...

    def load(self) -> object: ...


#: The one entry-point group packs register under (tests check every pyproject and doc against it).
ENTRY_POINT_GROUP = "kiosk.packs"
#: Any non-empty value other than 0 logs every hook call to stderr.
ENV_TRACE = "KIOSK_TRACE_HOOKS"
#: A folder of pack TOML documents loaded like installed packs (the operator's local packs).
ENV_PACKS_DIR = "KIOSK_PACKS_DIR"
#: Entry-point names of local packs are this prefix plus the file name (`local:branch-desk.toml`).
LOCAL_PREFIX = "local:"


# -- pass 1: metadata only -----------------------------------------------------


def discover(eps: Iterable[AnyEntryPoint] | None = None) -> list[InstalledPack]:
    """Installed pack plugins, from entry-point metadata only. Imports no pack."""
    listed: Iterable[AnyEntryPoint] = entry_points(group=ENTRY_POINT_GROUP) if eps is None else eps
    found = [_describe(ep) for ep in listed]
    return sorted(found, key=lambda p: (p.entry_point, p.distribution or ""))


def _describe(ep: AnyEntryPoint) -> InstalledPack:
    dist = getattr(ep, "dist", None)
    return InstalledPack(
        entry_point=ep.name,
        target=ep.value,
        distribution=dist.metadata["Name"] if dist is not None else None,
        version=dist.version if dist is not None else None,
        requires_kiosk=host_requirement(dist),
        location=_location(dist),
    )


def _location(dist: object) -> str | None:
    """The distribution's `*.dist-info` folder, when it has one on disk."""
    path = getattr(dist, "path", None) or getattr(dist, "_path", None)
    return str(path) if path is not None else None


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
    eps: Iterable[AnyEntryPoint] | None = None,
    builtins: Iterable[str] = BUILTIN_PLUGINS,
    selection: Selection | None = None,
    trace: IO[str] | None = None,
    reader: Callable[[bytes, str], ReadResult] | None = None,
    local_dir: str | os.PathLike[str] | None = None,
    cache: PackCache | None = None,
    approvals: Approvals | None = None,
) -> PackSet:
    """Load the built-in packs, the bundled ones, every other installed pack, then the local packs.

    Each in its own guard. Bundled distributions come first and are read as data
    (kiosk.trust): nothing installed displaces one. Of the others, those the
    operator approved (`approvals`) come before the rest, so an unapproved pack
    never takes an approved one's name. `local_dir` is the operator's packs
    folder (see `local_packs_dir`); every `*.toml` in it is one pack document.
    Local packs come last, so an installed pack keeps its id and a local document
    reusing it is quarantined. `cache` (kiosk start-up passes one) skips
    re-validating unchanged documents. Every pack is loaded whatever its
    provenance; what customers see is decided afterwards (kiosk.packselect).
    """
    selection = Selection.from_environment() if selection is None else selection
    pm = make_plugin_manager(trace)
    loader = _Loader(pm, selection, reader)
    loader.cache = cache
    loader.approvals = approvals
    for module_name in builtins:
        loader.load(
            InstalledPack(module_name.rsplit(".", 1)[-1], module_name, HOST_DISTRIBUTION, __version__, builtin=True),
            functools.partial(importlib.import_module, module_name),
        )
    all_eps: list[AnyEntryPoint] = list(entry_points(group=ENTRY_POINT_GROUP) if eps is None else eps)
    described = [(_describe(ep), ep) for ep in all_eps]
    ordered = sorted(described, key=lambda pair: (pair[0].entry_point, pair[0].distribution or ""))
    rest = loader.load_bundled([pair for pair in ordered if trust.bundled_for_distribution(pair[0].distribution)])
    rest += [pair for pair in ordered if not trust.bundled_for_distribution(pair[0].distribution)]
    # Approved distributions first: by name and version here, the document is checked once it is read.
    rest.sort(key=lambda pair: not (approvals is not None and approvals.covers(pair[0].distribution, pair[0].version)))
    for installed, ep in rest:
        shadow = getattr(getattr(ep, "dist", None), "shadowed_by", None)
        if shadow is not None:
            loader.record(
                installed,
                PackStatus.QUARANTINED,
                error=f"another copy of {installed.distribution}, {shadow.version} at {shadow.path}, comes first "
                f"on the path and is the one Python imports; this copy ({installed.version} at "
                f"{installed.location}) is not loaded",
            )
            continue
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
    return PackSet(packs=tuple(loader.packs), records=tuple(_shared_entry_points(loader.records)))


def _shared_entry_points(records: list[PackRecord]) -> list[PackRecord]:
    """Two distributions that provide one entry point: each record names the other."""
    import dataclasses

    providers: dict[str, set[str]] = {}
    for r in records:
        if r.distribution and not r.entry_point.startswith(LOCAL_PREFIX):
            providers.setdefault(r.entry_point, set()).add(f"{r.distribution} {r.version or ''}".strip())
    shared = []
    for r in records:
        others = sorted(providers.get(r.entry_point, set()) - {f"{r.distribution} {r.version or ''}".strip()})
        if others:
            note = f"entry point '{r.entry_point}' is also provided by {', '.join(others)}"
            r = dataclasses.replace(r, notes=(*r.notes, note))
        shared.append(r)
    return shared


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
        problem = trust.strict_modes_problem(folder, os.stat(folder), what="local packs folder")
    except OSError as exc:
        problem = f"cannot read local packs folder {folder}: {exc.strerror or exc}"
    if problem:
        # Whoever may write here could add "official" numbers: the folder is not read at all.
        return f"{problem}; none of its packs is read", []
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
        self.approvals: Approvals | None = None
        #: Channel ids other packs may refer to as `general:ID`, once the general pack has loaded.
        self.general_channels: dict[str, frozenset[str]] | None = None
        self.packs: list[Pack] = []
        self.records: list[PackRecord] = []
        self.owner: dict[str, str] = {}  # pack id -> who provided it

    def record(
        self,
        installed: InstalledPack,
        status: PackStatus,
        *,
        error: str | None = None,
        file: str | None = None,
        issues: tuple[Issue, ...] = (),
        pack: Pack | None = None,
        provenance: Provenance | None = None,
        sha256: str | None = None,
    ) -> None:
        """One record for `installed`; with `pack`, under the pack's id and with its name and version.

        The error is escaped: it can carry text from a plugin (an exception message) or a pack.
        """
        self.records.append(
            PackRecord(
                id=pack.id if pack is not None else installed.entry_point,
                entry_point=installed.entry_point,
                distribution=installed.distribution,
                version=installed.version,
                status=status,
                name=pack.pack.name if pack is not None else None,
                pack_version=pack.pack.version if pack is not None else None,
                error=escape(error) if error is not None else None,
                issues=issues,
                file=file,
                builtin=installed.builtin,
                provenance=provenance,
                sha256=sha256,
                location=installed.location,
            )
        )

    def load_bundled(
        self, found: list[tuple[InstalledPack, AnyEntryPoint]]
    ) -> list[tuple[InstalledPack, AnyEntryPoint]]:
        """Distributions named like a bundled pack's: the copy holding the recorded document is read as data.

        Its code is not imported, so whatever comes earlier on the path cannot change what is read.
        Other copies of that distribution are reported and never imported. Returns the
        distributions with no recorded document (an upgrade, or an impostor of that name): they
        load like any third-party pack.
        """
        by_name: dict[str, list[tuple[InstalledPack, AnyEntryPoint]]] = {}
        for installed, ep in found:
            bundled = trust.bundled_for_distribution(installed.distribution)
            assert bundled is not None and bundled.distribution is not None
            by_name.setdefault(bundled.distribution, []).append((installed, ep))
        rest: list[tuple[InstalledPack, AnyEntryPoint]] = []
        for name, copies in by_name.items():
            bundled = trust.bundled_for_distribution(name)
            assert bundled is not None
            located = [(i, _bundled_document(getattr(ep, "dist", None), bundled)) for i, ep in copies]
            genuine = next(((i, doc) for i, doc in located if doc is not None), None)
            if genuine is None:
                rest.extend(copies)
                continue
            installed, document = genuine
            refused = self.selection.refuses(installed.entry_point)
            if refused:
                self.record(installed, PackStatus.DISABLED, error=refused)
            else:
                self._load_document(installed, document, bundled=True)
            for other, _doc in located:
                if other is not installed:
                    self.record(
                        other,
                        PackStatus.QUARANTINED,
                        error=f"{_who(other)} at {other.location} is another copy of the bundled {name}; its "
                        f"document is not the one the kiosk ships, so it is not imported (the bundled "
                        f"{_who(installed)} at {installed.location} is loaded instead)",
                    )
        return rest

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

        The operator's lists match its pack id (checked once the document is read). A file
        someone other than root and the kiosk's user owns, or may write, is not read.
        """
        path = Path(installed.target)
        try:
            info = os.stat(path)
            problem = (
                f"local pack file {path} is not a regular file ({file_kind(info.st_mode)}); only files are read"
                if not stat.S_ISREG(info.st_mode)
                else trust.strict_modes_problem(path, info, what="local pack file")
            )
        except OSError as exc:
            problem = f"cannot read local pack file {path}: {exc.strerror or exc}"
        if problem:
            self.record(installed, PackStatus.QUARANTINED, file=str(path), error=problem)
            return
        self._load_document(installed, path)

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

    def _load_document(self, installed: InstalledPack, document: object, *, bundled: bool = False) -> None:
        filename = str(document)
        try:
            data = _read_bytes(document)
        except Exception as exc:
            self.record(
                installed, PackStatus.QUARANTINED, file=filename, error=f"cannot read pack document {filename}: {exc}"
            )
            return
        digest = trust.document_digest(data)
        try:
            result = self.read(data, filename)
        except Exception as exc:  # RecursionError, MemoryError: whatever a document makes reading raise
            self.record(
                installed,
                PackStatus.QUARANTINED,
                file=filename,
                error=f"cannot read pack document {filename}: {type(exc).__name__}: {exc}",
                sha256=digest,
            )
            return
        if result.pack is None or result.errors:
            first = result.errors[0] if result.errors else None
            count = len(result.errors)
            summary = str(first) + (f" (and {count - 1} more)" if count > 1 else "") if first else "invalid pack"
            self.record(
                installed, PackStatus.QUARANTINED, file=filename, error=summary, issues=result.issues, sha256=digest
            )
            return
        pack = result.pack
        provenance = self.provenance_of(installed, pack, digest, bundled=bundled)
        if not installed.builtin:
            refused = self.selection.refuses(pack.id)
            if refused:
                self.record(
                    installed, PackStatus.DISABLED, error=refused, file=filename, issues=result.issues, pack=pack
                )
                return
        problem = version_problem(pack.pack.requires_kiosk, f"pack '{pack.id}'")
        if problem:
            self.record(
                installed, PackStatus.QUARANTINED, error=problem, file=filename, issues=result.issues, pack=pack
            )
            return
        problem = self.identity_problem(installed, pack, provenance)
        if problem:
            self.record(
                installed,
                PackStatus.QUARANTINED,
                error=problem,
                file=filename,
                issues=result.issues,
                pack=pack,
                provenance=provenance,
                sha256=digest,
            )
            return
        self.owner[pack.id] = installed.distribution or installed.entry_point
        self.packs.append(pack)
        self.record(
            installed,
            PackStatus.LOADED,
            file=filename,
            issues=result.issues,
            pack=pack,
            provenance=provenance,
            sha256=digest,
        )
        if installed.builtin and pack.id == GENERAL_PACK_ID:
            # Every later pack may refer to these; knowing them saves reading general.toml twice.
            self.general_channels = {GENERAL_PACK_ID: frozenset(c.id for c in pack.channels)}

    def provenance_of(self, installed: InstalledPack, pack: Pack, digest: str, *, bundled: bool) -> Provenance:
        if bundled or trust.is_bundled(installed.distribution, digest, builtin=installed.builtin):
            return Provenance.BUNDLED
        source, version = _approval_source(installed)
        if self.approvals is not None and self.approvals.approves(pack.id, source, version, digest):
            return Provenance.APPROVED
        return Provenance.UNAPPROVED

    def identity_problem(self, installed: InstalledPack, pack: Pack, provenance: Provenance) -> str | None:
        """Why `pack` may not take its id or names, or None. Bundled packs loaded first, so they keep theirs."""
        if not trust.may_use_id(pack.id, installed.distribution, builtin=installed.builtin):
            reserved = trust.reserved_by(pack.id)
            assert reserved is not None
            owner = reserved.distribution or HOST_DISTRIBUTION
            return f"pack id '{pack.id}' belongs to the bundled pack from {owner}; {_who(installed)} may not use it"
        if pack.id in self.owner:
            return f"duplicate pack id '{pack.id}': already provided by {self.owner[pack.id]}"
        if provenance is Provenance.BUNDLED:
            return None  # the bundled packs are told apart by a test, not at every start
        return self.imitation(installed, pack)

    def imitation(self, installed: InstalledPack, pack: Pack) -> str | None:
        """Whether the pack's id or a name reads like a bundled pack's or a loaded pack's (kiosk.identity)."""
        from kiosk import identity  # reads Unicode's confusables: only when a third-party pack loads

        mine = identity.identities(pack.id, pack.pack.name.strings())
        own = trust.bundled_for_distribution(installed.distribution)
        others: list[tuple[str, str, tuple[identity.Identity, ...]]] = [
            (b.id, b.distribution or HOST_DISTRIBUTION, identity.identities(b.id, b.names))
            for b in trust.BUNDLED.values()
            if own is None or b.id != own.id  # an upgrade of a bundled pack keeps that pack's names
        ]
        others += [
            (p.id, self.owner.get(p.id, p.id), identity.identities(p.id, p.pack.name.strings()))
            for p in self.packs
            if trust.reserved_by(p.id) is None
        ]
        for other_id, provider, theirs in others:
            found = identity.imitation(mine, theirs)
            if found is not None:
                a, b = found
                return (
                    f"pack '{pack.id}' from {_who(installed)} imitates pack '{other_id}' from {provider}: "
                    f"'{a.written}' reads like '{b.written}' (compared after NFKC, case and look-alike folding)"
                )
        return None

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
        result = self.cache.get(key)
        if result is None:
            result = validate()
            self.cache.put(key, result)
        return result


def _who(installed: InstalledPack) -> str:
    """A pack's provider as the operator knows it: `kiosk-pack-zfb 1.0.0 (entry point a-alipay)`."""
    if installed.distribution is None:
        return f"local file {installed.target}" if installed.entry_point.startswith(LOCAL_PREFIX) else installed.target
    if installed.builtin:
        return installed.distribution
    version = f" {installed.version}" if installed.version else ""
    return f"{installed.distribution}{version} (entry point {installed.entry_point})"


def _approval_source(installed: InstalledPack) -> tuple[str, str | None]:
    """What an approval names as a pack's source: (distribution, its version), or (`local:FILE`, None)."""
    if installed.distribution is None:
        return installed.entry_point, None
    return trust.normalise_distribution(installed.distribution), installed.version


def _bundled_document(dist: object, bundled: trust.BundledPack) -> _BundledDocument | None:
    """The recorded document among `dist`'s installed files, if it is there with the recorded bytes.

    A wheel install has it beside its `*.dist-info` folder; an editable install names, in a `.pth`
    file of its RECORD, the folder it lies in.
    """
    locate = getattr(dist, "locate_file", None)
    read_text = getattr(dist, "read_text", None)
    if locate is None or read_text is None:
        return None
    candidates = [Path(str(locate(bundled.document)))]
    for row in (read_text("RECORD") or "").splitlines():
        name = row.split(",", 1)[0]
        if name.endswith(".pth"):
            try:
                lines = Path(str(locate(name))).read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                continue
            candidates += [Path(line.strip()) / bundled.document for line in lines if line.strip().startswith("/")]
    for candidate in candidates:
        try:
            data = read_regular_file(candidate, _MAX_BUNDLED_DOCUMENT)
        except OSError:
            continue
        if trust.document_digest(data) == bundled.sha256:
            return _BundledDocument(candidate, data)
    return None


#: A bundled document is about 100 KB; anything much larger cannot be the recorded one.
_MAX_BUNDLED_DOCUMENT = 4 * 1024 * 1024


class _BundledDocument:
    """A bundled document located and verified: its path, and the very bytes that were checked."""

    def __init__(self, path: Path, data: bytes) -> None:
        self.path = path
        self.name = path.name
        self._data = data

    def read_bytes(self) -> bytes:
        return self._data

    def __str__(self) -> str:
        return str(self.path)


@runtime_checkable
class _Readable(Protocol):
    def read_bytes(self) -> bytes: ...


def _read_bytes(document: object) -> bytes:
    """A document's bytes: a regular file of bounded size (kiosk.regularfile), whatever a plugin handed over.

    A path on disk (what importlib.resources.files gives for an installed package) is opened
    as a regular file only; anything else with read_bytes is at least bounded in size.
    """
    if isinstance(document, _BundledDocument):
        return document.read_bytes()  # read and checked against its recorded digest already
    if isinstance(document, os.PathLike):
        return read_regular_file(document)
    if not isinstance(document, _Readable):
        raise TypeError(f"{type(document).__name__} has no read_bytes()")
    data = document.read_bytes()
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ValueError(f"{len(data)} bytes, more than the {MAX_DOCUMENT_BYTES} a document may have")
    return data


def _is_document(item: object) -> bool:
    return isinstance(item, os.PathLike) or (hasattr(item, "read_bytes") and hasattr(item, "name"))


def _describe_value(value: object) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


__all__ = [
    "ENTRY_POINT_GROUP",
    "ENV_PACKS_DIR",
    "ENV_TRACE",
    "LOCAL_PREFIX",
    "discover",
    "discover_local",
    "load_packs",
    "local_packs_dir",
    "make_plugin_manager",
    "trace_stream",
]
