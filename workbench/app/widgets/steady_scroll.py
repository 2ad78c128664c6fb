"""A ScrollView whose scrollbars are updated by a layout only when something they show changed.

Textual's ScrollView updates (and so redraws) its scrollbars on every layout pass, because it
compares the layout's virtual size (the view's region) with its own (the content's), which differ
whenever the content scrolls. Every app start has a second layout pass (the first one sets each
container's virtual size), so the scrollbars of every scrolling view were drawn again in a frame of
their own after the first. A layout that changes none of the inputs of the scrollbars now leaves
them alone.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.geometry import Size
from textual.scroll_view import ScrollView


class SteadyScrollView(ScrollView):
    """A ScrollView that skips a layout's scrollbar update when nothing it depends on changed."""

    _laid_out: Hashable = None
    """What the scrollbars were last updated for (see `_layout_inputs`)."""

    def _layout_inputs(self, size: Size, virtual_size: Size, container_size: Size) -> Hashable:
        """Everything the scrollbars and the scroll position depend on after a layout."""
        styles = self.styles
        return (
            size,
            virtual_size,
            container_size,
            self.virtual_size,
            styles.gutter,
            styles.overflow_x,
            styles.overflow_y,
            styles.scrollbar_size_horizontal,
            styles.scrollbar_size_vertical,
        )

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        """Textual's hook, called by the layout for every widget it places: the ScrollView's
        update only when an input changed (no Resize event is then due either)."""
        inputs = self._layout_inputs(size, virtual_size, container_size)
        if inputs == self._laid_out:
            return False
        self._laid_out = inputs  # the update below changes none of them
        return super()._size_updated(size, virtual_size, container_size, layout)
