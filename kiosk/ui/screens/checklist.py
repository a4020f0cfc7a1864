"""The security checklist: general items plus those of the wallets the customer picks."""

from __future__ import annotations

from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Checkbox, ProgressBar, SelectionList, Static
from textual.widgets.selection_list import Selection

from kiosk.model import ChecklistItem, Pack
from kiosk.ui.render import localized, plain
from kiosk.ui.screens.base import KioskScreen


class ChecklistScreen(KioskScreen):
    def screen_title(self):
        return plain(self.tr("checklist.title"))

    def items(self) -> list[tuple[Pack, ChecklistItem]]:
        packs = self.kiosk.packs
        chosen = self.kiosk.session.checklist_wallets
        general = [(packs.general, item) for item in packs.general.checklist] if packs.general else []
        return general + [(p, item) for p in packs.wallets if p.id in chosen for item in p.checklist]

    def compose_body(self):
        session, loc = self.kiosk.session, self.locale
        yield Static(plain(self.tr("checklist.wallets")), id="checklist-wallets-label")
        with Horizontal(id="checklist-wallets"):
            for pack in self.kiosk.packs.wallets:
                if pack.checklist:
                    yield Checkbox(localized(pack.pack.name, loc), pack.id in session.checklist_wallets,
                                   id=f"wallet-{pack.id}", compact=True)
        with Horizontal(id="checklist-progress-row"):
            yield Static(id="checklist-progress")
            yield ProgressBar(total=max(1, len(self.items())), show_eta=False, id="checklist-bar")
        with Horizontal(id="checklist-main"):
            selections = [
                Selection(self.item_label(pack, item), f"{pack.id}:{item.id}", (pack.id, item.id) in session.ticked)
                for pack, item in self.items()
            ]
            yield SelectionList[str](*selections, id="checklist-items")
            with VerticalScroll(id="checklist-detail-scroll"):
                yield Static(plain(self.tr("checklist.pick"), "dim"), id="checklist-detail")

    def item_label(self, pack: Pack, item: ChecklistItem) -> Content:
        prefix = self.tr("checklist.general") if pack.id == "general" else pack.pack.name.get(self.locale).text
        return plain(f"[{prefix}] ", "dim") + localized(item.text, self.locale)

    def after_compose(self) -> None:
        self.update_progress()
        items = self.query_one("#checklist-items", SelectionList)
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

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        visible = {(p.id, i.id) for p, i in self.items()}
        selected = {tuple(value.split(":", 1)) for value in event.selection_list.selected}
        ticked = self.kiosk.session.ticked
        ticked -= visible - selected
        ticked |= selected
        self.update_progress()

    def on_selection_list_selection_highlighted(self, event: SelectionList.SelectionHighlighted) -> None:
        event.stop()
        pack_id, _, item_id = event.selection.value.partition(":")
        pack = self.kiosk.packs.get(pack_id)
        item = next(i for i in pack.checklist if i.id == item_id)
        parts = [localized(item.text, self.locale, "bold"), Content(""),
                 plain(self.tr("checklist.why"), "underline"), localized(item.why, self.locale)]
        if item.how is not None:
            parts += [Content(""), plain(self.tr("checklist.how"), "underline"), localized(item.how, self.locale)]
        self.query_one("#checklist-detail", Static).update(Content("\n").join(parts))

    def on_option_list_option_selected(self, message) -> None:
        message.stop()  # ticking an item is not navigation

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        pack_id = event.checkbox.id.removeprefix("wallet-")
        chosen = self.kiosk.session.checklist_wallets
        if event.value:
            chosen.add(pack_id)
        else:
            chosen.discard(pack_id)
        self.refresh(recompose=True)
