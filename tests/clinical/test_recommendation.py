"""Issue 11 on the bundled profiles: eligibility first, no rank decided by a missing number, SMAA
beside every rank, undecided cautions at their own level, one vocabulary in every output."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

import pytest
from conftest import TODAY

from workbench.app.cells import flags_cell, reservation_cell, value_cell
from workbench.app.notes import drug_notes
from workbench.engine.context import PatientContext
from workbench.engine.evaluate import evaluate
from workbench.engine.result import TIERS, DrugResult, Result
from workbench.engine.smaa_settings import SmaaSettings
from workbench.engine.weights import preset_importance
from workbench.profiles.loader import load_library
from workbench.profiles.paths import bundled_profiles_dir
from workbench.report import wording
from workbench.report.casenote import render_case_note
from workbench.report.csv_export import render_csv
from workbench.report.json_export import result_to_dict
from workbench.report.table import render_table

LIB = load_library(bundled_profiles_dir())
BALANCED = preset_importance(LIB, "balanced")
PPMS = PatientContext(region="eu", course="ppms")


def drug(result: Result, drug_id: str) -> DrugResult:
    return next(d for d in result.drugs if d.id == drug_id)


def tiers_in_order(result: Result) -> list[int]:
    return [TIERS.index(d.eligibility.tier) for d in result.drugs]


def test_ppms_puts_ocrelizumab_first_and_groups_the_others_outside_the_label() -> None:
    result = evaluate(LIB, None, BALANCED, PPMS)
    assert result.drugs[0].id == "ocrelizumab"
    eligible = [d.id for d in result.drugs if d.eligibility.tier == "eligible"]
    assert eligible[0] == "ocrelizumab"
    for other in ("dimethyl-fumarate", "diroximel-fumarate", "fingolimod", "teriflunomide"):
        found = drug(result, other)
        assert found.eligibility.tier == "outside-label"
        assert found.rank > drug(result, "ocrelizumab").rank
        assert any("indication" in reason for reason in found.eligibility.reasons)


def test_tiers_are_in_order_and_a_contraindicated_drug_is_never_eligible() -> None:
    case = PatientContext(region="eu", autoimmune_history=True, course="rrms")
    result = evaluate(LIB, None, BALANCED, case)
    assert tiers_in_order(result) == sorted(tiers_in_order(result))
    alemtuzumab = drug(result, "alemtuzumab")
    assert alemtuzumab.eligibility.tier == "contraindicated"
    assert alemtuzumab.rank > max(
        d.rank for d in result.drugs if d.eligibility.tier != "contraindicated"
    )


def test_undecided_conditions_mark_a_drug_but_never_move_it() -> None:
    unknown = evaluate(LIB, ["alemtuzumab"], BALANCED, PatientContext(region="eu")).drugs[0]
    assert unknown.eligibility.tier != "contraindicated"
    assert any(p.startswith("may be contraindicated:") for p in unknown.eligibility.possible)
    undecided = [f for f in unknown.flags if f.undecided]
    assert undecided
    contraindication = next(f for f in undecided if f.level == "contraindication")
    assert wording.flag_mark(contraindication) == "✖?"
    assert wording.flag_heading(contraindication).startswith("contraindicated if autoimmune")
    assert "✖?1" in wording.flag_counts(unknown.flags)
    assert all(
        "if it does" not in f.text and not f.text.startswith("may apply") for f in unknown.flags
    )


def test_all_together_ignores_tiers_but_still_never_ranks_on_missing_data() -> None:
    together = evaluate(LIB, None, BALANCED, PPMS, rank_mode="all-together")
    assert together.rank_mode == "all-together"
    # teaching mode: the label no longer orders - every ranked drug by its total, tiers mixed
    totals = [d.score_range[0] for d in together.drugs if d.ranked]
    assert totals == sorted(totals, reverse=True)
    ranked = [d.ranked for d in together.drugs]
    assert ranked == sorted(ranked, reverse=True)


@pytest.mark.parametrize("rank_mode", ["tiers", "all-together"])
def test_a_drug_without_evidence_never_appears_above_a_ranked_drug(rank_mode: str) -> None:
    only_pml = {c.id: (10.0 if c.id == "pml" else 0.0) for c in LIB.criteria}
    result = evaluate(LIB, None, only_pml, PatientContext(region="eu"), rank_mode=rank_mode)  # type: ignore[arg-type]
    groups = [
        (TIERS.index(d.eligibility.tier) if rank_mode == "tiers" else 0, not d.ranked)
        for d in result.drugs
    ]
    assert groups == sorted(groups)
    unranked = [d for d in result.drugs if not d.ranked]
    assert {d.id for d in unranked} >= {"alemtuzumab", "rituximab"}
    for d in unranked:
        assert d.unranked_because == ("PML risk",)
        assert wording.rank(d) == "–"
        assert wording.NOT_RANKED in wording.group_heading(d, rank_mode)
        assert "PML risk no data" in wording.tier_reasons(d)
        assert d.rank_range is not None


def test_smaa_gives_p_first_and_expected_rank_beside_every_rank() -> None:
    result = evaluate(LIB, None, BALANCED, PPMS, SmaaSettings(2_000, seed=4))
    for d in result.drugs:
        assert d.acceptability is not None
        assert d.p_first == d.acceptability[0]
        assert d.expected_rank is not None
        assert 1.0 <= d.expected_rank <= len(result.drugs)
    assert sum(d.p_first or 0.0 for d in result.drugs) == pytest.approx(1.0)
    assert result.most_probable_first in result.smaa_compared  # the first group's drugs only
    sentence = wording.disagreement(result)
    assert (sentence == "") == (result.most_probable_first == result.drugs[0].id)
    data = result_to_dict(result)
    assert data["drugs"][0]["p_first"] == pytest.approx(result.drugs[0].p_first, abs=1e-6)


def _everywhere(result: Result, drug_id: str) -> Sequence[str]:
    found = drug(result, drug_id)
    return (
        render_table(result, width=200),
        render_case_note(result, today=TODAY),
        drug_notes(found, LIB.profile(drug_id), result).plain,
    )


def test_one_vocabulary_in_the_table_notes_case_note_csv_and_json() -> None:
    case = PatientContext(region="eu", activity="active", prior_dmts=0)
    result = evaluate(LIB, ["fingolimod", "natalizumab", "ocrelizumab"], BALANCED, case)
    natalizumab = drug(result, "natalizumab")
    status = wording.reservation(natalizumab.reservation["eu"])
    assert status == "✗ not met"
    assert reservation_cell(natalizumab.reservation["eu"]).plain == status
    fingolimod_pml = drug(result, "fingolimod").criteria["pml"]
    figure = wording.measurement(fingolimod_pml)
    assert figure == "0.0475 [0.0334–0.0655]"
    # the app's cell, where the figure would not fit its column: the bounds to 2 digits
    assert value_cell(fingolimod_pml).plain.startswith("0.0475 [0.033–0.065]")
    for text in _everywhere(result, "natalizumab"):
        assert status in text
    for text in _everywhere(result, "fingolimod"):
        assert figure in " ".join(text.replace("\\[", "[").replace("\\]", "]").split())
    counts = wording.flag_counts(natalizumab.flags)
    assert flags_cell(natalizumab.flags).plain == counts
    rows = list(csv.DictReader(io.StringIO(render_csv(result))))
    row = next(r for r in rows if r["drug_id"] == "fingolimod" and r["concern"] == "pml")
    assert float(row["value"]) == pytest.approx(fingolimod_pml.value, abs=1e-6)
    data = json.loads(json.dumps(result_to_dict(result)))
    cell = next(d for d in data["drugs"] if d["id"] == "fingolimod")["criteria"]["pml"]
    assert wording.number(cell["value"]) == wording.number(fingolimod_pml.value or 0.0)
    assert (
        next(d for d in data["drugs"] if d["id"] == "natalizumab")["eligibility"]["tier"]
        == "outside-label"
    )
