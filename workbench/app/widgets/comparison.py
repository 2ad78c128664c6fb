"""The comparison table: picked drugs in the displayed (rank) order, or in library order.

Two layouts of the same cells: drugs as columns (a row per concern, then total, rank, reservation
and flags) when every picked drug fits the width, else drugs as rows (rank, total, reservation and
flags first, then a column per concern, its unit in the header) so every drug stays readable at
80 columns. `l` forces one layout or goes back to choosing by width.

A Line API widget rather than a DataTable: it builds and renders only the cells on screen, each once
until it changes, so a weight change costs the same with 20 or 200 drugs. The header and the labels
(row labels, or the drug names in the rows layout) stay in place while the rest scrolls.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable
from functools import partial
from typing import ClassVar, Literal

from rich.segment import Segment
from rich.style import Style
from rich.text import Span, Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Offset, Region, Size
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from workbench.app import cells
from workbench.app.messages import DrugMessage
from workbench.app.widgets.steady_scroll import SteadyScrollView
from workbench.engine.result import CriterionResult, DrugResult, Result
from workbench.profiles.records import Criterion
from workbench.record import Record
from workbench.report import wording
from workbench.text import clean_line

TOTAL, RANK, RESERVATION, FLAGS = "total", "rank", "reservation", "flags"
GROUP, SMAA = "group", "smaa"
HEADER_HEIGHT = 2
COLUMN = cells.COLUMN_WIDTH + 2
"""A drug column's width on screen: the cell and one space either side."""
LABELS = cells.LABEL_WIDTH + 2
"""The row label column's width on screen."""

DRUG_LABEL_WIDTH = cells.COLUMN_WIDTH
"""Rows layout: width of the drug name column."""
DRUG_LABELS = DRUG_LABEL_WIDTH + 2
ROW_WIDTHS: dict[str, int] = {RANK: 10, GROUP: 20, TOTAL: 18, RESERVATION: 14, FLAGS: 12}
"""Rows layout: the width of these columns (a concern column's: `fitting_concern_width`, else
`cells.COLUMN_WIDTH`)."""
ROWS_FIRST = (RANK, GROUP, TOTAL, SMAA, RESERVATION, FLAGS)
"""Rows layout: these columns come first (rank and total visible without scrolling sideways)."""
WIDE_FIRST = (RANK, TOTAL)
"""Rows layout, when these and every concern fit the width: these, the concerns, the rest."""
MAX_HEADER_HEIGHT = 4
MIN_CUT = 3
"""Fewest cells worth showing of a column only partly in view (a word and the cut mark)."""
DRUG_HEIGHT = 2
"""Rows layout: lines per drug (a concern cell has two: the value, then bar and contribution)."""

Orientation = Literal["columns", "rows"]
LayoutMode = Literal["auto", "columns", "rows"]
LAYOUT_MODES: tuple[LayoutMode, ...] = ("auto", "rows", "columns")
Order = Literal["rank", "library"]

Structure = tuple[tuple[Criterion, ...], str, Orientation, str, int | None]
Columns = tuple[tuple[str, Text], ...]
CellKey = tuple[int, int, str, str | Style, tuple[Span, ...], str | None, str | None]
"""What a cell's rendering depends on besides the frame's styles: height, width, plain text, base
style, spans, justify and overflow."""
Geometry = tuple[int, Offset, int, int, int, Style]
"""A line's width, scroll offset, room for the cells, first column shown, the cells of the column
only partly in view (0: none) and base style."""
Line = tuple[Geometry, list[Strip]]


class View(Record):
    """What every line of one frame shares: where the table is scrolled, which columns are in
    view (whole columns `first`..`last`, then `cut` cells of the next) in `room` cells."""

    geometry: Geometry
    first: int
    last: int
    cut: int
    room: int


"""What a table line is drawn from: its geometry and its strips (the label, then the cells; none
for a blank line), compared by identity: the same inputs draw the same line."""


def _structure(result: Result, orientation: Orientation, fitting: int | None) -> Structure:
    """What needs a full rebuild when it changes: the concern rows (labels, units), the region,
    the orientation, the rank mode and the width of the concern columns when they all fit (and
    come before the summaries), see `fitting_concern_width`."""
    return result.criteria, result.context.region, orientation, result.rank_mode, fitting


