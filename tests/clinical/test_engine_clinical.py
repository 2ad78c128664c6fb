"""Clinical regression tests: the engine on the bundled profiles reproduces the labels' rules."""

from __future__ import annotations

import pytest

from workbench.engine.context import PatientContext
from workbench.engine.context_validation import validate_context
from workbench.engine.evaluate import evaluate
from workbench.engine.result import CriterionResult, DrugResult
from workbench.engine.weights import preset_importance
from workbench.profiles.loader import load_library
from workbench.profiles.paths import bundled_profiles_dir
from workbench.profiles.vocabulary import Region

LIB = load_library(bundled_profiles_dir())
BALANCED = preset_importance(LIB, "balanced")
HIGHLY_ACTIVE = ("alemtuzumab", "natalizumab", "fingolimod", "cladribine")


def result_for(drug_id: str, context: PatientContext) -> DrugResult:
    return evaluate(LIB, [drug_id], BALANCED, context).drugs[0]


def natalizumab_pml(**facts: object) -> CriterionResult:
    context = validate_context({"region": "eu", **facts})
    return result_for("natalizumab", context).criteria["pml"]


def test_bundled_profiles_load_without_errors() -> None:
    assert [str(p) for p in LIB.errors] == []
    assert set(HIGHLY_ACTIVE) | {"teriflunomide"} <= {p.id for p in LIB.profiles}


@pytest.mark.parametrize("months", [12, 36, 60])
def test_natalizumab_pml_rises_across_jcv_strata(months: int) -> None:
    common = {
        "prior_immunosuppressant": False,
        "current_dmt": "natalizumab",
        "months_on_current": months,
        "horizon_months": 12,
    }
    negative = natalizumab_pml(jcv_status="negative", **common)
    low_index = natalizumab_pml(jcv_status="positive", jcv_index=0.8, **common)
    high_index = natalizumab_pml(jcv_status="positive", jcv_index=2.0, **common)
    for stratum in (negative, low_index, high_index):
        assert stratum.status == "measured"
        assert stratum.stratum is not None
    assert negative.value is not None
    assert low_index.value is not None
    assert high_index.value is not None
    assert negative.value <= low_index.value < high_index.value
    assert negative.value < high_index.value
    assert negative.value_score is not None
    assert low_index.value_score is not None
    assert high_index.value_score is not None
    assert negative.value_score >= low_index.value_score > high_index.value_score


def test_natalizumab_index_band_edge_is_inclusive_at_1_5() -> None:
    common = {"jcv_status": "positive", "prior_immunosuppressant": False}
    at_edge = natalizumab_pml(jcv_index=1.5, **common)
    above = natalizumab_pml(jcv_index=1.51, **common)
    assert at_edge.value is not None
    assert above.value is not None
    assert at_edge.value < above.value


def test_unknown_jcv_shows_a_range_not_the_best_case() -> None:
    unknown = natalizumab_pml()
    negative = natalizumab_pml(jcv_status="negative")
    assert unknown.status == "stratum-range"
    assert unknown.value is None
    assert unknown.value_score is None
    assert unknown.low is not None
    assert unknown.high is not None
    assert unknown.low < unknown.high
    assert negative.value_score is not None
    assert unknown.score_low < negative.value_score  # ranked on the worst possible stratum
    drug = result_for("natalizumab", PatientContext())
    assert not drug.complete
    assert drug.score is None
    assert drug.score_range[0] < drug.score_range[1]
    assert any(f.code == "jcv-status-unknown" or "may apply" in f.text for f in drug.flags)
    positive = natalizumab_pml(jcv_status="positive")
    assert positive.status == "stratum-range"
    assert positive.low is not None
    assert negative.value is not None
    assert positive.low > negative.value


@pytest.mark.parametrize(
    ("drug_id", "prior_dmts", "meets"),
    [
        ("alemtuzumab", 0, False),
        ("alemtuzumab", 1, False),
        ("alemtuzumab", 2, True),
        ("alemtuzumab", 3, True),
        ("cladribine", 0, False),
        ("cladribine", 1, True),
        ("cladribine", 2, True),
    ],
)
def test_us_reservation_by_prior_dmt_count(drug_id: str, prior_dmts: int, meets: bool) -> None:
    drug = result_for(drug_id, PatientContext(region="us", prior_dmts=prior_dmts, course="rrms"))
    status = drug.reservation["us"]
    assert status.restricted
    assert status.patient_meets is meets
    assert any(f.code == "reservation-not-met" for f in drug.flags) is not meets


