"""The profile, criteria and presets formats: plain immutable records, each field declared once.

Every clinical number lives in TOML files checked against these declarations; no clinical number
lives in code. A field is declared once, here: its type is the annotation (tuples, not lists, and
read-only mappings: a record is immutable all the way down, and hashable), its constraints are
markers in `Annotated` (`Bounds`, `MinLength`, `Matches`, from `workbench.record`), its default is
the class value and its description the string under it. Building a record checks nothing, so a
start from the profile cache needs no pydantic: `workbench.record_validation` builds the strict
pydantic validation (unknown keys refused, no coercion of "12" into 12, finite numbers only) and
the JSON Schema from these declarations, on first use. Cross-field and cross-file rules (source
ids exist, concern ids known, bounds ordered) are checked by `workbench.profiles.rules`, which
reports them with file, line and field path.

Like `workbench.engine.context`, this module deliberately has no `from __future__ import
annotations`: the annotations are evaluated when the classes are made, so the markers in them are
plain objects that the validation and the profile cache read without evaluating any string.
"""

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Literal

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
from workbench.record import Bounds, FrozenDict, Matches, MinLength, Record

MAX_COUNT = 1_000_000_000
"""Most events or patients a count may give (no study or registry comes near a billion)."""
MAX_FIGURE = 1_000_000.0
"""Largest magnitude of a figure in a concern's unit (percentages, rates per 100 or 1,000)."""
MIN_EXPOSURE_YEARS = 0.01
"""Smallest exposure or follow-up, in (patient-)years, a count may give (about four days)."""
MAX_EXPOSURE_YEARS = 1e10
"""Largest exposure in patient-years a count may give."""

Text = str
Id = str
SLUG = Matches(pattern=r"^[a-z0-9][a-z0-9-]*$")
Slug = Annotated[str, SLUG]
"""An id: lower-case letters, digits and hyphens, starting with a letter or digit. The one
declaration of the id pattern: profiles, sources, presets, treatments in a history and the saved
case's drugs all use it."""
CONCERN_ID = Matches(pattern=r"^[a-z0-9][a-z0-9_]*$")
ConcernId = Annotated[str, CONCERN_ID]
"""A concern's id: lower-case letters, digits and underscores (a TOML bare key of the measurements
table and of the importances)."""
Text2 = Annotated[str, MinLength(length=2)]
"""Text of at least 2 characters (and so on for the other numbers)."""
Text3 = Annotated[str, MinLength(length=3)]
Text5 = Annotated[str, MinLength(length=5)]
Text10 = Annotated[str, MinLength(length=10)]
SourceIds = Annotated[tuple[Id, ...], MinLength(length=1)]
"""The ids of the sources of a figure or statement (at least one)."""
CountOrNone = Annotated[int | None, Bounds(low=0)]
NonNegativeOrNone = Annotated[float | None, Bounds(low=0)]
PositiveOrNone = Annotated[float | None, Bounds(above=0)]
RatioOrNone = Annotated[float | None, Bounds(above=0, high=100)]
"""A hazard or rate ratio (> 0, at most 100)."""
FigureOrNone = Annotated[float | None, Bounds(low=-MAX_FIGURE, high=MAX_FIGURE)]
"""A figure in a concern's unit."""
ScheduleMonth = Annotated[float, Bounds(low=0, high=600)]
"""A month of a schedule, from the first dose (at most 50 years)."""
SwitchCode = Annotated[str, Matches(pattern=r"^switch-[a-z0-9-]+$")]


