"""Cold start to the first painted home screen, against a minimal Textual app started the same way.

Each round starts, in a fresh interpreter each, the minimal app and the kiosk
with the bundled packs only, then with each number of synthetic installed
pack distributions (`bench.start`). The order rotates from round to round so
that drift and cache effects hit every variant alike; one warm-up round is
not counted. Two times per start: from just before spawning to the first
paint (reported by the child), and to the process's exit (wall time); and
the CPU time the process used, which other processes on a shared machine
do not inflate (context for the budgets, which are on what a customer waits).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.child import ChildFailed, ChildRun, run_child
from bench.sections import Budget, Context, Row, Section, SectionResult, compare
from bench.stats import median, span

MINIMAL = "minimal"
BUNDLED = "bundled"

BUDGET_BUNDLED = Budget(1.3)
#: Budget at the largest number of synthetic packs (200 in a full run).
BUDGET_MANY = Budget(2.0)


@dataclass
class Samples:
    """Per variant, one value per counted round, in round order."""

    first_paint_ms: dict[str, list[float]] = field(default_factory=dict)
    wall_ms: dict[str, list[float]] = field(default_factory=dict)
    cpu_ms: dict[str, list[float]] = field(default_factory=dict)
    maxrss_kib: dict[str, list[float]] = field(default_factory=dict)
    phases: dict[str, list[dict]] = field(default_factory=dict)
    facts: dict[str, dict] = field(default_factory=dict)


def variant_name(n_packs: int) -> str:
    return f"synthetic-{n_packs}"


def startup_samples(ctx: Context) -> Samples:
    """Run the start-up rounds once per benchmark run; the memory section reuses them."""
    return ctx.once("startup", lambda: _measure(ctx))


def _measure(ctx: Context) -> Samples:
    variants: dict[str, list] = {MINIMAL: [], BUNDLED: []}
    for n in ctx.sizes.startup_packs:
        variants[variant_name(n)] = [ctx.synthetic_site(n, ctx.sizes.guides_per_pack)]
    samples = Samples()
    names = list(variants)
    for round_number in range(ctx.runs + 1):
        counted = round_number > 0
        ctx.log(f"start-up round {round_number}/{ctx.runs}" + ("" if counted else " (warm-up)"))
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            app = "minimal" if name == MINIMAL else "kiosk"
            run = run_child("bench.start", app, pythonpath=variants[name])
            _check(name, run)
            if not counted:
                continue
            samples.first_paint_ms.setdefault(name, []).append(run.result["marks"]["first_paint"])
            samples.wall_ms.setdefault(name, []).append(run.wall_ms)
            samples.cpu_ms.setdefault(name, []).append(run.cpu_ms or float("nan"))
            samples.maxrss_kib.setdefault(name, []).append(run.maxrss_kib or run.result.get("peak_rss_kib") or 0)
            samples.phases.setdefault(name, []).append(run.result["marks"])
            samples.facts[name] = {k: v for k, v in run.result.items() if k not in ("marks", "app")}
    return samples


def _check(name: str, run: ChildRun) -> None:
    """A start that did not show the right screen, or wrote to stdout, measures nothing."""
    result = run.result
    if run.stdout:
        raise ChildFailed(f"{name}: the app wrote to stdout: {run.stdout[:200]!r}")
    if name == MINIMAL:
        return
    if result.get("screen") != "HomeScreen":
        raise ChildFailed(f"{name}: first screen was {result.get('screen')}, not the home screen")
    if name != BUNDLED:
        n = int(name.rsplit("-", 1)[1])
        if result.get("synthetic_loaded") != n:
            raise ChildFailed(f"{name}: only {result.get('synthetic_loaded')} of {n} synthetic packs loaded")


def _phase(measure: str, values: list[float]) -> Row:
    return Row(measure, "ms", median(values), spread=span(values))


def _rows(ctx: Context) -> SectionResult:
    samples = startup_samples(ctx)
    rows: list[Row] = []
    largest = max(ctx.sizes.startup_packs)
    labels = {BUNDLED: "bundled packs"} | {variant_name(n): f"{n} synthetic packs" for n in ctx.sizes.startup_packs}
    budgets = {BUNDLED: BUDGET_BUNDLED, variant_name(largest): BUDGET_MANY}
    for name, label in labels.items():
        budget = budgets.get(name)
        rows.append(
            compare(
                f"cold start to first paint, {label}",
                "ms",
                samples.first_paint_ms[name],
                samples.first_paint_ms[MINIMAL],
                budget,
            )
        )
        rows.append(
            compare(
                f"cold start to exit (wall), {label}", "ms", samples.wall_ms[name], samples.wall_ms[MINIMAL], budget
            )
        )
        rows.append(
            compare(
                f"cold start CPU time to exit (user + system), {label}",
                "ms",
                samples.cpu_ms[name],
                samples.cpu_ms[MINIMAL],
            )
        )
        marks = samples.phases[name]
        if name == BUNDLED:
            rows.append(_phase("… of which interpreter start and kiosk.cli import", [m["imported"] for m in marks]))
        rows.append(_phase(f"… of which load_packs(), {label}", [m["packs_loaded"] - m["imported"] for m in marks]))
        if name == BUNDLED:
            rows.append(
                _phase(
                    "… of which import of kiosk.ui (and Textual)", [m["ui_imported"] - m["packs_loaded"] for m in marks]
                )
            )
        rows.append(
            compare(
                f"… of which app start to first paint (vs the minimal app's), {label}",
                "ms",
                [m["first_paint"] - m["ui_imported"] for m in marks],
                [m["first_paint"] - m["imported"] for m in samples.phases[MINIMAL]],
            )
        )
    raw = {
        "first_paint_ms": samples.first_paint_ms,
        "wall_ms": samples.wall_ms,
        "cpu_ms": samples.cpu_ms,
        "phases_ms": samples.phases,
        "facts": samples.facts,
    }
    notes = [
        f"{labels[name]}: {facts['statuses']['quarantined']} installed packs were quarantined "
        "(see `kiosk packs list`); the figures include them as the kiosk met them."
        for name, facts in samples.facts.items()
        if name in labels and facts.get("statuses", {}).get("quarantined")
    ]
    return SectionResult(rows, raw, notes)


SECTION = Section("startup", "Cold start to the first painted home screen", _rows)
