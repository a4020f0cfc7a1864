"""`kiosk packs ...`: each subcommand is a few lines over the pack layers (discovery, validation, export).

Only the requested output goes to stdout (a table, JSON, a TOML document), so
it can be piped or parsed; progress and problems go to stderr. Exit codes are
kiosk.exitcodes': 0 done, 1 invalid or failed, 2 usage.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import IO, TYPE_CHECKING

from kiosk import exitcodes
from kiosk.profile import Profile
from kiosk.textsafety import escape

if TYPE_CHECKING:
    from kiosk.model import Pack
    from kiosk.packselect import Selected
    from kiosk.packset import PackRecord, PackSet
    from kiosk.validate_targets import TargetReport


def run(args: argparse.Namespace) -> int:
    handler = {
        "list": _list,
        "validate": _validate,
        "show": _show,
        "new": _new,
        "export": _export,
        "approve": _approve,
        "revoke": _revoke,
    }
    return handler[args.packs_command](args)


def selected_packs(args: argparse.Namespace, profile: Profile | None = None) -> Selected:
    """The packs as the kiosk started with these arguments would see them (kiosk.packselect).

    The profile is the command line's (`kiosk --no-kiosk packs list` shows development mode's view).
    """
    from kiosk.packselect import select_configured

    chosen: Profile = profile or getattr(args, "profile", None) or Profile.KIOSK
    selected, problems = select_configured(getattr(args, "config", None), chosen)
    for problem in problems:
        print(f"kiosk: {escape(problem)}", file=sys.stderr)
    return selected


def _dump_json(value: object, default: Callable[[object], object] | None = None) -> None:
    import json  # only `--json` output needs it: `kiosk` itself starts without it

    json.dump(value, sys.stdout, ensure_ascii=False, indent=2, default=default)
    sys.stdout.write("\n")


def report_quarantine(records: Iterable[PackRecord], out: IO[str]) -> None:
    for record in records:
        if record.status == "quarantined":
            text = (
                f"kiosk: pack '{record.id}' ({record.distribution or record.entry_point}) quarantined: {record.error}"
            )
            print(escape(text), file=out)


# -- kiosk packs list ---------------------------------------------------------------


def _list(args: argparse.Namespace) -> int:
    from kiosk import discovery
    from kiosk.packset import discovered_records

    if args.no_load:
        from kiosk import config
        from kiosk.packselect import local_packs_dir

        settings = config.load(config.resolve_path(getattr(args, "config", None))).settings
        local_dir = local_packs_dir(settings, os.environ)
        records = discovered_records(discovery.discover() + discovery.discover_local(local_dir))
    else:
        records = list(selected_packs(args).packs.records)
        report_quarantine(records, sys.stderr)
    if args.json:
        _dump_json([r.as_dict(args.locale) for r in records])
        return exitcodes.OK
    rows = [("ID", "NAME", "DISTRIBUTION", "VERSION", "PROVENANCE", "STATUS")]
    for r in records:
        rows.append(
            (
                r.id,
                r.name[args.locale] if r.name else "-",
                r.distribution or r.entry_point,
                r.pack_version or r.version or "-",
                str(r.provenance or "-"),
                "awaiting approval" if r.awaiting_approval else str(r.status),
            )
        )
    _print_table([tuple(escape(cell) for cell in row) for row in rows], sys.stdout)
    for r in records:
        if r.error:
            print(escape(f"\n{r.id}: {r.status}: {r.error}"), file=sys.stdout)
        for note in r.notes:
            print(escape(f"\n{r.id}: {note}"), file=sys.stdout)
        if r.awaiting_approval:
            print(f"\n{r.id}: awaiting approval: kiosk packs approve {r.id}", file=sys.stdout)
    return exitcodes.OK


def _print_table(rows: Sequence[Sequence[str]], out: IO[str]) -> None:
    from kiosk.textwidth import ljust

    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(ljust(cell, widths[i]) for i, cell in enumerate(row)).rstrip(), file=out)


def _width(text: str) -> int:
    from kiosk.textwidth import cell_width

    return cell_width(text)


# -- kiosk packs validate -------------------------------------------------------------


def _validate(args: argparse.Namespace) -> int:
    from kiosk.validate_targets import TargetError, validate_target

    reports = []
    failed = False
    for target in args.targets:
        try:
            reports.append(validate_target(target))
        except TargetError as exc:
            print(escape(f"kiosk packs validate: {exc}"), file=sys.stderr)
            failed = True
    if failed:
        return exitcodes.USAGE
    if args.json:
        _dump_json([entry for r in reports for entry in r.as_dicts()])
    else:
        for report in reports:
            for line in _report_lines(report):
                # What is checked here is untrusted by definition: names, paths and messages from it are escaped.
                print(escape(line), file=sys.stdout)
    return exitcodes.ERROR if any(not r.valid for r in reports) else exitcodes.OK


def _report_lines(report: TargetReport) -> list[str]:
    """What `kiosk packs validate` prints for one target (a plain file prints as it always did)."""
    from kiosk.validate_targets import TargetKind, plural, source_statistics

    lines: list[str] = []
    if report.kind is not TargetKind.FILE:
        lines.append(f"{report.target}: {_KIND_NAMES[report.kind]}")
        lines += [f"  {note}" for note in report.notes]
    if report.metadata is not None:
        lines += [str(issue) for issue in report.metadata.issues]
    for result in report.documents:
        lines += [str(issue) for issue in result.issues]
        if result.errors or result.pack is None:
            lines.append(
                f"{result.file}: INVALID ({plural(len(result.errors), 'error')}, "
                f"{plural(len(result.warnings), 'warning')})"
            )
        else:
            # The verdict stays the document's last line, as scripts read it.
            lines.append(f"{result.file}: sources: {source_statistics(result.pack).human()}")
            lines.append(f"{result.file}: valid, pack '{result.pack.id}' ({plural(len(result.warnings), 'warning')})")
    if report.kind is not TargetKind.FILE:
        verdict = "valid" if report.valid else "INVALID"
        lines.append(
            f"{report.target}: {verdict}: {plural(len(report.documents), 'pack document')}, "
            f"{plural(len(report.errors), 'error')}, {plural(len(report.warnings), 'warning')}"
        )
    return lines


_KIND_NAMES = {
    "file": "pack file",
    "folder": "folder of pack files",
    "project": "pack project folder",
    "installed": "installed distribution",
    "wheel": "wheel",
}


# -- kiosk packs new --------------------------------------------------------------------


def _new(args: argparse.Namespace) -> int:
    from kiosk.scaffold import ScaffoldError, create_pack, distribution_name, module_name

    folder = args.dir / distribution_name(args.pack_id)
    try:
        create_pack(folder, args.pack_id, name=args.name)
    except ScaffoldError as exc:
        print(f"kiosk packs new: {exc}", file=sys.stderr)
        return exitcodes.USAGE
    document = folder / module_name(args.pack_id) / f"{args.pack_id}.toml"
    print(f"Created {folder}", file=sys.stdout)
    print(f"  edit     {document}", file=sys.stdout)
    print(f"  check    kiosk packs validate {folder}", file=sys.stdout)
    print(f"  test     pip install -e '{folder}[test]' && pytest {folder}", file=sys.stdout)
    print("  next steps are in its README.md", file=sys.stdout)
    return exitcodes.OK


# -- kiosk packs export -----------------------------------------------------------------


def _export(args: argparse.Namespace) -> int:
    from kiosk.packexport import export_pack

    # Like `show`, for looking at a pack before approving it: every loaded pack, approved or not.
    packset = selected_packs(args, Profile.DEVELOPMENT).packs
    pack = packset.get(args.pack_id)
    if pack is None:
        return _no_pack("kiosk packs export", args.pack_id, packset)
    text = export_pack(pack)
    if args.output is None:
        sys.stdout.write(text)
        return exitcodes.OK
    try:
        args.output.write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        print(f"kiosk packs export: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return exitcodes.ERROR
    print(f"kiosk packs export: wrote pack '{pack.id}' to {args.output}", file=sys.stderr)
    return exitcodes.OK


def _no_pack(command: str, pack_id: str, packset: PackSet) -> int:
    record = packset.record(pack_id)
    if record is not None and record.awaiting_approval:
        print(
            f"{command}: pack '{pack_id}' awaits approval: kiosk packs approve {pack_id} "
            "(or look at it in development mode: kiosk --no-kiosk packs show ...)",
            file=sys.stderr,
        )
    elif record is not None:
        print(escape(f"{command}: pack '{pack_id}' is {record.status}: {record.error}"), file=sys.stderr)
    else:
        known = ", ".join(p.id for p in packset.packs)
        print(escape(f"{command}: no pack '{pack_id}' (loaded: {known})"), file=sys.stderr)
    return exitcodes.ERROR


# -- kiosk packs show ---------------------------------------------------------------------


def _show(args: argparse.Namespace) -> int:
    from kiosk.model import EscalationRung, ScamWarning

    # An operator looks at a pack before approving it: every loaded pack, approved or not (its provenance is shown).
    packset = selected_packs(args, Profile.DEVELOPMENT).packs
    pack = packset.get(args.pack_id)
    record = packset.record(args.pack_id)
    if pack is None:
        return _no_pack("kiosk packs show", args.pack_id, packset)
    loc = args.locale
    if args.json:
        _dump_json(_pack_summary(pack, record, loc), default=str)
        return exitcodes.OK
    m = pack.pack
    out = _EscapingWriter(sys.stdout)
    print(f"{m.name[loc]} ({m.id}) {m.version}  format {pack.format}", file=out)
    print(f"  {m.summary[loc]}", file=out)
    if record is not None:
        print(f"  distribution: {record.distribution}  file: {record.file}", file=out)
        print(f"  provenance: {record.provenance}  sha256: {record.sha256}", file=out)
        for note in record.notes:
            print(f"  note: {note}", file=out)
    print(f"\nChannels ({len(pack.channels)}):", file=out)
    for c in pack.channels:
        print(f"  {c.id:<24} {c.kind:<10} {c.value[loc]}", file=out)
        print(f"  {'':<24} {c.confidence} confidence, verified {c.verified}, {c.source}", file=out)
    print(f"\nGuides ({len(pack.guides)}):", file=out)
    for g in pack.guides:
        print(f"  {g.id:<32} {g.category:<10} {g.title[loc]}", file=out)
    for label, items in (
        ("Checklist", pack.checklist),
        ("Scam warnings", pack.scams),
        ("Never asks", pack.never_asks),
        ("Escalation", pack.escalation),
        ("Prepare", pack.prepare),
    ):
        if items:
            print(f"\n{label} ({len(items)}):", file=out)
            for item in items:
                title = item.title if isinstance(item, ScamWarning | EscalationRung) else item.text
                print(f"  {item.id:<32} {title[loc]}", file=out)
    return exitcodes.OK


def _pack_summary(pack: Pack, record: PackRecord | None, loc: str) -> dict[str, object]:
    m = pack.pack
    return {
        "id": m.id,
        "name": m.name[loc],
        "version": m.version,
        "format": pack.format,
        "distribution": record.distribution if record else None,
        "file": record.file if record else None,
        "provenance": str(record.provenance) if record and record.provenance else None,
        "sha256": record.sha256 if record else None,
        "notes": list(record.notes) if record else [],
        "channels": [
            {
                "id": c.id,
                "kind": str(c.kind),
                "value": c.value[loc],
                "label": c.label[loc],
                "source": c.source,
                "verified": c.verified.isoformat(),
                "confidence": str(c.confidence),
            }
            for c in pack.channels
        ],
        "guides": [{"id": g.id, "category": str(g.category), "title": g.title[loc]} for g in pack.guides],
        "checklist": [i.id for i in pack.checklist],
        "scams": [i.id for i in pack.scams],
        "never_asks": [i.id for i in pack.never_asks],
        "escalation": [i.id for i in pack.escalation],
        "prepare": [i.id for i in pack.prepare],
    }


class _EscapingWriter:
    """A text stream that escapes everything written to it (pack text shown on an operator's terminal)."""

    def __init__(self, out: IO[str]) -> None:
        self._out = out

    def write(self, text: str) -> int:
        return self._out.write(escape(text))

    def flush(self) -> None:
        self._out.flush()


# -- kiosk packs approve / revoke ------------------------------------------------------------


def _approve(args: argparse.Namespace) -> int:
    """Approve the pack as it is installed now: id, source, version, document hash and contact facts."""
    import datetime as _dt

    from kiosk import approvals as approvals_file
    from kiosk.packset import PackStatus
    from kiosk.trust import Provenance

    selected = selected_packs(args, Profile.DEVELOPMENT)  # an unapproved pack is loaded only there
    packset = selected.packs
    record = packset.record(args.pack_id)
    pack = packset.get(args.pack_id)
    if record is None or pack is None or record.status is not PackStatus.LOADED or record.sha256 is None:
        return _no_pack("kiosk packs approve", args.pack_id, packset)
    if record.provenance is Provenance.BUNDLED:
        print(f"kiosk packs approve: pack '{args.pack_id}' is bundled with the kiosk; it needs no approval")
        return exitcodes.OK
    source = record.entry_point if record.distribution is None else record.distribution
    version = None if record.distribution is None else record.version
    facts = approvals_file.contact_facts(pack)
    before = selected.approvals.of(pack.id)
    out = _EscapingWriter(sys.stdout)
    where = f"{source} {version}" if version else source
    print(f"pack '{pack.id}' ({pack.pack.name['zh-CN']} / {pack.pack.name['en']}) from {where}", file=out)
    print(f"  document sha256 {record.sha256}", file=out)
    if before is None:
        print(f"  contact facts ({len(facts)}):", file=out)
        for fact in facts:
            print(f"    {fact}", file=out)
    else:
        changed = approvals_file.changes(before.contacts, facts)
        previous = f"{before.source} {before.version}" if before.version else before.source
        print(f"  changes in contact facts since the approval of {previous} on {before.approved}:", file=out)
        for line in changed or ["none"]:
            print(f"    {line}", file=out)
    for note in record.notes:
        print(f"  note: {note}", file=out)
    if args.dry_run:
        print("  not approved (--dry-run)", file=out)
        return exitcodes.OK
    approval = approvals_file.Approval(
        pack=pack.id,
        source=source,
        version=version,
        sha256=record.sha256,
        approved=_dt.date.today(),
        pack_version=pack.pack.version,
        contacts=facts,
    )
    approvals = selected.approvals.with_approval(approval)
    try:
        approvals_file.save(approvals)
    except OSError as exc:
        print(f"kiosk packs approve: cannot write {approvals.path}: {exc.strerror or exc}", file=sys.stderr)
        return exitcodes.ERROR
    print(f"approved: customers see pack '{pack.id}' from the next start ({approvals.path})", file=out)
    return exitcodes.OK


def _revoke(args: argparse.Namespace) -> int:
    from kiosk import approvals as approvals_file
    from kiosk import config

    path = approvals_file.path_for(config.resolve_path(getattr(args, "config", None)))
    approvals = approvals_file.load(path)
    if approvals.problems:
        print(f"kiosk packs revoke: {approvals.problems[0]}", file=sys.stderr)
        return exitcodes.ERROR
    if approvals.of(args.pack_id) is None:
        print(escape(f"kiosk packs revoke: pack '{args.pack_id}' is not approved ({path})"), file=sys.stderr)
        return exitcodes.ERROR
    try:
        approvals_file.save(approvals.without(args.pack_id))
    except OSError as exc:
        print(f"kiosk packs revoke: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
        return exitcodes.ERROR
    print(escape(f"revoked: pack '{args.pack_id}' is not shown to customers from the next start ({path})"))
    return exitcodes.OK
