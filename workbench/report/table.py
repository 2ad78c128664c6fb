"""The comparison as a Rich table for the terminal (`workbench compare --format table`).

Cells are `rich.text.Text` objects built from cleaned profile text, so nothing in a profile is read
as markup or emoji codes. Colour only repeats what the words say.
"""

from __future__ import annotations

import io

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from workbench.engine.result import DrugResult, Result
from workbench.profiles.vocabulary import FLAG_LEVELS
from workbench.report import wording
from workbench.text import clean_line

_FLAG_STYLES = {"contraindication": "bold red", "warning": "yellow", "info": "dim"}


def render_table(result: Result, *, width: int = 100, color: bool = False) -> str:
    """The comparison table as text `width` columns wide (no trailing spaces); ANSI colours only
    when `color`."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        color_system="standard" if color else None,
        force_terminal=color,
        highlight=False,
        markup=False,
        emoji=False,
    )
    console.print(_renderable(result, width))
    return "".join(line.rstrip(" ") + "\n" for line in buffer.getvalue().splitlines())


def _renderable(result: Result, width: int) -> Group:
    footer = [
        Text(clean_line(result.policy), style="dim"),
        Text(wording.DISCLAIMER, style="bold"),
    ]
    if not result.drugs:
        return Group(Text("No drugs selected."), *footer)
    if width >= _wide_width(result):
        comparison: list[Table | Text | Padding] = [_table(result, width), _legend(result)]
    else:
        comparison = _stacked(result)
    return Group(*comparison, Text(""), _flags(result), Text(""), *footer)


def _wide_width(result: Result) -> int:
    """The narrowest terminal that shows one column per concern readably (rank, drug, total and
    reservation take about 50 columns; a concern column needs about 16 without breaking words)."""
    return 50 + 16 * len(result.criteria)


def _stacked(result: Result) -> list[Table | Text | Padding]:
    """For narrow terminals: drug by drug, one line per concern."""
    region = result.context.region
    parts: list[Table | Text | Padding] = [
        Text(f"Benefit-risk comparison, {wording.region_name(region)} label", style="bold")
    ]
    for drug in result.drugs:
        heading = Text(f"\n{drug.rank}. {clean_line(drug.name)}", style="bold")
        heading.append(f" — total {wording.total(drug)}")
        if not drug.complete:
            heading.append(" (incomplete)", style="italic")
        heading.append(f" — reservation ({region.upper()}): ")
        heading.append_text(_reservation(result, drug))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(overflow="fold")
        grid.add_column(overflow="fold")
        grid.add_column(justify="right", no_wrap=True)
        for criterion in result.criteria:
            found = drug.criteria.get(criterion.id)
            weight = wording.percent(result.weights.get(criterion.id, 0.0))
            label = Text(f"{clean_line(criterion.label)} ({weight})")
            if found is None:
                grid.add_row(label, Text("—"), Text(""))
                continue
            value = Text(clean_line(wording.figure(found)))
            if found.status == "no-data":
                value.stylize("italic")
            else:
                value.append(f" {clean_line(found.unit)}", style="dim")
            grid.add_row(label, value, Text(wording.contribution(found)))
        parts += [heading, Padding(grid, (0, 0, 0, 3))]
    parts.append(
        Text(
            "\nEach line: concern (weight), the measurement (bounds), its basis and its weighted "
            "contribution to the total.\n" + _symbols(),
            style="dim",
        )
    )
    return parts


def _symbols() -> str:
    return "Symbols: " + "; ".join(wording.LEGEND) + "."


def _table(result: Result, width: int) -> Table:
    """One row per drug (in rank order), one column per concern; never wider than `width`."""
    region = result.context.region
    budget = min(14, (width - 40) // max(1, len(result.criteria)) - 2)
    """Widest a concern column may insist on, so that all columns fit without cropping."""
    table = Table(
        title=Text(f"Benefit-risk comparison, {wording.region_name(region)} label"),
        box=box.SIMPLE_HEAVY,
        show_lines=True,
        pad_edge=False,
    )
    table.add_column(Text("Rank"), justify="right", overflow="fold")
    table.add_column(Text("Drug"), min_width=8, overflow="fold")
    table.add_column(Text("Total (0–1)"), overflow="fold")
    for criterion in result.criteria:
        label = clean_line(criterion.label)
        header = Text(label)
        weight = wording.percent(result.weights.get(criterion.id, 0.0))
        header.append(f"\nweight {weight}", style="dim")
        longest_word = max((len(word) for word in label.split()), default=0)
        table.add_column(header, overflow="fold", min_width=max(4, min(longest_word, budget)))
    table.add_column(Text(f"Reservation ({region.upper()})"), overflow="fold")
    for drug in result.drugs:
        table.add_row(
            Text(str(drug.rank)),
            Text(clean_line(drug.name), style="bold"),
            _total(drug),
            *(_cell(drug, criterion.id) for criterion in result.criteria),
            _reservation(result, drug),
        )
    return table


def _total(drug: DrugResult) -> Text:
    text = Text(wording.total(drug), style="bold")
    if not drug.complete:
        text.append("\nincomplete", style="italic")
    return text


def _cell(drug: DrugResult, concern: str) -> Text:
    found = drug.criteria.get(concern)
    if found is None:
        return Text("—")
    text = Text(clean_line(wording.figure(found)))
    if found.status == "no-data":
        text.stylize("italic")
    text.append(f"\n{wording.contribution(found)}", style="dim")
    return text


def _reservation(result: Result, drug: DrugResult) -> Text:
    status = drug.reservation.get(result.context.region)
    if status is None:
        return Text("not recorded")
    if not status.restricted:
        return Text("none")
    if status.patient_meets is None:
        return Text("unknown if met", style="italic")
    return Text("met") if status.patient_meets else Text("NOT met", style="bold")


def _legend(result: Result) -> Text:
    """Units of the concerns and how to read a cell."""
    text = Text("Units: ", style="bold")
    text.append(
        "; ".join(
            f"{clean_line(criterion.label)}: {clean_line(criterion.unit)}"
            for criterion in result.criteria
        )
    )
    text.append(
        ". Each cell: the measurement (bounds) and its basis, and below it its weighted "
        "contribution to the total. "
        "Reservation: the highly-active-disease restriction of the label — none, met, NOT met "
        "or unknown if met. " + _symbols()
    )
    return text


def _flags(result: Result) -> Group:
    """Every flag, drug by drug in rank order, most serious first; wrapped lines stay indented."""
    parts: list[Text | Padding] = [Text("Flags", style="bold underline")]
    for drug in result.drugs:
        parts.append(Text(clean_line(drug.name), style="bold"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        for flag in sorted(drug.flags, key=lambda flag: FLAG_LEVELS.index(flag.level)):
            grid.add_row(
                Text(f"{flag.level}:", style=_FLAG_STYLES[flag.level]), Text(clean_line(flag.text))
            )
        if not drug.flags:
            grid.add_row(Text("none"), Text(""))
        parts.append(Padding(grid, (0, 0, 0, 2)))
    return Group(*parts)
