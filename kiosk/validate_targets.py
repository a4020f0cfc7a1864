"""What `kiosk packs validate` checks: a pack file, a folder, an installed distribution or a wheel.

Each target becomes a `TargetReport`: one `ReadResult` per pack document it
contains, plus, for distributions (a project folder with `pyproject.toml`, an
installed distribution, a built wheel), the checks on its metadata: an entry
point in the `kiosk.packs` group and a `wallet-kiosk` requirement that admits
this kiosk. Pack documents are found from the files a distribution lists, so
no plugin is imported; only when a distribution's documents cannot be found
that way is its plugin loaded, inside the same guard the kiosk uses.

A target that is none of these raises `TargetError` (a usage error).
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
import tomllib
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

from kiosk import suggest
from kiosk.compat import (
    HOST_DISTRIBUTION,
    host_requirement,
    requirement_on_host,
    suggested_requirement,
    version_problem,
)
from kiosk.discovery import ENTRY_POINT_GROUP
from kiosk.errors import Issue, Severity
from kiosk.model import GENERAL_PACK_ID, Pack, Source, SourceKind, best_source
from kiosk.packfile import ReadResult, read_pack
from kiosk.regularfile import MAX_DOCUMENT_BYTES, read_regular_file

_DIST_NAME = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)


class TargetKind(enum.StrEnum):
    FILE = "file"
    FOLDER = "folder"  # a folder of pack TOML files (an operator's local packs folder)
    PROJECT = "project"  # a distribution's source folder, with pyproject.toml
    INSTALLED = "installed"  # an installed distribution, by name
    WHEEL = "wheel"


class TargetError(Exception):
    """The target is not a pack file, folder, installed distribution or wheel."""


@dataclass(frozen=True)
class TargetReport:
    target: str
    kind: TargetKind
    documents: tuple[ReadResult, ...]
    #: Findings about the distribution's metadata (None for files and plain folders).
    metadata: ReadResult | None = None
    #: What was found, for people: entry points, the declared kiosk range.
    notes: tuple[str, ...] = ()

    @property
    def results(self) -> tuple[ReadResult, ...]:
        return ((self.metadata,) if self.metadata is not None else ()) + self.documents

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for r in self.results for i in r.errors)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for r in self.results for i in r.warnings)

    @property
    def valid(self) -> bool:
        return not self.errors

    def as_dicts(self) -> list[dict]:
        """One entry per file checked (the metadata first), as `kiosk packs validate --json` prints."""
        return [
            {
                "target": self.target,
                "kind": str(self.kind),
                "file": r.file,
                "valid": not r.errors,
                "pack_id": r.pack.id if r.pack else None,
                "errors": [i.as_dict() for i in r.errors],
                "warnings": [i.as_dict() for i in r.warnings],
                "sources": source_statistics(r.pack).as_dict() if r.pack else None,
            }
            for r in self.results
        ]


# -- source statistics ----------------------------------------------------------------


@dataclass(frozen=True)
class SourceStatistics:
    """How a pack's facts are sourced: each fact by its most trusted source, and every citation.

    A fact is one item that carries sources: a channel (its `source` and `sources`), the
    hours of a channel when they name a source, a guide, a scam warning, a "never asks"
    fact, an escalation rung.
    """

    #: Facts by the kind of their best source, every kind present (zero or not).
    facts: dict[SourceKind, int]
    #: Every source cited, by its kind.
    citations: dict[SourceKind, int]

    @property
    def fact_count(self) -> int:
        return sum(self.facts.values())

    @property
    def citation_count(self) -> int:
        return sum(self.citations.values())

    def share(self, kind: SourceKind) -> float:
        """The share (0..1) of facts whose best source is of `kind`."""
        return self.facts[kind] / self.fact_count if self.fact_count else 0.0

    def as_dict(self) -> dict:
        return {
            "facts": self.fact_count,
            "facts_by_kind": {str(k): n for k, n in self.facts.items()},
            "share_by_kind": {str(k): round(self.share(k), 3) for k in self.facts},
            "citations": self.citation_count,
            "citations_by_kind": {str(k): n for k, n in self.citations.items()},
        }

    def human(self) -> str:
        """e.g. "42 facts by best source: official 10 (24%), ..., other 20 (48%); 61 citations"."""
        parts = [
            f"{kind} {count} ({round(100 * self.share(kind))}%)" if count else f"{kind} 0"
            for kind, count in self.facts.items()
        ]
        return (
            f"{plural(self.fact_count, 'fact')} by best source: {', '.join(parts)}; "
            f"{plural(self.citation_count, 'citation')}"
        )


def fact_sources(pack: Pack) -> list[tuple[str, tuple[Source, ...]]]:
    """Every fact of a pack that carries sources, as (field path, its sources)."""
    facts: list[tuple[str, tuple[Source, ...]]] = []
    for index, channel in enumerate(pack.channels):
        facts.append((f"channels[{index}]", channel.all_sources))
        for name in ("hours", "automated_hours"):
            schedule = getattr(channel, name)
            if schedule is not None and schedule.source is not None:
                facts.append((f"channels[{index}].{name}", (schedule.source,)))
    for section in ("guides", "scams", "never_asks", "escalation"):
        for index, item in enumerate(getattr(pack, section)):
            if item.sources:
                facts.append((f"{section}[{index}]", tuple(item.sources)))
    return facts


def source_statistics(pack: Pack) -> SourceStatistics:
    facts = dict.fromkeys(SourceKind, 0)
    citations = dict.fromkeys(SourceKind, 0)
    for _, sources in fact_sources(pack):
        facts[best_source(sources).kind] += 1
        for source in sources:
            citations[source.kind] += 1
    return SourceStatistics(facts, citations)


def validate_targets(targets: Sequence[str], *, today: _dt.date | None = None) -> list[TargetReport]:
    """Reports for every target; raises TargetError naming the first target that is none of the kinds."""
    return [validate_target(t, today=today) for t in targets]


def validate_target(target: str, *, today: _dt.date | None = None) -> TargetReport:
    path = Path(target)
    if path.is_file():
        if path.suffix == ".whl":
            return _wheel(path, today)
        return _report(target, TargetKind.FILE, [_read_path(path, today)])
    if path.is_dir():
        if (path / "pyproject.toml").is_file():
            return _project(path, today)
        return _folder(path, today)
    dist = _find_distribution(target)
    if dist is not None:
        return _installed(target, dist, today)
    raise TargetError(
        f"{target}: no such file, folder or installed distribution "
        "(expected a pack .toml file, a folder, a .whl wheel or a distribution name)"
    )


def find_pack_documents(folder: str | Path) -> list[Path]:
    """The pack documents of a project folder (its pyproject.toml's `kiosk.packs` packages) or a plain folder."""
    folder = Path(folder)
    if (folder / "pyproject.toml").is_file():
        project, _ = _read_pyproject(folder / "pyproject.toml")
        modules = _entry_point_modules(_pyproject_entry_points(project or {}).values())
        found: list[Path] = []
        for module in modules:
            package = _module_dir(folder, module)
            if package is not None:
                found += _documents_in(package)
        return found
    return [p for p in _toml_files(folder) if _is_pack_file(p)]


def _toml_files(folder: Path) -> list[Path]:
    """The `*.toml` files of a folder as the kiosk loads local packs: sorted, hidden files left out."""
    return [p for p in sorted(folder.glob("*.toml")) if not p.name.startswith(".")]


# -- kinds ------------------------------------------------------------------------


def _folder(folder: Path, today) -> TargetReport:
    documents = [_read_path(p, today) for p in _toml_files(folder)]
    if not documents:
        meta = _Findings(str(folder))
        meta.error("no *.toml pack documents in this folder")
        return _report(str(folder), TargetKind.FOLDER, [], meta.result())
    return _report(str(folder), TargetKind.FOLDER, documents)


def _project(folder: Path, today) -> TargetReport:
    pyproject = folder / "pyproject.toml"
    project, problem = _read_pyproject(pyproject)
    meta = _Findings(str(pyproject))
    if problem:
        meta.error(problem)
        return _report(str(folder), TargetKind.PROJECT, [], meta.result())
    if project is None:
        meta.error("has no [project] table; a pack distribution needs a name, a version and an entry point")
        return _report(str(folder), TargetKind.PROJECT, [], meta.result())
    groups = project.get("entry-points") or {}
    eps = _pyproject_entry_points(project)
    notes = _check_entry_points(
        meta, eps, groups.keys() if isinstance(groups, dict) else (), where='[project.entry-points."kiosk.packs"]'
    )
    dependencies = project.get("dependencies") or []
    notes += _check_host(
        meta,
        requirement_on_host(dependencies if isinstance(dependencies, list) else ()),
        f"distribution {project.get('name', folder.name)}",
        where="[project] dependencies",
    )
    documents: list[_Document] = []
    for module in _entry_point_modules(eps.values()):
        package = _module_dir(folder, module)
        if package is None:
            meta.error(
                f"the entry point names module '{module}', but {folder} has no {module.replace('.', '/')}/ "
                f"package (looked in the folder and in src/)"
            )
            continue
        found = _documents_in(package)
        if not found:
            meta.error(f"package {package} contains no pack .toml document")
        documents += [_read_path(p, today) for p in found]
    return _report(str(folder), TargetKind.PROJECT, documents, meta.result(), notes)


def _installed(target: str, dist: metadata.Distribution, today) -> TargetReport:
    name = dist.metadata["Name"] or target
    info = getattr(dist, "_path", None)  # the .dist-info folder, when the finder says
    meta = _Findings(str(info) if info is not None else f"{name} {dist.version}")
    eps = {ep.name: ep.value for ep in dist.entry_points if ep.group == ENTRY_POINT_GROUP}
    notes = _check_entry_points(meta, eps, {ep.group for ep in dist.entry_points}, where="entry_points.txt")
    notes += _check_host(meta, host_requirement(dist), f"distribution {name}", where="Requires-Dist")
    documents: list[_Document] = []
    if eps:
        paths = _installed_documents(dist, _entry_point_modules(eps.values()))
        if paths:
            documents = [_read_path(p, today) for p in paths]
        elif not meta.errors:
            documents = _load_guarded(dist, meta, today)
    return _report(target, TargetKind.INSTALLED, documents, meta.result(), notes)


def _wheel(path: Path, today) -> TargetReport:
    meta = _Findings(str(path))
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        meta.error(f"not a readable wheel (zip) file: {exc}")
        return _report(str(path), TargetKind.WHEEL, [], meta.result())
    with archive:
        names = archive.namelist()
        infos = sorted({n.split("/", 1)[0] for n in names if re.match(r"^[^/]+\.dist-info/METADATA$", n)})
        if len(infos) != 1:
            meta.error(f"has {len(infos) or 'no'} .dist-info/METADATA; a wheel has exactly one")
            return _report(str(path), TargetKind.WHEEL, [], meta.result())
        dist = metadata.PathDistribution(zipfile.Path(archive, infos[0] + "/"))
        meta.file = f"{path}/{infos[0]}"
        name = dist.metadata["Name"] or path.name
        eps = {ep.name: ep.value for ep in dist.entry_points if ep.group == ENTRY_POINT_GROUP}
        notes = _check_entry_points(meta, eps, {ep.group for ep in dist.entry_points}, where="entry_points.txt")
        notes += _check_host(meta, host_requirement(dist), f"distribution {name}", where="METADATA Requires-Dist")
        documents = []
        for module in _entry_point_modules(eps.values()):
            prefix = module.replace(".", "/") + "/"
            members = sorted(n for n in names if n.startswith(prefix) and n.endswith(".toml"))
            members = [m for m in members if _looks_like_pack(_member(archive, m))]
            if not members:
                meta.error(f"the wheel has no pack .toml document in {prefix}")
            documents += [_read(_member(archive, m), f"{path}/{m}", today) for m in members]
    return _report(str(path), TargetKind.WHEEL, documents, meta.result(), notes)


# -- metadata checks ----------------------------------------------------------------


class _Findings:
    def __init__(self, file: str) -> None:
        self.file = file
        self.issues: list[Issue] = []

    def error(self, message: str, field: str = "") -> None:
        self.issues.append(Issue(self.file, None, field, message))

    def warn(self, message: str, field: str = "") -> None:
        self.issues.append(Issue(self.file, None, field, message, Severity.WARNING))

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.ERROR]

    def result(self) -> ReadResult:
        return ReadResult(self.file, None, tuple(self.issues))


