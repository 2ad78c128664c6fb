"""What the pictures show, drawn from the engine's Result: the forest plot's axes and rows, the
stacked contribution and rank-acceptability bars, the icon arrays of the risk over the horizon.

Geometry only, no drawing: the terminal charts (`report.charts`) and the page's SVG
(`report.svg`) both draw from these, so a marker sits at the same place of the axis in both. Every
number comes from the Result (the risks over the horizon are the engine's cumulative figures); the
only arithmetic here is placing a number on an axis or a grid.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from workbench.engine.result import ComparatorFigure, CriterionResult, DrugResult, Result
from workbench.profiles.records import Criterion
from workbench.record import Record
from workbench.report import wording

LOG_SPAN = 30.0
"""A concern whose positive figures span this factor or more (one and a half decades: PML) gets a
log axis."""


# ---------------------------------------------------------------------------- axes


class Axis(Record):
    """A horizontal axis from `low` to `high`, linear or logarithmic (then `low` > 0; figures at
    or below it, such as 0 events, sit at its left end)."""

    low: float
    high: float
    log: bool

    def fraction(self, x: float) -> float:
        """Where `x` lies along the axis, 0 (left end) to 1 (right end), clamped."""
        if self.log:
            if x <= self.low:
                return 0.0
            where = math.log10(x / self.low) / math.log10(self.high / self.low)
        else:
            where = (x - self.low) / (self.high - self.low)
        return min(max(where, 0.0), 1.0)

    def cell(self, x: float, width: int) -> int:
        """The cell 0…width−1 of a `width`-cell axis holding `x`."""
        return min(int(self.fraction(x) * width), width - 1)

    def below(self, x: float) -> bool:
        """True for a figure left of a log axis (0, or smaller than its first decade)."""
        return self.log and x < self.low

    def ticks(self) -> tuple[float, ...]:
        """Round figures to label: every decade of a log axis; 0, the middle and the end of a
        linear one (and its start when it is not 0)."""
        if self.log:
            first, last = round(math.log10(self.low)), round(math.log10(self.high))
            return tuple(10.0**k for k in range(first, last + 1))
        middle = (self.low + self.high) / 2
        return (self.low, middle, self.high)


def _nice_ceiling(x: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k at or above `x` (> 0)."""
    magnitude = 10.0 ** math.floor(math.log10(x))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if step * magnitude >= x * (1 - 1e-9):
            return step * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def axis_for(figures: Iterable[float]) -> Axis:
    """The shared axis of a concern's figures: log when the positive ones span two decades or
    more, else linear from 0 (or the lowest negative figure) to a round ceiling."""
    values = [x for x in figures if math.isfinite(x)]
    positive = [x for x in values if x > 0]
    if positive and max(positive) / min(positive) >= LOG_SPAN:
        low = 10.0 ** math.floor(math.log10(min(positive)))
        high = 10.0 ** math.ceil(math.log10(max(positive)))
        return Axis(low=low, high=high if high > low else low * 10, log=True)
    top = max(values, default=0.0)
    bottom = min([*values, 0.0])
    high = _nice_ceiling(top) if top > 0 else 1.0
    low = -_nice_ceiling(-bottom) if bottom < 0 else 0.0
    return Axis(low=low, high=high, log=False)


# ---------------------------------------------------------------------------- forest plot


class ForestRow(Record):
    """One drug on a concern's forest plot: its figure, bounds, comparator and difference."""

    drug: DrugResult
    cell: CriterionResult

    @property
    def comparator(self) -> ComparatorFigure | None:
        return self.cell.evidence.comparator if self.cell.status != "no-data" else None

    def figures(self) -> list[float]:
        """Every number this row puts on the axis."""
        c = self.cell
        out = [x for x in (c.value, c.low, c.high) if x is not None]
        if c.status == "no-data":
            return []
        comp = self.comparator
        if comp is not None:
            out += [x for x in (comp.value, comp.low, comp.high) if x is not None]
        return out


