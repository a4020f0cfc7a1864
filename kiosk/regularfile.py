"""Read a document the kiosk did not write (a pack, a local pack file) without trusting what it is.

`Path.read_bytes()` on whatever sits under a `.toml` name can hang start-up for ever (a FIFO
nobody writes to) or read until memory runs out (a symlink to /dev/zero, a 50 MB file). Here
the file is opened without blocking, must be a regular file once open (so a swap after a
check cannot fool it), and is read only up to a limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

#: The largest pack document read. A bundled pack is about 100 KB; ten times that is generous.
MAX_DOCUMENT_BYTES = 1024 * 1024


class FileRefused(OSError):
    """The file is not read: it is not a regular file, or it is larger than allowed."""


def read_regular_file(path: str | os.PathLike[str], limit: int = MAX_DOCUMENT_BYTES) -> bytes:
    """The bytes of `path`, a regular file of at most `limit` bytes; FileRefused (an OSError) otherwise."""
    # O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(f"{Path(path)} is not a regular file ({file_kind(info.st_mode)}); only files are read")
        if info.st_size > limit:
            raise FileRefused(f"{Path(path)} is {info.st_size} bytes, more than the {limit} a document may have")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:  # the file may grow while it is read: never more than limit + 1 bytes
            chunk = os.read(fd, min(65536, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise FileRefused(f"{Path(path)} is more than the {limit} bytes a document may have")
        return b"".join(chunks)
    finally:
        os.close(fd)


def file_kind(mode: int) -> str:
    """What a file that is not a regular one is, in words (from its st_mode)."""
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a plain file"


__all__ = ["MAX_DOCUMENT_BYTES", "FileRefused", "file_kind", "read_regular_file"]
