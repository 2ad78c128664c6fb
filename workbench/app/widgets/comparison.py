"""The side-by-side table: picked drugs as columns; a row per concern, then total, rank, reservation
and flags.

A Line API widget rather than a DataTable: it builds and renders only the cells on screen, each once
until it changes, so a weight change costs the same with 20 or 200 drugs. The header row and the
row labels stay in place while the drug columns scroll.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Span, Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from workbench.app import cells
from workbench.engine.result import CriterionResult, DrugResult, Result
from workbench.profiles.schema import Criterion

TOTAL, RANK, RESERVATION, FLAGS = "total", "rank", "reservation", "flags"
HEADER_HEIGHT = 2
COLUMN = cells.COLUMN_WIDTH + 2
"""A drug column's width on screen: the cell and one space either side."""
LABELS = cells.LABEL_WIDTH + 2
"""The row label column's width on screen."""

Layout = tuple[tuple[tuple[str, str], ...], tuple[Criterion, ...], str]
CellKey = tuple[int, str, str | Style, tuple[Span, ...], str | None, str | None]
"""What a cell's rendering depends on besides the frame's styles: height, plain text, base style,
spans, justify and overflow."""


def _layout(result: Result, order: tuple[str, ...]) -> Layout:
    """What needs a rebuild when it changes: the drug columns and their headers, the concern rows
    (labels, units) and the region."""
    headers = {d.id: cells.drug_header(d).plain for d in result.drugs}
    columns = tuple((i, headers[i]) for i in order if i in headers)
    return columns, result.criteria, result.context.region


@dataclass(frozen=True, slots=True)
class Row:
    key: str
    label: Text
    height: int
    text: Callable[[DrugResult], Text]
    source: Callable[[DrugResult], Hashable] | None = None
    """What `text` reads of the drug, when that is small: equal sources give equal texts."""


def _concern_cell(concern: str) -> Callable[[DrugResult], Text]:
    def text(drug: DrugResult) -> Text:
        cell = drug.criteria.get(concern)
        return cells.value_cell(cell) if cell else Text("no data", style="italic")

    return text


def _criterion_of(concern: str, drug: DrugResult) -> CriterionResult | None:
    return drug.criteria.get(concern)


def _rows(result: Result) -> list[Row]:
    region = result.context.region
    rows = [
        Row(
            criterion.id,
            cells.concern_label(criterion),
            2,
            _concern_cell(criterion.id),
            partial(_criterion_of, criterion.id),
        )
        for criterion in result.criteria
    ]
    return [
        *rows,
        Row(TOTAL, Text("Total value", style="bold"), 1, cells.total_cell),
        Row(RANK, Text("Rank", style="bold"), 1, cells.rank_cell),
        Row(
            RESERVATION,
            Text(f"{region.upper()} reservation", style="bold"),
            1,
            lambda drug: cells.reservation_cell(drug.reservation.get(region)),
        ),
        Row(FLAGS, Text("Flags", style="bold"), 1, lambda drug: cells.flags_cell(drug.flags)),
    ]


