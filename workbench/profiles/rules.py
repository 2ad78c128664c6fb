"""Validation rules beyond types: cross-field and cross-file consistency of validated records.

Each rule yields a `Finding` with the key path (`loc`) of the offending field, which the loader maps
back to a file line. Rules never raise; they assume the records already passed validation.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Mapping, Sequence

from workbench.profiles.load_rules import CLASS_STRENGTH_CAP, Finding, review_findings
from workbench.profiles.records import (
    AutoimmuneCondition,
    Caution,
    Check,
    ClassRule,
    CriteriaFile,
    Criterion,
    DefaultRule,
    Definition,
    Figure,
    GuidelineRule,
    IndirectEstimate,
    Infection,
    Measurement,
    Modifier,
    Monitoring,
    Preset,
    Profile,
    Source,
    Stratum,
    Trial,
)
from workbench.profiles.toml_lines import Loc
from workbench.profiles.vocabulary import (
    IMPORTANCE_MAX,
    IMPORTANCE_MIN,
    IMPORTANCE_SCALE,
    STRENGTHS,
)

INDIRECT_TOLERANCE = 0.5
"""Allowed gap, in percentage points, between an indirect estimate's value and its two legs."""


# --------------------------------------------------------------------------- profiles


def profile_findings(
    profile: Profile,
    stem: str,
    criteria: Mapping[str, Criterion] | None,
    today: dt.date | None,
) -> list[Finding]:
    """Every rule violation of one validated profile (`criteria` None: concern checks skipped;
    `today` None: the review date, the one rule depending on the day, is left to
    `review_findings`)."""
    findings: list[Finding] = []
    if profile.id != stem:
        findings.append(Finding(("id",), f"id {profile.id!r} must equal the file name {stem!r}"))
    if today is not None:
        findings.extend(review_findings(profile, today))
    findings.extend(_source_findings(profile))
    for concern, measurement in profile.measurements.items():
        loc: Loc = ("measurements", concern)
        criterion = None if criteria is None else criteria.get(concern)
        if criteria is not None and criterion is None:
            known = ", ".join(sorted(criteria))
            findings.append(Finding(loc, f"unknown concern {concern!r} (known: {known})"))
        if criterion is not None and criterion.from_pregnancy_intervals:
            findings.append(
                Finding(
                    loc,
                    f"{concern!r} is derived from [[pregnancy.intervals]] (criteria.toml: "
                    "from_pregnancy_intervals); give the intervals there and remove this table",
                )
            )
            continue
        findings.extend(_measurement_findings(loc, measurement, criterion))
    for concern in profile.no_data:
        if criteria is not None and concern not in criteria:
            known = ", ".join(sorted(criteria))
            findings.append(
                Finding(("no_data", concern), f"unknown concern {concern!r} (known: {known})")
            )
        if concern in profile.measurements:
            findings.append(
                Finding(("no_data", concern), f"{concern!r} has a measurement: remove the gap")
            )
    findings.extend(_switching_findings(profile))
    for index, modifier in enumerate(profile.modifiers):
        findings.extend(_modifier_findings(("modifiers", index), modifier, profile, criteria))
    findings.extend(_regimen_findings(profile))
    for index, condition in enumerate(profile.autoimmunity):
        if condition.incidence is not None and not 0 <= condition.incidence <= 100:
            findings.append(
                Finding(
                    ("autoimmunity", index, "incidence"),
                    f"percentage {condition.incidence:g} outside 0–100",
                )
            )
    return findings


def _modifier_findings(
    loc: Loc, m: Modifier, profile: Profile, criteria: Mapping[str, Criterion] | None
) -> Iterator[Finding]:
    """A known concern the profile measures; a condition; the ratio inside its CI or range."""
    if criteria is not None and m.concern not in criteria:
        known = ", ".join(sorted(criteria))
        yield Finding((*loc, "concern"), f"unknown concern {m.concern!r} (known: {known})")
    if all(v is None for v in m.when.as_dict().values()):
        yield Finding((*loc, "when"), "a modifier needs a condition (it would always apply)")
    pairs = (("ci_low", "ci_high", "95% CI"), ("low", "high", "range"))
    ends = [(a, b, w) for a, b, w in pairs if (getattr(m, a), getattr(m, b)) != (None, None)]
    if len(ends) > 1:
        yield Finding((*loc, "low"), "give a CI (ci_low/ci_high) or a range (low/high), not both")
    for a, b, what in ends:
        low, high = getattr(m, a), getattr(m, b)
        if low is None or high is None:
            yield Finding((*loc, a if low is None else b), f"give both ends of the {what}")
        elif not low <= m.ratio <= high:
            yield Finding((*loc, "ratio"), f"ratio {m.ratio:g} outside its {what} {low:g}–{high:g}")


