"""The evidence coverage of a library: the drug × concern grid with the basis of each cell.

A concern scored by course (`by_course`) shows, per drug, each course with a figure and its basis
(`rrms trial-arm, ppms trial-arm`): a figure counts only for the courses it was measured in."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.engine.evaluate import profile_measurement
from workbench.profiles.library import Library
from workbench.profiles.records import Criterion, Measurement
from workbench.profiles.rules import has_figure
from workbench.profiles.vocabulary import COURSES, Basis

NO_EVIDENCE = "—"


@dataclass(frozen=True, slots=True)
class Coverage:
    """concerns: (id, label); rows: (drug id, cell per concern): the basis, or for a concern
    scored by course the courses with a figure and their basis, None for no data; gaps: (drug id,
    concern label, the profile's reason or None) for every cell without evidence."""

    concerns: tuple[tuple[str, str], ...]
    rows: tuple[tuple[str, tuple[str | None, ...]], ...]
    gaps: tuple[tuple[str, str, str | None], ...] = ()

    @property
    def filled(self) -> int:
        return sum(basis is not None for _, cells in self.rows for basis in cells)

    @property
    def total(self) -> int:
        return len(self.rows) * len(self.concerns)


def _basis(measurement: Measurement | None) -> Basis | None:
    """The basis of a measurement that gives a number (itself or in a stratum), else None."""
    if measurement is None:
        return None
    if has_figure(measurement, measurement.indirect) or any(
        has_figure(s, s.indirect) for s in measurement.strata or ()
    ):
        return measurement.basis
    return None


def _by_course(measurement: Measurement | None) -> str | None:
    """'rrms trial-arm, ppms trial-arm': each course with a figure, and its basis."""
    if measurement is None or measurement.courses is None:
        return _basis(measurement)
    found: dict[str, Basis] = {}
    if has_figure(measurement, measurement.indirect):
        found.update(dict.fromkeys(measurement.courses, measurement.basis))
    for s in measurement.strata or ():
        if has_figure(s, s.indirect):
            found.update(
                dict.fromkeys(s.when.course or measurement.courses, s.basis or measurement.basis)
            )
    cells = [f"{course} {found[course]}" for course in COURSES if course in found]
    return ", ".join(cells) or None


def _cell(measurement: Measurement | None, criterion: Criterion) -> str | None:
    return _by_course(measurement) if criterion.by_course else _basis(measurement)


def coverage(library: Library) -> Coverage:
    """Which cells of the library have evidence, and of what kind."""
    concerns = tuple((c.id, c.label) for c in library.criteria)
    profiles = sorted(library.profiles, key=lambda p: p.id)
    rows = tuple(
        (p.id, tuple(_cell(profile_measurement(p, c), c) for c in library.criteria))
        for p in profiles
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
