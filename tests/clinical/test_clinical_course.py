"""Clinical sanity of disability progression, benefit by course, cited presets and concerns that
apply to the patient, on the bundled profiles (issue 25).

When one of these fails, the data or the model is wrong — not the neurologist.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from workbench.engine.context import PatientContext
from workbench.engine.context_validation import validate_context
from workbench.engine.evaluate import evaluate
from workbench.engine.evidence import Z95
from workbench.engine.result import CriterionResult, DrugResult, Result
from workbench.engine.smaa_settings import SmaaSettings
from workbench.engine.weights import default_preset, preset_importance
from workbench.profiles.loader import load_library
from workbench.profiles.paths import bundled_profiles_dir
from workbench.report.casenote import render_case_note as _render_case_note
from workbench.report.coverage import coverage
from workbench.report.json_export import render_json
from workbench.report.table import render_table

LIB = load_library(bundled_profiles_dir())
EVERY = [p.id for p in LIB.profiles]
ANTIBODIES = ("natalizumab", "ocrelizumab", "ofatumumab", "alemtuzumab", "ublituximab")
"""High-efficacy antibodies with disability evidence in relapsing MS."""
PLATFORM = (
    "interferon-beta-1a-im",
    "interferon-beta-1a-sc",
    "interferon-beta-1b",
    "peginterferon-beta-1a",
    "glatiramer-acetate",
    "teriflunomide",
)
DISABILITY = "disability_progression"
RELAPSES = "disease_activity"
WAIT = "family_planning"


def render_case_note(result: Result) -> str:
    return _render_case_note(result, today=dt.date(2026, 12, 7))


def only(*concerns: str) -> dict[str, float]:
    return {c.id: (10.0 if c.id in concerns else 0.0) for c in LIB.criteria}


def run(
    importance: Mapping[str, float],
    facts: Mapping[str, object] | None = None,
    *,
    drugs: Sequence[str] = EVERY,
    smaa: SmaaSettings | None = None,
) -> Result:
    context = validate_context(dict(facts or {}))
    return evaluate(LIB, list(drugs), importance, context, smaa, rank_mode="all-together")


def cell(result: Result, drug_id: str, concern: str) -> CriterionResult:
    return next(d for d in result.drugs if d.id == drug_id).criteria[concern]


def drug(result: Result, drug_id: str) -> DrugResult:
    return next(d for d in result.drugs if d.id == drug_id)


# --------------------------------------------------------------------------- coverage per course

EXPECTED_DISABILITY = {
    "alemtuzumab": "rrms",
    "cladribine": "rrms",
    "dimethyl-fumarate": "rrms",
    "diroximel-fumarate": "rrms",
    "fingolimod": "rrms",
    "interferon-beta-1a-im": "rrms",
    "interferon-beta-1a-sc": "rrms",
    "natalizumab": "rrms",
    "ocrelizumab": "rrms pooled-trials, ppms trial-arm",
    "ofatumumab": "rrms",
    "peginterferon-beta-1a": "rrms",
    "ponesimod": "rrms",
    "rituximab": "ppms",
    "siponimod": "active-spms trial-arm, non-active-spms trial-arm",
    "teriflunomide": "rrms",
    "ublituximab": "rrms",
}
"""Each drug with a pivotal disability trial, and the course(s) its figures count for. No figure:
glatiramer, interferon beta-1b and ozanimod (non-significant trials without a hazard ratio)."""


def test_coverage_shows_disability_per_course_with_its_basis() -> None:
    grid = coverage(LIB)
    column = [cid for cid, _ in grid.concerns].index(DISABILITY)
    cells = {drug_id: cells[column] for drug_id, cells in grid.rows}
    for drug_id, expected in EXPECTED_DISABILITY.items():
        found = cells[drug_id]
        assert found is not None, drug_id
        assert found.startswith(expected), (drug_id, found)
    assert {d for d, c in cells.items() if c is None} == {
        "glatiramer-acetate",
        "interferon-beta-1b",
        "ozanimod",
    }


# --------------------------------------------------------------------------- benefit by course


@pytest.mark.parametrize("region", ["eu", "us"])
def test_ppms_scores_ocrelizumab_on_oratorio_and_nothing_on_a_relapsing_figure(
    region: str,
) -> None:
    result = run(only(DISABILITY, RELAPSES), {"course": "ppms", "region": region})
    ocrelizumab = cell(result, "ocrelizumab", DISABILITY)
    assert ocrelizumab.status == "measured"
    assert ocrelizumab.stratum == "PPMS (ORATORIO)"
    assert ocrelizumab.value == pytest.approx(25.0)  # 24-week CDP, HR 0.75
    for d in result.drugs:
        if d.id == "no-treatment":  # the placebo reference: 0 in every course
            assert d.criteria[DISABILITY].value == 0.0
            continue
        assert d.criteria[RELAPSES].status == "no-data", d.id  # ORATORIO had no relapse endpoint
        disability = d.criteria[DISABILITY]
        if d.id in ("ocrelizumab", "rituximab"):  # the two PPMS trials (OLYMPUS: rituximab)
            assert disability.status == "measured", d.id
        else:
            assert disability.status == "no-data", d.id
            if d.id in EXPECTED_DISABILITY:  # a figure of another population, not used
                assert disability.note is not None
                assert "ppms" in disability.note
    # within the label (rituximab is off-label, OLYMPUS not significant), ocrelizumab comes first
    in_tiers = evaluate(LIB, EVERY, only(DISABILITY), validate_context({"course": "ppms"}))
    assert in_tiers.drugs[0].id == "ocrelizumab"


def test_active_spms_scores_siponimod_on_expand() -> None:
    result = run(only(DISABILITY, RELAPSES), {"course": "active-spms"})
    siponimod = cell(result, "siponimod", DISABILITY)
    assert siponimod.stratum == "active SPMS (EXPAND subgroup)"
    assert siponimod.value == pytest.approx(37.0)  # 6-month CDP, HR 0.63
    assert cell(result, "siponimod", RELAPSES).status == "measured"  # EXPAND's own ARR
    # no drug is scored in active SPMS on a relapsing-MS trial, whatever its label says
    for drug_id in ("ocrelizumab", "natalizumab", "interferon-beta-1a-sc", "cladribine"):
        assert cell(result, drug_id, DISABILITY).status == "no-data"
        assert cell(result, drug_id, RELAPSES).status == "no-data"
    assert result.drugs[0].id == "siponimod"


def test_non_active_spms_uses_the_whole_expand_population() -> None:
    siponimod = cell(run(only(DISABILITY), {"course": "non-active-spms"}), "siponimod", DISABILITY)
    assert siponimod.value == pytest.approx(26.0)


CIS_TRIALS = {
    "interferon-beta-1a-im": ("CIS (CHAMPS)", 0.56),
    "interferon-beta-1a-sc": ("CIS (REFLEX)", 0.48),
    "interferon-beta-1b": ("CIS (BENEFIT)", 0.50),
    "glatiramer-acetate": ("CIS (PreCISe)", 0.55),
    "teriflunomide": ("CIS (TOPIC)", 0.574),
}
"""The placebo-controlled CIS trials and their hazard ratios of conversion to clinically definite
MS (a second attack)."""


def test_cis_scores_the_cis_trials_conversion_figures_and_nothing_else() -> None:
    result = run(only(RELAPSES), {"course": "cis"})
    for d in result.drugs:
        found = d.criteria[RELAPSES]
        if d.id == "no-treatment":  # the placebo reference
            assert found.value == 0.0
        elif d.id in CIS_TRIALS:
            label, ratio = CIS_TRIALS[d.id]
            assert found.status == "measured", d.id
            assert found.stratum == label
            assert found.value == pytest.approx(100 * (1 - ratio))
            assert found.evidence.interval_kind == "ci95"
        else:  # no CIS trial: a relapsing-MS figure is never used for CIS
            assert found.status == "no-data", d.id
            assert found.note is not None
            assert "cis" in found.note
    # every drug with a CIS figure ranks above No DMT; the relapsing-MS figures are unchanged
    baseline = drug(result, "no-treatment").rank
    assert all(drug(result, d).rank < baseline for d in CIS_TRIALS)
    relapsing = run(only(RELAPSES), {"course": "rrms"})
    assert cell(relapsing, "interferon-beta-1b", RELAPSES).value == pytest.approx(34.0)
    assert cell(relapsing, "interferon-beta-1b", RELAPSES).stratum == "relapsing MS"


def test_coverage_shows_the_cis_relapse_figures() -> None:
    grid = coverage(LIB)
    column = [cid for cid, _ in grid.concerns].index(RELAPSES)
    cells = {drug_id: cells[column] for drug_id, cells in grid.rows}
    for drug_id in CIS_TRIALS:
        assert cells[drug_id] == "cis trial-arm, rrms trial-arm", drug_id


def test_a_case_without_a_course_is_compared_as_relapsing_ms_and_says_so() -> None:
    found = cell(run(only(DISABILITY)), "ocrelizumab", DISABILITY)
    assert found.value == pytest.approx(65.44, abs=0.01)
    assert found.note is not None
    assert found.note.startswith("Course not given: scored for rrms.")
    assert cell(run(only(DISABILITY)), "siponimod", DISABILITY).status == "no-data"


# --------------------------------------------------------------------------- disability evidence


def _high_efficacy_antibodies_with_a_relapsing_disability_figure() -> list[str]:
    """From the data: the profiles a guideline review files as high efficacy whose class is a
    monoclonal antibody and whose disability figure counts for relapsing MS."""
    found = []
    for profile in LIB.profiles:
        category = profile.efficacy_category
        figure = profile.measurements.get(DISABILITY)
        if category is None or category.category != "high" or figure is None:
            continue
        if "monoclonal antibody" in profile.drug_class and "rrms" in (figure.courses or ()):
            found.append(profile.id)
    return found


def test_the_antibodies_of_the_ranking_test_are_those_the_data_names() -> None:
    assert sorted(_high_efficacy_antibodies_with_a_relapsing_disability_figure()) == sorted(
        ANTIBODIES
    )


@pytest.mark.parametrize("prior_dmts", [0, 1])
def test_only_disability_weighted_in_relapsing_ms_antibodies_rank_above_platform(
    prior_dmts: int,
) -> None:
    """Done when (issue 25): with only disability progression weighted in relapsing MS, every
    high-efficacy antibody with a relapsing-MS disability figure ranks above every interferon,
    glatiramer and teriflunomide — strictly, not tied."""
    result = run(only(DISABILITY), {"course": "rrms", "prior_dmts": prior_dmts})
    worst_antibody = max(drug(result, d).rank for d in ANTIBODIES)
    best_platform = min(drug(result, d).rank for d in PLATFORM)
    assert worst_antibody < best_platform, [(d.id, d.rank) for d in result.drugs]
    for antibody in ANTIBODIES:
        low = cell(result, antibody, DISABILITY).value
        assert low is not None
        for platform in PLATFORM:
            other = cell(result, platform, DISABILITY).value
            assert other is None or low > other, (antibody, platform)


def test_ultimate_is_scored_on_its_24_week_figure_like_mscrg() -> None:
    """The concern scores the 24-week confirmed figure where a trial gives it: ULTIMATE's
    prespecified pooled 24-week proportions (3.3% vs 4.8%), derived like MSCRG's (proportional
    hazards), and its 12-week hazard ratio recorded beside it."""
    result = run(only(DISABILITY), {"course": "rrms"})
    ublituximab = cell(result, "ublituximab", DISABILITY)
    interferon = cell(result, "interferon-beta-1a-im", DISABILITY)
    assert ublituximab.evidence.confirmation_weeks == 24
    assert interferon.evidence.confirmation_weeks == 24
    assert [o.weeks for o in ublituximab.evidence.other_confirmations] == [12]
    contrast = math.log(1 - 0.033) / math.log(1 - 0.048)
    assert ublituximab.value == pytest.approx(100 * (1 - round(contrast, 3) * 0.70))
    assert ublituximab.evidence.interval_kind == "ci95"  # sampled, not a point
    assert ublituximab.low is not None
    assert interferon.value is not None
    assert ublituximab.low < interferon.value  # an interval, not a certain point


def test_a_hazard_ratio_is_scored_as_a_reduction_with_its_interval() -> None:
    natalizumab = cell(run(only(DISABILITY), {"course": "rrms"}), "natalizumab", DISABILITY)
    assert natalizumab.value == pytest.approx(54.0)  # AFFIRM 24-week HR 0.46 (0.33-0.64)
    assert (natalizumab.low, natalizumab.high) == pytest.approx((36.0, 67.0))
    assert natalizumab.evidence.interval_kind == "ci95"
    # which confirmation period is scored, and the other period recorded beside it
    assert natalizumab.evidence.confirmation_weeks == 24
    assert [o.weeks for o in natalizumab.evidence.other_confirmations] == [12]
    note = render_case_note(run(only(DISABILITY), {"course": "rrms"}, drugs=["natalizumab"]))
    assert "progression confirmed over 24 weeks; at 12 weeks: HR 0.58 [0.43–0.77]" in note.replace(
        "\\", ""
    )


def test_a_bucher_estimate_propagates_both_legs_intervals() -> None:
    ofatumumab = cell(run(only(DISABILITY), {"course": "rrms"}), "ofatumumab", DISABILITY)
    ratio = 0.68 * 0.70  # ASCLEPIOS 6-month CDW vs teriflunomide × TEMSO vs placebo
    sigma = math.hypot(math.log(0.92 / 0.50), math.log(0.96 / 0.51)) / (2 * Z95)
    assert ofatumumab.value == pytest.approx(100 * (1 - ratio))
    assert ofatumumab.low == pytest.approx(100 * (1 - ratio * math.exp(Z95 * sigma)))
    assert ofatumumab.high == pytest.approx(100 * (1 - ratio * math.exp(-Z95 * sigma)))
    assert ofatumumab.high is not None
    assert ofatumumab.low is not None
    # wider than the anchor's interval carried alone
    assert ofatumumab.high - ofatumumab.low > 100 * (0.96 - 0.51) * 0.68


def test_a_trial_without_a_significant_effect_is_evidence_not_no_data() -> None:
    rituximab = cell(run(only(DISABILITY), {"course": "ppms"}), "rituximab", DISABILITY)
    assert rituximab.status == "measured"  # OLYMPUS, p=0.14: its interval crosses no effect
    assert rituximab.low is not None
    assert rituximab.value is not None
    assert rituximab.low < 0 < rituximab.value
    result = run(only(DISABILITY), {"course": "rrms", "prior_dmts": 0})
    ponesimod = cell(result, "ponesimod", DISABILITY)  # OPTIMUM HR 0.84 (0.57-1.24) vs teri
    assert ponesimod.status == "measured"
    alemtuzumab = cell(result, "alemtuzumab", DISABILITY)  # CARE-MS I, not significant
    assert alemtuzumab.stratum == "treatment-naive (CARE-MS I, indirect)"
    assert alemtuzumab.status == "measured"


def test_smaa_samples_the_disability_figures_around_them() -> None:
    settings = SmaaSettings(iterations=4000, seed=3)
    pair = ("ocrelizumab", "rituximab")  # ORATORIO 25% (2-42) vs OLYMPUS 26% (-10-50)
    result = run(only(DISABILITY), {"course": "ppms"}, drugs=pair, smaa=settings)
    for drug_id in pair:
        p_first = drug(result, drug_id).p_first
        assert p_first is not None
        assert 0.2 < p_first < 0.8, (drug_id, p_first)


# --------------------------------------------------------------------------- pregnancy wait


def _no_wait(result: Result) -> None:
    assert result.weights[WAIT] == 0.0
    assert math.fsum(result.weights.values()) == pytest.approx(1.0)
    assert result.not_relevant == {WAIT: "no pregnancy planned"}
    for d in result.drugs:
        contribution = d.criteria[WAIT].contribution
        assert contribution is None or contribution == 0.0
    words = "Pregnancy wait: not relevant — no pregnancy planned"
    assert words in render_table(result, width=160)
    assert words in render_case_note(result)
    assert json.loads(render_json(result))["not_relevant"] == {WAIT: "no pregnancy planned"}
    assert all(s.concern != WAIT for s in result.sensitivity)


@pytest.mark.parametrize(
    "facts",
    [
        {"sex": "female", "conception_planned_in_months": "not-planned"},
        {"sex": "male", "age": 55},
    ],
    ids=["woman-not-planning", "man-55"],
)
def test_the_pregnancy_wait_does_not_count_when_it_does_not_concern_the_patient(
    facts: dict[str, object],
) -> None:
    balanced = preset_importance(LIB, "balanced")
    _no_wait(run(balanced, facts))
    smaa = run(balanced, facts, smaa=SmaaSettings(iterations=500, weight_mode="uniform"))
    for d in smaa.drugs:
        assert d.central_weights is None or d.central_weights[WAIT] == 0.0


def test_the_pregnancy_wait_applies_at_its_weight_when_conception_is_planned() -> None:
    balanced = preset_importance(LIB, "balanced")
    for facts in (
        {"sex": "female", "conception_planned_in_months": 6},
        {"sex": "female"},  # plan unknown: it may matter
        {"sex": "male", "conception_planned_in_months": 6},  # cladribine's male interval
        {},
    ):
        result = run(balanced, facts)
        assert result.weights[WAIT] == pytest.approx(1 / 6), facts
        assert not result.not_relevant


def test_a_case_whose_only_weighted_concern_does_not_apply_weighs_nothing() -> None:
    result = run(only(WAIT), {"sex": "male", "age": 55})
    assert set(result.weights.values()) == {0.0}
    assert {d.score for d in result.drugs} == {0.0}


# --------------------------------------------------------------------------- presets


def test_every_bundled_preset_cites_its_study_or_says_it_is_for_teaching() -> None:
    for preset in LIB.presets:
        assert preset.source is not None or preset.teaching, preset.id
        if preset.source is not None:
            mapped = {c for a in preset.source.attributes for c in a.concerns}
            assert mapped <= {c.id for c in LIB.criteria}
            assert "rescal" in preset.source.rescaling or "factor" in preset.source.rescaling
    elicited = {p.source.population.split()[2] for p in LIB.presets if p.source is not None}
    assert {"patients", "neurologists,"} <= elicited


def test_the_default_preset_follows_the_rule_in_presets_toml() -> None:
    assert default_preset(LIB, PatientContext()) == "uk-neurologists-other"
    assert default_preset(LIB, PatientContext(activity="active")) == "uk-neurologists-other"
    for activity in ("highly-active", "rapidly-evolving-severe"):
        context = PatientContext(activity=activity)
        assert default_preset(LIB, context) == "uk-neurologists-highly-active"


def test_the_preset_in_use_and_its_source_are_named_everywhere() -> None:
    result = run(preset_importance(LIB, "uk-patients"))
    assert result.preset is not None
    assert result.preset.id == "uk-patients"
    line = "Weights: preset UK patients (uk-patients) — source: Kumar G"
    assert line in render_table(result, width=200)
    assert line in render_case_note(result)
    assert json.loads(render_json(result))["preset"]["id"] == "uk-patients"
    teaching = run(preset_importance(LIB, "balanced")).preset
    assert teaching is not None
    assert teaching.teaching
    assert "teaching device without a source" in teaching.source
    own = run({**preset_importance(LIB, "uk-patients"), "pml": 9.0})
    assert own.preset is None


def test_validate_rejects_a_preset_without_a_source(tmp_path: Path) -> None:
    root = tmp_path / "profiles"
    shutil.copytree(bundled_profiles_dir(), root)
    presets = root / "presets.toml"
    text = presets.read_text(encoding="utf-8")
    presets.write_text(text.replace("teaching = true\n", "", 1), encoding="utf-8")
    problems = [p for p in load_library(root, use_cache=False).errors if p.path == str(presets)]
    assert len(problems) == 1
    assert problems[0].field.endswith(".source")
    assert "has no source" in problems[0].message
