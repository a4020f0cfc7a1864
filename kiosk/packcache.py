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
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, cast

from kiosk import __version__
from kiosk.errors import ReadResult
from kiosk.model import Manifest, Pack

#: Bump when the model or validation changes in a way the kiosk version does not capture.
CACHE_FORMAT = 1
ENV_CACHE = "KIOSK_PACK_CACHE"


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
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        #: Documents served from the cache (tests prove with it that a warm start validates nothing).
        self.hits = 0

    def key(self, data: bytes, filename: str, external: Mapping[str, frozenset[str]] | None) -> str:
        # _blake2 directly: `hashlib` would load OpenSSL at start-up just for this.
        from _blake2 import blake2b

        digest = blake2b(digest_size=32)
        digest.update(f"{CACHE_FORMAT}\0{__version__}\0{filename}\0".encode())
        for pack_id, channel_ids in sorted((external or {}).items()):
            digest.update(f"{pack_id}:{','.join(sorted(channel_ids))}\0".encode())
        digest.update(data)
        return digest.hexdigest()

    def get(self, key: str, fallback: Callable[[], Pack] | None = None) -> ReadResult | None:
        """The cached result; its pack's content (guides, channels...) is read on first use.

        `fallback` rebuilds the pack from its document if the cached content turns
        out to be unreadable by then (a damaged or deleted cache file must never
        take the kiosk down mid-visit).
        """
        head = self._load(self.directory / f"{key}.head.pickle")
        body = self.directory / f"{key}.pickle"
        if not (isinstance(head, tuple) and len(head) == 4 and isinstance(head[2], Manifest)) or not body.exists():
            return None
        filename, fmt, manifest, issues = head
        self.hits += 1
        lazy = LazyPack(fmt, manifest, lambda: self._load(body), fallback)
        # A LazyPack answers everything a Pack does (see its docstring), so it stands in for one.
        return ReadResult(filename, cast(Pack, lazy), issues)

    def put(self, key: str, result: ReadResult) -> None:
        if result.pack is None or result.errors:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not self._trusted(os.stat(self.directory), folder=True):
                return
            # The body first: a head without its body is never trusted (see `get`).
            self._write(self.directory / f"{key}.pickle", result.pack)
            self._write(
                self.directory / f"{key}.head.pickle",
                (result.file, result.pack.format, result.pack.pack, result.issues),
            )
        except OSError:
            pass  # a read-only or full disk only costs speed

    def _load(self, path: Path) -> object:
        try:
            with open(path, "rb") as handle:
                if not self._trusted(os.fstat(handle.fileno())):
                    return None
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
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


class LazyPack:
    """A validated pack whose manifest is known now and whose content is read when first used.

    Start-up needs only names and colours (the home tiles); reading every
    guide of every installed pack before the first screen would make start-up
    grow with the number of packs. It answers like a `Pack`: `.pack`, `.id`,
    `.format` at once, everything else (`.guides`, `.channel(id)`, ...) from
    the full pack, loaded once, from any thread.
    """

    def __init__(
        self, fmt: int, manifest: Manifest, load: Callable[[], object], fallback: Callable[[], Pack] | None = None
    ) -> None:
        self.format = fmt
        self.pack = manifest
        self._load = load
        self._fallback = fallback
        self._full: Pack | None = None
        self._lock = threading.Lock()

    @property
    def id(self) -> str:
        return self.pack.id

    def full(self) -> Pack:
        if self._full is None:
            with self._lock:
                if self._full is None:
                    loaded = self._load()
                    if (not isinstance(loaded, Pack) or loaded.pack != self.pack) and self._fallback is not None:
                        loaded = self._fallback()
                    if not isinstance(loaded, Pack):
                        raise RuntimeError(
                            f"the cached content of pack '{self.pack.id}' is missing or damaged; "
                            "delete the pack cache folder"
                        )
                    self._full = loaded
        return self._full

    def __getattr__(self, name: str) -> Any:  # whatever the Pack's attribute is
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.full(), name)

    def __eq__(self, other: object) -> bool:
        other_pack = other.full() if isinstance(other, LazyPack) else other
        return self.full() == other_pack

    def __hash__(self) -> int:
        return hash(self.pack.id)

    def __repr__(self) -> str:
        return f"LazyPack({self.pack.id!r})"
