"""Widgets whose content depends on the time ("open now"), which screens refresh as the clock moves."""

from __future__ import annotations

from textual.widget import Widget


class LiveStatus(Widget):
    """A widget that shows something true only at the moment it was drawn.

    Screens find these by type and call `refresh_status` every
    `status_refresh_seconds` and when shown again; this module imports nothing
    heavy, so screens without such widgets never load what computes them (the
    hours engine, for channel cards).
    """

    def refresh_status(self) -> None:
        """Draw again from the current time."""
        self.refresh(layout=True)