def _check_entry_points(meta: _Findings, eps: dict[str, str], groups: Iterable[str], *, where: str) -> list[str]:
    if eps:
        return [f"entry point {name} = {value} (group {ENTRY_POINT_GROUP})" for name, value in sorted(eps.items())]
    close = suggest.closest(ENTRY_POINT_GROUP, sorted(set(groups)))
    hint = f"; found group '{close}': did you mean '{ENTRY_POINT_GROUP}'?" if close else ""
    meta.error(
        f"declares no entry point in the group '{ENTRY_POINT_GROUP}' ({where}), so the kiosk "
        f"will never find the pack{hint}"
    )
    return []


def _check_host(meta: _Findings, specifier: str | None, what: str, *, where: str) -> list[str]:
    if specifier is None:
        meta.error(
            f"declares no {HOST_DISTRIBUTION} version range ({where}); add a dependency like "
            f'"{suggested_requirement()}" so an incompatible kiosk can tell before loading the pack'
        )
        return []
    problem = version_problem(specifier, what)
    if problem:
        meta.error(problem)
    return [f"requires {HOST_DISTRIBUTION}{specifier}"]


# -- per-document checks the reader cannot make alone ------------------------------------


@dataclass(frozen=True)
class _Document:
    result: ReadResult
    text: str | None


