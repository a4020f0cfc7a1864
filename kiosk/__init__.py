"""wallet-kiosk: a terminal self-service help kiosk for digital-wallet users.

This is what pack plugins import (`from kiosk import hookimpl`). It must stay
cheap and free of Textual: a pack is loaded long before any screen exists,
and `kiosk packs list` never needs a UI (tests/test_import_hygiene.py).
"""

from kiosk.hookspecs import hookimpl

__version__ = "0.1.0"

__all__ = ["__version__", "hookimpl"]