def fitting_concern_width(concerns: int, width: int) -> int | None:
    """Rows layout: the widest concern cell, from `cells.COMPACT_WIDTH` to `cells.COLUMN_WIDTH`,
    with which the drug names, rank, total and `concerns` columns fit `width`; None if none."""
    first = DRUG_LABELS + sum(ROW_WIDTHS[key] + 2 for key in WIDE_FIRST)
    share = (width - first) // max(concerns, 1) - 2
    return min(share, cells.COLUMN_WIDTH) if share >= cells.COMPACT_WIDTH else None


def _columns(result: Result, order: tuple[str, ...]) -> Columns:
    """The drugs in order with their headers: a new order (a weight change that reranks) keeps
    every rendered cell, only the headers that changed are drawn again."""
    shown = {d.id: d for d in result.drugs}
    return tuple((i, cells.drug_header(shown[i])) for i in order if i in shown)


def _joined(every: list[Strip], room: int, width: int, style: Style) -> Strip:
    """The label, then the parts in `room` cells, padded to `width` with `style`: one new strip
    (a textual Strip costs several caches to make, and a weight key draws every table line)."""
    label, *parts = every
    body = sum(part.cell_length for part in parts)
    if body > room:  # not whole columns: cut at the room's end
        parts = [Strip.join(parts).crop(0, room)]
        body = room
    length = label.cell_length + body
    segments = [*label, *(segment for part in parts for segment in part)]
    if length < width:
        segments.append(Segment(" " * (width - length), style))
    return Strip(segments, max(length, width))


def _blank(view: View) -> Line:
    """A line with nothing on it (no strips)."""
    return view.geometry, []


def header_label(criterion: Criterion) -> Text:
    """Rows layout: a concern column's header, its label (and direction) then its full unit."""
    arrow = "↑" if criterion.direction == "benefit" else "↓"
    text = Text(f"{clean_line(criterion.label)} {arrow}", style="bold")
    text.append("\n" + clean_line(criterion.unit), style="dim")
    return text


class Row(Record):
    key: str
    label: Text
    height: int
    """Lines in the columns layout."""
    text: Callable[[DrugResult], Text]
    source: Callable[[DrugResult], Hashable] | None = None
    """What `text` reads of the drug, when that is small: equal sources give equal texts."""
    header: Text | None = None
    """Rows layout: the column header (default: `label`)."""
    width: int | None = None
    """Rows layout: the width of this row's column (default: by `ROW_WIDTHS`)."""

    @property
    def column_width(self) -> int:
        """Rows layout: the width of this row's column."""
        return self.width or ROW_WIDTHS.get(self.key, cells.COLUMN_WIDTH)


def _concern_cell(concern: str, width: int) -> Callable[[DrugResult], Text]:
    def text(drug: DrugResult) -> Text:
        cell = drug.criteria.get(concern)
        return cells.value_cell(cell, width) if cell else Text("no data", style="italic")

    return text


def _criterion_of(concern: str, drug: DrugResult) -> CriterionResult | None:
    return drug.criteria.get(concern)


def group_cell(rank_mode: str) -> Callable[[DrugResult], Text]:
    """The drug's group (tier, or 'not ranked on these weights') and why, on two lines."""

    def text(drug: DrugResult) -> Text:
        cell = Text(wording.group_heading(drug, rank_mode), style="bold")
        reasons = wording.tier_reasons(drug)
        cell.append("\n" + (clean_line(reasons) if reasons else "–"), style="dim")
        return cell

    return text


def smaa_cell(p_first: float | None, expected_rank: float | None) -> Text:
    """`P(first) 34.5%` over `expected rank 2.1`, or a note while SMAA runs."""
    if p_first is None or expected_rank is None:
        return Text("P(first) …\ncomputing", style="dim")
    text = Text(f"P(first) {wording.percent(p_first)}", style="bold")
    text.append(f"\nexpected rank {expected_rank:.1f}")
    return text


SmaaFigures = tuple[float | None, float | None]
"""A drug's P(first) and expected rank in the SMAA run shown (None, None: computing)."""