def _read(data: bytes, filename: str, today) -> _Document:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    return _Document(read_pack(data, filename, today=today), text)


def _read_path(path: Path, today) -> _Document:
    try:
        data = read_regular_file(path)
    except OSError as exc:
        issue = Issue(str(path), None, "", f"cannot read the file: {exc.strerror or exc}")
        return _Document(ReadResult(str(path), None, (issue,)), None)
    return _read(data, str(path), today)


def _report(
    target: str,
    kind: TargetKind,
    documents: Iterable[_Document],
    metadata: ReadResult | None = None,
    notes: Iterable[str] = (),
) -> TargetReport:
    """The report, after the checks across documents: the kiosk range, ids used twice, the reserved id."""
    checked = []
    seen: dict[str, str] = {}
    distribution = kind in (TargetKind.PROJECT, TargetKind.INSTALLED, TargetKind.WHEEL)
    for document in documents:
        result, pack = document.result, document.result.pack
        if pack is None or result.errors:
            checked.append(result)
            continue
        extra: list[tuple[tuple[str, str], str]] = []
        problem = version_problem(pack.pack.requires_kiosk, f"pack '{pack.id}'")
        if problem:
            extra.append((("pack", "requires_kiosk"), problem))
        if distribution and pack.id == GENERAL_PACK_ID:
            extra.append(
                (("pack", "id"), f"'{GENERAL_PACK_ID}' is the id of the kiosk's built-in pack; choose another id")
            )
        if pack.id in seen:
            extra.append(
                (
                    ("pack", "id"),
                    f"duplicate pack id '{pack.id}' (also in {seen[pack.id]}); the kiosk would quarantine one of them",
                )
            )
        else:
            seen[pack.id] = result.file
        if extra:
            from kiosk.tomllines import scan

            lines = scan(document.text) if document.text is not None else None
            result = ReadResult(
                result.file,
                pack,
                result.issues
                + tuple(
                    Issue(result.file, lines.line_of(path) if lines else None, ".".join(path), message)
                    for path, message in extra
                ),
            )
        checked.append(result)
    return TargetReport(target, kind, tuple(checked), metadata, tuple(notes))


