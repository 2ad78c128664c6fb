"""Engine unit tests on the fixture library (tests/fixtures/engine), with hand-computed numbers."""

from __future__ import annotations

from typing import Any

import pytest
import tomli
from conftest import TESTS

from workbench.engine.conditions import (
    UNKNOWN_WINDOW,
    Window,
    all_of,
    any_of,
    evaluate_condition,
    exposure_window,
)
from workbench.engine.context import PatientContext
from workbench.engine.evaluate import (
    MISSING_POLICY,
    POLICY,
    UnknownDrugError,
    evaluate,
    prepare,
    score,
)
from workbench.engine.measurements import resolve
from workbench.engine.result import DrugResult, Result
from workbench.engine.sensitivity import weight_intervals
from workbench.engine.smaa_settings import SmaaSettings
from workbench.engine.values import partial_values
from workbench.engine.weights import (
    WeightError,
    normalize,
    preset_importance,
    swing_importance,
    swing_weights,
)
from workbench.profiles.library import Library
from workbench.profiles.loader import validate_record
from workbench.profiles.records import Condition, CriteriaFile, PresetsFile, Profile

FIXTURES = TESTS / "fixtures" / "engine"
EVEN = {"efficacy": 5.0, "harm": 5.0, "wait": 5.0}
EFFICACY_FIRST = {"efficacy": 10.0, "harm": 2.0, "wait": 2.0}
JCV_NEGATIVE = PatientContext(jcv_status="negative")
START = Window(first=1, last=48)
"""A drug started now, over a 48-month horizon."""


def _toml(name: str) -> dict[str, Any]:
    with (FIXTURES / name).open("rb") as handle:
        return tomli.load(handle)


def fixture_library() -> Library:
    """The fixture library, built directly from the models (no loader involved)."""
    return Library(
        root=FIXTURES,
        criteria=tuple(validate_record(CriteriaFile, _toml("criteria.toml")).criteria),
        presets=tuple(validate_record(PresetsFile, _toml("presets.toml")).presets),
        profiles=tuple(
            validate_record(Profile, _toml(f"{name}.toml")) for name in ("alpha", "beta", "gamma")
        ),
    )


LIB = fixture_library()


def drug(result: Result, drug_id: str) -> DrugResult:
    return next(d for d in result.drugs if d.id == drug_id)


# --------------------------------------------------------------------------- conditions


def test_three_valued_and_or() -> None:
    assert all_of([]) is True
    assert all_of([True, None]) is None
    assert all_of([None, False]) is False
    assert any_of([]) is False
    assert any_of([False, None]) is None
    assert any_of([None, True]) is True
    assert all_of(iter([True, True])) is True
    assert any_of(iter([False, False])) is False


def test_condition_absent_or_empty_holds() -> None:
    assert evaluate_condition(None, PatientContext()) is True
    assert evaluate_condition(Condition(), PatientContext()) is True


@pytest.mark.parametrize(
    ("condition", "context", "expected"),
    [
        (Condition(region=("us",)), PatientContext(region="eu"), False),
        (Condition(course=("rrms",)), PatientContext(), None),
        (Condition(course=("rrms",)), PatientContext(course="rrms"), True),
        (Condition(min_prior_dmts=2), PatientContext(prior_dmts=2), True),
        (Condition(min_prior_dmts=2), PatientContext(prior_dmts=1), False),
        (Condition(max_prior_dmts=1), PatientContext(prior_dmts=1), True),
        (Condition(jcv_index_above=1.5), PatientContext(jcv_index=1.5), False),
        (Condition(jcv_index_above=1.5), PatientContext(jcv_index=1.51), True),
        (Condition(jcv_index_at_most=1.5), PatientContext(jcv_index=1.5), True),
        (Condition(jcv_index_at_most=1.5), PatientContext(), None),
        (Condition(age_min=18, age_max=65), PatientContext(age=65), True),
        (Condition(age_max=65), PatientContext(age=66), False),
        (Condition(prior_immunosuppressant=False), PatientContext(), None),
        (
            Condition(prior_immunosuppressant=False),
            PatientContext(prior_immunosuppressant=False),
            True,
        ),
        (Condition(autoimmune_history=True), PatientContext(autoimmune_history=False), False),
        (
            Condition(pregnancy_planned=True),
            PatientContext(conception_planned_in_months="planned"),
            True,
        ),
        (Condition(jcv_status=("positive",)), PatientContext(), None),
        (Condition(jcv_status=("unknown",)), PatientContext(), True),
        (Condition(jcv_status=("unknown",)), JCV_NEGATIVE, False),
        (
            Condition(activity=("highly-active",), course=("rrms",)),
            PatientContext(activity="active"),
            False,
        ),
        (
            Condition(activity=("highly-active",), course=("rrms",)),
            PatientContext(activity="highly-active"),
            None,
        ),
    ],
)
def test_condition(condition: Condition, context: PatientContext, expected: bool | None) -> None:
    assert evaluate_condition(condition, context) is expected


