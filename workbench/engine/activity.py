"""Disease activity from the case's facts, by the label and guideline definitions of criteria.toml.

Each `[[definitions]]` entry is applied to the facts (relapses, lesions, whether the activity
happened on the current DMT after its onset time): met, not met, or undecided with the facts it
lacks. The activity level is the highest one a met definition establishes; levels a definition
leaves undecided stay possible (`activity_range`). An explicit `--activity` always wins, and a
conflict between it and the facts is stated, never silently resolved.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from workbench.engine.conditions import Tri, any_of, evaluate_condition
from workbench.engine.context import NO_CURRENT_DMT, PatientContext, context_fields
from workbench.engine.result import ActivityAssessment, DefinitionFinding
from workbench.profiles.library import Library
from workbench.profiles.records import Condition, Definition, Profile
from workbench.profiles.vocabulary import ACTIVITIES, Activity

FACTS = (
    "relapses_12m",
    "relapses_24m",
    "new_t2_12m",
    "gd_lesions",
    "t2_lesions",
    "activity_on_current",
)
"""The context fields the definitions are applied to."""

_KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "relapses_12m_min": ("relapses_12m",),
    "relapses_24m_min": ("relapses_24m",),
    "new_t2_12m_min": ("new_t2_12m",),
    "gd_lesions_min": ("gd_lesions",),
    "t2_lesions_min": ("t2_lesions",),
    "activity_on_current": ("activity_on_current",),
    "on_current_after_onset": ("activity_on_current", "current_dmt", "months_on_current"),
    "adequate_course": ("adequate_course",),
    "activity": ("activity",),
}
"""A condition key → the context fields it reads (to name what is missing)."""

_LABELS = {f.name: f.declared.label for f in context_fields()}


def current_profile(context: PatientContext, library: Library) -> Profile | None:
    """The current DMT's profile (None: no current DMT, unknown, or no profile)."""
    if context.current_dmt in (None, NO_CURRENT_DMT):
        return None
    return next((p for p in library.profiles if p.id == context.current_dmt), None)


def after_onset(context: PatientContext, library: Library) -> Tri:
    """The activity happened on the current DMT once its onset time had passed: on it, and the
    months on it reach the onset time of its profile (unknown when either is unknown)."""
    if context.activity_on_current is not True:
        return context.activity_on_current
    current = current_profile(context, library)
    if current is None or current.onset is None or context.months_on_current is None:
        return None
    return context.months_on_current >= current.onset.months


def _verdict(definition: Definition, context: PatientContext) -> Tri:
    met = any_of(evaluate_condition(c, context) for c in definition.met_when)
    if met is not True and any(evaluate_condition(c, context) for c in definition.open_when):
        return None
    return met


def apply_facts(context: PatientContext, library: Library) -> PatientContext:
    """The context with what the facts give: onset, the definitions met or open and the possible
    activity levels. Without any fact given, the context is returned as it is."""
    if all(getattr(context, name) is None for name in FACTS):
        return context
    context = context.replace(after_onset=after_onset(context, library))
    verdicts = {d.id: _verdict(d, context) for d in library.definitions}
    context = context.replace(
        definitions_met=tuple(i for i, v in verdicts.items() if v is True),
        definitions_open=tuple(i for i, v in verdicts.items() if v is None),
    )
    return context.replace(activity_range=possible_levels(library.definitions, verdicts))


def possible_levels(
    definitions: Sequence[Definition], verdicts: dict[str, Tri]
) -> tuple[Activity, ...]:
    """The activity levels the verdicts leave possible: the highest level a met definition
    establishes (else inactive), and every higher level an undecided definition may establish."""
    by_level: dict[Activity, list[Tri]] = {}
    for definition in definitions:
        if definition.kind == "activity" and definition.establishes is not None:
            by_level.setdefault(definition.establishes, []).append(verdicts[definition.id])
    level_verdict = {level: any_of(found) for level, found in by_level.items()}
    met = [level for level in ACTIVITIES if level_verdict.get(level) is True]
    floor: Activity = met[-1] if met else ACTIVITIES[0]
    start = ACTIVITIES.index(floor)
    higher = [
        level
        for level in ACTIVITIES[start + 1 :]
        if level in level_verdict and level_verdict[level] is None
    ]
    return (floor, *higher)


def missing_facts(conditions: Iterable[Condition], context: PatientContext) -> tuple[str, ...]:
    """The unknown context fields the conditions read, as labels."""
    missing: dict[str, None] = {}
    for condition in conditions:
        for key, fields in _KEY_FIELDS.items():
            if getattr(condition, key) is None:
                continue
            for name in fields:
                if getattr(context, name) is None:
                    missing[_LABELS.get(name, name)] = None
    return tuple(missing)


