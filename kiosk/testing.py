"""Pytest plugin for pack authors: fixtures and assertions for testing a pack before publishing.

pytest loads this plugin by itself wherever wallet-kiosk is installed (entry
point group `pytest11`, name `kiosk`). Everything here is opt-in: the fixtures
run only in tests that ask for them, and importing the plugin costs next to
nothing (no Textual, no pack is read until a test asks).

Fixtures
    kiosk_pack_file   Path of the pack document under test. By default the one
                      pack `.toml` of the project the test belongs to (the
                      packages its pyproject.toml registers under `kiosk.packs`);
                      override with the `kiosk_pack` ini option (relative to
                      the rootdir) or `@pytest.mark.kiosk_pack("path")`
                      (relative to the test file).
    kiosk_pack        That document read and validated: a `kiosk.model.Pack`.
    kiosk_render      `kiosk_render(pack=None, **options)`: `render_pack_screen`
                      for the pack under test.

Helpers
    assert_pack_valid(path, strict=False)        the Pack, or fail listing every issue
    assert_hours(pack, channel_id, instant, state)   "open", "closed", "always", "unknown"
    render_pack_screen(pack, locale=, when=, size=)  SVG screenshot of the pack's screen
    screen_text(svg)                             the text of such a screenshot, line by line
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from kiosk.hours import HoursStatus
    from kiosk.model import Pack

#: ini option and marker naming the pack document under test.
INI_OPTION = "kiosk_pack"
MARKER = "kiosk_pack"
#: The instant `render_pack_screen` shows by default: a Monday morning in Beijing, a normal working day.
SAMPLE_INSTANT = _dt.datetime(2026, 11, 23, 10, 30, tzinfo=_dt.timezone(_dt.timedelta(hours=8)))
DEFAULT_SIZE = (100, 40)


# -- plugin hooks -------------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        INI_OPTION,
        help="wallet-kiosk: the pack document the kiosk_pack_file fixture gives "
        "(relative to the rootdir); default: the project's one pack .toml",
        default="",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(path): the pack document the kiosk_pack_file fixture gives this test (relative to the test file)",
    )


@pytest.fixture
def kiosk_pack_file(request: pytest.FixtureRequest) -> Path:
    """The pack document under test (see the module docstring for how it is found)."""
    marker = request.node.get_closest_marker(MARKER)
    if marker is not None:
        if not marker.args:
            pytest.fail(f"@pytest.mark.{MARKER} needs the path of a pack document", pytrace=False)
        path = Path(request.path).parent / marker.args[0]
        return _existing(path, f"@pytest.mark.{MARKER}")
    configured = request.config.getini(INI_OPTION)
    if configured:
        return _existing(Path(request.config.rootpath) / configured, f"the '{INI_OPTION}' ini option")
    return find_project_pack(Path(request.path).parent)


@pytest.fixture
def kiosk_pack(kiosk_pack_file: Path) -> Pack:
    """The pack under test, read and validated (the test fails listing every error if it is invalid)."""
    return assert_pack_valid(kiosk_pack_file)


@pytest.fixture
def kiosk_render(request: pytest.FixtureRequest) -> Callable[..., str]:
    """`kiosk_render(pack=None, **options)`: an SVG of the pack's screen (the pack under test by default)."""

    def render(pack: Pack | None = None, **options) -> str:
        return render_pack_screen(pack if pack is not None else request.getfixturevalue("kiosk_pack"), **options)

    return render


# -- finding the pack ---------------------------------------------------------------


def find_project_pack(start: Path) -> Path:
    """The one pack document of the project around `start` (the nearest folder with a pyproject.toml)."""
    from kiosk.validate_targets import find_pack_documents

    for folder in (start, *start.parents):
        if (folder / "pyproject.toml").is_file():
            documents = find_pack_documents(folder)
            if len(documents) == 1:
                return documents[0]
            found = ", ".join(str(d) for d in documents) or "none"
            pytest.fail(
                f"{folder / 'pyproject.toml'}: expected exactly one pack document in the packages registered "
                f"under the 'kiosk.packs' entry points, found {found}; say which one with the "
                f"'{INI_OPTION}' ini option or @pytest.mark.{MARKER}(path)",
                pytrace=False,
            )
    pytest.fail(
        f"no pyproject.toml in {start} or above, so there is no pack project to test; set the "
        f"'{INI_OPTION}' ini option or use @pytest.mark.{MARKER}(path)",
        pytrace=False,
    )


def _existing(path: Path, origin: str) -> Path:
    if not path.is_file():
        pytest.fail(f"{origin} names {path}, which is not a file", pytrace=False)
    return path


# -- assertions ------------------------------------------------------------------------


def assert_pack_valid(path: str | os.PathLike[str], *, strict: bool = False, today: _dt.date | None = None) -> Pack:
    """Read and validate a pack document; return the Pack.

    Fails with every error listed as `file:line: field: reason`, exactly as
    `kiosk packs validate` reports them; with `strict=True` warnings (stale
    `verified` dates, missing translations) fail too. A pack whose
    `requires_kiosk` excludes this kiosk fails as well: the kiosk would
    quarantine it.
    """
    __tracebackhide__ = True
    from kiosk.compat import version_problem
    from kiosk.errors import Issue
    from kiosk.packfile import read_pack_file

    result = read_pack_file(Path(path), today=today)
    problems = list(result.errors) + (list(result.warnings) if strict else [])
    if result.pack is not None and not result.errors:
        problem = version_problem(result.pack.pack.requires_kiosk, f"pack '{result.pack.id}'")
        if problem:
            problems.append(Issue(result.file, None, "pack.requires_kiosk", problem))
    if problems or result.pack is None:
        listed = "\n".join(f"  {issue}" for issue in problems)
        raise AssertionError(
            f"pack document {result.file} is not valid ({len(problems)} "
            f"problem{'' if len(problems) == 1 else 's'}):\n{listed}"
        )
    return result.pack


