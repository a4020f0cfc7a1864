"""The data layer and the pack API never import Textual (packs load long before any screen),
and the imports a module defers until they are needed stay deferred (start-up time is benchmarked)."""

import json

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
    "kiosk.config": ["difflib", "kiosk.tomllines", "tomli_w", "tempfile", "hashlib", "platformdirs", "kiosk.suggest"],
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
    "kiosk.cli": ["kiosk.packs_cli", "kiosk.config_cli", "json", "platformdirs", "kiosk.discovery", "asyncssh"],
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