def _switching_findings(profile: Profile) -> Iterator[Finding]:
    """Interval bounds ordered; a start rule names a previous drug or class; codes unique."""
    yield from _repeated(
        "switching code",
        (("switching", "on_stopping"), profile.switching.on_stopping),
        (("switching", "on_starting"), profile.switching.on_starting),
        key="code",
    )
    for index, start in enumerate(profile.switching.on_starting):
        loc = ("switching", "on_starting", index)
        if not start.after_drugs and not start.after_classes:
            yield Finding(loc, "name the previous drugs (after_drugs) or classes (after_classes)")
        low, high = start.interval_weeks_min, start.interval_weeks_max
        if low is not None and high is not None and low > high:
            yield Finding(
                (*loc, "interval_weeks_min"), f"interval {low:g} > {high:g} weeks (not ordered)"
            )


def _regimen_findings(profile: Profile) -> Iterator[Finding]:
    """Courses only in a pulsed regimen, in order, each ending after it starts; monitoring
    schedules that give a time and follow courses only where there are courses."""
    regimen = profile.regimen
    pulsed = regimen is not None and regimen.kind == "courses"
    if regimen is not None:
        if pulsed and not regimen.courses:
            yield Finding(("regimen", "courses"), "a regimen of kind 'courses' lists its courses")
        if not pulsed and regimen.courses:
            yield Finding(("regimen", "courses"), "courses need kind = 'courses'")
        previous = -math.inf
        for index, course in enumerate(regimen.courses):
            loc: Loc = ("regimen", "courses", index)
            if course.month < previous:
                yield Finding((*loc, "month"), "courses are listed in order of their month")
            previous = course.month
            last = course.last_dose_month
            if last is not None and last < course.month:
                yield Finding(
                    (*loc, "last_dose_month"),
                    f"last dose (month {last:g}) before the course starts (month {course.month:g})",
                )
    for index, item in enumerate(profile.monitoring):
        schedule = item.schedule
        if schedule is None:
            continue
        loc = ("monitoring", index, "schedule")
        if not (schedule.at_months or schedule.after_each_course or schedule.every_months):
            yield Finding(loc, "a schedule gives at_months, after_each_course or every_months")
        if schedule.after_each_course and not pulsed:
            yield Finding(
                (*loc, "after_each_course"), "after_each_course needs a [regimen] with courses"
            )


def _repeated(
    what: str, *tables: tuple[Loc, Sequence[object]], key: str = "id"
) -> Iterator[Finding]:
    """`key` is unique: a finding at each item whose `key` an item before it has, in these
    tables (each at its location, taken in order, sharing one set of keys)."""
    seen: set[object] = set()
    for loc, items in tables:
        for index, item in enumerate(items):
            value = getattr(item, key)
            if value in seen:
                yield Finding((*loc, index, key), f"duplicate {what} {value!r}")
            seen.add(value)


def _source_findings(profile: Profile) -> Iterator[Finding]:
    yield from _repeated("source id", (("sources",), profile.sources))
    known = {source.id for source in profile.sources}
    for loc, ids in _source_id_lists(profile):
        if known.issuperset(ids):  # the usual case, checked at C speed
            continue
        for index, source_id in enumerate(ids):
            if source_id not in known:
                where = loc if loc[-1] == "source" else (*loc, index)  # one id, not a list
                yield Finding(where, f"source {source_id!r} is not in this profile's sources")


