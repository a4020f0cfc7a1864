"""What screens and widgets may use of the app: the one contract between them and `KioskApp`.

Textual types `self.app` as `App[Any]`, so anything reached through it goes
unchecked. Screens and widgets reach the kiosk's services through
`kiosk_app(self)` (a screen: `self.kiosk`), typed by `KioskContext`; `app.py`
has mypy check that `KioskApp` provides all of it. Screens depend on this
contract, not on `app.py`, which keeps the import graph free of cycles.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

    from kiosk.clock import Clock
    from kiosk.config import Settings
    from kiosk.packset import PackSet
    from kiosk.search import SearchIndex
    from kiosk.session import Session
    from kiosk.usagestats import NoStats, UsageStats


class KioskContext(Protocol):
    """The kiosk's services, as screens and widgets see them (read only: the app owns them)."""

    @property
    def packs(self) -> PackSet:
        """The loaded packs, in the operator's order."""

    @property
    def clock(self) -> Clock:
        """The only source of the time: no screen reads the real clock."""

    @property
    def settings(self) -> Settings: ...

    @property
    def session(self) -> Session:
        """The current customer's state; replaced, never cleared, when the next customer comes."""

    @property
    def notices(self) -> tuple[str, ...]:
        """Problems staff should see (never customer data)."""

    @property
    def display_zone(self) -> _dt.tzinfo:
        """The time zone the header's clock is shown in."""

    @property
    def search_index(self) -> SearchIndex:
        """The index over `packs` (built on first use if the app has not built it yet)."""

    @property
    def usage(self) -> UsageStats | NoStats:
        """Where searches that found nothing, guide views and "did this help?" answers are counted."""

    @property
    def status_refresh_seconds(self) -> float:
        """Seconds between recomputations of "open now" on screen."""


def kiosk_app(node: MessagePump) -> KioskContext:
    """The kiosk app `node` (a screen or a widget) runs in, typed by what it may use."""
    # Screens and widgets only ever run inside KioskApp, which app.py checks against KioskContext.
    return cast("KioskContext", node.app)
