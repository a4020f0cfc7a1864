"""Who owns each phone number: the rules a pack's claim to a number must pass (see kiosk.trust).

Every phone channel of a loaded pack claims its number. Claims are ranked by
who makes them: the general pack first, then bundled wallet packs, then
approved packs, then unapproved ones.

- Public numbers belong to the general pack: the numbers it lists, every
  emergency number, every 5-digit 1xxxx service number (regulators, carriers,
  public hotlines) and every 96xxx number. Only the general pack may list
  `regulator` and `police` channels at all.
- Any other number belongs to the highest-ranked pack that claims it. A claim
  by a lower-ranked pack is rejected; two packs of the same rank claiming one
  number for different wallets is a conflict, and then nobody owns it.

A rejected claim never reaches a customer; a conflict reaches one only as
"listed, not confirmed". Both are reported to the operator (`annotate` puts
them in the packs' records, shown by `kiosk packs list` and at start-up).
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass

from kiosk import phones
from kiosk.model import GENERAL_PACK_ID, PHONE_KINDS, Channel, ChannelKind, Pack
from kiosk.packset import PackSet
from kiosk.phones import NumberType
from kiosk.trust import Provenance

#: Number types that belong to public bodies, whatever pack lists them.
PUBLIC_TYPES = frozenset({NumberType.EMERGENCY, NumberType.SHORT_SERVICE, NumberType.SERVICE_96})
#: Kinds only the general pack may list.
GENERAL_ONLY_KINDS = frozenset({ChannelKind.REGULATOR, ChannelKind.POLICE})

NumberKey = tuple[str, str]


class Standing(enum.StrEnum):
    #: The pack owns the number: it may vouch for it.
    OWNER = "owner"
    #: Another pack owns it, or it is a public number: the claim is void.
    REJECTED = "rejected"
    #: Packs of equal rank claim it for different wallets: nobody owns it.
    CONFLICT = "conflict"


@dataclass(frozen=True, slots=True)
class Claim:
    pack_id: str
    channel_id: str
    key: NumberKey
    standing: Standing
    #: For a rejected claim or a conflict: why, naming the other pack.
    reason: str | None = None


def _rank(pack: Pack, provenance: Provenance) -> int:
    if pack.id == GENERAL_PACK_ID and provenance is Provenance.BUNDLED:
        return 0
    return {Provenance.BUNDLED: 1, Provenance.APPROVED: 2, Provenance.UNAPPROVED: 3}[provenance]


def number_key(channel: Channel) -> tuple[NumberKey, phones.PhoneNumber] | None:
    """The number a phone channel claims, or None for one that is not a readable number."""
    if channel.kind not in PHONE_KINDS:
        return None
    try:
        number = phones.normalise(next(channel.value.strings(), ""), channel.country)
    except phones.PhoneError:
        return None  # the validator reports these; a bad value claims nothing
    return (number.country, number.national), number


def claims(packs: PackSet) -> dict[tuple[str, str], Claim]:
    """Every phone channel's claim, by (pack id, channel id)."""
    found: list[tuple[Pack, Channel, NumberKey, phones.PhoneNumber, int]] = []
    for pack in packs.packs:
        rank = _rank(pack, packs.provenance(pack))
        for channel in pack.channels:
            keyed = number_key(channel)
            if keyed is not None:
                found.append((pack, channel, keyed[0], keyed[1], rank))
    general_numbers = {key for pack, _c, key, _n, rank in found if rank == 0}
    result: dict[tuple[str, str], Claim] = {}
    contested: dict[NumberKey, list[tuple[int, Pack, Channel]]] = {}
    for pack, channel, key, number, rank in found:
        where = (pack.id, channel.id)
        shown = number.national
        if rank == 0:
            result[where] = Claim(pack.id, channel.id, key, Standing.OWNER)
        elif channel.kind in GENERAL_ONLY_KINDS:
            result[where] = Claim(
                pack.id,
                channel.id,
                key,
                Standing.REJECTED,
                f"only the general pack may list {channel.kind} numbers ({shown})",
            )
        elif key in general_numbers or number.type in PUBLIC_TYPES:
            result[where] = Claim(
                pack.id,
                channel.id,
                key,
                Standing.REJECTED,
                f"{shown} is a public number: it belongs to the general pack (regulators, police, carriers)",
            )
        else:
            contested.setdefault(key, []).append((rank, pack, channel))
    for key, claimants in contested.items():
        best = min(rank for rank, _p, _c in claimants)
        owners = sorted({p.id for rank, p, _c in claimants if rank == best})
        for rank, pack, channel in claimants:
            where = (pack.id, channel.id)
            others = [o for o in owners if o != pack.id]
            if rank > best:
                result[where] = Claim(
                    pack.id,
                    channel.id,
                    key,
                    Standing.REJECTED,
                    f"{key[1]} belongs to {_names(owners)}, which ranks above this pack",
                )
            elif others:
                result[where] = Claim(
                    pack.id,
                    channel.id,
                    key,
                    Standing.CONFLICT,
                    f"{key[1]} is also claimed by {_names(others)} for another wallet; it is official for neither",
                )
            else:
                result[where] = Claim(pack.id, channel.id, key, Standing.OWNER)
    return result


def _names(pack_ids: list[str]) -> str:
    return ", ".join(f"'{p}'" for p in pack_ids)


def annotate(packs: PackSet) -> PackSet:
    """`packs` with every rejected claim and conflict noted in the claiming pack's record, for the operator."""
    notes: dict[str, list[str]] = {}
    for claim in claims(packs).values():
        if claim.standing is not Standing.OWNER:
            notes.setdefault(claim.pack_id, []).append(
                f"channel '{claim.channel_id}': {claim.standing}: {claim.reason}"
            )
    if not notes:
        return packs
    loaded = {p.id for p in packs.packs}
    records = tuple(
        dataclasses.replace(r, notes=(*r.notes, *notes[r.id]))
        if r.id in notes and r.id in loaded and r.provenance is not None and r.status == "loaded"
        else r
        for r in packs.records
    )
    return PackSet(packs=packs.packs, records=records)


__all__ = ["GENERAL_ONLY_KINDS", "PUBLIC_TYPES", "Claim", "Standing", "annotate", "claims", "number_key"]
