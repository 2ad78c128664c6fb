"""What an SMAA run is given and gives back: its settings, its input and its outcome.

Apart from `workbench.engine.smaa` (the simulation, with numpy) so that a start, which only
holds the settings, imports neither the simulation nor numpy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from workbench.engine.evidence import Draw
from workbench.engine.result import WEIGHT_MODES, Cumulative, WeightMode
from workbench.profiles.vocabulary import IMPORTANCE_MAX, IMPORTANCE_MIN
from workbench.record import Record


@dataclass(frozen=True, slots=True)
class SmaaSettings:
    """How to run SMAA: iterations, seed, weight sampling mode and (for "around") the spread."""

    iterations: int = 10_000
    seed: int = 0
    weight_mode: WeightMode = "around"
    """The one default of the app and `workbench compare --smaa`: the importances are judgements,
    so SMAA samples them around the values given (±spread) as it samples the figures."""
    spread: float = 2.0

    def __post_init__(self) -> None:
        if self.iterations < 1:
            raise ValueError(f"SMAA needs at least 1 iteration, got {self.iterations}")
        if self.weight_mode not in WEIGHT_MODES:
            raise ValueError(
                f"unknown weight mode {self.weight_mode!r}; valid: {', '.join(WEIGHT_MODES)}"
            )
        if not IMPORTANCE_MIN <= self.spread <= IMPORTANCE_MAX:
            raise ValueError(
                f"spread must be between {IMPORTANCE_MIN:g} and {IMPORTANCE_MAX:g} importance "
                f"points, got {self.spread}"
            )


class SmaaInput(Record):
    """Per concern: scale and value-function breakpoints; per drug × concern: its distribution."""

    concerns: tuple[str, ...]
    worst: tuple[float, ...]
    best: tuple[float, ...]
    positions: tuple[tuple[float, ...], ...]
    values: tuple[tuple[float, ...], ...]
    draws: tuple[tuple[Draw, ...], ...]
    """draws[i][k]: how drug i's figure on concern k is sampled, in the concern's unit."""
    cumulative: tuple[tuple[Cumulative | None, ...], ...] = ()
    """cumulative[i][k]: the figure's risk over the horizon (how to convert a drawn per-year
    figure: per, months, method), or None; empty: none asked for."""


class SmaaOutcome(Record):
    """acceptability[i][r]: P(drug i has rank r+1); central weights None where i was never first."""

    acceptability: tuple[tuple[float, ...], ...]
    central_weights: tuple[Mapping[str, float] | None, ...]
    confidence: tuple[float | None, ...]
    first_in_group: tuple[float, ...] = ()
    """P(drug i is first among the drugs of `group`) (0 outside it); empty without a group."""
    cumulative: tuple[Mapping[str, tuple[float, float]], ...] = ()
    """Per drug: concern → the central 95% of the risk over the horizon across the draws, for
    each sampled per-year figure (from the first `CUMULATIVE_DRAWS` iterations)."""
