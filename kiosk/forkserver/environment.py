"""What a remote session's kiosk is given by its front door: an environment and a terminal size.

The same rules for every way a session's process starts (forked by the fork server, or
exec'ed by `kiosk ssh --spawn exec`) and for both front doors, so a customer cannot get
a different kiosk by choosing another door.

The environment is built from scratch: a minimal PATH, LANG=C.UTF-8, the client's TERM
mapped through an allow-list, HOME in a fresh empty folder, the server's resolved pack
cache (so sessions share validated packs), and a few of the server's own pack-selection
variables. Nothing the client sent (SSH `env` requests, say) is ever read. COLUMNS and
LINES are deliberately not set for a terminal: `shutil.get_terminal_size()`, which Textual
uses on SIGWINCH, prefers them to the terminal's real size, so they would pin the first
size and break resizing.

Standard library only: the fork server and both front doors import this.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

#: TERM values passed through as they are; anything else becomes DEFAULT_TERM.
ALLOWED_TERMS = frozenset(
    {"xterm-256color", "xterm", "screen-256color", "screen", "tmux-256color", "tmux", "linux", "vt100"}
)
DEFAULT_TERM = "xterm-256color"
#: The server's own variables a session may inherit (pack selection chosen by the operator).
SERVER_PASSTHROUGH = ("PYTHONPATH", "KIOSK_PACKS_DIR", "KIOSK_PACKS_ALLOW", "KIOSK_PACKS_BLOCK")

#: The size a session gets when its client does not say (SSH clients may send 0x0: "unknown").
DEFAULT_SIZE = (80, 24)
#: The smallest terminal (columns, rows) a client may claim: at 20x6 the header's language
#: switch and the footer's keys are still on screen; below it a customer has no way on.
MIN_SIZE = (20, 6)
#: The largest: every real screen fits (a 4K monitor in a tiny 6x12-pixel font is 640x180
#: cells). Beyond it a client would only make the kiosk draw, and the server send, frames
#: nobody can see.
MAX_SIZE = (640, 200)


def map_term(term: str | None) -> str:
    return term if term in ALLOWED_TERMS else DEFAULT_TERM


def clamp_size(width: int, height: int) -> tuple[int, int]:
    """A terminal size within MIN_SIZE..MAX_SIZE; a size that is not positive is unknown: DEFAULT_SIZE."""
    if width <= 0 or height <= 0:
        return DEFAULT_SIZE
    return min(max(width, MIN_SIZE[0]), MAX_SIZE[0]), min(max(height, MIN_SIZE[1]), MAX_SIZE[1])


def size_from_client(width: object, height: object) -> tuple[int, int] | None:
    """`clamp_size` of what a client sent as text or JSON; None if either is not a whole number."""
    values = []
    for value in (width, height):
        if isinstance(value, str):
            try:
                value = int(value)
            except ValueError:
                return None
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        values.append(value)
    return clamp_size(values[0], values[1])


def base_environment(server_environ: Mapping[str, str], cache_dir: Path | None) -> dict[str, str]:
    """What every session's kiosk gets, whoever connects."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "KIOSK_PACK_CACHE": str(cache_dir) if cache_dir else "off",
    }
    for name in SERVER_PASSTHROUGH:
        if server_environ.get(name):
            env[name] = server_environ[name]
    return env


def session_environment(base: Mapping[str, str], term: str | None, home: str) -> dict[str, str]:
    """One session's environment: the base, the client's TERM (mapped) and the session's own HOME."""
    return {**base, "TERM": map_term(term), "HOME": home}
