"""kiosk.testing: the pytest plugin pack authors use (fixtures, assertions, a rendering helper)."""

from __future__ import annotations

import datetime as _dt
import json
from importlib.metadata import entry_points
from zoneinfo import ZoneInfo

import pytest
from helpers import MINIMAL_PACK, REPO, TODAY, minimal_pack_text, run_python

from kiosk.packfile import read_pack, read_pack_file
from kiosk.testing import (
    assert_hours,
    assert_pack_valid,
    render_pack_screen,
    render_pack_screen_async,
    screen_text,
)

# Nested pytest runs (pytester) and Pilot-rendered screens.
pytestmark = pytest.mark.slow

pytest_plugins = ["pytester"]

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY_MORNING = _dt.datetime(2026, 11, 23, 10, 30, tzinfo=SHANGHAI)
SUNDAY_NIGHT = _dt.datetime(2026, 11, 22, 23, 0, tzinfo=SHANGHAI)


@pytest.fixture
def demo():
    return read_pack_file(MINIMAL_PACK, today=TODAY).unwrap()


# -- registration and import cost ------------------------------------------------------------


def test_the_plugin_is_registered_for_pytest_and_loaded_here(request):
    assert [ep.value for ep in entry_points(group="pytest11") if ep.name == "kiosk"] == ["kiosk.testing"]
    assert request.config.pluginmanager.has_plugin("kiosk")


def test_importing_the_plugin_imports_no_textual_and_no_pack():
    result = run_python("""
        import json, sys
        import kiosk.testing
        loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')
                        or m.startswith(('kiosk.ui', 'kiosk.packfile', 'kiosk_pack_')))
        print(json.dumps(loaded))
    """)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


# -- assertions --------------------------------------------------------------------------------


def test_assert_pack_valid_returns_the_pack():
    assert assert_pack_valid(MINIMAL_PACK, today=TODAY).id == "demo"


def test_assert_pack_valid_lists_every_problem_with_file_line_and_field(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        minimal_pack_text(**{'brand_colour = "#AA3300"': 'brand_colour = "red"', 'kind = "in_app"': 'kind = "app"'}),
        encoding="utf-8",
    )
    with pytest.raises(AssertionError) as failed:
        assert_pack_valid(path, today=TODAY)
    message = str(failed.value)
    assert message.startswith(f"pack document {path} is not valid (2 problems):\n")
    assert f"  {path}:8: pack.brand_colour: 'red' is not a colour" in message
    assert f"  {path}:25: channels[1].kind: 'app' is not one of" in message


def test_assert_pack_valid_strict_fails_on_warnings(tmp_path):
    path = tmp_path / "stale.toml"
    path.write_text(
        minimal_pack_text(
            **{'verified = 2026-11-01\nconfidence = "high"': 'verified = 2024-01-01\nconfidence = "high"'}
        ),
        encoding="utf-8",
    )
    assert assert_pack_valid(path, today=TODAY).id == "demo"
    with pytest.raises(AssertionError, match=r"warning: channels\[0\]\.verified: verified 2024-01-01"):
        assert_pack_valid(path, strict=True, today=TODAY)


def test_assert_pack_valid_fails_a_pack_the_kiosk_would_quarantine(tmp_path):
    path = tmp_path / "picky.toml"
    path.write_text(
        minimal_pack_text(**{'locales = ["zh-CN", "en"]': 'locales = ["zh-CN", "en"]\nrequires_kiosk = ">=9"'}),
        encoding="utf-8",
    )
    with pytest.raises(AssertionError, match="upgrade wallet-kiosk"):
        assert_pack_valid(path, today=TODAY)


def test_assert_hours_at_sample_instants(demo):
    status = assert_hours(demo, "hotline", MONDAY_MORNING, "open")
    assert status.is_open
    assert_hours(demo, "hotline", SUNDAY_NIGHT, "closed")
    assert_hours(demo, "app", SUNDAY_NIGHT, "always")
    unknown = read_pack(minimal_pack_text(**{'hours = "always"': 'hours = "unknown"'}), "x.toml", today=TODAY).unwrap()
    assert_hours(unknown, "app", MONDAY_MORNING, "unknown")


def test_assert_hours_explains_a_mismatch(demo):
    with pytest.raises(AssertionError) as failed:
        assert_hours(demo, "hotline", SUNDAY_NIGHT, "open")
    assert str(failed.value) == (
        "channel 'hotline' of pack 'demo' is closed at Sun 2026-11-22 23:00 (Asia/Shanghai) "
        "by its hours, expected open; it opens at Mon 2026-11-23 09:00"
    )
    with pytest.raises(AssertionError, match="has no channel 'hotlne' \\(channels: hotline, app\\)"):
        assert_hours(demo, "hotlne", MONDAY_MORNING, "open")
    with pytest.raises(ValueError, match="not one of open, closed, always, unknown"):
        assert_hours(demo, "hotline", MONDAY_MORNING, "opened")
    with pytest.raises(ValueError, match="timezone-aware"):
        assert_hours(demo, "hotline", _dt.datetime(2026, 11, 23, 10, 30), "open")


