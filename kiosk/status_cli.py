"""`kiosk status [--json | --metrics]`: gather what the kiosk would load and what the doors say, then report.

The judging is kiosk.status's; this module only collects its inputs the way the
kiosk itself would (launch.prepare: the configuration, the packs in the
operator's selection, the extra calendar years, the branch's hours) and prints
one of the three renderings. The exit code is the health: 0 healthy,
1 degraded, 2 broken (a bad command line also exits 2, as every command does).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import sys

from kiosk import config, configcheck, launch
from kiosk.status import DOORS, Health, StatusReport, evaluate, read_door, text_lines


def run(args: argparse.Namespace) -> int:
    report = build(args)
    if args.json:
        import json  # only this output needs it

        json.dump(report.as_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.metrics:
        from kiosk import metrics  # prometheus-client: only when metrics are asked for

        sys.stdout.write(metrics.exposition(metrics.status_registry(report)))
    else:
        for line in text_lines(report):
            print(line)
    return int(report.health)


def build(args: argparse.Namespace, now: _dt.datetime | None = None) -> StatusReport:
    """The report for the configuration `args` names, at `now` (the real time by default)."""
    cli_path = getattr(args, "config", None)
    path = config.resolve_path(cli_path)
    named = config.is_named(cli_path)
    prepared = launch.prepare(path, named=named)
    user = getattr(args, "user", None) or configcheck.default_user()
    checked = configcheck.check(path, named=named, packs=prepared.packs, user=user)
    now = now or _dt.datetime.now(_dt.UTC)
    expected = set(getattr(args, "expect", None) or ())
    doors = [read_door(door, now, expected=door in expected) for door in DOORS]
    # The start-up notices need no second look: `checked` has the configuration's (branch hours
    # for a channel that is not loaded, a broken calendar file too), the records the packs'.
    return evaluate(
        now=now,
        packs=prepared.packs,
        config_file=str(path) + ("" if path.exists() else " (not found)"),
        config_issues=checked.issues,
        max_fact_age_days=checked.settings.max_fact_age_days,
        doors=doors,
    )


__all__ = ["Health", "build", "run"]
