"""Fixtures shared by every test, and the split between `make test-fast` and `make test`.

Plain helpers (fixture packs, fake distributions, running `kiosk`) are in
helpers.py; test files import them from there, not from here.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers import FakeSite


@pytest.fixture
def fake_site(tmp_path, monkeypatch) -> FakeSite:
    site = FakeSite(tmp_path / "site")
    monkeypatch.syspath_prepend(str(site.root))
    return site


# -- unit tests and the rest ------------------------------------------------------------
#
# `make test-fast` (pytest --fast) runs the unit tests only: everything not marked `slow`.
# A test is slow when it starts a process (the `kiosk` command, a fresh interpreter, pip),
# drives the UI (Pilot, snapshots) or serves SSH or the web; the tests in tests/ui, tests/ssh
# and tests/web are all of that kind and are marked here, the others mark themselves.
# `make test` (CI) runs everything.

_SLOW_FOLDERS = ("ui", "ssh", "web")
_TESTS = Path(__file__).parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fast",
        action="store_true",
        help="only the unit tests: leave out tests marked slow, and skip any other test that starts a process",
    )


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    # Under --fast the slow folders are not even imported (Textual, asyncssh, the snapshot plugin).
    if config.getoption("fast") and collection_path.parent == _TESTS and collection_path.name in _SLOW_FOLDERS:
        return True
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        relative = Path(item.path).resolve().relative_to(_TESTS)
        if relative.parts[0] in _SLOW_FOLDERS:
            item.add_marker(pytest.mark.slow)
    if config.getoption("fast"):
        kept = [item for item in items if item.get_closest_marker("slow") is None]
        config.hook.pytest_deselected(items=[item for item in items if item.get_closest_marker("slow") is not None])
        items[:] = kept


@pytest.fixture(autouse=True)
def _state_of_its_own(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test has a state folder of its own: a staff lockout, the operator log or a door's
    status file written by one test never reaches another, nor the state folder of whoever runs them.
    A test that wants another place sets XDG_STATE_HOME itself."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))


@pytest.fixture(autouse=True)
def _unit_tests_start_no_process(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under --fast, a test that is not marked slow and still starts a process is skipped, not run.

    That keeps `make test-fast` fast even before such a test gets its marker; the
    reason says what to do. Without --fast nothing changes.
    """
    if not request.config.getoption("fast"):
        return

    def refuse(*args: object, **kwargs: object) -> None:
        pytest.skip("starts a process, so it is not a unit test: mark it @pytest.mark.slow")

    monkeypatch.setattr(subprocess.Popen, "_execute_child", refuse)
