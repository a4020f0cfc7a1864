"""The checklist groups general habits (of any pack) before what is specific to each wallet."""

from __future__ import annotations

import dataclasses

from textual.widgets import OptionList

from kiosk.model import Scope
from kiosk.packset import PackSet
from kiosk.ui.screens.checklist import ChecklistScreen
from ui.helpers import bundled_packs, make_app


def with_general_habit(pack_id: str) -> PackSet:
    """The bundled packs, with the last checklist item of `pack_id` marked as a general habit."""
    packs = []
    for pack in bundled_packs().packs:
        if pack.id == pack_id:
            *own, last = pack.checklist
            pack = dataclasses.replace(pack, checklist=(*own, dataclasses.replace(last, scope=Scope.GENERAL)))
        packs.append(pack)
    return PackSet(packs=tuple(packs))


async def test_a_wallets_general_habits_come_with_the_general_ones_before_wallet_items():
    packs = with_general_habit("wechat")
    app = make_app("en", packs=packs)
    async with app.run_test(size=(120, 40)) as pilot:
        app.session.checklist_wallets.update({"alipay", "wechat"})
        app.push_screen(ChecklistScreen())
        await pilot.pause()
        items = app.screen.query_one("#checklist-items", OptionList)
        order = [items.get_option_at_index(i).id for i in range(items.option_count)]
        checklists = {pack.id: pack.checklist for pack in packs.packs}
        general = [f"general:{item.id}" for item in checklists["general"]]
        habit = f"wechat:{checklists['wechat'][-1].id}"
        alipay = [f"alipay:{item.id}" for item in checklists["alipay"]]
        wechat = [f"wechat:{item.id}" for item in checklists["wechat"][:-1]]
        assert order == [*general, habit, *alipay, *wechat]