class Condition(Record):
    """A predicate on the patient context. Every key given must hold (logical AND).

    Evaluated with three values: true, false or unknown (when the context field is unknown).
    Numeric bands: `*_min`/`*_max` are inclusive; `jcv_index_above` is exclusive and
    `jcv_index_at_most` inclusive, matching how index bands are written in labels
    (≤0.9, 0.9–1.5, >1.5).
    """

    region: tuple[Region, ...] | None = None
    """Region(s) where this applies."""
    course: tuple[Course, ...] | None = None
    """Disease course(s) this applies to."""
    activity: tuple[Activity, ...] | None = None
    """Disease activity level(s)."""
    min_prior_dmts: CountOrNone = None
    """At least this many prior DMTs."""
    max_prior_dmts: CountOrNone = None
    """At most this many prior DMTs."""
    prior_immunosuppressant: bool | None = None
    """Prior immunosuppressant use (e.g. mitoxantrone, azathioprine)."""
    jcv_status: tuple[JcvStatus, ...] | None = None
    """Anti-JCV antibody status."""
    jcv_index_above: NonNegativeOrNone = None
    """Anti-JCV index > this."""
    jcv_index_at_most: NonNegativeOrNone = None
    """Anti-JCV index ≤ this."""
    months_on_min: CountOrNone = None
    """Months on this drug ≥ this, at any time within the planned treatment horizon."""
    months_on_max: CountOrNone = None
    """Months on this drug ≤ this, at any time within the planned treatment horizon."""
    autoimmune_history: bool | None = None
    """Autoimmune disease other than MS in the history."""
    pregnancy_planned: bool | None = None
    """Conception planned (at any time; the months until it do not matter)."""
    sex: tuple[Sex, ...] | None = None
    """Sex: female, male, or 'unknown' (an unknown sex matches only if listed)."""
    adequate_course: bool | None = None
    """A full and adequate course of the current (or last) DMT was given."""
    age_min: CountOrNone = None
    """Age ≥ years."""
    age_max: CountOrNone = None
    """Age ≤ years."""
    conception: tuple[ConceptionState, ...] | None = None
    """Conception plan: planned (with or without a timing), not-planned, or 'unknown' (an unknown
    plan matches only if listed)."""
    autoimmune_types: tuple[AutoimmuneType, ...] | None = None
    """Any of these autoimmune diseases besides MS in the history."""
    comorbidities: tuple[Comorbidity, ...] | None = None
    """Any of these comorbidities."""
    lymphocytes_below: NonNegativeOrNone = None
    """Lymphocyte count < this (× 10⁹/L)."""
    lymphocytes_at_least: NonNegativeOrNone = None
    """Lymphocyte count ≥ this (× 10⁹/L)."""
    lymphopenia_months_over: CountOrNone = None
    """Lymphocytes below 0.5 × 10⁹/L for more than this many months."""
    igg_below_lln: bool | None = None
    """Serum IgG below the lower limit."""
    natalizumab_dosing: tuple[NatalizumabDosing, ...] | None = None
    """Natalizumab dosing interval (standard, extended)."""
    breastfeeding: tuple[Breastfeeding, ...] | None = None
    """Breastfeeding: now, planned, no."""
    hbsag: tuple[TestResult, ...] | None = None
    """HBsAg result."""
    anti_hbc: tuple[TestResult, ...] | None = None
    """Anti-HBc result."""
    vzv_igg: tuple[TestResult, ...] | None = None
    """VZV IgG result."""
    tb_screen: tuple[TestResult, ...] | None = None
    """TB screening result."""
    hiv: tuple[TestResult, ...] | None = None
    """HIV test result."""
    live_vaccine_recent: bool | None = None
    """A live vaccine within the last 4-6 weeks."""
    relapses_12m_min: CountOrNone = None
    """Relapses in the last 12 months ≥ this."""
    relapses_24m_min: CountOrNone = None
    """Relapses in the last 24 months ≥ this."""
    new_t2_12m_min: CountOrNone = None
    """New or enlarging T2 lesions in the last 12 months ≥ this."""
    gd_lesions_min: CountOrNone = None
    """Gadolinium-enhancing lesions on the last MRI ≥ this."""
    t2_lesions_min: CountOrNone = None
    """T2 lesions in all on the last MRI ≥ this."""
    activity_on_current: bool | None = None
    """The activity happened on the current DMT (at any time on it)."""
    on_current_after_onset: bool | None = None
    """The activity happened on the current DMT after its onset time (the profile's [onset]
    months)."""
    definition_met: tuple[Id, ...] | None = None
    """Any of these activity definitions (criteria.toml) is met."""


class Source(Record):
    """A citable source: trial publication, label (SmPC/USPI), regulator action, review."""

    id: Slug
    """Id referenced by source_ids."""
    kind: SourceKind
    citation: Text10
    """Full citation as it would appear in a note."""
    year: Annotated[int, Bounds(low=1950, high=2100)]
    doi: Annotated[str | None, Matches(pattern=r"^10\.\d{4,9}/\S+$")] = None
    url: Annotated[str | None, Matches(pattern=r"^https?://\S+$")] = None


class IndirectEstimate(Record):
    """A vs-placebo estimate derived from an active-comparator trial (Bucher indirect comparison).

    vs-placebo ratio = contrast_rate_ratio × anchor_rate_ratio (rate or hazard ratios); a given
    value must equal 100 × (1 − that product) within 0.5 percentage points, and without a value
    the engine derives it. With both legs' 95% CIs the engine propagates the interval (the log
    ratios' variances add). Both legs cite their own sources.
    """

    comparator: Text2
    """The active comparator of the pivotal trial."""
    contrast_rate_ratio: Annotated[float, Bounds(above=0)]
    """Drug vs active comparator ARR ratio."""
    contrast_source_ids: SourceIds
    anchor_rate_ratio: Annotated[float, Bounds(above=0)]
    """Active comparator vs placebo ARR ratio."""
    anchor_source_ids: SourceIds
    contrast_ci_low: PositiveOrNone = None
    """Contrast 95% CI, lower end."""
    contrast_ci_high: PositiveOrNone = None
    """Contrast 95% CI, upper end."""
    anchor_ci_low: PositiveOrNone = None
    """Anchor 95% CI, lower end."""
    anchor_ci_high: PositiveOrNone = None
    """Anchor 95% CI, upper end."""
    note: Text | None = None


