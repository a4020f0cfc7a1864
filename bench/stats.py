"""Small statistics over repeated measurements: medians, percentiles, spreads, paired ratios."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


def percentile(values: Sequence[float], p: float) -> float:
    """The `p`-th percentile (0-100), interpolating between the closest ranks."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ratio(subject: float, baseline: float) -> float:
    return subject / baseline if baseline and not math.isnan(baseline) else math.nan


def paired_ratios(subject: Sequence[float], baseline: Sequence[float]) -> list[float]:
    """Ratio of each subject run to the baseline run of the same round."""
    return [ratio(s, b) for s, b in zip(subject, baseline, strict=True)]


def span(values: Sequence[float]) -> tuple[float, float]:
    """(min, max), or (nan, nan) for no values."""
    clean = [v for v in values if not math.isnan(v)]
    return (min(clean), max(clean)) if clean else (math.nan, math.nan)
