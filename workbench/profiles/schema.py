"""The drug-profile, criteria and presets formats as strict pydantic models.

Every clinical number lives in TOML files validated by these models; no clinical number lives in
code. Models are frozen, forbid unknown keys and use strict types (no silent coercion of "12" into
12). Cross-field and cross-file rules (source ids exist, concern ids known, bounds ordered) are
checked by `workbench.profiles.rules`, which reports them with file, line and field path.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from workbench.profiles.vocabulary import (
    Activity,
    AutoimmuneType,
    Basis,
    Breastfeeding,
    Comorbidity,
    ConceptionState,
    Course,
    Direction,
    EfficacyLevel,
    EquivalenceKind,
    FlagLevel,
    IntervalReason,
    JcvStatus,
    NatalizumabDosing,
    Region,
    Route,
    Sex,
    SourceKind,
    Strength,
    TestResult,
)

Text = str
Id = str


MAX_COUNT = 1_000_000_000
"""Most events or patients a count may give (no study or registry comes near a billion)."""
MAX_FIGURE = 1_000_000.0
"""Largest magnitude of a figure in a concern's unit (percentages, rates per 100 or 1,000)."""
MIN_EXPOSURE_YEARS = 0.01
"""Smallest exposure or follow-up, in (patient-)years, a count may give (about four days)."""
MAX_EXPOSURE_YEARS = 1e10
"""Largest exposure in patient-years a count may give."""


