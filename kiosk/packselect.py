"""Which packs the kiosk shows: decided in one place, for start-up and for every command that lists packs.

`select_packs` applies, in this order, everything the operator and the trust
model say: the allow and block lists (KIOSK_PACKS_ALLOW / KIOSK_PACKS_BLOCK,
else kiosk.toml's pack_allow; pack_block from both), the local packs folder
(KIOSK_PACKS_DIR, else packs_dir), the approvals next to kiosk.toml, the
identity and number-claim rules, and the profile's policy: in the kiosk and
remote profiles customers see only bundled and approved packs, and valid
unapproved packs are recorded as awaiting approval; development mode shows
them too (the UI marks them). `kiosk`, `kiosk ssh`, `kiosk web` (through
launch.prepare) and `kiosk packs list/show/export/approve`, `kiosk number
check` all call it, so what a command reports is what the kiosk shows.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import approvals as approvals_file
from kiosk import claims, discovery
from kiosk.config import Settings
from kiosk.packset import PackSet, PackStatus, Selection
from kiosk.profile import Profile
from kiosk.trust import TRUSTED, Provenance

if TYPE_CHECKING:
    from kiosk.packcache import PackCache


@dataclass(frozen=True)
class Selected:
    """The packs to show, what the operator should hear about them, and the approvals they were judged by."""

    packs: PackSet
    notices: tuple[str, ...]
    approvals: approvals_file.Approvals


def operator_selection(settings: Settings, environ: Mapping[str, str]) -> Selection:
    """The allow and block lists: the environment's, else kiosk.toml's allow list; both block lists."""
    from_env = Selection.from_environment(environ)
    allow = from_env.allow
    if allow is None and settings.pack_allow:
        allow = frozenset(settings.pack_allow)
    return Selection(allow=allow, block=from_env.block | frozenset(settings.pack_block))


def local_packs_dir(settings: Settings, environ: Mapping[str, str]) -> Path | None:
    """KIOSK_PACKS_DIR, else kiosk.toml's packs_dir, else no local packs."""
    return discovery.local_packs_dir(environ) or (Path(settings.packs_dir).expanduser() if settings.packs_dir else None)


def select_packs(
    settings: Settings,
    profile: Profile,
    *,
    config_path: Path,
    environ: Mapping[str, str] | None = None,
    cache: PackCache | None = None,
) -> Selected:
    """Load every pack the operator's lists allow and keep what `profile` may show (see the module)."""
    environ = os.environ if environ is None else environ
    approvals = approvals_file.load(approvals_file.path_for(config_path))
    loaded = discovery.load_packs(
        selection=operator_selection(settings, environ),
        trace=discovery.trace_stream(environ),
        local_dir=local_packs_dir(settings, environ),
        cache=cache,
        approvals=approvals,
    )
    loaded = claims.annotate(loaded)
    notices = [*approvals.problems]
    for record in loaded.records:
        if record.status is PackStatus.QUARANTINED:
            notices.append(f"pack '{record.id}' could not be loaded: {record.error}")
        elif record.awaiting_approval:
            notices.append(
                f"pack '{record.id}' ({record.distribution or record.entry_point}) awaits approval: "
                f"kiosk packs approve {record.id}"
            )
        notices += [f"pack '{record.id}': {note}" for note in record.notes]
    return Selected(for_profile(loaded, profile), tuple(notices), approvals)


def select_configured(config_option: str | None, profile: Profile) -> tuple[Selected, tuple[str, ...]]:
    """`select_packs` for a command: kiosk.toml from `--config` (else $KIOSK_CONFIG, else the default
    place) and this process's environment; also the configuration's problems, for the caller to report."""
    from kiosk import config

    config_path = config.resolve_path(config_option)
    loaded = config.load(config_path)
    selected = select_packs(loaded.settings, profile, config_path=config_path)
    return selected, tuple(str(issue) for issue in loaded.issues)


def for_profile(packs: PackSet, profile: Profile) -> PackSet:
    """What `profile` shows: everything in development mode, else only bundled and approved packs."""
    if profile is Profile.DEVELOPMENT:
        return packs
    shown = tuple(p for p in packs.packs if packs.provenance(p) in TRUSTED)
    records = tuple(
        dataclasses.replace(r, status=PackStatus.AWAITING_APPROVAL)
        if r.status is PackStatus.LOADED and r.provenance is Provenance.UNAPPROVED
        else r
        for r in packs.records
    )
    return PackSet(packs=shown, records=records)


__all__ = ["Selected", "for_profile", "local_packs_dir", "operator_selection", "select_configured", "select_packs"]
