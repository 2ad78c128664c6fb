"""Weights: an importance per concern (on the scale of `vocabulary.IMPORTANCE_MAX`), presets and
swing weighting → weights summing to 1."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence

from workbench.engine.activity import apply_facts
from workbench.engine.conditions import evaluate_condition
from workbench.engine.context import PatientContext
from workbench.engine.history import derive
from workbench.profiles.library import Library
from workbench.profiles.records import Preset
from workbench.profiles.vocabulary import IMPORTANCE_MAX, IMPORTANCE_MIN

SWING_TOP = 100.0


class WeightError(ValueError):
    """Importances or swing ratings that cannot give weights; the message says what to change."""


def _check_known(given: Mapping[str, float], concern_ids: Sequence[str]) -> None:
    unknown = sorted(set(given) - set(concern_ids))
    if unknown:
        raise WeightError(
            f"unknown concern(s) {', '.join(unknown)}; valid: {', '.join(concern_ids)}"
        )


def full_importance(
    importance: Mapping[str, float], concern_ids: Sequence[str]
) -> dict[str, float]:
    """Every concern's importance (unlisted → 0), validated to lie on the scale."""
    _check_known(importance, concern_ids)
    full = {cid: float(importance.get(cid, 0.0)) for cid in concern_ids}
    for cid, value in full.items():
        if not (math.isfinite(value) and IMPORTANCE_MIN <= value <= IMPORTANCE_MAX):
            raise WeightError(
                f"importance of {cid} must be between {IMPORTANCE_MIN:g} and "
                f"{IMPORTANCE_MAX:g}, got {value:g}"
            )
    return full


def normalize(importance: Mapping[str, float], concern_ids: Sequence[str]) -> dict[str, float]:
    """Weights summing to 1 from importances (unlisted concerns → 0)."""
    full = full_importance(importance, concern_ids)
    total = math.fsum(full.values())
    if total <= 0.0:
        raise WeightError("every importance is 0: give at least one concern an importance above 0")
    return {cid: value / total for cid, value in full.items()}


def preset_importance(library: Library, preset_id: str) -> dict[str, float]:
    """The importances of a preset for every concern of the library (unlisted → 0)."""
    try:
        preset = library.preset(preset_id)
    except KeyError:
        valid = ", ".join(p.id for p in library.presets)
        raise WeightError(f"unknown preset {preset_id!r}; valid: {valid}") from None
    return full_importance(preset.importance, [c.id for c in library.criteria])


def default_preset(library: Library, context: PatientContext) -> str | None:
    """The preset a case starts from: the first `[[default_rules]]` whose condition holds for
    the case (its activity given, or derived from the facts), else presets.toml's `default`,
    else the first preset (None: no presets)."""
    derived = apply_facts(derive(context, library), library)
    for rule in library.default_rules:
        if evaluate_condition(rule.when, derived) is True:
            return rule.preset
    if library.default_preset is not None:
        return library.default_preset
    return library.presets[0].id if library.presets else None


def preset_in_use(presets: Sequence[Preset], importance: Mapping[str, float]) -> Preset | None:
    """The preset whose importances are these (unlisted concerns 0), or None: own weights."""
    for preset in presets:
        if all(importance.get(c, 0.0) == preset.importance.get(c, 0.0) for c in importance):
            return preset
    return None


def swing_weights(
    ratings: Mapping[str, float], ranking: Sequence[str] | None = None
) -> dict[str, float]:
    """Swing weighting: each swing worst→best rated 0–100 against the most important one (= 100).

    `ranking`, when given, is the user's order of the swings (most important first); the ratings
    must not increase along it. Returns weights summing to 1 over the rated concerns.
    """
    if not ratings:
        raise WeightError("rate at least one swing")
    for cid, rating in ratings.items():
        if not (math.isfinite(rating) and 0.0 <= rating <= SWING_TOP):
            raise WeightError(f"swing rating of {cid} must be between 0 and 100, got {rating:g}")
    if max(ratings.values()) != SWING_TOP:
        raise WeightError("the most important swing must be rated 100 (the others relative to it)")
    if ranking is not None:
        if sorted(ranking) != sorted(ratings):
            raise WeightError("the ranking must list each rated concern exactly once")
        for above, below in itertools.pairwise(ranking):
            if ratings[below] > ratings[above]:
                raise WeightError(
                    f"{below} is ranked below {above} but rated higher "
                    f"({ratings[below]:g} > {ratings[above]:g})"
                )
    total = math.fsum(ratings.values())
    return {cid: rating / total for cid, rating in ratings.items()}


def swing_importance(ratings: Mapping[str, float]) -> dict[str, float]:
    """Swing ratings 0–100 as importances (same normalized weights), for `score`."""
    swing_weights(ratings)
    return {cid: rating * IMPORTANCE_MAX / SWING_TOP for cid, rating in ratings.items()}