def _source_id_lists(profile: Profile) -> list[tuple[Loc, Sequence[str]]]:
    """Every list of cited source ids in the profile, with its key path."""
    lists: list[tuple[Loc, Sequence[str]]] = []
    for concern, measurement in profile.measurements.items():
        lists.append((("measurements", concern, "source_ids"), measurement.source_ids))
        if measurement.comparator is not None:
            lists.append(
                (
                    ("measurements", concern, "comparator", "source_ids"),
                    measurement.comparator.source_ids,
                )
            )
        legs: list[tuple[Loc, IndirectEstimate | None]] = [
            (("measurements", concern, "indirect"), measurement.indirect)
        ]
        for index, stratum in enumerate(measurement.strata or ()):
            here: Loc = ("measurements", concern, "strata", index)
            lists.append(((*here, "source_ids"), stratum.source_ids))
            legs.append(((*here, "indirect"), stratum.indirect))
        for index, extra in enumerate(measurement.supporting):
            lists.append(
                (("measurements", concern, "supporting", index, "source_ids"), extra.source_ids)
            )
        if measurement.beyond_last_band is not None:
            lists.append(
                (
                    ("measurements", concern, "beyond_last_band", "source_ids"),
                    measurement.beyond_last_band.source_ids,
                )
            )
        for loc, indirect in legs:
            if indirect is not None:
                lists.append(((*loc, "contrast_source_ids"), indirect.contrast_source_ids))
                lists.append(((*loc, "anchor_source_ids"), indirect.anchor_source_ids))
    for concern, gap in profile.no_data.items():
        lists.append((("no_data", concern, "source_ids"), gap.source_ids))
    for index, equivalence in enumerate(profile.equivalences):
        lists.append((("equivalences", index, "source"), [equivalence.source]))
    for region, indication in profile.indications.items():
        lists.append((("indications", region, "source_ids"), indication.source_ids))
    for region, reservation in profile.reservation.items():
        lists.append((("reservation", region, "source_ids"), reservation.source_ids))
    cited: tuple[tuple[str, Sequence[_Cited]], ...] = (
        ("trials", profile.trials),
        ("autoimmunity", profile.autoimmunity),
        ("infections", profile.infections),
        ("monitoring", profile.monitoring),
        ("cautions", profile.cautions),
        ("modifiers", profile.modifiers),
        ("before_starting", profile.before_starting),
    )
    for name, items in cited:
        for index, item in enumerate(items):
            lists.append(((name, index, "source_ids"), item.source_ids))
    if profile.pregnancy is not None:
        lists.append((("pregnancy", "source_ids"), profile.pregnancy.source_ids))
        for index, interval in enumerate(profile.pregnancy.intervals):
            lists.append((("pregnancy", "intervals", index, "source_ids"), interval.source_ids))
    if profile.regimen is not None:
        lists.append((("regimen", "source_ids"), profile.regimen.source_ids))
    switching = profile.switching
    lists.append((("switching", "source_ids"), switching.source_ids))
    for index, stop in enumerate(switching.on_stopping):
        lists.append((("switching", "on_stopping", index, "source_ids"), stop.source_ids))
    for index, start in enumerate(switching.on_starting):
        lists.append((("switching", "on_starting", index, "source_ids"), start.source_ids))
    if profile.efficacy_category is not None:
        lists.append((("efficacy_category", "source"), [profile.efficacy_category.source]))
    if profile.onset is not None:
        lists.append((("onset", "source_ids"), profile.onset.source_ids))
    return lists


_Cited = Trial | AutoimmuneCondition | Infection | Monitoring | Caution | Modifier | Check


def _measurement_findings(
    loc: Loc, measurement: Measurement, criterion: Criterion | None
) -> Iterator[Finding]:
    if not has_figure(measurement, measurement.indirect) and not measurement.strata:
        yield Finding(
            loc,
            "a measurement needs a figure (value, or events with patients/patient_years) or strata",
        )
    yield from _course_findings(loc, measurement, criterion)
    yield from _figure_findings(loc, measurement, criterion)
    yield from _confirmation_findings(loc, measurement, criterion)
    yield from _basis_findings(loc, measurement)
    for index, stratum in enumerate(measurement.strata or ()):
        yield from _stratum_findings((*loc, "strata", index), stratum, criterion)
        yield from _confirmation_findings((*loc, "strata", index), stratum, criterion)
    yield from _band_findings(loc, measurement.strata or [])
    for index, extra in enumerate(measurement.supporting):
        there: Loc = (*loc, "supporting", index)
        if not has_figure(extra):
            yield Finding(there, "a supporting figure needs a value, or events with a denominator")
        yield from _figure_findings(there, extra, criterion)
    yield from _beyond_findings(loc, measurement, criterion)
    if measurement.comparator is not None:
        here: Loc = (*loc, "comparator")
        if not has_figure(measurement.comparator):
            yield Finding(here, "a comparator needs a value, or events with patients/patient_years")
        yield from _figure_findings(here, measurement.comparator, criterion)
    if criterion is not None and measurement.unit != criterion.unit:
        yield Finding(
            (*loc, "unit"),
            f"unit {measurement.unit!r} must be the concern's unit {criterion.unit!r}",
        )
    yield from _indirect_findings(loc, measurement, measurement.indirect)


