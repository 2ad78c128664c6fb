"""Resolve one profile measurement for a patient context over the drug's treatment window.

- No measurement, or none giving a number → "no-data": the score may be anywhere on the scale.
- A concern scored by course (`by_course`): a measurement counts only for the courses of its
  population (`courses`; strata narrow them with `when.course`); for another course it is
  "no-data", never the other population's figure.
- A figure (value or counts) → "measured", in the concern's unit, with what its bounds mean
  (`workbench.engine.evidence`).
- Strata: for every month of the drug's treatment window (now → now + horizon), the candidate
  strata are those whose condition is not False and whose exposure band holds that month. One
  stratum that holds in every month → "measured" at that stratum. Several bands that each hold
  → "measured" at their average over the window, weighted by months. A month the case leaves
  open between strata (or an unknown exposure) → "stratum-range" spanning the month-by-month
  lowest and highest possible figures, so an unknown never silently takes the best case. A month
  no stratum covers → "no-data", unless the measurement declares how its bands continue
  (`beyond_last_band`): then each group of strata with one condition goes on past its last band
  (that band carried forward, or the declared figure), marked extrapolated beyond that month.
- A per-year figure also gets its cumulative risk over the horizon (`Cumulative`): banded figures
  as conditional annual risks (1 − Π(1 − aₖ) over 12-month periods, months pro rata), a figure
  without bands as a constant rate (1 − exp(−rate × years)), each bound the same way.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import pairwise

from workbench.engine.conditions import Window, evaluate_condition
from workbench.engine.context import PatientContext
from workbench.engine.evidence import NO_DATA_DRAW, Derived, Draw, derive, mover_difference
from workbench.engine.result import (
    NO_EVIDENCE,
    ComparatorFigure,
    Cumulative,
    CumulativeMethod,
    Difference,
    Evidence,
    MeasurementStatus,
    Resolved,
)
from workbench.engine.values import partial_values
from workbench.profiles.records import Criterion, Gap, Measurement, Stratum, Supporting
from workbench.profiles.vocabulary import STRENGTHS, Basis, IntervalKind, Strength

NO_DATA = Resolved(
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
    evidence=NO_EVIDENCE,
    draw=NO_DATA_DRAW,
)


def _no_data(note: str | None = None) -> Resolved:
    return NO_DATA if note is None else NO_DATA.replace(note=note)


def _weakest(strengths: Sequence[Strength]) -> Strength:
    return max(strengths, key=STRENGTHS.index)


def _unique(ids: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids))


def _comparator(
    criterion: Criterion, m: Measurement, drug: Derived | None
) -> tuple[ComparatorFigure | None, Difference | None]:
    comp = m.comparator
    if comp is None:
        return None, None
    derived = derive(criterion, comp)
    if derived is None:
        return None, None
    figure = ComparatorFigure(
        label=comp.label,
        value=derived.value,
        low=derived.low,
        high=derived.high,
        interval_kind=derived.interval_kind,
        sources=tuple(comp.source_ids),
        note=comp.note,
    )
    if drug is None:
        return figure, None
    value, low, high = mover_difference(drug, derived)
    return figure, Difference(value=value, low=low, high=high)


def _evidence(
    m: Measurement,
    derived: Derived | None,
    counts: Stratum | Measurement,
    *,
    basis: Basis | None,
    interval_kind: IntervalKind,
    comparator: tuple[ComparatorFigure | None, Difference | None],
    averaged: tuple[int, int] | None = None,
    cumulative: Cumulative | None = None,
    beyond: int | None = None,
) -> Evidence:
    return Evidence(
        basis=basis,
        extrapolated_from=m.extrapolated_from,
        interval_kind=interval_kind,
        events=counts.events,
        patients=counts.patients,
        patient_years=counts.patient_years,
        follow_up_years=counts.follow_up_years,
        converted=derived is not None and derived.converted,
        averaged_months=averaged,
        data_cut=m.data_cut,
        comparator=comparator[0],
        difference=comparator[1],
        extrapolated_beyond=beyond,
        cumulative=cumulative,
        confirmation_weeks=counts.confirmation_weeks or m.confirmation_weeks,
        other_confirmations=tuple(counts.other_confirmations or ()),
    )


def _scored(
    criterion: Criterion,
    status: MeasurementStatus,
    value: float | None,
    low: float,
    high: float,
    **rest: object,
) -> Resolved:
    points = [low, high] if value is None else [value, low, high]
    partials = partial_values(criterion, points)
    at_bounds = [p.value for p in partials[-2:]]
    return Resolved(
        status=status,
        value=value,
        low=low,
        high=high,
        value_score=None if value is None else partials[0].value,
        score_low=min(at_bounds),
        score_high=max(at_bounds),
        clamped=any(p.clamped for p in partials),
        **rest,  # type: ignore[arg-type]
    )


def rescored(
    criterion: Criterion,
    r: Resolved,
    status: MeasurementStatus,
    value: float | None,
    *,
    low: float,
    high: float,
    **changed: object,
) -> Resolved:
    """`r` with another figure (and other `changed` fields), its partial values recomputed."""
    rest = {k: v for k, v in r.as_dict().items() if k not in _SCORED}
    return _scored(criterion, status, value, low, high, **{**rest, **changed})


_SCORED = frozenset(
    ("status", "value", "low", "high", "value_score", "score_low", "score_high", "clamped")
)


def _cumulative(criterion: Criterion, figure: Derived, months: int) -> Cumulative | None:
    """The risk over `months` of a constant per-year figure (value and bounds alike)."""
    per = criterion.rate_per
    if not criterion.per_year or per is None or months <= 0:
        return None
    over = _over_horizon(per, "constant-rate")
    return Cumulative(
        value=over([(figure.value, months)]),
        low=over([(_low(figure), months)]),
        high=over([(_high(figure), months)]),
        months=months,
        per=per,
        method="constant-rate",
    )


def _over_horizon(
    per: float, method: CumulativeMethod
) -> Callable[[Sequence[tuple[float, int]]], float]:
    """N in `per` over runs of (figure per `per` patient-years, months)."""

    def over(runs: Sequence[tuple[float, int]]) -> float:
        if method == "constant-rate":
            years_rate = math.fsum(rate / per * months / 12 for rate, months in runs)
            return per * -math.expm1(-years_rate) + 0.0  # + 0.0: never a negative zero
        survival = math.fsum(
            math.log1p(-rate / per) * months / 12 if rate < per else -math.inf
            for rate, months in runs
        )
        return per * -math.expm1(survival) + 0.0

    return over


def _plain(criterion: Criterion, m: Measurement, months: int) -> Resolved:
    derived = derive(criterion, m, m.indirect)
    if derived is None:
        return _no_data()
    return _scored(
        criterion,
        "measured",
        derived.value,
        _low(derived),
        _high(derived),
        stratum=None,
        strength=m.strength,
        sources=tuple(m.source_ids),
        follow_up=m.follow_up,
        note=m.note,
        evidence=_evidence(
            m,
            derived,
            m,
            basis=m.basis,
            interval_kind=derived.interval_kind,
            comparator=_comparator(criterion, m, derived),
            cumulative=_cumulative(criterion, derived, months),
        ),
        draw=derived.draw,
    )


def _in_band(s: Stratum, month: int) -> bool:
    return (s.months_on_min is None or month >= s.months_on_min) and (
        s.months_on_max is None or month <= s.months_on_max
    )


def _months(window: Window) -> range | None:
    if window.first is None or window.last is None:
        return None
    return range(window.first, window.last + 1)


Run = tuple[list[Stratum], int, int]
"""Consecutive months with the same candidate strata: (candidates, first month, last month)."""


def _merged(runs: Sequence[Run]) -> list[Run]:
    """`runs` with neighbours of the same candidates joined into one run."""
    joined: list[Run] = []
    for candidates, first, last in runs:
        if joined and [id(s) for s in joined[-1][0]] == [id(s) for s in candidates]:
            joined[-1] = (joined[-1][0], joined[-1][1], last)
        else:
            joined.append((candidates, first, last))
    return joined


def _runs(strata: Sequence[Stratum], months: range) -> list[Run]:
    """The months of the window as runs: the candidates change only where a band starts or ends,
    so each stretch between two band edges is checked once, not month by month."""
    edges = {months.start, months.stop}
    for s in strata:
        for edge in (s.months_on_min, None if s.months_on_max is None else s.months_on_max + 1):
            if edge is not None and months.start < edge < months.stop:
                edges.add(edge)
    cuts = sorted(edges)
    return _merged(
        [
            ([s for s in strata if _in_band(s, first)], first, stop - 1)
            for first, stop in pairwise(cuts)
        ]
    )


def _per_month(runs: Sequence[Run], figure: Callable[[list[Stratum]], float]) -> list[float]:
    """`figure` of each month's candidates, month by month (one entry per month of each run)."""
    return [x for c, first, last in runs for x in [figure(c)] * (last - first + 1)]


