"""`kiosk packs ...`: each subcommand is a few lines over the pack layers (discovery, validation, export).

Only the requested output goes to stdout (a table, JSON, a TOML document), so
it can be piped or parsed; progress and problems go to stderr. Exit codes are
kiosk.exitcodes': 0 done, 1 invalid or failed, 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import IO, TYPE_CHECKING

from kiosk import exitcodes

if TYPE_CHECKING:
    from kiosk.model import Pack
    from kiosk.packset import PackRecord, PackSet
    from kiosk.validate_targets import TargetReport


def run(args: argparse.Namespace) -> int:
    handler = {
        "list": _list,
        "validate": _validate,
        "show": _show,
        "new": _new,
        "export": _export,
    }
    return handler[args.packs_command](args)


def _dump_json(value: object, default: Callable[[object], object] | None = None) -> None:
    import json  # only `--json` output needs it: `kiosk` itself starts without it

    json.dump(value, sys.stdout, ensure_ascii=False, indent=2, default=default)
    sys.stdout.write("\n")


def report_quarantine(records: Iterable[PackRecord], out: IO[str]) -> None:
    for record in records:
        if record.status == "quarantined":
            print(
                f"kiosk: pack '{record.id}' ({record.distribution or record.entry_point}) quarantined: {record.error}",
                file=out,
            )


# -- kiosk packs list ---------------------------------------------------------------


def _list(args: argparse.Namespace) -> int:
    from kiosk import discovery
    from kiosk.packset import discovered_records

    local_dir = discovery.local_packs_dir()
    if args.no_load:
        records = discovered_records(discovery.discover() + discovery.discover_local(local_dir))
    else:
        packset = discovery.load_packs(trace=discovery.trace_stream(), local_dir=local_dir)
        records = list(packset.records)
        report_quarantine(records, sys.stderr)
    if args.json:
        _dump_json([r.as_dict(args.locale) for r in records])
        return exitcodes.OK
    rows = [("ID", "NAME", "DISTRIBUTION", "VERSION", "STATUS")]
    for r in records:
        rows.append(
            (
                r.id,
                r.name[args.locale] if r.name else "-",
                r.distribution or r.entry_point,
                r.pack_version or r.version or "-",
                str(r.status),
            )
        )
    _print_table(rows, sys.stdout)
    for r in records:
        if r.error:
            print(f"\n{r.id}: {r.status}: {r.error}", file=sys.stdout)
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
            print(f"kiosk packs validate: {exc}", file=sys.stderr)
            failed = True
    if failed:
        return exitcodes.USAGE
    if args.json:
        _dump_json([entry for r in reports for entry in r.as_dicts()])
    else:
        for report in reports:
            for line in _report_lines(report):
                print(line, file=sys.stdout)
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
    from kiosk import discovery
    from kiosk.packexport import export_pack

    packset = discovery.load_packs(trace=discovery.trace_stream(), local_dir=discovery.local_packs_dir())
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
    if record is not None:
        print(f"{command}: pack '{pack_id}' is {record.status}: {record.error}", file=sys.stderr)
    else:
        known = ", ".join(p.id for p in packset.packs)
        print(f"{command}: no pack '{pack_id}' (loaded: {known})", file=sys.stderr)
    return exitcodes.ERROR


# -- kiosk packs show ---------------------------------------------------------------------


def _show(args: argparse.Namespace) -> int:
    from kiosk import discovery
    from kiosk.model import EscalationRung, ScamWarning

    packset = discovery.load_packs(trace=discovery.trace_stream(), local_dir=discovery.local_packs_dir())
    pack = packset.get(args.pack_id)
    record = packset.record(args.pack_id)
    if pack is None:
        return _no_pack("kiosk packs show", args.pack_id, packset)
    loc = args.locale
    if args.json:
        _dump_json(_pack_summary(pack, record, loc), default=str)
        return exitcodes.OK
    m = pack.pack
    out = sys.stdout
    print(f"{m.name[loc]} ({m.id}) {m.version}  format {pack.format}", file=out)
    print(f"  {m.summary[loc]}", file=out)
    if record is not None:
        print(f"  distribution: {record.distribution}  file: {record.file}", file=out)
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
