"""The comparison table's cells as rich `Text`: numbers, bars and words — never colour alone.

Pure functions of the engine's Result; profile text goes through `workbench.text.clean_line` and is
never parsed as markup.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from functools import lru_cache

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from workbench.engine.result import CriterionResult, DrugResult, Flag, ReservationStatus
from workbench.profiles.records import Criterion
from workbench.report import wording
from workbench.text import clean_line

BAR_WIDTH = 6
MIN_BAR_WIDTH = 2
"""Narrowest value bar: a narrower cell leaves it this wide to keep the contribution whole."""
COLUMN_WIDTH = 18
"""Width of a drug column: fits every cell below; a longer drug name wraps onto the second line."""
LABEL_WIDTH = 24
"""Width of the row labels; a longer unit is cut with an ellipsis (it is in full in the notes)."""
BOUND_DIGITS = 2
"""Significant digits of a cell's bounds when its value line would not fit in 3."""
_EIGHTHS = " ▏▎▍▌▋▊▉"
number = wording.number
points = wording.score

COMPACT_WIDTH = MIN_BAR_WIDTH + len(f" +{points(0)}–{points(0)}")
"""Narrowest concern cell: its second line (the narrowest bar and a contribution range) whole."""


def bar(low: float, high: float | None = None, width: int = BAR_WIDTH) -> Text:
    """A bar of a fraction 0–1; with `high`, the span low→high is hatched (undetermined)."""
    low = min(max(low, 0.0), 1.0)
    high = low if high is None else min(max(high, low), 1.0)
    eighths = round(low * width * 8)
    full, part = divmod(eighths, 8)
    solid = "█" * full + (_EIGHTHS[part] if part and full < width else "")
    hatched_cells = max(round(high * width) - len(solid), 0)
    text = Text(solid, style="bold")
    text.append("░" * hatched_cells)
    text.append("·" * max(width - len(solid) - hatched_cells, 0), style="dim")
    return text


def drug_header(drug: DrugResult) -> Text:
    """Column header: the drug name, then its routes (and 'off-label') if the name fits a line
    (one shared Text per distinct header: a weight key asks for every drug's)."""
    return _header(drug.name, drug.routes, drug.off_label)


@lru_cache(maxsize=1024)
def _header(name: str, routes: tuple[str, ...], off_label: bool) -> Text:
    name = clean_line(name)
    text = Text()
    text.append(name, style="bold")
    if len(name) <= COLUMN_WIDTH:
        details = " · ".join(routes)
        if off_label:
            details += " · off-label"
        text.append("\n" + details, style="dim")
    return text


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def concern_label(criterion: Criterion) -> Text:
    """Row label of a concern: name and which way is better (↑ higher, ↓ lower), then unit."""
    arrow = "↑" if criterion.direction == "benefit" else "↓"
    text = Text()
    text.append(_fit(f"{clean_line(criterion.label)} {arrow}", LABEL_WIDTH), style="bold")
    text.append("\n" + _fit(clean_line(criterion.unit), LABEL_WIDTH), style="dim")
    return text


def value_cell(cell: CriterionResult, width: int = COLUMN_WIDTH) -> Text:
    """Line 1: the context-adjusted value (bounds in brackets), a range or 'no data', then its
    marks; where the line would not fit `width` cells, the bounds to 2 significant digits, then
    a range of strata without the word (its `a … b` says it, see the legend).
    Line 2: the value bar, narrower where the contribution needs the room, and the weighted
    contribution."""
    text = _marked(cell, _value_line(cell))
    if text.cell_len > width:
        text = _marked(cell, _value_line(cell, BOUND_DIGITS))
    if text.cell_len > width:
        text = _marked(cell, _value_line(cell, BOUND_DIGITS, named=False))
    text.append("\n")
    if cell.contribution is not None:
        contribution = f" +{points(cell.contribution)}"
    else:
        contribution = f" +{points(cell.contribution_low)}–{points(cell.contribution_high)}"
    room = max(min(BAR_WIDTH, width - len(contribution)), MIN_BAR_WIDTH)
    if cell.value_score is not None:
        text.append_text(bar(cell.value_score, width=room))
    else:
        text.append_text(bar(cell.score_low, cell.score_high, room))
    text.append(contribution)
    return text


def _marked(cell: CriterionResult, text: Text) -> Text:
    """The value line followed by its basis mark, modifier mark and clamp mark."""
    mark = wording.basis_mark(cell)
    if mark:
        text.append(f" {mark}", style="italic")
    if cell.evidence.modifiers:  # a patient feature changed the figure (or may): see the notes
        text.append(wording.modified_mark(cell), style="bold")
    if cell.clamped:
        text.append(" ⇥", style="dim")
    return text


def _rounded(value: float, digits: int, rounding: str = ROUND_HALF_EVEN) -> float:
    """`value` to `digits` significant digits (ROUND_FLOOR: down, ROUND_CEILING: up)."""
    if value == 0 or not math.isfinite(value):
        return value
    exponent = math.floor(math.log10(abs(value))) - digits + 1
    step = Decimal(1).scaleb(exponent)
    return float(Decimal(repr(value)).quantize(step, rounding=rounding))


