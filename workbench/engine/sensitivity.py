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
) -> tuple[float, float, int | None, int | None]:
    """(low, high, the drug first just below low, the drug first just above high); a drug index
    is None where the interval reaches the end of the axis."""
    rest = _rest_values(weights, values, totals, j)
    low, high = 0.0, 1.0
    below: tuple[float, float, int] | None = None
    above: tuple[float, float, int] | None = None
    """(crossing, slope, drug): the last crossing below, the first above. Of drugs crossing at the
    same point, the steepest one is ahead just beyond it."""
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
            if below is None or (crossing, b) > below[:2]:
                below = (crossing, b, i)
        else:
            high = min(high, crossing)
            if above is None or (crossing, b) < above[:2]:
                above = (crossing, b, i)
    current = weights[j]
    low, high = min(max(low, 0.0), current), max(min(high, 1.0), current)
    below_drug = below[2] if below is not None and low > _EPS else None
    above_drug = above[2] if above is not None and high < 1.0 - _EPS else None
    return low, high, below_drug, above_drug


def weight_intervals(
    concerns: Sequence[str],
    weights: Sequence[float],
    values: Sequence[Sequence[float]],
    top: int,
    top_id: str,
    *,
    drug_ids: Sequence[str] = (),
) -> tuple[WeightInterval, ...]:
    """Per concern, the [low, high] range of its weight over which drug `top` stays top, and (given
    `drug_ids`, one per row of `values`) the drug that ranks first just beyond each end.

    `values[i][k]` is drug i's partial value on concern k; `weights` sum to 1. Empty without drugs.
    """
    if not values:
        return ()
    totals = [math.fsum(w * v for w, v in zip(weights, row, strict=True)) for row in values]
    intervals = []
    for j, concern in enumerate(concerns):
        low, high, below, above = _interval(weights, values, totals, j, top)
        named = len(drug_ids) == len(values)
        intervals.append(
            WeightInterval(
                concern=concern,
                current=weights[j],
                low=low,
                high=high,
                top_drug=top_id,
                below_drug=drug_ids[below] if named and below is not None else None,
                above_drug=drug_ids[above] if named and above is not None else None,
            )
        )
    return tuple(intervals)
