"""Property-based tests of the engine on randomly generated profiles (hypothesis)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import tomli
from conftest import TESTS
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from workbench.engine.context import PatientContext
from workbench.engine.evaluate import prepare, score
from workbench.engine.result import Result
from workbench.engine.smaa_settings import SmaaSettings
from workbench.profiles.library import Library
from workbench.profiles.loader import validate_record
from workbench.profiles.records import CriteriaFile, Profile

FIXTURES = TESTS / "fixtures" / "engine"
with (FIXTURES / "criteria.toml").open("rb") as _handle:
    CRITERIA = tuple(validate_record(CriteriaFile, tomli.load(_handle)).criteria)
CONCERNS = tuple(c.id for c in CRITERIA)
UNITS = {c.id: c.unit for c in CRITERIA}
SOURCE = {"id": "src", "kind": "review", "citation": "Generated test source.", "year": 2024}

values = st.floats(min_value=-5.0, max_value=110.0, allow_nan=False)


@st.composite
def measurement(draw: st.DrawFn, concern: str) -> dict[str, Any] | None:
    kind = draw(st.sampled_from(["none", "plain", "bounds", "ci", "counts", "strata"]))
    if kind == "none":
        return None
    base = {
        "unit": UNITS[concern],
        "follow_up": "n/a",
        "basis": draw(st.sampled_from(["trial-arm", "registry", "postmarketing"])),
        "strength": "low",
        "source_ids": ["src"],
    }
    if kind == "counts":
        n = draw(st.integers(1, 5_000))
        return {**base, "events": draw(st.integers(0, n)), "patients": n}
    if kind == "strata":
        strata = [
            {
                "label": status,
                "when": {"jcv_status": [status]},
                "value": draw(values),
                "strength": "low",
                "source_ids": ["src"],
            }
            for status in ("negative", "positive")
        ]
        return {**base, "strata": strata}
    value = draw(values)
    if kind == "plain":
        return {**base, "value": value}
    spread = draw(st.floats(min_value=0.0, max_value=30.0))
    if kind == "ci":
        return {**base, "value": value, "ci_low": value - spread, "ci_high": value + spread}
    return {**base, "value": value, "low": value - spread, "high": value + spread}


@st.composite
def profile(draw: st.DrawFn, index: int) -> Profile:
    measurements = {c: draw(measurement(c)) for c in CONCERNS}
    return validate_record(
        Profile,
        {
            "id": f"d{index}",
            "name": f"Drug {index}",
            "drug_class": "Generated",
            "mechanism": "Generated for tests.",
            "last_reviewed": dt.date(2026, 1, 1),
            "administration": {"route": ["oral"], "schedule": "daily"},
            "indications": {},
            "reservation": {},
            "measurements": {c: m for c, m in measurements.items() if m is not None},
            "sources": [SOURCE],
        },
    )


@st.composite
def library(draw: st.DrawFn) -> Library:
    n = draw(st.integers(min_value=1, max_value=6))
    profiles = tuple(draw(profile(i)) for i in range(n))
    return Library(root=FIXTURES, criteria=CRITERIA, presets=(), profiles=profiles)


importances = st.fixed_dictionaries(
    {c: st.floats(min_value=0.0, max_value=10.0) for c in CONCERNS}
).filter(lambda d: sum(d.values()) > 0.1)
contexts = st.builds(
    PatientContext, jcv_status=st.sampled_from(["unknown", "negative", "positive"])
)


def _worst_values(result: Result, concern: str) -> dict[str, float]:
    out = {}
    for d in result.drugs:
        c = d.criteria[concern]
        out[d.id] = c.score_low if c.value_score is None else c.value_score
    return out


def competing(result: Result) -> set[str]:
    """The top drug's group (tier, ranked or not): the drugs the sensitivity compares it with."""
    top = result.drugs[0]
    return {
        d.id
        for d in result.drugs
        if (d.eligibility.tier, d.ranked) == (top.eligibility.tier, top.ranked)
    }


@settings(max_examples=60, deadline=None)
@given(library(), importances, contexts)
def test_scores_lie_within_zero_and_one(
    lib: Library, importance: dict[str, float], context: PatientContext
) -> None:
    result = score(prepare(lib, None, context), importance)
    assert abs(sum(result.weights.values()) - 1.0) < 1e-9
    for d in result.drugs:
        lo, hi = d.score_range
        assert -1e-12 <= lo <= hi <= 1 + 1e-12
        if d.complete:
            assert d.score == lo == hi
        else:
            assert d.score is None
        for c in d.criteria.values():
            assert 0.0 <= c.score_low <= c.score_high <= 1.0
            if c.value_score is not None:
                assert c.score_low - 1e-12 <= c.value_score <= c.score_high + 1e-12
    ranks = [d.rank for d in result.drugs]
    assert ranks == sorted(ranks)
    assert ranks[0] == 1


