"""The benefit-risk evaluation, in two stages so the app can re-score on every weight change.

`prepare` applies the patient context (measurements, value scores, flags, reservations,
monitoring); `score` applies the weights (totals, contributions, ranks, sensitivity, optional SMAA)
and returns the one immutable `Result` every renderer uses. `evaluate` does both.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping, Sequence

from workbench.engine.activity import apply_facts, assess
from workbench.engine.checks import before_starting, blocked_flags
from workbench.engine.conditions import evaluate_condition, exposure_window
from workbench.engine.context import PatientContext
from workbench.engine.eligibility import eligibility
from workbench.engine.flags import INDICATION_CONDITION, flags_for
from workbench.engine.guidelines import guideline_flags
from workbench.engine.history import derive
from workbench.engine.measurements import resolve
from workbench.engine.modifiers import apply_modifiers
from workbench.engine.monitoring_calendar import monitoring_schedule, monitoring_test
from workbench.engine.pregnancy import conception_flags, interval_measurement
from workbench.engine.reservation import reservations
from workbench.engine.result import (
    TIERS,
    ActivityAssessment,
    CriterionResult,
    DrugFacts,
    DrugResult,
    Flag,
    MonitoringItem,
    MonitoringPlan,
    PresetUsed,
    RankMode,
    ReservationStatus,
    Resolved,
    Result,
    SmaaSummary,
    Stopping,
    WeightInterval,
)
from workbench.engine.sensitivity import weight_intervals
from workbench.engine.smaa_settings import SmaaInput, SmaaOutcome, SmaaSettings
from workbench.engine.switching import stopping, switch_flags
from workbench.engine.values import breakpoints
from workbench.engine.weights import full_importance, normalize, preset_in_use
from workbench.profiles.library import Library
from workbench.profiles.records import Criterion, Measurement, Preset, Profile
from workbench.profiles.vocabulary import FLAG_LEVELS, Region
from workbench.record import Record
from workbench.text import label_quote

POLICY: dict[RankMode, str] = {
    "tiers": (
        "Drugs are grouped by eligibility for this patient: eligible first, then outside the label "
        "(not approved in the region, course outside the indication, reservation not met, "
        "off-label), then contraindicated; undecided conditions mark a drug but never move it. "
    ),
    "all-together": (
        "Eligibility is ignored for the order (teaching mode): every drug is ranked together, "
        "with its eligibility still shown. "
    ),
}
MISSING_POLICY = (
    "Within a group, drugs with evidence on every weighted concern are ranked by their total; a "
    "value the case leaves open between strata counts at its worst possible stratum. A drug "
    "without evidence on a weighted concern is listed after them as not ranked on these weights, "
    "with its worst-to-best range and the ranks it could take with its missing values at the "
    "best and the worst end of their scales, ordered by its worst case: missing data never "
    "decides a rank and is never scored as safe. Concerns with weight 0 never count."
)
"""How drugs are ordered, in words, for every renderer (group policy + MISSING_POLICY)."""

TIE_TOLERANCE = 1e-9
"""Totals closer than this count as tied (floating-point noise is not a difference)."""


class UnknownDrugError(ValueError):
    """A requested drug id is not in the library; the message lists the valid ids."""


class PreparedDrug(DrugFacts):
    """One drug with the patient context applied; independent of the weights."""

    resolved: Mapping[str, Resolved]
    """Concern id → resolved measurement, for every concern."""
    sources: Mapping[str, str]
    """Source id → full citation."""


class Prepared(Record):
    """The weight-independent stage of an evaluation: score it with any importances."""

    criteria: tuple[Criterion, ...]
    context: PatientContext
    horizon_months: int
    drugs: tuple[PreparedDrug, ...]
    derived: PatientContext | None = None
    """The context evaluated: prior DMTs and immunosuppressant derived from the history."""
    stopping: Stopping | None = None
    """What stopping the current DMT means."""
    activity: ActivityAssessment | None = None
    """Disease activity from the facts and the definitions used."""
    not_relevant: tuple[tuple[str, str], ...] = ()
    """(concern id, why) for each concern not relevant to this patient (`applies_when`)."""
    presets: tuple[Preset, ...] = ()
    """The library's presets: the result names the one whose importances it used."""


