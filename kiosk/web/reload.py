"""SIGHUP for `kiosk web`: read kiosk.toml again, for the sessions that start from now on.

What changes at once: the `[ssh]` rules tabs follow (the session cap, unless
`--max-sessions` was given, kiosk.admission's per-address caps and rates, the
idle and length limits and the message rate of new tabs) and the metrics
address (`[web]` metrics_listen). With tabs forked by the fork server, a new
fork server loads the packs and the configuration as they are now for new tabs;
the old one stays until the tabs open now have ended (a new one that does not
start leaves the old one serving). Open tabs go on as they are. A file with problems in `[ssh]` or
`[web]` changes nothing: the door keeps what it had and says why.
"""

from __future__ import annotations

import logging
from pathlib import Path

from kiosk.web.server import KioskServer

log = logging.getLogger("kiosk.web")


def reloader(server: KioskServer, config_path: Path, *, fixed_max_sessions: bool) -> None:
    """Make SIGHUP re-read `config_path` for `server`."""

    def reload() -> None:
        from kiosk import config
        from kiosk.config import remote, webdoor

        loaded = config.load(config_path, named=True)
        problems = [i for i in loaded.issues if str(i.field).split(".")[0] in (remote.TABLE, webdoor.TABLE)]
        if problems:
            for issue in problems:
                log.warning("reload: %s", issue)
            log.warning("reload refused: fix the configuration first (`kiosk config check`); nothing changed")
            return
        settings = remote.resolve(loaded.settings.ssh)
        server.apply_settings(settings, None if fixed_max_sessions else settings.max_sessions)
        server.health.reload(webdoor.resolve(loaded.settings.web).metrics_listen)
        metrics = server.health.metrics_address
        log.info(
            "reloaded %s: at most %d sessions at once, metrics %s; open sessions go on",
            config_path,
            server.max_sessions,
            f"on http://{metrics}/metrics" if metrics else "off",
        )

        async def new_fork_server() -> None:
            try:
                said = await server.replace_spawner()
            except Exception as exc:  # a reload must never take the door down
                said = f"no new fork server ({type(exc).__name__}: {exc}); new tabs still come from the old one"
            if said:
                log.info("reload: %s", said)

        server.keep(new_fork_server())

    server.on_reload = reload


__all__ = ["reloader"]
