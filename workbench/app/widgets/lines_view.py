"""A scrollable view of rendered lines: one widget instead of a container of text widgets.

The drug list and the notes are drawn this way, like the comparison table: their lines are
rendered once per content width and drawn line by line, so neither adds a container, a child
widget or a second layout to a frame.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


class LinesView(ScrollView):
    """Lines rendered from `make_lines(width)` (a subclass says what they are); `invalidate()`
    after the content changed. The vertical scrollbar is always shown (`overflow-y: scroll`), so
    the width the lines are made for does not change as the content grows or shrinks."""

    DEFAULT_CSS = """
    LinesView {
        overflow-x: hidden;
        overflow-y: scroll;
    }
    """

    def __init__(self, *, id: str | None = None, can_maximize: bool | None = None) -> None:
        super().__init__(id=id)
        if can_maximize is not None:
            self.can_maximize = can_maximize
        self._lines: list[Strip] = []
        self._made_for = -1
        """The content width the lines were made for (-1: to be made)."""

    def make_lines(self, width: int) -> list[Strip]:
        """The content as strips `width` cells wide, unstyled by the widget (it adds its style)."""
        raise NotImplementedError

    def render_text(self, text: Text, width: int, *, wrap: bool = True) -> list[Strip]:
        """`text` as strips of `width` cells: wrapped at words, or each line cut with an
        ellipsis when `wrap` is False."""
        if not wrap:
            text = text.copy()
            text.no_wrap, text.overflow = True, "ellipsis"
        console = self.app.console
        options = console.options.update(width=width, height=None, no_wrap=not wrap)
        return [Strip(line, width) for line in console.render_lines(text, options, pad=True)]

    def invalidate(self) -> None:
        """The content changed: remake the lines (now if the view has a width, else on resize)."""
        self._made_for = -1
        self._update_lines()
        self.refresh()

    @property
    def line_count(self) -> int:
        """How many lines the content has at the current width."""
        return len(self._lines)

    def _content_width(self) -> int:
        return self.scrollable_content_region.width

    def _update_lines(self) -> None:
        width = self._content_width()
        if width <= 0 or width == self._made_for:
            return
        self._lines = self.make_lines(width)
        self._made_for = width
        self.virtual_size = Size(width, len(self._lines))

    def on_resize(self, event: events.Resize) -> None:
        self._update_lines()

    def line_style(self, index: int) -> Style:
        """The style under line `index` of the content (the widget's; a cursor adds to it)."""
        return self.rich_style

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self._content_width()
        style = self.line_style(index)
        if index >= len(self._lines):
            return Strip.blank(width, style)
        return self._lines[index].apply_style(style)
