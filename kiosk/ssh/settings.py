"""Moved: the `[ssh]` table's schema is configuration and lives in `kiosk.config.remote` now.

This module only re-exports it, so that the SSH and web front doors (which are being
restructured at the same time) keep working unchanged; once they import
`kiosk.config.remote` directly, this file is deleted.
"""

from kiosk.config.remote import *  # noqa: F403  (every name in kiosk.config.remote.__all__)
