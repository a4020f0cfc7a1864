"""Helpers every kind of test shares: fixture packs, fake installed distributions, a fresh
interpreter, the `kiosk` command, and one way to wait for something.

Test files import these (`from helpers import run_kiosk`); pytest fixtures stay in conftest.py.
"""

from __future__ import annotations

import asyncio
import datetime as _dt
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from importlib.metadata import EntryPoint, distributions
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from kiosk.discovery import ENTRY_POINT_GROUP

if TYPE_CHECKING:
    from kiosk.model import Channel, Guide, Pack
    from kiosk.packset import PackSet

T = TypeVar("T")

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL_PACK = FIXTURES / "packs" / "minimal.toml"
REPO = Path(__file__).resolve().parent.parent
TODAY = _dt.date(2026, 12, 2)


def minimal_pack_text(**replacements: str) -> str:
    """The minimal pack's text with exact substrings replaced (each must occur)."""
    text = MINIMAL_PACK.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text, f"fixture has no {old!r}"
        text = text.replace(old, new, 1)
    return text


def wallet_pack_text(
    pack_id: str,
    *,
    zh: str = "演示钱包",
    en: str = "Demo Wallet",
    number: str = "95516",
    confidence: str = "high",
    label_zh: str = "客服热线",
    label_en: str = "Customer hotline",
) -> str:
    """The minimal pack as another wallet: its id, names, hotline number, confidence and label."""
    return minimal_pack_text(
        **{
            'id = "demo"': f'id = "{pack_id}"',
            'name = { zh-CN = "演示钱包", en = "Demo Wallet" }': f"name = {{ zh-CN = {zh!r}, en = {en!r} }}".replace(
                "'", '"'
            ),
            'value = "95188"': f'value = "{number}"',
            'confidence = "high"': f'confidence = "{confidence}"',
            'label = { zh-CN = "客服热线", en = "Customer hotline" }': (
                f'label = {{ zh-CN = "{label_zh}", en = "{label_en}" }}'
            ),
        }
    )


class FakeSite:
    """A directory laid out like site-packages, holding fake pack distributions."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def add(
        self,
        dist_name: str,
        *,
        module: str,
        code: str = "",
        files: dict[str, str] | None = None,
        entry_point: str | None = None,
        target: str | None = None,
        version: str = "1.0.0",
        requires: list[str] | None = None,
    ) -> None:
        package = self.root / module
        package.mkdir()
        (package / "__init__.py").write_text(textwrap.dedent(code), encoding="utf-8")
        for name, content in (files or {}).items():
            (package / name).write_text(content, encoding="utf-8")
        info = self.root / f"{dist_name.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        meta = ["Metadata-Version: 2.1", f"Name: {dist_name}", f"Version: {version}"]
        meta += [f"Requires-Dist: {r}" for r in requires or []]
        (info / "METADATA").write_text("\n".join(meta) + "\n", encoding="utf-8")
        (info / "entry_points.txt").write_text(
            f"[{ENTRY_POINT_GROUP}]\n{entry_point or module} = {target or module}\n", encoding="utf-8"
        )

    def add_pack(self, dist_name: str, module: str, toml_text: str, **kwargs) -> None:
        """A well-formed pack plugin whose document is `toml_text`."""
        code = """
            from importlib.resources import files
            from kiosk import hookimpl

            @hookimpl
            def kiosk_packs():
                return [files(__name__) / "pack.toml"]
        """
        self.add(dist_name, module=module, code=code, files={"pack.toml": toml_text}, **kwargs)

    def entry_points(self) -> list[EntryPoint]:
        return [
            ep
            for dist in distributions(path=[str(self.root)])
            for ep in dist.entry_points
            if ep.group == ENTRY_POINT_GROUP
        ]


def run_python(
    code: str,
    *,
    env_extra: dict[str, str] | None = None,
    pythonpath: list[str] | None = None,
    timeout: float = 60,
    stdin: str | None = None,
) -> subprocess.CompletedProcess:
    """Run `code` in a fresh interpreter of this venv with an isolated home."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "TEXTUAL_"))}
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(pythonpath)
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        input=stdin,
    )


