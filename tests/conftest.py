"""Fixtures shared by every test, and the split between `make test-fast` and `make test`.

Plain helpers (fixture packs, fake distributions, running `kiosk`) are in
helpers.py; test files import them from there, not from here.
"""

from __future__ import annotations

import pytest
from helpers import FakeSite


@pytest.fixture
def fake_site(tmp_path, monkeypatch) -> FakeSite:
    site = FakeSite(tmp_path / "site")
    monkeypatch.syspath_prepend(str(site.root))
    return site