def _mean(xs: Sequence[float]) -> float:
    return sum(xs) / len(xs)


def _continued(m: Measurement) -> tuple[tuple[Stratum, ...], dict[int, int]]:
    """The strata with their declared continuation past the last band (`beyond_last_band`): per
    group of strata with one condition whose bands all end, one open band from the month after
    the last. Also: id of each continuation stratum → the month it extrapolates beyond."""
    strata = m.strata or ()
    beyond = m.beyond_last_band
    if beyond is None:
        return strata, {}
    groups: dict[str, list[Stratum]] = {}
    for s in strata:
        groups.setdefault(repr(s.when), []).append(s)
    extra: list[Stratum] = []
    marks: dict[int, int] = {}
    for group in groups.values():
        if any(s.months_on_max is None for s in group):
            continue  # an open band (or none): nothing lies beyond it
        last = max(group, key=lambda s: s.months_on_max or 0)
        end = last.months_on_max or 0
        source = last if beyond.method == "carry-last-band" else beyond
        figure = {k: getattr(source, k) for k in _FIGURE_FIELDS}
        added = last.replace(
            **figure,
            label=f"{last.label}, extrapolated beyond month {end}",
            months_on_min=end + 1,
            months_on_max=None,
            basis=last.basis if source is last else beyond.basis,
            strength=_weakest([last.strength, beyond.strength]),
            source_ids=tuple(_unique([*last.source_ids, *beyond.source_ids])),
            note=beyond.note,
        )
        extra.append(added)
        marks[id(added)] = end
    return (*strata, *extra), marks


