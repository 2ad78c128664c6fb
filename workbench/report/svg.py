"""The pictures as inline SVG for the page to share: forest plots, contribution and rank bars,
icon arrays. Drawn from the same geometry as the terminal charts (`report.pictures`); every piece
of text is escaped, and shapes, letters and hatching carry the meaning (colour only adds to it).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from workbench.engine.result import Result
from workbench.report import wording
from workbench.report.charts import PALETTE
from workbench.report.pictures import (
    ForestPanel,
    RiskOverHorizon,
    Segment,
    acceptability_segments,
    contribution_segments,
)
from workbench.text import clean_line

WIDTH = 700
"""The drawing's width in SVG units; the page scales it to the column (A4 printable width)."""
NAME_X, PLOT_X, PLOT_W, FIGURE_X = 4, 170, 320, 500
ROW = 22
HATCH = (
    '<defs><pattern id="{id}" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#eeeeee"/>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#888888" stroke-width="2"/></pattern></defs>'
)
"""The hatching of a comparator band and of an open part (drawn, not only coloured)."""


def _text(x: float, y: float, words: str, *, size: int = 12, anchor: str = "start") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}">'
        f"{escape(clean_line(words))}</text>"
    )


def _svg(height: float, body: Sequence[str], label: str) -> str:
    return (
        f'<svg viewBox="0 0 {WIDTH} {height:.0f}" role="img" aria-label="{escape(label)}" '
        f'class="picture">{"".join(body)}</svg>'
    )


def _cut(name: str, length: int = 26) -> str:
    name = clean_line(name)
    return name if len(name) <= length else name[: length - 1] + "…"


# ---------------------------------------------------------------------------- forest


def forest_svg(panel: ForestPanel, hatch_id: str) -> str:
    """One concern's forest plot: a row per drug (marker, bounds, comparator band) on the
    shared axis, with the figure in words on the right, and the axis with its ticks."""
    axis = panel.axis

    def x(value: float) -> float:
        return PLOT_X + axis.fraction(value) * PLOT_W

    body = [HATCH.format(id=hatch_id)]
    for index, row in enumerate(panel.rows):
        y = 16 + index * ROW
        cell = row.cell
        body.append(_text(NAME_X, y + 4, _cut(row.drug.name)))
        body.append(
            f'<line x1="{PLOT_X}" y1="{y}" x2="{PLOT_X + PLOT_W}" y2="{y}" stroke="#dddddd"/>'
        )
        body.append(_text(FIGURE_X, y + 4, wording.figure(cell), size=11))
        if cell.status == "no-data":
            body.append(_text(PLOT_X + PLOT_W / 2, y + 4, "no data", size=11, anchor="middle"))
            continue
        comparator = row.comparator
        if comparator is not None and comparator.low is not None and comparator.high is not None:
            left, right = x(comparator.low), x(comparator.high)
            body.append(
                f'<rect class="band" x="{left:.1f}" y="{y - 8}" width="{max(right - left, 2):.1f}"'
                f' height="16" fill="url(#{hatch_id})"/>'
            )
        elif comparator is not None:
            body.append(
                f'<line class="band" x1="{x(comparator.value):.1f}" y1="{y - 9}" '
                f'x2="{x(comparator.value):.1f}" y2="{y + 9}" stroke="#666666" '
                'stroke-dasharray="2 2" stroke-width="2"/>'
            )
        if cell.low is not None and cell.high is not None and cell.low != cell.high:
            dash = ' stroke-dasharray="5 3"' if cell.value is None else ""
            body.append(
                f'<line class="bounds" x1="{x(cell.low):.1f}" y1="{y}" x2="{x(cell.high):.1f}" '
                f'y2="{y}" stroke="#1f3b73" stroke-width="3"{dash}/>'
            )
        if cell.value is not None and axis.below(cell.value):
            body.append(
                f'<polygon class="marker below" points="{PLOT_X},{y} {PLOT_X + 8},{y - 5} '
                f'{PLOT_X + 8},{y + 5}" fill="#1f3b73"/>'
            )
        elif cell.value is not None:
            body.append(
                f'<circle class="marker" cx="{x(cell.value):.1f}" cy="{y}" r="5" fill="#1f3b73"/>'
            )
    bottom = 16 + len(panel.rows) * ROW - 8
    body.append(
        f'<line x1="{PLOT_X}" y1="{bottom}" x2="{PLOT_X + PLOT_W}" y2="{bottom}" stroke="#333333"/>'
    )
    for tick in axis.ticks():
        body.append(
            f'<line x1="{x(tick):.1f}" y1="{bottom}" x2="{x(tick):.1f}" y2="{bottom + 4}" '
            'stroke="#333333"/>'
        )
        body.append(_text(x(tick), bottom + 16, wording.number(tick), size=10, anchor="middle"))
    return _svg(bottom + 22, body, f"Forest plot: {panel.title}")