TEACHING_SOURCE = "a teaching device without a source (not a published preference study)"


def _preset_used(presets: Sequence[Preset], importance: Mapping[str, float]) -> PresetUsed | None:
    preset = preset_in_use(presets, importance)
    if preset is None:
        return None
    src = preset.source
    source = (
        TEACHING_SOURCE
        if src is None
        else f"{src.citation} Population: {src.population}. Method: {src.method}."
    )
    return PresetUsed(id=preset.id, label=preset.label, source=source, teaching=preset.teaching)


def not_relevant_concerns(
    criteria: Sequence[Criterion], context: PatientContext
) -> tuple[tuple[str, str], ...]:
    """The concerns whose `applies_when` no alternative meets for this case, with the reason."""
    return tuple(
        (c.id, c.not_relevant or "not relevant to this case")
        for c in criteria
        if c.applies_when is not None
        and not any(evaluate_condition(alt, context) is True for alt in c.applies_when)
    )


def _monitoring(
    profile: Profile, region: Region, horizon: int
) -> tuple[tuple[MonitoringItem, ...], MonitoringPlan]:
    schedule = monitoring_schedule(profile, region, horizon)
    items = tuple(
        MonitoringItem(**monitoring_test(m).as_dict(), months=months)
        for m, months in schedule.items
    )
    plan = MonitoringPlan(
        regimen=schedule.regimen,
        last_dose_month=schedule.last_dose_month,
        end_month=schedule.end_month,
    )
    return items, plan


def profile_measurement(profile: Profile, criterion: Criterion) -> Measurement | None:
    """The profile's measurement of a concern, or the one derived from its pregnancy intervals."""
    if criterion.from_pregnancy_intervals:
        return interval_measurement(profile, criterion)
    return profile.measurements.get(criterion.id)


def prepare_drug(
    profile: Profile,
    criteria: Sequence[Criterion],
    context: PatientContext,
    horizon: int,
    library: Library | None = None,
) -> PreparedDrug:
    """Apply the patient context to one profile, over `horizon` months of treatment (with the
    `library`, also the switching flags from the current and previous treatments)."""
    status = reservations(profile, context)
    window = exposure_window(context, profile.id, horizon)
    extra, cited = ([], {}) if library is None else switch_flags(profile, context, library, window)
    if library is not None:
        advice, guideline_sources = guideline_flags(profile, context, library)
        extra = [*extra, *advice]
        cited = {**cited, **guideline_sources}
    flags = sort_flags([*flags_for(profile, context, status, window), *extra])
    flags = sort_flags([*flags, *conception_flags(profile, context)])
    continuing = profile.id == context.current_dmt
    checks = () if continuing else before_starting(profile, context, window)
    flags = sort_flags([*flags, *blocked_flags(checks)])
    done = context.months_on_current if continuing else 0
    monitoring, plan = _monitoring(profile, context.region, horizon + (done or 0))
    if continuing:
        flags = sort_flags([_for_continuation(f, status.get(context.region)) for f in flags])
    resolved = {
        c.id: apply_modifiers(
            c,
            resolve(
                c,
                profile_measurement(profile, c),
                context,
                window,
                horizon,
                gap=profile.no_data.get(c.id),
            ),
            profile.modifiers,
            context,
            window,
        )
        for c in criteria
    }
    return PreparedDrug(
        id=profile.id,
        name=f"{profile.name} (continue)" if continuing else profile.name,
        drug_class=profile.drug_class,
        routes=tuple(profile.administration.route),
        off_label=profile.off_label,
        last_reviewed=profile.last_reviewed.isoformat(),
        resolved=resolved,
        reservation=status,
        flags=flags,
        eligibility=eligibility(flags),
        monitoring=monitoring,
        monitoring_plan=plan,
        months_on=done,
        sources={**cited, **{s.id: s.citation for s in profile.sources}},
        continuing=continuing,
        before_starting=checks,
    )


