"""A cache of validated packs, so the kiosk does not re-validate unchanged documents on every start.

Validation is the expensive part of start-up (TOML parsing plus every check),
and over SSH every session is a new process. A document's validated model is
stored under the hash of everything that decides the result: its bytes, its
file name, the channels it may refer to, this kiosk's version, and the date
(validation judges `verified` dates against today: a pack checked while the
clock was wrong, or that has since gone stale, is judged again the next day). Only valid
packs are stored; a broken one is validated (and reported) every time.

What comes out of the cache is the very `Pack` validation made, read in full:
no stand-in type, so no consumer can tell a cached pack from a validated one
(reading all the bundled packs back takes a few milliseconds, and the search
index reads every guide right after the first paint anyway).

The files are pickles, so the cache only trusts files it could have written
itself: in a folder of its own, owned by this user, writable by no one else.
"""

from __future__ import annotations

import datetime as _dt
import os
import pickle
import stat
from collections.abc import Mapping
from pathlib import Path

from kiosk import __version__
from kiosk.errors import Issue, ReadResult
from kiosk.model import Pack

#: Bump when the model or validation changes in a way the kiosk version does not capture.
CACHE_FORMAT = 2
ENV_CACHE = "KIOSK_PACK_CACHE"
#: Entries are kept this long after they were written (a day's entries are read that day only).
KEEP_DAYS = 2


def default_directory(environ: Mapping[str, str] | None = None) -> Path | None:
    """$KIOSK_PACK_CACHE (from `environ`), else `packs` in the platform's cache folder; None when disabled."""
    environ = os.environ if environ is None else environ
    value = environ.get(ENV_CACHE, "")
    if value.lower() in ("0", "off", "no", "false"):
        return None
    if value:
        return Path(value)
    from kiosk import paths  # not needed when the folder is named

    return paths.cache_dir() / "packs"


class PackCache:
    def __init__(self, directory: Path, today: _dt.date | None = None) -> None:
        self.directory = directory
        #: The day validation judges dates against (None: the clock's date, when a key is made).
        self.today = today
        #: Documents served from the cache (tests prove with it that a warm start validates nothing).
        self.hits = 0

    def key(self, data: bytes, filename: str, external: Mapping[str, frozenset[str]] | None) -> str:
        # _blake2 directly: `hashlib` would load OpenSSL at start-up just for this.
        from _blake2 import blake2b

        digest = blake2b(digest_size=32)
        today = self.today or _dt.date.today()  # the validator's default day (kiosk.packfile)
        digest.update(f"{CACHE_FORMAT}\0{__version__}\0{today.isoformat()}\0{filename}\0".encode())
        for pack_id, channel_ids in sorted((external or {}).items()):
            digest.update(f"{pack_id}:{','.join(sorted(channel_ids))}\0".encode())
        digest.update(data)
        return digest.hexdigest()

    def get(self, key: str) -> ReadResult | None:
        """The cached result of validating the document `key` names, or None (validate it then).

        Anything unexpected in the file (damaged, from another format, planted) is a miss.
        """
        entry = self._load(self.directory / f"{key}.pickle")
        if not (isinstance(entry, tuple) and len(entry) == 3):
            return None
        filename, issues, pack = entry
        if not (
            isinstance(filename, str)
            and isinstance(pack, Pack)
            and isinstance(issues, tuple)
            and all(isinstance(issue, Issue) for issue in issues)
        ):
            return None
        self.hits += 1
        return ReadResult(filename, pack, issues)

    def put(self, key: str, result: ReadResult) -> None:
        if result.pack is None or result.errors:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not self._trusted(os.stat(self.directory), folder=True):
                return
            self._write(self.directory / f"{key}.pickle", (result.file, result.issues, result.pack))
        except OSError:
            return  # a read-only or full disk only costs speed
        self._prune()

    def _prune(self) -> None:
        """Forget entries written more than KEEP_DAYS ago: the date is in every key, so they are never read again."""
        import time

        cutoff = time.time() - KEEP_DAYS * 86400
        try:
            for path in self.directory.glob("*.pickle"):
                if path.stat().st_mtime < cutoff:
                    path.unlink()
        except OSError:
            pass  # another process pruned it first, or the folder is read-only: try again next time

    def _load(self, path: Path) -> object:
        try:
            with open(path, "rb") as handle:
                if not self._trusted(os.fstat(handle.fileno())):
                    return None
                return pickle.load(handle)
        except Exception:  # whatever a damaged file makes unpickling raise, it is only a miss
            return None

    def _write(self, path: Path, value: object) -> None:
        from kiosk.atomicfile import write_atomic  # only a cache miss writes

        write_atomic(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def _trusted(self, info: os.stat_result, folder: bool = False) -> bool:
        """Written by this user and not writable by anyone else (so nobody else could plant it)."""
        if info.st_uid != os.getuid():
            return False
        if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return False
        return stat.S_ISDIR(info.st_mode) if folder else stat.S_ISREG(info.st_mode)