@pytest.mark.parametrize(
    ("condition", "window", "expected"),
    [
        (Condition(months_on_min=25), Window(first=1, last=48), True),  # reached within the horizon
        (Condition(months_on_min=25), Window(first=1, last=24), False),
        (Condition(months_on_max=24), Window(first=25, last=72), False),
        (Condition(months_on_max=24), Window(first=13, last=60), True),
        (Condition(months_on_min=25), UNKNOWN_WINDOW, None),
    ],
)
def test_exposure_condition_over_the_treatment_window(
    condition: Condition, window: Window, expected: bool | None
) -> None:
    assert evaluate_condition(condition, PatientContext(), window) is expected


def test_exposure_window_continues_the_current_drug_and_starts_the_others() -> None:
    on_alpha = PatientContext(current_dmt="alpha", months_on_current=30)
    assert exposure_window(on_alpha, "alpha", 48) == Window(first=31, last=78)
    assert exposure_window(on_alpha, "beta", 48) == Window(first=1, last=48)
    assert exposure_window(PatientContext(current_dmt="alpha"), "alpha", 48) == UNKNOWN_WINDOW
    assert exposure_window(PatientContext(), "alpha", 12) == Window(first=1, last=12)


# --------------------------------------------------------------------------- value functions


@pytest.mark.parametrize(
    ("concern", "x", "value", "clamped"),
    [
        ("efficacy", 0.0, 0.0, False),
        ("efficacy", 60.0, 0.6, False),
        ("efficacy", 120.0, 1.0, True),
        ("efficacy", -5.0, 0.0, True),
        ("harm", 10.0, 0.0, False),
        ("harm", 6.0, 0.25, False),  # on the segment (10, 0)–(2, 0.5)
        ("harm", 2.0, 0.5, False),
        ("harm", 1.0, 0.75, False),  # on the segment (2, 0.5)–(0, 1)
        ("harm", 0.0, 1.0, False),
        ("harm", 12.0, 0.0, True),
        ("wait", 3.0, 0.85, False),
    ],
)
def test_partial_value(concern: str, x: float, value: float, clamped: bool) -> None:
    (pv,) = partial_values(LIB.criterion(concern), [x])
    assert pv.value == pytest.approx(value)
    assert pv.clamped is clamped


# --------------------------------------------------------------------------- measurements


def _harm(context: PatientContext) -> Any:
    return resolve(LIB.criterion("harm"), LIB.profile("alpha").measurements["harm"], context, START)


def test_plain_measurement_keeps_bounds() -> None:
    r = resolve(
        LIB.criterion("efficacy"),
        LIB.profile("alpha").measurements["efficacy"],
        JCV_NEGATIVE,
        START,
    )
    assert (r.status, r.value, r.low, r.high) == ("measured", 60.0, 50.0, 70.0)
    assert r.value_score == pytest.approx(0.6)
    assert (r.score_low, r.score_high) == pytest.approx((0.5, 0.7))
    assert r.sources == ("alpha-trial",)


def test_missing_measurement_is_no_data_over_the_whole_scale() -> None:
    r = resolve(LIB.criterion("harm"), None, JCV_NEGATIVE, START)
    assert (r.status, r.value, r.value_score, r.score_low, r.score_high) == (
        "no-data",
        None,
        None,
        0.0,
        1.0,
    )


def test_known_context_picks_one_stratum() -> None:
    r = _harm(PatientContext(jcv_status="positive", jcv_index=2.0))
    assert (r.status, r.value, r.stratum, r.strength) == (
        "measured",
        8.0,
        "Positive, index above 1.5",
        "very-low",
    )