class Model(BaseModel):
    """Base for every file-format model: strict, frozen, no unknown keys, finite numbers only
    (TOML's `inf` and `nan` are refused)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


# --------------------------------------------------------------------------- conditions


class Condition(Model):
    """A predicate on the patient context. Every key given must hold (logical AND).

    Evaluated with three values: true, false or unknown (when the context field is unknown).
    Numeric bands: `*_min`/`*_max` are inclusive; `jcv_index_above` is exclusive and
    `jcv_index_at_most` inclusive, matching how index bands are written in labels
    (≤0.9, 0.9–1.5, >1.5).
    """

    region: list[Region] | None = Field(None, description="Region(s) where this applies.")
    course: list[Course] | None = Field(None, description="Disease course(s) this applies to.")
    activity: list[Activity] | None = Field(None, description="Disease activity level(s).")
    min_prior_dmts: int | None = Field(None, ge=0, description="At least this many prior DMTs.")
    max_prior_dmts: int | None = Field(None, ge=0, description="At most this many prior DMTs.")
    prior_immunosuppressant: bool | None = Field(
        None, description="Prior immunosuppressant use (e.g. mitoxantrone, azathioprine)."
    )
    jcv_status: list[JcvStatus] | None = Field(None, description="Anti-JCV antibody status.")
    jcv_index_above: float | None = Field(None, ge=0, description="Anti-JCV index > this.")
    jcv_index_at_most: float | None = Field(None, ge=0, description="Anti-JCV index ≤ this.")
    months_on_min: int | None = Field(
        None,
        ge=0,
        description="Months on this drug ≥ this, at any time within the planned treatment horizon.",
    )
    months_on_max: int | None = Field(
        None,
        ge=0,
        description="Months on this drug ≤ this, at any time within the planned treatment horizon.",
    )
    autoimmune_history: bool | None = Field(
        None, description="Autoimmune disease other than MS in the history."
    )
    pregnancy_planned: bool | None = Field(
        None, description="Conception planned (at any time; the months until it do not matter)."
    )
    sex: list[Sex] | None = Field(
        None, description="Sex: female, male, or 'unknown' (an unknown sex matches only if listed)."
    )
    adequate_course: bool | None = Field(
        None, description="A full and adequate course of the current (or last) DMT was given."
    )
    age_min: int | None = Field(None, ge=0, description="Age ≥ years.")
    age_max: int | None = Field(None, ge=0, description="Age ≤ years.")
    conception: list[ConceptionState] | None = Field(
        None,
        description="Conception plan: planned (with or without a timing), not-planned, or "
        "'unknown' (an unknown plan matches only if listed).",
    )
    autoimmune_types: list[AutoimmuneType] | None = Field(
        None, description="Any of these autoimmune diseases besides MS in the history."
    )
    comorbidities: list[Comorbidity] | None = Field(None, description="Any of these comorbidities.")
    lymphocytes_below: float | None = Field(
        None, ge=0, description="Lymphocyte count < this (× 10⁹/L)."
    )
    lymphocytes_at_least: float | None = Field(
        None, ge=0, description="Lymphocyte count ≥ this (× 10⁹/L)."
    )
    lymphopenia_months_over: int | None = Field(
        None, ge=0, description="Lymphocytes below 0.5 × 10⁹/L for more than this many months."
    )
    igg_below_lln: bool | None = Field(None, description="Serum IgG below the lower limit.")
    natalizumab_dosing: list[NatalizumabDosing] | None = Field(
        None, description="Natalizumab dosing interval (standard, extended)."
    )
    breastfeeding: list[Breastfeeding] | None = Field(
        None, description="Breastfeeding: now, planned, no."
    )
    hbsag: list[TestResult] | None = Field(None, description="HBsAg result.")
    anti_hbc: list[TestResult] | None = Field(None, description="Anti-HBc result.")
    vzv_igg: list[TestResult] | None = Field(None, description="VZV IgG result.")
    tb_screen: list[TestResult] | None = Field(None, description="TB screening result.")
    hiv: list[TestResult] | None = Field(None, description="HIV test result.")
    live_vaccine_recent: bool | None = Field(
        None, description="A live vaccine within the last 4-6 weeks."
    )
    relapses_12m_min: int | None = Field(
        None, ge=0, description="Relapses in the last 12 months ≥ this."
    )
    relapses_24m_min: int | None = Field(
        None, ge=0, description="Relapses in the last 24 months ≥ this."
    )
    new_t2_12m_min: int | None = Field(
        None, ge=0, description="New or enlarging T2 lesions in the last 12 months ≥ this."
    )
    gd_lesions_min: int | None = Field(
        None, ge=0, description="Gadolinium-enhancing lesions on the last MRI ≥ this."
    )
    t2_lesions_min: int | None = Field(
        None, ge=0, description="T2 lesions in all on the last MRI ≥ this."
    )
    activity_on_current: bool | None = Field(
        None, description="The activity happened on the current DMT (at any time on it)."
    )
    on_current_after_onset: bool | None = Field(
        None,
        description="The activity happened on the current DMT after its onset time (the "
        "profile's [onset] months).",
    )
    definition_met: list[Id] | None = Field(
        None, description="Any of these activity definitions (criteria.toml) is met."
    )


# --------------------------------------------------------------------------- sources, evidence


class Source(Model):
    """A citable source: trial publication, label (SmPC/USPI), regulator action, review."""

    id: Id = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="Id referenced by source_ids.")
    kind: SourceKind
    citation: Text = Field(min_length=10, description="Full citation as it would appear in a note.")
    year: int = Field(ge=1950, le=2100)
    doi: str | None = Field(None, pattern=r"^10\.\d{4,9}/\S+$")
    url: str | None = Field(None, pattern=r"^https?://\S+$")


class IndirectEstimate(Model):
    """A vs-placebo estimate derived from an active-comparator trial (Bucher indirect comparison).

    vs-placebo ratio = contrast_rate_ratio × anchor_rate_ratio (rate or hazard ratios); a given
    value must equal 100 × (1 − that product) within 0.5 percentage points, and without a value
    the engine derives it. With both legs' 95% CIs the engine propagates the interval (the log
    ratios' variances add). Both legs cite their own sources.
    """

    comparator: Text = Field(
        min_length=2, description="The active comparator of the pivotal trial."
    )
    contrast_rate_ratio: float = Field(gt=0, description="Drug vs active comparator ARR ratio.")
    contrast_source_ids: list[Id] = Field(min_length=1)
    anchor_rate_ratio: float = Field(gt=0, description="Active comparator vs placebo ARR ratio.")
    anchor_source_ids: list[Id] = Field(min_length=1)
    contrast_ci_low: float | None = Field(None, gt=0, description="Contrast 95% CI, lower end.")
    contrast_ci_high: float | None = Field(None, gt=0, description="Contrast 95% CI, upper end.")
    anchor_ci_low: float | None = Field(None, gt=0, description="Anchor 95% CI, lower end.")
    anchor_ci_high: float | None = Field(None, gt=0, description="Anchor 95% CI, upper end.")
    note: Text | None = None


class Figure(Model):
    """A figure in the concern's unit (`value`), or the counts it is derived from — not both.

    Counts: `events` with `patients` (and `follow_up_years` for a per-year concern) is a
    proportion; `events` with `patient_years` is a rate. The engine derives the value in the
    concern's unit and its exact 95% interval (Clopper–Pearson, Garwood). A `value` may carry its
    published 95% interval (`ci_low`/`ci_high`) or the spread of published figures (`low`/`high`).
    """

    value: float | None = Field(
        None, ge=-MAX_FIGURE, le=MAX_FIGURE, description="The figure in the concern's unit."
    )
    ci_low: float | None = Field(
        None, ge=-MAX_FIGURE, le=MAX_FIGURE, description="Published 95% CI, lower end."
    )
    ci_high: float | None = Field(
        None, ge=-MAX_FIGURE, le=MAX_FIGURE, description="Published 95% CI, upper end."
    )
    low: float | None = Field(
        None,
        ge=-MAX_FIGURE,
        le=MAX_FIGURE,
        description="Lowest of the published figures (not a CI).",
    )
    high: float | None = Field(
        None,
        ge=-MAX_FIGURE,
        le=MAX_FIGURE,
        description="Highest of the published figures (not a CI).",
    )
    events: int | None = Field(
        None, ge=0, le=MAX_COUNT, description="Patients with the event, or event count."
    )
    patients: int | None = Field(
        None, gt=0, le=MAX_COUNT, description="Patients at risk (with `events`)."
    )
    follow_up_years: float | None = Field(
        None,
        ge=MIN_EXPOSURE_YEARS,
        le=1000,
        description="Follow-up of a proportion, years (converted to a per-year rate).",
    )
    patient_years: float | None = Field(
        None,
        ge=MIN_EXPOSURE_YEARS,
        le=MAX_EXPOSURE_YEARS,
        description="Exposure in patient-years.",
    )
    hazard_ratio: float | None = Field(
        None,
        gt=0,
        le=100,
        description="A hazard ratio vs placebo (on a relative-reduction concern): the engine "
        "scores 100 × (1 − HR) and converts its CI the same way.",
    )
    hr_ci_low: float | None = Field(
        None, gt=0, le=100, description="Hazard ratio 95% CI, lower end."
    )
    hr_ci_high: float | None = Field(
        None, gt=0, le=100, description="Hazard ratio 95% CI, upper end."
    )


class OtherConfirmation(Model):
    """The same endpoint with another confirmation period (e.g. 24-week beside 12-week CDP)."""

    weeks: int = Field(gt=0, description="Confirmation period, weeks.")
    hazard_ratio: float | None = Field(None, gt=0, le=100)
    hr_ci_low: float | None = Field(None, gt=0, le=100)
    hr_ci_high: float | None = Field(None, gt=0, le=100)
    note: Text | None = None


class Comparator(Figure):
    """The comparator beside a drug's figure: a placebo arm, an active arm or a background rate."""

    label: Text = Field(min_length=3, description="e.g. 'placebo arm', 'background rate in MS'.")
    drug: Id | None = Field(
        None, description="Profile id of an active comparator arm (a head-to-head trial)."
    )
    source_ids: list[Id] = Field(min_length=1)
    note: Text | None = None


