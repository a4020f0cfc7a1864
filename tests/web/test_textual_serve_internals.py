"""The private parts of textual-serve that kiosk.web.server builds on, checked one by one.

kiosk.web.server overrides and reads names textual-serve does not promise to keep. When a new
textual-serve moves one, these tests fail with what moved, instead of the kiosk quietly
losing a safety check (a size clamp, the environment clean-up, the font link removal).
"""

from __future__ import annotations

import inspect
import json

import pytest
from aiohttp import WSMsgType
from aiohttp.test_utils import TestClient, TestServer
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager
from textual_serve.server import Server

from kiosk.web.server import KioskAppService, KioskServer

#: Our own additions, which textual-serve does not have.
OURS = {
    "__init__",
    "full",
    "busy_page",
    "refuse",
    "sessions",
    "max_sessions",
    "origins",
    # The door's health, session log and reload (kiosk.doorhealth).
    "_end_reason",
    "_listening",
    "_refused",
    "reload",
    "release",
    "spawner",
    "add_headers",
    "headers",
    "send_signal",
    "client",
    "watch",
    "access_log_class",
    "admission",
    "apply_settings",
    "replace_spawner",
    "keep",
}


def overridden(cls: type, base: type) -> list[str]:
    return sorted(name for name in vars(cls) if not name.startswith("__") and name not in OURS)


@pytest.mark.parametrize("cls, base", [(KioskAppService, AppService), (KioskServer, Server)], ids=["service", "server"])
def test_every_override_still_overrides_something(cls, base):
    """A method textual-serve renamed would leave ours defined and never called."""
    missing = [name for name in overridden(cls, base) if not hasattr(base, name)]
    assert not missing, f"textual-serve's {base.__name__} no longer has {missing}: check kiosk/web/server.py"
    for name in overridden(cls, base):
        ours, theirs = inspect.signature(getattr(cls, name)), inspect.signature(getattr(base, name))
        assert list(ours.parameters) == list(theirs.parameters), f"{base.__name__}.{name} takes {theirs} now"


def test_the_private_names_the_overrides_use_are_still_there():
    service = AppService("true", write_bytes=None, write_str=None, close=None, download_manager=DownloadManager())  # type: ignore[arg-type]
    state = vars(service)
    for name in ("_task", "_process"):  # read and cleared by KioskAppService.stop()
        assert name in state and state[name] is None, f"AppService no longer sets {name} in __init__"
    assert "remote_close" in state  # closes the tab when the kiosk ends
    assert list(inspect.signature(AppService._build_environment).parameters) == ["self", "width", "height"]
    for name in ("send_meta", "_open_app_process"):
        assert hasattr(AppService, name), f"AppService.{name} is gone"
    for name in ("_process_messages", "_make_app", "request_exit", "download_manager", "public_url", "command"):
        assert hasattr(Server, name) or name in vars(Server("true")), f"Server.{name} is gone"
    assert list(inspect.signature(Server._process_messages).parameters) == ["self", "websocket", "app_service"]


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    async def send_bytes(self, data: bytes) -> None:
        self.calls.append(("send_bytes", data))

    async def set_terminal_size(self, width: object, height: object) -> None:
        self.calls.append(("set_terminal_size", (width, height)))


class Message:
    def __init__(self, envelope: list) -> None:
        self.type = WSMsgType.TEXT
        self.data = json.dumps(envelope)

    def json(self) -> object:
        return json.loads(self.data)


class Websocket:
    def __init__(self, *envelopes: list) -> None:
        self.messages = [Message(envelope) for envelope in envelopes]

    def __aiter__(self):
        return self._messages()

    async def _messages(self):
        for message in self.messages:
            yield message


async def test_resizes_from_the_browser_go_through_set_terminal_size():
    """The size clamp is in KioskAppService.set_terminal_size: textual-serve must still call it."""
    service = Recorder()
    server = KioskServer("true", host="127.0.0.1", port=8000, max_sessions=1)
    websocket = Websocket(["stdin", "a"], ["resize", {"width": 10**6, "height": 3}])
    await server._process_messages(websocket, service)  # type: ignore[arg-type]
    assert service.calls == [("send_bytes", b"a"), ("set_terminal_size", (10**6, 3))]


async def test_our_page_is_textual_serves_page_with_the_same_parts():
    """Our template is a changed copy of textual-serve's: the parts textual.js looks for are still in both."""
    stock = Server("true", host="127.0.0.1", port=8000)
    async with TestClient(TestServer(await stock._make_app())) as client:
        theirs = await (await client.get("/")).text()
    ours_server = KioskServer("true", host="127.0.0.1", port=8000, max_sessions=1)
    async with TestClient(TestServer(await ours_server._make_app())) as client:
        response = await client.get("/")
        ours = await response.text()
    assert response.status == 200
    for part in (
        'id="terminal"',
        'class="textual-terminal"',
        'data-session-websocket-url="ws://127.0.0.1:8000/ws"',
        'data-font-size="16"',
        "js/textual.js",
        "css/xterm.css",
        'class="dialog-container closed-dialog"',
        'class="dialog-container intro-dialog"',
        'id="start"',
    ):
        assert part in theirs, f"textual-serve's page no longer has {part!r}: check kiosk/web/templates"
        assert part in ours, part
    assert "fonts.googleapis.com" in theirs and "fonts.googleapis.com" not in ours
