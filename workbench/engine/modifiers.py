"""Risk modifiers: patient features that change one measurement by a ratio.

Applied after strata and horizon averaging (`workbench.engine.measurements.resolve`). A modifier
whose condition holds multiplies the figure by its ratio: the value by the ratio, the bounds by the
ratio's bounds (two 95% CIs combine on the log scale, MOVER as in Zou & Donner 2008), and SMAA
multiplies each drawn figure by a ratio drawn from its interval. A modifier the case leaves
undecided makes the figure a range spanning both possibilities, as strata do: never the better
case. A concern without data stays without data.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from workbench.engine.conditions import Window, evaluate_condition, undecided_part
from workbench.engine.context import PatientContext
from workbench.engine.evidence import Draw, fitted_draw
from workbench.engine.measurements import rescored
from workbench.engine.result import AppliedModifier, Cumulative, Resolved
from workbench.profiles.records import Criterion, Modifier
from workbench.profiles.vocabulary import STRENGTHS, IntervalKind


def _ratio_bounds(m: Modifier) -> tuple[float, float, IntervalKind]:
    if m.ci_low is not None and m.ci_high is not None:
        return m.ci_low, m.ci_high, "ci95"
    if m.low is not None or m.high is not None:
        return m.low or m.ratio, m.high or m.ratio, "published-range"
    return m.ratio, m.ratio, "none"


def ratio_draw(m: Modifier) -> Draw:
    """How SMAA samples the ratio: log-normal from a 95% CI, uniform over a range, else a point."""
    low, high, kind = _ratio_bounds(m)
    if kind == "ci95":
        return fitted_draw(m.ratio, low, high)
    if kind == "published-range":
        return Draw(kind="uniform", a=low, b=high)
    return Draw(kind="point", a=m.ratio)


def _log_half(value: float, end: float) -> float:
    return abs(math.log(value) - math.log(end)) if value > 0 and end > 0 else math.inf


def modified_bounds(
    value: float, low: float, high: float, kind: IntervalKind, m: Modifier
) -> tuple[float, float]:
    """The bounds of value × ratio: two 95% CIs combined on the log scale (MOVER), otherwise the
    products of the ends (a zero lower end stays zero)."""
    r_low, r_high, r_kind = _ratio_bounds(m)
    if kind == "ci95" and r_kind == "ci95" and value > 0 and low > 0:
        product = value * m.ratio
        down = math.hypot(_log_half(value, low), _log_half(m.ratio, r_low))
        up = math.hypot(_log_half(value, high), _log_half(m.ratio, r_high))
        return product * math.exp(-down), product * math.exp(up)
    return low * r_low, high * r_high


def _hazard_scaled(risk: float | None, per: float, ratio: float) -> float | None:
    """A risk over the horizon (N in `per`) with its hazard multiplied by `ratio`."""
    if risk is None:
        return None
    survival = max(0.0, 1.0 - risk / per)
    return per * (1.0 - math.pow(survival, ratio)) + 0.0


def _cumulative(c: Cumulative | None, m: Modifier, applies: bool | None) -> Cumulative | None:
    """The risk over the horizon with the modifier: each figure's hazard times the ratio (its
    bounds times the ratio's bounds); undecided, the span of both."""
    if c is None:
        return None
    r_low, r_high, _ = _ratio_bounds(m)
    value = _hazard_scaled(c.value, c.per, m.ratio)
    low = _hazard_scaled(c.low, c.per, r_low)
    high = _hazard_scaled(c.high, c.per, r_high)
    if applies:
        return c.replace(value=value, low=low, high=high)
    lows = [x for x in (c.low, low) if x is not None]
    highs = [x for x in (c.high, high) if x is not None]
    return c.replace(
        value=None, low=min(lows) if lows else None, high=max(highs) if highs else None
    )


def _weaker(a: str | None, b: str) -> str:
    return b if a is None else max(a, b, key=STRENGTHS.index)


def _apply(
    criterion: Criterion, r: Resolved, m: Modifier, applies: bool | None, undecided: str | None
) -> Resolved:
    value = r.value
    low = r.low if r.low is not None else value
    high = r.high if r.high is not None else value
    if low is None or high is None:  # a range always has its bounds; a figure its value
        return r
    kind = r.evidence.interval_kind
    r_low, r_high, r_kind = _ratio_bounds(m)
    if r.status == "stratum-range" or value is None:
        mod_low, mod_high, mod_value = low * r_low, high * r_high, None
    else:
        mod_low, mod_high = modified_bounds(value, low, high, kind, m)
        mod_value = value * m.ratio
    applied = AppliedModifier(
        label=m.label,
        ratio=m.ratio,
        low=None if r_kind == "none" else r_low,
        high=None if r_kind == "none" else r_high,
        interval_kind=r_kind,
        applies=applies,
        undecided=undecided,
        basis=m.basis,
        strength=m.strength,
        sources=tuple(m.source_ids),
        note=m.note,
    )
    evidence = r.evidence.replace(
        modifiers=(*r.evidence.modifiers, applied),
        cumulative=_cumulative(r.evidence.cumulative, m, applies),
    )
    sources = tuple(dict.fromkeys((*r.sources, *m.source_ids)))
    strength = _weaker(r.strength, m.strength)
    if applies and mod_value is not None:
        new_kind: IntervalKind = kind if kind != "none" else r_kind
        draw = r.draw.replace(multipliers=(*r.draw.multipliers, ratio_draw(m)))
        return rescored(
            criterion,
            r,
            "measured",
            mod_value,
            low=mod_low,
            high=mod_high,
            evidence=evidence.replace(interval_kind=new_kind),
            draw=draw,
            sources=sources,
            strength=strength,
        )
    if applies:
        status, value, lo, hi = r.status, None, mod_low, mod_high
    else:  # undecided: with and without the modifier
        status, value = "stratum-range", None
        lo, hi = min(low, mod_low), max(high, mod_high)
    return rescored(
        criterion,
        r,
        status,
        value,
        low=lo,
        high=hi,
        evidence=evidence.replace(interval_kind="strata"),
        draw=Draw(kind="uniform", a=lo, b=hi),
        sources=sources,
        strength=strength,
        stratum=None,
    )


def apply_modifiers(
    criterion: Criterion,
    resolved: Resolved,
    modifiers: Sequence[Modifier],
    context: PatientContext,
    window: Window,
) -> Resolved:
    """`resolved` with every modifier of this concern whose condition holds or is undecided."""
    if resolved.status == "no-data":
        return resolved
    for m in modifiers:
        if m.concern != criterion.id:
            continue
        verdict = evaluate_condition(m.when, context, window)
        if verdict is False:
            continue
        undecided = None if verdict else undecided_part(m.when, context, window)
        resolved = _apply(criterion, resolved, m, verdict, undecided)
    return resolved