class Stratum(Figure):
    """A context-dependent figure of one measurement (e.g. PML risk by anti-JCV status).

    `months_on_min`/`months_on_max` give an exposure band (months on this drug, inclusive): the
    engine averages the bands over the planned treatment horizon.
    """

    label: Text = Field(min_length=2, description="Human-readable stratum name.")
    when: Condition = Field(default_factory=Condition)
    months_on_min: int | None = Field(None, ge=1, description="First month of the exposure band.")
    months_on_max: int | None = Field(
        None, ge=1, description="Last month of the band (open: none)."
    )
    basis: Basis | None = Field(None, description="Basis when it differs from the measurement's.")
    strength: Strength
    source_ids: list[Id] = Field(min_length=1)
    note: Text | None = None
    indirect: IndirectEstimate | None = None
    confirmation_weeks: int | None = Field(
        None, gt=0, description="Confirmation period of a disability endpoint, weeks."
    )
    other_confirmations: list[OtherConfirmation] | None = None


class Supporting(Figure):
    """A figure of the concern kept as supporting evidence (shown in the notes, never scored):
    a long-term extension, a registry, a single-arm study beside the scored figure."""

    label: Text = Field(min_length=3, description="What the figure is, e.g. 'all-exposure pool'.")
    kind: Id | None = Field(
        None, description="The figure's kind; the concern's reference kind when it is of that kind."
    )
    basis: Basis
    follow_up: Text = Field(min_length=2, description="Follow-up, denominator or population.")
    data_cut: Text | None = None
    strength: Strength
    source_ids: list[Id] = Field(min_length=1)
    note: Text | None = None


class BeyondLastBand(Figure):
    """How a time-banded stratified measurement continues after its last exposure band.

    `method` "carry-last-band": each group of strata with the same condition keeps the figure of
    its last band beyond that band; "figure": every group takes this figure (e.g. a long-term
    registry rate), given as a value or counts. The months beyond are shown as extrapolated
    beyond the last band's month, at a strength no higher than the bands' own.
    """

    method: Literal["carry-last-band", "figure"]
    basis: Basis | None = Field(None, description="With method 'figure': the figure's basis.")
    strength: Strength = Field(description="At most the strength of the bands it extends.")
    source_ids: list[Id] = Field(min_length=1)
    note: Text = Field(min_length=10, description="Why this continuation, in words.")


