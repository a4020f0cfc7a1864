"""Who may import whom in the UI: screens ask for navigation with a message, and only
`kiosk.ui.navigation` knows the screens.

Read from the source, so imports inside functions and under TYPE_CHECKING count
as much as those at the top: a lazy import that closes a loop is still a loop.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parents[2] / "kiosk" / "ui"


def module_name(path: Path) -> str:
    parts = path.relative_to(UI.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(UI.rglob("*.py"))}
SCREENS = sorted(m for m in MODULES if m.startswith("kiosk.ui.screens.") and m != "kiosk.ui.screens.base")
WIDGETS = sorted(m for m in MODULES if m.startswith("kiosk.ui.widgets."))


def imports_of(module: str) -> set[str]:
    """Every kiosk.ui module that `module` imports, wherever the import statement is."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        else:
            continue
        found.update(name for name in names if name in MODULES and name != module)
    return found - {"kiosk.ui", "kiosk.ui.screens", "kiosk.ui.widgets"}


def test_the_ui_modules_are_found():
    assert {"kiosk.ui.app", "kiosk.ui.navigation", "kiosk.ui.screens.home", "kiosk.ui.screens.guide"} <= set(MODULES)
    assert len(SCREENS) >= 10 and WIDGETS


@pytest.mark.parametrize("screen", SCREENS)
def test_a_screen_imports_no_other_screen_and_not_navigation(screen):
    forbidden = {*SCREENS, "kiosk.ui.navigation", "kiosk.ui.app"}
    assert imports_of(screen) & forbidden == set()


@pytest.mark.parametrize("module", ["kiosk.ui.screens.base", *WIDGETS])
def test_the_screen_base_and_widgets_import_no_screen_and_not_navigation(module):
    forbidden = {*SCREENS, "kiosk.ui.navigation"}
    assert imports_of(module) & forbidden == set()


def test_only_the_app_imports_navigation():
    assert sorted(m for m in MODULES if "kiosk.ui.navigation" in imports_of(m)) == ["kiosk.ui.app"]
