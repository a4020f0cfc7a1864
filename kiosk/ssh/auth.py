"""Authentication: open (anyone, no password), one shared password (scrypt), or authorized keys.

The password is stored only as a salted scrypt hash (kiosk.hashing), in the same format as the
staff PIN's; it is never logged or printed. The authorized_keys file is read
again whenever it changes, so removing a key takes effect without a restart.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import asyncssh

from kiosk import hashing
from kiosk.config.remote import MIN_PASSWORD

MAX_PASSWORD = 1024


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"the password must be at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise ValueError(f"the password must be at most {MAX_PASSWORD} characters")
    return hashing.hash_secret(password)


def verify_password(password: str, stored: str) -> bool:
    if not stored or len(password) > MAX_PASSWORD:
        return False
    return hashing.verify(password, stored)


class AuthorizedKeys:
    """An OpenSSH authorized_keys file, re-read when it changes (options such as from= are honoured)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: tuple[int, int] | None = None
        self._keys: asyncssh.SSHAuthorizedKeys | None = None
        self.load()

    def load(self) -> None:
        st = os.stat(self.path)
        stamp = (st.st_mtime_ns, st.st_size)
        if stamp != self._stamp:
            self._keys = asyncssh.read_authorized_keys(str(self.path))
            self._stamp = stamp

    def allows(self, key: asyncssh.SSHKey, client_host: str, client_addr: str) -> bool:
        # Keep the last good copy if the file is being rewritten.
        with contextlib.suppress(OSError, ValueError):
            self.load()
        if self._keys is None:
            return False
        return self._keys.validate(key, client_host, client_addr, None, False) is not None
