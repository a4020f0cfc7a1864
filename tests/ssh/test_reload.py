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
    assert front.settings.max_sessions == 3 and front.admission.rules.max_sessions == 3
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


async def test_a_reload_applies_admission_timers_rates_and_trusted_proxies_to_what_comes_next(server):
    """The [ssh] numbers kiosk.admission and the session timers use change at once; a listener change waits."""
    front = await server.start(max_sessions_per_address=5, trusted_proxies=("127.0.0.9",))
    new_settings = dataclasses.replace(
        front.settings,
        max_sessions_per_address=2,
        max_unauthenticated_per_address=1,
        handshake_timeout=3,
        max_messages_per_second=40,
        trusted_proxies=("127.0.0.10", "10.0.0.0/8"),
    )
    lines = await reload(front, lambda: new_settings)
    assert lines[0].startswith("reloaded"), lines
    rules = front.admission.rules
    assert (rules.max_sessions_per_address, rules.max_unauthenticated_per_address) == (2, 1)
    assert front.settings.handshake_timeout == 3 and front.settings.max_messages_per_second == 40
    assert front.listener is not None
    assert [str(network) for network in front.listener.trusted] == ["127.0.0.10/32", "10.0.0.0/8"]
    # No trusted proxy at all would be a listener without PROXY headers: kept until a restart.
    lines = await reload(front, lambda: dataclasses.replace(front.settings, trusted_proxies=()))
    assert front.settings.trusted_proxies == ("127.0.0.10", "10.0.0.0/8")
    assert any("trusted_proxies" in line and "restarted" in line for line in lines), lines


async def test_a_reload_with_an_empty_password_hash_keeps_the_old_password(server):
    from kiosk.ssh.auth import hash_password

    front = await server.start(auth="password", password_hash=hash_password("correct horse"))
    old_hash = front.settings.password_hash
    lines = await reload(front, lambda: dataclasses.replace(front.settings, password_hash=""))
    assert front.settings.password_hash == old_hash
    assert any("password stays" in line for line in lines), lines