def test_us_reservation_unknown_prior_dmts_is_undetermined() -> None:
    drug = result_for("alemtuzumab", PatientContext(region="us"))
    assert drug.reservation["us"].patient_meets is None
    assert any(f.code == "reservation-unknown" and f.undecided for f in drug.flags)
    assert drug.eligibility.tier == "eligible"


@pytest.mark.parametrize("drug_id", HIGHLY_ACTIVE)
def test_eu_restricted_to_highly_active_or_rapidly_evolving_severe(drug_id: str) -> None:
    def meets(**facts: object) -> bool | None:
        context = validate_context({"region": "eu", "course": "rrms", **facts})
        status = result_for(drug_id, context).reservation["eu"]
        assert status.restricted
        assert status.wording
        return status.patient_meets

    assert meets(activity="active", prior_dmts=1) is False
    assert meets(activity="inactive", prior_dmts=3) is False
    assert meets(activity="rapidly-evolving-severe", prior_dmts=0) is True
    assert meets(activity="highly-active", prior_dmts=1, adequate_course=True) is True
    # "a full and adequate course" (issue 12): not given → undetermined, not met → not met
    if drug_id != "cladribine":  # its EU reservation has no "full and adequate course"
        assert meets(activity="highly-active", prior_dmts=1) is None
        assert meets(activity="highly-active", prior_dmts=1, adequate_course=False) is False
    not_met = result_for(drug_id, PatientContext(region="eu", activity="active", prior_dmts=1))
    assert any(f.code == "reservation-not-met" and f.level == "warning" for f in not_met.flags)


@pytest.mark.parametrize("region", ["eu", "us"])
def test_first_line_drug_is_not_restricted(region: Region) -> None:
    drug = result_for("teriflunomide", PatientContext(region=region, prior_dmts=0))
    assert not drug.reservation[region].restricted
    assert drug.reservation[region].patient_meets is True


def test_eu_alemtuzumab_with_autoimmune_history_is_contraindicated() -> None:
    with_history = result_for("alemtuzumab", PatientContext(region="eu", autoimmune_history=True))
    assert with_history.flags[0].level == "contraindication"
    without = result_for("alemtuzumab", PatientContext(region="eu", autoimmune_history=False))
    assert all(f.level != "contraindication" for f in without.flags)
    unknown = result_for("alemtuzumab", PatientContext(region="eu"))
    assert all(f.level != "contraindication" or f.undecided for f in unknown.flags)
    assert any(f.level == "contraindication" and f.undecided for f in unknown.flags)
    assert unknown.eligibility.tier != "contraindicated"
    assert with_history.eligibility.tier == "contraindicated"


@pytest.mark.parametrize(
    ("drug_id", "region"),
    [
        ("teriflunomide", "eu"),
        ("teriflunomide", "us"),
        ("cladribine", "eu"),
        ("cladribine", "us"),
        ("fingolimod", "eu"),  # the US label warns of fetal risk but does not contraindicate
    ],
)
def test_planned_pregnancy_is_a_contraindication(drug_id: str, region: Region) -> None:
    planned = result_for(
        drug_id, PatientContext(region=region, conception_planned_in_months="planned")
    )
    assert planned.flags[0].level == "contraindication"
    not_planned = result_for(
        drug_id,
        PatientContext(
            region=region, conception_planned_in_months="not-planned", breastfeeding="no"
        ),
    )
    assert all(f.level != "contraindication" for f in not_planned.flags)


def test_missing_data_is_never_scored_as_safe() -> None:
    result = evaluate(LIB, None, BALANCED, PatientContext())
    for drug in result.drugs:
        for criterion in drug.criteria.values():
            if criterion.status == "no-data":
                assert criterion.score_low == 0.0
                assert criterion.value_score is None
                assert not drug.complete or criterion.weight == 0.0
