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

from workbench.engine.result import DrugResult, Flag, Result
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
        Text(clean_line(wording.preset(result))),
        *(Text(clean_line(line), style="bold") for line in wording.not_relevant(result)),
        Text(clean_line(result.policy), style="dim"),
        Text(wording.DISCLAIMER, style="bold"),
    ]
    if not result.drugs:
        return Group(Text("No drugs selected."), *footer)
    if width >= _wide_width(result):
        comparison: list[Table | Text | Padding] = [
            _table(result, width),
            *_reasons(result),
            _legend(result),
        ]
    else:
        comparison = _stacked(result)
    smaa = _smaa_summary(result)
    activity = [
        Text("Disease activity and guideline rules", style="bold underline"),
        *(Text(clean_line(line)) for line in wording.activity_lines(result)),
    ]
    return Group(
        *comparison, *smaa, Text(""), _flags(result), Text(""), *activity, Text(""), *footer
    )


def _reasons(result: Result) -> list[Text]:
    """Below the wide table: why each drug is in its group, and what the case leaves open."""
    lines = [
        Text(f"  {clean_line(d.name)}: {clean_line(wording.tier_reasons(d))}")
        for d in result.drugs
        if wording.tier_reasons(d)
    ]
    return [Text("Why drugs are where they are", style="bold"), *lines, Text("")] if lines else []


def _smaa_summary(result: Result) -> list[Text]:
    """With SMAA: its settings, each drug's P(first) and expected rank, and any disagreement."""
    if result.smaa is None:
        return []
    s = result.smaa
    settings = f"{s.iterations:,} iterations, seed {s.seed}, weights {s.weight_mode}"
    if s.spread is not None:
        settings += f" ±{wording.number(s.spread)} importance points"
    lines = [Text(f"\nSMAA ({settings})", style="bold")]
    lines += [
        Text(f"  {wording.rank(d)} {clean_line(d.name)}: {wording.smaa_rank(d)}")
        for d in result.drugs
    ]
    if wording.disagreement(result):
        lines.append(Text(clean_line(wording.disagreement(result)), style="bold"))
    return lines


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
    group = None
    for drug in result.drugs:
        if wording.group_heading(drug, result.rank_mode) != group:
            group = wording.group_heading(drug, result.rank_mode)
            parts.append(Text(f"\n{group}", style="bold underline"))
        heading = Text(f"\n{wording.rank(drug)} · {clean_line(drug.name)}", style="bold")
        heading.append(f" — total {wording.total(drug)}")
        if mark := wording.range_mark(drug):
            heading.append(f" ({mark})", style="italic")
        reasons = wording.tier_reasons(drug)
        if reasons:
            heading.append(f"\n   {clean_line(reasons)}", style="italic")
        smaa = wording.smaa_rank(drug)
        if smaa:
            heading.append(f"\n   {smaa}", style="dim")
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
            over = wording.cumulative(found.evidence)
            if over:
                value.append(f"; {over}", style="dim")
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
    group = None
    for drug in result.drugs:
        if wording.group_heading(drug, result.rank_mode) != group:
            if group is not None:
                table.add_section()
            group = wording.group_heading(drug, result.rank_mode)
            table.add_row(Text(""), Text(group, style="bold underline"))
        table.add_row(
            Text(wording.rank(drug)),
            Text(clean_line(drug.name), style="bold"),
            _total(drug),
            *(_cell(drug, criterion.id) for criterion in result.criteria),
            _reservation(result, drug),
        )
    return table


def _total(drug: DrugResult) -> Text:
    text = Text(wording.total(drug), style="bold")
    if mark := wording.range_mark(drug):
        text.append(f"\n{mark}", style="italic")
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
    style = "bold" if status is not None and status.patient_meets is False else ""
    return Text(wording.reservation(status), style=style)


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
        "Reservation: the highly-active-disease restriction of the label — "
        + ", ".join(
            f"{s} {w}" for s, w in (wording.UNRESTRICTED, *wording.RESERVATION_WORDS.values())
        )
        + ". "
        + _symbols()
    )
    return text


def _flag_line(flag: Flag) -> Padding:
    """One flag: its mark and heading, then its whole text, wrapped (never cut) under an indent."""
    line = Text(
        f"{wording.flag_mark(flag)} {clean_line(wording.flag_heading(flag))}:",
        style=_FLAG_STYLES[flag.level],
        overflow="fold",
    )
    line.append(f" {clean_line(flag.text)}", style="")
    return Padding(line, (0, 0, 0, 2))


def _stopping(result: Result) -> list[Text | Padding]:
    """What stopping the current DMT means (as in the case note), before the candidates."""
    stopping = result.stopping
    if stopping is None:
        return []
    lines: list[Text | Padding] = [
        Text(f"Stopping {clean_line(stopping.name)}", style="bold underline")
    ]
    lines += [_flag_line(flag) for flag in stopping.flags] or [
        Padding(Text("Nothing recorded in the profile."), (0, 0, 0, 2))
    ]
    return [*lines, Text("")]


def _flags(result: Result) -> Group:
    """Every flag, drug by drug in rank order, most serious first; wrapped lines stay indented."""
    parts: list[Text | Padding] = [*_stopping(result), Text("Flags", style="bold underline")]
    for drug in result.drugs:
        parts.append(Text(clean_line(drug.name), style="bold", overflow="fold"))
        parts += [_flag_line(flag) for flag in drug.flags] or [Padding(Text("none"), (0, 0, 0, 2))]
    return Group(*parts)
