"""The shared wait: returns what the condition gave, raises naming what it waited for, or hands back False.
The look-ups by id: return what is there, or fail naming what there is instead."""

from __future__ import annotations

import asyncio
import itertools

import pytest
from helpers import MINIMAL_PACK, channel_of, guide_of, pack_of, wait_until, wait_until_async

from kiosk.packfile import read_pack_file
from kiosk.packset import PackSet


def test_it_returns_the_first_true_value():
    counter = itertools.count()
    assert wait_until(lambda: next(counter) >= 3 and "ready", 5, "three calls", interval=0) == "ready"


def test_on_timeout_it_names_what_it_waited_for_or_returns_the_false_value():
    with pytest.raises(AssertionError, match="timed out waiting for the moon"):
        wait_until(lambda: False, 0.05, "the moon", interval=0.01)
    assert wait_until(lambda: 0, 0.05, interval=0.01) == 0


def test_the_async_wait_lets_the_loop_run():
    async def scenario() -> str:
        done: list[str] = []
        asyncio.get_running_loop().call_later(0.05, done.append, "set by the loop")
        return await wait_until_async(lambda: done[0] if done else "", 5, "the callback")

    assert asyncio.run(scenario()) == "set by the loop"


def test_look_ups_by_id_return_what_is_there():
    pack = read_pack_file(MINIMAL_PACK).unwrap()
    assert pack_of(PackSet(packs=(pack,)), "demo") is pack
    assert channel_of(pack, "app").id == "app"
    assert guide_of(pack, "refund").id == "refund"


def test_look_ups_by_id_fail_naming_what_there_is():
    pack = read_pack_file(MINIMAL_PACK).unwrap()
    with pytest.raises(AssertionError, match=r"no pack 'alipay'; the packs are \['demo'\]"):
        pack_of(PackSet(packs=(pack,)), "alipay")
    with pytest.raises(AssertionError, match=r"pack 'demo' has no channel 'fax'; it has \['hotline', 'app'"):
        channel_of(pack, "fax")
    with pytest.raises(
        AssertionError, match=r"pack 'demo' has no guide 'lost-card'; it has \['forgot-password', 'refund'"
    ):
        guide_of(pack, "lost-card")
