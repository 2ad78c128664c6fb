"""The sensitivity view's tables as rich renderables: SMAA rank acceptabilities, central weights,
confidence factors and the one-way weight intervals. Pure functions of the engine's Result."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from workbench.app.cells import bar
from workbench.engine.result import Result, WeightInterval
from workbench.report import wording
from workbench.text import clean_line

NAME_WIDTH = 24
"""Drug names longer than this are cut with an ellipsis in the sensitivity tables."""
RANK_CELL_WIDTH = 10
"""A rank acceptability cell: a 5-cell bar and a percentage."""


percent = wording.percent


def smaa_settings_line(result: Result) -> Text:
    """How the SMAA run sampled, in words."""
    smaa = result.smaa
    if smaa is None:
        return Text("SMAA not run.", style="italic")
    if smaa.weight_mode == "around":
        mode = f"weights within ±{smaa.spread or 0:g} importance points of yours"
    elif smaa.weight_mode == "uniform":
        mode = "weights uniform over all possibilities (no preference information)"
    else:
        mode = "weights fixed at yours (only the measurements vary)"
    text = Text(f"{smaa.iterations:,} iterations, seed {smaa.seed}; ")
    text.append(mode)
    text.append("; values sampled within their bounds, no data over the whole scale.")
    return text


def _name_column(table: Table) -> None:
    table.add_column("Drug", no_wrap=True, max_width=NAME_WIDTH, overflow="ellipsis")


def acceptability_table(result: Result, width: int) -> Table:
    """Drugs × ranks: the share of samples giving each drug each rank (bars), and confidence.
    As many rank columns as fit `width`; the later ranks are summed in a last column."""
    table = Table(box=None, pad_edge=False, padding=(0, 1), header_style="bold")
    _name_column(table)
    count = len(result.drugs)
    room = (width - (NAME_WIDTH + 2) - (len("confidence") + 2)) // (RANK_CELL_WIDTH + 2)
    shown = count if room >= count else max(room - 1, 1)
    for rank in range(1, shown + 1):
        table.add_column(f"rank {rank}", no_wrap=True, min_width=RANK_CELL_WIDTH)
    if count > shown:
        table.add_column(f"rank {shown + 1}+", no_wrap=True, min_width=RANK_CELL_WIDTH)
    table.add_column("confidence", no_wrap=True)
    for drug in result.drugs:
        acceptability = drug.acceptability or ()
        row: list[Text] = [Text(clean_line(drug.name), style="bold")]
        values = list(acceptability[:shown])
        if count > shown:
            values.append(sum(acceptability[shown:]))
        for value in values:
            cell = bar(value, width=5)
            cell.append(f" {percent(value):>4}")
            row.append(cell)
        confidence = "—" if drug.confidence is None else percent(drug.confidence)
        row.append(Text(confidence))
        table.add_row(*row)
    return table


def central_weights_table(result: Result) -> Table:
    """Per drug, the average weights under which it ranks first ('never first' otherwise)."""
    table = Table(box=None, pad_edge=False, padding=(0, 1), header_style="bold")
    _name_column(table)
    for criterion in result.criteria:
        table.add_column(Text(clean_line(criterion.label)), no_wrap=False)
    for drug in result.drugs:
        weights = drug.central_weights
        if weights is None:
            table.add_row(
                Text(clean_line(drug.name), style="bold"),
                Text("never ranked first", style="italic"),
            )
            continue
        table.add_row(
            Text(clean_line(drug.name), style="bold"),
            *(Text(percent(weights.get(c.id, 0.0))) for c in result.criteria),
        )
    return table


def interval_bar(low: float, high: float, current: float, width: int = 20) -> Text:
    """A 0–1 weight axis: `━` where the top drug stays top, `●` at the current weight."""
    text = Text()
    marker = min(int(current * width), width - 1)
    for cell in range(width):
        start, end = cell / width, (cell + 1) / width
        if cell == marker:
            text.append("●", style="bold")
        elif end > low and start < high:
            text.append("━", style="bold")
        else:
            text.append("╌", style="dim")
    return text


def one_way_table(result: Result) -> Table:
    """Per concern: the weight range over which the current top drug stays top."""
    table = Table(box=None, pad_edge=False, padding=(0, 1), header_style="bold")
    table.add_column("Concern", no_wrap=True)
    table.add_column("weight", no_wrap=True)
    table.add_column("top stays top for", no_wrap=True)
    table.add_column("0 ⟶ 1", no_wrap=True)
    table.add_column("first beyond it", no_wrap=False)
    labels = {c.id: clean_line(c.label) for c in result.criteria}
    names = {d.id: clean_line(d.name) for d in result.drugs}
    for interval in result.sensitivity:
        top = names.get(interval.top_drug, interval.top_drug)
        table.add_row(
            Text(labels.get(interval.concern, interval.concern), style="bold"),
            Text(percent(interval.current)),
            Text(f"{percent(interval.low)}–{percent(interval.high)} ({top})"),
            interval_bar(interval.low, interval.high, interval.current),
            takeover_text(interval, names),
        )
    return table


def takeover_text(interval: WeightInterval, names: dict[str, str]) -> Text:
    """Who ranks first beyond each end of a one-way interval, in words."""
    parts = []
    if interval.below_drug is not None:
        name = names.get(interval.below_drug, interval.below_drug)
        parts.append(f"below {percent(interval.low)}: {name}")
    if interval.above_drug is not None:
        name = names.get(interval.above_drug, interval.above_drug)
        parts.append(f"above {percent(interval.high)}: {name}")
    return Text("; ".join(parts) if parts else "stays first over the whole range")
