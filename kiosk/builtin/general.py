"""The built-in general pack: regulators, the escalation ladder, general safety advice.

It goes through `kiosk_packs` like any installed pack, so the hook surface is
exercised on every start and the general pack is validated by the same rules.
"""

from __future__ import annotations

from pathlib import Path

from kiosk import hookimpl

PACK_FILE = Path(__file__).with_name("general.toml")


@hookimpl
def kiosk_packs() -> list[Path]:
    return [PACK_FILE]
