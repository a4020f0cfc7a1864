"""The security checklist: general items plus those of the wallets the customer picks."""

from __future__ import annotations

from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Checkbox, OptionList, ProgressBar, Static

from kiosk.model import ChecklistItem, Pack, Scope
from kiosk.ui.lookup import require_pack
from kiosk.ui.render import localized, plain
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets.ticks import TickBox, TickList


class ChecklistScreen(KioskScreen):
    def screen_title(self):
        return plain(self.tr("tile.checklist"))

    def items(self) -> list[tuple[Pack, ChecklistItem]]:
        """General habits first, then what is specific to each chosen wallet.

        General habits are the general pack's items and those a wallet pack marks
        `scope = "general"` (a habit that is not about that wallet alone).
        """
        packs = self.kiosk.packs
        chosen = self.kiosk.session.checklist_wallets
        general = [(packs.general, item) for item in packs.general.checklist] if packs.general else []
        wallets = [(p, item) for p in packs.wallets if p.id in chosen for item in p.checklist]
        return (
            general
            + [(p, item) for p, item in wallets if item.scope is Scope.GENERAL]
            + [(p, item) for p, item in wallets if item.scope is not Scope.GENERAL]
        )

    def compose_body(self):
        session, loc = self.kiosk.session, self.locale
        yield Static(plain(self.tr("checklist.wallets")), id="checklist-wallets-label")
        with Horizontal(id="checklist-wallets"):
            for pack in self.kiosk.packs.wallets:
                if pack.checklist:
                    yield TickBox(
                        localized(pack.pack.name, loc),
                        pack.id in session.checklist_wallets,
                        id=f"wallet-{pack.id}",
                        compact=True,
                    )
        with Horizontal(id="checklist-progress-row"):
            yield Static(id="checklist-progress")
            yield ProgressBar(total=max(1, len(self.items())), show_eta=False, id="checklist-bar")
        with Horizontal(id="checklist-main"):
            items = [(f"{pack.id}:{item.id}", self.item_label(pack, item)) for pack, item in self.items()]
            ticked = {f"{pack_id}:{item_id}" for pack_id, item_id in session.ticked}
            yield TickList(items, ticked, id="checklist-items")
            with VerticalScroll(id="checklist-detail-scroll"):
                yield Static(plain(self.tr("checklist.pick"), "dim"), id="checklist-detail")

    def item_label(self, pack: Pack, item: ChecklistItem) -> Content:
        prefix = self.tr("checklist.general") if pack.id == "general" else pack.pack.name.get(self.locale).text
        # Not dimmed: on the highlighted row dim text fell below readable contrast (3:1).
        return plain(f"[{prefix}] ") + localized(item.text, self.locale)

    def after_compose(self) -> None:
        self.update_progress()
        items = self.query_one("#checklist-items", TickList)
        items.focus()
        if items.option_count and items.highlighted is None:
            items.highlighted = 0

    def update_progress(self) -> None:
        keys = {(p.id, i.id) for p, i in self.items()}
        done = len(keys & self.kiosk.session.ticked)
        total = len(keys)
        text = self.tr("checklist.progress", done=done, total=total)
        if total and done == total:
            text += " · " + self.tr("checklist.all_done")
        self.query_one("#checklist-progress", Static).update(plain(text, "bold"))
        self.query_one("#checklist-bar", ProgressBar).update(total=max(1, total), progress=done)

    def on_tick_list_toggled(self, event: TickList.Toggled) -> None:
        event.stop()
        pack_id, _, item_id = event.item_id.partition(":")
        key = (pack_id, item_id)
        if event.ticked:
            self.kiosk.session.ticked.add(key)
        else:
            self.kiosk.session.ticked.discard(key)
        self.update_progress()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        pack_id, _, item_id = (event.option.id or "").partition(":")
        pack = require_pack(self.kiosk.packs, pack_id)
        item = next(i for i in pack.checklist if i.id == item_id)
        parts = [
            localized(item.text, self.locale, "bold"),
            Content(""),
            plain(self.tr("checklist.why"), "underline"),
            localized(item.why, self.locale),
        ]
        if item.how is not None:
            parts += [Content(""), plain(self.tr("checklist.how"), "underline"), localized(item.how, self.locale)]
        self.query_one("#checklist-detail", Static).update(Content("\n").join(parts))

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        pack_id = (event.checkbox.id or "").removeprefix("wallet-")
        chosen = self.kiosk.session.checklist_wallets
        if event.value:
            chosen.add(pack_id)
        else:
            chosen.discard(pack_id)
        self.refresh(recompose=True)
