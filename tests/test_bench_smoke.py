"""`python -m bench --quick` runs end to end and prints the whole table. Performance is not checked here."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from helpers import REPO

NUMBER = r"-?\d+(?:\.\d+)?"

#: Measures every quick run must have (quick sizes: 2 and 3 synthetic packs of 3 guides).
EXPECTED_ROWS = [
    "cold start to first paint, bundled packs",
    "cold start to exit (wall), bundled packs",
    "cold start to first paint, 2 synthetic packs",
    "cold start to first paint, 3 synthetic packs",
    "cold start to exit (wall), 3 synthetic packs",
    "peak memory (RSS), bundled packs",
    "peak memory (RSS), 3 synthetic packs",
    "search index build, 3 packs x 3 guides",
    "search per keystroke p50 (CPU), all queries vs substring scan",
    "search per keystroke p99 (CPU), all queries vs substring scan",
    "search per keystroke p99 (wall clock), all queries vs substring scan",
    "… p99 (CPU), Chinese",
    "… p99 (CPU), pinyin",
    "… p99 (CPU), initials",
    "… p99 (CPU), English",
    "… p99 (CPU), typo",
]
#: Rows with a budget, so a PASS or FAIL, and a baseline to compare with.
BUDGETED = [
    "cold start to first paint, bundled packs",
    "cold start to first paint, 3 synthetic packs",
    "peak memory (RSS), bundled packs",
    "search per keystroke p99 (CPU), all queries vs substring scan",
]


@pytest.mark.slow
def test_quick_benchmark_prints_a_complete_table(tmp_path):
    raw = tmp_path / "bench.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "TEXTUAL_", "PYTHON"))}
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--json", str(raw)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-4000:]

    rows = {}
    for line in result.stdout.splitlines():
        if line.startswith("| ") and not line.startswith("| measure"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            assert len(cells) == 7, line
            rows[cells[0]] = cells
    missing = [measure for measure in EXPECTED_ROWS if measure not in rows]
    assert not missing, result.stdout
    assert any(m.startswith("load_packs() per pack") for m in rows), result.stdout

    for measure, (_, subject, baseline, ratio, _spread, _budget, verdict) in rows.items():
        assert re.fullmatch(rf"{NUMBER} \S+", subject), (measure, subject)
        assert baseline == "—" or re.fullmatch(rf"{NUMBER} \S+", baseline), (measure, baseline)
        assert ratio == "—" or re.fullmatch(rf"{NUMBER}x", ratio), (measure, ratio)
        assert verdict in {"PASS", "FAIL", "—"}, (measure, verdict)
    for measure in BUDGETED:
        _, _, baseline, ratio, _, budget, verdict = rows[measure]
        assert baseline != "—" and ratio != "—" and budget != "—" and verdict in {"PASS", "FAIL"}, rows[measure]

    document = json.loads(raw.read_text(encoding="utf-8"))
    assert "ssh" in document["sections"] or "Not run: ssh" in result.stdout
    assert "web" in document["sections"] or "Not run: web" in result.stdout
    assert {"startup", "memory", "packload", "search"} <= set(document["sections"])
    assert document["sections"]["startup"]["raw"]["facts"]["synthetic-3"]["synthetic_loaded"] == 3