def test_unknown_context_spans_the_possible_strata_never_the_best_case() -> None:
    r = _harm(PatientContext())
    assert (r.status, r.value, r.low, r.high, r.stratum) == ("stratum-range", None, 0.5, 8.0, None)
    assert r.score_low == pytest.approx(0.125)
    assert r.score_high == pytest.approx(0.875)
    assert r.strength == "very-low"  # the weakest of the possible strata
    positive_unknown_index = _harm(PatientContext(jcv_status="positive"))
    assert (positive_unknown_index.low, positive_unknown_index.high) == (2.0, 8.0)


def test_no_matching_stratum_is_no_data() -> None:
    wait = LIB.profile("alpha").measurements["wait"]
    only_us = wait.replace(strata=[s for s in wait.strata or () if s.label == "US"])
    eu = PatientContext(region="eu")
    assert resolve(LIB.criterion("wait"), only_us, eu, START).status == "no-data"


# --------------------------------------------------------------------------- weights


def test_normalize_fills_unlisted_concerns_with_zero() -> None:
    assert normalize({"efficacy": 3.0, "harm": 1.0}, ["efficacy", "harm", "wait"]) == {
        "efficacy": 0.75,
        "harm": 0.25,
        "wait": 0.0,
    }


@pytest.mark.parametrize(
    ("importance", "message"),
    [
        ({"efficacy": 0.0}, "every importance is 0"),
        ({"efficacy": 11.0}, "between 0 and 10"),
        ({"efficacy": -1.0}, "between 0 and 10"),
        ({"efficacy": float("nan")}, "between 0 and 10"),
        ({"relapses": 5.0}, "unknown concern(s) relapses; valid: efficacy, harm, wait"),
    ],
)
def test_normalize_rejects(importance: dict[str, float], message: str) -> None:
    with pytest.raises(WeightError, match=message.replace("(", r"\(").replace(")", r"\)")):
        normalize(importance, ["efficacy", "harm", "wait"])


def test_preset_importance() -> None:
    assert preset_importance(LIB, "harm-only") == {"efficacy": 0.0, "harm": 4.0, "wait": 0.0}
    with pytest.raises(WeightError, match="unknown preset 'nope'; valid: even, efficacy-first"):
        preset_importance(LIB, "nope")


def test_swing_weights() -> None:
    weights = swing_weights({"efficacy": 100.0, "harm": 50.0, "wait": 50.0})
    assert weights == {"efficacy": 0.5, "harm": 0.25, "wait": 0.25}
    assert swing_importance({"efficacy": 100.0, "harm": 50.0}) == {"efficacy": 10.0, "harm": 5.0}
    ranked = swing_weights({"harm": 100.0, "efficacy": 40.0}, ranking=["harm", "efficacy"])
    assert ranked == {"harm": pytest.approx(100 / 140), "efficacy": pytest.approx(40 / 140)}


@pytest.mark.parametrize(
    ("ratings", "ranking", "message"),
    [
        ({}, None, "rate at least one swing"),
        ({"efficacy": 80.0, "harm": 40.0}, None, "must be rated 100"),
        ({"efficacy": 100.0, "harm": 140.0}, None, "between 0 and 100"),
        ({"efficacy": 100.0, "harm": 40.0}, ["harm", "efficacy"], "efficacy is ranked below harm"),
        ({"efficacy": 100.0, "harm": 40.0}, ["efficacy"], "exactly once"),
    ],
)
def test_swing_weights_reject(
    ratings: dict[str, float], ranking: list[str] | None, message: str
) -> None:
    with pytest.raises(WeightError, match=message):
        swing_weights(ratings, ranking)


# --------------------------------------------------------------------------- evaluate