class Measurement(Figure):
    """One drug's figure for one concern, with its basis, provenance and evidence strength.

    A measurement has a figure (value or counts) or `strata` (or both: then the figure is the
    population-wide one shown for reference, and the strata matching the case are scored).
    """

    unit: Text = Field(description="Must equal the unit of the concern in criteria.toml.")
    follow_up: Text = Field(min_length=2, description="Follow-up, denominator or population.")
    data_cut: Text | None = Field(None, description="Data cut of case counts (snapshot date).")
    basis: Basis
    extrapolated_from: Text | None = Field(
        None, description="With basis 'class': the profile id or named class the figure is from."
    )
    kind: Id | None = Field(
        None,
        description="The figure's kind: the concern's reference kind (criteria.toml "
        "`reference.kind`) when it is of that kind, so figures of one concern compare.",
    )
    trial: Text | None = Field(
        None,
        description="The trial the figure comes from; with a comparator `drug`, that drug should "
        "be scored from the same trial.",
    )
    strength: Strength
    source_ids: list[Id] = Field(min_length=1)
    note: Text | None = None
    indirect: IndirectEstimate | None = None
    strata: list[Stratum] | None = None
    beyond_last_band: BeyondLastBand | None = Field(
        None, description="How banded strata continue after their last band (default: no data)."
    )
    comparator: Comparator | None = None
    supporting: list[Supporting] = Field(
        default_factory=list, description="Other figures of the concern, shown but not scored."
    )
    courses: list[Course] | None = Field(
        None,
        description="Disease course(s) of the population the figure was measured in (a concern "
        "scored by course: the figure counts only for these courses).",
    )
    confirmation_weeks: int | None = Field(
        None, gt=0, description="Confirmation period of a disability endpoint, weeks."
    )
    other_confirmations: list[OtherConfirmation] | None = None


class Modifier(Model):
    """A patient feature that changes one measurement: when `when` holds, the figure (after strata
    and horizon averaging) is multiplied by `ratio` — a hazard or rate ratio, with its published
    95% CI (`ci_low`/`ci_high`) or the spread of published or derived figures (`low`/`high`).
    When the case leaves `when` undecided, the figure spans both possibilities."""

    concern: Id = Field(description="The concern (criteria.toml) whose measurement it changes.")
    label: Text = Field(
        min_length=3, description="What it is, beside the figure: 'IgG below the lower limit'."
    )
    when: Condition
    ratio: float = Field(gt=0, description="The factor applied to the figure.")
    ci_low: float | None = Field(None, gt=0, description="Published 95% CI, lower end.")
    ci_high: float | None = Field(None, gt=0, description="Published 95% CI, upper end.")
    low: float | None = Field(None, gt=0, description="Lowest of the figures (not a CI).")
    high: float | None = Field(None, gt=0, description="Highest of the figures (not a CI).")
    basis: Basis
    strength: Strength
    source_ids: list[Id] = Field(min_length=1)
    note: Text | None = None


class Check(Model):
    """A test or vaccination the label requires before starting, decided against the case:
    `blocks_when` holds → blocks the start; `done_when` holds → done; it fails → due; the case
    does not tell → unknown."""

    item: Text = Field(min_length=3, description="The test or vaccination.")
    kind: Literal["test", "vaccination"]
    done_when: Condition = Field(description="When the check is done (and passed).")
    blocks_when: Condition | None = Field(None, description="When the result blocks the start.")
    text: Text = Field(min_length=5, description="What the label asks (marked paraphrase).")
    region: list[Region] | None = Field(None, description="Only in these regions (default all).")
    strength: Strength
    source_ids: list[Id] = Field(min_length=1)
    note: Text | None = None


# --------------------------------------------------------------------------- label text


class Administration(Model):
    route: list[Route] = Field(description="How it is given; empty for no treatment.")
    schedule: Text = Field(min_length=2)


class IndicationCondition(Model):
    """A condition the indication sets on some courses (e.g. "with active disease defined by
    clinical or imaging features"): outside the label when it does not hold, possibly outside
    when the case cannot tell."""

    courses: list[Course] = Field(min_length=1, description="The courses it applies to.")
    when: Condition = Field(description="What the label requires for these courses.")
    wording: Text = Field(min_length=5, description="The label's words for it (quoted or marked).")


class Indication(Model):
    """Label indication in one region, quoted faithfully."""

    wording: Text = Field(min_length=5, description="Exact indication wording from the label.")
    courses: list[Course] = Field(description="Disease courses inside this indication.")
    approved: bool = Field(True, description="False when the drug is not approved in this region.")
    requires: list[IndicationCondition] = Field(
        default_factory=list,
        description="Conditions the indication sets on some courses (activity, relapse counts).",
    )
    source_ids: list[Id] = Field(min_length=1)


class Reservation(Model):
    """Highly-active-disease reservation in one region.

    `qualifies_when` lists alternative conditions (logical OR); the patient meets the reservation
    when any of them holds. Unrestricted drugs leave it empty.
    """

    restricted: bool
    wording: Text | None = Field(None, description="Exact label wording of the restriction.")
    qualifies_when: list[Condition] = Field(default_factory=list)
    source_ids: list[Id] = Field(default_factory=list)


class Trial(Model):
    name: Text = Field(min_length=2)
    year: int = Field(ge=1950, le=2100)
    source_ids: list[Id] = Field(min_length=1)
    population: Text
    comparator: Text
    arr_drug: float | None = Field(None, ge=0)
    arr_comparator: float | None = Field(None, ge=0)
    relative_reduction: float | None = Field(None, description="Reported ARR reduction, %.")
    disability_endpoint: Text | None = None
    disability_significant: bool | None = None
    note: Text | None = None


