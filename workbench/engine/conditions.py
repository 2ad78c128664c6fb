"""Three-valued evaluation of a profile `Condition` against the patient context.

True: the condition holds; False: it does not; None: the context does not tell (a field it needs is
unknown). Keys combine with AND: any False gives False, otherwise any unknown gives None.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from workbench.engine.context import NO_CURRENT_DMT, PatientContext
from workbench.profiles.records import Condition
from workbench.record import Record

Tri = bool | None
"""A three-valued truth: True, False or None (unknown)."""


def all_of(values: Iterable[Tri]) -> Tri:
    """Three-valued AND: any False → False; else any None → None; else True (empty → True)."""
    return _decided_by(False, values)


def any_of(values: Iterable[Tri]) -> Tri:
    """Three-valued OR: any True → True; else any None → None; else False (empty → False)."""
    return _decided_by(True, values)


def _decided_by(decisive: bool, values: Iterable[Tri]) -> Tri:
    """`decisive` if any value is it; else None if any is unknown; else the other truth."""
    unknown = False
    for value in values:
        if value is decisive:
            return decisive
        if value is None:
            unknown = True
    return None if unknown else not decisive


class Window(Record):
    """The months of treatment with one drug within the planned horizon, first to last (1-based,
    inclusive); both None when the exposure so far is unknown."""

    first: int | None
    last: int | None


UNKNOWN_WINDOW = Window(first=None, last=None)


def exposure_window(context: PatientContext, drug_id: str, horizon: int) -> Window:
    """Months on `drug_id` over the horizon: the current DMT continues from its exposure so far,
    and a previous one restarts after its earlier months (unknown when those are unknown); any
    other candidate starts now (months 1 to horizon)."""
    if context.current_dmt == drug_id and context.current_dmt != NO_CURRENT_DMT:
        done = context.months_on_current
        return UNKNOWN_WINDOW if done is None else Window(first=done + 1, last=done + horizon)
    for previous in context.previous_dmts or ():
        if previous.drug == drug_id:  # restarted: its earlier exposure counts (unknown: unknown)
            done = previous.months_on
            return UNKNOWN_WINDOW if done is None else Window(first=done + 1, last=done + horizon)
    return Window(first=1, last=horizon)


def _member(value: object | None, allowed: Sequence[object]) -> Tri:
    return None if value is None else value in allowed


def _at_least(value: float | None, bound: float) -> Tri:
    return None if value is None else value >= bound


def _at_least_known(p: PatientContext, bound: int) -> Tri:
    """With the count unknown, the DMTs the history shows already may reach the bound."""
    if p.prior_dmts is not None:
        return False
    return True if p.prior_dmts_min is not None and p.prior_dmts_min >= bound else None


def _at_most(value: float | None, bound: float) -> Tri:
    return None if value is None else value <= bound


def _above(value: float | None, bound: float) -> Tri:
    return None if value is None else value > bound


def _equals(value: bool | None, expected: bool) -> Tri:
    return None if value is None else value is expected


def _below(value: float | None, bound: float) -> Tri:
    return None if value is None else value < bound


def _any_member(values: Sequence[object] | None, wanted: Sequence[object]) -> Tri:
    """Any of `wanted` among a multi-valued field's `values` (None: unknown)."""
    return None if values is None else any(v in wanted for v in values)


def _autoimmune_types(p: PatientContext, wanted: Sequence[str]) -> Tri:
    """A type among the known types; with the types unknown, "no autoimmune disease" decides."""
    if p.autoimmune_types is None:
        return False if p.autoimmune_history is False else None
    return _any_member(p.autoimmune_types, wanted)


def _activity(context: PatientContext, allowed: Sequence[str]) -> Tri:
    """The activity given, or else the levels the facts leave possible: all allowed → True,
    none → False, some → unknown."""
    if context.activity is not None:
        return context.activity in allowed
    possible = context.activity_range
    if not possible:
        return None
    inside = [level in allowed for level in possible]
    return True if all(inside) else False if not any(inside) else None


def _definition(context: PatientContext, ids: Sequence[str]) -> Tri:
    """Any of these definitions met by the facts (unknown when one is undecided)."""
    if any(i in context.definitions_met for i in ids):
        return True
    return None if any(i in context.definitions_open for i in ids) else False


def _jcv_status(context: PatientContext, allowed: Sequence[str]) -> Tri:
    # "unknown" is a literal status a condition may name (e.g. "test before starting");
    # otherwise an unknown status leaves the condition undetermined.
    if context.jcv_status == "unknown" and "unknown" not in allowed:
        return None
    return context.jcv_status in allowed


