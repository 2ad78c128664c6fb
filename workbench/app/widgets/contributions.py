"""The contribution bars under the table: each drug's total as stacked weighted contributions,
in rank order. A weight key redraws only the lines whose bar or total changed."""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Region

from workbench.app.widgets.lines_view import LinesView
from workbench.engine.result import Result

EXTRA_LINES = 4
"""Lines beside the drugs' bars: the title, the legend (two lines at 80 columns) and the scrollbar's
room; the height follows the number of drugs only, so a weight key never changes the layout."""


class ContributionBars(LinesView):
    """Hidden until asked for (`B`): then every `show` compares the new lines with those drawn
    and refreshes only the changed ones (a weight key moves a few bars, not the layout)."""

    def __init__(self) -> None:
        super().__init__(id="contributions")
        self.result: Result | None = None
        self.display = False

    def make_lines(self, width: int) -> list[Text]:
        if self.result is None or not self.result.drugs:
            return [Text("No drug to show.", style="dim")]
        from workbench.report.charts import contribution_lines  # only once the bars are shown

        return contribution_lines(self.result, width)

    def show(self, result: Result | None) -> None:
        """Draw `result` (nothing while hidden: the lines are made when shown)."""
        self.result = result
        if not self.display:
            self._made_for = -1
            return
        height = len(result.drugs) + EXTRA_LINES if result is not None else 2
        if self.styles.height is None or self.styles.height.value != height:
            self.styles.height = height
        width = self._content_width()
        if width <= 0 or self._made_for != width:
            self.invalidate()
            return
        lines = self.make_lines(width)
        if len(lines) != len(self._lines):
            self.invalidate()
            return
        top, row = self.scroll_offset.y, self.size.width
        changed = [
            i for i, (old, new) in enumerate(zip(self._lines, lines, strict=True)) if old != new
        ]
        for index in changed:
            self._strips.pop(index, None)
        self._lines = lines
        if changed:
            self.refresh(*(Region(0, index - top, row, 1) for index in changed))

    def toggle(self) -> None:
        """Show or hide the bars."""
        self.display = not self.display
        if self.display:
            self.show(self.result)
