"""Tick boxes whose state is readable without colour: a ✓ when ticked, blank when not."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import Checkbox, OptionList
from textual.widgets.option_list import Option

TICKED = "[✓] "
UNTICKED = "[ ] "


class TickBox(Checkbox):
    """Textual's checkbox shows the same "X" in both states, told apart by colour only."""

    @property
    def _button(self) -> Content:
        return Content.assemble(("[", ""), ("✓" if self.value else " ", "bold"), ("]", ""))


class TickList(OptionList):
    """A list of items the customer ticks with Enter, Space or a tap."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("space", "select", "Tick", id="toggle")]

    class Toggled(Message):
        def __init__(self, tick_list: TickList, item_id: str, ticked: bool) -> None:
            super().__init__()
            self.tick_list = tick_list
            self.item_id = item_id
            self.ticked = ticked

    def __init__(self, items: list[tuple[str, Content]], ticked: set[str], **kwargs) -> None:
        self._labels = dict(items)
        self.ticked = set(ticked) & set(self._labels)
        super().__init__(*(Option(self._prompt(item_id), id=item_id) for item_id, _ in items), **kwargs)

    def _prompt(self, item_id: str) -> Content:
        marker = TICKED if item_id in self.ticked else UNTICKED
        return Content(marker).stylize("bold") + self._labels[item_id]

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        item_id = event.option.id
        if item_id is None:
            return  # every option of a tick list has an id; nothing to tick without one
        if item_id in self.ticked:
            self.ticked.discard(item_id)
        else:
            self.ticked.add(item_id)
        self.replace_option_prompt_at_index(event.option_index, self._prompt(item_id))
        self.post_message(self.Toggled(self, item_id, item_id in self.ticked))
