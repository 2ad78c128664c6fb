"""CSV export: one row per drug per concern, as the engine computed it.

Text cells are cleaned of control characters; a text cell that a spreadsheet would read as a formula
(starting with `=`, `+`, `-`, `@`) is prefixed with `'` so it stays text.
"""

from __future__ import annotations

import csv
import io

from workbench.engine.result import Result
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
)
"""The header row, in order. Empty cells mean "none" (e.g. no value for a no-data concern)."""

_FORMULA_START = ("=", "+", "-", "@")


def render_csv(result: Result) -> str:
    """The result as CSV text (header row first, `\\n` line endings, numbers to 6 decimals)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for drug in result.drugs:
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
                ]
            )
    return buffer.getvalue()


def _number(value: float | None) -> str:
    if value is None:
        return ""
    shown = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if shown in ("-0", "") else shown


def _text(value: str) -> str:
    text = clean_line(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text