def _facts_words(condition: Condition, context: PatientContext, library: Library) -> str:
    """The facts that meet one alternative, with their thresholds, in words."""
    parts: list[str] = []
    for key, fields in _KEY_FIELDS.items():
        wanted = getattr(condition, key)
        if wanted is None:
            continue
        name = fields[0]
        if key == "on_current_after_onset":
            current = current_profile(context, library)
            onset = "" if current is None or current.onset is None else current.onset.months
            drug = context.current_dmt if current is None else current.name
            parts.append(
                f"activity on {drug} after its onset time ({context.months_on_current} months "
                f"on it, onset {onset} months)"
            )
        elif isinstance(wanted, bool):
            parts.append(f"{_LABELS[name]}: {'yes' if wanted else 'no'}")
        elif isinstance(wanted, int):
            parts.append(f"{_LABELS[name]}: {getattr(context, name)} (≥ {wanted})")
        else:
            parts.append(f"{_LABELS[name]}: {getattr(context, name)}")
    return "; ".join(parts)


def _finding(
    definition: Definition, context: PatientContext, library: Library
) -> DefinitionFinding:
    verdict = _verdict(definition, context)
    facts = ""
    missing: tuple[str, ...] = ()
    reason = None
    if verdict is True:
        first = next(c for c in definition.met_when if evaluate_condition(c, context) is True)
        facts = _facts_words(first, context, library)
    elif verdict is None:
        opened = [c for c in definition.open_when if evaluate_condition(c, context) is True]
        if opened:
            reason = definition.open_reason
            facts = _facts_words(opened[0], context, library)
        undecided = [c for c in definition.met_when if evaluate_condition(c, context) is None]
        missing = missing_facts(undecided, context)
    sources = {s.id: s.citation for s in library.sources}
    return DefinitionFinding(
        id=definition.id,
        label=definition.label,
        kind=definition.kind,
        establishes=definition.establishes,
        verdict="met" if verdict else "undecided" if verdict is None else "not met",
        facts=facts,
        missing=missing,
        open_reason=reason,
        wording=definition.wording,
        paraphrase=definition.paraphrase,
        counting=definition.counting,
        note=definition.note,
        sources=tuple(sources.get(i, i) for i in definition.source_ids),
    )


def assess(
    given: PatientContext, evaluated: PatientContext, library: Library
) -> ActivityAssessment:
    """What the facts say about activity and the response to the current DMT, in words."""
    if all(getattr(given, name) is None for name in FACTS):
        return ActivityAssessment(
            given=given.activity,
            possible=(),
            findings=(),
            conflict=None,
            summary=_given_summary(given.activity),
        )
    findings = tuple(_finding(d, evaluated, library) for d in library.definitions)
    possible = evaluated.activity_range or ()
    conflict = None
    if given.activity is not None and possible and given.activity not in possible:
        conflict = (
            f"Activity given as {given.activity}, but the facts give "
            f"{' or '.join(possible)}: the given value is used."
        )
    return ActivityAssessment(
        given=given.activity,
        possible=possible,
        findings=findings,
        conflict=conflict,
        summary=_summary(given.activity, possible, findings),
    )


def _given_summary(given: Activity | None) -> str:
    if given is None:
        return "Disease activity: unknown (neither given nor derived: no relapse or MRI facts)."
    return f"Disease activity: {given} (given; no relapse or MRI facts to check it against)."


def _summary(
    given: Activity | None, possible: Sequence[Activity], findings: Sequence[DefinitionFinding]
) -> str:
    met = [f for f in findings if f.kind == "activity" and f.verdict == "met"]
    top = [f for f in met if f.establishes == possible[0]] if possible else []
    if given is not None:
        head = f"Disease activity: {given} (given)"
    elif len(possible) == 1:
        head = f"Disease activity: {possible[0]} (derived from the facts)"
    else:
        head = f"Disease activity: unknown, {' or '.join(possible)} (the facts do not decide)"
    parts = [head]
    if top:
        parts.append("; ".join(f"{f.label} met by {f.facts}" for f in top))
    elif possible == ("inactive",):
        parts.append("no definition of activity met: no relapse or new MRI activity")
    higher = possible[1:]
    for f in findings:
        if f.verdict == "undecided" and (f.kind == "response" or f.establishes in higher):
            why = f.open_reason or f"missing: {', '.join(f.missing)}"
            parts.append(f"{f.label} undecided ({why})")
        elif f.kind == "response" and f.verdict == "met":
            parts.append(f"{f.label} met by {f.facts}")
    return ". ".join(parts) + "."
