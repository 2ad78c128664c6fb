"""The one vocabulary of every renderer: numbers, percentages, intervals, status words and symbols.

The app's table, notes and help, the text table, the case note and CSV all format through this
module, so one figure or status reads the same everywhere. Only formatting lives here; every
number shown was computed by the engine or read from a profile.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Sequence

from workbench.engine.context import (
    NO_CURRENT_DMT,
    PatientContext,
    context_field,
    context_fields,
)
from workbench.engine.monitoring_calendar import add_months
from workbench.engine.result import (
    AppliedModifier,
    CheckResult,
    ComparatorFigure,
    CriterionResult,
    Difference,
    DrugResult,
    Evidence,
    Flag,
    ReservationStatus,
    Result,
    SmaaSummary,
    Tier,
)
from workbench.profiles.records import Figure, Stratum
from workbench.profiles.vocabulary import Basis, FlagLevel, IntervalKind

DISCLAIMER = "Decision support, not a prescription: the treating clinician decides."

_REGION_NAMES = dict(context_field("region").declared.words)


SIGNIFICANT_DIGITS = 3


def number(value: float, digits: int = SIGNIFICANT_DIGITS) -> str:
    """A figure to 3 (or `digits`) significant digits in plain notation (`0.0107`, `69.8`,
    `2118`)."""
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(0, digits - 1 - magnitude)
    text = f"{round(value, decimals):.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def score(value: float) -> str:
    """A value score, contribution or total (0–1) to 3 decimals."""
    return f"{value:.3f}"


def percent(fraction: float) -> str:
    """A fraction 0–1 as a percentage with one decimal."""
    return f"{100 * fraction:.1f}%"


FLAG_MARKS: dict[FlagLevel, str] = {"contraindication": "✖", "warning": "▲", "info": "i"}
"""Symbol per flag level; an undecided flag adds UNDECIDED_MARK (`✖?`)."""
UNDECIDED_MARK = "?"
FLAG_IF: dict[FlagLevel, str] = {
    "contraindication": "contraindicated if",
    "warning": "warning if",
    "info": "applies if",
}


def flag_mark(flag: Flag) -> str:
    """`✖`, or `✖?` for a flag whose condition the case leaves undecided."""
    return FLAG_MARKS[flag.level] + (UNDECIDED_MARK if flag.undecided else "")


FLAG_DEPENDS: dict[FlagLevel, str] = {
    "contraindication": "contraindicated depending on",
    "warning": "warning depending on",
    "info": "applies depending on",
}
"""Before an undecided condition that is a question (`whether conception is planned`)."""


def flag_heading(flag: Flag) -> str:
    """`contraindication` or, undecided, `contraindicated if pregnancy planned: yes` (or
    `contraindicated depending on whether conception is planned`)."""
    if flag.undecided:
        words = FLAG_DEPENDS if flag.undecided.startswith("whether ") else FLAG_IF
        return f"{words[flag.level]} {flag.undecided}"
    return flag.level


def flag_counts(flags: Iterable[Flag]) -> str:
    """Counts by level and decidedness: `✖1 ✖?1 ▲2 i3` ('none' without flags)."""
    counts: dict[str, int] = {}
    for flag in flags:
        counts[flag_mark(flag)] = counts.get(flag_mark(flag), 0) + 1
    order = [m + u for m in FLAG_MARKS.values() for u in ("", UNDECIDED_MARK)]
    return " ".join(f"{mark}{counts[mark]}" for mark in order if mark in counts) or "none"


RESERVATION_WORDS: dict[bool | None, tuple[str, str]] = {
    True: ("✓", "meets"),
    False: ("✗", "not met"),
    None: ("?", "unknown"),
}
"""Patient status of a restricted drug → (symbol, word)."""
UNRESTRICTED = ("–", "unrestricted")


def reservation(status: ReservationStatus | None) -> str:
    """`– unrestricted`, `✓ meets`, `✗ not met`, `? unknown`, or `no label`."""
    if status is None:
        return "no label"
    symbol, word = (
        UNRESTRICTED if not status.restricted else RESERVATION_WORDS[status.patient_meets]
    )
    return f"{symbol} {word}"


TIER_WORDS: dict[Tier, str] = {
    "eligible": "Eligible",
    "outside-label": "Outside the label",
    "contraindicated": "Contraindicated",
}


NOT_RANKED = "not ranked on these weights"


def group_heading(drug: DrugResult, rank_mode: str) -> str:
    """The heading of the group a drug is listed in: its tier (unless ranked all together) and,
    without evidence on a weighted concern, `not ranked on these weights`."""
    parts = [] if rank_mode == "all-together" else [TIER_WORDS[drug.eligibility.tier]]
    if not drug.ranked:
        parts.append(NOT_RANKED)
    return " — ".join(parts) or "Ranked together"


def rank_range(drug: DrugResult) -> str:
    """`could rank #3–#11: PML risk no data` for a drug not ranked ('' when ranked)."""
    if drug.ranked:
        return ""
    gaps = ", ".join(f"{label} no data" for label in drug.unranked_because)
    if drug.rank_range is None:
        return "no evidence on " + ", ".join(drug.unranked_because)
    best, worst = drug.rank_range
    ranks = f"#{best}" if best == worst else f"#{best}–#{worst}"
    return f"could rank {ranks}: {gaps}"


def tier_reasons(drug: DrugResult) -> str:
    """Why the drug is where it is, and what the case leaves open, in one line."""
    parts = [*drug.eligibility.reasons, *drug.eligibility.possible]
    if not drug.ranked:
        parts.append(rank_range(drug))
    return "; ".join(parts)


def rank(drug: DrugResult) -> str:
    """`#2`, or `–` for a drug not ranked on these weights (its group heading says so)."""
    return f"#{drug.rank}" if drug.ranked else "–"


def range_mark(drug: DrugResult) -> str:
    """`range` beside a ranked drug whose total is a range (ranked at its worst case); ''
    otherwise."""
    return "range" if drug.ranked and not drug.complete else ""


def smaa_rank(drug: DrugResult) -> str:
    """`P(first) 34.5% · expected rank 2.1` ('' without SMAA)."""
    if drug.p_first is None or drug.expected_rank is None:
        return ""
    return f"P(first) {percent(drug.p_first)} · expected rank {drug.expected_rank:.1f}"


def disagreement(result: Result) -> str:
    """A sentence when SMAA's most probable first drug among the top drug's group (the drugs it
    competes with) is not the table's #1 ('' otherwise); it says which drugs it compared."""
    if result.most_probable_first is None or not result.drugs:
        return ""
    top = result.drugs[0]
    if result.most_probable_first == top.id:
        return ""
    likely = next(d for d in result.drugs if d.id == result.most_probable_first)
    group = group_heading(top, result.rank_mode).lower()
    count = len(result.smaa_compared)
    return (
        f"Uncertainty: {likely.name}, not {top.name}, is most often first among the {count} "
        f"drugs of the first group ({group}) when the figures are drawn from their evidence "
        "(SMAA)."
    )


