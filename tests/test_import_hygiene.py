"""Imports that must not happen: Textual below the UI, and the slow libraries before they are needed.

The data layer and the pack API never import Textual (packs load long before
any screen). Search's pinyin and typo libraries load when an index is built,
not when search is imported (the first paint does not need them).
"""

import json

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