class ComparisonTable(ScrollView, can_focus=True):
    """Columns keep the pick order (library order); the rank is a row, so columns never jump."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "comparison--header",
        "comparison--label",
        "comparison--cursor",
        "comparison--cursor-header",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "Previous drug", show=False),
        Binding("right", "move(1)", "Next drug", show=False),
        Binding("home", "move_to(0)", "First drug", show=False),
        Binding("end", "move_to(-1)", "Last drug", show=False),
        Binding("enter", "select", "Full profile of the drug", show=False),
    ]

    cursor: reactive[int] = reactive(0, always_update=True)
    """Index of the drug column under the cursor."""

    class Highlighted(Message):
        """The cursor moved onto another drug."""

        def __init__(self, drug_id: str) -> None:
            super().__init__()
            self.drug_id = drug_id

    class Selected(Message):
        """The user chose the drug under the cursor (enter or a double click)."""

        def __init__(self, drug_id: str) -> None:
            super().__init__()
            self.drug_id = drug_id

    def __init__(self) -> None:
        super().__init__(id="comparison")
        self._layout: Layout | None = None
        self._columns: list[str] = []
        self._drugs: dict[str, DrugResult] = {}
        self._headers: dict[str, Text] = {}
        self._rows: list[Row] = []
        self._lines: list[tuple[int, int]] = []
        """Body line → (row index, line within the row)."""
        self._texts: dict[tuple[int, str], Text] = {}
        self._by_source: dict[tuple[int, Hashable], Text] = {}
        self._previous_by_source: dict[tuple[int, Hashable], Text] = {}
        """Cell texts by row index and source (rows that have one), this result's and the one
        before: a new result builds only the texts whose source changed."""
        self._strips: dict[tuple[str, int, str], list[Strip]] = {}
        """Rendered cells by (kind, row index, drug id); kinds: cell, header, label."""
        self._by_content: dict[CellKey, list[Strip]] = {}
        self._previous_by_content: dict[CellKey, list[Strip]] = {}
        """Rendered drug cells by content, this result's and the one before: a new result
        re-renders only the cells whose text changed (a weight change: the totals and ranks)."""
        self._styles: dict[str, Style] = {}
        """This frame's styles: base, header, label, cursor, cursor-header."""
        self._line_cache: dict[int, tuple[tuple[object, ...], list[Strip], Strip]] = {}
        """Last line drawn at each y: what it was drawn from (geometry and base style; strips,
        compared by identity) and the line."""

    # ------------------------------------------------------------------ data

    @property
    def columns(self) -> list[str]:
        """The drug ids, left to right."""
        return list(self._columns)

    @property
    def focused_drug(self) -> str | None:
        """The drug id of the column under the cursor."""
        return self._columns[self.cursor] if self._columns else None

    def cell_text(self, row_key: str, drug_id: str) -> Text:
        """The text of one cell (built now if it was not on screen yet)."""
        index = next(i for i, row in enumerate(self._rows) if row.key == row_key)
        return self._text(index, drug_id)

    def header_text(self, drug_id: str) -> Text:
        return self._headers[drug_id]

    def show(self, result: Result, order: tuple[str, ...]) -> None:
        """Render `result` with columns in `order`: a rebuild only when the layout changed."""
        focused = self.focused_drug
        self._drugs = {d.id: d for d in result.drugs}
        self._texts.clear()
        self._previous_by_source, self._by_source = self._by_source, {}
        self._strips = {k: v for k, v in self._strips.items() if k[0] != "cell"}
        self._previous_by_content, self._by_content = self._by_content, {}
        layout = _layout(result, order)
        if layout != self._layout:
            self._layout = layout
            self._by_source.clear()
            self._previous_by_source.clear()
            self._columns = [drug_id for drug_id, _ in layout[0]]
            self._headers = {i: cells.drug_header(self._drugs[i]) for i in self._columns}
            self._rows = _rows(result)
            self._lines = [
                (r, line) for r, row in enumerate(self._rows) for line in range(row.height)
            ]
            self._clear_rendered()
            self.virtual_size = Size(
                LABELS + COLUMN * len(self._columns), HEADER_HEIGHT + len(self._lines)
            )
            index = self._columns.index(focused) if focused in self._columns else 0
            self.set_reactive(ComparisonTable.cursor, index)
            self.call_after_refresh(self._scroll_to_cursor)
        self.refresh()

    def _text(self, row: int, drug_id: str) -> Text:
        key = (row, drug_id)
        text = self._texts.get(key)
        if text is None:
            text = self._texts[key] = self._text_of(row, self._drugs[drug_id])
        return text

    def _text_of(self, row: int, drug: DrugResult) -> Text:
        make = self._rows[row]
        if make.source is None:
            return make.text(drug)
        key = (row, make.source(drug))
        text = self._by_source.get(key) or self._previous_by_source.get(key)
        if text is None:
            text = make.text(drug)
        self._by_source[key] = text
        return text

    # ------------------------------------------------------------------ rendering

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._clear_rendered()

    def _clear_rendered(self) -> None:
        self._strips.clear()
        self._by_content.clear()
        self._previous_by_content.clear()
        self._line_cache.clear()

    def _render_text(
        self, text: Text, width: int, height: int, style: Style, wrap: bool
    ) -> list[Strip]:
        """`height` strips of `width` + 2 cells: the text (wrapped, or cut with an ellipsis) on
        the widget's style, one space either side."""
        console = self.app.console
        if wrap:
            options = console.options.update(width=width, height=height)
            rendered = console.render_lines(text, options, style=style, pad=True)[:height]
        else:
            rendered = []
            for line in text.split("\n", allow_blank=True)[:height]:
                line.truncate(width, overflow="ellipsis", pad=True)
                line.stylize_before(line.style)  # `render` leaves the base style to its caller
                rendered.append(list(Segment.apply_style(line.render(console), style)))
        blank = Strip.blank(width + 2, style)
        pad = [Segment(" ", style)]
        strips = [Strip([*pad, *line, *pad], width + 2) for line in rendered]
        return strips + [blank] * (height - len(strips))

    def _cached(
        self, kind: str, row: int, drug_id: str, make: Callable[[], list[Strip]]
    ) -> list[Strip]:
        key = (kind, row, drug_id)
        strips = self._strips.get(key)
        if strips is None:
            strips = self._strips[key] = make()
        return strips

    def _cell(self, row: int, drug_id: str) -> list[Strip]:
        return self._cached("cell", row, drug_id, lambda: self._cell_by_content(row, drug_id))

    def _cell_by_content(self, row: int, drug_id: str) -> list[Strip]:
        height = self._rows[row].height
        text = self._text(row, drug_id)
        key = (height, text.plain, text.style, tuple(text.spans), text.justify, text.overflow)
        strips = self._by_content.get(key) or self._previous_by_content.get(key)
        if strips is None:
            strips = self._render_text(
                text, cells.COLUMN_WIDTH, height, self._styles["base"], False
            )
        self._by_content[key] = strips
        return strips

    def _header(self, drug_id: str) -> list[Strip]:
        style = self._styles["header"]
        return self._cached(
            "header",
            0,
            drug_id,
            lambda: self._render_text(
                self._headers[drug_id], cells.COLUMN_WIDTH, HEADER_HEIGHT, style, True
            ),
        )

    def _label(self, row: int) -> list[Strip]:
        style = self._styles["label"]
        return self._cached(
            "label",
            row,
            "",
            lambda: self._render_text(
                self._rows[row].label, cells.LABEL_WIDTH, self._rows[row].height, style, False
            ),
        )

    def _header_label(self) -> list[Strip]:
        style = self._styles["label"]
        return self._cached("label", -1, "", lambda: [Strip.blank(LABELS, style)])

    def render_lines(self, crop: Region) -> list[Strip]:
        """Resolve the styles once per frame, then render line by line."""
        self._styles = {
            "base": self.rich_style,
            **{
                name: self.get_component_rich_style(f"comparison--{name}")
                for name in ("header", "label", "cursor", "cursor-header")
            },
        }
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self._styles["base"]
        if not self._columns:
            return Strip.blank(width, base)
        scroll_x, scroll_y = self.scroll_offset
        room = max(width - LABELS, 0)
        first = scroll_x // COLUMN
        last = min((scroll_x + room) // COLUMN, len(self._columns) - 1)
        if y < HEADER_HEIGHT:
            label = self._header_label()[0]
            line = y

            def strip_of(index: int) -> Strip:
                drug_id = self._columns[index]
                strip = self._header(drug_id)[line]
                if index == self.cursor:
                    strip = strip.apply_style(self._styles["cursor-header"])
                return strip

        else:
            body = y - HEADER_HEIGHT + scroll_y
            if body >= len(self._lines):
                return Strip.blank(width, base)
            row, line = self._lines[body]
            label = self._label(row)[line]

            def strip_of(index: int) -> Strip:
                strip = self._cell(row, self._columns[index])[line]
                if index == self.cursor:
                    strip = strip.apply_style(self._styles["cursor"])
                return strip

        parts = [label, *(strip_of(i) for i in range(first, last + 1))]
        geometry = (width, scroll_x, room, first, base)
        cached = self._line_cache.get(y)
        if (
            cached is not None
            and cached[0] == geometry
            and len(cached[1]) == len(parts)
            and all(old is new for old, new in zip(cached[1], parts, strict=True))
        ):
            return cached[2]
        columns = Strip.join(parts[1:])
        start = scroll_x - first * COLUMN
        columns = columns.crop(start, start + room)
        strip = Strip.join([label, columns]).extend_cell_length(width, base)
        self._line_cache[y] = (geometry, parts, strip)
        return strip

    # ------------------------------------------------------------------ cursor

    def watch_cursor(self, cursor: int) -> None:
        self._scroll_to_cursor()
        self.refresh()
        if self._columns:
            self.post_message(self.Highlighted(self._columns[cursor]))

    def validate_cursor(self, cursor: int) -> int:
        return min(max(cursor, 0), max(len(self._columns) - 1, 0))

    def _scroll_to_cursor(self) -> None:
        room = max(self.size.width - LABELS, COLUMN)
        left = self.cursor * COLUMN
        if left < self.scroll_x:
            self.scroll_to(x=left, animate=False, immediate=True)
        elif left + COLUMN > self.scroll_x + room:
            self.scroll_to(x=left + COLUMN - room, animate=False, immediate=True)

    def move_to_drug(self, drug_id: str) -> None:
        """Put the cursor on this drug's column (if shown)."""
        if drug_id in self._columns:
            self.cursor = self._columns.index(drug_id)

    def action_move(self, step: int) -> None:
        self.cursor = self.cursor + step

    def action_move_to(self, index: int) -> None:
        self.cursor = index if index >= 0 else len(self._columns) - 1

    def action_select(self) -> None:
        if self._columns:
            self.post_message(self.Selected(self._columns[self.cursor]))

    def on_click(self, event: events.Click) -> None:
        """A click puts the cursor on the drug; a double click opens its profile."""
        offset = event.get_content_offset(self)
        if offset is None or offset.x < LABELS or not self._columns:
            return
        index = int(offset.x - LABELS + self.scroll_x) // COLUMN
        if index < len(self._columns):
            self.cursor = index
            if event.chain >= 2:
                self.action_select()
