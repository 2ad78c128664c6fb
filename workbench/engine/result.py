"""The engine's one immutable result. The app, the CLI and every export only render it.

Nothing outside `workbench.engine` computes a score: if a renderer needs a number, it belongs here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, get_args

from workbench.engine.context import PatientContext
from workbench.engine.evidence import Draw
from workbench.profiles.records import Criterion, OtherConfirmation
from workbench.profiles.vocabulary import (
    Basis,
    CheckStatus,
    Direction,
    FlagLevel,
    IntervalKind,
    Region,
    Route,
    Strength,
)
from workbench.record import Record

MeasurementStatus = Literal["measured", "stratum-range", "no-data"]
"""measured: one value applies; stratum-range: the context leaves several strata possible (value is
None, low/high span them); no-data: the profile has no sourced number for this concern."""

Tier = Literal["eligible", "outside-label", "contraindicated"]
"""eligible; outside-label (not approved in the region, course outside the indication, reservation
not met, off-label); contraindicated (a contraindication holds for this patient)."""

TIERS: tuple[Tier, ...] = ("eligible", "outside-label", "contraindicated")

RankMode = Literal["tiers", "all-together"]
"""tiers: eligible drugs first, then outside the label, then contraindicated; all-together: one
ranking for teaching. In both, a drug without evidence on a weighted concern is not ranked."""
RANK_MODES: tuple[RankMode, ...] = get_args(RankMode)

WeightMode = Literal["around", "uniform", "fixed"]
"""SMAA weight sampling: fixed at the user's weights; uniform on the simplex (no preference
information); or uniformly within ±k importance points of the user's importances. The order of
`WEIGHT_MODES` is the order the sensitivity view cycles through, from the default."""
WEIGHT_MODES: tuple[WeightMode, ...] = get_args(WeightMode)


class ComparatorFigure(Record):
    """The comparator beside a drug's figure (placebo arm, active arm, background rate in MS)."""

    label: str
    value: float
    low: float | None
    high: float | None
    interval_kind: IntervalKind
    sources: tuple[str, ...]
    note: str | None


class Difference(Record):
    """Drug − comparator in the concern's unit, with a 95% interval where both figures have one."""

    value: float
    low: float | None
    high: float | None


class AppliedModifier(Record):
    """A risk modifier of the profile whose condition holds (`applies` True) or is undecided
    (None: the figure spans the case with and without it)."""

    label: str
    ratio: float
    low: float | None
    high: float | None
    interval_kind: IntervalKind
    """ci95: the ratio's published 95% CI; published-range: the spread of its figures."""
    applies: bool | None
    undecided: str | None
    """The undecided part of its condition in words (when `applies` is None)."""
    basis: Basis
    strength: Strength
    sources: tuple[str, ...]
    note: str | None


CumulativeMethod = Literal["annual-risks", "constant-rate"]
"""annual-risks: exposure-banded figures read as conditional risks per 12-month period, multiplied
over the horizon; constant-rate: one rate over the horizon (1 − exp(−rate × years))."""


class Cumulative(Record):
    """The risk over the treatment horizon of a per-year figure, as N in `per` patients (the
    concern's `rate_per`) over `months` months; `value` None for a stratum range."""

    value: float | None
    low: float | None
    high: float | None
    months: int
    per: float
    method: CumulativeMethod


class Evidence(Record):
    """What a resolved figure rests on: basis, counts, what its bounds mean, its comparator."""

    basis: Basis | None
    extrapolated_from: str | None
    interval_kind: IntervalKind
    events: int | None = None
    patients: int | None = None
    patient_years: float | None = None
    follow_up_years: float | None = None
    converted: bool = False
    """A proportion over a follow-up converted to a rate per patient-year (constant hazard)."""
    averaged_months: tuple[int, int] | None = None
    """(first, last) month of the horizon over which exposure-banded strata were averaged."""
    data_cut: str | None = None
    comparator: ComparatorFigure | None = None
    difference: Difference | None = None
    extrapolated_beyond: int | None = None
    """The month after which the figure is a declared continuation of the last exposure band
    (`beyond_last_band`); None when no month of the horizon lies beyond it."""
    cumulative: Cumulative | None = None
    """The risk over the horizon beside a per-year figure; None for other concerns."""
    modifiers: tuple[AppliedModifier, ...] = ()
    """The risk modifiers applied to the figure (or left open by the case), in profile order."""
    confirmation_weeks: int | None = None
    """A disability figure's confirmation period (weeks); None for other figures."""
    other_confirmations: tuple[OtherConfirmation, ...] = ()
    """The same endpoint at other confirmation periods, recorded beside the scored one."""


NO_EVIDENCE = Evidence(basis=None, extrapolated_from=None, interval_kind="none")


