"""Switching flags: what the current or a recent previous DMT means for each candidate, and the
"Stopping <current drug>" section. All rules are data (`[switching]` in the profiles).

A candidate's own `on_starting` rules apply when it would follow a treatment they name (by id or
class) stopped at most `within_months` ago (the current DMT: 0 months); the class rules of
criteria.toml (`[[switching_rules]]`) apply the same way to every successor of their classes
(every drug when none is named), unless the successor has its own rule of the same kind for that
treatment; a previous drug's `on_stopping` rules follow every candidate while they last. A
candidate that no start rule names after the current DMT says so ("no switching data"). An
unknown time since stopping leaves a rule undecided (shown at its level, marked). Every flag code
starts with `switch-`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from workbench.engine.conditions import Window, all_of, evaluate_condition
from workbench.engine.context import PatientContext
from workbench.engine.history import Taken, taken
from workbench.engine.result import Flag, Stopping
from workbench.profiles.library import Library
from workbench.profiles.records import ClassRule, Profile, StartRule, StopRule

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


def _follows(rule: StartRule, drug: str, classes: set[str]) -> bool:
    return drug in rule.after_drugs or bool(classes.intersection(rule.after_classes))


def _start_rules(profile: Profile, item: Taken, library: Library) -> list[StartRule]:
    """The start rules naming this previous treatment: the candidate's own, then the class rules
    for its classes whose kind it does not declare itself."""
    previous = _profile(library, item.drug)
    classes = set() if previous is None else set(previous.switching.classes)
    own = [r for r in profile.switching.on_starting if _follows(r, item.drug, classes)]
    kinds = {r.kind for r in own}
    mine = set(profile.switching.classes)
    shared: list[ClassRule] = [
        r
        for r in library.switching_rules
        if _follows(r, item.drug, classes)
        and r.kind not in kinds
        and (not r.to_classes or mine.intersection(r.to_classes))
    ]
    return [*own, *shared]


def _starting(
    rules: list[StartRule], item: Taken, library: Library, context: PatientContext, window: Window
) -> Iterator[Flag]:
    name = _name(library, item.drug)
    for rule in rules:
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


NO_SWITCHING_DATA = "switch-no-data"


def _no_data_flag(library: Library, item: Taken) -> Flag:
    name = _name(library, item.drug)
    return Flag(
        level="info",
        code=NO_SWITCHING_DATA,
        text=f"After {name}: no switching data for this drug (no rule on the interval, "
        "carry-over risk or checks names this switch).",
        sources=(),
    )


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
    rule_sources = {s.id: s.citation for s in library.sources}
    for item in taken(context):
        if item.drug == profile.id:
            continue  # continuing, or restarting: no switch into itself
        rules = _start_rules(profile, item, library)
        if not rules and item.current and profile.switching.counts_as_dmt:
            # (no DMT is no switch: the Stopping section says what stopping means)
            flags.append(_no_data_flag(library, item))
        flags.extend(_starting(rules, item, library, context, window))
        for start in rules:
            if isinstance(start, ClassRule):
                cited.update({i: rule_sources[i] for i in start.source_ids if i in rule_sources})
        previous = _profile(library, item.drug)
        if item.current or previous is None:
            continue  # the current DMT's stopping rules are in the Stopping section
        prefix = f"{previous.name} stopped: "
        for rule, flag in _stop_rules(previous, item, context, prefix):
            flags.append(flag)
            cited.update(_citations(previous, rule.source_ids))
    return flags, cited


def _citations(profile: Profile, ids: Sequence[str]) -> Mapping[str, str]:
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
