"""Everything `kiosk config check` (and `kiosk status`) finds wrong with a configuration.

kiosk.config reads the file and checks each value on its own, with no I/O
beyond the file: the kiosk does that at every start. This module checks what
the values point at, which only an operator's command pays for: the folders
and files the kiosk, `kiosk ssh` and `kiosk web` will open (packs_dir,
calendars_dir, the metrics textfile's folder, authorized_keys, the access log's
folder), the pack ids of the allow, block and order lists against the packs
that are installed, the channels [[branch_hours]] names, and whether the user
the kiosk runs as can read the file at all (a file replaced by `sudo` as
root:root 0600 leaves the kiosk on defaults, with no staff PIN).

Every problem is an Issue with the file, the line of the key and the key, as
the file's own problems are; `kiosk status` reports the same list.
"""

from __future__ import annotations

import grp
import os
import pwd
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from kiosk import config
from kiosk.config import ConfigResult, Settings
from kiosk.config.schema import Lines
from kiosk.errors import Issue, Severity
from kiosk.packset import PackSet

#: The account the shipped systemd units run the kiosk as (deploy/*.service, User=kiosk).
SERVICE_USER = "kiosk"


@dataclass(frozen=True)
class ConfigReport:
    """A configuration file and every problem found with it and with what it points at."""

    path: Path
    exists: bool
    #: The operator named the file (`--config`, $KIOSK_CONFIG): its absence is a problem.
    named: bool
    settings: Settings
    issues: tuple[Issue, ...]
    #: The account whose access to the file was checked (None: not checked).
    user: str | None = None

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.ERROR)

    def as_dict(self) -> dict[str, object]:
        return {
            "file": str(self.path),
            "exists": self.exists,
            "named": self.named,
            "checked_for_user": self.user,
            "issues": [issue.as_dict() for issue in self.issues],
        }


def check(
    path: Path,
    *,
    named: bool = False,
    packs: PackSet | None = None,
    user: str | None = None,
    environ: Mapping[str, str] | None = None,
    loaded: ConfigResult | None = None,
) -> ConfigReport:
    """Every problem of the file at `path` and of what it points at.

    `packs`: the packs as the kiosk loads them (unknown pack ids and [[branch_hours]] channels are
    checked against them; None skips both). `user`: also check that this account can read the
    file and the folders it names. `loaded`: the file as already read, to avoid reading it twice.
    """
    environ = os.environ if environ is None else environ
    loaded = config.load(path, named=named) if loaded is None else loaded
    exists = path.exists()
    issues = list(loaded.issues)
    if exists:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
        issues += _pointed_at(loaded.settings, str(path), Lines(text), packs, environ)
        if user is not None:
            issues += _access(path, loaded.settings, user)
    return ConfigReport(path, exists, named, loaded.settings, tuple(issues), user)


def default_user() -> str | None:
    """Whose access to check when none is named: the service account, when root runs the check.

    Root reads every file, so a check run with `sudo` says nothing about the kiosk's own account;
    anyone else can read only what they could read anyway.
    """
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SERVICE_USER)
    except KeyError:
        return None
    return SERVICE_USER


# -- what the settings point at ---------------------------------------------------------


def _pointed_at(
    settings: Settings, filename: str, lines: Lines, packs: PackSet | None, environ: Mapping[str, str]
) -> list[Issue]:
    issues: list[Issue] = []

    def problem(key: tuple[str | int, ...], message: str, severity: Severity = Severity.ERROR) -> None:
        field = ".".join(str(part) for part in key if not isinstance(part, int))
        issues.append(Issue(filename, lines(key), field, message, severity))

    if settings.packs_dir:
        if environ.get("KIOSK_PACKS_DIR", "").strip():  # discovery.ENV_PACKS_DIR, which wins
            problem(("packs_dir",), "is not used: KIOSK_PACKS_DIR is set and wins", Severity.WARNING)
        elif why := _folder_problem(Path(settings.packs_dir).expanduser(), write=False):
            problem(("packs_dir",), why)
    if settings.calendars_dir:
        folder = Path(settings.calendars_dir).expanduser()
        if why := _folder_problem(folder, write=False):
            problem(("calendars_dir",), why)
        else:
            from kiosk.calendars import check_calendar_dir  # only a configured folder is read

            for found in check_calendar_dir(folder):
                problem(("calendars_dir",), f"{found} (this file is left out)")
    if settings.metrics_textfile:
        target = Path(settings.metrics_textfile).expanduser()
        if why := _folder_problem(target.parent, write=True):
            problem(("metrics_textfile",), f"its folder {why}")
    if packs is not None:
        issues += _unknown_pack_ids(settings, filename, lines, packs)
        issues += _unknown_channels(settings, filename, lines, packs)
    issues += _door_needs(settings, filename, lines)
    return issues


def _folder_problem(folder: Path, *, write: bool) -> str | None:
    """Why the kiosk could not use `folder` (read it, or also create files in it), or None."""
    if not folder.exists():
        return f"{folder} does not exist"
    if not folder.is_dir():
        return f"{folder} is not a folder"
    wanted = os.R_OK | os.X_OK | (os.W_OK if write else 0)
    if not os.access(folder, wanted):
        return f"{folder} is not {'writable' if write else 'readable'} by this user"
    return None


