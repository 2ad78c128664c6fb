"""SMAA as the table shows it: the banner compares the drugs of the first group only (never an
off-label drug ahead of the only eligible one), the app and `compare --smaa` share one default
and give the same figures, and the case note says how to reproduce the run."""

from __future__ import annotations

import json

import pytest
from conftest import TODAY

from workbench.app.state import Workbench
from workbench.cli.main import main
from workbench.engine.context import PatientContext
from workbench.engine.evaluate import evaluate
from workbench.engine.smaa_settings import SmaaSettings
from workbench.profiles.library import Library
from workbench.profiles.loader import load_library
from workbench.profiles.paths import bundled_profiles_dir
from workbench.report import wording
from workbench.report.casenote import render_case_note


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(bundled_profiles_dir())


def test_the_banner_compares_within_the_first_group_only(library: Library) -> None:
    importance = dict.fromkeys((c.id for c in library.criteria), 5.0)
    context = PatientContext(course="ppms")
    result = evaluate(library, None, importance, context, SmaaSettings(iterations=2000))
    top = result.drugs[0]
    assert top.id == "ocrelizumab"
    tiers = {d.id: d.eligibility.tier for d in result.drugs}
    assert "ocrelizumab" in result.smaa_compared  # the only eligible DMT in PPMS
    assert {tiers[i] for i in result.smaa_compared} == {"eligible"}
    assert "rituximab" not in result.smaa_compared  # off-label: never named ahead of it
    assert result.most_probable_first == "ocrelizumab"
    assert wording.disagreement(result) == ""
    relapsing = evaluate(library, None, importance, PatientContext(), SmaaSettings(iterations=2000))
    tiers = {d.id: d.eligibility.tier for d in relapsing.drugs}
    compared = relapsing.smaa_compared
    assert len(compared) > 1
    assert relapsing.most_probable_first in compared
    assert {tiers[i] for i in compared} == {relapsing.drugs[0].eligibility.tier}
    words = wording.disagreement(relapsing)
    if words:
        assert f"among the {len(compared)} drugs" in words


def test_app_and_cli_give_the_same_smaa_for_the_same_seed(
    library: Library,
    capsys: pytest.CaptureFixture[str],
) -> None:
    wb = Workbench(library)
    assert wb.smaa_settings == SmaaSettings()
    app = wb.run_smaa(wb.prepared, wb.importance)
    assert (
        main(["compare", "--smaa", "--seed", str(wb.smaa_settings.seed), "--format", "json"]) == 0
    )
    cli = json.loads(capsys.readouterr().out)
    assert cli["smaa"]["weight_mode"] == wb.smaa_settings.weight_mode
    assert {d["id"]: d["p_first"] for d in cli["drugs"]} == {
        d.id: round(d.p_first or 0.0, 6) for d in app.drugs
    }


def test_the_case_note_says_how_to_reproduce_the_smaa(library: Library) -> None:
    importance = dict.fromkeys((c.id for c in library.criteria), 5.0)
    settings = SmaaSettings(iterations=500, seed=7)
    result = evaluate(
        library, ["natalizumab", "ocrelizumab"], importance, PatientContext(), settings
    )
    note = render_case_note(result, today=TODAY)
    assert "--smaa 500 --seed 7 --smaa-weights around --smaa-spread 2" in note