_FIGURE_FIELDS = (
    "value",
    "ci_low",
    "ci_high",
    "low",
    "high",
    "events",
    "patients",
    "follow_up_years",
    "patient_years",
)


def _banded(used: Sequence[Stratum]) -> CumulativeMethod:
    banded = any(s.months_on_min is not None or s.months_on_max is not None for s in used)
    return "annual-risks" if banded else "constant-rate"


def _strata_cumulative(
    criterion: Criterion,
    runs: Sequence[Run],
    figure: Callable[[Stratum], Derived],
    months: int,
    *,
    definite: bool,
    method: CumulativeMethod,
) -> Cumulative | None:
    """The risk over the horizon from the runs of months: value (when one stratum holds each
    month) and the bounds from each month's lowest and highest possible figures."""
    per = criterion.rate_per
    if not criterion.per_year or per is None or months <= 0:
        return None
    over = _over_horizon(per, method)
    span = [max(last - first + 1, 1) for _, first, last in runs]
    if len(runs) == 1:
        span = [months]  # one run (or an unknown exposure): the whole horizon

    def total(pick: Callable[[list[Stratum]], float]) -> float:
        return over([(pick(c), n) for (c, _, _), n in zip(runs, span, strict=True)])

    return Cumulative(
        value=total(lambda c: figure(c[0]).value) if definite else None,
        low=total(lambda c: min(_low(figure(s)) for s in c)),
        high=total(lambda c: max(_high(figure(s)) for s in c)),
        months=months,
        per=per,
        method=method,
    )


