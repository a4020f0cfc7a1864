"""One "did you mean" for every mistyped name, and no difflib until a mistake needs it."""

from __future__ import annotations

import json

import pytest
from helpers import run_python

from kiosk import suggest


def test_the_closest_choice_is_suggested():
    assert suggest.closest("max_sesions", ["listen", "max_sessions", "max_auth_attempts"]) == "max_sessions"
    assert suggest.closest("zzz", ["listen", "auth"]) is None
    assert suggest.hint("branch_nam", ["branch_name", "theme"]) == "; did you mean 'branch_name'?"


def test_without_a_close_choice_the_hint_lists_them_or_says_nothing():
    assert suggest.hint("zzz", ["listen", "auth"]) == ""
    assert suggest.hint("zzz", ["listen", "auth"], list_all="known keys") == "; known keys: listen, auth"
    assert suggest.hint("zzz", iter(["a", "b"]), list_all="known keys") == "; known keys: a, b"


@pytest.mark.slow
def test_importing_it_does_not_import_difflib():
    result = run_python("import json, sys, kiosk.suggest; print(json.dumps('difflib' in sys.modules))")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) is False