def comparison_words(row: ForestRow) -> str:
    """`placebo arm: 0.3 [0.1–0.9]; difference +0.4 [−0.1 to 0.9]` ('' without comparator)."""
    parts = []
    if row.comparator is not None:
        parts.append(wording.comparator(row.comparator))
    if row.cell.evidence.difference is not None and row.cell.status != "no-data":
        parts.append(wording.difference(row.cell.evidence.difference))
    return "; ".join(parts)


class ForestPanel(Record):
    """One concern: its shared axis and a row per drug, in the result's order."""

    criterion: Criterion
    axis: Axis
    rows: tuple[ForestRow, ...]

    @property
    def title(self) -> str:
        better = "higher is better" if self.criterion.direction == "benefit" else "lower is better"
        scale = "log axis" if self.axis.log else "linear axis"
        return f"{self.criterion.label} — {self.criterion.unit} ({scale}; {better})"


def forest(result: Result) -> tuple[ForestPanel, ...]:
    """A forest panel per concern with at least one drug on it (drugs without the concern are
    left out; a drug without data keeps its row, which says so)."""
    panels = []
    for criterion in result.criteria:
        rows = tuple(
            ForestRow(drug=drug, cell=drug.criteria[criterion.id])
            for drug in result.drugs
            if criterion.id in drug.criteria
        )
        if not rows:
            continue
        axis = axis_for(x for row in rows for x in row.figures())
        panels.append(ForestPanel(criterion=criterion, axis=axis, rows=rows))
    return tuple(panels)


# ---------------------------------------------------------------------------- stacked bars


class Segment(Record):
    """A part of a stacked bar: its one-to-two character key, what it stands for and its share
    of the whole bar (0–1). `open` marks the undetermined part (no data or a range)."""

    key: str
    label: str
    share: float
    open: bool = False


def concern_keys(criteria: Sequence[Criterion]) -> dict[str, str]:
    """A distinct capital letter per concern: the first letter of its label, else the first
    letter of a later word, else any letter of it (`P` PML risk, `W` Pregnancy wait)."""
    keys: dict[str, str] = {}
    used: set[str] = set()
    for criterion in criteria:
        words = criterion.label.split()
        candidates = [w[0] for w in words if w] + [ch for w in words for ch in w[1:]]
        candidates += [chr(c) for c in range(ord("A"), ord("Z") + 1)]
        key = next(
            (ch.upper() for ch in candidates if ch.isalpha() and ch.upper() not in used), "?"
        )
        used.add(key)
        keys[criterion.id] = key
    return keys


def contribution_segments(
    drug: DrugResult, criteria: Sequence[Criterion], keys: Mapping[str, str] | None = None
) -> list[Segment]:
    """A drug's total as stacked weighted contributions, in concern order, then the open part:
    a concern without a single value counts at its worst case, and the span up to its best case
    (no data, or a range of strata) is the open segment. The shares add up to the best case.
    `keys`: `concern_keys(criteria)`, when the caller has them already."""
    keys = concern_keys(criteria) if keys is None else keys
    segments: list[Segment] = []
    open_share = 0.0
    for criterion in criteria:
        cell = drug.criteria.get(criterion.id)
        if cell is None or cell.weight <= 0:
            continue
        fixed = cell.contribution if cell.contribution is not None else cell.contribution_low
        segments.append(Segment(key=keys[criterion.id], label=criterion.label, share=fixed))
        if cell.contribution is None:
            open_share += cell.contribution_high - cell.contribution_low
    if open_share > 0:
        segments.append(
            Segment(key="░", label="open: no data or a range", share=open_share, open=True)
        )
    return segments


def acceptability_segments(drug: DrugResult) -> list[Segment]:
    """The drug's rank acceptabilities as a stacked bar: one segment per rank, keyed by it."""
    return [
        Segment(key=str(rank), label=f"rank {rank}", share=share)
        for rank, share in enumerate(drug.acceptability or (), start=1)
    ]