def _confirmation_findings(
    loc: Loc, figure: Measurement | Stratum, criterion: Criterion | None
) -> Iterator[Finding]:
    """The concern's confirmation period is scored wherever the figure records it beside another."""
    wanted = None if criterion is None else criterion.scored_confirmation_weeks
    scored = figure.confirmation_weeks
    if wanted is None or scored is None or scored == wanted:
        return
    if any(other.weeks == wanted for other in figure.other_confirmations or ()):
        yield Finding(
            (*loc, "confirmation_weeks"),
            f"the concern scores the {wanted}-week confirmed figure where a trial gives it: "
            f"score the {wanted}-week figure recorded beside this {scored}-week one",
        )


def _indirect_findings(
    loc: Loc, figure: Figure, indirect: IndirectEstimate | None
) -> Iterator[Finding]:
    """A given value agrees with the Bucher legs; each leg's CI is whole and holds its ratio."""
    if indirect is None:
        return
    product = indirect.contrast_rate_ratio * indirect.anchor_rate_ratio
    expected = 100 * (1 - product)
    if figure.hazard_ratio is not None or figure.events is not None:
        yield Finding(
            (*loc, "indirect"), "an indirect estimate is the figure: remove hazard_ratio/counts"
        )
    if figure.value is not None and abs(figure.value - expected) > INDIRECT_TOLERANCE:
        yield Finding(
            (*loc, "value"),
            f"value {figure.value:g} ≠ 100×(1 − {indirect.contrast_rate_ratio:g}×"
            f"{indirect.anchor_rate_ratio:g}) = {expected:.1f} "
            f"(tolerance {INDIRECT_TOLERANCE})",
        )
    for leg in ("contrast", "anchor"):
        ratio = getattr(indirect, f"{leg}_rate_ratio")
        yield from _ratio_ci_findings(
            (*loc, "indirect"),
            ratio,
            getattr(indirect, f"{leg}_ci_low"),
            getattr(indirect, f"{leg}_ci_high"),
            (f"{leg}_ci_low", f"{leg}_ci_high"),
        )


def _ratio_ci_findings(
    loc: Loc, ratio: float, low: float | None, high: float | None, names: tuple[str, str]
) -> Iterator[Finding]:
    if (low is None) != (high is None):
        yield Finding((*loc, names[0]), f"a 95% CI needs both {names[0]} and {names[1]}")
    elif low is not None and high is not None and not low <= ratio <= high:
        yield Finding(
            (*loc, names[0]),
            f"need {names[0]} ≤ ratio ≤ {names[1]}, got {low:g}, {ratio:g}, {high:g}",
        )


def _course_findings(
    loc: Loc, measurement: Measurement, criterion: Criterion | None
) -> Iterator[Finding]:
    """A concern scored by course: the measurement names its population's courses, and a
    stratum's course condition stays within them."""
    if criterion is None or not criterion.by_course:
        if measurement.courses is not None and criterion is not None:
            yield Finding(
                (*loc, "courses"), f"{criterion.id!r} is not scored by course (by_course)"
            )
        return
    if measurement.courses is None:
        yield Finding(
            (*loc, "courses"),
            f"{criterion.id!r} is scored by course: give the courses of the population measured",
        )
        return
    for index, stratum in enumerate(measurement.strata or ()):
        outside = sorted(set(stratum.when.course or ()) - set(measurement.courses))
        if outside:
            yield Finding(
                (*loc, "strata", index, "when", "course"),
                f"course(s) {', '.join(outside)} not in the measurement's courses",
            )


def _beyond_findings(
    loc: Loc, measurement: Measurement, criterion: Criterion | None
) -> Iterator[Finding]:
    """A continuation extends banded strata, no stronger than they are; 'figure' gives one."""
    beyond = measurement.beyond_last_band
    if beyond is None:
        return
    here: Loc = (*loc, "beyond_last_band")
    banded = [s for s in measurement.strata or () if s.months_on_max is not None]
    if not banded:
        yield Finding(here, "beyond_last_band needs strata with exposure bands that end")
        return
    weakest = max((s.strength for s in banded), key=STRENGTHS.index)
    if STRENGTHS.index(beyond.strength) < STRENGTHS.index(weakest):
        yield Finding(
            (*here, "strength"),
            f"strength {beyond.strength!r} is above the bands' ({weakest!r}); an extrapolation "
            "is never stronger than what it extends",
        )
    if beyond.method == "figure" and not has_figure(beyond):
        yield Finding(here, "method 'figure' needs a value, or events with patients/patient_years")
    if beyond.method == "carry-last-band" and has_figure(beyond):
        yield Finding(here, "method 'carry-last-band' takes no figure of its own")
    yield from _figure_findings(here, beyond, criterion)


