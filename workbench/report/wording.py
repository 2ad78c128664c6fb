"""Plain-text wording shared by the renderers: numbers, measurement cells, the case context.

Only formatting lives here; every number shown was computed by the engine or read from a profile.
"""

from __future__ import annotations

from workbench.engine.context import PatientContext
from workbench.engine.result import CriterionResult, DrugResult, Result

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


def measurement(criterion: CriterionResult) -> str:
    """The context-adjusted measurement without its unit: `68 (60–74)`, `0.1–11 (…)`, `no data`.

    Bounds are shown when they differ from the value itself.
    """
    if criterion.status == "no-data":
        return "no data"
    if criterion.status == "stratum-range":
        span = _span(criterion.low, criterion.high)
        return f"{span} (stratum unknown)" if span else "range (bounds not given)"
    if criterion.value is None:
        return "no data"
    if criterion.low == criterion.value and criterion.high == criterion.value:
        return number(criterion.value)
    span = _span(criterion.low, criterion.high)
    return f"{number(criterion.value)} ({span})" if span else number(criterion.value)


def _span(low: float | None, high: float | None) -> str:
    if low is None and high is None:
        return ""
    return f"{'?' if low is None else number(low)}–{'?' if high is None else number(high)}"


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
        (_humanize("months_on_natalizumab"), known(context.months_on_natalizumab)),
        ("Autoimmune disease besides MS", yes_no_unknown(context.autoimmune_history)),
        ("Pregnancy planned", yes_no_unknown(context.pregnancy_planned)),
        ("Age", known(context.age)),
    ]


def _humanize(field: str) -> str:
    return field.replace("_", " ").capitalize()


def drug_name(result: Result, drug_id: str) -> str:
    """The name of a drug in the result (its id if absent)."""
    for drug in result.drugs:
        if drug.id == drug_id:
            return drug.name
    return drug_id
