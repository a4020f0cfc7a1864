"""Replacing a file so that nobody ever reads half of it: write a temporary file beside it, then rename.

The configuration and the pack cache both write this way. A crash, a full
disk or a reader at the wrong moment sees the old file or the new one, never
a mix; the temporary file is removed when anything goes wrong.
"""

from __future__ import annotations

import os
from pathlib import Path


def write_atomic(
    path: Path, data: bytes, *, durable: bool = False, mode: int = 0o600, owner: tuple[int, int] | None = None
) -> None:
    """Replace `path` with `data`, readable and writable by its owner only unless `mode` says otherwise.

    `durable` also flushes the data to the disk before the rename, so a power
    cut cannot leave an empty file: the configuration wants that, a cache that
    is rebuilt anyway does not pay for it. `owner` (uid, gid) gives the new file
    the owner and group of the one it replaces (changing the owner needs root:
    PermissionError otherwise, and nothing is replaced).
    """
    import tempfile  # only writing needs it; reading at start-up does not

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if owner is not None:
                stat = os.fstat(handle.fileno())
                if (stat.st_uid, stat.st_gid) != owner:
                    os.fchown(handle.fileno(), *owner)
            # mkstemp creates the file 0600 already; said again because the config may hold the PIN hash
            # (and after a change of owner, which may clear mode bits).
            os.fchmod(handle.fileno(), mode)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
