"""`python -m bench` (`make bench`): run the benchmark sections and print a Markdown note.

    python -m bench                        # everything, 7 runs per start-up figure
    python -m bench --runs 11 --only startup,memory
    python -m bench --quick                # tiny sizes: checks that it all runs (the smoke test)
    python -m bench --json bench/results/today.json

Progress goes to stderr, the note to stdout. Budgets are marked PASS or FAIL
in the table; the exit status is 0 whenever every section ran, 1 when one
failed to run, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from pathlib import Path

from bench.child import ChildFailed
from bench.report import environment, markdown, write_json
from bench.sections import QUICK_SIZES, Context, SectionResult, Sizes, all_sections

DEFAULT_RUNS = 7
QUICK_RUNS = 2


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    sections = [s.name for s in all_sections()]
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, help=f"runs per start-up figure (default {DEFAULT_RUNS}, {QUICK_RUNS} with --quick)"
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes and few runs, to check that it works")
    parser.add_argument("--only", metavar="SECTION,...", help=f"run only these sections: {', '.join(sections)}")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the raw numbers to FILE")
    args = parser.parse_args(argv)
    if args.only:
        args.only = [name.strip() for name in args.only.split(",") if name.strip()]
        unknown = [name for name in args.only if name not in sections]
        if unknown:
            parser.error(f"unknown section {', '.join(unknown)} (choose from {', '.join(sections)})")
    if args.runs is None:
        args.runs = QUICK_RUNS if args.quick else DEFAULT_RUNS
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = QUICK_SIZES if args.quick else Sizes()
    results: dict[str, SectionResult] = {}
    skipped: dict[str, str] = {}
    failed = False

    def log(message: str) -> None:
        print(f"bench: {message}", file=sys.stderr, flush=True)

    load_at_start = environment(args.runs, args.quick)["load_average"]
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as workdir:
        ctx = Context(args.runs, sizes, Path(workdir), log)
        for section in all_sections():
            if args.only and section.name not in args.only:
                continue
            reason = section.available()
            if reason:
                skipped[section.name] = reason
                continue
            log(f"{section.name}: {section.title}")
            began = time.perf_counter()
            try:
                results[section.name] = section.run(ctx)
            except ChildFailed as exc:
                failed = True
                log(f"{section.name} failed: {exc}")
            except Exception:  # one broken section must not lose the others' numbers
                failed = True
                log(f"{section.name} failed:\n{traceback.format_exc()}")
            log(f"{section.name} took {time.perf_counter() - began:.1f} s")

    env = environment(args.runs, args.quick) | {"load_average_start": load_at_start}
    sys.stdout.write(markdown(env, results, skipped))
    if args.json:
        write_json(args.json, env, results, skipped)
        log(f"raw numbers written to {args.json}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
