"""Start the kiosk: settings, environment, packs, then the app in the requested profile.

The order matters: the environment is cleaned before Textual is imported
(Textual reads TEXTUAL_* variables at import time), and packs are loaded
before the first screen so start-up failures are known to staff at once.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
from collections.abc import MutableMapping
from dataclasses import dataclass
from pathlib import Path

from kiosk import config, discovery
from kiosk.config import Settings
from kiosk.packset import PackSet, Selection


@dataclass(frozen=True)
class Prepared:
    settings: Settings
    packs: PackSet
    notices: tuple[str, ...]


def scrub_textual_environment(environ: MutableMapping[str, str]) -> list[str]:
    """Remove every TEXTUAL* variable: on a kiosk nobody but this start-up decides how Textual runs.

    TEXTUAL_ALLOW_SIGNALS would let Ctrl+C kill the kiosk, TEXTUAL_DRIVER could
    swap the terminal driver, TEXTUAL=devtools would open a debug channel.
    """
    removed = sorted(name for name in environ if name.startswith("TEXTUAL"))
    for name in removed:
        del environ[name]
    return removed


def ignore_terminal_signals() -> None:
    """Defence in depth: even if the terminal still turned keys into signals, they do nothing."""
    for name in ("SIGINT", "SIGQUIT", "SIGTSTP", "SIGTTIN", "SIGTTOU"):
        signum = getattr(signal, name, None)
        if signum is not None:
            signal.signal(signum, signal.SIG_IGN)


def prepare(config_path: Path | None, environ: MutableMapping[str, str] | None = None) -> Prepared:
    """Read the operator config and load packs; every problem becomes a staff notice, none stops us."""
    environ = os.environ if environ is None else environ
    loaded = config.load(config_path)
    settings = loaded.settings
    notices = [str(issue) for issue in loaded.issues]
    if loaded.issues:
        notices.append("running on safe defaults for those keys; run `kiosk config check`")

    env_selection = Selection.from_environment(environ)
    allow = env_selection.allow
    if allow is None and settings.pack_allow:
        allow = frozenset(settings.pack_allow)
    selection = Selection(allow=allow, block=env_selection.block | frozenset(settings.pack_block))
    local_dir = discovery.local_packs_dir(environ) or (Path(settings.packs_dir) if settings.packs_dir else None)

    from kiosk.packcache import PackCache, default_directory

    cache_dir = default_directory(environ)
    packs = discovery.load_packs(
        selection=selection,
        trace=discovery.trace_stream(environ),
        local_dir=local_dir,
        cache=PackCache(cache_dir) if cache_dir else None,
    )
    for record in packs.quarantined:
        notices.append(f"pack '{record.id}' could not be loaded: {record.error}")
    return Prepared(settings, packs, tuple(notices))


@contextlib.contextmanager
def stdout_to_stderr():
    """Until the driver takes over, everything written to stdout goes to stderr instead.

    Under `kiosk web` stdout is the channel to the front door, which expects the driver's
    prelude as its very first bytes; a pack that prints on import, or anything writing to
    file descriptor 1 directly, must not get there first. On a terminal both are the same
    screen, so nothing changes there.
    """
    for stream in (sys.stdout, sys.__stdout__):
        if stream is not None:
            stream.flush()
    try:
        saved: int | None = os.dup(1)
    except OSError:  # no stdout at all: nothing to protect
        saved = None
    else:
        try:
            os.dup2(2, 1)
        except OSError:  # no stderr: leave stdout as it is
            os.close(saved)
            saved = None
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        if sys.__stdout__ is not None:
            with contextlib.suppress(OSError, ValueError):
                sys.__stdout__.flush()  # what was buffered still goes to stderr
        if saved is not None:
            os.dup2(saved, 1)
            os.close(saved)


@contextlib.contextmanager
def stderr_to(fd: int | None):
    """Until the driver takes over, standard error goes to `fd` (which is closed afterwards).

    Textual draws on standard error, so under `kiosk ssh --spawn exec` it is the customer's
    terminal; start-up notices (a broken configuration, a quarantined pack) and anything a
    pack prints belong in the operator's log instead, which the front door reads from `fd`.
    """
    if fd is None:
        yield
        return
    if sys.stderr is not None:
        sys.stderr.flush()
    saved: int | None = None
    try:
        saved = os.dup(2)
        os.dup2(fd, 2)
    except OSError:  # not an open descriptor (or no stderr): notices stay where they were
        if saved is not None:
            os.close(saved)
            saved = None
    finally:
        with contextlib.suppress(OSError):
            os.close(fd)
    try:
        yield
    finally:
        if saved is not None:
            if sys.stderr is not None:
                with contextlib.suppress(OSError, ValueError):
                    sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def run(profile: str, config_path: Path | None, notice_fd: int | None = None) -> int:
    """Run the kiosk until it exits; returns the exit code for the supervisor.

    `notice_fd`: where start-up notices go instead of standard error (see `stderr_to`).
    """
    if profile == "kiosk":
        scrub_textual_environment(os.environ)
        ignore_terminal_signals()
    elif profile == "remote":
        # The SSH front door's "ending soon" signal; until the app handles it, it must not kill.
        signal.signal(signal.SIGUSR1, signal.SIG_IGN)
    # Standard error first, so that standard output, sent to it next, follows it to `notice_fd`.
    with stderr_to(notice_fd), stdout_to_stderr():
        # Loading packs creates many long-lived objects; collecting garbage while they are made
        # is wasted work, and once frozen the collector never walks them again.
        gc.disable()
        try:
            prepared = prepare(config_path)
        finally:
            gc.enable()
            gc.freeze()
        for notice in prepared.notices:
            print(f"kiosk: {notice}", file=sys.stderr)

        from kiosk.clock import SystemClock
        from kiosk.ui.app import KioskApp  # Textual is imported only now, after the environment is clean

        app = KioskApp(
            packs=prepared.packs,
            clock=SystemClock(),
            settings=prepared.settings,
            profile=profile,
            notices=prepared.notices,
        )
    app.run()
    return app.return_code or 0