@settings(max_examples=80, deadline=None)
@given(
    library(),
    importances,
    contexts,
    st.sampled_from(CONCERNS),
    st.floats(min_value=0.1, max_value=10.0),
)
def test_raising_a_concern_never_lowers_the_best_drug_on_it(
    lib: Library,
    importance: dict[str, float],
    context: PatientContext,
    concern: str,
    raise_by: float,
) -> None:
    prepared = prepare(lib, None, context)
    before = score(prepared, importance)
    higher = {**importance, concern: min(10.0, importance[concern] + raise_by)}
    after = score(prepared, higher)
    # a drug without evidence on the concern is, once it is weighted, listed after the ranked ones
    # (missing data never decides a rank): the property is about drugs the evidence puts first
    evidenced = {d.id for d in before.drugs if d.criteria[concern].status != "no-data"}
    assume(evidenced)  # else nothing below would be checked
    on_concern = {k: v for k, v in _worst_values(before, concern).items() if k in evidenced}
    best = max(on_concern.values())
    for drug_id in (k for k, v in on_concern.items() if v == best):
        rank_before = next(d.rank for d in before.drugs if d.id == drug_id)
        rank_after = next(d.rank for d in after.drugs if d.id == drug_id)
        assert rank_after <= rank_before


@settings(max_examples=40, deadline=None)
@given(library(), importances, contexts)
def test_top_drug_stays_top_inside_its_sensitivity_interval(
    lib: Library, importance: dict[str, float], context: PatientContext
) -> None:
    prepared = prepare(lib, None, context)
    result = score(prepared, importance)
    checked = 0
    for interval in result.sensitivity:
        j = interval.concern
        for t in (interval.low, (interval.low + interval.high) / 2, interval.high):
            rest = 1.0 - result.weights[j]
            if rest <= 1e-9 or t >= 1.0 - 1e-9:
                continue
            weights = {c: t if c == j else result.weights[c] * (1.0 - t) / rest for c in CONCERNS}
            if sum(weights.values()) <= 0:
                continue
            moved = score(prepared, {c: 9.0 * w for c, w in weights.items()})
            totals = {d.id: d.score_range[0] for d in moved.drugs if d.id in competing(result)}
            assert totals[interval.top_drug] >= max(totals.values()) - 1e-9
            checked += 1
    assume(checked)  # an example without an interval to move inside checks nothing


@settings(max_examples=50, deadline=None)
@given(library(), importances, contexts)
def test_the_drug_named_beyond_each_interval_end_is_first_just_beyond_it(
    lib: Library, importance: dict[str, float], context: PatientContext
) -> None:
    prepared = prepare(lib, None, context)
    result = score(prepared, importance)
    assume(result.sensitivity)  # else nothing below would be checked
    for interval in result.sensitivity:
        j = interval.concern
        rest = 1.0 - result.weights[j]
        ends = (
            (interval.low - 1e-6, interval.below_drug),
            (interval.high + 1e-6, interval.above_drug),
        )
        assert (interval.below_drug is None) == (interval.low <= 1e-12)
        assert (interval.above_drug is None) == (interval.high >= 1.0 - 1e-12)
        for t, named in ends:
            if named is None or rest <= 1e-9 or not 0.0 < t < 1.0:
                continue
            weights = {c: t if c == j else result.weights[c] * (1.0 - t) / rest for c in CONCERNS}
            moved = score(prepared, {c: 9.0 * w for c, w in weights.items()})
            totals = {d.id: d.score_range[0] for d in moved.drugs if d.id in competing(result)}
            assert totals[named] >= max(totals.values()) - 1e-6
            assert totals[named] >= totals[interval.top_drug] - 1e-6


@settings(max_examples=25, deadline=None)
@given(
    library(),
    importances,
    contexts,
    st.sampled_from(["fixed", "uniform", "around"]),
    st.integers(min_value=0, max_value=2**32),
)
def test_smaa_is_seeded_and_acceptabilities_sum_to_one(
    lib: Library,
    importance: dict[str, float],
    context: PatientContext,
    mode: str,
    seed: int,
) -> None:
    smaa = SmaaSettings(iterations=200, seed=seed, weight_mode=mode)  # type: ignore[arg-type]
    prepared = prepare(lib, None, context)
    result = score(prepared, importance, smaa)
    assert result == score(prepared, importance, smaa)
    n = len(result.drugs)
    for d in result.drugs:
        assert d.acceptability is not None
        assert len(d.acceptability) == n
        assert abs(sum(d.acceptability) - 1.0) < 1e-9
        if d.central_weights is not None:
            assert abs(sum(d.central_weights.values()) - 1.0) < 1e-9
    for r in range(n):
        assert abs(sum(d.acceptability[r] for d in result.drugs if d.acceptability) - 1.0) < 1e-9
