"""What every kiosk screen shares: header, footer, back, home, language, live refresh, navigation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.reactive import Reactive, reactive
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Static

from kiosk.i18n import t
from kiosk.ui.context import KioskContext, kiosk_app
from kiosk.ui.messages import Navigate, ScreenReady
from kiosk.ui.widgets.footer import KioskFooter
from kiosk.ui.widgets.header import KioskHeader
from kiosk.ui.widgets.status import LiveStatus

if TYPE_CHECKING:
    from textual.widgets import OptionList

ResultType = TypeVar("ResultType")

#: The smallest window (columns, rows) every screen is laid out for; below it, "please enlarge".
MIN_SIZE = (80, 24)


def too_small_notice() -> Static:
    """'Please enlarge the window' in both languages: whoever is there may read only one of them."""
    width, height = MIN_SIZE
    text = "\n\n".join(t("screen.too_small", locale, width=width, height=height) for locale in ("zh-CN", "en"))
    return Static(Content(text), id="too-small")


@dataclass(frozen=True)
class ScreenPlace:
    """A screen's scroll positions, highlighted rows and focus, by each widget's index in the tree."""

    widget_count: int
    scrolls: dict[int, tuple[float, float]]
    highlights: dict[int, int]
    focused: int | None


class KioskScreen(Screen[None]):
    """A screen that re-renders in place when the language changes.

    All customer state lives in the app's Session or in the screen's own
    attributes (wallet, guide, step), never only in widgets, so recomposing
    for a new language keeps the customer exactly where they were.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back", id="back")]

    locale: reactive[str] = reactive("zh-CN", recompose=True)

    # Textual repaints the whole screen whenever the focus moves, although the widgets that gain
    # and lose it already repaint themselves. Moving between tiles is what customers do most; with
    # 50 customers over SSH on two cores the whole-screen repaints made a keystroke's update four
    # times slower at p95 (`make bench`, ssh section), so here only the widgets concerned repaint.
    # The watcher (bindings refresh) is unchanged.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    def __init__(self) -> None:
        super().__init__()
        self.set_reactive(KioskScreen.locale, self.kiosk.session.locale)

    @property
    def kiosk(self) -> KioskContext:
        return kiosk_app(self)

    def tr(self, key: str, **values: object) -> str:
        return t(key, self.locale, **values)

    # -- frame -------------------------------------------------------------
    def screen_title(self) -> Content | str:
        return ""

    def compose(self) -> ComposeResult:
        yield too_small_notice()
        yield KioskHeader(self.screen_title(), self.locale)
        yield from self.compose_body()
        yield KioskFooter(self.locale)

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.set_interval(self.kiosk.status_refresh_seconds, self.refresh_statuses)
        self.after_compose()
        # Keys typed while this screen was being built wait in the app until now.
        self.app.post_message(ScreenReady(self))

    async def recompose(self) -> None:
        place = self.place()
        await super().recompose()
        self.after_compose()
        # Recomposing in the other language builds the same widgets in the same order: the customer's
        # place (scroll positions, highlighted rows, the focus) is put back once they are laid out.
        self.call_after_refresh(self.restore_place, place)

    def place(self) -> ScreenPlace:
        """Where the customer is on this screen, by the widgets' positions in the tree."""
        from textual.widgets import OptionList  # not needed for the first paint

        widgets = list(self.walk_children(Widget, with_self=False))
        scrolls = {i: (w.scroll_x, w.scroll_y) for i, w in enumerate(widgets) if w.scroll_offset != (0, 0)}
        highlights = {
            i: w.highlighted for i, w in enumerate(widgets) if isinstance(w, OptionList) and w.highlighted is not None
        }
        focused = next((i for i, w in enumerate(widgets) if w is self.focused), None)
        return ScreenPlace(len(widgets), scrolls, highlights, focused)

    def restore_place(self, place: ScreenPlace) -> None:
        from textual.widgets import OptionList

        widgets = list(self.walk_children(Widget, with_self=False))
        if len(widgets) != place.widget_count:
            return  # not the same layout after all (the content changed): better the top than a wrong place
        for i, highlighted in place.highlights.items():
            widget = widgets[i]
            if isinstance(widget, OptionList) and highlighted < widget.option_count:
                widget.highlighted = highlighted
        if place.focused is not None and widgets[place.focused].focusable:
            widgets[place.focused].focus(scroll_visible=False)
        for i, (x, y) in place.scrolls.items():
            widgets[i].scroll_to(x, y, animate=False, immediate=True)

    def after_compose(self) -> None:
        """Put the focus (and anything else widgets do not remember) back after (re)composing."""

    def refresh_statuses(self) -> None:
        for widget in self.query(LiveStatus):
            widget.refresh_status()

    def on_screen_resume(self) -> None:
        # The language may have changed while this screen was under another one.
        if self.locale != self.kiosk.session.locale:
            self.locale = self.kiosk.session.locale
        else:
            self.refresh_statuses()

    # -- navigation --------------------------------------------------------
    def navigate(self, target: str) -> None:
        """Ask the app to open `target` (see `Navigate`); screens never open one another."""
        self.post_message(Navigate(target))

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        """Options whose id is a navigation target (`guide:alipay:...`) open it."""
        if message.option.id:
            message.stop()
            self.navigate(message.option.id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return len(self.app.screen_stack) > 1
        return True

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()


class KioskModal(ModalScreen[ResultType]):
    """A dialog over the kiosk's screens (idle warning, staff PIN, staff status), in the language it opened in."""

    #: Dialogs only staff see: the idle reset waits while one is shown.
    staff_only: ClassVar[bool] = False

    def __init__(self, locale: str) -> None:
        super().__init__()
        self.locale = locale

    @property
    def kiosk(self) -> KioskContext:
        return kiosk_app(self)

    def on_mount(self) -> None:
        self.app.post_message(ScreenReady(self))