class AutoimmuneCondition(Model):
    condition: Text = Field(min_length=2)
    incidence: float | None = Field(None, description="Cumulative incidence, %.")
    follow_up: Text
    strength: Strength
    source_ids: list[Id] = Field(min_length=1)
    note: Text | None = None


class Infection(Model):
    infection: Text = Field(min_length=2)
    figure: Text = Field(description="The reported figure with its unit, quoted from the source.")
    strength: Strength
    source_ids: list[Id] = Field(min_length=1)
    note: Text | None = None


ScheduleMonth = Annotated[float, Field(ge=0, le=600)]
"""A month of a schedule, from the first dose (at most 50 years)."""


class MonitoringSchedule(Model):
    """When a monitoring item falls due, in months from the first dose (month 0: before
    starting), for the dated calendar. Repeats run from `from_month` every `every_months` until
    `until_months_after_last_dose` after the regimen's last dose (a continuous regimen's last dose
    is the end of the treatment horizon); none given: to the end of the calendar (the latest end
    of any item of the drug)."""

    at_months: list[ScheduleMonth] = Field(
        default_factory=list, description="One-off dates, months from the first dose."
    )
    every_months: float | None = Field(
        None, ge=0.25, le=120, description="Repeat interval, months (at least about a week)."
    )
    from_month: ScheduleMonth = Field(0, description="First repeat, months from the first dose.")
    after_each_course: list[ScheduleMonth] = Field(
        default_factory=list,
        description="Months after the start of each course of a pulsed regimen (e.g. 2 and 6).",
    )
    until_months_after_last_dose: float | None = Field(
        None,
        ge=0,
        le=600,
        description="Repeats end this many months after the regimen's last dose (default: with "
        "the calendar).",
    )


class Monitoring(Model):
    test: Text = Field(min_length=2)
    frequency: Text
    duration: Text
    region: list[Region] | None = Field(None, description="Only in these regions (default all).")
    schedule: MonitoringSchedule | None = Field(
        None, description="The label's schedule as data, for the monitoring calendar."
    )
    source_ids: list[Id] = Field(min_length=1)


class Caution(Model):
    """A contraindication, warning or information flag: raised when `when` holds, or always."""

    level: FlagLevel
    code: Id = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    text: Text = Field(min_length=5)
    when: Condition | None = None
    source_ids: list[Id] = Field(min_length=1)


class ConceptionInterval(Model):
    """The interval a label asks for between the last dose and conception, for one sex and region.

    Compared with the case's plan: conception sooner than `months` from now is a contraindication
    (or a warning when the drug is not contraindicated in pregnancy); a later conception gets the
    guidance at `level`.
    """

    sex: list[Literal["female", "male"]] = Field(min_length=1, description="Who it applies to.")
    region: list[Region] | None = Field(None, description="Only in these regions (default all).")
    months: float = Field(
        ge=0, le=60, description="Last dose at least this long before conception."
    )
    reason: IntervalReason = Field(
        description="contraception after the last dose, or washout (elimination)."
    )
    contraindicated_in_pregnancy: bool = Field(
        description="Pregnancy during treatment is a contraindication in this label."
    )
    level: FlagLevel = Field(
        "info", description="Level of the guidance when the planned conception leaves the interval."
    )
    text: Text = Field(min_length=5, description="The label's guidance (marked paraphrase).")
    strength: Strength
    source_ids: list[Id] = Field(min_length=1)
    note: Text | None = None


class Pregnancy(Model):
    summary: Text = Field(min_length=5)
    contraception_after_last_dose: Text | None = None
    washout: Text | None = None
    breastfeeding: Text | None = None
    source_ids: list[Id] = Field(min_length=1)
    intervals: list[ConceptionInterval] = Field(
        default_factory=list,
        description="Intervals between the last dose and conception, by sex and region.",
    )


class DoseCourse(Model):
    """One scheduled course (or single dose) of a pulsed regimen, in months from the first dose."""

    label: Text = Field(min_length=2, description="e.g. 'first course', 'second course'.")
    month: float = Field(
        ge=0, le=600, description="Start of the course, months after the first dose."
    )
    last_dose_month: float | None = Field(
        None,
        ge=0,
        le=600,
        description="Last dose of the course, months after the first dose (default: month).",
    )


class Regimen(Model):
    """The dosing schedule: a pulsed regimen lists its courses (pregnancy intervals then follow
    every course); a continuous one its maintenance interval (its last dose: when it stops)."""

    kind: Literal["courses", "continuous"]
    courses: list[DoseCourse] = Field(
        default_factory=list, description="Scheduled courses of a pulsed regimen, in order."
    )
    maintenance_interval_days: float | None = Field(
        None,
        gt=0,
        description="Continuous regimen: days between doses (1 daily, 0.5 twice daily).",
    )
    retreatment: Text | None = Field(None, description="Optional re-treatment, in words.")
    text: Text = Field(min_length=5, description="The label's schedule (marked paraphrase).")
    source_ids: list[Id] = Field(min_length=1)
    note: Text | None = None


