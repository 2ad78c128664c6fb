"""Mouse-over tracking for widgets that draw several items themselves (tabs, keys, list entries)."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual import events
from textual.widget import Widget

ItemT = TypeVar("ItemT")


class HoverTracking(Widget, Generic[ItemT]):
    """Knows which of its items the mouse is over (`hovered`): `item_at` says which item an event
    is over; when that changes the widget is redrawn and `hover_changed` is called."""

    hovered: ItemT | None = None
    """The item under the mouse (None: none, or the mouse is elsewhere)."""

    def item_at(self, event: events.MouseEvent) -> ItemT | None:
        """The item under the mouse at `event` (None: none)."""
        raise NotImplementedError

    def hover_changed(self) -> None:
        """Called after `hovered` changed (nothing to do by default)."""

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover(self.item_at(event))

    def on_leave(self, event: events.Leave) -> None:
        self._hover(None)

    def _hover(self, item: ItemT | None) -> None:
        if item != self.hovered:
            self.hovered = item
            self.hover_changed()
            self.refresh()