class Figure(Record):
    """A figure in the concern's unit (`value`), or the counts it is derived from — not both.

    Counts: `events` with `patients` (and `follow_up_years` for a per-year concern) is a
    proportion; `events` with `patient_years` is a rate. The engine derives the value in the
    concern's unit and its exact 95% interval (Clopper–Pearson, Garwood). A `value` may carry its
    published 95% interval (`ci_low`/`ci_high`) or the spread of published figures (`low`/`high`).
    """

    value: FigureOrNone = None
    """The figure in the concern's unit."""
    ci_low: FigureOrNone = None
    """Published 95% CI, lower end."""
    ci_high: FigureOrNone = None
    """Published 95% CI, upper end."""
    low: FigureOrNone = None
    """Lowest of the published figures (not a CI)."""
    high: FigureOrNone = None
    """Highest of the published figures (not a CI)."""
    events: Annotated[int | None, Bounds(low=0, high=MAX_COUNT)] = None
    """Patients with the event, or event count."""
    patients: Annotated[int | None, Bounds(above=0, high=MAX_COUNT)] = None
    """Patients at risk (with `events`)."""
    follow_up_years: Annotated[float | None, Bounds(low=MIN_EXPOSURE_YEARS, high=1000)] = None
    """Follow-up of a proportion, years (converted to a per-year rate)."""
    patient_years: Annotated[
        float | None, Bounds(low=MIN_EXPOSURE_YEARS, high=MAX_EXPOSURE_YEARS)
    ] = None
    """Exposure in patient-years."""
    hazard_ratio: RatioOrNone = None
    """A hazard ratio vs placebo (on a relative-reduction concern): the engine scores 100 × (1 − HR)
    and converts its CI the same way."""
    hr_ci_low: RatioOrNone = None
    """Hazard ratio 95% CI, lower end."""
    hr_ci_high: RatioOrNone = None
    """Hazard ratio 95% CI, upper end."""


class OtherConfirmation(Record):
    """The same endpoint with another confirmation period (e.g. 24-week beside 12-week CDP)."""

    weeks: Annotated[int, Bounds(above=0)]
    """Confirmation period, weeks."""
    hazard_ratio: RatioOrNone = None
    hr_ci_low: RatioOrNone = None
    hr_ci_high: RatioOrNone = None
    note: Text | None = None


class Comparator(Figure):
    """The comparator beside a drug's figure: a placebo arm, an active arm or a background rate."""

    label: Text3
    """e.g. 'placebo arm', 'background rate in MS'."""
    drug: Id | None = None
    """Profile id of an active comparator arm (a head-to-head trial)."""
    source_ids: SourceIds
    note: Text | None = None


class Stratum(Figure):
    """A context-dependent figure of one measurement (e.g. PML risk by anti-JCV status).

    `months_on_min`/`months_on_max` give an exposure band (months on this drug, inclusive): the
    engine averages the bands over the planned treatment horizon.
    """

    label: Text2
    """Human-readable stratum name."""
    when: Condition = Condition()
    months_on_min: Annotated[int | None, Bounds(low=1)] = None
    """First month of the exposure band."""
    months_on_max: Annotated[int | None, Bounds(low=1)] = None
    """Last month of the band (open: none)."""
    basis: Basis | None = None
    """Basis when it differs from the measurement's."""
    strength: Strength
    source_ids: SourceIds
    note: Text | None = None
    indirect: IndirectEstimate | None = None
    confirmation_weeks: Annotated[int | None, Bounds(above=0)] = None
    """Confirmation period of a disability endpoint, weeks."""
    other_confirmations: tuple[OtherConfirmation, ...] | None = None


class Supporting(Figure):
    """A figure of the concern kept as supporting evidence (shown in the notes, never scored):
    a long-term extension, a registry, a single-arm study beside the scored figure.
    """

    label: Text3
    """What the figure is, e.g. 'all-exposure pool'."""
    kind: Id | None = None
    """The figure's kind; the concern's reference kind when it is of that kind."""
    basis: Basis
    follow_up: Text2
    """Follow-up, denominator or population."""
    data_cut: Text | None = None
    strength: Strength
    source_ids: SourceIds
    note: Text | None = None


