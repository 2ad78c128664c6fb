"""Resolve one profile measurement for a patient context.

- No measurement → "no-data": the score may be anywhere on the scale (0..1).
- Strata → the strata whose condition is not False are the candidates: exactly one that holds →
  "measured" with that stratum's value; several possible (or overlapping) → "stratum-range" spanning
  their values, so an unknown context never silently takes the best case; none → "no-data".
- A plain value → "measured", with its bounds (the value itself when none are given).
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.engine.conditions import evaluate_condition
from workbench.engine.context import PatientContext
from workbench.engine.result import MeasurementStatus
from workbench.engine.values import partial_value
from workbench.profiles.schema import Criterion, Measurement, Stratum
from workbench.profiles.vocabulary import STRENGTHS, Strength


@dataclass(frozen=True, slots=True)
class Resolved:
    """One drug × one concern after the context was applied; everything but the weight."""

    status: MeasurementStatus
    value: float | None
    low: float | None
    high: float | None
    stratum: str | None
    value_score: float | None
    score_low: float
    score_high: float
    strength: Strength | None
    sources: tuple[str, ...]
    follow_up: str | None
    note: str | None
    clamped: bool


def _no_data() -> Resolved:
    return Resolved(
        status="no-data",
        value=None,
        low=None,
        high=None,
        stratum=None,
        value_score=None,
        score_low=0.0,
        score_high=1.0,
        strength=None,
        sources=(),
        follow_up=None,
        note=None,
        clamped=False,
    )


def _weakest(strengths: list[Strength]) -> Strength:
    return max(strengths, key=STRENGTHS.index)


def _unique(ids: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids))


def _measured(
    criterion: Criterion,
    value: float,
    low: float | None,
    high: float | None,
    *,
    stratum: str | None,
    strength: Strength,
    sources: tuple[str, ...],
    follow_up: str,
    note: str | None,
) -> Resolved:
    lo = value if low is None else low
    hi = value if high is None else high
    centre, at_low, at_high = (partial_value(criterion, x) for x in (value, lo, hi))
    return Resolved(
        status="measured",
        value=value,
        low=lo,
        high=hi,
        stratum=stratum,
        value_score=centre.value,
        score_low=min(at_low.value, at_high.value),
        score_high=max(at_low.value, at_high.value),
        strength=strength,
        sources=sources,
        follow_up=follow_up,
        note=note,
        clamped=centre.clamped or at_low.clamped or at_high.clamped,
    )


def _stratum_range(criterion: Criterion, m: Measurement, candidates: list[Stratum]) -> Resolved:
    lo = min(s.value for s in candidates)
    hi = max(s.value for s in candidates)
    at_low, at_high = partial_value(criterion, lo), partial_value(criterion, hi)
    return Resolved(
        status="stratum-range",
        value=None,
        low=lo,
        high=hi,
        stratum=None,
        value_score=None,
        score_low=min(at_low.value, at_high.value),
        score_high=max(at_low.value, at_high.value),
        strength=_weakest([s.strength for s in candidates]),
        sources=_unique([i for s in candidates for i in s.source_ids]),
        follow_up=m.follow_up,
        note="Possible strata: " + "; ".join(s.label for s in candidates),
        clamped=at_low.clamped or at_high.clamped,
    )


def resolve(
    criterion: Criterion, measurement: Measurement | None, context: PatientContext
) -> Resolved:
    """The measurement of one concern for this patient context (see the module docstring)."""
    m = measurement
    if m is None:
        return _no_data()
    if m.strata is None:
        if m.value is None:
            return _no_data()
        return _measured(
            criterion,
            m.value,
            m.low,
            m.high,
            stratum=None,
            strength=m.strength,
            sources=tuple(m.source_ids),
            follow_up=m.follow_up,
            note=m.note,
        )
    verdicts = [(s, evaluate_condition(s.when, context)) for s in m.strata]
    candidates = [s for s, verdict in verdicts if verdict is not False]
    if not candidates:
        return _no_data()
    if len(candidates) == 1 and any(verdict is True for _, verdict in verdicts):
        s = candidates[0]
        return _measured(
            criterion,
            s.value,
            s.low,
            s.high,
            stratum=s.label,
            strength=s.strength,
            sources=tuple(s.source_ids),
            follow_up=m.follow_up,
            note=s.note or m.note,
        )
    return _stratum_range(criterion, m, candidates)
