"""The operator log: one route for what an operator should see and a customer must not.

Start-up notices (a broken kiosk.toml, a quarantined pack), events and crash tracebacks all
go through here, and where they go is decided at each message:

1. Under systemd, with standard error already connected to the journal (`JOURNAL_STREAM`
   names standard error's device and inode, as in the ssh and web units): one line on
   standard error, with the syslog priority prefix journald reads ("<5>kiosk: ...").
2. Under systemd otherwise (`INVOCATION_ID` or `JOURNAL_STREAM` set, as systemd does for a
   service; the console unit, where standard error is the terminal the kiosk draws on): one
   datagram to the journal's own socket in its native protocol, with MESSAGE=, PRIORITY=,
   SYSLOG_IDENTIFIER=wallet-kiosk, KIOSK_EVENT= and each event field as KIOSK_<NAME>=.
   Never the terminal.
3. Elsewhere: standard error until the app takes the screen (`screen_taken()`), and from then
   on the file $XDG_STATE_HOME/wallet-kiosk/operator.log (mode 0600).
If the journal cannot be reached, the message goes to that file; if the file cannot be
written either, it is dropped: the operator log never stops the kiosk.

Everything written is sanitised (kiosk.textsafety, then no tabs or line breaks where a line is
expected) and bounded in length, since texts carry pack data, paths and exception messages.
Tracebacks never show local variables: those can hold what a customer typed.

`KIOSK_JOURNAL_SOCKET` names another journal socket and, set, chooses route 2 even without
systemd. It exists for tests, which stand in a socket of their own for journald's.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import re
import sys
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.textsafety import sanitise

if TYPE_CHECKING:
    import socket

#: syslog priorities (journald's PRIORITY= field).
ERR, WARNING, NOTICE, INFO = 3, 4, 5, 6
_LEVEL_NAMES = {ERR: "error", WARNING: "warning", NOTICE: "notice", INFO: "info"}

#: The routes `route()` reports.
JOURNAL = "journal"
JOURNAL_STREAM = "journal-stream"
STDERR = "stderr"
FILE = "file"

IDENTIFIER = "wallet-kiosk"
JOURNAL_SOCKET = "/run/systemd/journal/socket"
ENV_JOURNAL_SOCKET = "KIOSK_JOURNAL_SOCKET"  # tests only: where the journal's socket is
LOG_FILE_NAME = "operator.log"

#: Bounds on what one message may carry.
MAX_TEXT = 2000  # characters of a notice, an event's message or one traceback line
MAX_VALUE = 500  # characters of one event field
MAX_FIELDS = 32
MAX_TRACEBACK_LINES = 200
MAX_TRACEBACK_CHARS = 16000
#: A log file larger than this is moved aside to operator.log.1 (replacing it) before a write.
MAX_FILE_BYTES = 1024 * 1024
#: Seconds a send to the journal may wait (journald busy) before the file is used instead.
SEND_TIMEOUT = 1.0

_NAME = re.compile(r"[a-z][a-z0-9_]{0,47}\Z")
_RESERVED_FIELDS = frozenset({"event", "exception"})

_lock = threading.Lock()
_journal: socket.socket | None = None
_screen_taken = False


def _after_fork_in_child() -> None:
    # A fork while another thread held the lock would leave the child waiting for ever.
    global _lock
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_after_fork_in_child)


def notice(text: str) -> None:
    """Something staff should know and act on: a broken setting, a pack that did not load."""
    _emit(NOTICE, "notice", _one_line(text, MAX_TEXT), {})


def event(name: str, /, *, priority: int = INFO, **fields: object) -> None:
    """A named event with fields, e.g. event("staff_login", outcome="refused", tries_left=3).

    `name` and field names are lowercase identifiers (they become KIOSK_EVENT=name and
    KIOSK_<FIELD>= in the journal); values are turned into sanitised text.
    """
    if not _NAME.match(name):
        raise ValueError(f"event name {name!r} is not a lowercase identifier")
    if priority not in range(8):
        raise ValueError(f"priority {priority!r} is not a syslog priority (0-7)")
    if len(fields) > MAX_FIELDS:
        raise ValueError(f"event {name!r} has {len(fields)} fields; at most {MAX_FIELDS}")
    values: dict[str, str] = {}
    for key, value in fields.items():
        if not _NAME.match(key) or key in _RESERVED_FIELDS:
            raise ValueError(f"event field {key!r} is not a lowercase identifier, or is reserved")
        values[key] = _one_line("" if value is None else _text_of(value), MAX_VALUE)
    message = " ".join([name, *(f"{key}={_quoted(value)}" for key, value in values.items())])
    _emit(priority, name, message, values)


def exception(text: str, exc: BaseException) -> None:
    """An error with its traceback (file, line and code of each frame; never local variables)."""
    import traceback  # only for a crash: not on every start-up's import path

    formatted = traceback.TracebackException.from_exception(exc, capture_locals=False).format()
    tb_lines = [_one_line(line, MAX_TEXT) for chunk in formatted for line in chunk.rstrip("\n").split("\n")]
    lines = [_one_line(text, MAX_TEXT), *_bounded(tb_lines)]
    kind = type(exc)
    name = kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
    _emit(ERR, "exception", "\n".join(lines), {"exception": _one_line(name, MAX_VALUE)})


def failure(text: str, detail: Iterable[str] = ()) -> None:
    """An error known only as text (a traceback someone else formatted): `text`, then `detail`.

    For Textual's input thread, which hands over a traceback already made; it carries no
    local variables (only `exception` formats tracebacks here, and never with them).
    """
    lines = [_one_line(text, MAX_TEXT), *_bounded([_one_line(line, MAX_TEXT) for line in detail])]
    _emit(ERR, "exception", "\n".join(lines), {"exception": "unknown"})


def screen_taken() -> None:
    """From now on the app draws on the terminal: outside systemd, messages go to the log file."""
    global _screen_taken
    _screen_taken = True


def route(environ: Mapping[str, str] | None = None) -> str:
    """Where the next message would go (before any fallback): one of JOURNAL, JOURNAL_STREAM,
    STDERR, FILE."""
    environ = os.environ if environ is None else environ
    stream = environ.get("JOURNAL_STREAM", "")
    if stream and stream == _stderr_identity():
        return JOURNAL_STREAM
    if stream or environ.get("INVOCATION_ID") or environ.get(ENV_JOURNAL_SOCKET):
        return JOURNAL
    return FILE if _screen_taken else STDERR


def log_file() -> Path:
    """operator.log in the state folder: $XDG_STATE_HOME/wallet-kiosk (~/.local/state/wallet-kiosk)."""
    from kiosk import paths  # only the file route needs it (platformdirs, on first use)

    return paths.state_dir() / LOG_FILE_NAME


# -- routes ------------------------------------------------------------------------------


def _emit(priority: int, event_name: str, message: str, fields: Mapping[str, str]) -> None:
    with _lock:
        chosen = route()
        if chosen == JOURNAL and _send_to_journal(priority, event_name, message, fields):
            return
        if chosen in (JOURNAL_STREAM, STDERR):
            prefix = f"<{priority}>kiosk: " if chosen == JOURNAL_STREAM else "kiosk: "
            if _write_stderr("".join(f"{prefix}{line}\n" for line in message.split("\n"))):
                return
        _append_to_file(priority, message)


def _send_to_journal(priority: int, event_name: str, message: str, fields: Mapping[str, str]) -> bool:
    global _journal
    datagram = b"".join(
        [
            _journal_field("MESSAGE", message),
            _journal_field("PRIORITY", str(priority)),
            _journal_field("SYSLOG_IDENTIFIER", IDENTIFIER),
            _journal_field("KIOSK_EVENT", event_name),
            *(_journal_field(f"KIOSK_{key.upper()}", value) for key, value in fields.items()),
        ]
    )
    path = os.environ.get(ENV_JOURNAL_SOCKET) or JOURNAL_SOCKET
    try:
        if _journal is None:
            import socket  # only under systemd: not on every start-up's import path

            _journal = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            _journal.settimeout(SEND_TIMEOUT)
        _journal.sendto(datagram, path)
    except OSError:
        return False
    return True


def _journal_field(name: str, value: str) -> bytes:
    """One field in journald's native protocol: NAME=value, or length-prefixed if multi-line."""
    data = value.encode("utf-8", "replace")
    if b"\n" in data:
        return name.encode("ascii") + b"\n" + len(data).to_bytes(8, "little") + data + b"\n"
    return name.encode("ascii") + b"=" + data + b"\n"


