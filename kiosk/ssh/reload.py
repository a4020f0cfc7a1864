"""SIGHUP for `kiosk ssh`: read kiosk.toml again, for the sessions that start from now on.

Open sessions go on exactly as they are (their kiosk, their idle and length
limits). What changes at once:

- every limit and timer of `[ssh]` (kiosk.admission's caps and rates, the
  handshake timeout, login grace, session wait, failed attempts, the message
  rate, idle and length limits of new sessions), the shared password (an empty
  `password_hash` keeps the old one), the authorized_keys file and the trusted
  proxies (a list that becomes empty, or one that was empty, changes the
  listener: that needs a restart);
- the access log is opened again (after logrotate moved it: no copytruncate);
- the packs: a new fork server loads them (and the configuration) for new
  sessions; the old one stays until its last session ends (`spawn = "exec"`
  starts every session from scratch anyway);
- `metrics_listen`.

`listen`, `auth`, `host_key` and `spawn` need a restart (`systemctl restart`):
they are kept, and the log says so. A file with problems in `[ssh]` changes
nothing: the server keeps what it had and says why, as a start would.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import proxy_protocol
from kiosk.config.remote import SshSettings
from kiosk.ssh import auth
from kiosk.ssh.accesslog import AccessLog
from kiosk.ssh.child import ForkServerSpawner, Spawner

if TYPE_CHECKING:
    from kiosk.ssh.server import FrontDoor

#: Settings the listening server was built with: a change takes effect at the next start.
NEEDS_RESTART = ("listen", "auth", "host_key", "spawn")


class ReloadRefused(ValueError):
    """The configuration has problems: nothing was changed."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


async def reload(front: FrontDoor, read: Callable[[], SshSettings]) -> list[str]:
    """Apply the settings `read()` returns; lines for the log (what changed, what waits for a restart)."""
    try:
        new = read()
    except ReloadRefused as exc:
        return [f"reload: {problem}" for problem in exc.problems] + [
            "reload refused: fix the configuration first (`kiosk config check`); nothing changed"
        ]
    old = front.settings
    kept = [key for key in NEEDS_RESTART if getattr(old, key) != getattr(new, key)]
    if bool(old.trusted_proxies) != bool(new.trusted_proxies):
        kept.append("trusted_proxies")  # PROXY headers or none: a different listener
    settings = dataclasses.replace(new, **{key: getattr(old, key) for key in kept})
    lines = []
    if settings.auth == "password" and not settings.password_hash:
        settings = dataclasses.replace(settings, password_hash=old.password_hash)
        lines.append("password_hash is empty: the old password stays")
    authorized = front.authorized_keys
    if settings.auth == "keys":
        try:
            authorized = auth.AuthorizedKeys(Path(settings.authorized_keys).expanduser())
        except (OSError, ValueError) as exc:
            return [f"reload refused: cannot read authorized_keys: {exc}; nothing changed"]
    trusted = proxy_protocol.parse_networks(settings.trusted_proxies)  # checked with the file: no ValueError
    try:
        access_log = AccessLog(settings.access_log)
    except OSError as exc:
        return [f"reload refused: cannot open the access log {settings.access_log}: {exc}; nothing changed"]
    spawner = await _new_spawner(front)
    if isinstance(spawner, str):
        access_log.close()
        return [f"reload refused: {spawner}; nothing changed"]
    front.settings = settings
    front.admission.rules = settings.admission_rules()
    front.trusted_proxies = trusted
    if front.listener is not None:
        front.listener.trusted = front.trusted_proxies
    front.authorized_keys = authorized
    old_log, front.access_log = front.access_log, access_log
    old_log.close()
    if spawner is not None:
        _retire(front, front.spawner)
        front.spawner = spawner
        lines.append("new sessions get a new fork server with the packs and settings as they are now")
    front.health.reload(settings.metrics_listen)
    lines.insert(
        0,
        f"reloaded: at most {settings.max_sessions} sessions ({settings.max_sessions_per_address} per address); "
        f"{len(front.bridges)} open session(s) go on",
    )
    if kept:
        lines.append(f"{', '.join(kept)} changed: they take effect when kiosk ssh is restarted")
    return lines


async def _new_spawner(front: FrontDoor) -> Spawner | str | None:
    """A started fork server for new sessions (None with spawn = "exec"), or why it failed."""
    current = front.spawner
    if not isinstance(current, ForkServerSpawner):
        return None
    spawner = ForkServerSpawner(front.config_path, current.client.environ, current.client.observe_dir)
    try:
        await spawner.start()
    except Exception as exc:  # the packs or the configuration no longer start a kiosk
        await spawner.close()
        return f"the new fork server did not start: {exc}"
    return spawner


def _retire(front: FrontDoor, spawner: Spawner) -> None:
    """Close `spawner` once the sessions open now have ended (or the server stops).

    Sessions open now may come from it or from an older one still retiring: waiting for all of
    them is never too early, and costs nothing but a process for a little longer.
    """
    children = list(front.children.values())

    async def when_done() -> None:
        await asyncio.gather(*(child.exited for child in children), return_exceptions=True)
        await spawner.close()

    task = asyncio.get_running_loop().create_task(when_done())
    front.retiring.add(task)
    task.add_done_callback(front.retiring.discard)


async def close_retired(front: FrontDoor) -> None:
    """At shutdown, after every session ended: wait for the old fork servers to stop."""
    if front.retiring:
        await asyncio.gather(*list(front.retiring), return_exceptions=True)


__all__ = ["NEEDS_RESTART", "ReloadRefused", "close_retired", "reload"]
