"""A pack's name as customers see it: in development mode, a pack nobody approved says so.

In the kiosk and remote profiles an unapproved pack is never loaded into the
app (kiosk.packselect), so the marker only ever shows where packs are tried out.
"""

from __future__ import annotations

from textual.content import Content

from kiosk.i18n import t
from kiosk.model import Pack
from kiosk.packset import PackSet
from kiosk.trust import Provenance
from kiosk.ui.render import localized


def pack_name(packs: PackSet, pack: Pack, locale: str, style: str = "") -> Content:
    """The pack's name in `locale`, with a visible "unapproved" marker when no operator approved it."""
    name = localized(pack.pack.name, locale, style)
    if packs.provenance(pack) is Provenance.UNAPPROVED:
        name += Content(" ") + Content(t("pack.unapproved_marker", locale)).stylize("bold reverse")
    return name


__all__ = ["pack_name"]
