"""The pictures drawn with Rich text and block characters, for the app and the case note.

Every chart reads without colour: shapes and letters carry the meaning (`●` a figure, `━` its
bounds, `░` the comparator's band or an open part, a letter at the start of each stacked segment),
and styles only add to them. Profile text is cleaned (`clean_line`) and never read as markup.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from functools import lru_cache

from rich.cells import cell_len
from rich.style import Style
from rich.text import Span, Text

from workbench.engine.result import Result
from workbench.report import wording
from workbench.report.pictures import (
    CONSTANT_RATE,
    ForestPanel,
    ForestRow,
    RiskOverHorizon,
    Segment,
    acceptability_segments,
    comparison_words,
    concern_keys,
    contribution_segments,
    forest,
    risk_words,
    segment_cells,
)
from workbench.text import clean_line

MARKER, BELOW, INTERVAL, OPEN_RANGE, BAND, BAND_VALUE = "●", "◂", "━", "╍", "░", "┆"
FOREST_LEGEND = (
    f"{MARKER} figure   {INTERVAL} its 95% CI or published range   {OPEN_RANGE} strata the case "
    f"leaves open   {BAND} comparator or MS background rate ({BAND_VALUE} without bounds)   "
    f"{BELOW} 0 (left of a log axis)"
)
NAME_WIDTH = 18
"""Drug names longer than this are cut with an ellipsis in the charts (full in the text)."""
MIN_PLOT = 20
"""The forest plot's narrowest axis; below it the figures go on a line of their own."""
FILLS = ("█", "▓")
"""Adjacent stacked segments alternate these fills, so they part without colour."""
PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948")
"""Segment colours, in concern (or rank) order: an addition to the letters, never instead."""
_SEGMENT_STYLES = [(Style.parse(f"bold reverse {c}"), Style.parse(c)) for c in PALETTE]
"""(key, fill) styles per colour, parsed once: a weight key redraws every bar."""
ICON_AFFECTED, ICON_HALF, ICON_CLEAR = "█", "▀", "·"
ICON_COLUMNS = {1000: 50, 100: 10}
"""Characters per line of an icon array; each character holds two cells, one above the other."""


def _name(name: str, width: int = NAME_WIDTH) -> str:
    name = clean_line(name)
    return name if len(name) <= width else name[: width - 1] + "…"


# ---------------------------------------------------------------------------- forest


