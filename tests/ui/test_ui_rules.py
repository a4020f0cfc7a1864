"""The UI's structure rules, read from the source.

- Who may import whom: screens ask for navigation with a message, only
  `kiosk.ui.navigation` knows the screens, and there is no import cycle. Imports
  inside functions and under TYPE_CHECKING count as much as those at the top:
  a lazy import that closes a loop is still a loop.
- Screens and widgets use the kiosk's services through `kiosk.ui.context`, never
  through attributes of Textual's untyped `self.app`.
- Screens keep their layout in the one stylesheet, `kiosk.tcss`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from textual.app import App

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


def test_the_ui_has_no_import_cycle():
    graph = {module: imports_of(module) for module in MODULES}
    done: set[str] = set()

    def cycle_from(module: str, path: list[str]) -> list[str] | None:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return None
        for imported in sorted(graph[module]):
            found = cycle_from(imported, [*path, module])
            if found:
                return found
        done.add(module)
        return None

    cycles = [c for c in (cycle_from(m, []) for m in sorted(graph)) if c]
    assert cycles == []


def test_nothing_in_the_ui_imports_the_app():
    assert sorted(m for m in MODULES if "kiosk.ui.app" in imports_of(m)) == []


def app_attributes(module: str) -> set[str]:
    """Names read off `self.app` (or any `<x>.app`) in `module`."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute) and node.value.attr == "app"
    }


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m != "kiosk.ui.app"))
def test_screens_and_widgets_use_only_textuals_own_app_api(module):
    assert sorted(name for name in app_attributes(module) if not hasattr(App, name)) == []


@pytest.mark.parametrize("module", ["kiosk.ui.screens.base", *SCREENS])
def test_screen_layout_lives_in_the_one_stylesheet(module):
    # Widgets may keep their own looks in DEFAULT_CSS; where screens put things is kiosk.tcss's job.
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    assigned = {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    }
    assert "DEFAULT_CSS" not in assigned
