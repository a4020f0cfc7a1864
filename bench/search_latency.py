"""Search latency per keystroke over the synthetic corpus, against a plain substring scan.

The index is built over `synthetic_packs(packs, guides)` (200 x 20 in a full
run). Every query is typed one keystroke at a time (each prefix is searched,
as the search screen does), for several rounds. The baseline, timed right
after each keystroke, is the least a search box could do: a substring test of
the typed text against every document's titles and keywords. The budget is on
the kiosk's own p99; the baseline is there to show what the machine does in
the same run.

Latencies are CPU time of the searching thread (`time.thread_time_ns`): on a
shared machine the scheduler takes the CPU away for whole time slices (about
5 ms), which would put other processes' work into the p99. Wall-clock p99 is
reported too, next to the baseline's, so such noise stays visible.
"""

from __future__ import annotations

import time

from bench.sections import Budget, Context, Row, Section, SectionResult
from bench.stats import percentile, span

BUDGET_P99_MS = Budget(2.0, of="subject")
#: hit@3 of the relevance set (`bench.relevance`), in per cent.
BUDGET_HIT_AT_3 = Budget(95.0, of="floor")
CLOCKS = ("cpu", "wall")

#: Query shapes and queries, as customers type them.
QUERIES: dict[str, tuple[str, ...]] = {
    "Chinese": ("支付密码", "退款"),
    "pinyin": ("zhifumima", "tuikuan"),
    "initials": ("zfmm", "tk"),
    "English": ("refund", "payment password"),
    "typo": ("refnud",),
}


def keystrokes(query: str) -> list[str]:
    """What the search box holds after each keystroke (trailing spaces are typed but not searched anew)."""
    return [query[:i] for i in range(1, len(query) + 1) if not query[:i].endswith(" ")]


class SubstringScan:
    """The baseline: lower-cased titles and keywords of every document, scanned in full."""

    def __init__(self, packs) -> None:
        from kiosk.search import normalize

        self._normalize = normalize
        self._texts = []
        for pack in packs:
            for item in (*pack.guides, *pack.scams):
                self._texts.append(normalize("\n".join([*item.title.strings(), *item.keywords])))

    def search(self, query: str, limit: int = 20) -> list[int]:
        text = self._normalize(query)
        return [i for i, haystack in enumerate(self._texts) if text in haystack][:limit]


def _measure(ctx: Context) -> dict:
    from bench.corpus import synthetic_packs
    from kiosk.search import SearchIndex

    packs = synthetic_packs(ctx.sizes.search_packs, ctx.sizes.search_guides)
    began = time.perf_counter()
    index = SearchIndex.build(packs)
    build_ms = (time.perf_counter() - began) * 1000
    scan = SubstringScan(packs)
    # clock -> shape -> round -> latencies (ms) of every keystroke of every query of that shape
    subject: dict[str, dict[str, list[list[float]]]] = {c: {shape: [] for shape in QUERIES} for c in CLOCKS}
    baseline: dict[str, dict[str, list[list[float]]]] = {c: {shape: [] for shape in QUERIES} for c in CLOCKS}
    cpu, wall = time.thread_time_ns, time.perf_counter_ns
    for round_number in range(ctx.sizes.search_rounds + 1):  # round 0 warms up
        for shape, queries in QUERIES.items():
            times: dict[tuple[str, str], list[float]] = {(w, c): [] for w in ("s", "b") for c in CLOCKS}
            for query in queries:
                for typed in keystrokes(query):
                    c0, w0 = cpu(), wall()
                    index.search(typed)
                    w1, c1 = wall(), cpu()
                    scan.search(typed)
                    w2, c2 = wall(), cpu()
                    times["s", "cpu"].append((c1 - c0) / 1e6)
                    times["s", "wall"].append((w1 - w0) / 1e6)
                    times["b", "cpu"].append((c2 - c1) / 1e6)
                    times["b", "wall"].append((w2 - w1) / 1e6)
            if round_number:
                for clock in CLOCKS:
                    subject[clock][shape].append(times["s", clock])
                    baseline[clock][shape].append(times["b", clock])
    return {"build_ms": build_ms, "documents": len(index), "subject_ms": subject, "baseline_ms": baseline}


def _row(
    measure: str, p: float, subject_rounds: list[list[float]], baseline_rounds: list[list[float]], budget: Budget | None
) -> Row:
    s = percentile([t for r in subject_rounds for t in r], p)
    b = percentile([t for r in baseline_rounds for t in r], p)
    per_round = [percentile(sr, p) / percentile(br, p) for sr, br in zip(subject_rounds, baseline_rounds, strict=True)]
    return Row(measure, "ms", s, b, s / b if b else None, span(per_round), budget)


def _rows(ctx: Context) -> SectionResult:
    raw = _measure(ctx)
    size = f"{ctx.sizes.search_packs} packs x {ctx.sizes.search_guides} guides"
    rows = [Row(f"search index build, {size}", "ms", raw["build_ms"])]
    rounds = range(ctx.sizes.search_rounds)

    def pooled(times: dict[str, list[list[float]]]) -> list[list[float]]:
        return [[t for shape in QUERIES for t in times[shape][r]] for r in rounds]

    cpu_s, cpu_b = raw["subject_ms"]["cpu"], raw["baseline_ms"]["cpu"]
    wall_s, wall_b = raw["subject_ms"]["wall"], raw["baseline_ms"]["wall"]
    rows.append(
        _row("search per keystroke p50 (CPU), all queries vs substring scan", 50, pooled(cpu_s), pooled(cpu_b), None)
    )
    rows.append(
        _row(
            "search per keystroke p99 (CPU), all queries vs substring scan",
            99,
            pooled(cpu_s),
            pooled(cpu_b),
            BUDGET_P99_MS,
        )
    )
    rows.append(
        _row(
            "search per keystroke p99 (wall clock), all queries vs substring scan",
            99,
            pooled(wall_s),
            pooled(wall_b),
            None,
        )
    )
    for shape in QUERIES:
        rows.append(_row(f"… p50 (CPU), {shape}", 50, cpu_s[shape], cpu_b[shape], None))
        rows.append(_row(f"… p99 (CPU), {shape}", 99, cpu_s[shape], cpu_b[shape], BUDGET_P99_MS))
    raw["queries"] = {shape: list(queries) for shape, queries in QUERIES.items()}
    rows += _relevance_rows(raw)
    return SectionResult(rows, raw)


def _relevance_rows(raw: dict) -> list[Row]:
    """hit@3 of the relevance set over the bundled packs, overall and per shape of query."""
    from bench.relevance import bundled_packs, report
    from kiosk.search import SearchIndex

    found = report(SearchIndex.build(bundled_packs()))
    raw["relevance"] = {"hit_at_3": found.overall, "per_shape": found.per_shape, "queries": found.queries}
    rows = [
        Row(
            f"search relevance hit@3, {found.queries} customer queries",
            "%",
            found.overall * 100,
            budget=BUDGET_HIT_AT_3,
        )
    ]
    rows += [Row(f"… hit@3, {shape}", "%", value * 100) for shape, value in found.per_shape.items()]
    return rows


SECTION = Section("search", "Search latency per keystroke", _rows)