def has_figure(figure: Figure, indirect: IndirectEstimate | None = None) -> bool:
    """Whether the figure gives a number (a value, a hazard ratio, counts, or Bucher legs)."""
    return (
        figure.value is not None
        or figure.events is not None
        or figure.hazard_ratio is not None
        or indirect is not None
    )


def _basis_findings(loc: Loc, m: Measurement) -> Iterator[Finding]:
    if m.basis == "class":
        if m.extrapolated_from is None:
            yield Finding(
                (*loc, "extrapolated_from"),
                "basis 'class' needs extrapolated_from: the profile id or named class the "
                "figure comes from",
            )
        if STRENGTHS.index(m.strength) < STRENGTHS.index(CLASS_STRENGTH_CAP):
            yield Finding(
                (*loc, "strength"),
                f"class evidence is at most {CLASS_STRENGTH_CAP!r}; write "
                f"strength = {CLASS_STRENGTH_CAP!r} or lower",
            )
    elif m.extrapolated_from is not None:
        yield Finding(
            (*loc, "extrapolated_from"),
            f"extrapolated_from is only for basis = 'class' (basis is {m.basis!r})",
        )


def _stratum_findings(loc: Loc, stratum: Stratum, criterion: Criterion | None) -> Iterator[Finding]:
    if not has_figure(stratum, stratum.indirect):
        yield Finding(loc, "a stratum needs a value, or events with patients/patient_years")
    yield from _figure_findings(loc, stratum, criterion)
    yield from _indirect_findings(loc, stratum, stratum.indirect)
    first, last = stratum.months_on_min, stratum.months_on_max
    if first is not None and last is not None and first > last:
        yield Finding(
            (*loc, "months_on_max"), f"exposure band ends ({last}) before it starts ({first})"
        )


def _band_findings(loc: Loc, strata: Sequence[Stratum]) -> Iterator[Finding]:
    """Strata with the same condition must not have overlapping exposure bands."""
    for index, stratum in enumerate(strata):
        for earlier in range(index):
            other = strata[earlier]
            if other.when != stratum.when:
                continue
            lo = max(stratum.months_on_min or 1, other.months_on_min or 1)
            hi = min(stratum.months_on_max or math.inf, other.months_on_max or math.inf)
            if lo <= hi:
                yield Finding(
                    (*loc, "strata", index, "months_on_min"),
                    f"exposure band overlaps strata[{earlier}] ({other.label!r}), which has the "
                    "same condition; make the bands follow each other",
                )


def _figure_findings(loc: Loc, f: Figure, criterion: Criterion | None) -> Iterator[Finding]:
    """Value, counts and intervals of one figure are consistent and fit the concern."""
    yield from _bound_findings(loc, f.value, f.low, f.high)
    yield from _ci_findings(loc, f)
    yield from _hazard_findings(loc, f, criterion)
    counts = {
        name: getattr(f, name)
        for name in ("events", "patients", "follow_up_years", "patient_years")
        if getattr(f, name) is not None
    }
    if f.value is not None and counts:
        yield Finding(
            (*loc, next(iter(counts))),
            "give either value or counts, not both: remove value and let the engine derive it",
        )
    if counts:
        yield from _count_findings(loc, f, criterion)
    if criterion is not None:
        yield from _scale_findings(loc, criterion, f.value, f.low, f.high)
        yield from _scale_findings(
            loc, criterion, None, f.ci_low, f.ci_high, names=("ci_low", "ci_high")
        )


def _hazard_findings(loc: Loc, f: Figure, criterion: Criterion | None) -> Iterator[Finding]:
    """A hazard ratio stands alone (no value or counts) on a relative-reduction concern."""
    if f.hazard_ratio is None:
        if f.hr_ci_low is not None or f.hr_ci_high is not None:
            yield Finding((*loc, "hr_ci_low"), "hr_ci_low/hr_ci_high belong to a hazard_ratio")
        return
    if f.value is not None or f.events is not None:
        yield Finding((*loc, "hazard_ratio"), "give a hazard_ratio or a value/counts, not both")
    if criterion is not None and criterion.kind != "reduction":
        yield Finding(
            (*loc, "hazard_ratio"),
            f"a hazard ratio fits a relative-reduction concern (kind 'reduction'), not "
            f"{criterion.id!r}",
        )
    yield from _ratio_ci_findings(
        loc, f.hazard_ratio, f.hr_ci_low, f.hr_ci_high, ("hr_ci_low", "hr_ci_high")
    )


