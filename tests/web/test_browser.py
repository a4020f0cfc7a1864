"""The browser page in a real headless browser: Debian's chromium, driven by Playwright.

`make setup` installs the Debian package `chromium` where it can (see the Makefile); Playwright
comes with the test extra and launches that browser by its path, never a browser of its own.
Where neither is there, these tests skip and say which is missing.

What a customer meets: the kiosk's first screen, the keyboard working without a click, the
end of a session in both languages, and no other site able to put the kiosk in a frame.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from web.helpers import wait_until
from web.test_web_server import WebServer

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
if not CHROMIUM.exists():
    pytest.skip(
        f"no browser: {CHROMIUM} is missing (Debian package chromium; `make setup` installs it as root)",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        # --no-sandbox: the suite may run as root, where chromium's sandbox refuses to start.
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def server(tmp_path):
    started = WebServer(tmp_path, "--max-sessions", "2")
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1000, "height": 700})
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}")
            if message.type == "error" or "Content Security Policy" in message.text
            else None
        ),
    )
    page.problems = problems
    yield page
    context.close()


def open_kiosk(page, server: WebServer):
    response = page.goto(server.url + "/")
    assert response is not None and response.status == 200
    # textual.js marks the body once the kiosk's first bytes are drawn.
    page.wait_for_selector("body.-first-byte", state="attached", timeout=30_000)
    return response


def test_the_kiosk_opens_with_the_keyboard_on_its_terminal(page, server):
    response = open_kiosk(page, server)
    headers = response.headers
    assert headers["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "no-referrer"
    # Focused without a click: the keys a customer types go to the kiosk at once.
    page.wait_for_function(
        "document.activeElement && document.activeElement.classList.contains('xterm-helper-textarea')",
        timeout=10_000,
    )
    assert wait_until(lambda: len(server.sessions()) == 1, timeout=10)
    assert page.problems == []  # nothing refused by the CSP, no script error


def test_a_session_that_ends_says_so_in_both_languages(page, server):
    open_kiosk(page, server)
    page.wait_for_function(
        "document.activeElement && document.activeElement.classList.contains('xterm-helper-textarea')",
        timeout=10_000,
    )
    page.keyboard.press("Control+q")  # typed, never clicked: the remote profile's Ctrl+Q ends the session
    page.wait_for_selector("body.-closed", state="attached", timeout=15_000)
    dialog = page.locator(".closed-dialog .message")
    dialog.wait_for(state="visible", timeout=5_000)
    text = dialog.inner_text()
    assert "本次服务已结束" in text and "Session ended." in text
    assert "重新开始 · Restart" in page.locator(".closed-dialog button").inner_text()
    assert wait_until(lambda: server.sessions() == [], timeout=15), server.sessions()


def test_another_site_cannot_frame_the_kiosk(page, server, tmp_path):
    framing = tmp_path / "framing.html"
    framing.write_text(
        f'<html><body><iframe id="k" src="{server.url}/" width="800" height="600"></iframe></body></html>'
    )
    page.goto(framing.as_uri())
    page.wait_for_timeout(3_000)
    [frame] = [frame for frame in page.frames if frame is not page.main_frame]
    # The browser refused to show it (an error page instead), so no session was ever opened.
    assert frame.url != f"{server.url}/" or frame.locator("#terminal").count() == 0
    assert server.sessions() == []
    assert any("X-Frame-Options" in problem or "frame-ancestors" in problem for problem in page.problems), page.problems


def test_the_page_says_why_the_server_ended_the_session(page, server):
    open_kiosk(page, server)
    server.proc.terminate()  # the help line restarts: every tab is closed with that reason
    page.wait_for_selector("body.-closed", state="attached", timeout=20_000)
    reason = page.locator(".closed-dialog .reason")
    reason.wait_for(state="visible", timeout=5_000)
    text = reason.inner_text()
    assert "服务正在重启" in text and "The help line is restarting" in text
