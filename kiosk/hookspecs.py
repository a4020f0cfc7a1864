"""The hooks a pack plugin implements. One docstring per hook; docs/packs.md lists them all.

Packs import `hookimpl` from `kiosk` (never from here) so this module stays
the single place that defines the hook surface.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable
    from os import PathLike

PROJECT_NAME = "kiosk"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def kiosk_packs() -> list[PathLike[str] | Traversable]:
    """Return the pack documents this plugin provides.

    Each item is a path (or an `importlib.resources` Traversable, so packs
    work from zipped wheels) to one pack TOML document in format 1. The kiosk
    reads and validates every document itself; a document with errors is
    quarantined and the others still load. Keep this hook free of side
    effects: it runs once per kiosk start-up, before the screen is drawn.
    """
    raise NotImplementedError  # a specification: packs implement it