def _ci_findings(loc: Loc, f: Figure) -> Iterator[Finding]:
    if (f.ci_low is None) != (f.ci_high is None):
        missing = "ci_high" if f.ci_high is None else "ci_low"
        yield Finding((*loc, missing), "a published 95% CI needs both ci_low and ci_high")
        return
    if f.ci_low is None or f.ci_high is None:
        return
    if f.value is None:
        yield Finding((*loc, "ci_low"), "ci_low/ci_high belong to a value; counts get exact CIs")
    elif not f.ci_low <= f.value <= f.ci_high:
        yield Finding(
            (*loc, "ci_low"),
            f"need ci_low ≤ value ≤ ci_high, got {f.ci_low:g} ≤ {f.value:g} ≤ {f.ci_high:g}",
        )
    if f.low is not None or f.high is not None:
        yield Finding(
            (*loc, "low"), "give a published CI (ci_low/ci_high) or a published range (low/high)"
        )


def _count_findings(loc: Loc, f: Figure, criterion: Criterion | None) -> Iterator[Finding]:
    if f.events is None:
        yield Finding((*loc, "events"), "counts need events (0 when none were seen)")
        return
    if f.patients is None and f.patient_years is None:
        yield Finding(
            (*loc, "events"),
            "events need a denominator: patients (a proportion) or patient_years (a rate)",
        )
        return
    if f.patients is not None and f.patient_years is not None:
        yield Finding(
            (*loc, "patient_years"),
            "give patients (a proportion) or patient_years (a rate), not both",
        )
        return
    if f.patients is not None and f.events > f.patients:
        yield Finding((*loc, "events"), f"events {f.events} exceed patients {f.patients}")
    if criterion is None:
        return
    if f.patient_years is not None and not criterion.per_year:
        yield Finding(
            (*loc, "patient_years"),
            f"a rate per patient-year does not fit the concern's unit {criterion.unit!r}; "
            "give events with patients",
        )
    if f.patients is not None and criterion.per_year:
        if f.follow_up_years is None:
            yield Finding(
                (*loc, "follow_up_years"),
                "a proportion on a per-year concern needs follow_up_years to be converted",
            )
        elif f.patients is not None and f.events == f.patients:
            yield Finding((*loc, "events"), "every patient had the event: no rate can be derived")
    if f.patients is not None and not criterion.per_year and criterion.kind != "percent":
        yield Finding(
            (*loc, "patients"), f"a proportion does not fit the concern's unit {criterion.unit!r}"
        )


def _bound_findings(
    loc: Loc, value: float | None, low: float | None, high: float | None
) -> Iterator[Finding]:
    for name, number in (("value", value), ("low", low), ("high", high)):
        if number is not None and not math.isfinite(number):
            yield Finding((*loc, name), f"{number} is not a finite number")
    if low is not None and value is not None and low > value:
        yield Finding((*loc, "low"), f"low {low:g} is above value {value:g}")
    if high is not None and value is not None and value > high:
        yield Finding((*loc, "high"), f"high {high:g} is below value {value:g}")
    if low is not None and high is not None and low > high:
        yield Finding((*loc, "high"), f"high {high:g} is below low {low:g}")


def _scale_findings(
    loc: Loc,
    criterion: Criterion,
    value: float | None,
    low: float | None,
    high: float | None,
    *,
    names: tuple[str, str] = ("low", "high"),
) -> Iterator[Finding]:
    for name, number in (("value", value), (names[0], low), (names[1], high)):
        if number is None:
            continue
        if criterion.kind == "percent" and not 0 <= number <= 100:
            yield Finding((*loc, name), f"percentage {number:g} outside 0–100")
        elif criterion.kind == "rate" and number < 0:
            yield Finding((*loc, name), f"rate {number:g} is negative")
        elif criterion.kind == "reduction" and number > 100:
            yield Finding((*loc, name), f"a relative reduction of {number:g}% is above 100")


# --------------------------------------------------------------------------- criteria, presets


def criteria_file_findings(model: CriteriaFile) -> list[Finding]:
    """Rule violations of criteria.toml: the concerns, the definitions and the guideline rules."""
    return [
        *criteria_findings(model.criteria),
        *class_rule_findings(model.switching_rules, model.sources),
        *_definition_findings(model),
    ]


