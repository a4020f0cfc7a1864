"""How locked down a kiosk process is.

Decided once, on the command line (`kiosk`, `kiosk --no-kiosk`, `kiosk --remote`), and passed
down to launch and the app as this enum, never as a bare string. Standard library only:
kiosk.cli imports it to build its parser, and nothing here may load Textual.
"""

from __future__ import annotations

import enum


class Profile(enum.StrEnum):
    """How locked down the app is; the front doors (tty, ssh, web) differ only in this."""

    #: An unattended terminal in a branch: nothing exits but the staff PIN; idle resets in place.
    KIOSK = "kiosk"
    #: Over SSH or the web: the customer may quit (ending the session); idle ends the session.
    REMOTE = "remote"
    #: A developer's terminal: Ctrl+Q quits, no idle reset unless asked for.
    DEVELOPMENT = "development"
