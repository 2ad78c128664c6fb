"""Plain-text wording shared by the renderers: numbers, measurement cells, the case context.

Only formatting lives here; every number shown was computed by the engine or read from a profile.
"""

from __future__ import annotations

from collections.abc import Callable

from workbench.engine.context import NO_CURRENT_DMT, PatientContext
from workbench.engine.result import (
    ComparatorFigure,
    CriterionResult,
    Difference,
    DrugResult,
    Evidence,
    Result,
)
from workbench.profiles.schema import Figure, Stratum
from workbench.profiles.vocabulary import Basis, IntervalKind

DISCLAIMER = "Decision support, not a prescription: the treating clinician decides."

_REGION_NAMES = {"eu": "EU (SmPC)", "us": "US (prescribing information)"}
_COURSE_NAMES = {
    "cis": "CIS",
    "rrms": "RRMS",
    "active-spms": "active SPMS",
    "non-active-spms": "non-active SPMS",
    "ppms": "PPMS",
}


def number(value: float) -> str:
    """A measurement as written in a profile: up to 6 significant digits, no float noise."""
    if value == 0:
        return "0"
    return f"{value:.6g}"


def score(value: float) -> str:
    """A value score, contribution or total (0–1) to 3 decimals."""
    return f"{value:.3f}"


def percent(fraction: float) -> str:
    """A fraction 0–1 as a percentage with one decimal."""
    return f"{100 * fraction:.1f}%"


