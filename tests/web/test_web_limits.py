"""The web front door's limits, each against a real tab on loopback, each bounded in time.

Idle and maximum length (with the warning before it), the per-address cap (IPv6 per /64, the
client named by a trusted proxy only), message floods and resize floods. The server runs in the
test's event loop with forked kiosks (test_web_forked's ForkedWeb) and short limits.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

import aiohttp
import pytest

from kiosk.admission import Admission
from kiosk.config.remote import SshSettings
from kiosk.proxy_protocol import parse_networks
from kiosk.web.traffic import ResizeCoalescer, client_address
from web.helpers import HOME_TEXT, alive
from web.test_web_forked import ForkedWeb, read_until, until

pytestmark = pytest.mark.slow


def limited(tmp_path, trusted: str = "", **settings) -> ForkedWeb:
    web = ForkedWeb(tmp_path, max_sessions=10)
    web.kiosk.settings = SshSettings(**settings)
    web.kiosk.admission = Admission(web.kiosk.settings.admission_rules())
    web.kiosk.trusted_proxies = parse_networks([trusted] if trusted else [])
    return web


async def close_of(ws: aiohttp.ClientWebSocketResponse, timeout: float) -> tuple[int | None, str]:
    """Wait for the server to close the tab: its close code and reason."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        assert left > 0, "the tab was not closed in time"
        message = await ws.receive(timeout=left)
        if message.type == aiohttp.WSMsgType.CLOSE:
            return message.data, message.extra or ""
        if message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING):
            return ws.close_code, ""


async def test_an_untouched_tab_ends_when_idle_and_mouse_motion_does_not_keep_it(tmp_path):
    async with limited(tmp_path, idle_timeout=3, max_session_length=600) as web, aiohttp.ClientSession() as http:
        untouched = await http.ws_connect(web.url("/ws"))
        moving = await http.ws_connect(web.url("/ws"))
        typing = await http.ws_connect(web.url("/ws"))
        for tab in (untouched, moving, typing):
            await read_until(tab, HOME_TEXT.encode())
        pids = web.sessions()
        started = time.monotonic()

        async def keep(tab, data: str) -> None:
            while not tab.closed:
                await tab.send_json(["stdin", data])
                await asyncio.sleep(0.5)

        movers = [
            asyncio.create_task(keep(moving, "\x1b[<35;10;5M\x1b[<35;11;5M")),  # mouse motion only
            asyncio.create_task(keep(typing, "\x1b[B")),  # a key: the customer is there
        ]
        try:
            assert await close_of(untouched, timeout=10) == (1000, "idle")
            assert await close_of(moving, timeout=5) == (1000, "idle")
            assert 2.5 < time.monotonic() - started < 8
            assert not typing.closed
        finally:
            for task in movers:
                task.cancel()
        assert await until(lambda: len([pid for pid in pids if alive(pid)]) == 1)


async def test_a_tab_is_warned_then_ended_at_its_maximum_length(tmp_path):
    async with limited(tmp_path, idle_timeout=600, max_session_length=4) as web, aiohttp.ClientSession() as http:
        tab = await http.ws_connect(web.url("/ws?width=120&height=40"))
        await read_until(tab, HOME_TEXT.encode())
        started = time.monotonic()
        # At half the length (a short limit): the kiosk's own "ending soon" notice, in Chinese first.
        await read_until(tab, "时间上限".encode(), timeout=6)
        assert time.monotonic() - started < 4
        assert await close_of(tab, timeout=6) == (1000, "max-length")
        assert await until(lambda: not web.kiosk.sessions and web.sessions() == [])


async def test_one_address_has_at_most_its_share_of_tabs(tmp_path):
    async with limited(tmp_path, max_sessions_per_address=2) as web, aiohttp.ClientSession() as http:
        tabs = [await http.ws_connect(web.url("/ws")) for _ in range(2)]
        for tab in tabs:
            await read_until(tab, HOME_TEXT.encode())
        refused = await http.ws_connect(web.url("/ws"))
        message = await refused.receive(timeout=10)
        assert "已达上限".encode() in message.data and b"the most allowed" in message.data
        assert await close_of(refused, timeout=15) == (1013, "address-busy")
        assert len(web.sessions()) == 2  # nothing was started for it
        await tabs[0].close()
        assert await until(lambda: len(web.kiosk.sessions) == 1)
        again = await http.ws_connect(web.url("/ws"))
        await read_until(again, HOME_TEXT.encode())
        for tab in (again, tabs[1]):
            await tab.close()


async def test_a_trusted_proxy_names_the_client_and_ipv6_counts_per_64(tmp_path):
    async with (
        limited(tmp_path, trusted="127.0.0.1", max_sessions_per_address=2) as web,
        aiohttp.ClientSession() as http,
    ):

        def via_proxy(client: str):
            return http.ws_connect(web.url("/ws"), headers={"X-Forwarded-For": f"203.0.113.9, {client}"})

        tabs = [await via_proxy("2001:db8:1:2::1"), await via_proxy("2001:db8:1:2:ffff::7")]
        for tab in tabs:
            await read_until(tab, HOME_TEXT.encode())
        assert {tab.address for tab in web.kiosk.tabs.values()} == {"2001:db8:1:2::1", "2001:db8:1:2:ffff::7"}
        # A third address in the same /64 is the same customer's network: refused.
        refused = await via_proxy("2001:db8:1:2::99")
        assert b"the most allowed" in (await refused.receive(timeout=10)).data
        await refused.close()
        # Another /64, and another IPv4 client, are not.
        other = await via_proxy("2001:db8:1:3::1")
        await read_until(other, HOME_TEXT.encode())
        for tab in (*tabs, other):
            await tab.close()