# -- finding documents ------------------------------------------------------------------


def _read_pyproject(path: Path) -> tuple[dict | None, str | None]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return None, f"cannot read: {exc}"
    except tomllib.TOMLDecodeError as exc:
        return None, f"not valid TOML: {exc}"
    project = data.get("project")
    return (project if isinstance(project, dict) else None), None


def _pyproject_entry_points(project: dict) -> dict[str, str]:
    groups = project.get("entry-points")
    group = groups.get(ENTRY_POINT_GROUP) if isinstance(groups, dict) else None
    if not isinstance(group, dict):
        return {}
    return {str(k): str(v) for k, v in group.items()}


def _entry_point_modules(values: Iterable[str]) -> list[str]:
    """Module names from entry-point values like `pkg.mod:attr`, in order, once each."""
    modules: list[str] = []
    for value in values:
        module = value.split(":", 1)[0].strip()
        if module and module not in modules:
            modules.append(module)
    return modules


def _module_dir(root: Path, module: str) -> Path | None:
    relative = Path(*module.split("."))
    for base in (root, root / "src"):
        if (base / relative).is_dir():
            return base / relative
    return None


def _documents_in(package: Path) -> list[Path]:
    return [p for p in sorted(package.rglob("*.toml")) if "__pycache__" not in p.parts and _is_pack_file(p)]