def yes_no_unknown(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def region_name(region: str) -> str:
    return _REGION_NAMES.get(region, region.upper())


BASIS_MARKS: dict[Basis, str] = {
    "trial-arm": "T",
    "pooled-trials": "P",
    "registry": "R",
    "postmarketing": "M",
    "label": "L",
    "class": "C",
}
"""One-letter basis marker shown after a figure in the table."""

BASIS_WORDS: dict[Basis, str] = {
    "trial-arm": "trial arm",
    "pooled-trials": "pooled trials",
    "registry": "registry",
    "postmarketing": "post-marketing cases over exposure",
    "label": "label",
    "class": "class evidence",
}

INTERVAL_LEGEND: dict[IntervalKind, str] = {
    "ci95": "[a–b] 95% confidence interval (published, or exact from counts)",
    "published-range": "(a–b) range of published figures, not a confidence interval",
    "strata": "a … b range over the strata the case leaves open",
    "none": "a figure without published bounds",
}

LEGEND = [
    *(INTERVAL_LEGEND[k] for k in ("ci95", "published-range", "strata")),
    "basis: " + ", ".join(f"{mark} {BASIS_WORDS[b]}" for b, mark in BASIS_MARKS.items()),
    "avg: annual risks averaged over the treatment horizon",
]
"""The symbols of every figure, one line each, for legends and help screens."""


def interval(
    low: float | None,
    high: float | None,
    kind: IntervalKind,
    fmt: Callable[[float], str] = number,
) -> str:
    """Bounds written so their kind shows: `[0–1.7]` CI, `(67–68)` range, `0.1 … 11` strata."""
    if low is None or high is None or kind == "none":
        return ""
    if kind == "strata":
        return f"{fmt(low)} … {fmt(high)}"
    text = f"{fmt(low)}–{fmt(high)}"
    return f"[{text}]" if kind == "ci95" else f"({text})"


def measurement(criterion: CriterionResult) -> str:
    """The context-adjusted measurement without its unit: `0 [0–1.74]`, `68 (67–68)`,
    `0.1 … 11 (strata)`, `no data`; `avg` marks a horizon average of exposure bands."""
    if criterion.status == "no-data" or (
        criterion.value is None and criterion.status != "stratum-range"
    ):
        return "no data"
    ev = criterion.evidence
    if criterion.status == "stratum-range":
        span = interval(criterion.low, criterion.high, "strata")
        return f"{span} (strata)" if span else "range (bounds not given)"
    assert criterion.value is not None
    text = number(criterion.value)
    bounds = interval(criterion.low, criterion.high, ev.interval_kind)
    if bounds and not (criterion.low == criterion.value == criterion.high):
        text += f" {bounds}"
    if ev.averaged_months is not None:
        text += " avg"
    return text


def figure(criterion: CriterionResult) -> str:
    """The measurement followed by its basis marker: `0 [0–1.74] M`."""
    mark = basis_mark(criterion)
    return f"{measurement(criterion)} {mark}" if mark else measurement(criterion)


def basis_mark(criterion: CriterionResult) -> str:
    """The one-letter basis marker of a figure ('' for no data)."""
    basis = criterion.evidence.basis
    return "" if basis is None or criterion.status == "no-data" else BASIS_MARKS[basis]


def _count(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.6g}"


def counts(ev: Evidence) -> str:
    """`0 events in 2,118 patient-years`, `12 of 942 patients over 2 years`, or ''."""
    if ev.events is None:
        return ""
    if ev.patient_years is not None:
        return f"{_count(ev.events)} events in {_count(ev.patient_years)} patient-years"
    if ev.patients is None:
        return ""
    text = f"{_count(ev.events)} of {_count(ev.patients)} patients"
    if ev.follow_up_years is not None:
        text += f" over {number(ev.follow_up_years)} years"
    return text


def raw_figure(f: Figure) -> str:
    """A profile figure as written: `0.1 [0–0.62]`, `68 (67–68)`, `0 events in 2,118
    patient-years`; '' when it gives no number."""
    if f.value is not None:
        text = number(f.value)
        if f.ci_low is not None and f.ci_high is not None:
            text += " " + interval(f.ci_low, f.ci_high, "ci95")
        elif f.low is not None and f.high is not None and f.low != f.high:
            text += " " + interval(f.low, f.high, "published-range")
        return text
    ev = Evidence(
        basis=None,
        extrapolated_from=None,
        interval_kind="none",
        events=f.events,
        patients=f.patients,
        patient_years=f.patient_years,
        follow_up_years=f.follow_up_years,
    )
    return counts(ev)


def band(stratum: Stratum) -> str:
    """`, months 13–24` for an exposure band; '' for none."""
    first, last = stratum.months_on_min, stratum.months_on_max
    if first is None and last is None:
        return ""
    if last is None:
        return f", from month {first}"
    return f", months {first or 1}–{last}"


def comparator(figure: ComparatorFigure) -> str:
    """`placebo arm: 0.3 [0.1–0.9]`."""
    bounds = interval(figure.low, figure.high, figure.interval_kind)
    return f"{figure.label}: {number(figure.value)}{' ' + bounds if bounds else ''}"


def difference(diff: Difference) -> str:
    """`difference +0.4 [−0.1–0.9]` (drug − comparator)."""
    text = f"difference {diff.value:+.6g}"
    if diff.low is not None and diff.high is not None:
        text += f" [{number(diff.low)} to {number(diff.high)}]"
    return text


def evidence(criterion: CriterionResult) -> str:
    """What the figure rests on, in words: basis, counts, conversion, interval, comparator."""
    ev = criterion.evidence
    if criterion.status == "no-data":
        return "no sourced figure: scored anywhere on the scale"
    parts: list[str] = []
    if ev.basis is not None:
        basis = BASIS_WORDS[ev.basis]
        if ev.extrapolated_from:
            basis += f" (from {ev.extrapolated_from})"
        parts.append(basis)
    if counts(ev):
        parts.append(counts(ev))
    if ev.converted:
        parts.append("converted to a rate per patient-year (constant hazard)")
    if ev.averaged_months is not None:
        first, last = ev.averaged_months
        parts.append(f"average of annual risks over months {first}–{last} of treatment")
    if criterion.status == "measured" and ev.interval_kind in ("ci95", "published-range"):
        parts.append(INTERVAL_LEGEND[ev.interval_kind].split(" ", 1)[1])
    if ev.data_cut:
        parts.append(f"data cut {ev.data_cut}")
    if ev.comparator is not None:
        parts.append(comparator(ev.comparator))
    if ev.difference is not None:
        parts.append(difference(ev.difference))
    return "; ".join(parts)


def contribution(criterion: CriterionResult) -> str:
    """Weighted contribution to the total, or its possible range when the value is undetermined."""
    if criterion.contribution is not None:
        return score(criterion.contribution)
    return f"{score(criterion.contribution_low)}–{score(criterion.contribution_high)}"


def total(drug: DrugResult) -> str:
    """The total value, or its (worst case–best case) range for an incomplete drug."""
    if drug.score is not None:
        return score(drug.score)
    low, high = drug.score_range
    return f"{score(low)}–{score(high)}"


def completeness(drug: DrugResult) -> str:
    """`complete`, or which weighted concerns lack a single value."""
    if drug.complete:
        return "complete"
    missing = [
        f"{c.label} ({'no data' if c.status == 'no-data' else 'range'})"
        for c in drug.criteria.values()
        if c.weight > 0 and c.status != "measured"
    ]
    return "incomplete: " + ", ".join(missing) if missing else "incomplete"


def reservation_status(restricted: bool, patient_meets: bool | None) -> str:
    if not restricted:
        return "not restricted"
    if patient_meets is None:
        return "restricted; unknown whether the patient qualifies"
    return (
        "restricted; patient qualifies" if patient_meets else "restricted; patient does not qualify"
    )


def context_rows(context: PatientContext) -> list[tuple[str, str]]:
    """(label, value) for every context field; unknown fields say `unknown`."""

    def known(value: object) -> str:
        return "unknown" if value is None else str(value)

    jcv: str = context.jcv_status
    if context.jcv_index is not None:
        jcv += f", index {number(context.jcv_index)}"
    course = None if context.course is None else _COURSE_NAMES.get(context.course, context.course)
    activity = None if context.activity is None else context.activity.replace("-", " ")
    return [
        ("Region (label)", region_name(context.region)),
        ("Disease course", known(course)),
        ("Disease activity", known(activity)),
        ("Prior DMTs", known(context.prior_dmts)),
        ("Prior immunosuppressant", yes_no_unknown(context.prior_immunosuppressant)),
        ("Anti-JCV antibodies", jcv),
        ("Current DMT", _current(context)),
        ("Months on current DMT", known(context.months_on_current)),
        ("Treatment horizon (months)", known(context.horizon_months or "default")),
        ("Autoimmune disease besides MS", yes_no_unknown(context.autoimmune_history)),
        ("Pregnancy planned", yes_no_unknown(context.pregnancy_planned)),
        ("Age", known(context.age)),
    ]


def _current(context: PatientContext) -> str:
    if context.current_dmt is None:
        return "unknown"
    return "none" if context.current_dmt == NO_CURRENT_DMT else context.current_dmt


def drug_name(result: Result, drug_id: str) -> str:
    """The name of a drug in the result (its id if absent)."""
    for drug in result.drugs:
        if drug.id == drug_id:
            return drug.name
    return drug_id