def test_hand_computed_totals_and_ranks() -> None:
    result = evaluate(LIB, None, EVEN, JCV_NEGATIVE)
    assert [d.id for d in result.drugs] == ["beta", "alpha", "gamma"]
    assert [d.rank for d in result.drugs] == [1, 2, 3]
    beta, alpha, gamma = result.drugs
    assert beta.score == pytest.approx(2.4 / 3)
    assert beta.score_range == pytest.approx((2.4 / 3, 2.4 / 3))
    # alpha: efficacy 0.6, harm 0.5 per 1,000 → 0.875, wait 3 months (EU) → 0.85
    assert alpha.score == pytest.approx(2.325 / 3)
    assert alpha.criteria["harm"].contribution == pytest.approx(0.875 / 3)
    assert alpha.criteria["wait"].stratum == "EU"
    assert alpha.complete
    # gamma: no harm data → incomplete, worst case 0 and best case 1 on harm
    assert gamma.score is None
    assert not gamma.complete
    assert gamma.score_range == pytest.approx((1.3 / 3, 2.3 / 3))
    assert gamma.criteria["harm"].contribution is None
    assert gamma.criteria["harm"].contribution_high == pytest.approx(1 / 3)
    assert result.weights == {c: pytest.approx(1 / 3) for c in ("efficacy", "harm", "wait")}
    assert result.policy == POLICY["tiers"] + MISSING_POLICY
    assert "missing data never decides a rank" in result.policy
    assert not gamma.ranked
    assert gamma.unranked_because == ("Harm",)


def test_a_drug_without_evidence_is_listed_after_the_ranked_ones_whatever_its_worst_case() -> None:
    result = evaluate(LIB, None, EFFICACY_FIRST, JCV_NEGATIVE)
    # gamma's worst case (9/14) beats beta's total, but it has no harm figure: not ranked
    assert [(d.id, d.rank, d.ranked) for d in result.drugs] == [
        ("alpha", 1, True),
        ("beta", 2, True),
        ("gamma", 3, False),
    ]
    assert drug(result, "alpha").score == pytest.approx(9.45 / 14)
    assert drug(result, "gamma").score_range[0] == pytest.approx(9 / 14)
    together = evaluate(LIB, None, EFFICACY_FIRST, JCV_NEGATIVE, rank_mode="all-together")
    assert [d.id for d in together.drugs] == ["alpha", "beta", "gamma"]


def test_weight_zero_concern_does_not_make_a_drug_incomplete() -> None:
    result = evaluate(LIB, ["gamma"], {"efficacy": 5.0, "wait": 5.0}, JCV_NEGATIVE)
    gamma = result.drugs[0]
    assert gamma.complete
    assert gamma.score == pytest.approx(0.65)
    assert gamma.criteria["harm"].status == "no-data"
    assert result.importance == {"efficacy": 5.0, "harm": 0.0, "wait": 5.0}


def test_ties_share_the_better_rank_and_are_ordered_by_name() -> None:
    beta = LIB.profile("beta")
    twin = beta.replace(id="abeta", name="Abeta")
    lib = Library(
        root=LIB.root,
        criteria=LIB.criteria,
        presets=LIB.presets,
        profiles=(beta, twin, LIB.profile("alpha")),
    )
    result = evaluate(lib, None, EVEN, JCV_NEGATIVE)
    assert [(d.id, d.rank) for d in result.drugs] == [("abeta", 1), ("beta", 1), ("alpha", 3)]


def test_unknown_jcv_gives_a_range_not_the_best_case() -> None:
    alpha = evaluate(LIB, ["alpha"], EVEN, PatientContext()).drugs[0]
    assert not alpha.complete
    assert alpha.criteria["harm"].status == "stratum-range"
    assert alpha.score_range == pytest.approx(((0.6 + 0.125 + 0.85) / 3, (0.6 + 0.875 + 0.85) / 3))


def test_region_selects_stratum_and_monitoring() -> None:
    us = drug(
        evaluate(LIB, None, EVEN, PatientContext(region="us", jcv_status="negative")), "alpha"
    )
    assert us.criteria["wait"].value == 6.0
    assert [m.test for m in us.monitoring] == ["Blood count"]
    eu = drug(evaluate(LIB, None, EVEN, JCV_NEGATIVE), "alpha")
    assert [m.test for m in eu.monitoring] == ["Blood count", "EU-only check"]


def test_unknown_drug_id_names_the_valid_ones() -> None:
    with pytest.raises(UnknownDrugError, match="unknown drug id\\(s\\) delta; valid: alpha, beta"):
        prepare(LIB, ["alpha", "delta"], JCV_NEGATIVE)