def assert_hours(
    pack: Pack, channel_id: str, instant: _dt.datetime, expected: str, *, automated: bool = False
) -> HoursStatus:
    """Check a channel's state at `instant` ("open", "closed", "always" or "unknown"); return the status.

    `instant` must carry a time zone. With `automated=True` the channel's
    `automated_hours` are checked (falling back to `hours` when it has none).
    """
    __tracebackhide__ = True
    from kiosk.hours import OpenState, status_at

    states = [s.value for s in OpenState]
    if str(expected) not in states:
        raise ValueError(f"expected state {expected!r} is not one of {', '.join(states)}")
    if instant.tzinfo is None:
        raise ValueError(
            "assert_hours needs a timezone-aware instant, e.g. "
            "datetime(2026, 11, 23, 10, 30, tzinfo=ZoneInfo('Asia/Shanghai'))"
        )
    channel = pack.channel(channel_id)
    if channel is None:
        known = ", ".join(c.id for c in pack.channels) or "none"
        raise AssertionError(f"pack '{pack.id}' has no channel '{channel_id}' (channels: {known})")
    schedule = channel.automated_hours if automated and channel.automated_hours is not None else channel.hours
    status = status_at(schedule, instant)
    if str(status.state) != str(expected):
        local = status.local_now.strftime("%a %Y-%m-%d %H:%M")
        change = ""
        if status.opens_at is not None:
            change = f"; it opens at {status.opens_at:%a %Y-%m-%d %H:%M}"
        elif status.closes_at is not None:
            change = f"; it closes at {status.closes_at:%a %Y-%m-%d %H:%M}"
        which = "automated hours" if automated else "hours"
        raise AssertionError(
            f"channel '{channel_id}' of pack '{pack.id}' is {status.state} at {local} "
            f"({status.timezone}) by its {which}, expected {expected}{change}"
        )
    return status


# -- rendering ---------------------------------------------------------------------------


def render_pack_screen(
    pack: Pack, *, locale: str = "zh-CN", when: _dt.datetime | None = None, size: tuple[int, int] = DEFAULT_SIZE
) -> str:
    """An SVG screenshot of the kiosk showing `pack`'s screen, beside the built-in general pack.

    The clock is fixed (`when`, default SAMPLE_INSTANT) and the cursor does
    not blink, so the same pack always gives the same picture: compare it
    with a stored snapshot, or just check that it renders. Inside an async
    test, `await render_pack_screen_async(...)` instead.
    """
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(render_pack_screen_async(pack, locale=locale, when=when, size=size))
    raise RuntimeError(
        "render_pack_screen() cannot run inside an event loop; use `await render_pack_screen_async(...)` in async tests"
    )


async def render_pack_screen_async(
    pack: Pack, *, locale: str = "zh-CN", when: _dt.datetime | None = None, size: tuple[int, int] = DEFAULT_SIZE
) -> str:
    """`render_pack_screen` for async tests."""
    # Textual is imported here, not at the top: the plugin loads in every pytest run.
    from kiosk.builtin import general
    from kiosk.clock import FixedClock
    from kiosk.config import Settings
    from kiosk.model import GENERAL_PACK_ID
    from kiosk.packfile import read_pack_file
    from kiosk.packset import PackSet
    from kiosk.ui.app import KioskApp
    from kiosk.ui.screens.wallet import WalletScreen

    packs: tuple[Pack, ...] = (pack,)
    if pack.id != GENERAL_PACK_ID:
        packs = (read_pack_file(general.PACK_FILE).unwrap(), pack)
    app = KioskApp(
        packs=PackSet(packs=packs),
        clock=FixedClock(when or SAMPLE_INSTANT),
        settings=Settings(default_locale=locale, cursor_blink=False),
    )
    async with app.run_test(size=size) as pilot:
        app.push_screen(WalletScreen(pack.id))
        await pilot.pause()
        return app.export_screenshot()


def screen_text(svg: str) -> str:
    """The characters of an SVG screenshot, one screen row per line, for plain `in` assertions."""
    import html
    import re

    from kiosk.textwidth import cell_width

    rows: dict[float, list[tuple[int, str]]] = {}
    for match in re.finditer(r"<text\b([^>]*)>(.*?)</text>", svg, re.DOTALL):
        attributes, content = match.groups()
        x = re.search(r'\bx="([-\d.]+)"', attributes)
        y = re.search(r'\by="([-\d.]+)"', attributes)
        if x is None or y is None or "textLength" not in attributes:  # the window title has none
            continue
        text = html.unescape(re.sub(r"<[^>]+>", "", content)).replace("\xa0", " ")
        rows.setdefault(float(y.group(1)), []).append((round(float(x.group(1)) / _CELL_WIDTH), text))
    lines = []
    for row in sorted(rows):
        line = ""
        for column, text in sorted(rows[row]):
            line += " " * max(0, column - cell_width(line)) + text
        lines.append(line.rstrip())
    return "\n".join(lines)


#: Width of one terminal cell in Textual's SVG screenshots (20 px font, aspect ratio 0.61).
_CELL_WIDTH = 12.2


__all__ = [
    "SAMPLE_INSTANT",
    "assert_hours",
    "assert_pack_valid",
    "find_project_pack",
    "render_pack_screen",
    "render_pack_screen_async",
    "screen_text",
]
