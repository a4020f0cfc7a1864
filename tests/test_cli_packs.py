"""`kiosk packs ...` and `kiosk --version` in real subprocesses, as an operator runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import MINIMAL_PACK, minimal_pack_text, run_kiosk, run_python

# Every test runs the `kiosk` command or a fresh interpreter.
pytestmark = pytest.mark.slow

BUNDLED = {"general", "alipay", "wechat", "applepay", "unionpay", "ecny"}


def broken_site(fake_site):
    fake_site.add(
        "kiosk-pack-broken",
        module="cli_broken_mod",
        entry_point="broken",
        code="raise RuntimeError('pack is broken on purpose')\n",
    )
    return [str(fake_site.root)]


def test_listing_imports_no_pack_and_prints_failures_only_to_stderr(fake_site):
    path = broken_site(fake_site)
    result = run_python(
        """
        import json, sys
        before = set(sys.modules)
        from kiosk.discovery import discover
        found = discover()
        imported = sorted(m for m in set(sys.modules) - before if m.startswith(("kiosk_pack_", "cli_broken")))
        print(json.dumps({"found": [p.entry_point for p in found], "imported": imported,
                          "textual": "textual" in sys.modules}))
        """,
        pythonpath=path,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {"alipay", "wechat", "applepay", "broken"} <= set(report["found"])
    assert report["imported"] == []
    assert report["textual"] is False


def test_packs_list_json_shows_bundled_packs_loaded_and_a_broken_one_quarantined(fake_site):
    result = run_kiosk("packs", "list", "--json", pythonpath=broken_site(fake_site))
    assert result.returncode == 0, result.stderr
    rows = {row["id"]: row for row in json.loads(result.stdout)}  # stdout is nothing but the JSON
    assert {pid for pid, row in rows.items() if row["status"] == "loaded"} == BUNDLED
    assert rows["broken"]["status"] == "quarantined"
    assert rows["broken"]["error"] == "could not import cli_broken_mod: RuntimeError: pack is broken on purpose"
    assert rows["alipay"]["distribution"] == "kiosk-pack-alipay"
    assert "pack 'broken' (kiosk-pack-broken) quarantined" in result.stderr


def test_packs_list_human_output(fake_site):
    result = run_kiosk("packs", "list", pythonpath=broken_site(fake_site))
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "NAME", "DISTRIBUTION", "VERSION", "PROVENANCE", "STATUS"]
    assert any(line.split()[0] == "alipay" and line.split()[-2:] == ["bundled", "loaded"] for line in lines[1:5])
    assert "broken: quarantined: could not import cli_broken_mod" in result.stdout


def test_packs_list_no_load_imports_nothing(fake_site):
    result = run_kiosk("packs", "list", "--no-load", "--json", pythonpath=broken_site(fake_site))
    assert result.returncode == 0
    rows = {row["id"]: row["status"] for row in json.loads(result.stdout)}
    assert rows["broken"] == "discovered"
    assert result.stderr == ""


def test_version_lists_host_and_packs():
    result = run_kiosk("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("wallet-kiosk 0.1.0")
    from importlib.metadata import version

    assert f"  alipay {version('kiosk-pack-alipay')} (kiosk-pack-alipay)" in result.stdout.splitlines()


def test_validate_exit_codes_and_json(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(minimal_pack_text(**{'kind = "in_app"': 'kind = "app"'}), encoding="utf-8")
    good = run_kiosk("packs", "validate", str(MINIMAL_PACK))
    assert good.returncode == 0
    assert good.stdout.strip().endswith("valid, pack 'demo' (0 warnings)")
    assert "sources: 4 facts by best source: official 1 (25%)" in good.stdout
    [entry] = json.loads(run_kiosk("packs", "validate", str(MINIMAL_PACK), "--json").stdout)
    assert entry["sources"]["facts_by_kind"] == {"official": 1, "regulator": 0, "government": 0, "media": 0, "other": 3}

    invalid = run_kiosk("packs", "validate", str(bad), "--json")
    assert invalid.returncode == 1
    [report] = json.loads(invalid.stdout)
    assert report["valid"] is False
    assert report["errors"][0]["field"] == "channels[1].kind"
    assert report["errors"][0]["line"] == 25

    human = run_kiosk("packs", "validate", str(bad))
    assert f"{bad}:25: channels[1].kind: 'app' is not one of" in human.stdout

    missing = run_kiosk("packs", "validate", str(tmp_path / "nope.toml"))
    assert missing.returncode == 2
    assert "no such file" in missing.stderr
    assert run_kiosk("packs", "validate").returncode == 2


def test_show_a_pack():
    result = run_kiosk("packs", "show", "alipay", "--json")
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["id"] == "alipay"
    assert any(c["value"] == "95188" for c in shown["channels"])
    missing = run_kiosk("packs", "show", "nosuchpack")
    assert missing.returncode == 1
    assert "no pack 'nosuchpack'" in missing.stderr


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path):
    # `kiosk packs list --json | head -c 1`: the pipe is closed before the kiosk writes.
    import subprocess
    import sys

    for args in (["packs", "list", "--json"], ["packs", "show", "alipay"], ["--version"]):
        proc = subprocess.Popen(
            [sys.executable, "-c", f"import sys; from kiosk.cli import main; sys.exit(main({args!r}))"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        )
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()
        errors = proc.stderr.read().decode()
        assert proc.wait(timeout=60) == 1, errors
        assert "Traceback" not in errors and "BrokenPipeError" not in errors, errors
    # And as an operator types it, through the installed command.
    kiosk = Path(sys.executable).with_name("kiosk")
    piped = subprocess.run(
        ["sh", "-c", f"'{kiosk}' packs list --json | head -n 1"],
        capture_output=True,
        text=True,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert piped.stdout == "[\n" and "Traceback" not in piped.stderr, piped.stderr
