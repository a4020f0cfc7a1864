"""`kiosk packs new`: a complete pack distribution whose example validates and never looks real."""

from __future__ import annotations

import datetime as _dt
import json
import os
import subprocess
import sys
import tomllib

import pytest
from helpers import TODAY, present, run_kiosk
from packaging.requirements import Requirement
from packaging.version import Version

from kiosk import __version__
from kiosk.cli import main
from kiosk.compat import HOST_DISTRIBUTION
from kiosk.discovery import ENTRY_POINT_GROUP
from kiosk.model import ChannelKind, ScheduleState
from kiosk.packfile import read_pack_file
from kiosk.scaffold import PLACEHOLDER_NUMBER, ScaffoldError, create_pack


@pytest.fixture
def created(tmp_path):
    folder = tmp_path / "kiosk-pack-demo-desk"
    create_pack(folder, "demo-desk", today=TODAY)
    return folder


def test_the_distribution_has_every_file(created):
    files = sorted(str(p.relative_to(created)) for p in created.rglob("*") if p.is_file())
    assert files == [
        ".gitignore",
        "README.md",
        "kiosk_pack_demo_desk/__init__.py",
        "kiosk_pack_demo_desk/demo-desk.toml",
        "pyproject.toml",
        "tests/test_pack.py",
    ]


def test_pyproject_registers_the_plugin_and_the_kiosk_range(created):
    pyproject = tomllib.loads((created / "pyproject.toml").read_text(encoding="utf-8"))
    project = pyproject["project"]
    assert (project["name"], project["version"]) == ("kiosk-pack-demo-desk", "0.1.0")
    assert project["entry-points"] == {ENTRY_POINT_GROUP: {"demo-desk": "kiosk_pack_demo_desk"}}
    [host] = [Requirement(r) for r in project["dependencies"]]
    assert host.name == HOST_DISTRIBUTION
    assert host.specifier.contains(__version__)
    assert not host.specifier.contains(str(Version(__version__).major + 1))
    assert project["optional-dependencies"] == {"test": ["pytest>=8.4,<9"]}
    assert pyproject["build-system"]["build-backend"] == "hatchling.build"
    assert pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["kiosk_pack_demo_desk"]


def test_the_example_says_who_published_every_source(created):
    from kiosk.model import SourceKind
    from kiosk.validate_targets import fact_sources

    text = (created / "kiosk_pack_demo_desk" / "demo-desk.toml").read_text(encoding="utf-8")
    assert 'source_kind = "official"' in text and "media or other" in text
    pack = read_pack_file(created / "kiosk_pack_demo_desk" / "demo-desk.toml", today=TODAY).unwrap()
    # Written out, not left to the default, so an author sees the key to change.
    assert all(source.kind is SourceKind.OFFICIAL for _, sources in fact_sources(pack) for source in sources)


def test_the_example_pack_is_valid_bilingual_and_complete(created):
    result = read_pack_file(created / "kiosk_pack_demo_desk" / "demo-desk.toml", today=TODAY)
    assert result.issues == (), [str(i) for i in result.issues]
    pack = present(result.pack)
    assert pack.id == "demo-desk"
    assert pack.pack.name["en"] == "Demo Desk"
    assert pack.pack.locales == ("zh-CN", "en")
    hotline, in_app = pack.channels
    assert (hotline.kind, hotline.value.neutral, hotline.hours.state) == (
        ChannelKind.HOTLINE,
        PLACEHOLDER_NUMBER,
        ScheduleState.UNKNOWN,
    )
    assert in_app.kind is ChannelKind.IN_APP and in_app.self_service
    [guide] = pack.guides
    assert 2 <= len(guide.steps) <= 3
    assert "general:pboc-12363" in guide.escalate
    assert len(pack.checklist) == len(pack.scams) == len(pack.never_asks) == 1
    sources = [hotline.source, in_app.source] + [s.url for g in pack.guides for s in g.sources]
    sources += [s.url for s in pack.scams[0].sources + pack.never_asks[0].sources]
    assert all(url.startswith("https://example.com/") for url in sources)
    assert {c.verified for c in pack.channels} == {TODAY}


def test_the_placeholder_number_is_called_one(created):
    text = (created / "kiosk_pack_demo_desk" / "demo-desk.toml").read_text(encoding="utf-8")
    assert f"the hotline number {PLACEHOLDER_NUMBER} is a placeholder" in text.split("format = 1")[0]
    readme = (created / "README.md").read_text(encoding="utf-8")
    assert f"`{PLACEHOLDER_NUMBER}` is a placeholder" in readme
    for step in ("Edit", "Validate", "Test", "Build and publish"):
        assert f"**{step}**" in readme


