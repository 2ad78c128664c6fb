"""The benefit-risk evaluation, in two stages so the app can re-score on every weight change.

`prepare` applies the patient context (measurements, value scores, flags, reservations,
monitoring); `score` applies the weights (totals, contributions, ranks, sensitivity, optional SMAA)
and returns the one immutable `Result` every renderer uses. `evaluate` does both.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from workbench.engine.conditions import exposure_window
from workbench.engine.context import PatientContext
from workbench.engine.flags import flags_for
from workbench.engine.measurements import Resolved, resolve
from workbench.engine.reservation import reservations
from workbench.engine.result import (
    CriterionResult,
    DrugResult,
    Flag,
    MonitoringItem,
    ReservationStatus,
    Result,
    SmaaSummary,
    WeightInterval,
)
from workbench.engine.sensitivity import weight_intervals
from workbench.engine.smaa import SmaaInput, SmaaOutcome, SmaaSettings, run_smaa
from workbench.engine.values import breakpoints
from workbench.engine.weights import full_importance, normalize
from workbench.profiles.library import Library
from workbench.profiles.schema import Criterion, Profile
from workbench.profiles.vocabulary import Region, Route

POLICY = (
    "Drugs with missing data, or whose value depends on patient facts not yet known, on a concern "
    "that carries weight have no single score: they show a range from worst to best case and are "
    "ranked by their worst-case total (missing values at the worst end of the scale, undetermined "
    "values at their worst possible stratum). Concerns with weight 0 never make a drug incomplete."
)
"""How incomplete drugs are ranked, in words, for every renderer."""

TIE_TOLERANCE = 1e-9
"""Totals closer than this count as tied (floating-point noise is not a difference)."""


class UnknownDrugError(ValueError):
    """A requested drug id is not in the library; the message lists the valid ids."""


@dataclass(frozen=True, slots=True)
class PreparedDrug:
    """One drug with the patient context applied; independent of the weights."""

    id: str
    name: str
    drug_class: str
    routes: tuple[Route, ...]
    off_label: bool
    last_reviewed: str
    resolved: Mapping[str, Resolved]
    """Concern id → resolved measurement, for every concern."""
    reservation: Mapping[Region, ReservationStatus]
    flags: tuple[Flag, ...]
    monitoring: tuple[MonitoringItem, ...]
    sources: Mapping[str, str]
    """Source id → full citation."""


@dataclass(frozen=True, slots=True)
class Prepared:
    """The weight-independent stage of an evaluation: score it with any importances."""

    criteria: tuple[Criterion, ...]
    context: PatientContext
    horizon_months: int
    drugs: tuple[PreparedDrug, ...]


def _monitoring(profile: Profile, region: Region) -> tuple[MonitoringItem, ...]:
    return tuple(
        MonitoringItem(m.test, m.frequency, m.duration, tuple(m.source_ids))
        for m in profile.monitoring
        if m.region is None or region in m.region
    )


def prepare_drug(
    profile: Profile, criteria: Sequence[Criterion], context: PatientContext, horizon: int
) -> PreparedDrug:
    """Apply the patient context to one profile, over `horizon` months of treatment."""
    status = reservations(profile, context)
    window = exposure_window(context, profile.id, horizon)
    return PreparedDrug(
        id=profile.id,
        name=profile.name,
        drug_class=profile.drug_class,
        routes=tuple(profile.administration.route),
        off_label=profile.off_label,
        last_reviewed=profile.last_reviewed.isoformat(),
        resolved={
            c.id: resolve(c, profile.measurements.get(c.id), context, window) for c in criteria
        },
        reservation=status,
        flags=flags_for(profile, context, status, window),
        monitoring=_monitoring(profile, context.region),
        sources={s.id: s.citation for s in profile.sources},
    )


def prepare(library: Library, drug_ids: Sequence[str] | None, context: PatientContext) -> Prepared:
    """The weight-independent stage for these drugs (None → every profile in the library)."""
    if drug_ids is None:
        profiles = list(library.profiles)
    else:
        known = {p.id: p for p in library.profiles}
        unknown = [d for d in drug_ids if d not in known]
        if unknown:
            valid = ", ".join(sorted(known)) or "(none loaded)"
            raise UnknownDrugError(f"unknown drug id(s) {', '.join(unknown)}; valid: {valid}")
        profiles = [known[d] for d in dict.fromkeys(drug_ids)]
    criteria = library.criteria
    horizon = context.horizon_months or library.horizon_months
    return Prepared(
        criteria=criteria,
        context=context,
        horizon_months=horizon,
        drugs=tuple(prepare_drug(p, criteria, context, horizon) for p in profiles),
    )


@dataclass(frozen=True, slots=True)
class _Scored:
    drug: PreparedDrug
    criteria: dict[str, CriterionResult]
    worst: float
    best: float
    complete: bool
    worst_values: tuple[float, ...]
    """Per concern: the partial value used for ranking (value score, or the worst possible)."""


def _criterion_result(c: Criterion, r: Resolved, weight: float) -> CriterionResult:
    return CriterionResult(
        concern=c.id,
        label=c.label,
        unit=c.unit,
        direction=c.direction,
        status=r.status,
        value=r.value,
        low=r.low,
        high=r.high,
        stratum=r.stratum,
        value_score=r.value_score,
        score_low=r.score_low,
        score_high=r.score_high,
        weight=weight,
        contribution=None if r.value_score is None else weight * r.value_score,
        contribution_low=weight * r.score_low,
        contribution_high=weight * r.score_high,
        strength=r.strength,
        sources=r.sources,
        follow_up=r.follow_up,
        note=r.note,
        clamped=r.clamped,
        per_year=c.per_year,
        evidence=r.evidence,
    )


def _score_drug(
    drug: PreparedDrug, criteria: Sequence[Criterion], weights: Mapping[str, float]
) -> _Scored:
    results: dict[str, CriterionResult] = {}
    worst_values: list[float] = []
    best_values: list[float] = []
    complete = True
    for c in criteria:
        r, w = drug.resolved[c.id], weights[c.id]
        results[c.id] = _criterion_result(c, r, w)
        if r.value_score is None:
            worst_values.append(r.score_low)
            best_values.append(r.score_high)
            complete = complete and w == 0.0
        else:
            worst_values.append(r.value_score)
            best_values.append(r.value_score)
    ws = [weights[c.id] for c in criteria]
    worst = math.fsum(w * v for w, v in zip(ws, worst_values, strict=True))
    best = math.fsum(w * v for w, v in zip(ws, best_values, strict=True))
    return _Scored(drug, results, worst, best, complete, tuple(worst_values))


def _ranks(keys: Sequence[float]) -> list[int]:
    """1 + the number of keys greater by more than the tolerance: ties share the better rank."""
    ascending = sorted(keys)
    return [1 + len(keys) - bisect_right(ascending, mine + TIE_TOLERANCE) for mine in keys]


def _smaa_input(criteria: Sequence[Criterion], scored: Sequence[_Scored]) -> SmaaInput:
    curves = [breakpoints(c) for c in criteria]
    return SmaaInput(
        concerns=tuple(c.id for c in criteria),
        worst=tuple(c.worst for c in criteria),
        best=tuple(c.best for c in criteria),
        positions=tuple(p for p, _ in curves),
        values=tuple(v for _, v in curves),
        draws=tuple(tuple(s.drug.resolved[c.id].draw for c in criteria) for s in scored),
    )


def _drug_result(s: _Scored, rank: int, smaa: SmaaOutcome | None, index: int) -> DrugResult:
    d = s.drug
    return DrugResult(
        id=d.id,
        name=d.name,
        drug_class=d.drug_class,
        routes=d.routes,
        off_label=d.off_label,
        rank=rank,
        score=s.worst if s.complete else None,
        score_range=(s.worst, s.best),
        complete=s.complete,
        criteria=s.criteria,
        reservation=d.reservation,
        flags=d.flags,
        monitoring=d.monitoring,
        last_reviewed=d.last_reviewed,
        acceptability=None if smaa is None else smaa.acceptability[index],
        central_weights=None if smaa is None else smaa.central_weights[index],
        confidence=None if smaa is None else smaa.confidence[index],
    )


def score(
    prepared: Prepared, importance: Mapping[str, float], smaa: SmaaSettings | None = None
) -> Result:
    """Weigh a prepared evaluation: totals, ranks, sensitivity and (optionally) SMAA."""
    criteria = prepared.criteria
    concern_ids = [c.id for c in criteria]
    full = full_importance(importance, concern_ids)
    weights = normalize(full, concern_ids)
    scored = [_score_drug(d, criteria, weights) for d in prepared.drugs]
    ranks = _ranks([s.worst for s in scored])
    order = sorted(range(len(scored)), key=lambda i: (ranks[i], scored[i].drug.name.casefold()))

    outcome = None
    if smaa is not None:
        outcome = run_smaa(
            _smaa_input(criteria, scored),
            [weights[c] for c in concern_ids],
            [full[c] for c in concern_ids],
            smaa,
        )
    drugs = tuple(_drug_result(scored[i], ranks[i], outcome, i) for i in order)

    sensitivity: tuple[WeightInterval, ...] = ()
    if order:
        top = order[0]
        sensitivity = weight_intervals(
            concern_ids,
            [weights[c] for c in concern_ids],
            [s.worst_values for s in scored],
            top,
            scored[top].drug.id,
            drug_ids=[s.drug.id for s in scored],
        )
    return Result(
        criteria=criteria,
        importance=full,
        weights=weights,
        context=prepared.context,
        horizon_months=prepared.horizon_months,
        policy=POLICY,
        drugs=drugs,
        sensitivity=sensitivity,
        sources={d.id: d.sources for d in prepared.drugs},
        smaa=None
        if smaa is None
        else SmaaSummary(
            iterations=smaa.iterations,
            seed=smaa.seed,
            weight_mode=smaa.weight_mode,
            spread=smaa.spread if smaa.weight_mode == "around" else None,
        ),
    )


def evaluate(
    library: Library,
    drug_ids: Sequence[str] | None,
    importance: Mapping[str, float],
    context: PatientContext,
    smaa: SmaaSettings | None = None,
) -> Result:
    """`prepare` then `score`: the whole evaluation in one call."""
    return score(prepare(library, drug_ids, context), importance, smaa)