RESERVATION_CODES = ("reservation-not-met", "reservation-unknown")


def _for_continuation(flag: Flag, reservation: ReservationStatus | None) -> Flag:
    """For the current DMT, a highly-active-disease reservation or an indication's activity
    condition concerns starting it: shown as information, it never puts continuing outside the
    label (a patient whose disease is inactive on it is no reason to stop it)."""
    if flag.code == INDICATION_CONDITION:
        text = f"{flag.text} This condition concerns starting the drug; it is not re-assessed "
        text += "for continuing it."
        return Flag(level="info", code="indication-continuing", text=text, sources=flag.sources)
    if flag.code not in RESERVATION_CODES or reservation is None:
        return flag
    wording = f": {label_quote(reservation.wording)}" if reservation.wording else "."
    text = (
        f"Restricted in {reservation.region.upper()}{wording} This restriction concerns starting "
        "the drug; it is not re-assessed for continuing it."
    )
    return Flag(level="info", code="reservation-continuing", text=text, sources=flag.sources)


def sort_flags(flags: Sequence[Flag]) -> tuple[Flag, ...]:
    """Most severe first; at one level, flags that hold before undecided ones."""
    return tuple(sorted(flags, key=lambda f: (FLAG_LEVELS.index(f.level), f.undecided is not None)))


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
    current = next((p for p in library.profiles if p.id == context.current_dmt), None)
    if current is not None and current not in profiles:
        profiles.append(current)  # staying is always compared with switching
    criteria = library.criteria
    horizon = context.horizon_months or library.horizon_months
    derived = apply_facts(derive(context, library), library)
    return Prepared(
        criteria=criteria,
        context=context,
        horizon_months=horizon,
        drugs=tuple(prepare_drug(p, criteria, derived, horizon, library) for p in profiles),
        derived=derived,
        stopping=stopping(derived, library),
        activity=assess(context, derived, library),
        not_relevant=not_relevant_concerns(criteria, derived),
        presets=library.presets,
    )


class _Scored(Record):
    drug: PreparedDrug
    criteria: dict[str, CriterionResult]
    worst: float
    best: float
    complete: bool
    missing: tuple[str, ...]
    """Labels of weighted concerns without evidence: the drug is not ranked on these weights."""
    worst_values: tuple[float, ...]
    """Per concern: the partial value used for ranking (value score, or the worst possible)."""
    missing_weight: float = 0.0
    """The summed weight of the weighted concerns without evidence."""


def _criterion_result(c: Criterion, r: Resolved, weight: float) -> CriterionResult:
    """One drug × one concern at `weight`: `r`'s fields and the concern's (built at once: a
    weight key builds every drug's cells again)."""
    value_score = r.value_score
    return CriterionResult.from_fields(
        {
            **r.__dict__,
            "concern": c.id,
            "label": c.label,
            "unit": c.unit,
            "direction": c.direction,
            "per_year": c.per_year,
            "weight": weight,
            "contribution": None if value_score is None else weight * value_score,
            "contribution_low": weight * r.score_low,
            "contribution_high": weight * r.score_high,
        }
    )


def _score_drug(
    drug: PreparedDrug, criteria: Sequence[Criterion], weights: Mapping[str, float]
) -> _Scored:
    results: dict[str, CriterionResult] = {}
    worst_values: list[float] = []
    best_values: list[float] = []
    complete = True
    missing: list[str] = []
    missing_weight = 0.0
    for c in criteria:
        r, w = drug.resolved[c.id], weights[c.id]
        results[c.id] = _criterion_result(c, r, w)
        if r.status == "no-data" and w > 0.0:
            missing.append(c.label)
            missing_weight += w
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
    return _Scored(
        drug=drug,
        criteria=results,
        worst=worst,
        best=best,
        complete=complete,
        missing=tuple(missing),
        worst_values=tuple(worst_values),
        missing_weight=missing_weight,
    )