class Resolved(Record):
    """One drug × one concern after the patient context was applied: its figure, partial values
    and evidence; everything but the weight."""

    status: MeasurementStatus
    value: float | None
    low: float | None
    high: float | None
    stratum: str | None
    """Label of the stratum that applies; None when the measurement has no strata or is a range."""
    value_score: float | None
    """Partial value 0–1 of `value`; None when status is not 'measured'."""
    score_low: float
    """Lowest partial value possible: 0 for no-data; the worse end of the bounds otherwise."""
    score_high: float
    strength: Strength | None
    sources: tuple[str, ...]
    follow_up: str | None
    note: str | None
    clamped: bool
    """True when the value lay outside the concern's fixed scale and was clamped to it."""
    evidence: Evidence
    draw: Draw
    """How SMAA samples this figure (in the concern's unit)."""


class CriterionResult(Resolved):
    """One drug × one concern at its weight: the resolved measurement with the concern it
    measures and its contribution."""

    concern: str
    label: str
    unit: str
    direction: Direction
    per_year: bool
    """The concern is a rate per patient-year."""
    weight: float
    contribution: float | None
    """weight × value_score; None when value_score is None."""
    contribution_low: float
    contribution_high: float


class Flag(Record):
    level: FlagLevel
    code: str
    text: str
    sources: tuple[str, ...]
    undecided: str | None = None
    """For a caution the case cannot decide: its undecided condition in words ("pregnancy
    planned"); None when the flag holds."""


class DefinitionFinding(Record):
    """One activity or response definition applied to the case's facts."""

    id: str
    label: str
    kind: str
    """activity (establishes a level) or response (the current DMT is failing)."""
    establishes: str | None
    verdict: Literal["met", "not met", "undecided"]
    facts: str
    """The facts that meet it (or open it), with their thresholds, in words."""
    missing: tuple[str, ...]
    """For an undecided definition: the facts it lacks."""
    open_reason: str | None
    """Why the label leaves it to the clinician, when it does."""
    wording: str
    paraphrase: bool
    counting: str
    note: str | None
    sources: tuple[str, ...]
    """Full citations."""


class ActivityAssessment(Record):
    """Disease activity and the response to the current DMT as the facts and definitions give
    them, beside the activity the case gives."""

    given: str | None
    possible: tuple[str, ...]
    """The levels the facts leave possible (empty without facts)."""
    findings: tuple[DefinitionFinding, ...]
    conflict: str | None
    """The given activity disagrees with the facts: said in words (the given value is used)."""
    summary: str
    """The activity used and the definition behind it, in one paragraph of words."""


class Eligibility(Record):
    """The drug's tier for this patient, why, and what the case leaves open."""

    tier: Tier
    reasons: tuple[str, ...]
    """Why the drug is in its tier (empty for eligible)."""
    possible: tuple[str, ...]
    """Undecided conditions that would move it down, e.g. "may be contraindicated: pregnancy
    planned". They never move it down by themselves."""


class ReservationStatus(Record):
    region: Region
    restricted: bool
    wording: str | None
    patient_meets: bool | None
    """True/False, or None when the context does not tell (e.g. prior DMTs unknown)."""
    sources: tuple[str, ...]
    unknown: tuple[str, ...] = ()
    """When `patient_meets` is None: the facts the case leaves unknown that would decide it
    (empty: the label's conditions are not encoded, the clinician judges)."""


class CheckResult(Record):
    """A test or vaccination required before starting, decided against the case."""

    item: str
    kind: str
    """test or vaccination."""
    status: CheckStatus
    """done; due (still to do); blocks (the start is blocked); unknown (the case does not say)."""
    text: str
    strength: Strength
    sources: tuple[str, ...]
    note: str | None = None


class MonitoringTest(Record):
    """One monitoring item of a profile: the test, how often, for how long, its sources."""

    test: str
    frequency: str
    duration: str
    sources: tuple[str, ...]


class MonitoringItem(MonitoringTest):
    months: tuple[float, ...] = ()
    """When it falls due, in months from the first dose (the profile's schedule; the current DMT
    counts from its first dose too); empty when the profile gives no schedule."""


class MonitoringPlan(Record):
    """What the dated monitoring follows: the regimen in words, its last dose and the end of
    monitoring, in months from the first dose."""

    regimen: str
    last_dose_month: float
    end_month: float


