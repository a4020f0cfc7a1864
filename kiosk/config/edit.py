"""Changing an operator's kiosk.toml the way a careful person would with an editor.

`kiosk config set`, `kiosk config set-pin` and `kiosk ssh --set-password` change
one or two keys of a file the operator wrote: every comment (change tickets,
reasons), the order, the layout, and the file's owner, group and mode must
survive (a file installed `-o kiosk -m 0600` and edited with `sudo` must still be
readable by the `kiosk` user). tomlkit edits the document in place; the result
is checked as a whole before anything is written, and replaces the file
atomically. A new file is generated as `kiosk config init` writes one.

An edit is refused when it adds a problem; problems the file already had
elsewhere do not block it (the edit that fixes one of them is often the one
being made: `auth = "password"` waits for its password hash), and are returned
so the caller can say what is still to fix.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kiosk import config
from kiosk.config import ConfigError, Settings
from kiosk.errors import Issue

#: A key of kiosk.toml: ("branch_name",) at the top level, ("ssh", "auth") in the [ssh] table.
KeyPath = tuple[str, ...]


@dataclass(frozen=True)
class Edited:
    """What an edit wrote: the file, the settings it now gives, and problems it still has elsewhere."""

    path: Path
    settings: Settings
    remaining: tuple[Issue, ...]
    created: bool


def set_values(path: Path, changes: Mapping[KeyPath, object]) -> Edited:
    """Set each key of `changes` in the file at `path` (created if missing); ConfigError if refused."""
    # tomlkit round-trips TOML with its comments and layout; only editing commands need it.
    import tomlkit

    target = _real_file(path)
    created = not target.exists()
    original = config.generated_text(Settings()) if created else _read(target)
    before = _problems(original, str(path))
    try:
        document = tomlkit.parse(original)
    except tomlkit.exceptions.ParseError:
        # The same words and line as `kiosk config check` (tomllib is the kiosk's reader).
        raise ConfigError([*before, _nothing_changed(path)]) from None
    for key, value in changes.items():
        _assign(document, key, value)
    text = tomlkit.dumps(document)
    after = _problems(text, str(path))
    known = {_same(issue) for issue in before}
    changed = {".".join(key) for key in changes}
    # A problem of a key being set always blocks, even if the file had it before (theme = "neon" twice).
    added = [issue for issue in after if _same(issue) not in known or issue.field in changed]
    if added:
        raise ConfigError([*added, _nothing_changed(path)])
    _replace(target, text, created)
    settings, _ = config.from_dict(tomllib.loads(text), str(path), text)
    return Edited(path, settings, tuple(after), created)


def _real_file(path: Path) -> Path:
    # A symlinked kiosk.toml (into a managed folder) is edited where it lives; the link stays a link.
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            [Issue(str(path), None, "", f"cannot read the file: {exc}"), _nothing_changed(path)]
        ) from None


def _problems(text: str, filename: str) -> list[Issue]:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        from kiosk.tomllines import error_position

        line, message = error_position(exc)
        return [Issue(filename, line, "", f"not valid TOML: {message}")]
    return config.from_dict(raw, filename, text)[1]


def _same(issue: Issue) -> tuple[str, str]:
    # Lines move when a key is added above a problem; the field and message say which problem it is.
    return issue.field, issue.message


def _assign(document: object, key: KeyPath, value: object) -> None:
    import tomlkit

    container = document
    for part in key[:-1]:
        assert isinstance(container, dict)  # tomlkit's documents and tables are dicts
        if part not in container:
            container[part] = tomlkit.table()
        container = container[part]
        if not isinstance(container, dict):
            raise ConfigError([Issue("command line", None, ".".join(key), f"{part} is not a table in the file")])
    assert isinstance(container, dict)
    container[key[-1]] = list(value) if isinstance(value, tuple) else value


def _replace(target: Path, text: str, created: bool) -> None:
    from kiosk.atomicfile import write_atomic

    data = text.encode("utf-8")
    if created:
        target.parent.mkdir(parents=True, exist_ok=True)
        # A new file may come to hold the staff PIN hash: readable by its owner only.
        write_atomic(target, data, durable=True)
        return
    stat = target.stat()
    try:
        write_atomic(target, data, durable=True, mode=stat.st_mode & 0o7777, owner=(stat.st_uid, stat.st_gid))
    except PermissionError as exc:
        raise ConfigError(
            [
                Issue(
                    str(target),
                    None,
                    "",
                    f"cannot keep the file's owner and group (uid {stat.st_uid}, gid {stat.st_gid}): "
                    f"{exc.strerror or exc}; run this as root or as the file's owner",
                ),
                _nothing_changed(target),
            ]
        ) from None


def _nothing_changed(path: Path) -> Issue:
    return Issue(str(path), None, "", "nothing changed")
