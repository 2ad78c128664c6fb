"""The one table `make bench` prints: figure, median, spread, target and pass/fail."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from bench.measure import Summary

Verdict = Literal["pass", "FAIL", "info"]
Format = Callable[[float], str]


def milliseconds(seconds: float) -> str:
    """Seconds shown in ms (µs below 0.1 ms), about three significant figures."""
    ms = seconds * 1000
    if ms < 0.1:
        return f"{ms * 1000:.0f} µs"
    decimals = 2 if ms < 10 else 1 if ms < 100 else 0
    return f"{ms:.{decimals}f} ms"


def ratio(value: float) -> str:
    return f"{value:.2f}×"


def mebibytes(kib: float) -> str:
    return f"{kib / 1024:.1f} MiB"


def giga_instructions(count: float) -> str:
    return f"{count / 1e9:.2f} G instr."


def mega_instructions(count: float) -> str:
    return f"{count / 1e6:.1f} M instr."


@dataclass(frozen=True, slots=True)
class Figure:
    """One row: a measured summary, how to show it, and an optional upper-bound target."""

    name: str
    summary: Summary
    show: Format
    target: float | None = None
    note: str = ""

    @property
    def verdict(self) -> Verdict:
        if self.target is None:
            return "info"
        return "pass" if self.summary.median <= self.target else "FAIL"

    def cells(self) -> tuple[str, str, str, str, str, str]:
        s = self.summary
        spread = f"{self.show(s.q1)}–{self.show(s.q3)}" if s.count > 1 else "—"
        target = "—" if self.target is None else f"≤ {self.show(self.target)}"
        return (self.name, self.show(s.median), spread, target, self.verdict, self.note)


HEADER = ("figure", "median", "spread (IQR)", "target", "result", "measured on")


def render(figures: Sequence[Figure]) -> str:
    """The figures as one aligned plain-text table."""
    rows = [HEADER, *(figure.cells() for figure in figures)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)