def _is_pack_file(path: Path) -> bool:
    try:
        return _looks_like_pack(read_regular_file(path))
    except OSError:
        return True  # unreadable: reading it again reports why


def _member(archive: zipfile.ZipFile, name: str) -> bytes:
    """A wheel member, read no further than one byte past the document limit (read_pack reports it)."""
    with archive.open(name) as member:
        return member.read(MAX_DOCUMENT_BYTES + 1)


def _looks_like_pack(data: bytes) -> bool:
    """A pack document, or a TOML file too broken to tell (so its errors are shown, not skipped)."""
    if len(data) > MAX_DOCUMENT_BYTES:
        return True
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return True
    return "format" in raw or "pack" in raw


def _find_distribution(name: str) -> metadata.Distribution | None:
    """An installed distribution by name, or the distribution of an installed pack's entry point."""
    if not _DIST_NAME.match(name):
        return None
    try:
        return metadata.distribution(name)
    except metadata.PackageNotFoundError:
        pass
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        if ep.name == name and getattr(ep, "dist", None) is not None:
            return ep.dist
    return None


def _installed_documents(dist: metadata.Distribution, modules: list[str]) -> list[Path]:
    """Pack documents listed in the distribution's RECORD, or found beside its packages without importing them."""
    found: list[Path] = []
    for module in modules:
        prefix = PurePosixPath(*module.split("."))
        listed = [
            f
            for f in dist.files or ()
            if f.suffix == ".toml" and PurePosixPath(f.as_posix()).parts[: len(prefix.parts)] == prefix.parts
        ]
        paths = [Path(str(dist.locate_file(f))) for f in sorted(listed, key=str)]
        if not paths:
            # Editable installs list no package files: locate the package without running it.
            paths = [p for d in _package_dirs(module) for p in _documents_in(d)]
        found += [p for p in paths if p.is_file() and _is_pack_file(p)]
    return found


def _package_dirs(module: str) -> list[Path]:
    import importlib.util

    if "." in module:  # find_spec would import the parent packages
        return []
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return []
    if spec is None or not spec.submodule_search_locations:
        return []
    return [Path(p) for p in spec.submodule_search_locations if Path(p).is_dir()]


def _load_guarded(dist: metadata.Distribution, meta: _Findings, today) -> list[_Document]:
    """Ask the plugin for its documents, inside the kiosk's own guard (only when they cannot be found)."""
    from kiosk.discovery import load_packs
    from kiosk.packset import PackStatus, Selection

    results: list[_Document] = []

    def reader(data: bytes, filename: str) -> ReadResult:
        document = _read(data, filename, today)
        results.append(document)
        return document.result

    eps = [ep for ep in dist.entry_points if ep.group == ENTRY_POINT_GROUP]
    packset = load_packs(eps=eps, builtins=(), selection=Selection(), reader=reader)
    for record in packset.records:
        if record.status is PackStatus.QUARANTINED and record.file is None:
            meta.error(record.error or "could not be loaded", field=f"entry point {record.entry_point}")
    return results


__all__ = [
    "TargetError",
    "TargetKind",
    "TargetReport",
    "find_pack_documents",
    "validate_target",
    "validate_targets",
]


def plural(n: int, word: str) -> str:
    """ "1 error", "2 errors"."""
    return f"{n} {word}{'' if n == 1 else 's'}"
