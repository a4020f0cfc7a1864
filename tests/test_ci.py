"""What CI runs: the checks of `make lint` first, then the README's test command."""

from __future__ import annotations

import re

from helpers import REPO


def test_ci_runs_lint_then_the_test_suite():
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in script.splitlines() if line.strip().startswith("make ")]
    assert commands == ["make lint", "make test"]


def test_make_lint_checks_style_layers_and_types_on_every_tree():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    paths = re.search(r"^LINT_PATHS\s*:=\s*(.+)$", makefile, re.M)
    assert paths is not None and set(paths[1].split()) == {"kiosk", "tests", "bench", "packs"}
    recipe = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    for tool in ("ruff check $(LINT_PATHS)", "ruff format --check $(LINT_PATHS)", "lint-imports", "mypy"):
        assert tool in recipe, tool


def test_the_readme_names_make_lint_beside_make_test():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    tests_section = readme.split("\n## Tests\n", 1)[1].split("\n## ", 1)[0]
    assert "make lint" in tests_section and "make test" in tests_section