def _rows(
    result: Result,
    smaa: Callable[[DrugResult], SmaaFigures] | None = None,
    concern_width: int = cells.COLUMN_WIDTH,
) -> list[Row]:
    region = result.context.region
    rows = [
        Row(
            key=criterion.id,
            label=cells.concern_label(criterion),
            height=2,
            text=_concern_cell(criterion.id, concern_width),
            source=partial(_criterion_of, criterion.id),
            header=header_label(criterion),
            width=concern_width,
        )
        for criterion in result.criteria
    ]
    smaa_row = (
        []
        if smaa is None
        else [
            Row(
                key=SMAA,
                label=Text("Uncertainty (SMAA)", style="bold"),
                height=2,
                text=lambda drug: smaa_cell(*smaa(drug)),
                source=smaa,
            )
        ]
    )
    group = Text("Group", style="bold")
    group.append("\nand why", style="dim")
    return [
        Row(key=GROUP, label=group, height=2, text=group_cell(result.rank_mode)),
        Row(key=RANK, label=Text("Rank", style="bold"), height=1, text=cells.rank_cell),
        *smaa_row,
        *rows,
        Row(key=TOTAL, label=Text("Total value", style="bold"), height=1, text=cells.total_cell),
        Row(
            key=RESERVATION,
            label=Text(f"{region.upper()} reservation", style="bold"),
            height=1,
            text=lambda drug: cells.reservation_cell(drug.reservation.get(region)),
        ),
        Row(
            key=FLAGS,
            label=Text("Flags", style="bold"),
            height=1,
            text=lambda drug: cells.flags_cell(drug.flags),
        ),
    ]


