"""The browser page's HTTP side, in process: security headers on every response, no folder
listings, no downloads, a plain GET of the websocket's address refused, the page's words.

What a real browser does with the page (focus, the end of a session) is tests/web/test_browser.py.
"""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer

from kiosk.web.server import KioskServer, content_security_policy

pytestmark = pytest.mark.slow

EXPECTED = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


@pytest.fixture
async def client():
    server = KioskServer("false", host="127.0.0.1", port=8000, max_sessions=1)
    async with TestClient(TestServer(await server._make_app())) as client:
        client.kiosk = server  # type: ignore[attr-defined]
        yield client


def assert_secured(response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (response.url, name, response.headers.get(name))
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy.split("; ")
    assert "aiohttp" not in response.headers.get("Server", "")


@pytest.mark.parametrize(
    "path, status",
    [
        ("/", 200),
        ("/static/js/textual.js", 200),
        ("/static/css/xterm.css", 200),
        ("/static/", 403),
        ("/static/js/", 403),
        ("/static/js", 403),
        ("/static/../../etc/passwd", 404),
        ("/nothing-here", 404),
        ("/download/some-key", 404),
        ("/ws", 400),
    ],
)
async def test_every_response_carries_the_security_headers(client, path, status):
    response = await client.get(path, allow_redirects=False)
    assert response.status == status, (path, await response.text())
    assert_secured(response)


async def test_folders_under_static_are_not_listed(client):
    for path in ("/static/", "/static/js/", "/static/fonts/"):
        response = await client.get(path)
        body = await response.text()
        assert response.status in (403, 404) and "textual.js" not in body and "Index of" not in body


async def test_a_plain_get_of_the_websocket_address_is_a_bad_request(client):
    response = await client.get("/ws")
    assert response.status == 400
    assert "websocket" in await response.text()
    assert not client.kiosk.sessions  # nothing was started


async def test_the_busy_page_and_the_refused_websocket_are_secured_too(client):
    client.kiosk.max_sessions = 0
    response = await client.get("/")
    assert response.status == 503
    assert_secured(response)
    websocket = await client.ws_connect("/ws")
    assert_secured(websocket._response)
    await websocket.close()


async def test_the_page_speaks_both_languages_and_loads_nothing_from_elsewhere(client):
    page = await (await client.get("/")).text()
    assert '<html lang="zh-CN">' in page
    assert "本次服务已结束" in page and "Session ended." in page
    assert "重新开始 · Restart" in page and "钱包自助服务 · Wallet Help Kiosk" in page
    assert "fonts.googleapis.com" not in page and "https://" not in page


def test_the_page_may_talk_only_to_its_own_websocket():
    policy = content_security_policy("https://help.bank.example/kiosk")
    directives = dict(item.split(" ", 1) for item in policy.split("; "))
    assert directives["connect-src"] == "'self' wss://help.bank.example"
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    assert content_security_policy("http://127.0.0.1:8000").endswith("object-src 'none'")
    assert "ws://127.0.0.1:8000" in content_security_policy("http://127.0.0.1:8000")