def _from_strata(
    criterion: Criterion,
    m: Measurement,
    context: PatientContext,
    window: Window,
    horizon: int,
) -> Resolved:
    strata, marks = _continued(m)
    verdicts = [evaluate_condition(s.when, context, window) for s in strata]
    possible = [(s, v) for s, v in zip(strata, verdicts, strict=True) if v is not False]
    derived: dict[int, Derived] = {}
    for s, _ in possible:
        figure = derive(criterion, s, s.indirect)
        if figure is None:
            return _no_data(f"Stratum {s.label!r} has no figure.")
        derived[id(s)] = figure
    months = _months(window)
    if months is None:  # exposure so far unknown: any band is possible, counted as one month
        runs: list[Run] = [([s for s, _ in possible], 0, 0)]
        definite = False
    else:
        runs = _runs([s for s, _ in possible], months)
        in_window = {id(s) for c, _, _ in runs for s in c}
        definite = all(len(c) == 1 for c, _, _ in runs) and all(
            v is True for s, v in possible if id(s) in in_window
        )
    if not possible or any(not c for c, _, _ in runs):
        return _no_data(_uncovered_note(months, runs))
    alike = ""
    if not definite and all(len({_bounds(derived[id(s)]) for s in c}) == 1 for c, _, _ in runs):
        definite = True  # every possible stratum gives the same figure: the case decides nothing
        alike = " or ".join(s.label for s in _unique_strata([s for c, _, _ in runs for s in c]))
        runs = _merged([(c[:1], first, last) for c, first, last in runs])
    used = _unique_strata([s for c, _, _ in runs for s in c])
    figures = [derived[id(s)] for s in used]
    averaged = None if months is None or len(used) == 1 else (months.start, months.stop - 1)
    beyond = max((marks[id(s)] for s in used if id(s) in marks), default=None)
    cumulative = _strata_cumulative(
        criterion,
        runs,
        lambda s: derived[id(s)],
        horizon,
        definite=definite,
        method=_banded(used),
    )
    common = {
        "strength": _weakest([s.strength for s in used]),
        "sources": _unique([i for s in used for i in s.source_ids]),
        "follow_up": m.follow_up,
    }
    if definite and len(used) == 1:
        s, f = used[0], figures[0]
        return _scored(
            criterion,
            "measured",
            f.value,
            _low(f),
            _high(f),
            stratum=alike or s.label,
            note=s.note or m.note,
            evidence=_evidence(
                m,
                f,
                s,
                basis=s.basis or m.basis,
                interval_kind=f.interval_kind,
                comparator=_comparator(criterion, m, f),
                cumulative=cumulative,
                beyond=beyond,
            ),
            draw=f.draw,
            **common,
        )
    low = _mean(_per_month(runs, lambda c: min(_low(derived[id(s)]) for s in c)))
    high = _mean(_per_month(runs, lambda c: max(_high(derived[id(s)]) for s in c)))
    label = _band_label(runs, months)
    basis = _common_basis([s.basis or m.basis for s in used])
    value: float | None
    if definite:
        value = _mean(_per_month(runs, lambda c: derived[id(c[0])].value))
        kinds = {f.interval_kind for f in figures}
        kind: IntervalKind = kinds.pop() if len(kinds) == 1 else "none"
        draw = (
            Draw(kind="uniform", a=low, b=high) if kind != "none" else Draw(kind="point", a=value)
        )
        note = f"Average over the treatment horizon: {label}."
        status: MeasurementStatus = "measured"
    else:
        value, kind, draw = None, "strata", Draw(kind="uniform", a=low, b=high)
        note = "Possible strata: " + label
        status = "stratum-range"
    return _scored(
        criterion,
        status,
        value,
        low,
        high,
        stratum=None,
        note=note,
        evidence=Evidence(
            basis=basis,
            extrapolated_from=m.extrapolated_from,
            interval_kind=kind,
            averaged_months=averaged,
            data_cut=m.data_cut,
            comparator=_comparator(criterion, m, None)[0],
            extrapolated_beyond=beyond,
            cumulative=cumulative,
        ),
        draw=draw,
        **common,
    )


