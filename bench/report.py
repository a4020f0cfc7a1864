"""The benchmark note: a Markdown table to paste, and the raw numbers as JSON."""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from bench.sections import Row, SectionResult

COLUMNS = ("measure", "subject (median)", "baseline (median)", "ratio", "spread (min–max)", "budget", "result")


def environment(runs: int, quick: bool) -> dict:
    def installed(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "?"

    return {
        "date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "textual": installed("textual"),
        "wallet_kiosk": installed("wallet-kiosk"),
        "platform": platform.platform(terse=True),
        "cpus": os.cpu_count(),
        "load_average": _load_average(),
        "runs": runs,
        "quick": quick,
    }


def _load_average() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):
        return None


def markdown(env: dict, results: dict[str, SectionResult], skipped: dict[str, str]) -> str:
    lines = [
        f"## Benchmark {env['date']}{' (quick sizes)' if env['quick'] else ''}",
        "",
        f"Python {env['python']}, Textual {env['textual']}, wallet-kiosk {env['wallet_kiosk']}, "
        f"{env['platform']}, {env['cpus']} CPUs, load average {env.get('load_average_start', '?')} at the "
        f"start and {env['load_average']} at the end. {env['runs']} runs per start-up and pack-loading figure, "
        "fresh process each, interleaved with the baseline (one warm-up round not counted). "
        "Ratios are subject / baseline of the medians; spread is over the per-round ratios "
        "(or values, without a baseline).",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "|".join(["---"] + ["---:"] * (len(COLUMNS) - 2) + [":---:"]) + "|",
    ]
    for result in results.values():
        lines += ["| " + " | ".join(_cells(row)) + " |" for row in result.rows]
    notes = [note for result in results.values() for note in result.notes]
    failed = [row.measure for result in results.values() for row in result.rows if row.result == "FAIL"]
    if failed or notes or skipped:
        lines.append("")
    if failed:
        lines.append(f"Budgets missed: {len(failed)} ({'; '.join(failed)}).")
    lines += [f"Note: {note}" for note in notes]
    lines += [f"Not run: {name}: {reason}" for name, reason in skipped.items()]
    return "\n".join(lines) + "\n"


def _cells(row: Row) -> list[str]:
    unit = row.unit
    spread = "—"
    if row.spread and not any(math.isnan(v) for v in row.spread):
        low, high = row.spread
        spread = f"{low:.2f}–{high:.2f}x" if row.baseline is not None else f"{_num(low)}–{_num(high)} {unit}"
    return [
        row.measure,
        f"{_num(row.subject)} {unit}",
        "—" if row.baseline is None else f"{_num(row.baseline)} {unit}",
        "—" if row.ratio is None or math.isnan(row.ratio) else f"{row.ratio:.2f}x",
        spread,
        "—" if row.budget is None else row.budget.text(unit),
        row.result,
    ]


def _num(value: float) -> str:
    """Three significant figures, without going to exponents for the sizes seen here."""
    if value is None or math.isnan(value):
        return "nan"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def write_json(path: Path, env: dict, results: dict[str, SectionResult], skipped: dict[str, str]) -> None:
    document = {
        "environment": env,
        "sections": {
            name: {"rows": [row.as_dict() for row in result.rows], "raw": result.raw, "notes": result.notes}
            for name, result in results.items()
        },
        "skipped": skipped,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(_plain(document), indent=1, ensure_ascii=False, allow_nan=False)
    path.write_text(text + "\n", encoding="utf-8")


def _plain(value: object) -> object:
    """JSON values only: NaN becomes null, tuples lists, anything else unknown its text."""
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    return str(value)
