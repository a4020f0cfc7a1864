"""Start the kiosk: settings, environment, packs, then the app in the requested profile.

The one composition root: `prepare()` reads the settings and loads the packs (already in
the operator's order), `build_app()` makes the KioskApp from them. `run()` does both for a
kiosk process of its own; the fork server (kiosk.forkserver.server) prepares once and
builds an app in every session it forks.

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
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import config, exitcodes, oplog, packselect
from kiosk.builtin import BUNDLED_WALLETS
from kiosk.config import Settings
from kiosk.model import GENERAL_PACK_ID
from kiosk.packset import PackSet
from kiosk.profile import Profile

if TYPE_CHECKING:  # Textual, the search libraries, prometheus-client: only build_app() and the textfile load them
    from kiosk.clock import Clock
    from kiosk.metrics import TextfileWriter
    from kiosk.search import SearchIndex
    from kiosk.ui.app import KioskApp


@dataclass(frozen=True)
class Prepared:
    """What the app is built from: the operator's settings, the packs, the notices for staff."""

    settings: Settings
    #: In the operator's order (`settings.pack_order`): the order of the home screen's tiles.
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


def enter_profile(profile: Profile, environ: MutableMapping[str, str] | None = None) -> None:
    """What a kiosk process does first, before Textual is imported and before packs load.

    Kiosk profile: clean the environment and ignore the terminal's signal keys. Remote
    profile: ignore SIGUSR1, the front doors' "ending soon" (kiosk.ssh.bridge), until the app
    handles it; a session still starting must not be killed by it. The fork server calls this
    once for all its sessions (they inherit it across fork).
    """
    if profile is Profile.KIOSK:
        scrub_textual_environment(os.environ if environ is None else environ)
        ignore_terminal_signals()
    elif profile is Profile.REMOTE:
        signal.signal(signal.SIGUSR1, signal.SIG_IGN)
    if profile is not Profile.DEVELOPMENT:
        log_thread_errors()


