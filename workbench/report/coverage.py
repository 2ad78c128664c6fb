"""The evidence coverage of a library: the drug × concern grid with the basis of each cell."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.engine.evaluate import profile_measurement
from workbench.profiles.library import Library
from workbench.profiles.records import Figure, Measurement
from workbench.profiles.vocabulary import Basis

NO_EVIDENCE = "—"


@dataclass(frozen=True, slots=True)
class Coverage:
    """concerns: (id, label); rows: (drug id, basis or None per concern); gaps: (drug id,
    concern label, the profile's reason or None) for every cell without evidence."""

    concerns: tuple[tuple[str, str], ...]
    rows: tuple[tuple[str, tuple[Basis | None, ...]], ...]
    gaps: tuple[tuple[str, str, str | None], ...] = ()

    @property
    def filled(self) -> int:
        return sum(basis is not None for _, cells in self.rows for basis in cells)

    @property
    def total(self) -> int:
        return len(self.rows) * len(self.concerns)


def _has_figure(figure: Figure) -> bool:
    return figure.value is not None or figure.events is not None


def _basis(measurement: Measurement | None) -> Basis | None:
    """The basis of a measurement that gives a number (itself or in a stratum), else None."""
    if measurement is None:
        return None
    if _has_figure(measurement) or any(_has_figure(s) for s in measurement.strata or ()):
        return measurement.basis
    return None


def coverage(library: Library) -> Coverage:
    """Which cells of the library have evidence, and of what kind."""
    concerns = tuple((c.id, c.label) for c in library.criteria)
    profiles = sorted(library.profiles, key=lambda p: p.id)
    rows = tuple(
        (p.id, tuple(_basis(profile_measurement(p, c)) for c in library.criteria)) for p in profiles
    )
    gaps = tuple(
        (p.id, c.label, None if c.id not in p.no_data else p.no_data[c.id].reason)
        for p, (_, cells) in zip(profiles, rows, strict=True)
        for c, basis in zip(library.criteria, cells, strict=True)
        if basis is None
    )
    return Coverage(concerns, rows, gaps)


def render_coverage(grid: Coverage) -> str:
    """The grid as aligned text, `N of M cells have evidence (P%)`, then why each empty cell is."""
    header = ["drug", *(label for _, label in grid.concerns)]
    body = [[drug, *(basis or NO_EVIDENCE for basis in cells)] for drug, cells in grid.rows]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *body]
    ]
    share = 100 * grid.filled / grid.total if grid.total else 0.0
    lines.append(f"{grid.filled} of {grid.total} cells have evidence ({share:.0f}%)")
    if grid.gaps:
        lines.append("Cells without evidence:")
        lines.extend(
            f"- {drug}, {label}: {' '.join((reason or 'no reason recorded').split())}"
            for drug, label, reason in grid.gaps
        )
    return "\n".join(lines)