def test_sources_and_selection_order() -> None:
    result = evaluate(LIB, ["gamma", "beta", "gamma"], EVEN, JCV_NEGATIVE)
    assert {d.id for d in result.drugs} == {"gamma", "beta"}
    assert result.sources["gamma"] == {"gamma-review": "Gamma fixture review, 2023."}


def test_score_reuses_a_prepared_evaluation() -> None:
    prepared = prepare(LIB, None, JCV_NEGATIVE)
    assert score(prepared, EVEN) == evaluate(LIB, None, EVEN, JCV_NEGATIVE)
    assert score(prepared, EFFICACY_FIRST).drugs[0].id == "alpha"


# --------------------------------------------------------------------------- reservation, flags


def _codes(d: DrugResult) -> dict[str, str]:
    return {f.code: f.level for f in d.flags}


def test_reservation_three_valued() -> None:
    def meets(context: PatientContext) -> bool | None:
        return drug(evaluate(LIB, None, EVEN, context), "alpha").reservation["eu"].patient_meets

    assert meets(PatientContext()) is None
    assert meets(PatientContext(activity="active", prior_dmts=1)) is False
    assert meets(PatientContext(activity="active", prior_dmts=2)) is True
    assert meets(PatientContext(activity="highly-active")) is True
    result = evaluate(LIB, None, EVEN, PatientContext())
    assert drug(result, "alpha").reservation["us"].patient_meets is True
    assert drug(result, "gamma").reservation["eu"].patient_meets is None  # no encoded conditions


def test_reservation_flags_are_shown_never_hidden() -> None:
    not_met = drug(
        evaluate(LIB, None, EVEN, PatientContext(activity="active", prior_dmts=0)), "alpha"
    )
    assert _codes(not_met)["reservation-not-met"] == "warning"
    unknown = drug(evaluate(LIB, None, EVEN, PatientContext()), "alpha")
    assert _codes(unknown)["reservation-unknown"] == "warning"
    assert next(f for f in unknown.flags if f.code == "reservation-unknown").undecided
    assert unknown.eligibility.tier == "eligible"  # undecided: marked, never moved
    met = drug(evaluate(LIB, None, EVEN, PatientContext(activity="highly-active")), "alpha")
    assert not {"reservation-not-met", "reservation-unknown"} & set(_codes(met))


def test_caution_flags_known_unknown_and_absent() -> None:
    planned = PatientContext(conception_planned_in_months="planned", autoimmune_history=False)
    flags = drug(evaluate(LIB, None, EVEN, planned), "alpha").flags
    assert flags[0].level == "contraindication"
    assert _codes(drug(evaluate(LIB, None, EVEN, planned), "alpha")).get("autoimmune") is None
    unknown = drug(evaluate(LIB, None, EVEN, PatientContext()), "alpha")
    may = next(f for f in unknown.flags if f.code == "pregnancy")
    assert (may.level, may.text, may.undecided) == (
        "contraindication",
        "Contraindicated in pregnancy (fixture).",
        "pregnancy planned: yes",
    )
    assert _codes(unknown)["infusion"] == "info"  # no condition: always shown
    levels = [f.level for f in unknown.flags]
    assert levels == sorted(levels, key=["contraindication", "warning", "info"].index)


def test_label_flags() -> None:
    result = evaluate(LIB, None, EVEN, PatientContext(region="us", course="ppms"))
    assert _codes(drug(result, "beta"))["not-approved"] == "warning"
    assert _codes(drug(result, "gamma"))["off-label"] == "warning"
    assert "not-approved" not in _codes(drug(result, "gamma"))
    mismatch = next(f for f in drug(result, "alpha").flags if f.code == "indication-mismatch")
    assert "Relapsing forms of MS (fixture)." in mismatch.text
    eu_rrms = evaluate(LIB, None, EVEN, PatientContext(course="rrms"))
    assert "indication-mismatch" not in _codes(drug(eu_rrms, "alpha"))


# --------------------------------------------------------------------------- sensitivity


