"""Where the kiosk keeps its files by default: the platform's folders, as platformdirs finds them.

On Linux these are the XDG base directories, exactly as the kiosk always used
them: $XDG_CONFIG_HOME (else ~/.config), $XDG_CACHE_HOME (else ~/.cache),
$XDG_DATA_HOME (else ~/.local/share) and $XDG_STATE_HOME (else ~/.local/state),
each with a wallet-kiosk folder (recent platformdirs ignore a relative XDG_*
value, as the XDG specification asks). Other platforms get their own
conventions (on macOS, ~/Library/...). platformdirs reads XDG_* and HOME
from the process environment; the kiosk's own overrides (KIOSK_CONFIG,
KIOSK_PACK_CACHE) are applied by the modules that own those files.

platformdirs is imported on first use, not with this module, and only to
answer a question: a kiosk whose configuration and cache folders are given
by KIOSK_CONFIG and KIOSK_PACK_CACHE never imports it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from platformdirs.api import PlatformDirsABC

APP_NAME = "wallet-kiosk"


@cache
def _dirs() -> PlatformDirsABC:
    from platformdirs import PlatformDirs

    # appauthor=False: no vendor folder on Windows; ensure_exists=False: asking never creates anything.
    return PlatformDirs(APP_NAME, appauthor=False, ensure_exists=False)


def config_dir() -> Path:
    """kiosk.toml's folder: ~/.config/wallet-kiosk on Linux."""
    return Path(_dirs().user_config_dir)


def cache_dir() -> Path:
    """Files the kiosk can rebuild (validated packs): ~/.cache/wallet-kiosk on Linux."""
    return Path(_dirs().user_cache_dir)


def data_dir() -> Path:
    """Files the kiosk cannot rebuild (the SSH host key): ~/.local/share/wallet-kiosk on Linux."""
    return Path(_dirs().user_data_dir)


def state_dir() -> Path:
    """What the kiosk records about itself (logs): ~/.local/state/wallet-kiosk on Linux."""
    return Path(_dirs().user_state_dir)