class BeyondLastBand(Figure):
    """How a time-banded stratified measurement continues after its last exposure band.

    `method` "carry-last-band": each group of strata with the same condition keeps the figure of
    its last band beyond that band; "figure": every group takes this figure (e.g. a long-term
    registry rate), given as a value or counts. The months beyond are shown as extrapolated
    beyond the last band's month, at a strength no higher than the bands' own.
    """

    method: Literal["carry-last-band", "figure"]
    basis: Basis | None = None
    """With method 'figure': the figure's basis."""
    strength: Strength
    """At most the strength of the bands it extends."""
    source_ids: SourceIds
    note: Text10
    """Why this continuation, in words."""


class Measurement(Figure):
    """One drug's figure for one concern, with its basis, provenance and evidence strength.

    A measurement has a figure (value or counts) or `strata` (or both: then the figure is the
    population-wide one shown for reference, and the strata matching the case are scored).
    """

    unit: Text
    """Must equal the unit of the concern in criteria.toml."""
    follow_up: Text2
    """Follow-up, denominator or population."""
    data_cut: Text | None = None
    """Data cut of case counts (snapshot date)."""
    basis: Basis
    extrapolated_from: Text | None = None
    """With basis 'class': the profile id or named class the figure is from."""
    kind: Id | None = None
    """The figure's kind: the concern's reference kind (criteria.toml `reference.kind`) when it is
    of that kind, so figures of one concern compare."""
    trial: Text | None = None
    """The trial the figure comes from; with a comparator `drug`, that drug should be scored from
    the same trial."""
    strength: Strength
    source_ids: SourceIds
    note: Text | None = None
    indirect: IndirectEstimate | None = None
    strata: tuple[Stratum, ...] | None = None
    beyond_last_band: BeyondLastBand | None = None
    """How banded strata continue after their last band (default: no data)."""
    comparator: Comparator | None = None
    supporting: tuple[Supporting, ...] = ()
    """Other figures of the concern, shown but not scored."""
    courses: tuple[Course, ...] | None = None
    """Disease course(s) of the population the figure was measured in (a concern scored by course:
    the figure counts only for these courses)."""
    confirmation_weeks: Annotated[int | None, Bounds(above=0)] = None
    """Confirmation period of a disability endpoint, weeks."""
    other_confirmations: tuple[OtherConfirmation, ...] | None = None


class Modifier(Record):
    """A patient feature that changes one measurement: when `when` holds, the figure (after strata
    and horizon averaging) is multiplied by `ratio` — a hazard or rate ratio, with its published
    95% CI (`ci_low`/`ci_high`) or the spread of published or derived figures (`low`/`high`).
    When the case leaves `when` undecided, the figure spans both possibilities.
    """

    concern: Id
    """The concern (criteria.toml) whose measurement it changes."""
    label: Text3
    """What it is, beside the figure: 'IgG below the lower limit'."""
    when: Condition
    ratio: Annotated[float, Bounds(above=0)]
    """The factor applied to the figure."""
    ci_low: PositiveOrNone = None
    """Published 95% CI, lower end."""
    ci_high: PositiveOrNone = None
    """Published 95% CI, upper end."""
    low: PositiveOrNone = None
    """Lowest of the figures (not a CI)."""
    high: PositiveOrNone = None
    """Highest of the figures (not a CI)."""
    basis: Basis
    strength: Strength
    source_ids: SourceIds
    note: Text | None = None


class Check(Record):
    """A test or vaccination the label requires before starting, decided against the case:
    `blocks_when` holds → blocks the start; `done_when` holds → done; it fails → due; the case
    does not tell → unknown.
    """

    item: Text3
    """The test or vaccination."""
    kind: Literal["test", "vaccination"]
    done_when: Condition
    """When the check is done (and passed)."""
    blocks_when: Condition | None = None
    """When the result blocks the start."""
    text: Text5
    """What the label asks (marked paraphrase)."""
    region: tuple[Region, ...] | None = None
    """Only in these regions (default all)."""
    strength: Strength
    source_ids: SourceIds
    note: Text | None = None


class Administration(Record):
    route: tuple[Route, ...]
    """How it is given; empty for no treatment."""
    schedule: Text2


class IndicationCondition(Record):
    """A condition the indication sets on some courses (e.g. "with active disease defined by
    clinical or imaging features"): outside the label when it does not hold, possibly outside
    when the case cannot tell.
    """

    courses: Annotated[tuple[Course, ...], MinLength(length=1)]
    """The courses it applies to."""
    when: Condition
    """What the label requires for these courses."""
    wording: Text5
    """The label's words for it (quoted or marked)."""