def smaa_command(smaa: SmaaSummary, rank_mode: str) -> str:
    """The `workbench compare` command that repeats an SMAA run on a saved case."""
    rank = "" if rank_mode == "tiers" else f" --rank {rank_mode}"
    command = (
        f"workbench compare --session CASE.toml --smaa {smaa.iterations} --seed {smaa.seed} "
        f"--smaa-weights {smaa.weight_mode}{rank}"
    )
    if smaa.spread is not None:
        command += f" --smaa-spread {smaa.spread:g}"
    return command


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
    "ext: extrapolated beyond the last exposure band of the source's table",
    "×: a risk modifier of this patient changed the figure (×?: the case leaves it open)",
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
    if ev.extrapolated_beyond is not None:
        text += " ext"
    return text


def modified_mark(criterion: CriterionResult) -> str:
    """` ×` when a risk modifier changed the figure, ` ×?` when the case leaves one open."""
    modifiers = criterion.evidence.modifiers
    if not modifiers:
        return ""
    return " ×" if all(m.applies for m in modifiers) else " ×?"


def figure(criterion: CriterionResult) -> str:
    """The measurement followed by its basis marker (and ` ×` / ` ×?` for a risk modifier
    applied / left open): `0 [0–1.74] M`."""
    mark = basis_mark(criterion)
    shown = f"{measurement(criterion)} {mark}" if mark else measurement(criterion)
    return shown + modified_mark(criterion)


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
    sign = "+" if diff.value > 0 else ""
    text = f"difference {sign}{number(diff.value)}"
    if diff.low is not None and diff.high is not None:
        text += f" [{number(diff.low)} to {number(diff.high)}]"
    return text


