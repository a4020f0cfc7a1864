"""Imports that must not happen: Textual below the UI, and the slow libraries before they are needed.

The data layer and the pack API never import Textual (packs load long before
any screen). Search's pinyin and typo libraries load when an index is built,
not when search is imported, and the home screen's first paint imports no other screen.
"""

import json
from pathlib import Path

import pytest
from conftest import run_python

DATA_LAYER = [
    "kiosk",
    "kiosk.model",
    "kiosk.packfile",
    "kiosk.discovery",
    "kiosk.hours",
    "kiosk.hours_text",
    "kiosk.calendars",
    "kiosk.phones",
    "kiosk.config",
    "kiosk.search",
    "kiosk.search.text",
    "kiosk.search.pinyin",
    "kiosk.search.score",
    "kiosk.search.index",
    "kiosk.session",
    "kiosk.entrypoints",
    "kiosk.packcache",
    "kiosk.numbers",
    "kiosk.qr",
    "kiosk.launch",
    "kiosk.config_cli",
    "kiosk.i18n",
    "kiosk.packexport",
    "kiosk.cli",
    "kiosk.scaffold",
    "kiosk.validate_targets",
    "kiosk.testing",
]


@pytest.mark.parametrize("module", DATA_LAYER)
def test_module_does_not_import_textual(module):
    result = run_python(
        f"""
        import importlib, json, sys
        importlib.import_module({module!r})
        print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))))
        """
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


#: Search's libraries that are slow to import: loaded by `SearchIndex.build`, not by an import.
SEARCH_LIBRARIES = ("pypinyin", "rapidfuzz")
SEARCH_MODULES = [
    "kiosk.search",
    "kiosk.search.text",
    "kiosk.search.pinyin",
    "kiosk.search.score",
    "kiosk.search.index",
]


def _loaded_after(code: str) -> list[str]:
    result = run_python(
        f"""
        import json, sys
        {code}
        print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & {set(SEARCH_LIBRARIES)!r})))
        """
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("module", SEARCH_MODULES)
def test_importing_search_loads_neither_pinyin_nor_typo_libraries(module):
    assert _loaded_after(f"import {module}") == []


def test_building_a_search_index_loads_both():
    # The other half of the deferral: the libraries do load, while the index is built.
    assert _loaded_after("from kiosk.search import SearchIndex; SearchIndex.build([])") == list(SEARCH_LIBRARIES)


#: What the home screen's first paint must not import: every other screen (navigation imports them
#: all), search and its libraries, and the hours engine (channel cards are not on the home screen).
NOT_BEFORE_FIRST_NAVIGATION = (
    "kiosk.ui.navigation",
    "kiosk.ui.screens.guide",
    "kiosk.ui.screens.number_check",
    "kiosk.ui.screens.search",
    "kiosk.ui.screens.staff",
    "kiosk.ui.screens.idle",
    "kiosk.ui.widgets.channel_card",
    "kiosk.search",
    "kiosk.hours",
    "pypinyin",
    "rapidfuzz",
)

_FIRST_PAINT = """
    import asyncio, json, sys
    from pathlib import Path
    from kiosk.clock import SystemClock
    from kiosk.config import Settings
    from kiosk.discovery import PackSet
    from kiosk.packfile import read_pack_file
    from kiosk.ui.app import KioskApp

    repo = Path({repo!r})
    files = [repo / "kiosk/builtin/general.toml", *sorted(repo.glob("packs/*/kiosk_pack_*/*.toml"))]
    packs = PackSet(packs=tuple(read_pack_file(f).unwrap() for f in files))

    async def main():
        app = KioskApp(packs, SystemClock(), Settings(cursor_blink=False), profile="kiosk")
        async with app.run_test() as pilot:
            await pilot.pause()
            loaded = lambda: sorted(m for m in {watched!r} if m in sys.modules)
            before = loaded()
            await pilot.press("1")  # the first wallet tile
            await pilot.pause()
            after = loaded()
            print(json.dumps({{"first_paint": before, "after_navigating": after, "screen": type(app.screen).__name__}}))

    asyncio.run(main())
"""


def test_the_first_paint_imports_only_the_home_screen():
    repo = str(Path(__file__).resolve().parents[1])
    result = run_python(_FIRST_PAINT.format(repo=repo, watched=NOT_BEFORE_FIRST_NAVIGATION))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["first_paint"] == []
    # The other half: the first navigation does load them, so the list above is not vacuous.
    assert out["screen"] == "WalletScreen"
    assert {"kiosk.ui.navigation", "kiosk.ui.screens.guide", "kiosk.ui.widgets.channel_card"} <= set(
        out["after_navigating"]
    )