# ---------------------------------------------------------------------------- stacked bars


def _stacked(
    rows: Sequence[tuple[str, list[Segment], str]], label: str, hatch_id: str, bar: int = 420
) -> str:
    """Rows of (name, segments, words on the right) as stacked bars `bar` units long for 1."""
    body = [HATCH.format(id=hatch_id)]
    for index, (name, segments, words) in enumerate(rows):
        y = 6 + index * ROW
        body.append(_text(NAME_X, y + 13, _cut(name, 24)))
        left = float(PLOT_X)
        colour = 0
        for segment in segments:
            length = max(segment.share, 0.0) * bar
            if length <= 0:
                continue
            if segment.open:
                fill = f"url(#{hatch_id})"
                css = "segment open"
            else:
                fill = PALETTE[colour % len(PALETTE)]
                css = "segment"
                colour += 1
            body.append(
                f'<rect class="{css}" x="{left:.2f}" y="{y}" width="{length:.2f}" height="16" '
                f'fill="{fill}" stroke="#ffffff" stroke-width="0.5"><title>'
                f"{escape(clean_line(segment.label))}: {wording.score(segment.share)}"
                "</title></rect>"
            )
            if length >= 10 and not segment.open:
                body.append(
                    f'<text x="{left + 2:.1f}" y="{y + 12}" font-size="11" font-weight="bold" '
                    f'fill="#ffffff">{escape(segment.key)}</text>'
                )
            left += length
        body.append(
            f'<line x1="{PLOT_X + bar}" y1="{y - 2}" x2="{PLOT_X + bar}" y2="{y + 18}" '
            'stroke="#999999"/>'
        )
        body.append(_text(PLOT_X + bar + 8, y + 13, words, size=11))
    return _svg(10 + len(rows) * ROW, body, label)


def contributions_svg(result: Result, hatch_id: str) -> str:
    """Each drug's total as its weighted contributions, in rank order; hatched: open part."""
    rows = [
        (
            f"{wording.rank(drug)} {drug.name}",
            contribution_segments(drug, result.criteria),
            wording.total(drug),
        )
        for drug in result.drugs
    ]
    return _stacked(rows, "Contributions to each drug's total", hatch_id)


def acceptability_svg(result: Result, hatch_id: str) -> str:
    """Each drug's rank acceptabilities as one stacked bar (the ranks are the segment labels)."""
    rows = [
        (
            drug.name,
            acceptability_segments(drug),
            "" if drug.expected_rank is None else f"expected rank {drug.expected_rank:.1f}",
        )
        for drug in result.drugs
        if drug.acceptability
    ]
    return _stacked(rows, "Rank acceptability", hatch_id) if rows else ""


# ---------------------------------------------------------------------------- icon arrays

ICON_GRID = {1000: (50, 7.0, 2.6), 100: (10, 14.0, 5.5)}
"""Population → (columns, spacing, radius) of the icon array."""


def icon_array_svg(risk: RiskOverHorizon, pattern_id: str) -> str:
    """The people of the population as circles in reading order: the affected ones filled,
    the others hollow (two patterns: the page stays small with thousands of people)."""
    population = risk.population
    columns, step, radius = ICON_GRID[population]
    affected = risk.affected
    full_rows, rest = divmod(affected, columns)
    width, height = columns * step, (population // columns) * step
    centre = step / 2
    body = [
        "<defs>",
        f'<pattern id="{pattern_id}-clear" width="{step}" height="{step}" '
        'patternUnits="userSpaceOnUse">'
        f'<circle cx="{centre}" cy="{centre}" r="{radius}" fill="none" stroke="#999999" '
        'stroke-width="0.8"/></pattern>',
        f'<pattern id="{pattern_id}-hit" width="{step}" height="{step}" '
        'patternUnits="userSpaceOnUse">'
        f'<circle cx="{centre}" cy="{centre}" r="{radius}" fill="#b3261e"/></pattern>',
        "</defs>",
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="url(#{pattern_id}-clear)"/>',
    ]
    for x, y, w, h in ((0, 0, width, full_rows * step), (0, full_rows * step, rest * step, step)):
        if w > 0 and h > 0:
            body.append(
                f'<rect class="affected" x="{x}" y="{y:.0f}" width="{w:.0f}" height="{h:.0f}" '
                f'fill="#ffffff"/><rect class="affected" x="{x}" y="{y:.0f}" width="{w:.0f}" '
                f'height="{h:.0f}" fill="url(#{pattern_id}-hit)"/>'
            )
    label = f"{risk.cell.label}: {affected} of {population} people"
    return (
        f'<svg viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="{escape(label)}" '
        f'class="icons icons-{population}" data-affected="{affected}" '
        f'data-population="{population}">{"".join(body)}</svg>'
    )
