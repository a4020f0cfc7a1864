"""Replacing a file so that nobody ever reads half of it: write a temporary file beside it, then rename.

The configuration and the pack cache both write this way. A crash, a full
disk or a reader at the wrong moment sees the old file or the new one, never
a mix; the temporary file is removed when anything goes wrong.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, durable: bool = False, keep_owner_and_mode: bool = False) -> None:
    """Replace `path` with `data`, readable and writable by its owner only.

    `durable` also flushes the data to the disk before the rename, so a power
    cut cannot leave an empty file: the configuration wants that, a cache that
    is rebuilt anyway does not pay for it. `keep_owner_and_mode` gives the new
    file the old one's mode and owner (an operator's file that root edits for
    the kiosk's user stays the kiosk user's).
    """
    previous = None
    if keep_owner_and_mode:
        with contextlib.suppress(FileNotFoundError):
            previous = os.stat(path)
    import tempfile  # only writing needs it; reading at start-up does not

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        # mkstemp creates the file 0600 already; said again because the config may hold the PIN hash.
        os.chmod(tmp, 0o600)
        if previous is not None:
            if (previous.st_uid, previous.st_gid) != (os.getuid(), os.getgid()):
                os.chown(tmp, previous.st_uid, previous.st_gid)
            os.chmod(tmp, previous.st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