def test_sensitivity_hand_computed() -> None:
    result = evaluate(LIB, None, EVEN, JCV_NEGATIVE)
    efficacy = next(s for s in result.sensitivity if s.concern == "efficacy")
    # beta(t) = 1 − 0.6t, alpha(t) = 0.8625 − 0.2625t: they cross at t = 0.1375 / 0.3375 = 11/27
    assert efficacy.top_drug == "beta"
    assert (efficacy.low, efficacy.high) == pytest.approx((0.0, 11 / 27))
    assert efficacy.current == pytest.approx(1 / 3)
    harm = next(s for s in result.sensitivity if s.concern == "harm")
    assert harm.low <= harm.current <= harm.high


def test_sensitivity_edges() -> None:
    assert weight_intervals(["a"], [1.0], [], 0, "x") == ()
    a, b = weight_intervals(["a", "b"], [1.0, 0.0], [[0.2, 0.9], [0.5, 0.1]], 1, "y")
    # y(t) = 0.1 + 0.4t vs x(t) = 0.9 − 0.7t on a; y(t) = 0.5 − 0.4t vs x(t) = 0.2 + 0.7t on b
    assert (a.low, a.high) == pytest.approx((0.8 / 1.1, 1.0))
    assert (b.low, b.high) == pytest.approx((0.0, 0.3 / 1.1))


def test_sensitivity_boundary_really_changes_the_top_drug() -> None:
    prepared = prepare(LIB, None, JCV_NEGATIVE)
    efficacy = next(s for s in score(prepared, EVEN).sensitivity if s.concern == "efficacy")
    for t, top in ((efficacy.high - 0.01, "beta"), (efficacy.high + 0.01, "alpha")):
        rest = (1 - t) / 2
        importance = {"efficacy": 10 * t, "harm": 10 * rest, "wait": 10 * rest}
        assert score(prepared, importance).drugs[0].id == top


# --------------------------------------------------------------------------- SMAA


def test_smaa_acceptability_matches_the_hand_computed_probability() -> None:
    result = evaluate(
        LIB,
        ["alpha", "beta"],
        EVEN,
        JCV_NEGATIVE,
        SmaaSettings(iterations=4000, weight_mode="fixed"),
    )
    # With fixed weights alpha passes beta (0.8) when its efficacy, uniform in 50–70, exceeds
    # 60 + 3 × 100 × (0.8 − 0.775) = 67.5: probability 2.5 / 20 = 0.125.
    alpha = drug(result, "alpha")
    assert alpha.acceptability is not None
    assert alpha.acceptability[0] == pytest.approx(0.125, abs=0.02)
    assert sum(alpha.acceptability) == pytest.approx(1.0)
    # Fixed weights: the central weights are those weights and the confidence is the
    # first-rank acceptability.
    assert alpha.central_weights == pytest.approx(result.weights)
    assert alpha.confidence == pytest.approx(alpha.acceptability[0])
    assert result.smaa is not None
    assert (result.smaa.iterations, result.smaa.weight_mode, result.smaa.spread) == (
        4000,
        "fixed",
        None,
    )


def test_smaa_dominating_drug_is_always_first() -> None:
    result = evaluate(
        LIB,
        ["beta", "gamma"],
        {"harm": 5.0, "wait": 5.0},
        JCV_NEGATIVE,
        SmaaSettings(iterations=300, seed=7, weight_mode="fixed"),
    )
    beta = drug(result, "beta")
    # beta is at the best end of harm and wait: 1.0; gamma at most (1 + 0.5) / 2 = 0.75
    assert beta.acceptability == (1.0, 0.0)
    assert beta.confidence == 1.0
    assert beta.central_weights is not None
    assert sum(beta.central_weights.values()) == pytest.approx(1.0)
    gamma = drug(result, "gamma")
    assert gamma.central_weights is None
    assert gamma.confidence is None


def test_smaa_around_mode_reports_its_spread() -> None:
    settings = SmaaSettings(iterations=100, seed=3, weight_mode="around", spread=1.5)
    result = evaluate(LIB, None, EVEN, PatientContext(), settings)
    assert result.smaa is not None
    assert result.smaa.spread == 1.5
    assert result == evaluate(LIB, None, EVEN, PatientContext(), settings)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"iterations": 0}, "at least 1 iteration"),
        ({"weight_mode": "ordinal"}, "unknown weight mode"),
        ({"spread": -1.0}, "spread"),
    ],
)
def test_smaa_settings_validation(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SmaaSettings(**kwargs)