class Indication(Record):
    """Label indication in one region, quoted faithfully."""

    wording: Text5
    """Exact indication wording from the label."""
    courses: tuple[Course, ...]
    """Disease courses inside this indication."""
    approved: bool = True
    """False when the drug is not approved in this region."""
    requires: tuple[IndicationCondition, ...] = ()
    """Conditions the indication sets on some courses (activity, relapse counts)."""
    source_ids: SourceIds


class Reservation(Record):
    """Highly-active-disease reservation in one region.

    `qualifies_when` lists alternative conditions (logical OR); the patient meets the reservation
    when any of them holds. Unrestricted drugs leave it empty.
    """

    restricted: bool
    wording: Text | None = None
    """Exact label wording of the restriction."""
    qualifies_when: tuple[Condition, ...] = ()
    source_ids: tuple[Id, ...] = ()


class Trial(Record):
    name: Text2
    year: Annotated[int, Bounds(low=1950, high=2100)]
    source_ids: SourceIds
    population: Text
    comparator: Text
    arr_drug: NonNegativeOrNone = None
    arr_comparator: NonNegativeOrNone = None
    relative_reduction: float | None = None
    """Reported ARR reduction, %."""
    disability_endpoint: Text | None = None
    disability_significant: bool | None = None
    note: Text | None = None


class AutoimmuneCondition(Record):
    condition: Text2
    incidence: float | None = None
    """Cumulative incidence, %."""
    follow_up: Text
    strength: Strength
    source_ids: SourceIds
    note: Text | None = None


class Infection(Record):
    infection: Text2
    figure: Text
    """The reported figure with its unit, quoted from the source."""
    strength: Strength
    source_ids: SourceIds
    note: Text | None = None


class MonitoringSchedule(Record):
    """When a monitoring item falls due, in months from the first dose (month 0: before
    starting), for the dated calendar. Repeats run from `from_month` every `every_months` until
    `until_months_after_last_dose` after the regimen's last dose (a continuous regimen's last dose
    is the end of the treatment horizon); none given: to the end of the calendar (the latest end
    of any item of the drug).
    """

    at_months: tuple[ScheduleMonth, ...] = ()
    """One-off dates, months from the first dose."""
    every_months: Annotated[float | None, Bounds(low=0.25, high=120)] = None
    """Repeat interval, months (at least about a week)."""
    from_month: ScheduleMonth = 0
    """First repeat, months from the first dose."""
    after_each_course: tuple[ScheduleMonth, ...] = ()
    """Months after the start of each course of a pulsed regimen (e.g. 2 and 6)."""
    until_months_after_last_dose: Annotated[float | None, Bounds(low=0, high=600)] = None
    """Repeats end this many months after the regimen's last dose (default: with the calendar)."""


class Monitoring(Record):
    test: Text2
    frequency: Text
    duration: Text
    region: tuple[Region, ...] | None = None
    """Only in these regions (default all)."""
    schedule: MonitoringSchedule | None = None
    """The label's schedule as data, for the monitoring calendar."""
    source_ids: SourceIds


class Caution(Record):
    """A contraindication, warning or information flag: raised when `when` holds, or always."""

    level: FlagLevel
    code: Slug
    text: Text5
    when: Condition | None = None
    source_ids: SourceIds


class ConceptionInterval(Record):
    """The interval a label asks for between the last dose and conception, for one sex and region.

    Compared with the case's plan: conception sooner than `months` from now is a contraindication
    (or a warning when the drug is not contraindicated in pregnancy); a later conception gets the
    guidance at `level`.
    """

    sex: Annotated[tuple[Literal["female", "male"], ...], MinLength(length=1)]
    """Who it applies to."""
    region: tuple[Region, ...] | None = None
    """Only in these regions (default all)."""
    months: Annotated[float, Bounds(low=0, high=60)]
    """Last dose at least this long before conception."""
    reason: IntervalReason
    """contraception after the last dose, or washout (elimination)."""
    contraindicated_in_pregnancy: bool
    """Pregnancy during treatment is a contraindication in this label."""
    level: FlagLevel = "info"
    """Level of the guidance when the planned conception leaves the interval."""
    text: Text5
    """The label's guidance (marked paraphrase)."""
    strength: Strength
    source_ids: SourceIds
    note: Text | None = None


class Pregnancy(Record):
    summary: Text5
    contraception_after_last_dose: Text | None = None
    washout: Text | None = None
    breastfeeding: Text | None = None
    source_ids: SourceIds
    intervals: tuple[ConceptionInterval, ...] = ()
    """Intervals between the last dose and conception, by sex and region."""


class DoseCourse(Record):
    """One scheduled course (or single dose) of a pulsed regimen, in months from the first dose."""

    label: Text2
    """e.g. 'first course', 'second course'."""
    month: Annotated[float, Bounds(low=0, high=600)]
    """Start of the course, months after the first dose."""
    last_dose_month: Annotated[float | None, Bounds(low=0, high=600)] = None
    """Last dose of the course, months after the first dose (default: month)."""