def _unknown_pack_ids(settings: Settings, filename: str, lines: Lines, packs: PackSet) -> list[Issue]:
    """Ids in pack_order, pack_allow and pack_block that no installed or local pack has."""
    # Ids, and entry-point names (the lists match either); a local file or folder is no pack id.
    known = sorted({name for r in packs.records for name in (r.id, r.entry_point) if ":" not in name})
    issues = []
    for key in ("pack_order", "pack_allow", "pack_block"):
        for pack_id in getattr(settings, key):
            if pack_id not in known:
                from kiosk import suggest  # only a mistake needs it

                hint = suggest.hint(pack_id, known, list_all="installed")
                issues.append(Issue(filename, lines((key,)), key, f"unknown pack id '{pack_id}'{hint}"))
    if settings.pack_allow and not any(p in known for p in settings.pack_allow):
        issues.append(
            Issue(filename, lines(("pack_allow",)), "pack_allow", "allows no installed pack: no wallet loads")
        )
    return issues


def _unknown_channels(settings: Settings, filename: str, lines: Lines, packs: PackSet) -> list[Issue]:
    loaded = {f"{pack.id}:{channel.id}" for pack in packs.packs for channel in pack.channels}
    return [
        Issue(
            filename,
            lines(("branch_hours", index)),
            "branch_hours.channel",
            f"'{override.channel}' is not a channel of any loaded pack; these hours are not applied",
        )
        for index, override in enumerate(settings.branch_hours)
        if override.channel not in loaded
    ]


def _door_needs(settings: Settings, filename: str, lines: Lines) -> list[Issue]:
    """What `kiosk ssh` opens at start (and `kiosk web`, which shares the [ssh] limits)."""
    from kiosk.config import remote

    ssh = remote.resolve(settings.ssh)
    issues: list[Issue] = []

    def problem(key: str, message: str) -> None:
        issues.append(Issue(filename, lines(("ssh", key)), f"ssh.{key}", message))

    if ssh.authorized_keys:
        keys = Path(ssh.authorized_keys).expanduser()
        if not keys.is_file():
            problem("authorized_keys", f"{keys} does not exist or is not a file; `kiosk ssh` would not start")
        elif not os.access(keys, os.R_OK):
            problem("authorized_keys", f"{keys} is not readable by this user")
        elif ssh.auth == "keys" and not _has_a_key(keys):
            problem("authorized_keys", f"{keys} lists no public key: nobody could connect")
    if ssh.access_log != "-":
        log = Path(ssh.access_log).expanduser()
        if log.exists() and not log.is_file():
            problem("access_log", f"{log} is not a file")
        elif log.exists() and not os.access(log, os.W_OK):
            problem("access_log", f"{log} is not writable by this user")
        elif why := _folder_problem(log.parent, write=not log.exists()):
            problem("access_log", f"its folder {why}; `kiosk ssh` would not start")
    if ssh.host_key:
        key_file = Path(ssh.host_key).expanduser()
        if not key_file.exists() and (why := _folder_problem(key_file.parent, write=True)):
            problem("host_key", f"{key_file} does not exist and cannot be created there: its folder {why}")
    return issues


def _has_a_key(path: Path) -> bool:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return False
    return any(line.strip() and not line.lstrip().startswith("#") for line in lines)


# -- can the kiosk's own account read it? -------------------------------------------------


def _access(path: Path, settings: Settings, user: str) -> list[Issue]:
    try:
        account = pwd.getpwnam(user)
    except KeyError:
        return [Issue(str(path), None, "", f"there is no user '{user}' to check access for")]
    if account.pw_uid == 0:
        return []
    groups = _groups_of(account)
    issues = []
    if why := _cannot(path, account.pw_uid, groups, os.R_OK):
        try:
            st = path.stat()
            owner = f"owner {_user_name(st.st_uid)}:{_group_name(st.st_gid)}, mode {stat.S_IMODE(st.st_mode):04o}"
        except OSError:
            owner = "owner unknown"
        issues.append(
            Issue(
                str(path),
                None,
                "",
                f"user '{user}' cannot read this file ({why}; {owner}): the kiosk would run on defaults, "
                f"without a staff PIN; give it back with: chown {user} {path}",
            )
        )
    for key, folder in (("packs_dir", settings.packs_dir), ("calendars_dir", settings.calendars_dir)):
        if folder and (why := _cannot(Path(folder).expanduser(), account.pw_uid, groups, os.R_OK | os.X_OK)):
            issues.append(Issue(str(path), None, key, f"user '{user}' cannot read {folder} ({why})"))
    return issues


def _groups_of(account: pwd.struct_passwd) -> frozenset[int]:
    return frozenset({account.pw_gid, *(g.gr_gid for g in grp.getgrall() if account.pw_name in g.gr_mem)})


def _cannot(path: Path, uid: int, groups: Iterable[int], want: int) -> str | None:
    """Why `uid` (in `groups`) lacks `want` on `path` or the search right on a folder above it."""
    groups = frozenset(groups)
    absolute = Path(os.path.abspath(path))
    for folder in reversed(absolute.parents):
        if not _allowed(folder, uid, groups, os.X_OK):
            return f"it cannot enter {folder}"
    if not _allowed(absolute, uid, groups, want):
        return "the file's mode does not allow it" if want == os.R_OK else "its mode does not allow it"
    return None


def _allowed(path: Path, uid: int, groups: frozenset[int], want: int) -> bool:
    """The permission bits' answer for another account (as the kernel decides, without ACLs)."""
    try:
        st = path.stat()
    except OSError:
        return False
    mode = stat.S_IMODE(st.st_mode)
    if st.st_uid == uid:
        shift = 6
    elif st.st_gid in groups:
        shift = 3
    else:
        shift = 0
    bits = (mode >> shift) & 0o7
    return bits & want == want


def _user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


__all__ = ["SERVICE_USER", "ConfigReport", "check", "default_user"]