async def test_x_forwarded_for_from_anyone_else_is_ignored(tmp_path):
    async with limited(tmp_path, max_sessions_per_address=1) as web, aiohttp.ClientSession() as http:
        first = await http.ws_connect(web.url("/ws"), headers={"X-Forwarded-For": "198.51.100.1"})
        await read_until(first, HOME_TEXT.encode())
        assert [tab.address for tab in web.kiosk.tabs.values()] == ["127.0.0.1"]
        # Claiming another address does not get around the cap.
        second = await http.ws_connect(web.url("/ws"), headers={"X-Forwarded-For": "198.51.100.2"})
        assert b"the most allowed" in (await second.receive(timeout=10)).data
        for tab in (first, second):
            await tab.close()


async def test_messages_over_the_rate_are_dropped_and_the_tab_still_answers(tmp_path):
    async with limited(tmp_path, max_messages_per_second=50) as web, aiohttp.ClientSession() as http:
        tab = await http.ws_connect(web.url("/ws"))
        await read_until(tab, HOME_TEXT.encode())
        [state] = web.kiosk.tabs.values()
        for _ in range(150):  # a burst over the 100 allowed at once, not long enough to be cut off
            await tab.send_json(["stdin", "x"])
        for _ in range(30):
            await tab.send_json(["resize", {"width": 100, "height": 30}])
        await tab.send_str("not json")
        await tab.send_json({"not": "a list"})
        await tab.send_json([])
        assert await until(lambda: state.dropped >= 50, timeout=10)
        await asyncio.sleep(2.5)  # the rate refills
        await tab.send_json(["ping", "123"])
        reply = await tab.receive(timeout=10)
        while reply.type == aiohttp.WSMsgType.BINARY:
            reply = await tab.receive(timeout=10)
        assert reply.json() == ["pong", "123"]
        assert len(web.sessions()) == 1 and not tab.closed
        await tab.close()


async def test_a_tab_that_keeps_flooding_is_closed_and_the_others_go_on(tmp_path):
    async with limited(tmp_path, max_messages_per_second=50) as web, aiohttp.ClientSession() as http:
        flooder = await http.ws_connect(web.url("/ws"))
        neighbour = await http.ws_connect(web.url("/ws"))
        for tab in (flooder, neighbour):
            await read_until(tab, HOME_TEXT.encode())

        async def flood() -> None:
            with contextlib.suppress(Exception):
                for _ in range(5000):
                    await flooder.send_json(["stdin", "x"])

        task = asyncio.create_task(flood())
        assert await close_of(flooder, timeout=15) == (1000, "flood")
        task.cancel()
        await neighbour.send_json(["ping", "1"])
        reply = await neighbour.receive(timeout=10)
        while reply.type == aiohttp.WSMsgType.BINARY:
            reply = await neighbour.receive(timeout=10)
        assert reply.json() == ["pong", "1"]
        assert await until(lambda: len(web.sessions()) == 1)
        await neighbour.close()


def test_resizes_are_coalesced_and_the_last_one_arrives():
    now = [10.0]
    resizes = ResizeCoalescer(interval=0.05, clock=lambda: now[0])
    assert resizes.offer((80, 24)) is None and resizes.take() == (80, 24)
    wait = resizes.offer((81, 24))
    assert wait is not None and 0 < wait <= 0.05 + 1e-9
    assert resizes.offer((99, 30)) is not None  # replaces the one waiting
    now[0] += 0.05
    assert resizes.take() == (99, 30) and resizes.take() is None


@pytest.mark.parametrize(
    "peer, forwarded, expected",
    [
        ("203.0.113.5", ["198.51.100.1"], "203.0.113.5"),  # not a proxy of ours: its header is ignored
        ("10.0.0.2", ["198.51.100.1"], "198.51.100.1"),
        ("10.0.0.2", ["6.6.6.6, 198.51.100.1"], "198.51.100.1"),  # what the client itself put first is not believed
        ("10.0.0.2", ["198.51.100.1, 10.0.0.3"], "198.51.100.1"),  # past a chain of our proxies
        ("10.0.0.2", ["garbage"], "10.0.0.2"),
        ("10.0.0.2", [], "10.0.0.2"),
        ("10.0.0.2", ["[2001:db8::1]:4711"], "2001:db8::1"),
    ],
)
def test_the_client_is_named_only_by_a_trusted_proxy(peer, forwarded, expected):
    assert client_address(peer, forwarded, parse_networks(["10.0.0.0/24"])) == expected


async def test_one_address_may_open_only_so_many_tabs_a_minute(tmp_path):
    async with limited(tmp_path, max_connections_per_minute_per_address=3) as web, aiohttp.ClientSession() as http:
        for _ in range(3):
            tab = await http.ws_connect(web.url("/ws"))
            await read_until(tab, HOME_TEXT.encode())
            await tab.close()
        refused = await http.ws_connect(web.url("/ws"))
        assert b"a minute" in (await refused.receive(timeout=10)).data
        await refused.close()
        assert await until(lambda: not web.kiosk.sessions)
