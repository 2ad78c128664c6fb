"""CSV export: one row per drug per concern, as the engine computed it.

Text cells are cleaned of control characters; a text cell that a spreadsheet would read as a formula
(starting with `=`, `+`, `-`, `@`) is prefixed with `'` so it stays text.
"""

from __future__ import annotations

import csv
import io

from workbench.engine.result import CriterionResult, Cumulative, Result
from workbench.report import wording
from workbench.text import clean_line

COLUMNS: tuple[str, ...] = (
    "drug_id",
    "drug_name",
    "rank",
    "concern",
    "value",
    "low",
    "high",
    "unit",
    "status",
    "value_score",
    "contribution",
    "strength",
    "sources",
    "interval_kind",
    "basis",
    "extrapolated_from",
    "events",
    "patients",
    "patient_years",
    "follow_up_years",
    "converted",
    "comparator",
    "comparator_value",
    "comparator_low",
    "comparator_high",
    "difference",
    "difference_low",
    "difference_high",
    "extrapolated_beyond_month",
    "cumulative",
    "cumulative_low",
    "cumulative_high",
    "cumulative_per",
    "cumulative_months",
    "modifiers",
    "flags",
    "activity",
)
"""The header row, in order. Empty cells mean "none" (e.g. no value for a no-data concern)."""

_FORMULA_START = ("=", "+", "-", "@")


def render_csv(result: Result) -> str:
    """The result as CSV text (header row first, `\\n` line endings, numbers to 6 decimals)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    activity = _text(" ".join(wording.activity_lines(result)))
    for drug in result.drugs:
        flags = _text(
            "; ".join(
                f"{f.level}:{f.code}" + (" (undecided)" if f.undecided else "") for f in drug.flags
            )
        )
        for criterion in result.criteria:
            found = drug.criteria.get(criterion.id)
            if found is None:
                continue
            writer.writerow(
                [
                    drug.id,
                    _text(drug.name),
                    drug.rank,
                    found.concern,
                    _number(found.value),
                    _number(found.low),
                    _number(found.high),
                    _text(found.unit),
                    found.status,
                    _number(found.value_score),
                    _number(found.contribution),
                    found.strength or "",
                    ";".join(found.sources),
                    *_evidence(found),
                    flags,
                    activity,
                ]
            )
    return buffer.getvalue()


def _evidence(found: CriterionResult) -> list[str]:
    ev = found.evidence
    comp, diff = ev.comparator, ev.difference
    return [
        ev.interval_kind,
        ev.basis or "",
        _text(ev.extrapolated_from or ""),
        "" if ev.events is None else str(ev.events),
        "" if ev.patients is None else str(ev.patients),
        _number(ev.patient_years),
        _number(ev.follow_up_years),
        "yes" if ev.converted else "",
        "" if comp is None else _text(comp.label),
        "" if comp is None else _number(comp.value),
        "" if comp is None else _number(comp.low),
        "" if comp is None else _number(comp.high),
        "" if diff is None else _number(diff.value),
        "" if diff is None else _number(diff.low),
        "" if diff is None else _number(diff.high),
        "" if ev.extrapolated_beyond is None else str(ev.extrapolated_beyond),
        *_cumulative(ev.cumulative),
        _text("; ".join(wording.modifier(m) for m in ev.modifiers)),
    ]


def _cumulative(c: Cumulative | None) -> list[str]:
    if c is None:
        return [""] * 5
    return [_number(c.value), _number(c.low), _number(c.high), _number(c.per), str(c.months)]


def _number(value: float | None) -> str:
    if value is None:
        return ""
    shown = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if shown in ("-0", "") else shown


def _text(value: str) -> str:
    text = clean_line(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text