def _groups(scored: Sequence[_Scored], mode: RankMode) -> list[tuple[int, bool]]:
    """Per drug: its display group, (tier position, not ranked) — every tier one group in
    "all-together" mode."""
    tiers = {tier: position for position, tier in enumerate(TIERS)}
    return [
        (tiers[s.drug.eligibility.tier] if mode == "tiers" else 0, bool(s.missing)) for s in scored
    ]


def _display_order(
    scored: Sequence[_Scored], groups: Sequence[tuple[int, bool]]
) -> tuple[list[int], list[int]]:
    """(display order of indices, rank per index): groups (tier, ranked before not ranked), then
    worst-case total, then name; ties within a group share the better rank."""
    order = sorted(
        range(len(scored)),
        key=lambda i: (groups[i], -scored[i].worst, scored[i].drug.name.casefold()),
    )
    ranks = [0] * len(scored)
    for position, i in enumerate(order):
        previous = order[position - 1] if position else None
        tied = (
            previous is not None
            and groups[previous] == groups[i]
            and abs(scored[previous].worst - scored[i].worst) <= TIE_TOLERANCE
        )
        ranks[i] = ranks[previous] if tied and previous is not None else position + 1
    return order, ranks


def _rank_ranges(
    scored: Sequence[_Scored], groups: Sequence[tuple[int, bool]]
) -> list[tuple[int, int] | None]:
    """For a drug not ranked on these weights: the ranks it would take among the ranked drugs
    of its tier with its missing cells at the best and at the worst end of their scales (its
    other values as ranked: open strata at their worst); None for a ranked drug."""
    sizes = Counter(groups)
    peers: dict[tuple[int, bool], list[float]] = {}
    for group, s in zip(groups, scored, strict=True):
        if not group[1]:
            peers.setdefault(group, []).append(-s.worst)
    for totals in peers.values():
        totals.sort()

    def rank_at(target: tuple[int, bool], total: float) -> int:
        before = sum(size for group, size in sizes.items() if group < target)
        better = bisect_left(peers.get(target, []), -(total + TIE_TOLERANCE))
        return before + 1 + better

    ranges: list[tuple[int, int] | None] = []
    for (tier, missing), s in zip(groups, scored, strict=True):
        target = (tier, False)
        ranges.append(
            (rank_at(target, s.worst + s.missing_weight), rank_at(target, s.worst))
            if missing
            else None
        )
    return ranges


def _same_group(groups: Sequence[tuple[int, bool]], order: Sequence[int]) -> list[int]:
    """The drugs of the first displayed group, in display order: the top drug's competitors."""
    if not order:
        return []
    first = groups[order[0]]
    return [i for i in order if groups[i] == first]


def _smaa_input(criteria: Sequence[Criterion], scored: Sequence[_Scored]) -> SmaaInput:
    curves = [breakpoints(c) for c in criteria]
    return SmaaInput(
        concerns=tuple(c.id for c in criteria),
        worst=tuple(c.worst for c in criteria),
        best=tuple(c.best for c in criteria),
        positions=tuple(p for p, _ in curves),
        values=tuple(v for _, v in curves),
        draws=tuple(tuple(s.drug.resolved[c.id].draw for c in criteria) for s in scored),
        cumulative=tuple(
            tuple(s.drug.resolved[c.id].evidence.cumulative for c in criteria) for s in scored
        ),
    )


def _drug_result(
    s: _Scored,
    rank: int,
    smaa: SmaaOutcome | None,
    index: int,
    rank_range: tuple[int, int] | None = None,
) -> DrugResult:
    shares = None if smaa is None else smaa.acceptability[index]
    fields = {
        **s.drug.__dict__,
        "rank": rank,
        "score": s.worst if s.complete else None,
        "score_range": (s.worst, s.best),
        "complete": s.complete,
        "criteria": s.criteria,
        "ranked": not s.missing,
        "unranked_because": s.missing,
        "rank_range": rank_range,
        "acceptability": shares,
        "central_weights": None if smaa is None else smaa.central_weights[index],
        "confidence": None if smaa is None else smaa.confidence[index],
        "p_first": None if shares is None else shares[0],
        "expected_rank": None
        if shares is None
        else math.fsum((r + 1) * p for r, p in enumerate(shares)),
        "smaa_cumulative": None if smaa is None else smaa.cumulative[index],
    }
    del fields["resolved"], fields["sources"]  # `criteria` and `Result.sources` hold them
    return DrugResult.from_fields(fields)


