"""The server's host key: an ed25519 key made once, kept 0600, reused on every start.

A new host key on every start would train customers to click through the one
warning that protects them, so the key is created only when the file does not
exist, and a key file that others can read is refused, as OpenSSH does.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import asyncssh


class HostKeyError(RuntimeError):
    pass


def load_or_create(path: Path) -> asyncssh.SSHKey:
    if path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise HostKeyError(f"{path} is readable by others (mode {mode:o}); run: chmod 600 {path}")
        try:
            return asyncssh.read_private_key(str(path))
        except (OSError, asyncssh.KeyImportError) as exc:
            raise HostKeyError(f"{path}: cannot read the host key: {exc}") from None
    key = asyncssh.generate_private_key("ssh-ed25519", comment="wallet-kiosk host key")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(key.export_private_key("openssh"))
            handle.flush()
            os.fsync(handle.fileno())
        os.link(tmp, path)  # never overwrites a key another start made meanwhile
    except FileExistsError:
        return load_or_create(path)
    finally:
        tmp.unlink(missing_ok=True)
    return key


def fingerprint(key: asyncssh.SSHKey) -> str:
    """ "SHA256:..." as `ssh` shows it when it first meets the server."""
    return key.get_fingerprint("sha256")
