"""Activity from facts (issue 23): each label and guideline definition of the bundled criteria.toml
worked by hand on small cases (met, not met, undecided), the derived activity, the conflict with a
given activity, and the onset time from the current drug's profile."""

from __future__ import annotations

import pytest

from workbench.engine.activity import apply_facts, assess
from workbench.engine.context import PatientContext
from workbench.engine.evaluate import prepare
from workbench.engine.history import derive
from workbench.engine.result import ActivityAssessment, DefinitionFinding
from workbench.profiles.library import Library
from workbench.profiles.loader import load_library
from workbench.profiles.paths import bundled_profiles_dir


@pytest.fixture(scope="module")
def bundled() -> Library:
    return load_library(bundled_profiles_dir())


def assessed(library: Library, context: PatientContext) -> ActivityAssessment:
    return assess(context, apply_facts(derive(context, library), library), library)


def finding(result: ActivityAssessment, definition: str) -> DefinitionFinding:
    return next(f for f in result.findings if f.id == definition)


# On glatiramer acetate for 18 months (onset time 6 months in its profile), a full and adequate
# course: the treated patient of the EU "despite treatment" definition.
ON_GA = PatientContext(
    region="eu",
    course="rrms",
    current_dmt="glatiramer-acetate",
    months_on_current=18,
    adequate_course=True,
    activity_on_current=True,
)
NAIVE = PatientContext(region="eu", course="rrms", current_dmt="none", activity_on_current=False)

EU_HA = "eu-highly-active-despite-treatment"
RES = "eu-rapidly-evolving-severe"
CLAD = "eu-cladribine-highly-active"
AAN = "aan-suboptimal-response"


def test_eu_highly_active_met_by_a_relapse_and_gd_lesions_on_treatment(bundled: Library) -> None:
    # 1 relapse in 12 months + 3 Gd lesions, on GA after 18 months (>= 6), adequate course: met
    result = assessed(bundled, ON_GA.replace(relapses_12m=1, gd_lesions=3))
    found = finding(result, EU_HA)
    assert found.verdict == "met"
    assert "Relapses, last 12 months: 1 (≥ 1)" in found.facts
    assert "Gd-enhancing lesions, last MRI: 3 (≥ 1)" in found.facts
    assert (
        "Glatiramer acetate after its onset time (18 months on it, onset 6 months)" in found.facts
    )
    # RES needs 2 relapses: not met; the level is highly active, said with the definition
    assert finding(result, RES).verdict == "not met"
    assert result.possible == ("highly-active",)
    assert result.summary.startswith("Disease activity: highly-active (derived from the facts)")
    assert "highly active despite a full and adequate course (EU) met by" in result.summary


def test_eu_highly_active_met_by_nine_t2_lesions(bundled: Library) -> None:
    result = assessed(bundled, ON_GA.replace(relapses_12m=1, gd_lesions=0, t2_lesions=9))
    assert finding(result, EU_HA).verdict == "met"


def test_eu_highly_active_not_met_without_activity(bundled: Library) -> None:
    # no relapse, no lesion: no definition of activity is met, the disease is inactive
    facts = ON_GA.replace(relapses_12m=0, new_t2_12m=0, gd_lesions=0, t2_lesions=4)
    result = assessed(bundled, facts)
    assert finding(result, EU_HA).verdict == "not met"
    assert finding(result, "ectrims-active").verdict == "not met"
    assert result.possible == ("inactive",)
    assert "no definition of activity met" in result.summary


def test_eu_highly_active_not_met_within_the_onset_time(bundled: Library) -> None:
    # the same relapse and lesions after 4 months on GA (< its 6-month onset): not yet failure
    result = assessed(bundled, ON_GA.replace(months_on_current=4, relapses_12m=1, gd_lesions=3))
    assert finding(result, EU_HA).verdict == "not met"
    assert finding(result, AAN).verdict == "not met"
    # cladribine's criteria count activity "while on therapy", onset or not
    assert finding(result, CLAD).verdict == "met"


def test_eu_highly_active_undecided_names_the_missing_facts(bundled: Library) -> None:
    # 1 relapse on treatment, but adequacy and the MRI unknown
    facts = ON_GA.replace(adequate_course=None, relapses_12m=1)
    result = assessed(bundled, facts)
    found = finding(result, EU_HA)
    assert found.verdict == "undecided"
    assert {"Full and adequate course", "Gd-enhancing lesions, last MRI"} <= set(found.missing)
    assert finding(result, RES).verdict == "not met"  # one relapse is known: not two
    assert result.possible == ("active", "highly-active")
    assert result.summary.startswith("Disease activity: unknown, active or highly-active")


def test_eu_highly_active_left_to_the_clinician_on_mri_activity_alone(bundled: Library) -> None:
    # Gd lesions on treatment without a relapse: the current SmPC sets no counts
    found = finding(assessed(bundled, ON_GA.replace(relapses_12m=0, gd_lesions=2)), EU_HA)
    assert found.verdict == "undecided"
    assert found.open_reason is not None
    assert "sets no counts" in found.open_reason