def score(
    prepared: Prepared,
    importance: Mapping[str, float],
    smaa: SmaaSettings | None = None,
    *,
    rank_mode: RankMode = "tiers",
) -> Result:
    """Weigh a prepared evaluation: totals, display order and ranks, sensitivity and (optionally)
    SMAA. `rank_mode` "tiers" groups by eligibility; "all-together" ranks everything together."""
    criteria = prepared.criteria
    concern_ids = [c.id for c in criteria]
    full = full_importance(importance, concern_ids)
    not_relevant = dict(prepared.not_relevant)
    used = {c: 0.0 if c in not_relevant else v for c, v in full.items()}
    if any(used.values()) or not any(full.values()):
        weights = normalize(used, concern_ids)
    else:  # every weighted concern is not relevant here: nothing weighs, every total is 0
        weights = dict.fromkeys(concern_ids, 0.0)
    scored = [_score_drug(d, criteria, weights) for d in prepared.drugs]
    groups = _groups(scored, rank_mode)
    order, ranks = _display_order(scored, groups)
    top_group = _same_group(groups, order)

    outcome = None
    if smaa is not None:
        from workbench.engine.smaa import run_smaa  # the simulation and numpy: only when run

        outcome = run_smaa(
            _smaa_input(criteria, scored),
            [weights[c] for c in concern_ids],
            [used[c] for c in concern_ids],
            smaa,
            top_group,
            active=[c not in not_relevant for c in concern_ids],
        )
    ranges = _rank_ranges(scored, groups)
    drugs = tuple(_drug_result(scored[i], ranks[i], outcome, i, ranges[i]) for i in order)

    sensitivity: tuple[WeightInterval, ...] = ()
    if top_group and any(weights.values()):  # the top drug against its own group
        competing = [scored[i] for i in top_group]
        kept = [k for k, c in enumerate(concern_ids) if c not in not_relevant]
        sensitivity = weight_intervals(
            [concern_ids[k] for k in kept],
            [weights[concern_ids[k]] for k in kept],
            [[s.worst_values[k] for k in kept] for s in competing],
            0,
            competing[0].drug.id,
            drug_ids=[s.drug.id for s in competing],
        )
    most_probable = None
    if outcome is not None and top_group:
        shares = outcome.first_in_group
        most_probable = scored[max(top_group, key=lambda i: shares[i])].drug.id
    return Result(
        criteria=criteria,
        importance=full,
        weights=weights,
        context=prepared.context,
        horizon_months=prepared.horizon_months,
        policy=POLICY[rank_mode] + MISSING_POLICY,
        rank_mode=rank_mode,
        drugs=drugs,
        sensitivity=sensitivity,
        sources={d.id: d.sources for d in prepared.drugs},
        stopping=prepared.stopping,
        derived=prepared.derived,
        activity=prepared.activity,
        smaa=None
        if smaa is None
        else SmaaSummary(
            iterations=smaa.iterations,
            seed=smaa.seed,
            weight_mode=smaa.weight_mode,
            spread=smaa.spread if smaa.weight_mode == "around" else None,
        ),
        most_probable_first=most_probable,
        smaa_compared=tuple(scored[i].drug.id for i in top_group) if outcome else (),
        not_relevant=not_relevant,
        preset=_preset_used(prepared.presets, full),
    )


def evaluate(
    library: Library,
    drug_ids: Sequence[str] | None,
    importance: Mapping[str, float],
    context: PatientContext,
    smaa: SmaaSettings | None = None,
    *,
    rank_mode: RankMode = "tiers",
) -> Result:
    """`prepare` then `score`: the whole evaluation in one call."""
    return score(prepare(library, drug_ids, context), importance, smaa, rank_mode=rank_mode)