class Regimen(Record):
    """The dosing schedule: a pulsed regimen lists its courses (pregnancy intervals then follow
    every course); a continuous one its maintenance interval (its last dose: when it stops).
    """

    kind: Literal["courses", "continuous"]
    courses: tuple[DoseCourse, ...] = ()
    """Scheduled courses of a pulsed regimen, in order."""
    maintenance_interval_days: PositiveOrNone = None
    """Continuous regimen: days between doses (1 daily, 0.5 twice daily)."""
    retreatment: Text | None = None
    """Optional re-treatment, in words."""
    text: Text5
    """The label's schedule (marked paraphrase)."""
    source_ids: SourceIds
    note: Text | None = None


class StopRule(Record):
    """What stopping this drug means: shown under "Stopping <drug>" when it is the current DMT,
    and on every candidate while it was stopped at most `within_months` ago.
    """

    kind: Literal["rebound", "pml-surveillance", "elimination", "immune-recovery"]
    level: FlagLevel
    code: SwitchCode
    text: Text5
    within_months: CountOrNone = None
    """Applies while the last dose was at most this many months ago."""
    when: Condition | None = None
    strength: Strength
    source_ids: SourceIds
    note: Text | None = None


class StartRule(Record):
    """What starting this drug after a given previous drug or class means (carry-over PML, the
    recommended interval, checks before the switch).
    """

    after_drugs: tuple[Id, ...] = ()
    """Previous drugs (profile ids)."""
    after_classes: tuple[Id, ...] = ()
    """Previous drug classes (`switching.classes` tags)."""
    kind: Literal["carry-over-pml", "interval", "check"]
    level: FlagLevel
    code: SwitchCode
    text: Text5
    interval_weeks_min: NonNegativeOrNone = None
    """Recommended gap, from."""
    interval_weeks_max: NonNegativeOrNone = None
    """Recommended gap, to."""
    within_months: CountOrNone = None
    """Applies when the previous drug was stopped at most this many months ago (the current
    DMT: 0)."""
    when: Condition | None = None
    strength: Strength
    source_ids: SourceIds
    note: Text | None = None


class ClassRule(StartRule):
    """A switching rule declared once for a class (criteria.toml `[[switching_rules]]`): it
    applies to every successor of `to_classes` (every successor when empty) after a drug it names
    (by id or class), unless the successor declares its own rule of the same kind for that drug.
    """

    to_classes: tuple[Id, ...] = ()
    """Successor classes it applies to (empty: every drug)."""


class Switching(Record):
    """How this drug counts in a treatment history, and the switching rules around it."""

    classes: tuple[Id, ...] = ()
    """Switch classes (e.g. anti-cd20, s1p-modulator)."""
    counts_as_dmt: bool = True
    """Counts towards the number of prior DMTs."""
    prior_immunosuppressant: bool | Literal["unclear"] = False
    """Prior use counts as prior immunosuppressant use (natalizumab PML strata); 'unclear' leaves it
    unknown."""
    source_ids: tuple[Id, ...] = ()
    """Sources for how prior use counts."""
    on_stopping: tuple[StopRule, ...] = ()
    on_starting: tuple[StartRule, ...] = ()


class EfficacyCategory(Record):
    """The drug's efficacy category as guidelines and reviews group drugs, with its source."""

    category: EfficacyLevel
    disputed: bool = False
    """Sources disagree on the category."""
    source: Id
    """A source id of this profile."""
    note: Text | None = None


class Onset(Record):
    """How long the drug needs to act: activity within this time on it is not yet failure."""

    months: Annotated[int, Bounds(low=0, high=24)]
    """Months from the start before it is judged."""
    strength: Strength
    source_ids: SourceIds
    note: Text | None = None


class Equivalence(Record):
    """Another profile with the same active moiety (a biosimilar, another route of the same
    antibody): where this profile lacks a figure of a concern's reference kind and the other has
    one, the other's figure is scored here as class evidence (own figures kept in the notes).
    """

    drug: Id
    """The other profile's id."""
    kind: EquivalenceKind
    source: Id
    """A source id of this file supporting the equivalence."""
    note: Text5


class Gap(Record):
    """Why a concern has no figure for this drug (shown with the no-data cell)."""

    reason: Text10
    source_ids: tuple[Id, ...] = ()