def _definition_findings(model: CriteriaFile) -> Iterator[Finding]:
    """Definitions and guideline rules: unique ids, known sources, definitions named by a
    condition exist, an activity definition names its level, a candidate test asks something."""
    yield from _repeated("source id", (("sources",), model.sources))
    yield from _repeated(
        "id", (("definitions",), model.definitions), (("guidelines",), model.guidelines)
    )
    sources = {source.id for source in model.sources}
    known = {d.id for d in model.definitions}
    items: list[tuple[str, int, Definition | GuidelineRule]] = [
        *(("definitions", i, d) for i, d in enumerate(model.definitions)),
        *(("guidelines", i, g) for i, g in enumerate(model.guidelines)),
    ]
    for table, index, item in items:
        loc: Loc = (table, index)
        for at, source_id in enumerate(item.source_ids):
            if source_id not in sources:
                yield Finding(
                    (*loc, "source_ids", at), f"source {source_id!r} is not in this file's sources"
                )
        groups = (
            (("met_when", item.met_when), ("open_when", item.open_when))
            if isinstance(item, Definition)
            else (("when", item.when),)
        )
        for key, conditions in groups:
            for at, condition in enumerate(conditions):
                for name in condition.definition_met or ():
                    if name not in known:
                        yield Finding(
                            (*loc, key, at, "definition_met"),
                            f"unknown definition {name!r} (known: {', '.join(sorted(known))})",
                        )
        if isinstance(item, Definition):
            yield from _definition_shape(loc, item)
        else:
            yield from _candidate_shape(loc, item)


def _definition_shape(loc: Loc, definition: Definition) -> Iterator[Finding]:
    if definition.kind == "activity" and definition.establishes is None:
        yield Finding(
            (*loc, "establishes"), "an activity definition names the level it establishes"
        )
    if definition.kind == "response" and definition.establishes is not None:
        yield Finding((*loc, "establishes"), "a response definition establishes no activity level")
    if definition.open_when and definition.open_reason is None:
        yield Finding((*loc, "open_reason"), "open_when needs open_reason (why it is left open)")


def _candidate_shape(loc: Loc, rule: GuidelineRule) -> Iterator[Finding]:
    test = rule.candidate
    if all(getattr(test, name) is None for name in type(test)._fields):
        yield Finding((*loc, "candidate"), "the candidate test asks nothing: name what it checks")
    if test.within_months is not None and test.category_below_left is None:
        yield Finding(
            (*loc, "candidate", "within_months"), "within_months needs category_below_left"
        )


def class_rule_findings(rules: Sequence[ClassRule], sources: Sequence[Source]) -> list[Finding]:
    """criteria.toml's class switching rules: they name a previous drug or class, cite its
    sources, have unique codes and ordered intervals."""
    findings: list[Finding] = []
    known = {source.id for source in sources}
    codes: set[str] = set()
    for index, rule in enumerate(rules):
        loc: Loc = ("switching_rules", index)
        if not rule.after_drugs and not rule.after_classes:
            findings.append(
                Finding(loc, "name the previous drugs (after_drugs) or classes (after_classes)")
            )
        key = (rule.code, *rule.after_drugs, *rule.after_classes, *rule.to_classes)
        if "|".join(key) in codes:
            findings.append(Finding((*loc, "code"), f"duplicate rule {rule.code!r}"))
        codes.add("|".join(key))
        for position, source_id in enumerate(rule.source_ids):
            if source_id not in known:
                findings.append(
                    Finding(
                        (*loc, "source_ids", position),
                        f"source {source_id!r} is not in this file's [[sources]]",
                    )
                )
        low, high = rule.interval_weeks_min, rule.interval_weeks_max
        if low is not None and high is not None and low > high:
            findings.append(
                Finding(
                    (*loc, "interval_weeks_min"), f"interval {low:g} > {high:g} weeks (not ordered)"
                )
            )
    return findings


