"""What the kiosk prints for an operator from a pack or a plugin never acts on the operator's terminal."""

from __future__ import annotations

import zipfile

import pytest
from helpers import FakeSite, minimal_pack_text, run_kiosk

from kiosk.textsafety import escape

pytestmark = pytest.mark.slow

ESCAPES = "\x1b]52;c;cHduZWQ\x07\x1b]0;VALIDATED-OK\x07"


def hostile_wheel(folder) -> str:
    """A wheel whose entry point, member names and pack text carry terminal escape sequences."""
    path = folder / "kiosk_pack_evil-1.0.0-py3-none-any.whl"
    info = "kiosk_pack_evil-1.0.0.dist-info"
    document = minimal_pack_text(**{'en = "Demo Wallet"': 'en = "Demo\\u001b[8m Wallet"'})
    with zipfile.ZipFile(path, "w") as wheel:
        wheel.writestr(f"{info}/METADATA", "Metadata-Version: 2.1\nName: kiosk-pack-evil\nVersion: 1.0.0\n")
        wheel.writestr(f"{info}/entry_points.txt", f"[kiosk.packs]\nevil{ESCAPES} = evil_mod{ESCAPES}\n")
        wheel.writestr(f"{info}/RECORD", "")
        wheel.writestr("evil_mod/__init__.py", "")
        wheel.writestr("evil_mod/pack\x1b[8m.toml", document)
    return str(path)


def test_packs_validate_escapes_everything_it_prints_from_a_wheel(tmp_path):
    result = run_kiosk("packs", "validate", hostile_wheel(tmp_path))
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\\x1b" in result.stdout  # what was there is shown, written out
    assert "INVALID" in result.stdout


def test_packs_list_escapes_a_plugins_exception_text(tmp_path):
    site = FakeSite(tmp_path / "site")
    site.add(
        "kiosk-pack-loud",
        module="loud_mod",
        entry_point="loud",
        code=f"""
        from kiosk import hookimpl

        @hookimpl
        def kiosk_packs():
            raise RuntimeError({ESCAPES!r})
        """,
    )
    result = run_kiosk("packs", "list", pythonpath=[str(site.root)], env_extra={"HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    for stream in (result.stdout, result.stderr):
        assert "\x1b" not in stream and "\x07" not in stream
    assert escape(ESCAPES) in result.stdout


def test_escape_writes_out_every_forbidden_character():
    assert escape("a\x1b[2Jb\u202e\u200bc") == "a\\x1b[2Jb\\u202e\\u200bc"
    assert escape("支付宝 95188") == "支付宝 95188"
