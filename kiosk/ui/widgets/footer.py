"""A footer that names keys in the customer's language and is big enough to tap."""

from __future__ import annotations

from collections import defaultdict

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from kiosk.i18n import CATALOG, t


class KioskFooter(Footer):
    """Textual's footer, but each binding's label comes from the catalogue by binding id.

    Binding descriptions are fixed strings; the kiosk switches language at run
    time, so the label is looked up as `key.<binding id>` in the current locale.
    """

    def __init__(self, locale: str, **kwargs) -> None:
        super().__init__(show_command_palette=False, **kwargs)
        self.locale = locale
        self._shown: tuple | None = None

    def bindings_changed(self, screen) -> None:
        # Textual's footer does not redraw while the terminal is unfocused. A browser tab starts
        # unfocused until it is clicked, and a customer must see the keys before that, so the
        # footer here redraws whatever the focus.
        # Bindings are re-announced on every focus change; rebuilding identical keys restyles the
        # whole footer each time, which is most of what a screen switch costs.
        shown = tuple((key, b.binding.id, b.enabled) for key, b in screen.active_bindings.items() if b.binding.show)
        if shown == self._shown and self._bindings_ready:
            return
        self._shown = shown
        self._bindings_ready = True
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self.recompose)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        by_action = defaultdict(list)
        for _, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show:
                by_action[binding.action].append((binding, enabled, tooltip))
        for bindings in by_action.values():
            binding, enabled, tooltip = bindings[0]
            catalog_key = f"key.{binding.id}"
            label = t(catalog_key, self.locale) if catalog_key in CATALOG else binding.description
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                label,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip,
            ).data_bind(compact=Footer.compact)
