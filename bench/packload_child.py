"""Child process: pack discovery and validation alone, in a fresh interpreter (no UI).

    python -m bench.packload_child load       # kiosk.discovery.load_packs(), with its parts timed
    python -m bench.packload_child discover   # kiosk.discovery.discover(): entry-point metadata only
    python -m bench.packload_child bare       # baseline: entry points, import, hook, tomllib.loads

`load` runs the real `load_packs` over the real entry points; the entry points
are wrapped only to time their import, and the reader (`read_pack`) only to
time parsing and validation. It also times `tomllib.loads` on the same bytes
afterwards, for how much of `read_pack` is TOML parsing.

`bare` is what any entry-point plugin loader has to do at the least: find the
entry points, import each, call its hook function directly and parse the TOML
it returns. No pluggy, no validation, no model objects.

Reported (see bench.probe): milliseconds for each part and the pack counts.
"""

from __future__ import annotations

import sys
import time
from collections import Counter, defaultdict

from bench.probe import report

_GROUP = "kiosk.packs"


class _TimedEntryPoint:
    """An entry point whose `load()` (the plugin's import) is timed; otherwise the same."""

    def __init__(self, ep, timings: defaultdict[str, float]) -> None:
        self._ep = ep
        self._timings = timings
        self.name, self.value, self.group = ep.name, ep.value, ep.group
        self.dist = getattr(ep, "dist", None)

    def load(self):
        start = time.perf_counter()
        try:
            return self._ep.load()
        finally:
            self._timings["import_ms"] += (time.perf_counter() - start) * 1000


def measure_load() -> dict:
    from importlib.metadata import entry_points

    from kiosk import discovery
    from kiosk.packfile import read_pack

    timings: defaultdict[str, float] = defaultdict(float)
    documents: list[bytes] = []

    def timed_reader(data: bytes, filename: str):
        documents.append(data)
        began = time.perf_counter()
        try:
            return read_pack(data, filename)
        finally:
            timings["read_pack_ms"] += (time.perf_counter() - began) * 1000

    began = time.perf_counter()
    eps = [_TimedEntryPoint(ep, timings) for ep in entry_points(group=discovery.ENTRY_POINT_GROUP)]
    timings["entry_points_ms"] = (time.perf_counter() - began) * 1000
    packset = discovery.load_packs(
        eps=eps, reader=timed_reader, local_dir=discovery.local_packs_dir(), trace=discovery.trace_stream()
    )
    total_ms = (time.perf_counter() - began) * 1000

    import tomllib

    parse_start = time.perf_counter()
    for data in documents:
        tomllib.loads(data.decode("utf-8"))
    timings["tomllib_ms"] = (time.perf_counter() - parse_start) * 1000

    statuses = Counter(str(record.status) for record in packset.records)
    return {
        "mode": "load",
        "total_ms": total_ms,
        **{k: round(v, 3) for k, v in timings.items()},
        "packs": len(packset.packs),
        "documents": len(documents),
        "statuses": dict(statuses),
        "synthetic_loaded": sum(1 for r in packset.records if r.id.startswith("synthetic-") and r.status == "loaded"),
    }


def measure_discover() -> dict:
    from kiosk import discovery

    began = time.perf_counter()
    found = discovery.discover()
    return {"mode": "discover", "total_ms": (time.perf_counter() - began) * 1000, "packs": len(found)}


def measure_bare() -> dict:
    import tomllib
    from importlib.metadata import entry_points

    import kiosk  # noqa: F401  (every pack imports it; the kiosk has it loaded already)

    began = time.perf_counter()
    parsed = 0
    for ep in entry_points(group=_GROUP):
        plugin = ep.load()
        for document in plugin.kiosk_packs():
            tomllib.loads(document.read_bytes().decode("utf-8"))
            parsed += 1
    return {"mode": "bare", "total_ms": (time.perf_counter() - began) * 1000, "packs": parsed}


MODES = {"load": measure_load, "discover": measure_discover, "bare": measure_bare}


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in MODES:
        sys.stderr.write(f"usage: python -m bench.packload_child {{{','.join(MODES)}}}\n")
        return 2
    report(MODES[argv[0]]())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
