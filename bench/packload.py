"""Pack discovery and validation alone, per pack, over the synthetic installed distributions.

Each round runs three fresh interpreters (`bench.packload_child`), in an
order that rotates: the kiosk's `load_packs()` with its parts timed, its
metadata-only `discover()`, and the bare baseline (entry points, import, hook
function, `tomllib.loads`). Every figure is divided by the number of packs it
handled (the synthetic ones plus the bundled and built-in packs).
"""

from __future__ import annotations

from bench.child import ChildFailed, run_child
from bench.sections import Context, Row, Section, SectionResult, compare
from bench.stats import median, span

MODES = ("load", "discover", "bare")


def _measure(ctx: Context) -> dict[str, list[dict]]:
    n = ctx.sizes.packload_packs
    site = ctx.synthetic_site(n, ctx.sizes.guides_per_pack)
    results: dict[str, list[dict]] = {mode: [] for mode in MODES}
    for round_number in range(ctx.runs):
        ctx.log(f"pack loading round {round_number + 1}/{ctx.runs}")
        shift = round_number % len(MODES)
        for mode in MODES[shift:] + MODES[:shift]:
            result = run_child("bench.packload_child", mode, pythonpath=[site]).result
            if mode == "load" and result["synthetic_loaded"] != n:
                raise ChildFailed(f"only {result['synthetic_loaded']} of {n} synthetic packs loaded: {result}")
            results[mode].append(result)
    return results


def _per_pack(results: list[dict], key: str = "total_ms") -> list[float]:
    return [r[key] / r["packs"] for r in results]


def _rows(ctx: Context) -> SectionResult:
    results = _measure(ctx)
    load, discover, bare = results["load"], results["discover"], results["bare"]
    n = ctx.sizes.packload_packs
    label = f"{n} synthetic + {load[0]['packs'] - n} bundled packs"
    rows = [
        compare(f"load_packs() per pack vs bare import + tomllib, {label}", "ms/pack", _per_pack(load), _per_pack(bare))
    ]
    rows.append(_single(f"… metadata only (discover()), {label}", _per_pack(discover)))
    rows.append(_single("… import of the pack modules", _per_pack(load, "import_ms")))
    rows.append(
        compare(
            "… read_pack() (parse + validate) vs tomllib.loads",
            "ms/pack",
            _per_pack(load, "read_pack_ms"),
            _per_pack(load, "tomllib_ms"),
        )
    )
    rest = [(r["total_ms"] - r["import_ms"] - r["read_pack_ms"]) / r["packs"] for r in load]
    rows.append(_single("… the rest (metadata, pluggy hook calls, file reads)", rest))
    return SectionResult(rows, results)


def _single(measure: str, values: list[float]) -> Row:
    return Row(measure, "ms/pack", median(values), spread=span(values))


SECTION = Section("packload", "Pack discovery and validation alone", _rows)
