"""The benchmark's synthetic packs each read as their own wallet, so the kiosk loads every one."""

from __future__ import annotations

from bench.corpus import synthetic_packs
from kiosk import trust
from kiosk.identity import identities, imitation


def test_no_synthetic_pack_imitates_another_or_a_bundled_one():
    # 500 packs: past the 240 head x tail names, so the numbered names are checked too.
    packs = synthetic_packs(500, 0)
    known = [identities(pack.id, pack.pack.name.strings()) for pack in packs]
    bundled = [identities(b.id, b.names) for b in trust.BUNDLED.values()]
    for n, mine in enumerate(known):
        for theirs in known[:n] + bundled:
            assert imitation(mine, theirs) is None, (mine, theirs)