def test_res_met_by_two_relapses_and_a_gd_lesion(bundled: Library) -> None:
    result = assessed(bundled, NAIVE.replace(relapses_12m=2, gd_lesions=1))
    assert finding(result, RES).verdict == "met"
    assert result.possible == ("rapidly-evolving-severe",)
    assert "rapidly evolving severe (EU) met by" in result.summary


def test_res_not_met_with_one_relapse(bundled: Library) -> None:
    result = assessed(bundled, NAIVE.replace(relapses_12m=1, gd_lesions=4, t2_lesions=20))
    assert finding(result, RES).verdict == "not met"
    assert result.possible == ("active",)  # untreated: neither EU highly-active definition


def test_res_undecided_without_the_mri(bundled: Library) -> None:
    found = finding(assessed(bundled, NAIVE.replace(relapses_12m=2)), RES)
    assert found.verdict == "undecided"
    assert "Gd-enhancing lesions, last MRI" in found.missing


def test_res_with_new_t2_lesions_only_is_left_to_the_clinician(bundled: Library) -> None:
    found = finding(
        assessed(bundled, NAIVE.replace(relapses_12m=2, gd_lesions=0, new_t2_12m=3)), RES
    )
    assert found.verdict == "undecided"
    assert found.open_reason is not None
    assert "significant increase" in found.open_reason


def test_cladribine_highly_active_by_two_relapses_on_or_off_treatment(bundled: Library) -> None:
    result = assessed(bundled, NAIVE.replace(relapses_12m=2, gd_lesions=0, new_t2_12m=0))
    assert finding(result, CLAD).verdict == "met"
    assert finding(result, EU_HA).verdict == "not met"  # untreated
    assert result.possible == ("highly-active",)


def test_cladribine_highly_active_not_met_by_one_relapse_off_treatment(bundled: Library) -> None:
    result = assessed(bundled, NAIVE.replace(relapses_12m=1, gd_lesions=2, t2_lesions=12))
    assert finding(result, CLAD).verdict == "not met"


def test_aan_suboptimal_response_met_by_one_relapse_after_adequate_time(bundled: Library) -> None:
    found = finding(assessed(bundled, ON_GA.replace(relapses_12m=1)), AAN)
    assert found.verdict == "met"
    assert found.paraphrase  # the guideline sentence was seen only in summaries


def test_aan_suboptimal_response_met_by_two_new_lesions(bundled: Library) -> None:
    facts = ON_GA.replace(relapses_12m=0, new_t2_12m=2)
    assert finding(assessed(bundled, facts), AAN).verdict == "met"


def test_aan_suboptimal_response_not_met_by_one_new_lesion(bundled: Library) -> None:
    found = finding(assessed(bundled, ON_GA.replace(relapses_12m=0, new_t2_12m=1)), AAN)
    assert found.verdict == "not met"
    assert found.note is not None
    assert "disability" in found.note


def test_aan_undecided_when_the_months_on_the_drug_are_unknown(bundled: Library) -> None:
    found = finding(assessed(bundled, ON_GA.replace(months_on_current=None, relapses_12m=1)), AAN)
    assert found.verdict == "undecided"
    assert "Months on current DMT" in found.missing


def test_no_facts_leave_activity_as_given_or_unknown(bundled: Library) -> None:
    assert assessed(bundled, PatientContext()).summary.startswith("Disease activity: unknown")
    given = assessed(bundled, PatientContext(activity="active"))
    assert given.findings == ()
    assert given.summary.startswith("Disease activity: active (given")


def test_an_explicit_activity_wins_and_a_conflict_is_shown(bundled: Library) -> None:
    context = NAIVE.replace(activity="inactive", relapses_12m=2, gd_lesions=1)
    prepared = prepare(bundled, ["ocrelizumab"], context)
    assert prepared.activity is not None
    assert prepared.activity.conflict == (
        "Activity given as inactive, but the facts give rapidly-evolving-severe: the given value "
        "is used."
    )
    assert prepared.activity.summary.startswith("Disease activity: inactive (given)")
    # the given value is the one the labels see: ocrelizumab's EU active-disease condition fails
    assert prepared.drugs[0].eligibility.tier == "outside-label"


def test_derived_activity_opens_a_reservation(bundled: Library) -> None:
    # untreated, 2 disabling relapses and a Gd lesion: RES meets natalizumab's EU reservation
    context = NAIVE.replace(relapses_12m=2, gd_lesions=1, previous_dmts=())
    natalizumab = prepare(bundled, ["natalizumab"], context).drugs[0]
    assert natalizumab.reservation["eu"].patient_meets is True
    # one relapse and lesions only: the reservation is not met (active, not highly active)
    context = NAIVE.replace(relapses_12m=1, gd_lesions=1, t2_lesions=3, previous_dmts=())
    natalizumab = prepare(bundled, ["natalizumab"], context).drugs[0]
    assert natalizumab.reservation["eu"].patient_meets is False


def test_every_bundled_definition_cites_its_sources_and_marks_paraphrases(
    bundled: Library,
) -> None:
    cited = {s.id for s in bundled.sources}
    assert len(bundled.definitions) >= 5
    for definition in bundled.definitions:
        assert set(definition.source_ids) <= cited
        if definition.wording.lower().startswith("paraphrase"):
            assert definition.paraphrase
