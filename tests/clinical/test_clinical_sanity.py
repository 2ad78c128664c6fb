"""Clinical sanity on the bundled profiles: the scenarios an MS neurologist would check first.

When one of these fails, the data or the model is wrong — not the neurologist.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from workbench.engine.context import PatientContext
from workbench.engine.context_validation import validate_context
from workbench.engine.evaluate import evaluate
from workbench.engine.result import DrugResult, Result
from workbench.profiles.loader import load_library
from workbench.profiles.paths import bundled_profiles_dir
from workbench.report.coverage import coverage

LIB = load_library(bundled_profiles_dir())
INTERFERONS = (
    "interferon-beta-1a-im",
    "interferon-beta-1a-sc",
    "interferon-beta-1b",
    "peginterferon-beta-1a",
)
SEED = (
    "alemtuzumab",
    "natalizumab",
    "ocrelizumab",
    "fingolimod",
    "teriflunomide",
    "dimethyl-fumarate",
    *INTERFERONS,
    "glatiramer-acetate",
)
"""The drugs of the first fact sheet: each must have evidence on every risk and on relapses."""
HIGH_EFFICACY_ANTIBODIES = ("alemtuzumab", "natalizumab", "ocrelizumab", "ofatumumab")
MODERATE_EFFICACY = (*INTERFERONS, "glatiramer-acetate", "teriflunomide")
ANTI_CD20_WITH_PML_EVIDENCE = ("ocrelizumab", "ofatumumab")
HIGH_RISK_PML = PatientContext(jcv_status="positive", jcv_index=2.1, prior_immunosuppressant=False)


def only(concern: str) -> dict[str, float]:
    return {c.id: (10.0 if c.id == concern else 0.0) for c in LIB.criteria}


def ranked(
    importance: Mapping[str, float], drugs: Sequence[str], context: PatientContext | None = None
) -> Result:
    return evaluate(LIB, list(drugs), importance, context or PatientContext())


def rank_of(result: Result, drug_id: str) -> int:
    return next(d.rank for d in result.drugs if d.id == drug_id)


def drug(result: Result, drug_id: str) -> DrugResult:
    return next(d for d in result.drugs if d.id == drug_id)


KNOWN_GAPS = {
    ("alemtuzumab", "pml"),
    ("glatiramer-acetate", "disability_progression"),
    ("interferon-beta-1b", "disability_progression"),
}
"""Seed cells without honest evidence, listed, never filled: alemtuzumab PML (one FAERS case, no
exposure); glatiramer and interferon beta-1b disability (trials without a significant effect and
without a hazard ratio)."""


def test_every_seed_drug_has_evidence_on_relapses_and_every_risk() -> None:
    grid = coverage(LIB)
    concerns = [cid for cid, _ in grid.concerns]
    missing = [
        f"{drug_id}: {concern}"
        for drug_id, cells in grid.rows
        if drug_id in SEED
        for concern, basis in zip(concerns, cells, strict=True)
        if basis is None and concern != "family_planning" and (drug_id, concern) not in KNOWN_GAPS
    ]
    assert missing == []


def test_at_least_85_percent_of_cells_have_evidence() -> None:
    grid = coverage(LIB)
    assert len(grid.rows) == 20
    assert grid.filled / grid.total >= 0.85


def test_alemtuzumab_ranks_last_on_secondary_autoimmunity() -> None:
    result = ranked(only("secondary_autoimmunity"), SEED)
    last = max(d.rank for d in result.drugs)
    assert rank_of(result, "alemtuzumab") == last
    worse = [d.id for d in result.drugs if d.id != "alemtuzumab" and d.rank == last]
    assert worse == []  # alone at the bottom, not tied


def test_alemtuzumab_autoimmunity_is_far_above_its_comparators() -> None:
    cell = drug(ranked(only("secondary_autoimmunity"), SEED), "alemtuzumab")
    alemtuzumab = cell.criteria["secondary_autoimmunity"].value
    assert alemtuzumab is not None
    for other in SEED:
        if other == "alemtuzumab":
            continue
        found = drug(ranked(only("secondary_autoimmunity"), [other]), other)
        value = found.criteria["secondary_autoimmunity"]
        high = value.high if value.high is not None else value.value
        assert high is not None
        assert alemtuzumab > 3 * high, other


def test_high_efficacy_antibodies_rank_above_moderate_efficacy_drugs_on_relapses() -> None:
    result = ranked(only("disease_activity"), (*HIGH_EFFICACY_ANTIBODIES, *MODERATE_EFFICACY))
    worst_antibody = max(rank_of(result, d) for d in HIGH_EFFICACY_ANTIBODIES)
    best_moderate = min(rank_of(result, d) for d in MODERATE_EFFICACY)
    assert worst_antibody < best_moderate


def test_natalizumab_ranks_below_the_anti_cd20s_on_pml_for_a_high_index_patient() -> None:
    result = ranked(only("pml"), ("natalizumab", *ANTI_CD20_WITH_PML_EVIDENCE), HIGH_RISK_PML)
    for anti_cd20 in ANTI_CD20_WITH_PML_EVIDENCE:
        assert rank_of(result, "natalizumab") > rank_of(result, anti_cd20)


def test_natalizumab_ranks_last_on_pml_among_seed_drugs_with_pml_evidence() -> None:
    """For an anti-JCV positive patient with index 2.1 and no prior immunosuppressant."""
    with_evidence = [d for d in SEED if (d, "pml") not in KNOWN_GAPS]
    result = ranked(only("pml"), with_evidence, HIGH_RISK_PML)
    assert rank_of(result, "natalizumab") == max(d.rank for d in result.drugs)


def _pml(**facts: object) -> float:
    context = validate_context(facts)
    cell = drug(ranked(only("pml"), ["natalizumab"], context), "natalizumab").criteria["pml"]
    assert cell.status == "measured", facts
    assert cell.value is not None
    return cell.value


def test_natalizumab_pml_follows_jcv_status_index_exposure_and_prior_immunosuppression() -> None:
    negative = _pml(jcv_status="negative")
    low = _pml(jcv_status="positive", jcv_index=0.5, prior_immunosuppressant=False)
    middle = _pml(jcv_status="positive", jcv_index=1.2, prior_immunosuppressant=False)
    high = _pml(jcv_status="positive", jcv_index=2.1, prior_immunosuppressant=False)
    assert negative < low < middle < high
    prior = _pml(jcv_status="positive", prior_immunosuppressant=True)
    assert prior > low
    started = _pml(jcv_status="positive", jcv_index=2.1, prior_immunosuppressant=False)
    continuing = _pml(
        jcv_status="positive",
        jcv_index=2.1,
        prior_immunosuppressant=False,
        current_dmt="natalizumab",
        months_on_current=24,
        horizon_months=24,
    )
    assert continuing > started  # the risk accrues with exposure


def test_a_new_natalizumab_patient_is_not_scored_at_the_lowest_band() -> None:
    first_year = _pml(
        jcv_status="positive", jcv_index=2.1, prior_immunosuppressant=False, horizon_months=12
    )
    planned = _pml(jcv_status="positive", jcv_index=2.1, prior_immunosuppressant=False)
    assert planned > first_year


def test_unknown_jcv_status_is_a_range_never_the_best_case() -> None:
    cell = drug(ranked(only("pml"), ["natalizumab"]), "natalizumab").criteria["pml"]
    assert cell.status == "stratum-range"
    assert cell.low is not None
    assert cell.high is not None
    assert cell.high >= _pml(jcv_status="positive", jcv_index=2.1, prior_immunosuppressant=False)


@pytest.mark.parametrize("drug_id", ["alemtuzumab", "natalizumab"])
def test_reserved_drugs_stay_reserved_in_the_eu(drug_id: str) -> None:
    first_line = PatientContext(region="eu", activity="active", prior_dmts=0)
    found = drug(ranked(only("disease_activity"), [drug_id], first_line), drug_id)
    assert found.reservation["eu"].restricted
    assert found.reservation["eu"].patient_meets is False
    assert any(f.code == "reservation-not-met" for f in found.flags)


def test_missing_data_is_never_scored_as_safe() -> None:
    for profile in LIB.profiles:
        found = drug(ranked(only("pml"), [profile.id]), profile.id)
        cell = found.criteria["pml"]
        if cell.status == "no-data":
            assert cell.score_low == 0.0
            assert not found.complete


def _wait(drug_id: str, **facts: object) -> tuple[str, float | None, float | None]:
    context = validate_context({"region": "us", "conception_planned_in_months": 24, **facts})
    cell = drug(ranked(only("family_planning"), [drug_id], context), drug_id).criteria
    wait = cell["family_planning"]
    return wait.status, wait.low, wait.high


def test_the_pregnancy_wait_follows_sex_from_the_label_intervals() -> None:
    assert _wait("ocrelizumab", sex="female") == ("measured", 6.0, 6.0)
    assert _wait("ocrelizumab", sex="male") == ("measured", 0.0, 0.0)  # no period for men
    assert _wait("ocrelizumab") == ("stratum-range", 0.0, 6.0)  # sex unknown: both
    assert _wait("cladribine", sex="male") == ("measured", 6.0, 6.0)  # men too
    assert _wait("cladribine") == ("measured", 6.0, 6.0)  # the same for everyone: decided


def test_continuing_the_current_drug_is_not_judged_by_the_rules_for_starting_it() -> None:
    on_it = PatientContext(
        region="eu", activity="active", current_dmt="natalizumab", months_on_current=20
    )
    result = ranked(only("disease_activity"), ["natalizumab", "ocrelizumab"], on_it)
    continuing = drug(result, "natalizumab")
    assert "(continue)" in continuing.name
    assert continuing.eligibility.tier == "eligible"
    assert not any(
        f.code in ("reservation-not-met", "reservation-unknown") for f in continuing.flags
    )
    assert any(f.code == "reservation-continuing" and f.level == "info" for f in continuing.flags)
    starting = drug(
        ranked(
            only("disease_activity"),
            ["natalizumab"],
            PatientContext(region="eu", activity="active", prior_dmts=0),
        ),
        "natalizumab",
    )
    assert starting.eligibility.tier == "outside-label"  # starting it is still reserved