# -- rendering -------------------------------------------------------------------------------------


def test_render_pack_screen_shows_the_pack_with_a_fixed_clock(demo):
    svg = render_pack_screen(demo, locale="en", when=MONDAY_MORNING, size=(90, 30))
    assert svg.lstrip().startswith("<svg")
    shown = screen_text(svg)
    assert "Demo Wallet" in shown
    assert "95188" in shown
    assert "10:30" in shown
    assert len(shown.splitlines()) == 30
    # The same pack and instant always give the same picture.
    assert render_pack_screen(demo, locale="en", when=MONDAY_MORNING, size=(90, 30)) == svg


def test_render_pack_screen_in_chinese(demo):
    shown = screen_text(render_pack_screen(demo, locale="zh-CN"))
    assert "演示钱包" in shown


async def test_render_inside_an_async_test(demo):
    with pytest.raises(RuntimeError, match="render_pack_screen_async"):
        render_pack_screen(demo)
    svg = await render_pack_screen_async(demo, locale="en")
    assert "Demo Wallet" in screen_text(svg)


# -- fixtures, in a pack author's project ----------------------------------------------------------------


PYPROJECT = """
[project]
name = "kiosk-pack-demo"
version = "1.0.0"
dependencies = ["wallet-kiosk>=0.1,<1"]

[project.entry-points."kiosk.packs"]
demo = "kiosk_pack_demo"
"""


@pytest.fixture
def project(pytester):
    pytester.makefile(".toml", pyproject=PYPROJECT)
    package = pytester.mkpydir("kiosk_pack_demo")
    (package / "demo.toml").write_text(MINIMAL_PACK.read_text(encoding="utf-8"), encoding="utf-8")
    pytester.mkdir("tests")
    return pytester


def write_test(pytester, code: str, name: str = "test_pack.py"):
    (pytester.path / "tests" / name).write_text(code, encoding="utf-8")


def run(pytester, *args):
    # In-process, without the snapshot plugin (it keeps one temporary folder per process) and without
    # pytest-asyncio, which a pack project does not have.
    return pytester.runpytest("-p", "no:cacheprovider", "-p", "no:textual-snapshot", "-p", "no:asyncio", *args)


def test_fixtures_find_the_pack_of_the_project_under_test(project):
    write_test(
        project,
        """
import datetime as dt
from zoneinfo import ZoneInfo

from kiosk.testing import assert_hours

def test_file(kiosk_pack_file):
    assert kiosk_pack_file.name == "demo.toml"
    assert kiosk_pack_file.parent.name == "kiosk_pack_demo"

def test_pack(kiosk_pack):
    assert kiosk_pack.id == "demo"
    assert_hours(kiosk_pack, "app", dt.datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("Asia/Shanghai")), "always")

def test_render(kiosk_render):
    assert "<svg" in kiosk_render(locale="en")
""",
    )
    result = run(project, "--strict-markers")
    result.assert_outcomes(passed=3)


def test_the_ini_option_and_the_marker_choose_another_document(project):
    (project.path / "data").mkdir()
    (project.path / "data" / "other.toml").write_text(
        minimal_pack_text(**{'id = "demo"': 'id = "other"'}), encoding="utf-8"
    )
    (project.path / "tests" / "third.toml").write_text(
        minimal_pack_text(**{'id = "demo"': 'id = "third"'}), encoding="utf-8"
    )
    project.makeini("[pytest]\nkiosk_pack = data/other.toml\n")
    write_test(
        project,
        """
import pytest

def test_ini(kiosk_pack):
    assert kiosk_pack.id == "other"

@pytest.mark.kiosk_pack("third.toml")
def test_marker(kiosk_pack):
    assert kiosk_pack.id == "third"
""",
    )
    result = run(project, "--strict-markers")
    result.assert_outcomes(passed=2)


def test_an_invalid_pack_fails_the_fixture_with_every_issue(project):
    document = project.path / "kiosk_pack_demo" / "demo.toml"
    document.write_text(minimal_pack_text(**{'brand_colour = "#AA3300"': 'brand_colour = "red"'}), encoding="utf-8")
    write_test(project, "def test_pack(kiosk_pack):\n    pass\n")
    result = run(project)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([f"*{document}:8: pack.brand_colour: 'red' is not a colour*"])


def test_a_project_with_two_documents_must_say_which(project):
    (project.path / "kiosk_pack_demo" / "second.toml").write_text(
        minimal_pack_text(**{'id = "demo"': 'id = "second"'}), encoding="utf-8"
    )
    write_test(project, "def test_pack(kiosk_pack_file):\n    pass\n")
    result = run(project)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*expected exactly one pack document*kiosk_pack' ini option*"])


def test_fixtures_are_opt_in(pytester):
    pytester.makepyfile(test_plain="def test_nothing():\n    assert True\n")
    result = run(pytester)
    result.assert_outcomes(passed=1)


def test_the_bundled_packs_pass_the_plugin_checks():
    for name in ("alipay", "wechat", "applepay"):
        pack = assert_pack_valid(REPO / "packs" / name / f"kiosk_pack_{name}" / f"{name}.toml")
        assert pack.id == name