class Profile(Record):
    """One disease-modifying therapy: identity, label, evidence and one measurement per concern."""

    id: Slug
    """Equals the file stem."""
    name: Text2
    brands: tuple[Text, ...] = ()
    drug_class: Text2
    mechanism: Text5
    off_label: bool = False
    last_reviewed: dt.date
    administration: Administration
    indications: Mapping[Region, Indication]
    reservation: Mapping[Region, Reservation]
    trials: tuple[Trial, ...] = ()
    measurements: Mapping[Id, Measurement] = FrozenDict()
    """Concern id (criteria.toml) → measurement."""
    no_data: Mapping[Id, Gap] = FrozenDict()
    """Concern id → why it has no figure (a gap, not zero)."""
    equivalences: tuple[Equivalence, ...] = ()
    """Profiles sharing this drug's active moiety."""
    autoimmunity: tuple[AutoimmuneCondition, ...] = ()
    infections: tuple[Infection, ...] = ()
    monitoring: tuple[Monitoring, ...] = ()
    cautions: tuple[Caution, ...] = ()
    modifiers: tuple[Modifier, ...] = ()
    """Patient features that change a measurement."""
    before_starting: tuple[Check, ...] = ()
    """Tests and vaccinations required before starting."""
    pregnancy: Pregnancy | None = None
    regimen: Regimen | None = None
    """The dosing schedule as data."""
    switching: Switching = Switching()
    efficacy_category: EfficacyCategory | None = None
    onset: Onset | None = None
    sources: Annotated[tuple[Source, ...], MinLength(length=1)]


class ValuePoint(Record):
    """A breakpoint of a piecewise-linear value function: measurement `x` has value `v` (0–1)."""

    x: float
    v: Annotated[float, Bounds(low=0, high=1)]


class Reference(Record):
    """The kind of figure a concern compares drugs on, and the basis order of preference."""

    kind: Slug
    """Id measurements name in `kind`."""
    description: Text10
    bases: Annotated[tuple[Basis, ...], MinLength(length=1)]
    """Bases in order of preference."""


class Criterion(Record):
    """A concern: what is measured, in which direction, on which fixed scale."""

    id: ConcernId
    label: Text2
    direction: Direction
    unit: Text
    worst: float
    best: float
    definition: Annotated[Text, MinLength(length=20)]
    kind: Annotated[str, Matches(pattern=r"^(percent|rate|reduction)$")] = "rate"
    """percent: 0–100; rate: ≥ 0; reduction: a relative reduction in percent, at most 100 (below 0
    when the drug did worse)."""
    value_function: tuple[ValuePoint, ...] | None = None
    """Inner breakpoints of a piecewise-linear value function (default linear)."""
    per_year: bool = False
    """A rate per patient-year: proportions over a follow-up are converted."""
    rate_per: PositiveOrNone = None
    """With per_year: patient-years the unit counts per (100, 1000)."""
    reference: Reference | None = None
    """The figure kind drugs are compared on (scored wherever one exists)."""
    from_pregnancy_intervals: bool = False
    """Derived from each profile's [[pregnancy.intervals]] (months between the last dose and
    conception, by sex and region); profiles give no measurement for it."""
    by_course: bool = False
    """Scored by disease course: each measurement states the courses of its population (`courses`)
    and counts only for them; no figure for the patient's course is no data."""
    course_when_unknown: Course | None = None
    """With by_course: the course whose figures are scored when the case gives no course (said in
    each cell's note); None: every course the case leaves open."""
    scored_confirmation_weeks: Annotated[int | None, Bounds(above=0)] = None
    """A confirmed-progression concern: the confirmation period scored where a trial gives it; a
    figure scored on another period while this one is recorded beside it (`other_confirmations`)
    is an error."""
    applies_when: tuple[Condition, ...] | None = None
    """When the concern is relevant to the patient (alternatives: any that holds or that the case
    leaves open). Otherwise its weight is 0 for this patient."""
    not_relevant: Annotated[Text | None, MinLength(length=3)] = None
    """Why it is not relevant, in words (with applies_when)."""


class OtherTreatment(Record):
    """A treatment without a profile that a history may name (e.g. mitoxantrone, azathioprine)."""

    id: Slug
    name: Text2
    counts_as_dmt: bool
    """Counts towards the number of prior DMTs."""
    prior_immunosuppressant: bool
    """Counts as prior immunosuppressant use."""
    source: Text10
    """Citation for how it counts."""