def _conception(context: PatientContext, allowed: Sequence[str]) -> Tri:
    """'unknown' is a state a condition may list; an unknown plan not listed stays undecided."""
    planned = context.conception_planned
    if planned is None:
        return True if "unknown" in allowed else None
    return ("planned" if planned else "not-planned") in allowed


def _checks(c: Condition, p: PatientContext, w: Window) -> Iterator[Tri]:
    """One three-valued check per key given in the condition."""
    if c.region is not None:
        yield p.region in c.region
    if c.course is not None:
        yield _member(p.course, c.course)
    if c.activity is not None:
        yield _activity(p, c.activity)
    if c.min_prior_dmts is not None:
        yield _at_least(p.prior_dmts, c.min_prior_dmts) or _at_least_known(p, c.min_prior_dmts)
    if c.max_prior_dmts is not None:
        over = p.prior_dmts_min is not None and p.prior_dmts_min > c.max_prior_dmts
        yield False if over else _at_most(p.prior_dmts, c.max_prior_dmts)
    if c.prior_immunosuppressant is not None:
        yield _equals(p.prior_immunosuppressant, c.prior_immunosuppressant)
    if c.jcv_status is not None:
        yield _jcv_status(p, c.jcv_status)
    if c.jcv_index_above is not None:
        yield _above(p.jcv_index, c.jcv_index_above)
    if c.jcv_index_at_most is not None:
        yield _at_most(p.jcv_index, c.jcv_index_at_most)
    if c.months_on_min is not None:  # reached at some time within the horizon
        yield _at_least(w.last, c.months_on_min)
    if c.months_on_max is not None:
        yield _at_most(w.first, c.months_on_max)
    if c.autoimmune_history is not None:
        yield _equals(p.any_autoimmune, c.autoimmune_history)
    if c.pregnancy_planned is not None:
        yield _equals(p.conception_planned, c.pregnancy_planned)
    if c.sex is not None:
        yield None if p.sex == "unknown" and "unknown" not in c.sex else p.sex in c.sex
    if c.adequate_course is not None:
        yield _equals(p.adequate_course, c.adequate_course)
    if c.age_min is not None:
        yield _at_least(p.age, c.age_min)
    if c.age_max is not None:
        yield _at_most(p.age, c.age_max)
    if c.relapses_12m_min is not None:
        yield _at_least(p.relapses_12m, c.relapses_12m_min)
    if c.relapses_24m_min is not None:
        yield _at_least(p.relapses_24m, c.relapses_24m_min)
    if c.new_t2_12m_min is not None:
        yield _at_least(p.new_t2_12m, c.new_t2_12m_min)
    if c.gd_lesions_min is not None:
        yield _at_least(p.gd_lesions, c.gd_lesions_min)
    if c.t2_lesions_min is not None:
        yield _at_least(p.t2_lesions, c.t2_lesions_min)
    if c.activity_on_current is not None:
        yield _equals(p.activity_on_current, c.activity_on_current)
    if c.on_current_after_onset is not None:
        yield _equals(p.after_onset, c.on_current_after_onset)
    if c.definition_met is not None:
        yield _definition(p, c.definition_met)
    if c.conception is not None:
        yield _conception(p, c.conception)
    yield from _patient_checks(c, p)


def _patient_checks(c: Condition, p: PatientContext) -> Iterator[Tri]:
    """The checks of the patient's history, laboratory values, screening and comorbidities."""
    if c.autoimmune_types is not None:
        yield _autoimmune_types(p, c.autoimmune_types)
    if c.comorbidities is not None:
        yield _any_member(p.comorbidities, c.comorbidities)
    if c.lymphocytes_below is not None:
        yield _below(p.lymphocytes, c.lymphocytes_below)
    if c.lymphocytes_at_least is not None:
        yield _at_least(p.lymphocytes, c.lymphocytes_at_least)
    if c.lymphopenia_months_over is not None:
        yield _above(p.lymphopenia_months, c.lymphopenia_months_over)
    if c.igg_below_lln is not None:
        yield _equals(p.igg_below_lln, c.igg_below_lln)
    if c.natalizumab_dosing is not None:
        yield p.natalizumab_dosing in c.natalizumab_dosing
    if c.breastfeeding is not None:
        yield _member(p.breastfeeding, c.breastfeeding)
    for key in SCREENING_KEYS:
        wanted = getattr(c, key)
        if wanted is not None:
            yield _member(getattr(p, key), wanted)
    if c.live_vaccine_recent is not None:
        yield _equals(p.live_vaccine_recent, c.live_vaccine_recent)


