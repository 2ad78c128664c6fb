"""Guideline recommendations as flags (criteria.toml `[[guidelines]]`): escalation when the
current DMT fails, stepping down after a high-efficacy drug, a switch to the same drug in effect.

A rule holds for a candidate when one of its `when` alternatives holds for the case and the
candidate passes its test against the drugs the case is leaving. An undecided rule is shown at its
level, marked with what the case leaves open. Rules are flags only: they never move a drug between
tiers and never change a score. Every flag code starts with `guideline-`.
"""

from __future__ import annotations

from workbench.engine.activity import current_profile, missing_facts
from workbench.engine.conditions import (
    UNKNOWN_WINDOW,
    Tri,
    all_of,
    any_of,
    evaluate_condition,
    undecided_part,
)
from workbench.engine.context import PatientContext
from workbench.engine.result import Flag
from workbench.profiles.library import Library
from workbench.profiles.records import CandidateTest, GuidelineRule, Profile
from workbench.profiles.vocabulary import EFFICACY_LEVELS
from workbench.text import label_quote

CATEGORY_ORDER = EFFICACY_LEVELS


def _rank(profile: Profile | None) -> int | None:
    category = None if profile is None else profile.efficacy_category
    return None if category is None else CATEGORY_ORDER.index(category.category)


def _at_most(candidate: Profile, reference: Profile) -> Tri:
    low, high = _rank(candidate), _rank(reference)
    return None if low is None or high is None else low <= high


def _equivalent(a: Profile, b: Profile) -> bool:
    return any(e.drug == b.id for e in a.equivalences) or any(
        e.drug == a.id for e in b.equivalences
    )


def _left(
    test: CandidateTest, candidate: Profile, context: PatientContext, library: Library
) -> tuple[Tri, str]:
    """Whether the candidate is of a lower category than a drug being left whose category is one
    of `category_below_left`, and that drug's name: the current DMT (when the candidate is another
    drug) and the previous DMTs stopped within `within_months`."""
    wanted = test.category_below_left or ()
    verdicts: list[Tri] = []
    name = ""
    current = current_profile(context, library)
    left: list[tuple[Profile, Tri]] = []
    if current is not None and current.id != candidate.id:
        left.append((current, True))
    by_id = {p.id: p for p in library.profiles}
    for previous in context.previous_dmts or ():
        profile = by_id.get(previous.drug)
        if profile is None or previous.drug in (candidate.id, context.current_dmt):
            continue
        since, within = previous.months_since_stop, test.within_months
        recent: Tri = True if within is None else None if since is None else since <= within
        left.append((profile, recent))
    for profile, recent in left:
        category = profile.efficacy_category
        if category is None or category.category not in wanted or recent is False:
            continue
        lower = _at_most(candidate, profile)
        below: Tri = None if lower is None else lower and _rank(candidate) != _rank(profile)
        verdict = all_of([recent, below])
        if verdict is not False and not name:
            name = profile.name
        verdicts.append(verdict)
    return any_of(verdicts), name


def candidate_passes(
    test: CandidateTest, candidate: Profile, context: PatientContext, library: Library
) -> tuple[Tri, str]:
    """Whether the candidate passes the rule's test (three-valued), and the name of the drug
    being left it was compared with (for the flag's text). A test against the current DMT fails
    when there is none (or it has no profile)."""
    current = current_profile(context, library)
    checks: list[Tri] = []
    left = ""
    if test.continues_current is not None:
        checks.append((context.current_dmt == candidate.id) is test.continues_current)
    if test.category_at_most_current is not None:
        at_most = False if current is None else _at_most(candidate, current)
        checks.append(None if at_most is None else at_most is test.category_at_most_current)
    if test.equivalent_to_current is not None:
        same = current is not None and _equivalent(candidate, current)
        checks.append(same is test.equivalent_to_current)
    if test.category_below_left is not None:
        verdict, left = _left(test, candidate, context, library)
        checks.append(verdict)
    return all_of(checks), left


def _needs_current(test: CandidateTest) -> bool:
    return any(
        value is not None
        for value in (
            test.continues_current,
            test.category_at_most_current,
            test.equivalent_to_current,
        )
    )


def _applies(rule: GuidelineRule, context: PatientContext, library: Library) -> Tri:
    """Whether the rule's case conditions hold (its current drug and categories included)."""
    current = current_profile(context, library)
    if rule.current_drugs and (current is None or current.id not in rule.current_drugs):
        return None if context.current_dmt is None else False
    if rule.current_category is not None:
        category = None if current is None else current.efficacy_category
        if category is None:
            return None
        if category.category not in rule.current_category:
            return False
    return any_of(evaluate_condition(c, context) for c in rule.when)


def guideline_flags(
    profile: Profile, context: PatientContext, library: Library
) -> tuple[list[Flag], dict[str, str]]:
    """The guideline rules that hold (or may hold) for this candidate, and their citations."""
    flags: list[Flag] = []
    cited: dict[str, str] = {}
    sources = {s.id: s.citation for s in library.sources}
    for rule in library.guidelines:
        if context.current_dmt is None and _needs_current(rule.candidate):
            continue  # a rule about the current DMT waits until the case names it
        case = _applies(rule, context, library)
        if case is False:
            continue
        passes, left = candidate_passes(rule.candidate, profile, context, library)
        verdict = all_of([case, passes])
        if verdict is False:
            continue
        undecided = None
        if verdict is None:
            undecided = _undecided(rule, context, library, case, passes)
        flags.append(
            Flag(
                level=rule.level,
                code=f"guideline-{rule.id}",
                text=rule_text(rule, context, library, left),
                sources=tuple(rule.source_ids),
                undecided=undecided,
            )
        )
        cited.update({i: sources[i] for i in rule.source_ids if i in sources})
    return flags, cited


def rule_text(rule: GuidelineRule, context: PatientContext, library: Library, left: str) -> str:
    """The flag's words: the rule's text with the drugs named, then the recommendation (quoted
    only when it is not a paraphrase) and its strength."""
    current = current_profile(context, library)
    name = (context.current_dmt or "the current DMT") if current is None else current.name
    text = rule.text.replace("{current}", name).replace("{left}", left or "the drug stopped")
    words = rule.recommendation if rule.paraphrase else label_quote(rule.recommendation)
    return f"{text} Guideline, {rule.strength}: {words}"


def _undecided(
    rule: GuidelineRule, context: PatientContext, library: Library, case: Tri, passes: Tri
) -> str:
    """What the case leaves open, in words: the facts a definition lacks, else the condition."""
    parts: list[str] = []
    if case is None:
        open_ = [c for c in rule.when if evaluate_condition(c, context) is None]
        if not open_:
            parts.append("the current DMT")
        for condition in open_[:1]:
            named = set(condition.definition_met or ())
            definitions = [d for d in library.definitions if d.id in named]
            missing = missing_facts([c for d in definitions for c in d.met_when], context)
            if missing:
                parts.append(
                    f"{', '.join(d.label for d in definitions)}: missing {', '.join(missing)}"
                )
            else:
                parts.append(undecided_part(condition, context, UNKNOWN_WINDOW))
    if passes is None:
        parts.append("the current DMT, the efficacy categories or the months since stopping")
    return "; ".join(parts)