def criteria_findings(criteria: Sequence[Criterion]) -> list[Finding]:
    """Rule violations of the concerns: unique ids, a real scale, well-formed value functions."""
    findings = list(_repeated("concern id", (("criteria",), criteria)))
    for index, criterion in enumerate(criteria):
        loc: Loc = ("criteria", index)
        infinite = [
            name for name in ("worst", "best") if not math.isfinite(getattr(criterion, name))
        ]
        findings.extend(Finding((*loc, name), "not a finite number") for name in infinite)
        if criterion.worst == criterion.best:
            findings.append(Finding((*loc, "best"), "best must differ from worst"))
        if infinite or criterion.worst == criterion.best:
            continue
        for name in ("worst", "best"):
            number: float = getattr(criterion, name)
            if criterion.kind == "percent" and not 0 <= number <= 100:
                findings.append(Finding((*loc, name), f"percentage {number:g} outside 0–100"))
            elif criterion.kind == "rate" and number < 0:
                findings.append(Finding((*loc, name), f"rate {number:g} is negative"))
            elif criterion.kind == "reduction" and number > 100:
                findings.append(Finding((*loc, name), f"reduction {number:g}% is above 100"))
        findings.extend(_value_function_findings(loc, criterion))
        if (criterion.applies_when is None) != (criterion.not_relevant is None):
            findings.append(
                Finding(
                    (*loc, "not_relevant"),
                    "applies_when and not_relevant go together: say in words why the concern "
                    "does not apply when no alternative holds",
                )
            )
        if criterion.per_year and criterion.rate_per is None:
            findings.append(
                Finding((*loc, "rate_per"), "a per-year concern needs rate_per (e.g. 100, 1000)")
            )
        elif criterion.rate_per is not None and not criterion.per_year:
            findings.append(Finding((*loc, "rate_per"), "rate_per needs per_year = true"))
    return findings


def _value_function_findings(loc: Loc, criterion: Criterion) -> Iterator[Finding]:
    points = criterion.value_function or ()
    lowest, highest = sorted((criterion.worst, criterion.best))
    rising = criterion.best > criterion.worst
    for index, point in enumerate(points):
        here: Loc = (*loc, "value_function", index)
        if not lowest < point.x < highest:
            yield Finding(
                (*here, "x"), f"breakpoint {point.x:g} must lie strictly between worst and best"
            )
        if index == 0:
            continue
        previous = points[index - 1]
        if point.x <= previous.x:
            yield Finding((*here, "x"), "breakpoints must be listed in strictly increasing x")
        elif (point.v < previous.v) if rising else (point.v > previous.v):
            toward = "rise" if rising else "fall"
            yield Finding((*here, "v"), f"value must {toward} toward best (monotone)")


def preset_findings(presets: Sequence[Preset], concern_ids: Sequence[str] | None) -> list[Finding]:
    """Rule violations of presets.toml: unique ids, known concerns, importance on the scale and
    at least one above 0 (a preset weighing nothing cannot rank)."""
    findings = list(_repeated("preset id", (("presets",), presets)))
    for index, preset in enumerate(presets):
        loc: Loc = ("presets", index)
        for concern, importance in preset.importance.items():
            here: Loc = (*loc, "importance", concern)
            if concern_ids is not None and concern not in concern_ids:
                findings.append(Finding(here, f"unknown concern {concern!r}"))
            if not IMPORTANCE_MIN <= importance <= IMPORTANCE_MAX:
                findings.append(
                    Finding(here, f"importance {importance:g} outside {IMPORTANCE_SCALE}")
                )
        if not any(importance > 0 for importance in preset.importance.values()):
            findings.append(Finding((*loc, "importance"), "no concern has an importance above 0"))
        findings.extend(_preset_source_findings(loc, preset, concern_ids))
    return findings


def _preset_source_findings(
    loc: Loc, preset: Preset, concern_ids: Sequence[str] | None
) -> Iterator[Finding]:
    """A preset cites its preference study (or says it is a teaching device), and its attribute
    mapping names known concerns."""
    if preset.source is None:
        if not preset.teaching:
            yield Finding(
                (*loc, "source"),
                f"preset {preset.id!r} has no source: cite the preference study its importances "
                "come from ([presets.source]), or mark it teaching = true",
            )
        return
    for index, attribute in enumerate(preset.source.attributes):
        for concern in attribute.concerns:
            if concern_ids is not None and concern not in concern_ids:
                yield Finding(
                    (*loc, "source", "attributes", index, "concerns"),
                    f"unknown concern {concern!r}",
                )


def default_preset_findings(
    default: str | None, rules: Sequence[DefaultRule], preset_ids: Sequence[str]
) -> list[Finding]:
    """The default preset and each default rule's preset exist."""
    findings: list[Finding] = []
    named: list[tuple[Loc, str]] = [
        (("default_rules", i, "preset"), r.preset) for i, r in enumerate(rules)
    ]
    if default is not None:
        named.insert(0, (("default",), default))
    for loc, preset_id in named:
        if preset_id not in preset_ids:
            findings.append(
                Finding(loc, f"unknown preset {preset_id!r} (presets: {', '.join(preset_ids)})")
            )
    return findings