SCREENING_KEYS = ("hbsag", "anti_hbc", "vzv_igg", "tb_screen", "hiv")
"""Condition keys (and context fields) of the screening tests."""


CONDITION_WORDS: dict[str, str] = {
    "region": "region",
    "course": "course",
    "activity": "activity",
    "min_prior_dmts": "prior DMTs ≥",
    "max_prior_dmts": "prior DMTs ≤",
    "prior_immunosuppressant": "prior immunosuppressant",
    "jcv_status": "anti-JCV",
    "jcv_index_above": "anti-JCV index >",
    "jcv_index_at_most": "anti-JCV index ≤",
    "months_on_min": "months on this drug (within the horizon) ≥",
    "months_on_max": "months on this drug (within the horizon) ≤",
    "autoimmune_history": "autoimmune history",
    "pregnancy_planned": "pregnancy planned",
    "sex": "sex",
    "adequate_course": "full and adequate course",
    "age_min": "age ≥",
    "age_max": "age ≤",
    "autoimmune_types": "autoimmune disease:",
    "comorbidities": "comorbidity:",
    "lymphocytes_below": "lymphocytes (10^9/L) <",
    "lymphocytes_at_least": "lymphocytes (10^9/L) ≥",
    "lymphopenia_months_over": "months with lymphocytes < 0.5 >",
    "igg_below_lln": "IgG below the lower limit",
    "natalizumab_dosing": "natalizumab dosing",
    "breastfeeding": "breastfeeding",
    "hbsag": "HBsAg",
    "anti_hbc": "anti-HBc",
    "vzv_igg": "VZV IgG",
    "tb_screen": "TB screen",
    "hiv": "HIV test",
    "live_vaccine_recent": "live vaccine in the last 4-6 weeks",
    "relapses_12m_min": "relapses in the last 12 months ≥",
    "relapses_24m_min": "relapses in the last 24 months ≥",
    "new_t2_12m_min": "new or enlarging T2 lesions in 12 months ≥",
    "gd_lesions_min": "Gd-enhancing lesions ≥",
    "t2_lesions_min": "T2 lesions in all ≥",
    "activity_on_current": "activity on the current DMT",
    "on_current_after_onset": "activity on the current DMT after its onset time",
    "definition_met": "definition met:",
    "conception": "conception",
}
"""How each condition key reads in words; every key of `Condition` has an entry (tested)."""


def describe_condition(condition: Condition, keys: Iterable[str] | None = None) -> str:
    """A condition in words, e.g. 'prior DMTs ≥ 1 and anti-JCV positive' (only `keys`, if given)."""
    wanted = set(CONDITION_WORDS if keys is None else keys)
    parts: list[str] = []
    for key, words in CONDITION_WORDS.items():
        value = getattr(condition, key)
        if value is None or key not in wanted:
            continue
        if isinstance(value, bool):
            parts.append(f"{words}: {'yes' if value else 'no'}")
        elif isinstance(value, list | tuple):
            parts.append(f"{words} {' or '.join(str(v) for v in value)}")
        else:
            parts.append(f"{words} {value:g}")
    return " and ".join(parts) or "always"


def unknown_facts(
    conditions: Iterable[Condition], context: PatientContext, window: Window = UNKNOWN_WINDOW
) -> tuple[str, ...]:
    """The facts the case leaves unknown that keep `conditions` undecided, in words and without
    their bounds ('full and adequate course', 'prior DMTs'), each once: what to ask."""
    found: dict[str, None] = {}
    for condition in conditions:
        if evaluate_condition(condition, context, window) is not None:
            continue
        for key, words in CONDITION_WORDS.items():
            value = getattr(condition, key)
            single = Condition(**{key: value}) if value is not None else None
            if single is not None and evaluate_condition(single, context, window) is None:
                found[words.rstrip(" ≥≤>")] = None
    return tuple(found)


def undecided_part(condition: Condition, context: PatientContext, window: Window) -> str:
    """The keys of a condition the case leaves undecided, in words ('pregnancy planned: yes')."""
    keys = [
        key
        for key in CONDITION_WORDS
        if getattr(condition, key) is not None
        and evaluate_condition(Condition(**{key: getattr(condition, key)}), context, window) is None
    ]
    return describe_condition(condition, keys)


def evaluate_condition(
    condition: Condition | None, context: PatientContext, window: Window = UNKNOWN_WINDOW
) -> Tri:
    """Whether `condition` holds for `context` (and, for exposure keys, at some time within the
    drug's treatment `window`): True, False or None (unknown). Absent → True."""
    if condition is None:
        return True
    return all_of(_checks(condition, context, window))
