"""One-way weight sensitivity, solved exactly.

When concern j's weight is set to t and the other weights are rescaled proportionally to fill
1 − t, each drug's total is linear in t:

    total_i(t) = R_i + t·(u_ij − R_i),   R_i = Σ_{k≠j} w_k·u_ik / (1 − w_j)

(equal shares for the others when w_j = 1). The interval of t over which the current top drug stays
(at least tied) top is the intersection of the half-lines total_top(t) ≥ total_i(t). Totals use the
same worst-case partial values as the ranking.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from workbench.engine.result import WeightInterval

_EPS = 1e-12


def _rest_values(
    weights: Sequence[float], values: Sequence[Sequence[float]], totals: Sequence[float], j: int
) -> list[float]:
    """R_i: each drug's total over the other concerns, their weights rescaled to sum to 1
    (equal shares when they are all 0)."""
    rest = 1.0 - weights[j]
    if rest <= _EPS:
        n_other = max(len(weights) - 1, 1)
        return [(sum(row) - row[j]) / n_other for row in values]
    return [(total - weights[j] * row[j]) / rest for total, row in zip(totals, values, strict=True)]


def _interval(
    weights: Sequence[float],
    values: Sequence[Sequence[float]],
    totals: Sequence[float],
    j: int,
    top: int,
) -> tuple[float, float]:
    rest = _rest_values(weights, values, totals, j)
    low, high = 0.0, 1.0
    # total_top(t) − total_i(t) = a + b·t ≥ 0
    for i, row in enumerate(values):
        if i == top:
            continue
        a = rest[top] - rest[i]
        b = (values[top][j] - rest[top]) - (row[j] - rest[i])
        if abs(b) <= _EPS:
            continue  # parallel lines: the current order holds for every t
        crossing = -a / b
        if b > 0:
            low = max(low, crossing)
        else:
            high = min(high, crossing)
    current = weights[j]
    return min(max(low, 0.0), current), max(min(high, 1.0), current)


def weight_intervals(
    concerns: Sequence[str],
    weights: Sequence[float],
    values: Sequence[Sequence[float]],
    top: int,
    top_id: str,
) -> tuple[WeightInterval, ...]:
    """Per concern, the [low, high] range of its weight over which drug `top` stays top.

    `values[i][k]` is drug i's partial value on concern k; `weights` sum to 1. Empty without drugs.
    """
    if not values:
        return ()
    totals = [math.fsum(w * v for w, v in zip(weights, row, strict=True)) for row in values]
    intervals = []
    for j, concern in enumerate(concerns):
        low, high = _interval(weights, values, totals, j, top)
        intervals.append(WeightInterval(concern, weights[j], low, high, top_id))
    return tuple(intervals)
