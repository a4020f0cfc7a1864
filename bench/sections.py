"""What a benchmark section is, what it returns, and the registry `python -m bench` runs.

A section measures one thing and returns table rows (plus its raw numbers for
`--json`). Every row compares a subject with a baseline measured in the same
run where there is one, so a noisy shared machine moves both. To add a
measure, write a module with `SECTION = Section(...)` and list it in
`SECTION_MODULES`; `available()` lets a section say why it cannot run yet
(the `ssh` section waits for `kiosk ssh`).
"""

from __future__ import annotations

import importlib
import math
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.stats import median, paired_ratios, span

#: Section modules, in table order.
SECTION_MODULES = (
    "bench.startup",
    "bench.memory",
    "bench.packload",
    "bench.search_latency",
    "bench.ssh",
    "bench.scale_ssh",
    "bench.web",
)


@dataclass(frozen=True)
class Budget:
    """A limit on a row: on its ratio to the baseline (`of="ratio"`), on its own value, or a floor under it."""

    limit: float
    of: str = "ratio"  # "ratio", "subject" (below the limit) or "floor" (the limit or above)

    def text(self, unit: str) -> str:
        if self.of == "floor":
            return f"≥ {self.limit:g} {unit}"
        return f"≤ {self.limit:g}x" if self.of == "ratio" else f"< {self.limit:g} {unit}"

    def passed(self, row: Row) -> bool | None:
        value = row.ratio if self.of == "ratio" else row.subject
        if value is None or math.isnan(value):
            return None
        if self.of == "floor":
            return value >= self.limit
        return value <= self.limit if self.of == "ratio" else value < self.limit


@dataclass
class Row:
    measure: str
    unit: str  #: of subject and baseline: "ms", "ms/pack", "MiB"
    subject: float  #: median (or the percentile the measure names)
    baseline: float | None = None  #: the same statistic for the baseline
    ratio: float | None = None  #: subject / baseline
    #: min and max over rounds: of the per-round ratio when there is a baseline, else of the subject.
    spread: tuple[float, float] | None = None
    budget: Budget | None = None

    @property
    def result(self) -> str:
        if self.budget is None:
            return "—"
        passed = self.budget.passed(self)
        return "n/a" if passed is None else "PASS" if passed else "FAIL"

    def as_dict(self) -> dict:
        return {
            "measure": self.measure,
            "unit": self.unit,
            "subject": self.subject,
            "baseline": self.baseline,
            "ratio": self.ratio,
            "spread": list(self.spread) if self.spread else None,
            "budget": None if self.budget is None else {"limit": self.budget.limit, "of": self.budget.of},
            "result": self.result,
        }


def compare(
    measure: str,
    unit: str,
    subject: list[float],
    baseline: list[float],
    budget: Budget | None = None,
    scale: float = 1.0,
) -> Row:
    """A row of the medians of paired runs (same round, same index) and the spread of their ratios."""
    s, b = median(subject) * scale, median(baseline) * scale
    return Row(measure, unit, s, b, s / b if b else None, span(paired_ratios(subject, baseline)), budget)


@dataclass
class SectionResult:
    rows: list[Row]
    raw: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Sizes:
    """How big the work is: the issue's sizes by default, tiny ones for `--quick`."""

    startup_packs: tuple[int, ...] = (50, 200)
    guides_per_pack: int = 20
    packload_packs: int = 200
    search_packs: int = 200
    search_guides: int = 20
    search_rounds: int = 20


QUICK_SIZES = Sizes(
    startup_packs=(2, 3), guides_per_pack=3, packload_packs=3, search_packs=3, search_guides=3, search_rounds=2
)


class Context:
    """What sections share within one run: settings, a scratch folder, and work done once."""

    def __init__(self, runs: int, sizes: Sizes, workdir: Path, log: Callable[[str], None]) -> None:
        self.runs = runs
        self.sizes = sizes
        self.workdir = workdir
        self.log = log
        self._memo: dict[object, object] = {}

    def once(self, key: object, compute: Callable[[], object]):
        """`compute()` the first time `key` is asked for, the same value (or error) afterwards."""
        if key not in self._memo:
            try:
                self._memo[key] = compute()
            except Exception as exc:
                self._memo[key] = _Failed(exc)
        value = self._memo[key]
        if isinstance(value, _Failed):
            raise value.error
        return value

    def synthetic_site(self, n_packs: int, guides_per_pack: int) -> Path:
        """A folder holding `n_packs` installed synthetic pack distributions (built once)."""

        def build() -> Path:
            from bench.synthetic_site import build_site

            root = Path(tempfile.mkdtemp(prefix=f"site-{n_packs}x{guides_per_pack}-", dir=self.workdir))
            self.log(f"writing {n_packs} synthetic pack distributions ({guides_per_pack} guides each)")
            build_site(root, n_packs, guides_per_pack)
            return root

        return self.once(("site", n_packs, guides_per_pack), build)


@dataclass(frozen=True)
class _Failed:
    error: Exception


@dataclass(frozen=True)
class Section:
    name: str
    title: str
    run: Callable[[Context], SectionResult]
    #: None when the section can run, else why not (shown under the table).
    available: Callable[[], str | None] = lambda: None


def all_sections() -> list[Section]:
    return [importlib.import_module(name).SECTION for name in SECTION_MODULES]
