"""A session's terminal: a pseudo-terminal whose slave side becomes the kiosk's controlling terminal.

The slave starts in the same input mode Textual sets (no echo, no line editing, no signal
keys), so a Ctrl+C typed while the kiosk is still starting is a key, not a SIGINT. The
master stays with the server (kiosk.ssh.bridge), non-blocking.
"""

from __future__ import annotations

import fcntl
import os
import struct
import termios


def open_pty(width: int, height: int) -> tuple[int, int]:
    """(master, slave) of a new pty at width x height, the slave in raw-ish input mode."""
    master, slave = os.openpty()
    set_size(master, width, height)
    attrs = termios.tcgetattr(slave)
    attrs[0] &= ~(
        termios.IXON | termios.IXOFF | termios.ICRNL | termios.INLCR | termios.IGNCR | termios.BRKINT | termios.ISTRIP
    )
    attrs[3] &= ~(termios.ECHO | termios.ICANON | termios.IEXTEN | termios.ISIG)
    attrs[6][termios.VMIN] = 1
    attrs[6][termios.VTIME] = 0
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    os.set_blocking(master, False)
    return master, slave


def set_size(master: int, width: int, height: int) -> None:
    """Tell the kiosk its terminal's new size (it gets SIGWINCH, as its controlling terminal)."""
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