def _cite_ids(ids: Sequence[str]) -> str:
    return f" [{', '.join(ids)}]" if ids else ""


def modifier(m: AppliedModifier, cite: Callable[[Sequence[str]], str] = _cite_ids) -> str:
    """`× 2.56 [1.4–4.29] for IgG below the lower limit [source]`; an undecided one says the
    figure spans the case with and without it."""
    ratio = f"× {number(m.ratio)}"
    bounds = interval(m.low, m.high, m.interval_kind)
    if bounds:
        ratio += f" {bounds}"
    if m.applies:
        return f"{ratio} for {m.label}{cite(m.sources)}"
    return (
        f"{ratio} if {m.label} (undecided: {m.undecided}; the figure spans the case with and "
        f"without it){cite(m.sources)}"
    )


CHECK_WORDS: dict[str, str] = {
    "done": "done",
    "due": "due",
    "blocks": "blocks the start",
    "unknown": "unknown",
}
"""A pre-treatment check's status in words."""


def check(item: CheckResult) -> str:
    """`HBV screening (HBsAg, anti-HBc): blocks the start — <label text>`."""
    return f"{item.item}: {CHECK_WORDS[item.status]} — {item.text}"


def confirmation(ev: Evidence) -> str:
    """'progression confirmed over 24 weeks; at 12 weeks: HR 0.58 [0.43–0.77]'."""
    text = f"progression confirmed over {ev.confirmation_weeks} weeks"
    for other in ev.other_confirmations:
        figure = ""
        if other.hazard_ratio is not None:
            figure = f": HR {number(other.hazard_ratio)}"
            if other.hr_ci_low is not None and other.hr_ci_high is not None:
                figure += " " + interval(other.hr_ci_low, other.hr_ci_high, "ci95")
        text += f"; at {other.weeks} weeks{figure}"
    return text


def evidence(criterion: CriterionResult, cite: Callable[[Sequence[str]], str] = _cite_ids) -> str:
    """What the figure rests on, in words: basis, counts, conversion, interval, comparator, the
    risk modifiers applied (each with its sources, through `cite`)."""
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
    if ev.extrapolated_beyond is not None:
        parts.append(f"extrapolated beyond month {ev.extrapolated_beyond}")
    if cumulative(ev):
        parts.append(f"cumulative {cumulative(ev)}")
    if criterion.status == "measured" and ev.interval_kind in ("ci95", "published-range"):
        parts.append(INTERVAL_LEGEND[ev.interval_kind].split(" ", 1)[1])
    if ev.confirmation_weeks is not None:
        parts.append(confirmation(ev))
    if ev.data_cut:
        parts.append(f"data cut {ev.data_cut}")
    if ev.comparator is not None:
        parts.append(comparator(ev.comparator))
    if ev.difference is not None:
        parts.append(difference(ev.difference))
    parts.extend(modifier(m, cite) for m in ev.modifiers)
    return "; ".join(parts)