def _short_bounds(cell: CriterionResult, digits: int) -> tuple[float | None, float | None]:
    """The bounds to `digits` significant digits, each rounded away from the value where the
    nearest would pass it (never `63.8 (64–64)`: `63.8 (63–64)`)."""
    low, high, value = cell.low, cell.high, cell.value
    if low is not None:
        near = _rounded(low, digits)
        low = _rounded(low, digits, ROUND_FLOOR) if value is not None and near > value else near
    if high is not None:
        near = _rounded(high, digits)
        high = _rounded(high, digits, ROUND_CEILING) if value is not None and near < value else near
    return low, high


def _value_line(cell: CriterionResult, digits: int | None = None, *, named: bool = True) -> Text:
    """The value with its bounds (with `digits`: to that many significant digits, see
    `_short_bounds`), or the range of strata (`named`: followed by 'strata'), or 'no data'."""
    ev = cell.evidence
    low, high = (cell.low, cell.high) if digits is None else _short_bounds(cell, digits)
    if cell.status == "no-data":
        return Text("no data", style="italic")
    if cell.status == "stratum-range" or cell.value is None:
        text = Text(wording.interval(low, high, "strata"))
        text.append(" strata" if named else "", style="dim")
        return text
    text = Text(number(cell.value), style="bold")
    if cell.low != cell.value or cell.high != cell.value:
        bounds = wording.interval(low, high, ev.interval_kind)
        text.append(f" {bounds}" if bounds else "", style="dim")
    if ev.averaged_months is not None:
        text.append(" avg", style="dim")
    if ev.extrapolated_beyond is not None:
        text.append(" ext", style="dim")
    return text


def total_cell(drug: DrugResult) -> Text:
    """The total value, or its worst–best range when the drug is incomplete."""
    if drug.score is not None:
        text = Text(points(drug.score), style="bold")
        text.append(" ")
        text.append_text(bar(drug.score))
        return text
    low, high = drug.score_range
    text = Text(f"{points(low)}–{points(high)}", style="bold")
    text.append(" ")
    text.append_text(bar(low, high))
    return text


def rank_cell(drug: DrugResult) -> Text:
    """The rank (or 'not ranked'), marked when the total is a range."""
    text = Text(wording.rank(drug), style="bold")
    if mark := wording.range_mark(drug):
        text.append(f" {mark}", style="italic")
    return text


def reservation_cell(status: ReservationStatus | None) -> Text:
    """Reservation in the chosen region: 'unrestricted', or restricted with the patient's status."""
    words = wording.reservation(status)
    if status is None:
        return Text(words, style="italic")
    if not status.restricted:
        return Text(words, style="dim")
    return Text(words, style="bold" if status.patient_meets is False else "")


def flags_cell(flags: Iterable[Flag]) -> Text:
    """Flag counts by level, undecided ones apart (`✖1 ✖?1 ▲2 i3`; 'none' without flags)."""
    words = wording.flag_counts(flags)
    return Text(words, style="dim" if words == "none" else "")


CUT_MARK = "…"
"""Ends a line cut to fit its column: what is left of it is whole words, never part of a number."""


def fit_line(line: Text, width: int, *, cut: bool = False) -> Text:
    """`line` when it fits `width` cells (and is not `cut`: more text follows it), else its
    longest run of whole words that fits with ` …` after it. A first word too long for the
    column is cut itself only when it holds no digit (a name), else only the mark is left."""
    if not cut and line.cell_len <= width:
        return line
    plain = line.plain.rstrip()
    ends = [i for i, char in enumerate(plain) if char == " " and i and plain[i - 1] != " "]
    if cut:
        ends.append(len(plain))
    fitting = [end for end in ends if cell_len(plain[:end]) + 2 <= width]
    if fitting:
        fitted = line[: fitting[-1]]
        fitted.append(" " + CUT_MARK, style="dim")
        return fitted
    first = plain.split(" ", 1)[0]
    if width >= 2 and not any(char.isdigit() for char in first):
        fitted = line[: width - 1]
        fitted.append(CUT_MARK, style="dim")
        return fitted
    return Text(CUT_MARK[:width], style="dim")


def text_lines(text: Text, width: int, height: int, *, wrap: bool, console: Console) -> list[Text]:
    """At most `height` lines of `text`, each fitting `width` cells: wrapped at word ends, or one
    per line of the text; a line too long, or the last one kept when lines are left over, is cut
    with the mark."""
    if wrap:
        lines = list(text.wrap(console, width, overflow="fold"))
    else:
        lines = list(text.split("\n", allow_blank=True))
    kept = [fit_line(line, width) for line in lines[:height]]
    if len(lines) > height and kept:
        kept[-1] = fit_line(kept[-1], width, cut=True)
    return kept