class Definition(Record):
    """A label or guideline definition of disease activity or of a suboptimal response, applied
    to the case's facts: met when any `met_when` holds (three-valued OR); when none can hold but an
    `open_when` does, the label leaves it to the clinician (unknown, with `open_reason`).
    """

    id: Slug
    label: Text5
    """Short name, e.g. 'rapidly evolving severe (EU)'."""
    kind: Literal["activity", "response"]
    """activity: establishes an activity level; response: the current DMT is failing (a suboptimal
    response)."""
    establishes: Activity | None = None
    """With kind activity: the level."""
    wording: Text10
    """The definition's words."""
    paraphrase: bool
    """The wording is a paraphrase (never shown in quotes)."""
    counting: Text10
    """How the facts are counted (paraphrase)."""
    met_when: Annotated[tuple[Condition, ...], MinLength(length=1)]
    """Alternatives (any holds)."""
    open_when: tuple[Condition, ...] = ()
    open_reason: Text | None = None
    source_ids: SourceIds
    note: Text | None = None


class CandidateTest(Record):
    """What a guideline rule asks of a candidate, relative to the drugs the case is leaving."""

    continues_current: bool | None = None
    """The candidate is the current DMT."""
    category_at_most_current: bool | None = None
    """The candidate's efficacy category is the current DMT's or lower."""
    category_below_left: tuple[EfficacyLevel, ...] | None = None
    """The candidate's category is lower than that of a drug being left (the current DMT, or one
    stopped within `within_months`) whose category is one of these."""
    equivalent_to_current: bool | None = None
    """The candidate has an [[equivalences]] entry with the current DMT."""
    within_months: CountOrNone = None
    """A previous DMT stopped at most this many months ago counts as left."""


class GuidelineRule(Record):
    """A guideline recommendation as a flag: raised on a candidate when `when` holds for the
    case (any alternative) and the candidate passes `candidate`. Never moves a drug.
    """

    id: Slug
    level: FlagLevel
    text: Text10
    """What the flag says (a marked paraphrase)."""
    recommendation: Text10
    """The recommendation's words."""
    paraphrase: bool
    """`recommendation` is a paraphrase (never in quotes)."""
    strength: Text3
    """The guideline's own strength (Level B, strong)."""
    when: Annotated[tuple[Condition, ...], MinLength(length=1)]
    """Alternatives over the case (any holds)."""
    candidate: CandidateTest
    current_category: tuple[EfficacyLevel, ...] | None = None
    """Only when the current DMT's category is one of these."""
    current_drugs: tuple[Id, ...] = ()
    """Only when the current DMT is one of these profile ids (default any)."""
    source_ids: SourceIds
    note: Text | None = None


class CriteriaFile(Record):
    horizon_months: Annotated[int, Bounds(low=1, high=240)] = 48
    """Default treatment horizon over which risks are averaged."""
    criteria: Annotated[tuple[Criterion, ...], MinLength(length=1)]
    other_treatments: tuple[OtherTreatment, ...] = ()
    """Non-profile treatments a treatment history may name."""
    definitions: tuple[Definition, ...] = ()
    """Label and guideline definitions of disease activity."""
    guidelines: tuple[GuidelineRule, ...] = ()
    """Guideline recommendations, raised as flags."""
    switching_rules: tuple[ClassRule, ...] = ()
    """Switching rules declared once for a class of drugs."""
    sources: tuple[Source, ...] = ()
    """Sources cited by the definitions, guideline rules and switching rules."""


class AttributeMapping(Record):
    """One attribute of a preference study and the concern(s) it stands for here."""

    attribute: Text2
    """The study's attribute, as it names it."""
    study_importance: NonNegativeOrNone = None
    """Its importance as the study reports it (None: order only)."""
    study_range: Text2
    """The study's worst→best levels, or why they are not known."""
    concerns: tuple[Id, ...] = ()
    """Our concern(s) it maps to (none: not used here)."""
    note: Text | None = None


class PresetSource(Record):
    """Where a preset's importances come from: a published preference study, and the mapping."""

    citation: Text10
    """The study, as it would be cited."""
    population: Text3
    """Who was asked (patients, neurologists)."""
    method: Text3
    """Elicitation method (DCE, BWS, conjoint …)."""
    attributes: Annotated[tuple[AttributeMapping, ...], MinLength(length=1)]
    rescaling: Text10
    """How the study's ranges were mapped onto our worst→best scales (swing weights), with the
    arithmetic."""


class Preset(Record):
    id: Slug
    label: Text2
    description: Text5
    importance: Mapping[Id, float]
    """Concern id → importance 0–10."""
    source: PresetSource | None = None
    """The preference study the importances come from."""
    teaching: bool = False
    """A teaching device without a source (validate requires a source else)."""


class DefaultRule(Record):
    """The preset a case starts from when `when` holds (the first rule that holds wins)."""

    when: Condition
    preset: Id
    note: Text | None = None


class PresetsFile(Record):
    presets: Annotated[tuple[Preset, ...], MinLength(length=1)]
    default: Id | None = None
    """The preset a case starts from when no default rule holds."""
    default_rules: tuple[DefaultRule, ...] = ()
    """Presets chosen by the case (first that holds)."""