def cumulative(ev: Evidence) -> str:
    """The risk over the horizon beside a per-year figure: `39.4 [21–60] in 1,000 over 48
    months`, `4.1 … 39 in 1,000 over 48 months` for open strata; '' for none."""
    c = ev.cumulative
    if c is None:
        return ""
    over = f"in {_count(c.per)} over {c.months} months"
    if c.value is None:
        span = interval(c.low, c.high, "strata")
        return f"{span} {over}" if span else ""
    text = number(c.value)
    kind: IntervalKind = ev.interval_kind if ev.interval_kind != "none" else "strata"
    if c.low is not None and c.high is not None and c.low != c.high:
        text += f" {interval(c.low, c.high, kind)}"
    return f"{text} {over}"


def smaa_cumulative(result: Result, drug: DrugResult) -> list[str]:
    """`Natalizumab, PML risk: 30.1–48.7 in 1,000 over 48 months` for each sampled per-year
    figure of the drug (SMAA's draws converted to the risk over the horizon)."""
    spans = drug.smaa_cumulative or {}
    lines = []
    for criterion in result.criteria:
        span = spans.get(criterion.id)
        found = drug.criteria.get(criterion.id)
        cumulative = None if found is None else found.evidence.cumulative
        if span is None or cumulative is None:
            continue
        over = f"in {_count(cumulative.per)} over {cumulative.months} months"
        lines.append(f"{drug.name}, {criterion.label}: {number(span[0])}–{number(span[1])} {over}")
    return lines


def monitoring_calendar(drug: DrugResult, today: dt.date) -> tuple[str, list[str]]:
    """The drug's dated monitoring from `today`: a heading (the first dose, the regimen, the end
    of monitoring) and per dated item its dates (all of them up to 6, else the first, the last
    and the count). A drug started now has its first dose today; the current DMT is at its
    months so far (dates before today are left out). ('', []) when nothing is dated."""
    plan, done = drug.monitoring_plan, drug.months_on
    if plan is None or done is None:
        return "", []
    lines: list[str] = []
    for item in drug.monitoring:
        days = [add_months(today, m - done) for m in item.months if m >= done]
        if not days:
            continue
        shown = (
            ", ".join(d.isoformat() for d in days)
            if len(days) <= 6
            else f"{len(days)} dates, {days[0].isoformat()} to {days[-1].isoformat()}"
        )
        lines.append(f"{item.test}: {shown} ({item.frequency})")
    if not lines:
        return "", []
    start = "first dose today" if done == 0 else f"month {done} of treatment today"
    end = add_months(today, max(plan.end_month - done, 0)).isoformat()
    return f"{start}, {today.isoformat()}; {plan.regimen}; monitoring until {end}", lines


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


def context_rows(
    context: PatientContext, derived: PatientContext | None = None, horizon: int | None = None
) -> list[tuple[str, str]]:
    """(label, value) for every declared context field; unknown fields say `unknown`; with
    `derived`, prior DMTs and immunosuppressant not given show the value from the history."""
    return [
        (
            f.declared.label,
            context_value(
                context, f.name, derived, horizon if f.declared.unknown == "default" else None
            ),
        )
        for f in context_fields()
    ]


def _current(context: PatientContext) -> str:
    if context.current_dmt is None:
        return "unknown"
    return "none" if context.current_dmt == NO_CURRENT_DMT else context.current_dmt


