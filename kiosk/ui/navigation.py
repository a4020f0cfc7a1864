"""Where each home tile, search hit and link leads. One place, so every route is the same everywhere."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.ui.app import KioskApp


def open_target(app: KioskApp, target: str) -> None:
    """Open a target like `wallet:alipay`, `guide:alipay:forgot-payment-password`, `search`."""
    from kiosk.ui.screens import (
        about,
        category,
        checklist,
        contacts,
        escalation,
        guide,
        number_check,
        prepare,
        search,
        wallet,
        wallets,
    )

    kind, _, rest = target.partition(":")
    if kind == "language":
        app.action_toggle_language()
        return
    screens = {
        "search": search.SearchScreen,
        "checklist": checklist.ChecklistScreen,
        "number": number_check.NumberCheckScreen,
        "escalation": escalation.EscalationScreen,
        "prepare": prepare.PrepareScreen,
        "contacts": contacts.ContactsScreen,
        "about": about.AboutScreen,
        "wallets": wallets.WalletListScreen,
    }
    if kind in screens:
        app.push_screen(screens[kind]())
    elif kind == "wallet":
        app.push_screen(wallet.WalletScreen(rest))
    elif kind == "guide":
        pack_id, _, guide_id = rest.partition(":")
        app.push_screen(guide.GuideScreen(pack_id, guide_id))
    elif kind == "scam":
        pack_id, _, scam_id = rest.partition(":")
        app.push_screen(guide.ScamScreen(pack_id, scam_id))
    elif kind == "category":
        app.push_screen(category.CategoryScreen(rest))
    else:
        raise ValueError(f"unknown target {target!r}")
