"""Switching flags: what the current or a recent previous DMT means for each candidate, and the
"Stopping <current drug>" section. All rules are data (`[switching]` in the profiles).

A candidate's own `on_starting` rules apply when it would follow a treatment they name (by id or
class) stopped at most `within_months` ago (the current DMT: 0 months); a previous drug's
`on_stopping` rules follow every candidate while they last. An unknown time since stopping leaves
a rule undecided (shown at its level, marked). Every flag code starts with `switch-`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from workbench.engine.conditions import Window, all_of, evaluate_condition
from workbench.engine.context import PatientContext
from workbench.engine.history import Taken, taken
from workbench.engine.result import Flag, Stopping
from workbench.profiles.library import Library
from workbench.profiles.records import Profile, StartRule, StopRule

Tri = bool | None


def _recent(since: int | None, within: int | None) -> Tri:
    if within is None:
        return True
    return None if since is None else since <= within


def _interval(rule: StartRule) -> str:
    low, high = rule.interval_weeks_min, rule.interval_weeks_max
    if low is None and high is None:
        return ""
    if low is not None and high is not None and low != high:
        span = f"{low:g}–{high:g} weeks"
    elif low is not None and high is not None:
        span = f"{low:g} weeks"
    elif low is None:
        span = f"at most {high:g} weeks"
    else:
        span = f"at least {low:g} weeks"
    return f" Recommended interval after the last dose: {span}."


def _flag(rule: StartRule | StopRule, verdict: Tri, text: str, since_words: str) -> Flag | None:
    if verdict is False:
        return None
    undecided = None if verdict is True else since_words
    return Flag(
        level=rule.level,
        code=rule.code,
        text=text,
        sources=tuple(rule.source_ids),
        undecided=undecided,
    )


def _profile(library: Library, drug_id: str) -> Profile | None:
    for profile in library.profiles:
        if profile.id == drug_id:
            return profile
    return None


def _name(library: Library, drug_id: str) -> str:
    found = _profile(library, drug_id)
    if found is not None:
        return found.name
    return next((t.name for t in library.other_treatments if t.id == drug_id), drug_id)


def _since_words(item: Taken, name: str) -> str:
    return f"months since stopping {name} (not given)"


def _starting(
    profile: Profile, item: Taken, library: Library, context: PatientContext, window: Window
) -> Iterator[Flag]:
    previous = _profile(library, item.drug)
    classes = set() if previous is None else set(previous.switching.classes)
    name = _name(library, item.drug)
    for rule in profile.switching.on_starting:
        if item.drug not in rule.after_drugs and not classes.intersection(rule.after_classes):
            continue
        verdict = all_of(
            [
                _recent(item.months_since_stop, rule.within_months),
                evaluate_condition(rule.when, context, window),
            ]
        )
        text = f"After {name}: {rule.text}{_interval(rule)}"
        flag = _flag(rule, verdict, text, _since_words(item, name))
        if flag is not None:
            yield flag


def _stop_rules(
    previous: Profile, item: Taken, context: PatientContext, prefix: str
) -> Iterator[tuple[StopRule, Flag]]:
    for rule in previous.switching.on_stopping:
        verdict = all_of(
            [
                _recent(item.months_since_stop, rule.within_months),
                evaluate_condition(rule.when, context),
            ]
        )
        flag = _flag(rule, verdict, prefix + rule.text, _since_words(item, previous.name))
        if flag is not None:
            yield rule, flag


def switch_flags(
    profile: Profile, context: PatientContext, library: Library, window: Window
) -> tuple[list[Flag], dict[str, str]]:
    """The switching flags of one candidate and the citations of sources from other profiles
    they cite (a previous drug's stopping rules)."""
    flags: list[Flag] = []
    cited: dict[str, str] = {}
    for item in taken(context):
        if item.drug == profile.id:
            continue  # continuing, or restarting: no switch into itself
        flags.extend(_starting(profile, item, library, context, window))
        previous = _profile(library, item.drug)
        if item.current or previous is None:
            continue  # the current DMT's stopping rules are in the Stopping section
        prefix = f"{previous.name} stopped: "
        for rule, flag in _stop_rules(previous, item, context, prefix):
            flags.append(flag)
            cited.update(_citations(previous, rule.source_ids))
    return flags, cited


def _citations(profile: Profile, ids: list[str]) -> Mapping[str, str]:
    return {s.id: s.citation for s in profile.sources if s.id in ids}


def stopping(context: PatientContext, library: Library) -> Stopping | None:
    """What stopping the current DMT means, from its profile; None without a current profile."""
    current = next((t for t in taken(context) if t.current), None)
    if current is None:
        return None
    profile = _profile(library, current.drug)
    if profile is None:
        return None
    pairs = list(_stop_rules(profile, current, context, ""))
    ids = [i for rule, _ in pairs for i in rule.source_ids]
    return Stopping(
        drug=profile.id,
        name=profile.name,
        flags=tuple(flag for _, flag in pairs),
        sources=dict(_citations(profile, ids)),
    )
