"""A computer whose clock is weeks behind the packs' `verified` dates still helps every customer.

A flat RTC battery or a kiosk that boots before network time is set reads a date earlier than
the day the bundled facts were checked. Such a date is a warning for staff, never a reason to
quarantine a pack: the wallets stay on the home screen and 95188 is still official.
"""

from __future__ import annotations

import datetime as _dt

import pytest
from helpers import present

from kiosk import packfile
from kiosk.launch import prepare
from kiosk.numbers import Context, VerdictKind, check_number
from kiosk.packset import PackStatus
from kiosk.profile import Profile

#: Three weeks before the bundled packs were verified (2026-11-23).
BEHIND = _dt.date(2026, 11, 1)


@pytest.fixture
def clock_behind(monkeypatch):
    monkeypatch.setattr(packfile, "_today", lambda: BEHIND)
    return BEHIND


@pytest.mark.parametrize("cache", ["cold", "warm"])
def test_every_bundled_pack_loads_with_the_clock_weeks_behind(clock_behind, tmp_path, cache):
    environ = {"KIOSK_PACK_CACHE": str(tmp_path / "cache"), "HOME": str(tmp_path)}
    if cache == "warm":
        prepare(None, environ, Profile.KIOSK)
    prepared = prepare(None, environ, Profile.KIOSK)
    ids = {p.id for p in prepared.packs.packs}
    assert {"general", "alipay", "wechat", "applepay"} <= ids, prepared.packs.records
    assert not [r for r in prepared.packs.records if r.status is PackStatus.QUARANTINED]
    # Staff still learn of it: the dates read as in the future are warnings on the records.
    general = present(prepared.packs.record("general"))
    assert any("is in the future" in issue.message for issue in general.issues)
    for context in Context:
        verdict = check_number("95188", context, prepared.packs)
        assert verdict.kind is VerdictKind.OFFICIAL, (context, verdict)
        assert any(m.pack_id == "alipay" for m in verdict.matches)
