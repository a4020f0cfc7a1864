"""Staff access at the console, through the real start-up (launch.prepare, build_app): a malformed PIN
hash makes staff access unavailable and logged, never a crash; a lockout outlives the process."""

from __future__ import annotations

import datetime as dt

import pytest
from fakejournal import FakeJournal

from kiosk import config, launch, oplog
from kiosk.clock import FixedClock
from kiosk.i18n import t
from kiosk.profile import Profile
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.staff import StaffPinScreen, StaffScreen
from ui.helpers import screen_text

MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
MALFORMED = "scrypt$1$1$1$AAAA$BBBB"


@pytest.fixture
def journal(monkeypatch):
    with FakeJournal() as fake:
        monkeypatch.delenv("JOURNAL_STREAM", raising=False)
        monkeypatch.setenv("INVOCATION_ID", "0123456789abcdef0123456789abcdef")
        monkeypatch.setenv(oplog.ENV_JOURNAL_SOCKET, str(fake.path))
        monkeypatch.setattr(oplog, "_journal", None)
        yield fake


def kiosk_from(path, named: bool = True):
    prepared = launch.prepare(path, named=named)
    return prepared, launch.build_app(prepared, Profile.KIOSK, clock=FixedClock(MONDAY))


def said(app, key: str) -> bool:
    return t(key, app.session.locale) in screen_text(app).replace("\n", "")


async def type_pin(pilot, pin: str) -> None:
    await pilot.press(*pin, "enter")
    await pilot.pause()


@pytest.mark.parametrize(
    "text, cause",
    [
        (f'branch_name = "Xuhui"\nstaff_pin_hash = "{MALFORMED}"\n', "staff_pin_hash: is not a hash"),
        ('branch_name = "Xuhui"\nstaff_pin_hash = "scrypt$16384$8$1$x\n', "not valid TOML"),
    ],
    ids=["malformed-hash", "unreadable-file"],
)
async def test_an_unusable_pin_makes_staff_access_unavailable_and_logged(tmp_path, journal, text, cause):
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    prepared, app = kiosk_from(path)
    assert any(cause in notice for notice in prepared.notices)  # the start-up notice names it too
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, StaffPinScreen)
        # In the kiosk's language (a file that cannot be read leaves it at the default, Chinese).
        assert said(app, "staff.unavailable") and not said(app, "staff.no_pin")
        await type_pin(pilot, "1234")
        await type_pin(pilot, "975318")
        assert isinstance(app.screen, StaffPinScreen) and app.is_running
        assert said(app, "staff.unavailable")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    entries = [e for e in journal.entries() if e["KIOSK_EVENT"] == "staff_login"]
    assert [e["KIOSK_OUTCOME"] for e in entries] == ["unavailable", "unavailable"]
    assert cause in entries[0]["KIOSK_REASON"] and str(path) in entries[0]["KIOSK_REASON"]
    assert not any("975318" in repr(e) or "1234" in e.get("MESSAGE", "") for e in journal.entries())


async def test_a_missing_named_file_is_unavailable_not_unset(tmp_path, journal):
    _, app = kiosk_from(tmp_path / "typo" / "kiosk.toml")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert said(app, "staff.unavailable")


async def test_a_lockout_outlives_the_kiosk_process(tmp_path, journal):
    path = tmp_path / "kiosk.toml"
    path.write_text(f'staff_pin_hash = "{config.hash_pin("246801")}"\n', encoding="utf-8")
    _, first = kiosk_from(path)
    async with first.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
        for _ in range(5):
            await type_pin(pilot, "111111")
        assert said(first, "staff.locked")
    # The kiosk is restarted (staff restart, power cut, crash): the prompt is still locked.
    _, second = kiosk_from(path)
    async with second.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert said(second, "staff.locked")
        await type_pin(pilot, "246801")
        assert isinstance(second.screen, StaffPinScreen)
        second.clock.advance(dt.timedelta(minutes=5, seconds=1))
        await type_pin(pilot, "246801")
        assert isinstance(second.screen, StaffScreen)
    outcomes = [e["KIOSK_OUTCOME"] for e in journal.entries() if e["KIOSK_EVENT"] == "staff_login"]
    assert outcomes == ["refused"] * 4 + ["locked", "locked", "granted"]
