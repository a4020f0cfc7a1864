"""What a screen was opened for, found by id: a screen names pack items by id, and they must exist.

Targets are built from loaded packs, so a missing item is a defect, not a
customer's mistake: it is reported by name instead of surfacing as an error
about None somewhere in a screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.model import Channel, Guide, Pack, ScamWarning
    from kiosk.packset import PackSet


class NotLoaded(LookupError):
    """A pack, or an item of one, that a screen names is not among the loaded packs."""


def require_pack(packs: PackSet, pack_id: str) -> Pack:
    pack = packs.get(pack_id)
    if pack is None:
        raise NotLoaded(f"no pack {pack_id!r} is loaded")
    return pack


def require_guide(pack: Pack, guide_id: str) -> Guide:
    guide = pack.guide(guide_id)
    if guide is None:
        raise NotLoaded(f"pack {pack.id!r} has no guide {guide_id!r}")
    return guide


def require_channel(pack: Pack, channel_id: str) -> Channel:
    channel = pack.channel(channel_id)
    if channel is None:
        raise NotLoaded(f"pack {pack.id!r} has no channel {channel_id!r}")
    return channel


def require_scam(pack: Pack, scam_id: str) -> ScamWarning:
    for scam in pack.scams:
        if scam.id == scam_id:
            return scam
    raise NotLoaded(f"pack {pack.id!r} has no scam warning {scam_id!r}")
