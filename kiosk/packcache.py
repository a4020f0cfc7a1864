"""A cache of validated packs, so the kiosk does not re-validate unchanged documents on every start.

Validation is the expensive part of start-up (TOML parsing plus every check),
and over SSH every session is a new process. A document's validated model is
stored under the hash of everything that decides the result: its bytes, its
file name, the channels it may refer to, and this kiosk's version. Only valid
packs are stored; a broken one is validated (and reported) every time.

The files are pickles, so the cache only trusts files it could have written
itself: in a folder of its own, owned by this user, writable by no one else.
"""

from __future__ import annotations

import os
import pickle
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path

from kiosk import __version__
from kiosk.packfile import ReadResult

#: Bump when the model or validation changes in a way the kiosk version does not capture.
CACHE_FORMAT = 1
ENV_CACHE = "KIOSK_PACK_CACHE"


def default_directory(environ: Mapping[str, str] | None = None) -> Path | None:
    """$KIOSK_PACK_CACHE, else $XDG_CACHE_HOME or ~/.cache under wallet-kiosk/packs; None when disabled."""
    environ = os.environ if environ is None else environ
    value = environ.get(ENV_CACHE, "")
    if value.lower() in ("0", "off", "no", "false"):
        return None
    if value:
        return Path(value)
    base = environ.get("XDG_CACHE_HOME") or str(Path(environ.get("HOME", "~")).expanduser() / ".cache")
    return Path(base) / "wallet-kiosk" / "packs"


class PackCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.hits = 0
        self.misses = 0

    def key(self, data: bytes, filename: str, external: Mapping[str, frozenset[str]] | None) -> str:
        # _blake2 directly: `hashlib` would load OpenSSL at start-up just for this.
        from _blake2 import blake2b

        digest = blake2b(digest_size=32)
        digest.update(f"{CACHE_FORMAT}\0{__version__}\0{filename}\0".encode())
        for pack_id in sorted(external or {}):
            digest.update(f"{pack_id}:{','.join(sorted(external[pack_id]))}\0".encode())
        digest.update(data)
        return digest.hexdigest()

    def get(self, key: str) -> ReadResult | None:
        path = self.directory / f"{key}.pickle"
        try:
            with open(path, "rb") as handle:
                info = os.fstat(handle.fileno())
                if not self._trusted(info):
                    return None
                result = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            self.misses += 1
            return None
        if not isinstance(result, ReadResult) or result.pack is None or result.errors:
            self.misses += 1
            return None
        self.hits += 1
        return result

    def put(self, key: str, result: ReadResult) -> None:
        if result.pack is None or result.errors:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not self._trusted(os.stat(self.directory), folder=True):
                return
            fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    pickle.dump(result, handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, self.directory / f"{key}.pickle")
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            pass  # a read-only or full disk only costs speed

    def _trusted(self, info: os.stat_result, folder: bool = False) -> bool:
        """Written by this user and not writable by anyone else (so nobody else could plant it)."""
        if info.st_uid != os.getuid():
            return False
        if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return False
        return stat.S_ISDIR(info.st_mode) if folder else stat.S_ISREG(info.st_mode)