def _write_stderr(text: str) -> bool:
    # Straight to descriptor 2: while the app runs, sys.stderr is the app's print capture, and
    # whatever Python has buffered for descriptor 2 goes first, to keep the order.
    for stream in (sys.stderr, sys.__stderr__):
        if stream is not None:
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
    data = text.encode("utf-8", "replace")
    try:
        while data:
            data = data[os.write(2, data) :]
    except OSError:
        return False
    return True


def _append_to_file(priority: int, message: str) -> None:
    path = log_file()
    stamp = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
    head = f"{stamp} [{os.getpid()}] {_LEVEL_NAMES.get(priority, str(priority))}: "
    data = "".join(f"{head}{line}\n" for line in message.split("\n")).encode("utf-8", "replace")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_size > MAX_FILE_BYTES:
                os.replace(path, path.with_name(LOG_FILE_NAME + ".1"))
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            if os.fstat(fd).st_mode & 0o777 != 0o600:
                os.fchmod(fd, 0o600)
            os.write(fd, data)
        finally:
            os.close(fd)
    except OSError:
        pass  # nowhere left to write; the kiosk goes on


# -- text --------------------------------------------------------------------------------


def _one_line(text: str, limit: int) -> str:
    """`text` safe for one log line: no control characters, tabs or line breaks, at most `limit`."""
    cleaned = sanitise(text).replace("\t", " ").replace("\n", " ⏎ ")
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def _bounded(lines: list[str]) -> list[str]:
    """At most MAX_TRACEBACK_LINES lines and MAX_TRACEBACK_CHARS characters of a traceback.

    The end says where it failed, the start how it began: a long one keeps a quarter of the
    budget for its first lines and the rest for its last, with a line saying what is left out.
    """
    if len(lines) <= MAX_TRACEBACK_LINES and sum(map(len, lines)) <= MAX_TRACEBACK_CHARS:
        return lines

    def within(candidates: list[str], max_lines: int, max_chars: int) -> list[str]:
        kept: list[str] = []
        for line in candidates[:max_lines]:
            max_chars -= len(line)
            if max_chars < 0:
                break
            kept.append(line)
        return kept

    head = within(lines, MAX_TRACEBACK_LINES // 4, MAX_TRACEBACK_CHARS // 4)
    tail = within(lines[len(head) :][::-1], MAX_TRACEBACK_LINES - len(head) - 1, MAX_TRACEBACK_CHARS * 3 // 4)[::-1]
    return [*head, f"... ({len(lines) - len(head) - len(tail)} lines left out)", *tail]


def _text_of(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _quoted(value: str) -> str:
    if value and not any(char in value for char in ' "=\\'):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _stderr_identity() -> str:
    """Standard error's "device:inode", in the form systemd puts in JOURNAL_STREAM."""
    try:
        st = os.fstat(2)
    except OSError:
        return ""
    return f"{st.st_dev}:{st.st_ino}"
