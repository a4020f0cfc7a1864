"""Imports that must not happen: Textual below the UI, and what a module defers before it is needed.

The data layer and the pack API never import Textual (packs load long before
any screen). Search's pinyin and typo libraries load when an index is built,
not when search is imported, the home screen's first paint imports no other screen,
and every module's deferred imports stay deferred (start-up time is benchmarked).
"""

import json
from pathlib import Path

import pytest
from helpers import run_python

# Every test imports in a fresh interpreter, the only way to see what an import loads.
pytestmark = pytest.mark.slow

DATA_LAYER = [
    "kiosk",
    "kiosk.model",
    "kiosk.packfile",
    "kiosk.discovery",
    "kiosk.compat",
    "kiosk.packset",
    "kiosk.hours",
    "kiosk.hours_text",
    "kiosk.calendars",
    "kiosk.phones",
    "kiosk.config",
    "kiosk.config.remote",
    "kiosk.hashing",
    "kiosk.search",
    "kiosk.search.text",
    "kiosk.search.pinyin",
    "kiosk.search.score",
    "kiosk.search.index",
    "kiosk.session",
    "kiosk.profile",
    "kiosk.entrypoints",
    "kiosk.packcache",
    "kiosk.numbers",
    "kiosk.qr",
    "kiosk.launch",
    "kiosk.config_cli",
    "kiosk.i18n",
    "kiosk.packexport",
    "kiosk.cli",
    "kiosk.packs_cli",
    "kiosk.scaffold",
    "kiosk.validate_targets",
    "kiosk.testing",
    "kiosk.status",
    "kiosk.status_cli",
    "kiosk.metrics",
    "kiosk.configcheck",
    "kiosk.staffaccess",
    "kiosk.config.edit",
    "kiosk.branch_hours",
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


def test_reading_a_config_with_hashes_does_not_load_hashlib(tmp_path):
    """Every kiosk with a staff PIN reads its hash at start-up; only checking a PIN needs OpenSSL."""
    from kiosk import hashing

    stored = hashing.hash_secret("2468")
    path = tmp_path / "kiosk.toml"
    path.write_text(f'staff_pin_hash = "{stored}"\n[ssh]\npassword_hash = "{stored}"\n', encoding="utf-8")
    result = run_python(
        f"""
        import json, sys
        from pathlib import Path
        from kiosk import config
        loaded = config.load(Path({str(path)!r}))
        assert loaded.ok, loaded.issues
        print(json.dumps(sorted(m for m in sys.modules if m in ("hashlib", "_hashlib", "hmac", "secrets"))))
        """
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


#: Module -> what importing it must not load yet, and why each is deferred.
DEFERRED = {
    # Messages about mistakes need difflib, only a problem needs line numbers, only writing needs
    # tomli-w and tempfile, only checking a PIN needs OpenSSL, only a default path needs platformdirs.
    # Only editing a file needs tomlkit; only a file with [[branch_hours]] needs the pack reader.
    "kiosk.config": [
        "difflib",
        "kiosk.tomllines",
        "tomli_w",
        "tomlkit",
        "tempfile",
        "hashlib",
        "platformdirs",
        "kiosk.suggest",
        "kiosk.branch_hours",
        "kiosk.packfile",
    ],
    "kiosk.config.edit": ["tomlkit", "tempfile"],
    "kiosk.config.remote": ["difflib", "kiosk.tomllines", "hashlib", "platformdirs"],
    "kiosk.paths": ["platformdirs"],
    "kiosk.suggest": ["difflib"],
    "kiosk.hashing": ["hashlib", "_hashlib", "hmac", "secrets"],
    "kiosk.compat": ["packaging"],
    "kiosk.atomicfile": ["tempfile"],
    # The cache writes only on a miss; the validator is loaded only for a document not in the cache.
    "kiosk.packcache": ["tempfile", "kiosk.atomicfile", "platformdirs", "hashlib"],
    "kiosk.discovery": ["packaging", "kiosk.packfile", "difflib", "platformdirs"],
    # `kiosk` starts without any subcommand's code or JSON.
    "kiosk.cli": [
        "kiosk.packs_cli",
        "kiosk.config_cli",
        "kiosk.status_cli",
        "json",
        "platformdirs",
        "kiosk.discovery",
        "asyncssh",
        "tomlkit",
        "prometheus_client",
    ],
    # The kiosk's start-up: metrics, round-trip TOML and the statistics database are for later, or others.
    "kiosk.launch": ["prometheus_client", "tomlkit", "sqlite3", "kiosk.metrics", "kiosk.status", "kiosk.configcheck"],
    # Metrics are written in the background, or asked for: prometheus-client loads then.
    "kiosk.metrics": ["prometheus_client"],
    "kiosk.status": ["prometheus_client", "tomlkit"],
    "kiosk.status_cli": ["prometheus_client"],
    # Only a typed PIN needs OpenSSL and a state file written.
    "kiosk.staffaccess": ["hashlib", "_hashlib", "kiosk.atomicfile", "tempfile"],
    "kiosk.packs_cli": ["kiosk.discovery", "kiosk.validate_targets", "json"],
}


@pytest.mark.parametrize("module", DEFERRED)
def test_deferred_imports_stay_deferred(module):
    result = run_python(
        f"""
        import importlib, sys
        importlib.import_module({module!r})
        loaded = sorted(m for m in {DEFERRED[module]!r} if m in sys.modules)
        import json  # only now: it is on the list of some
        print(json.dumps(loaded))
        """
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [], f"importing {module} loaded what it defers"


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
    from kiosk.packset import PackSet
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


#: What the console kiosk's start-up must not load, whatever its configuration asks for later: metrics
#: (prometheus-client, loaded by the textfile writer's thread at its first write), round-trip TOML (only
#: `kiosk config set` and the like) and SQLite (usage statistics are written after the first screen).
NOT_AT_START_UP = ("prometheus_client", "tomlkit", "sqlite3", "_sqlite3")

_START_UP = """
    import asyncio, json, sys
    from pathlib import Path
    from kiosk import config, launch
    from kiosk.clock import SystemClock
    from kiosk.profile import Profile

    path = Path({path!r})
    watched = {watched!r}
    loaded = lambda: sorted(m for m in watched if m in sys.modules)

    async def main():
        prepared = launch.prepare(path, named=True)
        assert prepared.settings.metrics_textfile and prepared.settings.staff_pin_hash, prepared.notices
        app = launch.build_app(prepared, Profile.KIOSK)
        async with app.run_test() as pilot:
            await pilot.pause()
            writer = launch.start_metrics_textfile(prepared, Profile.KIOSK, path, named=True)
            await pilot.pause()
            first_screen = loaded()
            writer.write_once()  # what the writer's thread does a few seconds later
            writer.stop()
            print(json.dumps({{"first_screen": first_screen, "after_writing": loaded()}}))

    asyncio.run(main())
"""


def test_the_console_kiosks_start_up_loads_neither_metrics_nor_tomlkit_nor_sqlite(tmp_path):
    from kiosk import hashing

    textfile = tmp_path / "kiosk.prom"
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f'metrics_textfile = "{textfile}"\nstaff_pin_hash = "{hashing.hash_secret("975318")}"\n', encoding="utf-8"
    )
    result = run_python(_START_UP.format(path=str(path), watched=NOT_AT_START_UP))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["first_screen"] == []
    # The other half: writing the textfile does load prometheus-client, so the check above can fail.
    assert "prometheus_client" in out["after_writing"] and textfile.exists()
