"""Child process: start an app headless and exit as soon as its first screen has been painted.

    python -m bench.start minimal   # a Textual App with Header, Static and Footer
    python -m bench.start kiosk     # what the `kiosk` command runs (kiosk.cli.main), headless

Both apps get the same two additions: `run()` is headless at 80x24, and on
Textual's `Ready` event (posted once the first screen has been laid out and
its first frame handed to the driver) they wait for that refresh to finish
(`call_after_refresh`), note the time and exit. Nothing else differs in how
the two are started, so the difference between them is the kiosk's own cost.

The kiosk child goes through `kiosk.cli.main([])`, exactly like the console
script: `load_packs()` over the real entry points, then `KioskApp` with the
system clock and default settings. The only hook is a wrapper around
`kiosk.discovery.load_packs` that notes when the packs are loaded and, at the
point the CLI imports the UI, gives it the headless KioskApp.

Reported (see bench.probe), times in ms since the parent was about to spawn:
`first_paint` and the phase marks before it (`imported`: the app's module,
`packs_loaded` and `ui_imported` for the kiosk), the screen shown, its widget
and tile counts, pack statuses, and peak RSS at exit. Nothing is written to
stdout.
"""

from __future__ import annotations

import sys
from collections import Counter
from typing import TYPE_CHECKING, Any, TypeVar, cast

from bench.probe import peak_rss_kib, report, since_spawn_ms

if TYPE_CHECKING:  # Textual is imported by what is timed, not before
    from textual.app import App

AppClass = TypeVar("AppClass", bound="type[App[Any]]")

SIZE = (80, 24)

_marks: dict[str, float] = {}
_facts: dict[str, object] = {}


def mark(name: str) -> None:
    _marks[name] = round(since_spawn_ms(), 3)


def with_first_paint(base: AppClass) -> AppClass:
    """`base` (an App class), started headless and closed once its first screen is painted."""

    def run(self, *args, **kwargs):
        kwargs.update(headless=True, size=SIZE)
        return base.run(self, *args, **kwargs)

    def on_ready(self) -> None:
        self.call_after_refresh(painted, self)

    def painted(self) -> None:
        mark("first_paint")
        screen = self.screen
        _facts["screen"] = type(screen).__name__
        _facts["widgets"] = len(screen.query("*"))
        _facts["tiles"] = len(screen.query("Tile"))
        self.exit()

    # Same class name, so CSS type selectors and bindings resolve exactly as for `base`.
    return cast(
        AppClass, type(base.__name__, (base,), {"run": run, "on_ready": on_ready, "__module__": base.__module__})
    )


def start_minimal() -> int:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Static

    mark("imported")

    class MinimalApp(App):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("Minimal Textual app: the start-up baseline.")
            yield Footer()

    app = with_first_paint(MinimalApp)()
    app.run()
    return app.return_code or 0


def start_kiosk() -> int:
    import kiosk.cli
    from kiosk import discovery

    mark("imported")
    load_packs = discovery.load_packs

    def load_and_prepare_ui(*args, **kwargs):
        packset = load_packs(*args, **kwargs)
        mark("packs_loaded")
        statuses = Counter(str(record.status) for record in packset.records)
        _facts["statuses"] = dict(statuses)
        _facts["packs"] = len(packset.packs)
        _facts["synthetic_loaded"] = sum(
            1 for r in packset.records if r.id.startswith("synthetic-") and r.status == "loaded"
        )
        from kiosk.ui import app as ui_app  # the import run_kiosk does next

        mark("ui_imported")
        # Rebinding the class in its module on purpose: the CLI then builds the headless subclass.
        ui_app.KioskApp = with_first_paint(ui_app.KioskApp)  # type: ignore[misc]
        return packset

    discovery.load_packs = load_and_prepare_ui
    code = kiosk.cli.main([])
    if "packs_loaded" not in _marks or "first_paint" not in _marks:
        sys.stderr.write(
            "kiosk.cli.main no longer calls kiosk.discovery.load_packs then KioskApp; bench/start.py needs updating\n"
        )
        return 3
    return code


APPS = {"minimal": start_minimal, "kiosk": start_kiosk}


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in APPS:
        sys.stderr.write(f"usage: python -m bench.start {{{','.join(APPS)}}}\n")
        return 2
    code = APPS[argv[0]]()
    report({"app": argv[0], "marks": _marks, "peak_rss_kib": peak_rss_kib(), **_facts})
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
