"""Host and pack version rules: the one Requires-Dist reader, the fast path, the advice, the suggested range."""

from __future__ import annotations

import json

import pytest
from helpers import present, run_python
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from kiosk import __version__
from kiosk.compat import _simple_contains, requirement_on_host, suggested_requirement, version_problem


@pytest.mark.parametrize(
    "requirements, expected",
    [
        (["wallet-kiosk>=0.1,<1"], "<1,>=0.1"),
        (["wallet-kiosk (>=0.1, <1)"], "<1,>=0.1"),
        (["Wallet_Kiosk>=0.1"], ">=0.1"),
        (["pluggy>=1", "wallet.kiosk==0.1.*"], "==0.1.*"),
        (["wallet-kiosk"], None),
        (["wallet-kiosk[extra]>=0.1,<1"], "<1,>=0.1"),
        # A range that holds only on some machines is no range: the pack must say it everywhere.
        (["wallet-kiosk>=0.1; python_version < '3.12'"], None),
        (["wallet-kioskextra>=0.1"], None),
        (["not a requirement !!", "wallet-kiosk >=0.2"], ">=0.2"),
        ([42, None, "wallet-kiosk<2"], "<2"),
        ([], None),
    ],
)
def test_the_host_range_is_read_the_same_from_metadata_and_pyproject(requirements, expected):
    assert requirement_on_host(requirements) == expected


def test_the_fast_reading_agrees_with_packaging():
    from packaging.requirements import Requirement

    for line in ("wallet-kiosk>=0.1,<1", "wallet-kiosk (>=0.1,<1)", "wallet-kiosk <= 2 , > 0.0.1", "wallet-kiosk==0.1"):
        assert requirement_on_host([line]) == str(Requirement(line).specifier)
    # The fast path may say "not sure" (False) where packaging admits a version, never the reverse.
    for specifier in (">=0.1,<1", ">0.1", "==0.1.0", "<0.1", ">=0.1.0,<=0.1.0", "~=0.1", "!=0.1"):
        for version in ("0.0.9", "0.1", "0.1.0", "0.1.1", "1.0", "1.0.0.0"):
            if _simple_contains(specifier, version):
                assert SpecifierSet(specifier).contains(version), (specifier, version)


@pytest.mark.slow
def test_reading_plain_ranges_does_not_import_packaging():
    result = run_python(
        """
        import json, sys
        from kiosk.compat import requirement_on_host, version_problem
        spec = requirement_on_host(["pluggy>=1.5", "wallet-kiosk>=0.1,<1"])
        print(json.dumps([spec, version_problem(spec, "pack 'x'"), "packaging" in sys.modules]))
        """
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["<1,>=0.1", None, False]


@pytest.mark.parametrize(
    "specifier, advice",
    [
        (">=5", "upgrade wallet-kiosk to a version in that range"),
        ("~=0.9", "upgrade wallet-kiosk to a version in that range"),
        ("==2.*", "upgrade wallet-kiosk to a version in that range"),
        ("<0.1", "install a newer version of this pack"),
        ("<=0.0.9", "install a newer version of this pack"),
        ("==0.0.3", "install a newer version of this pack"),
        (f"!={__version__}", "install a wallet-kiosk in that range or a version of the pack made for"),
    ],
)
def test_version_problem_says_which_side_to_upgrade(specifier, advice):
    assert advice in present(version_problem(specifier, "pack 'x'"))
    assert version_problem(f">={__version__}", "pack 'x'") is None
    assert "unreadable" in present(version_problem("over 9000", "pack 'x'"))


def test_the_suggested_range_runs_to_the_next_major_version():
    assert suggested_requirement("0.1.0") == "wallet-kiosk>=0.1,<1"
    assert suggested_requirement("0.4.2") == "wallet-kiosk>=0.4,<1"
    assert suggested_requirement("1.2.3") == "wallet-kiosk>=1.2,<2"
    here = Version(__version__)
    assert suggested_requirement() == f"wallet-kiosk>={here.major}.{here.minor},<1"
