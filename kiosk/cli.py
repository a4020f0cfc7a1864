"""Command line: argument parsing only; each command calls the layer below.

Importing this module must stay cheap and free of Textual: `kiosk packs list`
and `kiosk --version` never draw a screen. Everything that is not the
requested output goes to stderr, so stdout can be piped or parsed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from kiosk import __version__

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse already exits 2; keep the message short
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kiosk", description="Self-service help kiosk for digital-wallet users.")
    parser.add_argument("--version", action="store_true", help="print the kiosk and pack versions and exit")
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="operator configuration (default: $KIOSK_CONFIG, else ~/.config/wallet-kiosk/kiosk.toml)",
    )
    profile = parser.add_mutually_exclusive_group()
    profile.add_argument(
        "--no-kiosk",
        dest="profile",
        action="store_const",
        const="development",
        help="development mode: Ctrl+Q quits, no idle reset, no lockdown",
    )
    # The SSH and web front doors start each session's kiosk with --remote.
    profile.add_argument("--remote", dest="profile", action="store_const", const="remote", help=argparse.SUPPRESS)
    # `kiosk ssh --spawn exec` passes a pipe for start-up notices: the session's terminal is the
    # customer's, and configuration or pack problems are for the operator's log.
    parser.add_argument("--notice-fd", type=int, metavar="FD", help=argparse.SUPPRESS)
    parser.set_defaults(profile="kiosk")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    cfg = sub.add_parser("config", help="create, show, change and check the operator configuration")
    # Also accepted after `config` (kiosk config --config FILE check), without hiding the global one.
    cfg.add_argument("--config", default=argparse.SUPPRESS, metavar="FILE", help="the configuration file")
    cfg_sub = cfg.add_subparsers(dest="config_command", parser_class=_Parser, required=True)
    init = cfg_sub.add_parser("init", help="write a configuration file with every key at its default")
    init.add_argument("--force", action="store_true", help="overwrite an existing file")
    show_cfg = cfg_sub.add_parser("show", help="every key, its value and what it does")
    show_cfg.add_argument("--json", action="store_true", help="machine-readable output")
    get = cfg_sub.add_parser("get", help="print one key's value")
    get.add_argument("key")
    set_ = cfg_sub.add_parser("set", help="change one key (checked before anything is written)")
    set_.add_argument("key")
    set_.add_argument("value", help="lists are comma-separated: alipay,wechat")
    pin = cfg_sub.add_parser("set-pin", help="set the staff PIN (stored only as a salted hash)")
    pin.add_argument("--stdin", action="store_true", help="read the PIN from standard input (for scripts)")
    cfg_sub.add_parser("check", help="report every problem with file, line and key; exit 1 if any")

    packs = sub.add_parser("packs", help="list, check, create, inspect and export knowledge packs")
    packs_sub = packs.add_subparsers(dest="packs_command", parser_class=_Parser, required=True)

    listing = packs_sub.add_parser("list", help="installed and local packs and whether they loaded")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.add_argument(
        "--no-load", action="store_true", help="read entry-point metadata only; import no pack (status 'discovered')"
    )
    listing.add_argument("--locale", default="en", choices=["en", "zh-CN"], help="language of pack names")

    validate = packs_sub.add_parser("validate", help="check packs before publishing; exit 0 valid, 1 invalid, 2 usage")
    validate.add_argument(
        "targets",
        nargs="+",
        metavar="TARGET",
        help="a pack .toml file, a pack project or packs folder, an installed distribution name or a built .whl wheel",
    )
    validate.add_argument("--json", action="store_true", help="machine-readable output")

    new = packs_sub.add_parser("new", help="create a new pack distribution folder (kiosk-pack-ID) to edit")
    new.add_argument("pack_id", metavar="ID", help="the new pack's id: lowercase letters, digits and dashes")
    new.add_argument(
        "--dir",
        type=Path,
        default=Path("."),
        metavar="PARENT",
        help="where to create the folder (default: the current folder)",
    )
    new.add_argument("--name", help="the wallet or desk name customers know (default: from the id)")

    export = packs_sub.add_parser("export", help="write a loaded pack back as a TOML document")
    export.add_argument("pack_id", metavar="ID")
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of stdout")

    show = packs_sub.add_parser("show", help="what one loaded pack contains")
    show.add_argument("pack_id", metavar="ID")
    show.add_argument("--json", action="store_true", help="machine-readable output")
    show.add_argument("--locale", default="en", choices=["en", "zh-CN"])

    ssh = sub.add_parser("ssh", help="serve the kiosk over SSH: one kiosk process per session")
    from kiosk.ssh.cli import add_arguments as add_ssh_arguments  # standard library only; no asyncssh

    add_ssh_arguments(ssh)

    web = sub.add_parser("web", help="serve the kiosk to browsers: one kiosk process per tab")
    from kiosk.web import add_arguments as add_web_arguments  # standard library only; no textual-serve

    add_web_arguments(web)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.version:
        return print_version(sys.stdout)
    if args.command == "packs":
        handler = {
            "list": cmd_packs_list,
            "validate": cmd_packs_validate,
            "show": cmd_packs_show,
            "new": cmd_packs_new,
            "export": cmd_packs_export,
        }
        return handler[args.packs_command](args)
    if args.command == "config":
        from kiosk import config_cli

        return config_cli.run(args)
    if args.command == "ssh":
        from kiosk.ssh import cli as ssh_cli  # asyncssh is imported only when the server starts

        return ssh_cli.run(args)
    if args.command == "web":
        from kiosk import web  # textual-serve is imported only when the server starts

        return web.run(args)
    return run_kiosk(args)


def _dump_json(value, **options) -> None:
    import json  # only `--json` output needs it: `kiosk` itself starts without it

    json.dump(value, sys.stdout, ensure_ascii=False, indent=2, **options)


# -- kiosk ----------------------------------------------------------------------


def run_kiosk(args: argparse.Namespace) -> int:
    from kiosk import config, launch

    return launch.run(args.profile, config.resolve_path(args.config), notice_fd=args.notice_fd)


def report_quarantine(records, out: IO[str]) -> None:
    for record in records:
        if record.status == "quarantined":
            print(
                f"kiosk: pack '{record.id}' ({record.distribution or record.entry_point}) quarantined: {record.error}",
                file=out,
            )


# -- kiosk --version --------------------------------------------------------------


def print_version(out: IO[str]) -> int:
    from kiosk.discovery import discover

    print(f"wallet-kiosk {__version__} (Python {sys.version.split()[0]})", file=out)
    print(f"  general {__version__} (built in)", file=out)
    for installed in discover():
        print(f"  {installed.entry_point} {installed.version or '?'} ({installed.distribution or 'unknown'})", file=out)
    return EXIT_OK


# -- kiosk packs list ---------------------------------------------------------------


def cmd_packs_list(args: argparse.Namespace) -> int:
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
        sys.stdout.write("\n")
        return EXIT_OK
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
    return EXIT_OK


def _print_table(rows: list[tuple[str, ...]], out: IO[str]) -> None:
    from kiosk.textwidth import ljust

    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(ljust(cell, widths[i]) for i, cell in enumerate(row)).rstrip(), file=out)


def _width(text: str) -> int:
    from kiosk.textwidth import cell_width

    return cell_width(text)


# -- kiosk packs validate -------------------------------------------------------------


def cmd_packs_validate(args: argparse.Namespace) -> int:
    from kiosk.validate_targets import TargetError, human_lines, validate_target

    reports = []
    failed = False
    for target in args.targets:
        try:
            reports.append(validate_target(target))
        except TargetError as exc:
            print(f"kiosk packs validate: {exc}", file=sys.stderr)
            failed = True
    if failed:
        return EXIT_USAGE
    if args.json:
        _dump_json([entry for r in reports for entry in r.as_dicts()])
        sys.stdout.write("\n")
    else:
        for report in reports:
            for line in human_lines(report):
                print(line, file=sys.stdout)
    return EXIT_INVALID if any(not r.valid for r in reports) else EXIT_OK


# -- kiosk packs new --------------------------------------------------------------------


def cmd_packs_new(args: argparse.Namespace) -> int:
    from kiosk.scaffold import ScaffoldError, create_pack, distribution_name, module_name

    folder = args.dir / distribution_name(args.pack_id)
    try:
        create_pack(folder, args.pack_id, name=args.name)
    except ScaffoldError as exc:
        print(f"kiosk packs new: {exc}", file=sys.stderr)
        return EXIT_USAGE
    document = folder / module_name(args.pack_id) / f"{args.pack_id}.toml"
    print(f"Created {folder}", file=sys.stdout)
    print(f"  edit     {document}", file=sys.stdout)
    print(f"  check    kiosk packs validate {folder}", file=sys.stdout)
    print(f"  test     pip install -e '{folder}[test]' && pytest {folder}", file=sys.stdout)
    print("  next steps are in its README.md", file=sys.stdout)
    return EXIT_OK


# -- kiosk packs export -----------------------------------------------------------------


def cmd_packs_export(args: argparse.Namespace) -> int:
    from kiosk import discovery
    from kiosk.packexport import export_pack

    packset = discovery.load_packs(trace=discovery.trace_stream(), local_dir=discovery.local_packs_dir())
    pack = packset.get(args.pack_id)
    if pack is None:
        return _no_pack("kiosk packs export", args.pack_id, packset)
    text = export_pack(pack)
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        args.output.write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        print(f"kiosk packs export: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_INVALID
    print(f"kiosk packs export: wrote pack '{pack.id}' to {args.output}", file=sys.stderr)
    return EXIT_OK


def _no_pack(command: str, pack_id: str, packset) -> int:
    record = packset.record(pack_id)
    if record is not None:
        print(f"{command}: pack '{pack_id}' is {record.status}: {record.error}", file=sys.stderr)
    else:
        known = ", ".join(p.id for p in packset.packs)
        print(f"{command}: no pack '{pack_id}' (loaded: {known})", file=sys.stderr)
    return EXIT_INVALID


# -- kiosk packs show ---------------------------------------------------------------------


def cmd_packs_show(args: argparse.Namespace) -> int:
    from kiosk import discovery

    packset = discovery.load_packs(trace=discovery.trace_stream(), local_dir=discovery.local_packs_dir())
    pack = packset.get(args.pack_id)
    record = packset.record(args.pack_id)
    if pack is None:
        return _no_pack("kiosk packs show", args.pack_id, packset)
    loc = args.locale
    if args.json:
        _dump_json(_pack_summary(pack, record, loc), default=str)
        sys.stdout.write("\n")
        return EXIT_OK
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
                title = getattr(item, "title", None) or item.text
                print(f"  {item.id:<32} {title[loc]}", file=out)
    return EXIT_OK


def _pack_summary(pack, record, loc: str) -> dict:
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
