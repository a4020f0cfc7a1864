"""The data layer and the pack API never import Textual (packs load long before any screen)."""

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
