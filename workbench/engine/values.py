"""Partial value functions: a measurement on a concern's fixed scale → 0 (worst) to 1 (best).

Linear between (worst, 0) and (best, 1) unless the concern gives inner breakpoints; then the
function is piecewise-linear through (worst, 0), the breakpoints and (best, 1). Values outside the
scale are clamped to it and reported as clamped.
"""

from __future__ import annotations

from collections.abc import Sequence

from workbench.profiles.records import Criterion
from workbench.record import Record


class PartialValue(Record):
    """The value 0–1 of one measurement and whether it had to be clamped onto the scale."""

    value: float
    clamped: bool


def _position(criterion: Criterion, x: float) -> float:
    """Where `x` lies between worst (0) and best (1), unclamped."""
    return (x - criterion.worst) / (criterion.best - criterion.worst)


def breakpoints(criterion: Criterion) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The value function as (positions 0–1 from worst to best, values 0–1) to interpolate."""
    inner = sorted((_position(criterion, p.x), p.v) for p in criterion.value_function or ())
    points = [(0.0, 0.0), *((t, v) for t, v in inner if 0.0 < t < 1.0), (1.0, 1.0)]
    return tuple(t for t, _ in points), tuple(v for _, v in points)


def _interpolate(t: float, positions: tuple[float, ...], values: tuple[float, ...]) -> float:
    for i in range(1, len(positions)):
        if t <= positions[i]:
            t0, t1 = positions[i - 1], positions[i]
            v0, v1 = values[i - 1], values[i]
            return v0 + (v1 - v0) * (t - t0) / (t1 - t0)
    return values[-1]


def partial_values(criterion: Criterion, xs: Sequence[float]) -> list[PartialValue]:
    """The partial value of each measurement in `xs` on `criterion`'s scale (clamped onto it)."""
    positions, values = breakpoints(criterion)
    found = []
    for x in xs:
        t = _position(criterion, x)
        clamped = t < 0.0 or t > 1.0
        t = min(1.0, max(0.0, t))
        found.append(PartialValue(value=_interpolate(t, positions, values), clamped=clamped))
    return found