SwitchCode = Annotated[str, Field(pattern=r"^switch-[a-z0-9-]+$")]


class StopRule(Model):
    """What stopping this drug means: shown under "Stopping <drug>" when it is the current DMT,
    and on every candidate while it was stopped at most `within_months` ago."""

    kind: Literal["rebound", "pml-surveillance", "elimination", "immune-recovery"]
    level: FlagLevel
    code: SwitchCode
    text: Text = Field(min_length=5)
    within_months: int | None = Field(
        None, ge=0, description="Applies while the last dose was at most this many months ago."
    )
    when: Condition | None = None
    strength: Strength
    source_ids: list[Id] = Field(min_length=1)
    note: Text | None = None


class StartRule(Model):
    """What starting this drug after a given previous drug or class means (carry-over PML, the
    recommended interval, checks before the switch)."""

    after_drugs: list[Id] = Field(default_factory=list, description="Previous drugs (profile ids).")
    after_classes: list[Id] = Field(
        default_factory=list, description="Previous drug classes (`switching.classes` tags)."
    )
    kind: Literal["carry-over-pml", "interval", "check"]
    level: FlagLevel
    code: SwitchCode
    text: Text = Field(min_length=5)
    interval_weeks_min: float | None = Field(None, ge=0, description="Recommended gap, from.")
    interval_weeks_max: float | None = Field(None, ge=0, description="Recommended gap, to.")
    within_months: int | None = Field(
        None,
        ge=0,
        description="Applies when the previous drug was stopped at most this many months ago "
        "(the current DMT: 0).",
    )
    when: Condition | None = None
    strength: Strength
    source_ids: list[Id] = Field(min_length=1)
    note: Text | None = None


class ClassRule(StartRule):
    """A switching rule declared once for a class (criteria.toml `[[switching_rules]]`): it
    applies to every successor of `to_classes` (every successor when empty) after a drug it names
    (by id or class), unless the successor declares its own rule of the same kind for that drug."""

    to_classes: list[Id] = Field(
        default_factory=list, description="Successor classes it applies to (empty: every drug)."
    )


class Switching(Model):
    """How this drug counts in a treatment history, and the switching rules around it."""

    classes: list[Id] = Field(
        default_factory=list, description="Switch classes (e.g. anti-cd20, s1p-modulator)."
    )
    counts_as_dmt: bool = Field(True, description="Counts towards the number of prior DMTs.")
    prior_immunosuppressant: bool | Literal["unclear"] = Field(
        False,
        description="Prior use counts as prior immunosuppressant use (natalizumab PML strata); "
        "'unclear' leaves it unknown.",
    )
    source_ids: list[Id] = Field(
        default_factory=list, description="Sources for how prior use counts."
    )
    on_stopping: list[StopRule] = Field(default_factory=list)
    on_starting: list[StartRule] = Field(default_factory=list)


class EfficacyCategory(Model):
    """The drug's efficacy category as guidelines and reviews group drugs, with its source."""

    category: EfficacyLevel
    disputed: bool = Field(False, description="Sources disagree on the category.")
    source: Id = Field(description="A source id of this profile.")
    note: Text | None = None


class Onset(Model):
    """How long the drug needs to act: activity within this time on it is not yet failure."""

    months: int = Field(ge=0, le=24, description="Months from the start before it is judged.")
    strength: Strength
    source_ids: list[Id] = Field(min_length=1)
    note: Text | None = None


class Equivalence(Model):
    """Another profile with the same active moiety (a biosimilar, another route of the same
    antibody): where this profile lacks a figure of a concern's reference kind and the other has
    one, the other's figure is scored here as class evidence (own figures kept in the notes)."""

    drug: Id = Field(description="The other profile's id.")
    kind: EquivalenceKind
    source: Id = Field(description="A source id of this file supporting the equivalence.")
    note: Text = Field(min_length=5)


class Gap(Model):
    """Why a concern has no figure for this drug (shown with the no-data cell)."""

    reason: Text = Field(min_length=10)
    source_ids: list[Id] = Field(default_factory=list)


