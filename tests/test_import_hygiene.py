"""The data layer and the pack API never import Textual (packs load long before any screen)."""

import json

import pytest
from conftest import run_python

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