def segment_cells(segments: Sequence[Segment], width: int) -> list[int]:
    """The cells each segment takes on a `width`-cell bar whose full length is a share of 1:
    boundaries are the rounded cumulative shares, so every segment is within one cell of
    share × width and the total within half a cell."""
    cells: list[int] = []
    total = 0.0
    edge = 0
    for segment in segments:
        total += max(segment.share, 0.0)
        end = min(round(total * width), width)
        cells.append(max(end - edge, 0))
        edge = max(end, edge)
    return cells


# ---------------------------------------------------------------------------- icon arrays


class RiskOverHorizon(Record):
    """One drug's risk of one concern over the treatment horizon, for an icon array: the share
    of patients (0–1) and its bounds, or the bounds only for strata the case leaves open."""

    drug: DrugResult
    cell: CriterionResult
    months: int
    share: float | None
    low: float | None
    high: float | None
    constant_rate: bool
    """True when the engine's figure is one yearly rate held over the horizon
    (1 − e^(−rate × years)); False when annual risks of exposure bands were multiplied."""

    @property
    def population(self) -> int:
        """Cells of the array: 1,000, or 100 when the risk is 10% or more."""
        top = self.share if self.share is not None else (self.high or 0.0)
        return 100 if top >= 0.1 else 1000

    @property
    def affected(self) -> int:
        """Cells filled: the share of the population, rounded."""
        return round((self.share or 0.0) * self.population)


def risk_over_horizon(drug: DrugResult, criterion: Criterion) -> RiskOverHorizon | None:
    """The risk over the horizon of a per-year risk concern, from the engine's cumulative figure
    (None for other concerns, or without one: no data)."""
    cell = drug.criteria.get(criterion.id)
    if cell is None or criterion.direction == "benefit" or cell.status == "no-data":
        return None
    cumulative = cell.evidence.cumulative
    if cumulative is None:
        return None
    per = cumulative.per

    def part(x: float | None) -> float | None:
        return None if x is None else x / per

    return RiskOverHorizon(
        drug=drug,
        cell=cell,
        months=cumulative.months,
        share=part(cumulative.value),
        low=part(cumulative.low),
        high=part(cumulative.high),
        constant_rate=cumulative.method == "constant-rate",
    )


def risks(result: Result, drugs: Iterable[DrugResult] | None = None) -> list[RiskOverHorizon]:
    """Every drug × per-year risk concern with a figure, drug by drug in the result's order."""
    out = []
    for drug in result.drugs if drugs is None else drugs:
        for criterion in result.criteria:
            risk = risk_over_horizon(drug, criterion)
            if risk is not None:
                out.append(risk)
    return out


def in_population(share: float, population: int) -> str:
    """`4`, `<1` (a risk above 0 that rounds to no one) or `0` people of `population`."""
    count = round(share * population)
    if count == 0 and share > 0:
        return "<1"
    return f"{count:,}"


def risk_words(risk: RiskOverHorizon) -> str:
    """`4 in 1,000 over 48 months [1–9]` or, for open strata, `1 … 12 in 1,000 over 48 months`."""
    population = risk.population
    span = f"over {risk.months} months"
    if risk.share is None:
        if risk.low is None or risk.high is None:
            return f"a range of strata {span} (bounds not given)"
        low, high = in_population(risk.low, population), in_population(risk.high, population)
        return f"{low} … {high} in {population:,} {span} (strata the case leaves open)"
    text = f"{in_population(risk.share, population)} in {population:,} {span}"
    kind = risk.cell.evidence.interval_kind
    if risk.low is not None and risk.high is not None and risk.low != risk.high:
        bounds = wording.interval(risk.low, risk.high, kind, lambda x: in_population(x, population))
        if in_population(risk.low, population) != in_population(risk.high, population):
            text += f" {bounds}"
    return text


CONSTANT_RATE = (
    "Risk over the horizon from the yearly figure assuming a constant rate: "
    "1 − e^(−yearly rate × years); exposure-banded risks multiply their annual risks."
)
"""Said beside icon arrays whose figure assumes a constant yearly rate."""