def test_the_plugin_and_the_test_file(created):
    plugin = (created / "kiosk_pack_demo_desk" / "__init__.py").read_text(encoding="utf-8")
    assert "@hookimpl" in plugin and 'files(__name__) / "demo-desk.toml"' in plugin
    compile(plugin, "__init__.py", "exec")
    test_file = (created / "tests" / "test_pack.py").read_text(encoding="utf-8")
    compile(test_file, "test_pack.py", "exec")
    for name in ("kiosk_pack_file", "kiosk_pack", "assert_pack_valid", "assert_hours", "render_pack_screen"):
        assert name in test_file


@pytest.mark.parametrize(
    "pack_id, reason",
    [
        ("general", "built-in pack"),
        ("Demo", "not a valid pack id"),
        ("demo_desk", "not a valid pack id"),
        ("-demo", "not a valid pack id"),
    ],
)
def test_bad_ids_are_refused(tmp_path, pack_id, reason):
    with pytest.raises(ScaffoldError, match=reason):
        create_pack(tmp_path / "x", pack_id)
    assert not (tmp_path / "x").exists()


def test_a_name_that_would_make_the_pack_invalid_is_refused(tmp_path):
    with pytest.raises(ScaffoldError, match="control character"):
        create_pack(tmp_path / "x", "desk", name="Desk\x1b[2J")
    assert not (tmp_path / "x").exists()


def test_cli_creates_the_folder_and_refuses_to_overwrite(tmp_path, capsys):
    assert main(["packs", "new", "branch-desk", "--dir", str(tmp_path), "--name", "Branch Desk"]) == 0
    out = capsys.readouterr().out
    folder = tmp_path / "kiosk-pack-branch-desk"
    assert out.startswith(f"Created {folder}\n")
    pack = read_pack_file(folder / "kiosk_pack_branch_desk" / "branch-desk.toml").unwrap()
    assert pack.pack.name["zh-CN"] == "Branch Desk"
    before = (folder / "README.md").read_text(encoding="utf-8")

    assert main(["packs", "new", "branch-desk", "--dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"kiosk packs new: {folder} already exists" in err and "nothing was overwritten" in err
    assert (folder / "README.md").read_text(encoding="utf-8") == before

    assert main(["packs", "new", "general", "--dir", str(tmp_path)]) == 2
    assert "built-in pack" in capsys.readouterr().err


def test_verified_defaults_to_today(tmp_path):
    create_pack(tmp_path / "p", "desk")
    pack = read_pack_file(tmp_path / "p" / "kiosk_pack_desk" / "desk.toml").unwrap()
    assert pack.channels[0].verified == _dt.date.today()


def _pip(*args: str, cwd=None) -> subprocess.CompletedProcess:
    """pip of this environment, offline: the pack is built with the hatchling installed here."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "PIP_"))}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            *args,
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--disable-pip-version-check",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )


@pytest.mark.slow
def test_a_new_pack_installs_loads_validates_and_passes_its_own_tests(tmp_path):
    created = run_kiosk("packs", "new", "demo-desk", "--dir", str(tmp_path))
    assert created.returncode == 0, created.stderr
    folder = tmp_path / "kiosk-pack-demo-desk"

    site = tmp_path / "site"
    installed = _pip("install", "--target", str(site), str(folder))
    assert installed.returncode == 0, installed.stderr
    listed = run_kiosk("packs", "list", "--json", pythonpath=[str(site)])
    assert listed.returncode == 0, listed.stderr
    rows = {row["id"]: row for row in json.loads(listed.stdout)}
    # Installed and valid; customers see it once the operator approves it (kiosk packs approve).
    assert (rows["demo-desk"]["status"], rows["demo-desk"]["provenance"]) == ("awaiting-approval", "unapproved")
    assert (rows["demo-desk"]["distribution"], rows["demo-desk"]["version"]) == ("kiosk-pack-demo-desk", "0.1.0")
    assert rows["demo-desk"]["file"] == str(site / "kiosk_pack_demo_desk" / "demo-desk.toml")

    by_name = run_kiosk("packs", "validate", "kiosk-pack-demo-desk", pythonpath=[str(site)])
    assert by_name.returncode == 0, by_name.stdout + by_name.stderr
    assert f"{site / 'kiosk_pack_demo_desk' / 'demo-desk.toml'}: valid, pack 'demo-desk' (0 warnings)" in by_name.stdout

    dist = tmp_path / "dist"
    built = _pip("wheel", "--wheel-dir", str(dist), str(folder))
    assert built.returncode == 0, built.stderr
    [wheel] = dist.glob("*.whl")
    checked = run_kiosk("packs", "validate", "--json", str(wheel))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert [(e["kind"], e["pack_id"], e["valid"]) for e in json.loads(checked.stdout)] == [
        ("wheel", None, True),
        ("wheel", "demo-desk", True),
    ]

    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "TEXTUAL_", "PYTEST_"))}
    env["PYTHONPATH"] = str(site)
    tested = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_pack.py"],
        capture_output=True,
        text=True,
        env=env,
        cwd=folder,
        timeout=120,
    )
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "4 passed" in tested.stdout