class ComparisonTable(SteadyScrollView, can_focus=True):
    """The drugs in `order` (the result's display order, or library order); the cursor stays on
    its drug when the order or the layout changes."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "comparison--header",
        "comparison--label",
        "comparison--cursor",
        "comparison--cursor-header",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "key_left", "Previous drug (columns) / scroll left (rows)", show=False),
        Binding("right", "key_right", "Next drug (columns) / scroll right (rows)", show=False),
        Binding("up", "key_up", "Previous drug (rows) / scroll up (columns)", show=False),
        Binding("down", "key_down", "Next drug (rows) / scroll down (columns)", show=False),
        Binding("home", "move_to(0)", "First drug", show=False),
        Binding("end", "move_to(-1)", "Last drug", show=False),
        Binding("enter", "select", "Full profile of the drug", show=False),
    ]

    cursor: reactive[int] = reactive(0, always_update=True)
    """Index of the drug under the cursor."""

    class Highlighted(DrugMessage):
        """The cursor moved onto another drug."""

    class Selected(DrugMessage):
        """The user chose the drug under the cursor (enter or a double click)."""

    def __init__(self) -> None:
        super().__init__(id="comparison")
        self.layout_mode: LayoutMode = "auto"
        """auto: drugs as columns when they all fit the width, else as rows."""
        self._result: Result | None = None
        self._order: tuple[str, ...] = ()
        self._smaa: dict[str, SmaaFigures] = {}
        """Drug id → (P(first), expected rank) of the last SMAA run for the table."""
        self._orientation: Orientation = "columns"
        self._structure: Structure | None = None
        self._columns: list[str] = []
        self._drugs: dict[str, DrugResult] = {}
        self._headers: dict[str, Text] = {}
        self._rows: list[Row] = []
        self._lines: list[tuple[int, int]] = []
        """Columns layout: body line → (row index, line within the row)."""
        self._header_height = HEADER_HEIGHT
        self._across: list[int] = []
        """Rows layout: the row indices shown as columns, left to right."""
        self._offsets: list[int] = []
        """Rows layout: the x of each of those columns after the drug names."""
        self._ends: list[int] = []
        """Rows layout: the x just after each of those columns (its width and a space)."""
        self._view_of = self._view_size = Size(0, 0)
        self._drug_offsets: list[int] = []
        self._drug_ends: list[int] = []
        """Columns layout: the x where each drug column starts and ends."""
        self._texts: dict[tuple[int, str], Text] = {}
        self._by_source: dict[tuple[int, Hashable], Text] = {}
        self._previous_by_source: dict[tuple[int, Hashable], Text] = {}
        """Cell texts by row index and source (rows that have one), this result's and the one
        before: a new result builds only the texts whose source changed."""
        self._strips: dict[tuple[str, int, str], list[Strip]] = {}
        """Rendered headers and labels by (kind, row index, drug id); kinds: header, label."""
        self._cells: dict[tuple[int, str], tuple[Text, list[Strip]]] = {}
        """Per cell: the text last drawn and its strips, kept while `_text` returns that text."""
        self._by_content: dict[CellKey, list[Strip]] = {}
        self._previous_by_content: dict[CellKey, list[Strip]] = {}
        """Rendered drug cells by content, this result's and the one before: a new result
        re-renders only the cells whose text changed (a weight change: the totals and ranks)."""
        self._styles: dict[str, Style] = {}
        """This frame's styles: base, header, label, cursor, cursor-header."""
        self._line_cache: dict[int, tuple[Geometry, list[Strip], Strip]] = {}
        """Last line drawn at each y: what it was drawn from (geometry and base style; strips,
        compared by identity) and the line."""
        self._view_key: Hashable | None = None
        """What the frame's view was worked out for (None: to work out again)."""
        self._pending: dict[int, Line] = {}
        """The changed lines `_refresh_changed` worked out, by y, for the frame that draws them
        (not worked out twice); emptied wherever a line's content changes otherwise."""
        self._frame = View(
            geometry=(0, Offset(), 0, 0, 0, Style()), first=0, last=-1, cut=0, room=0
        )

    # ------------------------------------------------------------------ data

    @property
    def columns(self) -> list[str]:
        """The drug ids in the order shown (left to right, or top to bottom)."""
        return list(self._columns)

    @property
    def orientation(self) -> Orientation:
        """'columns': drugs side by side; 'rows': a line pair per drug."""
        return self._orientation

    @property
    def focused_drug(self) -> str | None:
        """The drug id under the cursor."""
        return self._columns[self.cursor] if self._columns else None

    def cell_text(self, row_key: str, drug_id: str) -> Text:
        """The text of one cell (built now if it was not on screen yet)."""
        index = next(i for i, row in enumerate(self._rows) if row.key == row_key)
        return self._text(index, drug_id)

    @property
    def header_height(self) -> int:
        """Lines of the header (the drug names, or the column headers of the rows layout)."""
        return self._header_height

    @property
    def column_headers(self) -> list[Text]:
        """Rows layout: the column headers, left to right (columns layout: the row labels)."""
        if self._orientation == "rows":
            return [self._column_header(i) for i in self._across]
        return [row.label for row in self._rows]

    @property
    def row_keys(self) -> list[str]:
        """The keys of the rows (the columns of the rows layout)."""
        return [row.key for row in self._rows]

    def header_text(self, drug_id: str) -> Text:
        return self._headers[drug_id]

    def fits_as_columns(self, count: int, width: int) -> bool:
        """Whether `count` drug columns fit `width` cells beside the row labels."""
        return LABELS + COLUMN * count <= width

    def _wanted_orientation(self) -> Orientation:
        if self.layout_mode != "auto":
            return self.layout_mode
        parent = self.parent
        width = self._view.width
        if not self.size.width:  # not laid out yet: its parent's width less the scrollbar
            outer = parent.size.width if isinstance(parent, Widget) else 0
            width = outer - self.styles.scrollbar_size_vertical
        return "columns" if self.fits_as_columns(len(self._order), width) else "rows"

    def _wanted_concern_width(self, result: Result, orientation: Orientation) -> int | None:
        if orientation != "rows":
            return None
        return fitting_concern_width(len(result.criteria), self._view.width)

    def show(self, result: Result, order: tuple[str, ...], *, focus: str | None = None) -> None:
        """Render `result` with the drugs in `order`: a rebuild only when the layout changed.
        The cursor goes to `focus` if given and shown, else stays on its drug."""
        focused = focus if focus in order else self.focused_drug
        self._result, self._order = result, order
        self._drugs = {d.id: d for d in result.drugs}
        self._texts.clear()
        self._previous_by_source, self._by_source = self._by_source, {}
        self._cells = {k: v for k, v in self._cells.items() if k[1] in self._drugs}
        self._previous_by_content, self._by_content = self._by_content, {}
        orientation = self._wanted_orientation()
        structure = _structure(result, orientation, self._wanted_concern_width(result, orientation))
        columns = _columns(result, order)
        if structure != self._structure:
            self._structure = structure
            self._orientation = orientation
            self._by_source.clear()
            self._previous_by_source.clear()
            self._rows = _rows(result, self._smaa_figures, structure[4] or cells.COLUMN_WIDTH)
            self._clear_rendered()
            self._build_geometry()
            self._show_columns(columns)
        elif [drug_id for drug_id, _ in columns] != self._columns or any(
            self._headers.get(drug_id) != header for drug_id, header in columns
        ):
            self._show_columns(columns)
        index = self._columns.index(focused) if focused in self._columns else 0
        if index != self.cursor:
            self.set_reactive(ComparisonTable.cursor, index)
        self.call_after_refresh(self._scroll_to_cursor)
        self._refresh_changed()

    def _show_columns(self, columns: Columns) -> None:
        """Show these drugs in this order: drop the drawn headers that changed, then lay out."""
        headers = dict(columns)
        changed = {i for i, header in headers.items() if self._headers.get(i) != header}
        self._strips = {
            k: v for k, v in self._strips.items() if not (k[0] == "header" and k[2] in changed)
        }
        self._columns = list(headers)
        self._headers = headers
        self._size_for_columns()

    def _smaa_figures(self, drug: DrugResult) -> SmaaFigures:
        return self._smaa.get(drug.id, (None, None))

    def show_smaa(self, smaa: Result | None) -> None:
        """Show an SMAA run's P(first) and expected rank (None: computing)."""
        shown = {} if smaa is None else {d.id: (d.p_first, d.expected_rank) for d in smaa.drugs}
        if shown == self._smaa:
            return  # nothing to redraw
        self._smaa = shown
        index = next((i for i, row in enumerate(self._rows) if row.key == SMAA), None)
        if index is None:
            return
        for key in [k for k in self._texts if k[0] == index]:
            del self._texts[key]  # its cells are drawn again: their new texts are other objects
        self._pending.clear()
        self.refresh()

    def relayout(self) -> None:
        """Show the last result again (after a resize or a layout mode change)."""
        if self._result is not None:
            self.show(self._result, self._order)

    def _build_geometry(self) -> None:
        """What the rows (the structure) decide: the lines of the columns layout, or the columns,
        their x and the header height of the rows layout."""
        if self._orientation == "columns":
            self._header_height = HEADER_HEIGHT
            self._lines = [
                (r, line) for r, row in enumerate(self._rows) for line in range(row.height)
            ]
            return
        keys = [row.key for row in self._rows]
        structure = self._structure
        if structure is not None and structure[4] is not None:
            concerns = [c.id for c in structure[0]]
            order = [*WIDE_FIRST, *concerns, *(k for k in ROWS_FIRST if k not in WIDE_FIRST)]
        else:
            order = list(ROWS_FIRST)
        first = [keys.index(k) for k in order if k in keys]
        self._across = first + [i for i in range(len(self._rows)) if i not in first]
        self._offsets, self._ends = [], []
        self._view_key = None
        x = 0
        for index in self._across:
            self._offsets.append(x)
            x += self._rows[index].column_width + 2
            self._ends.append(x)
        console = self.app.console
        self._header_height = min(
            max(
                len(self._column_header(i).wrap(console, self._rows[i].column_width))
                for i in self._across
            ),
            MAX_HEADER_HEIGHT,
        )

    def _size_for_columns(self) -> None:
        self._view_key = None  # the columns in view are worked out again
        """The scrollable size for the drugs shown (on the geometry of the structure)."""
        if self._orientation == "columns":
            count = len(self._columns)
            self._drug_offsets = [COLUMN * i for i in range(count)]
            self._drug_ends = [COLUMN * (i + 1) for i in range(count)]
            self.virtual_size = Size(LABELS + COLUMN * count, HEADER_HEIGHT + len(self._lines))
        else:
            width = self._ends[-1] if self._ends else 0
            self.virtual_size = Size(
                DRUG_LABELS + width, self._header_height + DRUG_HEIGHT * len(self._columns)
            )

    def _column_header(self, row: int) -> Text:
        made = self._rows[row]
        return made.header if made.header is not None else made.label

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
        self._view_key = None
        self._pending.clear()
        self._strips.clear()
        self._cells.clear()
        self._by_content.clear()
        self._previous_by_content.clear()
        self._line_cache.clear()

    def _render_text(
        self, text: Text, width: int, height: int, style: Style, wrap: bool, *, cut: int = 0
    ) -> list[Strip]:
        """`height` strips of `width` + 2 cells: the text (wrapped, or one line per line) on the
        widget's style, one space either side; a line that does not fit ends with the cut mark.
        With `cut`, the text is laid out at `width` and each line cut to `cut` cells (a column
        only partly in view)."""
        console = self.app.console
        lines = cells.text_lines(text, width, height, wrap=wrap, console=console)
        if cut:
            lines, width = [cells.fit_line(line, cut) for line in lines], cut
        rendered = []
        for line in lines:
            line.truncate(width, pad=True)
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
        """A cell's strips: the ones last drawn while its text is the same object (a text
        unchanged since the last result, see `_text_of`), else drawn again by content."""
        text = self._text(row, drug_id)
        drawn = self._cells.get((row, drug_id))
        if drawn is not None and drawn[0] is text:
            return drawn[1]
        strips = self._cell_by_content(row, text)
        self._cells[(row, drug_id)] = (text, strips)
        return strips

    def _cell_by_content(self, row: int, text: Text, cut: int = 0) -> list[Strip]:
        if self._orientation == "columns":
            height, width = self._rows[row].height, cells.COLUMN_WIDTH
        else:
            height, width = DRUG_HEIGHT, self._rows[row].column_width
        key = (
            height,
            width * 1000 + cut,
            text.plain,
            text.style,
            tuple(text.spans),
            text.justify,
            text.overflow,
        )
        strips = self._by_content.get(key) or self._previous_by_content.get(key)
        if strips is None:
            strips = self._render_text(text, width, height, self._styles["base"], False, cut=cut)
        self._by_content[key] = strips
        return strips

    def _cut_cell(self, row: int, drug_id: str, cut: int) -> list[Strip]:
        """A cell of the column only partly in view, cut to `cut` cells."""
        return self._cell_by_content(row, self._text(row, drug_id), cut)

    def _header(self, drug_id: str, cut: int = 0) -> list[Strip]:
        """Columns layout: a drug's header; rows layout: its name cell (same text)."""
        style = self._styles["header" if self._orientation == "columns" else "label"]
        width = cells.COLUMN_WIDTH if self._orientation == "columns" else DRUG_LABEL_WIDTH
        return self._cached(
            "header",
            cut,
            drug_id,
            lambda: self._render_text(
                self._headers[drug_id], width, HEADER_HEIGHT, style, True, cut=cut
            ),
        )

    def _label(self, row: int, cut: int = 0) -> list[Strip]:
        """Columns layout: a row's label; rows layout: a column's header."""
        style = self._styles["label" if self._orientation == "columns" else "header"]
        if self._orientation == "columns":
            made = self._rows[row]
            return self._cached(
                "label",
                row,
                "",
                lambda: self._render_text(made.label, cells.LABEL_WIDTH, made.height, style, False),
            )
        return self._cached(
            "label",
            row,
            str(cut),
            lambda: self._render_text(
                self._column_header(row),
                self._rows[row].column_width,
                self._header_height,
                style,
                True,
                cut=cut,
            ),
        )

    def _header_label(self) -> list[Strip]:
        style = self._styles["label"]
        if self._orientation == "columns":
            return self._cached("label", -1, "", lambda: [Strip.blank(LABELS, style)] * 2)
        return self._cached(
            "label",
            -1,
            "",
            lambda: self._render_text(
                Text("Drug", style="bold"), DRUG_LABEL_WIDTH, self._header_height, style, False
            ),
        )

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
        view = self._frame_view()
        line = self._pending.pop(y, None)
        if line is None or line[0] != view.geometry:
            line = self._line(y, view)
        if self._drawn(y, line):
            return self._line_cache[y][2]
        geometry, every = line
        width, base = self.size.width, self._styles["base"]
        strip = _joined(every, geometry[2], width, base) if every else Strip.blank(width, base)
        self._line_cache[y] = (geometry, every, strip)
        return strip

    def _frame_view(self) -> View:
        """The view of the frame being drawn (worked out once a frame, not once a line)."""
        key = (self.size, self.scroll_offset, self._styles.get("base"), self._orientation)
        if self._view_key != key:
            self._view_key, self._frame = key, self._view_now()
        return self._frame

    def _view_now(self) -> View:
        labels = DRUG_LABELS if self._orientation == "rows" else LABELS
        room = max(self._view.width - labels, 0)
        first, last, cut = self._in_view(room) if self._columns else (0, -1, 0)
        geometry = (self.size.width, self.scroll_offset, room, first, cut, self._styles["base"])
        return View(geometry=geometry, first=first, last=last, cut=cut, room=room)

    def _line(self, y: int, view: View) -> Line:
        """What line `y` is drawn from (a blank line has no strips)."""
        if self._columns:
            if self._orientation == "rows":
                return self._row_line(y, view)
            return self._column_line(y, view)
        return _blank(view)

    def _drawn(self, y: int, line: Line) -> bool:
        """Whether line `y` was last drawn from `line` (its strips the same objects)."""
        cached = self._line_cache.get(y)
        if cached is None or cached[0] != line[0] or len(cached[1]) != len(line[1]):
            return False
        return all(old is new for old, new in zip(cached[1], line[1], strict=True))

    def _refresh_changed(self) -> None:
        """Redraw only the lines whose content changed since drawn (every line before the first
        frame): a weight change redraws the lines whose totals or ranks moved, not the rest."""
        self._pending.clear()
        if not self._styles:
            self.refresh()
            return
        height, width = self.size.height, self.size.width
        view = self._frame_view()
        lines = [self._line(y, view) for y in range(height)]
        changed = [y for y, line in enumerate(lines) if not self._drawn(y, line)]
        self._pending = {y: lines[y] for y in changed}
        if len(changed) == height:
            self.refresh()
        elif changed:
            self.refresh(*(Region(0, y, width, 1) for y in changed))

    def _in_view(self, room: int) -> tuple[int, int, int]:
        """(first, last, cut): the whole columns first..last in `room` cells, starting from the
        first column that starts at or right of the scroll position (the table scrolls by whole
        columns), and the cells left for the next one (0: none, or too few to show a word)."""
        offsets, ends = self._spans()
        count = len(offsets)
        first = min(bisect_left(offsets, int(self.scroll_x)), count - 1)
        base = offsets[first]
        last = max(bisect_right(ends, base + room) - 1, first - 1)
        left = room - (ends[last] - base if last >= first else 0) - 2
        cut = left if last + 1 < count and left >= MIN_CUT else 0
        return first, last, cut

    @property
    def _view(self) -> Size:
        """The cells in view: the widget less its scrollbars (always shown, `overflow: scroll`),
        worked out again only when the widget's size changes (every line asks)."""
        size = self.size
        if self._view_of != size:
            self._view_of, self._view_size = size, self.scrollable_content_region.size
        return self._view_size

    def _spans(self) -> tuple[list[int], list[int]]:
        """The x where each column scrolled sideways starts and ends (after its padding)."""
        if self._orientation == "rows":
            return self._offsets, self._ends
        return self._drug_offsets, self._drug_ends

    def _column_line(self, y: int, view: View) -> Line:
        first, last, cut = view.first, view.last, view.cut
        if y < HEADER_HEIGHT:
            label = self._header_label()[y]
            line = y

            def strip_of(index: int, cut: int = 0) -> Strip:
                drug_id = self._columns[index]
                strip = self._header(drug_id, cut)[line]
                if index == self.cursor:
                    strip = strip.apply_style(self._styles["cursor-header"])
                return strip

        else:
            body = y - HEADER_HEIGHT + int(self.scroll_y)
            if body >= len(self._lines):
                return _blank(view)
            row, line = self._lines[body]
            label = self._label(row)[line]

            def strip_of(index: int, cut: int = 0) -> Strip:
                drug_id = self._columns[index]
                strips = self._cut_cell(row, drug_id, cut) if cut else self._cell(row, drug_id)
                strip = strips[line]
                if index == self.cursor:
                    strip = strip.apply_style(self._styles["cursor"])
                return strip

        parts = [strip_of(i) for i in range(first, last + 1)]
        if cut:
            parts.append(strip_of(last + 1, cut))
        return view.geometry, [label, *parts]

    def _row_line(self, y: int, view: View) -> Line:
        first, last, cut = view.first, view.last, view.cut
        shown = range(first, last + 1)
        if y < self._header_height:
            label = self._header_label()[y]
            parts = [self._label(self._across[n])[y] for n in shown]
            if cut:
                parts.append(self._label(self._across[last + 1], cut)[y])
        else:
            body = y - self._header_height + int(self.scroll_y)
            drug, line = divmod(body, DRUG_HEIGHT)
            if drug >= len(self._columns):
                return _blank(view)
            drug_id = self._columns[drug]
            label = self._header(drug_id)[line]
            parts = [self._cell(self._across[n], drug_id)[line] for n in shown]
            if cut:
                parts.append(self._cut_cell(self._across[last + 1], drug_id, cut)[line])
            if drug == self.cursor:
                label = label.apply_style(self._styles["cursor-header"])
                parts = [part.apply_style(self._styles["cursor"]) for part in parts]
        return view.geometry, [label, *parts]

    # ------------------------------------------------------------------ cursor

    def watch_cursor(self, cursor: int) -> None:
        self._scroll_to_cursor()
        self._refresh_changed()
        if self._columns:
            self.post_message(self.Highlighted(self._columns[cursor]))

    def validate_cursor(self, cursor: int) -> int:
        return min(max(cursor, 0), max(len(self._columns) - 1, 0))

    def on_resize(self, event: events.Resize) -> None:
        structure, result = self._structure, self._result
        orientation = self._wanted_orientation()
        if (
            result is not None
            and structure is not None
            and structure[2:]
            != (orientation, result.rank_mode, self._wanted_concern_width(result, orientation))
        ):
            self.relayout()
        else:
            self._line_cache.clear()

    def _scroll_to_cursor(self) -> None:
        if self._orientation == "rows":
            room = max(self._view.height - self._header_height, DRUG_HEIGHT)
            top = self.cursor * DRUG_HEIGHT
            if top < self.scroll_y:
                self.scroll_to(y=top, animate=False, immediate=True)
            elif top + DRUG_HEIGHT > self.scroll_y + room:
                self.scroll_to(y=top + DRUG_HEIGHT - room, animate=False, immediate=True)
            return
        room = max(self._view.width - LABELS, COLUMN)
        left = self.cursor * COLUMN
        if left < self.scroll_x:
            self.scroll_to(x=left, animate=False, immediate=True)
        elif left + COLUMN > self.scroll_x + room:
            self.scroll_to(x=left + COLUMN - room, animate=False, immediate=True)

    def move_to_drug(self, drug_id: str) -> None:
        """Put the cursor on this drug (if shown)."""
        if drug_id in self._columns:
            self.cursor = self._columns.index(drug_id)

    def action_move(self, step: int) -> None:
        self.cursor = self.cursor + step

    def action_key_left(self) -> None:
        if self._orientation == "columns":
            self.action_move(-1)
        else:
            self.scroll_to(x=self._step_x(-1), animate=False)

    def action_key_right(self) -> None:
        if self._orientation == "columns":
            self.action_move(1)
        else:
            self.scroll_to(x=self._step_x(1), animate=False)

    def action_key_up(self) -> None:
        if self._orientation == "rows":
            self.action_move(-1)
        else:
            self.scroll_up(animate=False)

    def action_key_down(self) -> None:
        if self._orientation == "rows":
            self.action_move(1)
        else:
            self.scroll_down(animate=False)

    def _step_x(self, step: int) -> int:
        """Rows layout: the x of the column after (or before) the first one in view."""
        first = self._in_view(max(self._view.width - DRUG_LABELS, 0))[0]
        return self._offsets[min(max(first + step, 0), len(self._offsets) - 1)]

    def action_move_to(self, index: int) -> None:
        self.cursor = index if index >= 0 else len(self._columns) - 1

    def action_select(self) -> None:
        if self._columns:
            self.post_message(self.Selected(self._columns[self.cursor]))

    def on_click(self, event: events.Click) -> None:
        """A click puts the cursor on the drug; a double click opens its profile."""
        offset = event.get_content_offset(self)
        if offset is None or not self._columns:
            return
        if self._orientation == "columns":
            if offset.x < LABELS:
                return
            index = int(offset.x - LABELS + self.scroll_x) // COLUMN
        else:
            if offset.y < self._header_height:
                return
            index = int(offset.y - self._header_height + self.scroll_y) // DRUG_HEIGHT
        if index < len(self._columns):
            self.cursor = index
            if event.chain >= 2:
                self.action_select()
