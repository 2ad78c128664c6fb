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
    Basis,
    Course,
    Direction,
    EquivalenceKind,
    FlagLevel,
    IntervalReason,
    JcvStatus,
    Region,
    Route,
    Sex,
    SourceKind,
    Strength,
)

Text = str
Id = str


class Model(BaseModel):
    """Base for every file-format model: strict, frozen, no unknown keys."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


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

    vs-placebo rate ratio = contrast_rate_ratio × anchor_rate_ratio; the measurement value must
    equal 100 × (1 − that product) within 0.5 percentage points. Both legs cite their own sources.
    """

    comparator: Text = Field(
        min_length=2, description="The active comparator of the pivotal trial."
    )
    contrast_rate_ratio: float = Field(gt=0, description="Drug vs active comparator ARR ratio.")
    contrast_source_ids: list[Id] = Field(min_length=1)
    anchor_rate_ratio: float = Field(gt=0, description="Active comparator vs placebo ARR ratio.")
    anchor_source_ids: list[Id] = Field(min_length=1)
    note: Text | None = None


class Figure(Model):
    """A figure in the concern's unit (`value`), or the counts it is derived from — not both.

    Counts: `events` with `patients` (and `follow_up_years` for a per-year concern) is a
    proportion; `events` with `patient_years` is a rate. The engine derives the value in the
    concern's unit and its exact 95% interval (Clopper–Pearson, Garwood). A `value` may carry its
    published 95% interval (`ci_low`/`ci_high`) or the spread of published figures (`low`/`high`).
    """

    value: float | None = Field(None, description="The figure in the concern's unit.")
    ci_low: float | None = Field(None, description="Published 95% CI, lower end.")
    ci_high: float | None = Field(None, description="Published 95% CI, upper end.")
    low: float | None = Field(None, description="Lowest of the published figures (not a CI).")
    high: float | None = Field(None, description="Highest of the published figures (not a CI).")
    events: int | None = Field(None, ge=0, description="Patients with the event, or event count.")
    patients: int | None = Field(None, gt=0, description="Patients at risk (with `events`).")
    follow_up_years: float | None = Field(
        None, gt=0, description="Follow-up of a proportion, years (converted to a per-year rate)."
    )
    patient_years: float | None = Field(None, gt=0, description="Exposure in patient-years.")


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


# --------------------------------------------------------------------------- label text


class Administration(Model):
    route: list[Route] = Field(min_length=1)
    schedule: Text = Field(min_length=2)


class Indication(Model):
    """Label indication in one region, quoted faithfully."""

    wording: Text = Field(min_length=5, description="Exact indication wording from the label.")
    courses: list[Course] = Field(description="Disease courses inside this indication.")
    approved: bool = Field(True, description="False when the drug is not approved in this region.")
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
    pregnancy: Pregnancy | None = None
    regimen: Regimen | None = Field(None, description="The dosing schedule as data.")
    switching: Switching = Field(default_factory=Switching)
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
    kind: str = Field("rate", pattern=r"^(percent|rate)$", description="percent: 0–100; rate: ≥ 0.")
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


class OtherTreatment(Model):
    """A treatment without a profile that a history may name (e.g. mitoxantrone, azathioprine)."""

    id: Id = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: Text = Field(min_length=2)
    counts_as_dmt: bool = Field(description="Counts towards the number of prior DMTs.")
    prior_immunosuppressant: bool = Field(description="Counts as prior immunosuppressant use.")
    source: Text = Field(min_length=10, description="Citation for how it counts.")


class CriteriaFile(Model):
    horizon_months: int = Field(
        48, ge=1, le=240, description="Default treatment horizon over which risks are averaged."
    )
    criteria: list[Criterion] = Field(min_length=1)
    other_treatments: list[OtherTreatment] = Field(
        default_factory=list, description="Non-profile treatments a treatment history may name."
    )
    switching_rules: list[ClassRule] = Field(
        default_factory=list, description="Switching rules declared once for a class of drugs."
    )
    sources: list[Source] = Field(
        default_factory=list, description="Sources cited by the switching rules."
    )


class Preset(Model):
    id: Id = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    label: Text = Field(min_length=2)
    description: Text = Field(min_length=5)
    importance: dict[Id, float] = Field(description="Concern id → importance 0–10.")


class PresetsFile(Model):
    presets: list[Preset] = Field(min_length=1)
