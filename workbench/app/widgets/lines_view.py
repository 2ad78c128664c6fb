"""A scrollable view of rendered lines: one widget instead of a container of text widgets.

The drug list and the notes are drawn this way, like the comparison table: their lines are
rendered once per content width and drawn line by line, so neither adds a container, a child
widget or a second layout to a frame.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.strip import Strip

from workbench.app.widgets.steady_scroll import SteadyScrollView


def line_segments(text: Text, console: Console) -> list[Segment]:
    """The segments `text.render(console)` gives for a line, made in one pass when its spans do
    not overlap (the lines drawn here: every bar on a weight key), else by Rich."""
    plain, spans = text.plain, text.spans
    if not spans:
        return [Segment(plain)]
    null = Style.null()
    get_style = console.get_style
    base = get_style(text.style, default=null)
    segments: list[Segment] = []
    position = 0
    for start, end, style in sorted(spans):
        if start < position:  # overlapping spans: Rich combines them
            return list(text.render(console))
        if start > position:
            segments.append(Segment(plain[position:start], base))
        if end > start:
            segments.append(Segment(plain[start:end], base + get_style(style, default=null)))
        position = max(position, end)
    if position < len(plain):
        segments.append(Segment(plain[position:], base))
    return segments


class LinesView(SteadyScrollView):
    """Lines from `make_lines(width)` (a subclass says what they are); `invalidate()` after the
    content changed. The vertical scrollbar is always shown (`overflow-y: scroll`), so
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
        self._lines: list[Text] = []
        self._strips: dict[int, Strip] = {}
        """Lines drawn so far, by index (the lines of a long text are drawn as they are shown)."""
        self._made_for = -1
        """The content width the lines were made for (-1: to be made)."""
        self._style = Style()
        """The widget's style in the frame being drawn."""

    def make_lines(self, width: int) -> list[Text]:
        """The content as lines of at most `width` cells (see `wrap` and `cut`); each is drawn
        only when it is first on screen, on the widget's style."""
        raise NotImplementedError

    def wrap(self, text: Text, width: int) -> list[Text]:
        """`text` wrapped at words to `width` cells, one Text per line."""
        return list(text.wrap(self.app.console, width))

    @staticmethod
    def cut(text: Text, width: int) -> Text:
        """`text` on one line, cut with an ellipsis at `width` cells."""
        line = text.copy()
        line.truncate(width, overflow="ellipsis")
        return line

    def invalidate(self) -> None:
        """The content changed: remake the lines and redraw (now if the view has a width, else
        when it is first drawn)."""
        self._made_for = -1
        if self._update_lines():
            self.refresh()

    def replace_from(self, first: int, lines: list[Text]) -> None:
        """Lines from index `first` on changed (those before it did not): keep the earlier
        lines and their drawn strips, redraw only the changed lines that are on screen."""
        if self._made_for < 0:  # nothing made yet: made whole when first drawn
            return
        self._lines[first:] = lines
        for index in [i for i in self._strips if i >= first]:
            del self._strips[index]
        size = Size(self._made_for, len(self._lines))
        if size != self.virtual_size:
            self.set_reactive(LinesView.virtual_size, size)
            self._scroll_update(size)
        top = max(first - self.scroll_offset.y, 0)
        if top < self.size.height:
            self.refresh(Region(0, top, self.size.width, self.size.height - top))

    def _content_width(self) -> int:
        return self.scrollable_content_region.width

    def _update_lines(self) -> bool:
        """Make the lines if the width changed since they were made; whether they were."""
        width = self._content_width()
        if width <= 0 or width == self._made_for:
            return False
        self._lines = self.make_lines(width)
        self._strips.clear()
        self._made_for = width
        size = Size(width, len(self._lines))
        if size != self.virtual_size:
            # The view's own size never depends on its content (its height comes from the
            # layout, its scrollbar is always there), so no layout pass: only the scrollbar's
            # extent and the scroll position follow the new size.
            self.set_reactive(LinesView.virtual_size, size)
            self._scroll_update(size)
        return True

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        """Make the lines as soon as the layout gives the view its width, before the frame is
        drawn: the scrollbar then shows the content's height in that frame, and is not redrawn
        in a second one (Textual's hook, called by the layout for every view it places)."""
        resized = super()._size_updated(size, virtual_size, container_size, layout)
        self._update_lines()
        return resized

    def on_resize(self, event: events.Resize) -> None:
        if self._update_lines():
            self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        """Make the lines for this width first (no redraw needed: this is the drawing): the first
        frame is drawn before the Resize event arrives, and would otherwise show the view empty
        and draw it again."""
        self._update_lines()
        self._style = self.rich_style  # once a frame: it walks every ancestor's styles
        return super().render_lines(crop)

    def line_style(self, index: int) -> Style:
        """The style under line `index` of the content (the widget's; a cursor adds to it)."""
        return self._style

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self._content_width()
        style = self.line_style(index)
        if index >= len(self._lines):
            return Strip.blank(width, style)
        strip = self._strips.get(index)
        if strip is None:
            segments = line_segments(self._lines[index], self.app.console)
            length = sum(cell_len(segment.text) for segment in segments)
            if length < width:  # padded in the one strip made (each costs several caches)
                segments.append(Segment(" " * (width - length)))
            strip = self._strips[index] = Strip(segments, max(length, width))
        return strip.apply_style(style)