def context_value(
    context: PatientContext,
    name: str,
    derived: PatientContext | None = None,
    default_months: int | None = None,
) -> str:
    """One context field in words, as the case note and the app show it, by its declaration:
    its kind, its words for values and for unknown, whether the engine derives it (`derived`: the
    context with the history's values) and `default_months`, what the engine used for a field
    whose unknown is its default (the treatment horizon)."""
    declared = context_field(name).declared
    value = getattr(context, name)
    if value is None and derived is not None and declared.from_history:
        found = getattr(derived, name)
        if found is not None:
            shown = yes_no_unknown(found) if isinstance(found, bool) else str(found)
            return f"{shown} (from the history)"
        at_least = getattr(derived, f"{name}_min", None)  # a lower bound the history gives
        if at_least:
            return f"at least {at_least} (from the history)"
    if declared.kind == "drug":
        return _current(context)
    if declared.kind == "history":
        return _previous(context)
    if declared.kind == "conception":
        return _conception(context)
    if value is None and declared.unknown != "unknown":
        return declared.unknown + ("" if default_months is None else f" ({months(default_months)})")
    if isinstance(value, tuple):  # a multi-valued field: () is none
        return ", ".join(str(v) for v in value) or "none"
    if isinstance(value, bool) or value is None:
        return yes_no_unknown(value)
    if isinstance(value, float):
        return number(value)
    return dict(declared.words).get(str(value), str(value))


def _previous(context: PatientContext) -> str:
    if context.previous_dmts is None:
        return "unknown"
    if not context.previous_dmts:
        return "none"
    parts: list[str] = []
    for p in context.previous_dmts:
        details = []
        if p.months_since_stop is not None:
            details.append(f"stopped {months(p.months_since_stop)} ago")
        if p.months_on is not None:
            details.append(f"{months(p.months_on)} on it")
        parts.append(p.drug + (f" ({', '.join(details)})" if details else ""))
    return "; ".join(parts)


def _conception(context: PatientContext) -> str:
    plan = context.conception_planned_in_months
    if plan is None:
        return "unknown"
    if plan == "not-planned":
        return "not planned"
    if plan == "planned":
        return "planned, timing unknown"
    return f"in {months(plan)}"


def months(count: int) -> str:
    """`1 month`, `0 months`, `18 months`."""
    return f"{count} month" if count == 1 else f"{count} months"


def preset(result: Result) -> str:
    """'Weights: preset <label> — source: …', or that the importances are the user's own."""
    used = result.preset
    if used is None:
        return "Weights: your own importances (no preset)."
    return f"Weights: preset {used.label} ({used.id}) — source: {used.source}"


def not_relevant(result: Result) -> list[str]:
    """'Pregnancy wait: not relevant — no pregnancy planned …' per concern that does not apply."""
    labels = {c.id: c.label for c in result.criteria}
    return [
        f"{labels.get(cid, cid)}: not relevant — {why} (weight 0 for this patient; the other "
        "weights re-normalised)"
        for cid, why in (result.not_relevant or {}).items()
    ]


def drug_name(result: Result, drug_id: str) -> str:
    """The name of a drug in the result (its id if absent)."""
    for drug in result.drugs:
        if drug.id == drug_id:
            return drug.name
    return drug_id


GUIDELINE_PREFIX = "guideline-"
"""The code prefix of flags raised by guideline rules."""


def rules_fired(result: Result) -> list[str]:
    """The guideline rules raised, each with the drugs it concerns ("may" for undecided ones)."""
    fired: dict[str, list[str]] = {}
    for drug in result.drugs:
        for flag in drug.flags:
            if flag.code.startswith(GUIDELINE_PREFIX):
                name = drug.name + (" (may apply)" if flag.undecided else "")
                fired.setdefault(flag.code.removeprefix(GUIDELINE_PREFIX), []).append(name)
    return [f"{rule}: {', '.join(names)}" for rule, names in fired.items()]


def activity_lines(result: Result) -> list[str]:
    """Disease activity and the definition used, any conflict with the given activity, and the
    guideline rules raised: the same words in every output."""
    lines: list[str] = []
    if result.activity is not None:
        lines.append(result.activity.summary)
        if result.activity.conflict:
            lines.append(f"Conflict: {result.activity.conflict}")
    fired = rules_fired(result)
    if fired:
        lines.append("Guideline rules raised (flags, never a change of rank): " + "; ".join(fired))
    else:
        lines.append("Guideline rules raised: none for this case.")
    return lines
