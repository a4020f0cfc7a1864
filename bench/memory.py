"""Peak resident memory of the kiosk process against the minimal Textual app.

The figures come from the start-up rounds (`bench.startup`): the kernel's
peak RSS of each child (wait4's ru_maxrss), which is the process's high-water
mark up to its exit just after the first paint.
"""

from __future__ import annotations

from bench.sections import Budget, Context, Section, SectionResult, compare
from bench.startup import BUNDLED, MINIMAL, startup_samples, variant_name

BUDGET = Budget(1.3)
_MIB = 1 / 1024


def _rows(ctx: Context) -> SectionResult:
    samples = startup_samples(ctx)
    rss = samples.maxrss_kib
    rows = [compare("peak memory (RSS), bundled packs", "MiB", rss[BUNDLED], rss[MINIMAL], BUDGET, _MIB)]
    for n in ctx.sizes.startup_packs:
        rows.append(
            compare(f"peak memory (RSS), {n} synthetic packs", "MiB", rss[variant_name(n)], rss[MINIMAL], scale=_MIB)
        )
    return SectionResult(rows, {"maxrss_kib": rss})


SECTION = Section("memory", "Peak memory of the kiosk process", _rows)