def run_kiosk(
    *args: str, env_extra: dict[str, str] | None = None, pythonpath: list[str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    return run_python(
        f"import sys; from kiosk.cli import main; sys.exit(main({list(args)!r}))",
        env_extra=env_extra,
        pythonpath=pythonpath,
        timeout=timeout,
    )


def present(value: T | None) -> T:
    """`value`, which the test needs to be there (a pack, channel or guide looked up by id)."""
    assert value is not None
    return value


# -- looking things up by id: the test fails, saying what is there, when it is missing --------


def pack_of(packs: PackSet, pack_id: str) -> Pack:
    """The pack `pack_id` among `packs`."""
    pack = packs.get(pack_id)
    if pack is None:
        raise AssertionError(f"no pack {pack_id!r}; the packs are {[p.id for p in packs.packs]}")
    return pack


def channel_of(pack: Pack, channel_id: str) -> Channel:
    """The channel `channel_id` of `pack`."""
    channel = pack.channel(channel_id)
    if channel is None:
        raise AssertionError(f"pack {pack.id!r} has no channel {channel_id!r}; it has {[c.id for c in pack.channels]}")
    return channel


def guide_of(pack: Pack, guide_id: str) -> Guide:
    """The guide `guide_id` of `pack`."""
    guide = pack.guide(guide_id)
    if guide is None:
        raise AssertionError(f"pack {pack.id!r} has no guide {guide_id!r}; it has {[g.id for g in pack.guides]}")
    return guide


# -- waiting ----------------------------------------------------------------------------


def wait_until(
    predicate: Callable[[], T], timeout: float = 15.0, what: str | None = None, *, interval: float = 0.05
) -> T:
    """Call `predicate` until it returns something true, and return that.

    When the time runs out: AssertionError naming `what`, or, if no `what` is
    given, the last (false) value, for callers that try something else then.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return _outcome(value, timeout, what)
        time.sleep(interval)


async def wait_until_async(
    predicate: Callable[[], T], timeout: float = 15.0, what: str | None = None, *, interval: float = 0.05
) -> T:
    """`wait_until` inside an event loop: the loop keeps running while it waits."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return _outcome(value, timeout, what)
        await asyncio.sleep(interval)


def _outcome(value: T, timeout: float, what: str | None) -> T:
    if not value and what is not None:
        raise AssertionError(f"timed out waiting for {what} ({timeout} s)")
    return value


# -- hostile inputs ---------------------------------------------------------------------

HOSTILE_PACKS = FIXTURES / "packs" / "hostile"


def hostile_packs_folder(folder: Path) -> dict[str, str]:
    """Fill `folder` with pack files no kiosk should trip on, plus one good pack; {file name: why it is refused}.

    Deep nesting (RecursionError in tomllib), a document over the size limit, a FIFO nobody
    writes to (reading it would wait for ever) and a symlink to /dev/zero (reading it would
    never end). A FIFO cannot live in a repository, so it is made here.
    """
    from kiosk.regularfile import MAX_DOCUMENT_BYTES

    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o755)
    reasons: dict[str, str] = {}
    for fixture in sorted(HOSTILE_PACKS.glob("*.toml")):
        (folder / fixture.name).write_bytes(fixture.read_bytes())
        reasons[fixture.name] = "nested too deeply"
    huge = minimal_pack_text(**{'id = "demo"': 'id = "huge"'}) + "# padding\n" * (MAX_DOCUMENT_BYTES // 10 + 1)
    (folder / "huge.toml").write_text(huge, encoding="utf-8")
    reasons["huge.toml"] = "more than the"
    os.mkfifo(folder / "fifo.toml", 0o644)
    reasons["fifo.toml"] = "not a regular file"
    os.symlink("/dev/zero", folder / "zero.toml")
    reasons["zero.toml"] = "not a regular file"
    good = minimal_pack_text(
        **{
            'id = "demo"': 'id = "branch-desk"',
            'name = { zh-CN = "演示钱包", en = "Demo Wallet" }': (
                'name = { zh-CN = "网点服务台", en = "Branch desk" }'
            ),
        }
    )
    (folder / "good.toml").write_text(good, encoding="utf-8")
    for path in folder.iterdir():
        if path.is_file() and not path.is_symlink():
            os.chmod(path, 0o644)
    return reasons


# -- a failure injected into a real kiosk process ------------------------------------------

#: What the injected failure holds in a local variable: a crash report must never show it.
INJECTED_SECRET = "pin = '1234'"


def failing_take_home_site(root: Path) -> Path:
    """A site folder (for PYTHONPATH) with a pack plugin that breaks the take-home code of a guide.

    The test-only hook: installed pack plugins are imported at start-up, so this one replaces
    kiosk.qr.guide_payload, before any screen imports it, with a function that raises while a
    local variable holds a PIN. Nothing in the kiosk itself honours a test switch; the hook
    exists only where a test puts this folder on the path.
    """
    code = """
        import kiosk.qr
        from kiosk import hookimpl

        def _failing_guide_payload(pack, guide, locale, *, others=()):
            pin = '1234'  # what an unexpected error once showed a customer
            raise RuntimeError("injected failure: the take-home code broke")

        kiosk.qr.guide_payload = _failing_guide_payload

        @hookimpl
        def kiosk_packs():
            return []
    """
    FakeSite(root).add("kiosk-pack-breaker", module="kiosk_pack_breaker", code=code, entry_point="breaker")
    return root


def failing_start_site(root: Path) -> Path:
    """Like `failing_take_home_site`, but the failure comes before the app is up: building it raises."""
    code = """
        import kiosk.launch
        from kiosk import hookimpl

        def _failing_build_app(prepared, profile, **kwargs):
            pin = '1234'  # what an unexpected error once showed a customer
            raise RuntimeError("injected failure: the app could not be built")

        kiosk.launch.build_app = _failing_build_app

        @hookimpl
        def kiosk_packs():
            return []
    """
    FakeSite(root).add("kiosk-pack-breaker", module="kiosk_pack_breaker", code=code, entry_point="breaker")
    return root
