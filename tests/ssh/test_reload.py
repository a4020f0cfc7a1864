"""SIGHUP's reload in-process: new settings and a new fork server for new sessions, open ones untouched."""

from __future__ import annotations

import dataclasses

import pytest

from kiosk.ssh.reload import ReloadRefused, reload
from ssh.client import HOME_TEXT, Terminal
from ssh.conftest import process_gone, wait_until

pytestmark = pytest.mark.slow


async def test_a_reload_gives_new_sessions_a_new_fork_server_and_retires_the_old_one(server):
    front = await server.start(max_sessions=5)
    old_spawner = front.spawner
    old_pid = old_spawner.client.started_pids[0]
    term = await Terminal.open(front.port)
    await term.wait_for(HOME_TEXT)
    new_settings = dataclasses.replace(front.settings, max_sessions=3, listen="127.0.0.1:1")
    lines = await reload(front, lambda: new_settings)
    assert front.settings.max_sessions == 3 and front.limits.settings.max_sessions == 3
    assert front.settings.listen == "127.0.0.1:0"  # the listening socket stays until a restart
    assert any("listen changed" in line and "restarted" in line for line in lines), lines
    assert front.spawner is not old_spawner
    # The open session still runs on the old fork server, which stays until it ends.
    term.send(b"\x0c")
    await term.wait_for("Wallet Help Kiosk")
    assert not process_gone(old_pid)
    second = await Terminal.open(front.port)
    await second.wait_for(HOME_TEXT)
    term.close()
    await wait_until(lambda: process_gone(old_pid), 20, "the old fork server to stop after its last session")
    second.close()


async def test_a_refused_reload_changes_nothing(server):
    front = await server.start(max_sessions=5)
    spawner, settings = front.spawner, front.settings

    def broken():
        raise ReloadRefused(["kiosk.toml:3: ssh.max_sessions: 0 is outside 1-1000"])

    lines = await reload(front, broken)
    assert lines[-1].startswith("reload refused") and "outside 1-1000" in lines[0]
    assert front.spawner is spawner and front.settings is settings


async def test_a_reload_opens_the_access_log_again_after_logrotate_moved_it(server):
    front = await server.start()
    (await Terminal.open(front.port)).close()
    await wait_until(lambda: len(server.log_lines()) == 1, 10, "the first line")
    rotated = server.log_path.with_suffix(".log.1")
    server.log_path.rename(rotated)  # what logrotate does without copytruncate
    await reload(front, lambda: front.settings)
    term = await Terminal.open(front.port)
    await term.wait_for(HOME_TEXT)
    term.close()
    await wait_until(lambda: len(server.log_lines()) == 1, 10, "a line in the new file")
    assert len(rotated.read_text(encoding="utf-8").splitlines()) == 1


async def test_a_reload_that_fails_unexpectedly_is_logged_and_the_server_goes_on(server, capsys):
    front = await server.start()

    def broken():
        raise RuntimeError("the disk went away")

    front.reload_soon(broken)
    await wait_until(lambda: not front.retiring, 10, "the reload to finish")
    assert "reload failed (RuntimeError: the disk went away); kiosk ssh goes on" in capsys.readouterr().err
    term = await Terminal.open(front.port)
    await term.wait_for(HOME_TEXT)
    term.close()