def _plot(row: ForestRow, panel: ForestPanel, width: int) -> Text:
    """One drug's line of the plot: the comparator band, the bounds, the figure's marker."""
    axis, cell = panel.axis, row.cell
    glyphs = [" "] * width
    styles = [""] * width

    def put(x: float, glyph: str, style: str) -> None:
        position = axis.cell(x, width)
        glyphs[position], styles[position] = glyph, style

    def span(low: float, high: float, glyph: str, style: str) -> None:
        for position in range(axis.cell(low, width), axis.cell(high, width) + 1):
            glyphs[position], styles[position] = glyph, style

    if cell.status == "no-data":
        words = "no data"
        start = max((width - len(words)) // 2, 0)
        return Text(" " * start + words + " " * (width - start - len(words)), style="italic")
    comparator = row.comparator
    if comparator is not None:
        if comparator.low is not None and comparator.high is not None:
            span(comparator.low, comparator.high, BAND, "dim")
        else:
            put(comparator.value, BAND_VALUE, "dim")
    if cell.low is not None and cell.high is not None and cell.low != cell.high:
        span(cell.low, cell.high, OPEN_RANGE if cell.value is None else INTERVAL, "bold")
    if cell.value is not None:
        put(cell.value, BELOW if axis.below(cell.value) else MARKER, "bold")
    text = Text()
    for glyph, style in zip(glyphs, styles, strict=True):
        text.append(glyph, style=style)
    return text


def _comparison_words(row: ForestRow) -> str:
    """`░ placebo arm: 0.3 [0.1–0.9]; difference +0.4 [−0.1 to 0.9]` ('' without comparator)."""
    words = comparison_words(row)
    return clean_line(f"{BAND} {words}" if row.comparator is not None else words)


def _axis_lines(panel: ForestPanel, indent: int, width: int) -> list[Text]:
    """The axis under the rows: ticks, then their figures (none overlapping)."""
    ticks = [(panel.axis.cell(x, width), wording.number(x)) for x in panel.axis.ticks()]
    line = ["─"] * width
    for position, _ in ticks:
        line[position] = "┴"
    labels = [" "] * (width + 8)
    free = 0
    for position, label in ticks:
        start = min(max(position - len(label) // 2, free), width + 8 - len(label))
        if start < free:
            continue
        labels[start : start + len(label)] = label
        free = start + len(label) + 1
    pad = " " * indent
    return [
        Text(pad + "└" + "".join(line) + "┘", style="dim"),
        Text(pad + " " + "".join(labels).rstrip(), style="dim"),
    ]


def forest_panel(panel: ForestPanel, width: int) -> list[Text]:
    """A concern's forest plot in at most `width` cells: title, a line per drug (name, plot,
    figure), the comparator and difference under it, and the axis."""
    names = [_name(row.drug.name) for row in panel.rows]
    name_width = max(len(n) for n in names)
    figures = [clean_line(wording.figure(row.cell)) for row in panel.rows]
    figure_width = min(max(len(f) for f in figures), 30)
    plot = width - name_width - figure_width - 4
    inline = plot >= MIN_PLOT
    if not inline:
        plot = max(width - name_width - 3, 8)
    lines = [Text(clean_line(panel.title), style="bold")]
    indent = name_width + 1
    for row, name, figure in zip(panel.rows, names, figures, strict=True):
        line = Text(name.ljust(name_width) + " │")
        line.append_text(_plot(row, panel, plot))
        line.append("│")
        if inline:
            line.append(" " + figure)
            lines.append(line)
        else:
            lines += [line, Text(" " * (indent + 1) + figure)]
        words = _comparison_words(row)
        if words:
            for part in textwrap.wrap(words, max(width - indent - 1, 20)):
                lines.append(Text(" " * (indent + 1) + part, style="dim"))
    return [*lines, *_axis_lines(panel, indent, plot)]


def forest_lines(result: Result, width: int) -> list[Text]:
    """Every concern's forest plot, one after the other, then the legend."""
    lines: list[Text] = []
    for panel in forest(result):
        lines += [*forest_panel(panel, width), Text()]
    legend = textwrap.wrap(FOREST_LEGEND, width)
    return [*lines, *(Text(part, style="dim") for part in legend)]


# ---------------------------------------------------------------------------- stacked bars


def stacked_bar(segments: Sequence[Segment], width: int) -> Text:
    """A bar of `width` cells for the share 0–1: each segment starts with its key when it is
    long enough and is filled with alternating blocks; an open segment is hatched."""
    return _assembled(_bar_parts(segments, width))


def _bar_parts(segments: Sequence[Segment], width: int) -> list[tuple[str, Style | None]]:
    """The parts of `stacked_bar` (text, style), the padding included."""
    parts: list[tuple[str, Style | None]] = []
    cells = segment_cells(segments, width)
    colour = 0
    for segment, length in zip(segments, cells, strict=True):
        if length <= 0:
            continue
        if segment.open:
            parts.append((segment.key * length, None))
            continue
        fill = FILLS[colour % len(FILLS)]
        key_style, fill_style = _SEGMENT_STYLES[colour % len(PALETTE)]
        colour += 1
        key = segment.key if len(segment.key) <= length else ""
        parts += [(key, key_style), (fill * (length - len(key)), fill_style)]
    used = sum(len(part) for part, _ in parts)
    return [*parts, (" " * (width - used), None)]


def _assembled(parts: Sequence[tuple[str, Style | None]], style: str = "") -> Text:
    """One Text (on `style`) of `parts`, each with its own style (None: none), built at once: a
    bar is made for every drug on every weight key, and appending part by part costs several
    times more."""
    spans = []
    start = 0
    for part, part_style in parts:
        end = start + len(part)
        if part_style is not None and end > start:
            spans.append(Span(start, end, part_style))
        start = end
    return Text("".join(part for part, _ in parts), style=style, spans=spans)


@lru_cache(maxsize=64)
def _legend_lines(parts: tuple[str, ...], width: int) -> tuple[str, ...]:
    """The legend's parts joined by ` · `, wrapped to `width` (the same on every weight key)."""
    return tuple(textwrap.wrap(" · ".join(parts), width)) or ("",)


def contribution_legend(result: Result, width: int) -> list[Text]:
    """`R Relapse reduction · S … · ░ open (no data or a range)`: the keys of the bars."""
    keys = concern_keys(result.criteria)
    parts = tuple(
        f"{keys[c.id]} {clean_line(c.label)}"
        for c in result.criteria
        if result.weights.get(c.id, 0.0) > 0
    )
    lines = _legend_lines((*parts, "░ open (no data or a range)"), width)
    return [Text(line, style="dim") for line in lines]


def contribution_line(
    result: Result,
    index: int,
    width: int,
    name_width: int | None = None,
    keys: Mapping[str, str] | None = None,
) -> Text:
    """Drug `index` of the result: rank, name, its stacked contributions, its total
    (`name_width` and `keys` are computed when not given)."""
    drug = result.drugs[index]
    if name_width is None:
        name_width = min(max(len(_name(d.name)) for d in result.drugs), NAME_WIDTH)
    rank = f"{wording.rank(drug):>3} "
    name = _name(drug.name).ljust(name_width) + " "
    bar_width = max(width - cell_len(rank + name) - len("0.000–0.000") - 2, 10)
    segments = contribution_segments(drug, result.criteria, keys)
    total = "│ " + wording.total(drug)
    parts = [(rank, None), (name, None), *_bar_parts(segments, bar_width), (total, None)]
    return _assembled(parts, style="bold")


def contribution_lines(result: Result, width: int) -> list[Text]:
    """The legend, then every drug's stacked contributions in the result's (rank) order."""
    title = Text("Contributions to the total (0 to 1), in rank order", style="bold")
    name_width = min(max((len(_name(d.name)) for d in result.drugs), default=0), NAME_WIDTH)
    keys = concern_keys(result.criteria)
    body = [contribution_line(result, i, width, name_width, keys) for i in range(len(result.drugs))]
    return [title, *contribution_legend(result, width), *body]


def acceptability_lines(result: Result, width: int) -> list[Text]:
    """Per drug, its rank acceptabilities as one stacked bar (the digits are the ranks)."""
    drugs = [d for d in result.drugs if d.acceptability]
    if not drugs:
        return []
    name_width = min(max(len(_name(d.name)) for d in drugs), NAME_WIDTH)
    lines = []
    for drug in drugs:
        line = Text(_name(drug.name).ljust(name_width) + " ", style="bold")
        extra = "" if drug.expected_rank is None else f" expected rank {drug.expected_rank:.1f}"
        bar_width = max(width - line.cell_len - len(extra) - 1, 10)
        line.append_text(stacked_bar(acceptability_segments(drug), bar_width))
        line.append("│" + extra)
        lines.append(line)
    legend = "each bar: the share of samples giving the drug rank 1, 2, … (segments start with it)"
    return [*lines, Text(legend, style="dim")]


# ---------------------------------------------------------------------------- icon arrays


def icon_rows(risk: RiskOverHorizon) -> list[str]:
    """The icon array as lines: each character two people, one above the other, filled in
    reading order (`█` both affected, `▀` the upper one, `·` neither)."""
    population = risk.population
    columns = ICON_COLUMNS[population]
    affected = risk.affected
    chars = []
    for index in range(population // 2):
        filled = min(max(affected - 2 * index, 0), 2)
        chars.append((ICON_CLEAR, ICON_HALF, ICON_AFFECTED)[filled])
    return ["".join(chars[i : i + columns]) for i in range(0, len(chars), columns)]


def icon_array(risk: RiskOverHorizon, *, name: bool = False) -> list[Text]:
    """Caption (`PML risk: 4 in 1,000 over 48 months [1–9]`) and the array of a drug's risk."""
    label = clean_line(risk.cell.label)
    if name:
        label = f"{clean_line(risk.drug.name)} — {label}"
    lines = [Text(f"{label}: {clean_line(risk_words(risk))}", style="bold")]
    if risk.share is None:
        lines.append(Text("  no single figure: no array (see the range above)", style="italic"))
        return lines
    for row in icon_rows(risk):
        text = Text("  ")
        for char in row:
            text.append(char, style="dim" if char == ICON_CLEAR else "bold")
        lines.append(text)
    return lines


ICON_LEGEND = (
    f"Each character is two people, one above the other: {ICON_AFFECTED} both affected, "
    f"{ICON_HALF} the upper one, {ICON_CLEAR} neither."
)


def icon_notes(risks: Sequence[RiskOverHorizon], *, name: bool = False) -> list[Text]:
    """Icon arrays of several risks with the legend and, when used, the constant-rate note."""
    lines: list[Text] = []
    for risk in risks:
        lines += icon_array(risk, name=name)
    if risks:
        lines.append(Text(ICON_LEGEND, style="dim"))
    if any(r.constant_rate for r in risks):
        lines.append(Text(CONSTANT_RATE, style="dim"))
    return lines