class DrugFacts(Record):
    """One drug for this patient as the context decides it, independent of the weights: what
    the prepared drug and the drug's result share."""

    id: str
    name: str
    drug_class: str
    routes: tuple[Route, ...]
    off_label: bool
    last_reviewed: str
    reservation: Mapping[Region, ReservationStatus]
    flags: tuple[Flag, ...]
    eligibility: Eligibility
    monitoring: tuple[MonitoringItem, ...]
    months_on: int | None
    """Months on the drug so far (the current DMT; 0 for a drug started now; None: unknown)."""
    continuing: bool = False
    """The patient's current DMT, compared as "continue" from its exposure so far."""
    before_starting: tuple[CheckResult, ...] = ()
    """Tests and vaccinations the label requires before starting, decided against the case."""
    monitoring_plan: MonitoringPlan | None = None
    """The regimen and span the monitoring months follow."""


class DrugResult(DrugFacts):
    """One drug at the weights: its concerns, total, rank and (with SMAA) acceptability."""

    rank: int
    score: float | None
    """Total value 0–1; None when the drug is incomplete (see score_range)."""
    score_range: tuple[float, float]
    """(worst case, best case): missing or undetermined values at their worst vs best."""
    complete: bool
    criteria: Mapping[str, CriterionResult]
    ranked: bool
    """False when listed as "not ranked on these weights": no evidence on a weighted concern."""
    unranked_because: tuple[str, ...]
    """Labels of the weighted concerns without evidence (empty when ranked)."""
    rank_range: tuple[int, int] | None = None
    """For a drug not ranked: (best, worst) rank it could take among the ranked drugs of its
    group, with its missing values at the best and the worst end of their scales."""
    acceptability: tuple[float, ...] | None = None
    """With SMAA: index r-1 → probability that this drug has rank r."""
    central_weights: Mapping[str, float] | None = None
    confidence: float | None = None
    p_first: float | None = None
    """With SMAA: the probability of ranking first."""
    expected_rank: float | None = None
    """With SMAA: the mean rank over the iterations."""
    smaa_cumulative: Mapping[str, tuple[float, float]] | None = None
    """With SMAA: concern → the central 95% of the drawn risks over the horizon (N in the
    concern's `rate_per`), for each sampled per-year figure."""


class Stopping(Record):
    """What stopping the current DMT means (rebound, PML surveillance, elimination, recovery)."""

    drug: str
    name: str
    flags: tuple[Flag, ...]
    sources: Mapping[str, str]
    """Source id → full citation for the flags."""


class WeightInterval(Record):
    """One-way sensitivity: the weight range of one concern over which the top drug stays top
    (the other weights rescaled proportionally)."""

    concern: str
    current: float
    low: float
    high: float
    top_drug: str
    below_drug: str | None = None
    """The drug that ranks first just below `low` (None when `low` is 0: nothing takes over)."""
    above_drug: str | None = None
    """The drug that ranks first just above `high` (None when `high` is 1)."""


class SmaaSummary(Record):
    iterations: int
    seed: int
    weight_mode: WeightMode
    spread: float | None
    """For weight_mode 'around': the ±k importance points; None otherwise."""


class PresetUsed(Record):
    """The preset whose importances the result used, and where they come from."""

    id: str
    label: str
    source: str
    """The study, its population and method; or that it is a teaching device without a source."""
    teaching: bool


class Result(Record):
    criteria: tuple[Criterion, ...]
    importance: Mapping[str, float]
    weights: Mapping[str, float]
    """Concern id → normalized weight (sums to 1; every concern listed)."""
    context: PatientContext
    horizon_months: int
    """The treatment horizon (months) the risks were averaged over: the case's, else the default."""
    policy: str
    """How drugs are ordered and ranked, stated in words for every renderer."""
    rank_mode: RankMode
    drugs: tuple[DrugResult, ...]
    """Ordered by rank (ties: by name)."""
    sensitivity: tuple[WeightInterval, ...]
    sources: Mapping[str, Mapping[str, str]]
    """Drug id → source id → full citation, for every source a renderer may need to cite."""
    smaa: SmaaSummary | None = None
    stopping: Stopping | None = None
    derived: PatientContext | None = None
    """The context the engine evaluated: `context` with prior DMTs and prior immunosuppressant
    derived from the treatment history where the case does not give them."""
    """What stopping the current DMT means; None when there is no current DMT (or no profile)."""
    activity: ActivityAssessment | None = None
    """Disease activity from the facts, the definitions used and any conflict with the given one."""
    most_probable_first: str | None = None
    """With SMAA: the id of the drug most often first among `smaa_compared`."""
    smaa_compared: tuple[str, ...] = ()
    """With SMAA: the top drug's group (its tier, and complete or not, as the table groups
    them), whose members `most_probable_first` compares: never a drug the table puts below."""
    preset: PresetUsed | None = None
    """The preset in use (None: the user's own importances)."""
    not_relevant: Mapping[str, str] | None = None
    """Concern id → why it is not relevant to this patient (its weight is 0 here); None: none."""
