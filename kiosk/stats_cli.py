"""`kiosk stats [--since DATE] [--json]`: what customers could not find, and which guides helped.

Reads the usage counts of this kiosk's state folder (kiosk.usagestats): the top
searches that found nothing, the guides answered "didn't help", and the guides
opened most. Stored queries are what customers typed (with digit runs hidden),
so they are printed escaped.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import sqlite3
import sys

from kiosk import exitcodes
from kiosk.textsafety import escape

#: Entries per list.
LIMIT = 10


def parse_date(text: str) -> _dt.date:
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-12-01") from None


def run(args: argparse.Namespace) -> int:
    from kiosk import config
    from kiosk.usagestats import UsageStats, report

    loaded = config.load(config.resolve_path(getattr(args, "config", None)))
    stats = UsageStats(retention_days=loaded.settings.usage_stats_days)
    try:
        counts = stats.totals(args.since)
    except (sqlite3.Error, OSError) as exc:
        print(f"kiosk: cannot read {stats.path}: {exc}", file=sys.stderr)
        return exitcodes.ERROR
    found = report(counts, LIMIT)
    if args.json:
        import json

        out = {
            "since": args.since.isoformat() if args.since else None,
            "recording": loaded.settings.usage_stats,
            "retention_days": loaded.settings.usage_stats_days,
            **found,
        }
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return exitcodes.OK
    since = f" since {args.since.isoformat()}" if args.since else f" (the last {stats.retention_days} days kept)"
    if not loaded.settings.usage_stats:
        print("Counting is switched off (usage_stats = false in kiosk.toml); earlier counts follow.")
    print(f"Searches that found nothing{since}:")
    for entry in found["no_result_queries"]:
        print(f"  {entry['count']:>5}  {escape(str(entry['query']))}")
    if not found["no_result_queries"]:
        print("  none")
    print("Guides answered “didn't help”:")
    for entry in found["not_helpful_guides"]:
        print(f"  {entry['not_helpful']:>5}  {escape(str(entry['guide']))}  (helped: {entry['helpful']})")
    if not found["not_helpful_guides"]:
        print("  none")
    print("Guides opened most:")
    for entry in found["most_used_guides"]:
        print(f"  {entry['views']:>5}  {escape(str(entry['guide']))}")
    if not found["most_used_guides"]:
        print("  none")
    return exitcodes.OK