def log_thread_errors() -> None:
    """A background thread's error (the search index, the metrics file) goes to the operator log.

    Python's default prints the traceback on standard error, which is the customer's terminal
    once the app draws on it.
    """
    import threading

    def to_operator_log(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        name = args.thread.name if args.thread is not None else "unknown"
        oplog.exception(f"a background task of the kiosk failed (thread {name})", args.exc_value)

    threading.excepthook = to_operator_log


def in_operator_order(packs: PackSet, order: Sequence[str]) -> PackSet:
    """The packs the operator names, then the general pack and the bundled wallets in their shipped
    order, then the rest in discovery order (wallet tiles appear in this order)."""
    rank: dict[str, int] = {}
    for pack_id in (*order, GENERAL_PACK_ID, *BUNDLED_WALLETS):
        rank.setdefault(pack_id, len(rank))
    ordered = sorted(packs.packs, key=lambda p: rank.get(p.id, len(rank)))
    return PackSet(packs=tuple(ordered), records=packs.records)


def prepare(
    config_path: Path | None,
    environ: MutableMapping[str, str] | None = None,
    profile: Profile = Profile.KIOSK,
    *,
    named: bool = False,
) -> Prepared:
    """Read the operator config and load packs; every problem becomes a staff notice, none stops us.

    Which packs load and which customers see is `packselect.select_packs`, the same function
    every `kiosk packs` command uses; `profile` decides whether unapproved packs are shown
    (development mode only). The packs come back in the operator's order, so the app and a
    search index built over `packs.packs` (the fork server builds one for all its sessions)
    see the same order. `named`: the operator named the file (`config.is_named`), so a
    missing one is a notice.
    """
    environ = os.environ if environ is None else environ
    loaded = config.load(config_path, named=named)
    settings = loaded.settings
    notices = [str(issue) for issue in loaded.issues]
    if loaded.issues:
        notices.append("running on safe defaults for those keys; run `kiosk config check`")
    notices += use_calendars(settings, environ)

    from kiosk.packcache import PackCache, default_directory

    cache_dir = default_directory(environ)
    selected = packselect.select_packs(
        settings,
        profile,
        config_path=config_path or config.resolve_path(None, environ),
        environ=environ,
        cache=PackCache(cache_dir) if cache_dir else None,
    )
    notices += selected.notices
    packs, problems = with_branch_hours(selected.packs, settings)
    notices += problems
    return Prepared(settings, in_operator_order(packs, settings.pack_order), tuple(notices))


def use_calendars(settings: Settings, environ: Mapping[str, str]) -> list[str]:
    """Use the operator's folder of extra holiday-calendar years; the problems of its files, as notices.

    $KIOSK_CALENDARS_DIR wins over `calendars_dir`, as $KIOSK_PACKS_DIR wins over `packs_dir`.
    A broken file is left out (the kiosk keeps the years it ships and the statutory days).
    """
    # The variable is kiosk.calendars.ENV_CALENDARS_DIR, named here to leave that module unimported.
    folder = environ.get("KIOSK_CALENDARS_DIR", "").strip() or settings.calendars_dir
    if not folder:
        if "kiosk.calendars" in sys.modules:  # prepared before (a reload, a test): no folder now
            sys.modules["kiosk.calendars"].use_calendar_dir(None)
        return []  # nothing to read: the calendars are not even imported before they are needed
    from kiosk import calendars

    calendars.use_calendar_dir(Path(folder).expanduser())
    return [f"holiday calendar: {problem}" for problem in calendars.calendar_dir_problems()]


def with_branch_hours(packs: PackSet, settings: Settings) -> tuple[PackSet, list[str]]:
    """The packs with the branch's own channel hours ([[branch_hours]]) applied, and what did not apply."""
    if not settings.branch_hours:
        return packs, []
    from kiosk.branch_hours import apply_branch_hours  # only a kiosk.toml with such tables needs it

    changed, problems = apply_branch_hours(packs.packs, settings.branch_hours, settings.branch_name)
    return PackSet(packs=changed, records=packs.records), [f"branch_hours: {p}" for p in problems]


@contextlib.contextmanager
def stdout_to_stderr() -> Iterator[None]:
    """Until the driver takes over, everything written to stdout goes to stderr instead.

    Under `kiosk web` stdout is the channel to the front door, which expects the driver's
    prelude as its very first bytes; a pack that prints on import, or anything writing to
    file descriptor 1 directly, must not get there first. On a terminal both are the same
    screen, so nothing changes there.
    """
    for stream in (sys.stdout, sys.__stdout__):
        if stream is not None:
            stream.flush()
    saved: int | None = None
    try:
        stdout_copy = os.dup(1)
    except OSError:  # no stdout at all: nothing to protect
        pass
    else:
        try:
            os.dup2(2, 1)
        except OSError:  # no stderr: leave stdout as it is
            os.close(stdout_copy)
        else:
            saved = stdout_copy
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
def stderr_to(fd: int | None) -> Iterator[None]:
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


def build_app(
    prepared: Prepared,
    profile: Profile,
    *,
    search_index: SearchIndex | None = None,
    clock: Clock | None = None,
) -> KioskApp:
    """The kiosk app, the one place it is made. Imports Textual: only after `enter_profile`.

    `search_index`, if given, must index `prepared.packs.packs` (a server that starts many
    sessions builds it once and shares it); otherwise the app builds its own after the first
    paint. `clock` is the real time unless a test fixes it.
    """
    from kiosk.clock import SystemClock
    from kiosk.ui.app import KioskApp  # Textual is imported only now, after the environment is clean

    return KioskApp(
        packs=prepared.packs,
        clock=clock or SystemClock(),
        settings=prepared.settings,
        profile=profile,
        notices=prepared.notices,
        search_index=search_index,
    )


def run(profile: Profile, config_path: Path | None, notice_fd: int | None = None, *, named: bool = False) -> int:
    """Run the kiosk until it exits; returns the exit code for the supervisor.

    `notice_fd`: where start-up notices go instead of standard error (see `stderr_to`).
    `named`: the operator named the configuration file (see `prepare`). Outside development
    mode an unexpected error, even before the app is up, never puts a traceback on the
    terminal: the operator log gets it, the customer the sorry line, the supervisor exit 14
    (errors inside the app are the app's to handle: kiosk.ui.app).
    """
    enter_profile(profile)
    reported = False
    try:
        # Standard error first, so that standard output, sent to it next, follows it to `notice_fd`.
        with stderr_to(notice_fd), stdout_to_stderr():
            try:
                app, textfile = _start(profile, config_path, named=named)
            except Exception as exc:
                # While standard error still goes to `notice_fd`: a front door logs it for the operator.
                _report_unexpected(profile, exc)
                reported = True
                raise
        try:
            app.run()
        finally:
            if textfile is not None:
                textfile.stop()
    except Exception as exc:
        if profile is Profile.DEVELOPMENT:
            raise
        if not reported:
            _report_unexpected(profile, exc)
        say_sorry()
        return exitcodes.UNEXPECTED_ERROR
    return app.return_code or exitcodes.OK


def _start(profile: Profile, config_path: Path | None, *, named: bool) -> tuple[KioskApp, TextfileWriter | None]:
    # Loading packs creates many long-lived objects; collecting garbage while they are made
    # is wasted work, and once frozen the collector never walks them again.
    gc.disable()
    try:
        prepared = prepare(config_path, profile=profile, named=named)
    finally:
        gc.enable()
        gc.freeze()
    for notice in prepared.notices:
        oplog.notice(notice)
    oplog.screen_taken()  # the app draws on the terminal from here on
    app = build_app(prepared, profile)
    return app, start_metrics_textfile(prepared, profile, config_path, named=named)


def _report_unexpected(profile: Profile, exc: Exception) -> None:
    """The traceback to the operator log (never this terminal, outside development mode)."""
    if profile is Profile.DEVELOPMENT:
        return
    if profile is Profile.KIOSK:
        oplog.screen_taken()  # this terminal is the customer's: the log file or the journal instead
    oplog.exception("the kiosk stopped on an unexpected error; it starts again", exc)


def say_sorry() -> None:
    """The sorry line, in every language, on the terminal (what the app's sorry screen says)."""
    from kiosk.i18n import t
    from kiosk.model import LOCALES

    stream = sys.__stderr__ or sys.stderr
    if stream is None:
        return
    with contextlib.suppress(OSError, ValueError):
        stream.write("\n" + "\n".join(t("crash.sorry", locale) for locale in LOCALES) + "\n")
        stream.flush()


def start_metrics_textfile(
    prepared: Prepared, profile: Profile, config_path: Path | None, *, named: bool = False
) -> TextfileWriter | None:
    """The console kiosk's node_exporter textfile (`metrics_textfile`), kept up to date in the background.

    Only the console kiosk writes one: remote sessions are many short processes, and their
    front doors serve /metrics themselves. prometheus-client is imported by the writer's
    thread at its first write, after the screen is up: never on the start-up path.
    """
    if profile is not Profile.KIOSK or not prepared.settings.metrics_textfile:
        return None
    import datetime as _dt

    from kiosk import configcheck, status
    from kiosk.metrics import TextfileWriter

    def report() -> status.StatusReport:
        checked = configcheck.check(config_path, named=named, packs=prepared.packs) if config_path else None
        return status.evaluate(
            now=_dt.datetime.now(_dt.UTC),
            packs=prepared.packs,
            config_file=str(config_path or "-"),
            config_issues=checked.issues if checked else (),
            max_fact_age_days=prepared.settings.max_fact_age_days,
        )

    return TextfileWriter(Path(prepared.settings.metrics_textfile).expanduser(), report).start()