class Profile(Model):
    """One disease-modifying therapy: identity, label, evidence and one measurement per concern."""

    id: Id = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="Equals the file stem.")
    name: Text = Field(min_length=2)
    brands: list[Text] = Field(default_factory=list)
    drug_class: Text = Field(min_length=2)
    mechanism: Text = Field(min_length=5)
    off_label: bool = False
    last_reviewed: dt.date
    administration: Administration
    indications: dict[Region, Indication]
    reservation: dict[Region, Reservation]
    trials: list[Trial] = Field(default_factory=list)
    measurements: dict[Id, Measurement] = Field(
        default_factory=dict, description="Concern id (criteria.toml) → measurement."
    )
    no_data: dict[Id, Gap] = Field(
        default_factory=dict, description="Concern id → why it has no figure (a gap, not zero)."
    )
    equivalences: list[Equivalence] = Field(
        default_factory=list, description="Profiles sharing this drug's active moiety."
    )
    autoimmunity: list[AutoimmuneCondition] = Field(default_factory=list)
    infections: list[Infection] = Field(default_factory=list)
    monitoring: list[Monitoring] = Field(default_factory=list)
    cautions: list[Caution] = Field(default_factory=list)
    modifiers: list[Modifier] = Field(
        default_factory=list, description="Patient features that change a measurement."
    )
    before_starting: list[Check] = Field(
        default_factory=list, description="Tests and vaccinations required before starting."
    )
    pregnancy: Pregnancy | None = None
    regimen: Regimen | None = Field(None, description="The dosing schedule as data.")
    switching: Switching = Field(default_factory=Switching)
    efficacy_category: EfficacyCategory | None = None
    onset: Onset | None = None
    sources: list[Source] = Field(min_length=1)


# --------------------------------------------------------------------------- criteria and presets


class ValuePoint(Model):
    """A breakpoint of a piecewise-linear value function: measurement `x` has value `v` (0–1)."""

    x: float
    v: float = Field(ge=0, le=1)


class Reference(Model):
    """The kind of figure a concern compares drugs on, and the basis order of preference."""

    kind: Id = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="Id measurements name in `kind`.")
    description: Text = Field(min_length=10)
    bases: list[Basis] = Field(min_length=1, description="Bases in order of preference.")


class Criterion(Model):
    """A concern: what is measured, in which direction, on which fixed scale."""

    id: Id = Field(pattern=r"^[a-z0-9][a-z0-9_]*$")
    label: Text = Field(min_length=2)
    direction: Direction
    unit: Text
    worst: float
    best: float
    definition: Text = Field(min_length=20)
    kind: str = Field(
        "rate",
        pattern=r"^(percent|rate|reduction)$",
        description="percent: 0–100; rate: ≥ 0; reduction: a relative reduction in percent, at "
        "most 100 (below 0 when the drug did worse).",
    )
    value_function: list[ValuePoint] | None = Field(
        None, description="Inner breakpoints of a piecewise-linear value function (default linear)."
    )
    per_year: bool = Field(
        False, description="A rate per patient-year: proportions over a follow-up are converted."
    )
    rate_per: float | None = Field(
        None, gt=0, description="With per_year: patient-years the unit counts per (100, 1000)."
    )
    reference: Reference | None = Field(
        None, description="The figure kind drugs are compared on (scored wherever one exists)."
    )
    from_pregnancy_intervals: bool = Field(
        False,
        description="Derived from each profile's [[pregnancy.intervals]] (months between the last "
        "dose and conception, by sex and region); profiles give no measurement for it.",
    )
    by_course: bool = Field(
        False,
        description="Scored by disease course: each measurement states the courses of its "
        "population (`courses`) and counts only for them; no figure for the patient's course is "
        "no data.",
    )
    course_when_unknown: Course | None = Field(
        None,
        description="With by_course: the course whose figures are scored when the case gives no "
        "course (said in each cell's note); None: every course the case leaves open.",
    )
    scored_confirmation_weeks: int | None = Field(
        None,
        gt=0,
        description="A confirmed-progression concern: the confirmation period scored where a "
        "trial gives it; a figure scored on another period while this one is recorded beside it "
        "(`other_confirmations`) is an error.",
    )
    applies_when: list[Condition] | None = Field(
        None,
        description="When the concern is relevant to the patient (alternatives: any that holds or "
        "that the case leaves open). Otherwise its weight is 0 for this patient.",
    )
    not_relevant: Text | None = Field(
        None, min_length=3, description="Why it is not relevant, in words (with applies_when)."
    )


class OtherTreatment(Model):
    """A treatment without a profile that a history may name (e.g. mitoxantrone, azathioprine)."""

    id: Id = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: Text = Field(min_length=2)
    counts_as_dmt: bool = Field(description="Counts towards the number of prior DMTs.")
    prior_immunosuppressant: bool = Field(description="Counts as prior immunosuppressant use.")
    source: Text = Field(min_length=10, description="Citation for how it counts.")


class Definition(Model):
    """A label or guideline definition of disease activity or of a suboptimal response, applied
    to the case's facts: met when any `met_when` holds (three-valued OR); when none can hold but an
    `open_when` does, the label leaves it to the clinician (unknown, with `open_reason`)."""

    id: Id = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    label: Text = Field(
        min_length=5, description="Short name, e.g. 'rapidly evolving severe (EU)'."
    )
    kind: Literal["activity", "response"] = Field(
        description="activity: establishes an activity level; response: the current DMT is "
        "failing (a suboptimal response)."
    )
    establishes: Activity | None = Field(None, description="With kind activity: the level.")
    wording: Text = Field(min_length=10, description="The definition's words.")
    paraphrase: bool = Field(description="The wording is a paraphrase (never shown in quotes).")
    counting: Text = Field(min_length=10, description="How the facts are counted (paraphrase).")
    met_when: list[Condition] = Field(min_length=1, description="Alternatives (any holds).")
    open_when: list[Condition] = Field(default_factory=list)
    open_reason: Text | None = None
    source_ids: list[Id] = Field(min_length=1)
    note: Text | None = None