def _bounds(figure: Derived) -> tuple[float, float, float]:
    return figure.value, _low(figure), _high(figure)


def _low(figure: Derived) -> float:
    return figure.value if figure.low is None else figure.low


def _high(figure: Derived) -> float:
    return figure.value if figure.high is None else figure.high


def _unique_strata(strata: Sequence[Stratum]) -> list[Stratum]:
    seen: dict[int, Stratum] = {}
    for s in strata:
        seen.setdefault(id(s), s)
    return list(seen.values())


def _common_basis(bases: Sequence[Basis]) -> Basis:
    return Counter(bases).most_common(1)[0][0]


def _band_label(runs: Sequence[Run], months: range | None) -> str:
    """'A (months 1–12); B (months 13–48)' for runs of months with the same candidates."""
    if months is None:
        return "; ".join(s.label for s in _unique_strata([s for c, _, _ in runs for s in c]))
    return "; ".join(
        f"{' or '.join(s.label for s in group)} (months {first}–{last})"
        for group, first, last in runs
    )


def _uncovered_note(months: range | None, runs: Sequence[Run]) -> str:
    gaps = [(first, last) for c, first, last in runs if not c]
    if months is None or not gaps:
        return "No stratum applies to this case."
    return f"No stratum covers months {gaps[0][0]}–{gaps[-1][1]} of the treatment horizon."


def _supporting_words(criterion: Criterion, extra: Supporting) -> str:
    derived = derive(criterion, extra)
    figure = "" if derived is None else f" {derived.value:.3g} {criterion.unit};"
    return f"{extra.label}:{figure} {extra.follow_up} ({extra.basis}, strength {extra.strength})"


def _with_supporting(criterion: Criterion, m: Measurement, resolved: Resolved) -> Resolved:
    """The note names the figures kept as supporting evidence (shown, never scored)."""
    if not m.supporting:
        return resolved
    words = "; ".join(_supporting_words(criterion, extra) for extra in m.supporting)
    text = f"Supporting evidence, not scored: {words}."
    note = text if resolved.note is None else f"{resolved.note} {text}"
    return resolved.replace(note=note)


def resolve(
    criterion: Criterion,
    measurement: Measurement | None,
    context: PatientContext,
    window: Window,
    horizon: int | None = None,
    *,
    gap: Gap | None = None,
) -> Resolved:
    """The measurement of one concern for this case over the drug's treatment window (see the
    module docstring); `horizon` (months) is the window's length, given when the window's months
    are unknown; without a measurement, no data with the profile's reason for the gap."""
    assumed = criterion.course_when_unknown if criterion.by_course else None
    if assumed is None or context.course is not None:
        return _resolve(criterion, measurement, context, window, horizon, gap=gap)
    here = context.replace(course=assumed)
    found = _resolve(criterion, measurement, here, window, horizon, gap=gap)
    said = f"Course not given: scored for {assumed}."
    return found.replace(note=said if found.note is None else f"{said} {found.note}")


def _resolve(
    criterion: Criterion,
    measurement: Measurement | None,
    context: PatientContext,
    window: Window,
    horizon: int | None,
    *,
    gap: Gap | None,
) -> Resolved:
    if measurement is None:
        if gap is None:
            return NO_DATA
        return NO_DATA.replace(note=f"No data: {gap.reason}", sources=tuple(gap.source_ids))
    courses = measurement.courses
    if criterion.by_course and courses is not None and context.course not in (None, *courses):
        return _no_data(
            f"No figure for {context.course}: measured in {', '.join(courses)} only (another "
            "population's figure is not used)."
        )
    if horizon is None:
        horizon = (
            0 if window.first is None or window.last is None else window.last - window.first + 1
        )
    if measurement.strata is None:
        resolved = _plain(criterion, measurement, horizon)
    else:
        resolved = _from_strata(criterion, measurement, context, window, horizon)
    return _with_supporting(criterion, measurement, resolved)