class CandidateTest(Model):
    """What a guideline rule asks of a candidate, relative to the drugs the case is leaving."""

    continues_current: bool | None = Field(None, description="The candidate is the current DMT.")
    category_at_most_current: bool | None = Field(
        None, description="The candidate's efficacy category is the current DMT's or lower."
    )
    category_below_left: list[EfficacyLevel] | None = Field(
        None,
        description="The candidate's category is lower than that of a drug being left (the "
        "current DMT, or one stopped within `within_months`) whose category is one of these.",
    )
    equivalent_to_current: bool | None = Field(
        None, description="The candidate has an [[equivalences]] entry with the current DMT."
    )
    within_months: int | None = Field(
        None,
        ge=0,
        description="A previous DMT stopped at most this many months ago counts as left.",
    )


class GuidelineRule(Model):
    """A guideline recommendation as a flag: raised on a candidate when `when` holds for the
    case (any alternative) and the candidate passes `candidate`. Never moves a drug."""

    id: Id = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    level: FlagLevel
    text: Text = Field(min_length=10, description="What the flag says (a marked paraphrase).")
    recommendation: Text = Field(min_length=10, description="The recommendation's words.")
    paraphrase: bool = Field(description="`recommendation` is a paraphrase (never in quotes).")
    strength: Text = Field(
        min_length=3, description="The guideline's own strength (Level B, strong)."
    )
    when: list[Condition] = Field(
        min_length=1, description="Alternatives over the case (any holds)."
    )
    candidate: CandidateTest
    current_category: list[EfficacyLevel] | None = Field(
        None, description="Only when the current DMT's category is one of these."
    )
    current_drugs: list[Id] = Field(
        default_factory=list,
        description="Only when the current DMT is one of these profile ids (default any).",
    )
    source_ids: list[Id] = Field(min_length=1)
    note: Text | None = None


class CriteriaFile(Model):
    horizon_months: int = Field(
        48, ge=1, le=240, description="Default treatment horizon over which risks are averaged."
    )
    criteria: list[Criterion] = Field(min_length=1)
    other_treatments: list[OtherTreatment] = Field(
        default_factory=list, description="Non-profile treatments a treatment history may name."
    )
    definitions: list[Definition] = Field(
        default_factory=list, description="Label and guideline definitions of disease activity."
    )
    guidelines: list[GuidelineRule] = Field(
        default_factory=list, description="Guideline recommendations, raised as flags."
    )
    switching_rules: list[ClassRule] = Field(
        default_factory=list, description="Switching rules declared once for a class of drugs."
    )
    sources: list[Source] = Field(
        default_factory=list,
        description="Sources cited by the definitions, guideline rules and switching rules.",
    )


class AttributeMapping(Model):
    """One attribute of a preference study and the concern(s) it stands for here."""

    attribute: Text = Field(min_length=2, description="The study's attribute, as it names it.")
    study_importance: float | None = Field(
        None, ge=0, description="Its importance as the study reports it (None: order only)."
    )
    study_range: Text = Field(
        min_length=2, description="The study's worst→best levels, or why they are not known."
    )
    concerns: list[Id] = Field(
        default_factory=list, description="Our concern(s) it maps to (none: not used here)."
    )
    note: Text | None = None


class PresetSource(Model):
    """Where a preset's importances come from: a published preference study, and the mapping."""

    citation: Text = Field(min_length=10, description="The study, as it would be cited.")
    population: Text = Field(min_length=3, description="Who was asked (patients, neurologists).")
    method: Text = Field(min_length=3, description="Elicitation method (DCE, BWS, conjoint …).")
    attributes: list[AttributeMapping] = Field(min_length=1)
    rescaling: Text = Field(
        min_length=10,
        description="How the study's ranges were mapped onto our worst→best scales (swing "
        "weights), with the arithmetic.",
    )


class Preset(Model):
    id: Id = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    label: Text = Field(min_length=2)
    description: Text = Field(min_length=5)
    importance: dict[Id, float] = Field(description="Concern id → importance 0–10.")
    source: PresetSource | None = Field(
        None, description="The preference study the importances come from."
    )
    teaching: bool = Field(
        False, description="A teaching device without a source (validate requires a source else)."
    )


class DefaultRule(Model):
    """The preset a case starts from when `when` holds (the first rule that holds wins)."""

    when: Condition
    preset: Id
    note: Text | None = None


class PresetsFile(Model):
    presets: list[Preset] = Field(min_length=1)
    default: Id | None = Field(
        None, description="The preset a case starts from when no default rule holds."
    )
    default_rules: list[DefaultRule] = Field(
        default_factory=list, description="Presets chosen by the case (first that holds)."
    )
