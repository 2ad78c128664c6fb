"""One failing case per validation rule: the exact line, field path and message of the problem.

Each case applies one textual edit to the valid fixture directory `tests/fixtures/profiles/valid`
(a fictional drug, fictional numbers) and checks the single problem it must cause.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import FIXTURES, TODAY

from workbench.profiles.library import Library
from workbench.profiles.loader import load_library
from workbench.profiles.paths import bundled_profiles_dir

TWO_YEARS_AGO = TODAY.replace(year=TODAY.year - 2)

VALID = FIXTURES / "profiles" / "valid"


class Case(NamedTuple):
    file: str
    old: str
    new: str
    line: int
    field: str
    message: str
    severity: str = "error"


def load_edited(tmp_path: Path, file: str, old: str, new: str) -> Library:
    """Copy the valid fixture, replace the unique text `old` in `file` by `new`, load it."""
    root = tmp_path / "profiles"
    shutil.copytree(VALID, root)
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"edit target not unique in {file}: {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return load_library(root, today=TODAY)


DRUG = "exampledrug.toml"
PROFILE_CASES = {
    "id-equals-stem": Case(DRUG, 'id = "exampledrug"', 'id = "otherdrug"', 3, "id", "file name"),
    "source-in-measurement": Case(
        DRUG,
        'source_ids = ["trial-1"]\nindirect',
        'source_ids = ["nope"]\nindirect',
        49,
        "measurements.disease_activity.source_ids[0]",
        "source 'nope' is not in this profile's sources",
    ),
    "source-in-stratum": Case(
        DRUG,
        '["label-eu", "label-us"]',
        '["label-eu", "nope"]',
        75,
        "measurements.pml.strata[1].source_ids[1]",
        "'nope'",
    ),
    "source-in-indirect-contrast": Case(
        DRUG,
        '  "trial-1",\n]',
        '  "nope",\n]',
        51,
        "measurements.disease_activity.indirect.contrast_source_ids[0]",
        "'nope'",
    ),
    "source-in-indirect-anchor": Case(
        DRUG,
        'anchor_source_ids = ["trial-1"]',
        'anchor_source_ids = ["nope"]',
        52,
        "measurements.disease_activity.indirect.anchor_source_ids[0]",
        "'nope'",
    ),
    "source-in-trial": Case(
        DRUG,
        'source_ids = ["trial-1"]\npopulation',
        'source_ids = ["nope"]\npopulation',
        34,
        "trials[0].source_ids[0]",
        "'nope'",
    ),
    "source-in-indication": Case(
        DRUG,
        'source_ids = ["label-us"]\n\n[reservation]',
        'source_ids = ["nope"]\n\n[reservation]',
        19,
        "indications.us.source_ids[0]",
        "'nope'",
    ),
    "source-in-reservation-dotted-key": Case(
        DRUG,
        'eu.source_ids = ["label-eu"]',
        'eu.source_ids = ["label-eu", "nope"]',
        28,
        "reservation.eu.source_ids[1]",
        "'nope'",
    ),
    "source-in-reservation-inline-table": Case(
        DRUG,
        'us = { restricted = false, source_ids = ["label-us"] }',
        'us = { restricted = false, source_ids = ["nope"] }',
        29,
        "reservation.us.source_ids[0]",
        "'nope'",
    ),
    "source-in-autoimmunity": Case(
        DRUG,
        'strength = "low"\nsource_ids = ["trial-1"]\n\n[[infections]]',
        'strength = "low"\nsource_ids = ["nope"]\n\n[[infections]]',
        90,
        "autoimmunity[0].source_ids[0]",
        "'nope'",
    ),
    "source-in-infections": Case(
        DRUG,
        'source_ids = ["trial-1"]\n\n[[monitoring]]',
        'source_ids = ["nope"]\n\n[[monitoring]]',
        96,
        "infections[0].source_ids[0]",
        "'nope'",
    ),
    "source-in-monitoring": Case(
        DRUG,
        'source_ids = ["label-eu"]\n\n[[cautions]]',
        'source_ids = ["nope"]\n\n[[cautions]]',
        102,
        "monitoring[0].source_ids[0]",
        "'nope'",
    ),
    "source-in-cautions": Case(
        DRUG,
        'source_ids = ["label-eu"]\n\n[pregnancy]',
        'source_ids = ["nope"]\n\n[pregnancy]',
        109,
        "cautions[0].source_ids[0]",
        "'nope'",
    ),
    "source-in-pregnancy": Case(
        DRUG,
        'source_ids = ["label-eu"]\n\n[[sources]]',
        'source_ids = ["nope"]\n\n[[sources]]',
        113,
        "pregnancy.source_ids[0]",
        "'nope'",
    ),
    "low-above-value": Case(
        DRUG,
        "low = 0.05",
        "low = 0.15",
        65,
        "measurements.pml.strata[0].low",
        "low 0.15 is above value 0.1",
    ),
    "value-above-high": Case(
        DRUG,
        "high = 60.0",
        "high = 54.0",
        44,
        "measurements.disease_activity.high",
        "high 54 is below value 55",
    ),
    "percent-above-100": Case(
        DRUG,
        "high = 60.0",
        "high = 101.0",
        44,
        "measurements.disease_activity.high",
        "percentage 101 outside 0–100",
    ),
    "negative-rate": Case(
        DRUG,
        "value = 2.0",
        "value = -2.0",
        73,
        "measurements.pml.strata[1].value",
        "rate -2 is negative",
    ),
    "finite-number": Case(
        DRUG,
        "value = 2.0",
        "value = nan",
        73,
        "measurements.pml.strata[1].value",
        "Input should be a finite number",
    ),
    "unit-equals-criterion": Case(
        DRUG,
        'unit = "months"',
        'unit = "month"',
        79,
        "measurements.family_planning.unit",
        "unit 'month' must be the concern's unit 'months'",
    ),
    "measurement-key-known": Case(
        DRUG,
        "[measurements.family_planning]",
        "[measurements.family_plan]",
        77,
        "measurements.family_plan",
        "unknown concern 'family_plan'",
    ),
    "value-or-strata": Case(
        DRUG,
        'value = 3.0\nunit = "months"',
        'unit = "months"',
        77,
        "measurements.family_planning",
        "needs a figure (value, or events with patients/patient_years) or strata",
    ),
    "indirect-matches-legs": Case(
        DRUG,
        "contrast_rate_ratio = 0.5",
        "contrast_rate_ratio = 0.6",
        42,
        "measurements.disease_activity.value",
        "= 46.0 (tolerance 0.5)",
    ),
    "events-within-patients": Case(
        DRUG,
        "value = 2.0",
        "events = 3\npatients = 2\nfollow_up_years = 1.0",
        73,
        "measurements.pml.strata[1].events",
        "events 3 exceed patients 2",
    ),
    "events-are-whole": Case(
        DRUG,
        "value = 2.0",
        "events = 1.5\npatient_years = 100.0",
        73,
        "measurements.pml.strata[1].events",
        "valid integer",
    ),
    "events-not-negative": Case(
        DRUG,
        "value = 2.0",
        "events = -1\npatient_years = 100.0",
        73,
        "measurements.pml.strata[1].events",
        "greater than or equal to 0",
    ),
    "exposure-positive": Case(
        DRUG,
        "value = 2.0",
        "events = 1\npatient_years = 0.0",
        74,
        "measurements.pml.strata[1].patient_years",
        "greater than or equal to",
    ),
    "value-or-counts": Case(
        DRUG,
        "value = 2.0",
        "value = 2.0\nevents = 1\npatient_years = 500.0",
        74,
        "measurements.pml.strata[1].events",
        "give either value or counts, not both",
    ),
    "proportion-needs-follow-up": Case(
        DRUG,
        "value = 2.0",
        "events = 1\npatients = 500",
        70,
        "measurements.pml.strata[1].follow_up_years",
        "needs follow_up_years",
    ),
    "rate-needs-per-year-concern": Case(
        DRUG,
        'value = 3.0\nunit = "months"',
        'events = 1\npatient_years = 10.0\nunit = "months"',
        79,
        "measurements.family_planning.patient_years",
        "does not fit the concern's unit 'months'",
    ),
    "ci-contains-value": Case(
        DRUG,
        "value = 2.0",
        "value = 2.0\nci_low = 2.5\nci_high = 4.0",
        74,
        "measurements.pml.strata[1].ci_low",
        "need ci_low ≤ value ≤ ci_high",
    ),
    "comparator-has-sources": Case(
        DRUG,
        'source_ids = ["label-eu"]\n\n[[measurements.pml.strata]]\nlabel = "Antibody negative"',
        'source_ids = ["label-eu"]\ncomparator = { label = "placebo arm", events = 1, '
        "patient_years = 900.0, source_ids = [] }\n\n[[measurements.pml.strata]]\n"
        'label = "Antibody negative"',
        60,
        "measurements.pml.comparator.source_ids",
        "at least 1 item",
    ),
    "class-needs-origin": Case(
        DRUG,
        'basis = "trial-arm"\nfollow_up = "Fictional data cut"',
        'basis = "class"\nfollow_up = "Fictional data cut"',
        54,
        "measurements.pml.extrapolated_from",
        "basis 'class' needs extrapolated_from",
    ),
    "class-origin-exists": Case(
        DRUG,
        'basis = "trial-arm"\nfollow_up = "Fictional data cut"',
        'basis = "class"\nextrapolated_from = "nodrug"\nfollow_up = "Fictional data cut"',
        57,
        "measurements.pml.extrapolated_from",
        "'nodrug' is no profile here",
    ),
    "class-strength-capped": Case(
        DRUG,
        'basis = "trial-arm"\nfollow_up = "2 years (fictional)"\nstrength = "moderate"',
        'basis = "class"\nextrapolated_from = "the fixture class"\n'
        'follow_up = "2 years (fictional)"\nstrength = "high"',
        49,
        "measurements.disease_activity.strength",
        "class evidence is at most 'moderate'",
    ),
    "bands-ordered": Case(
        DRUG,
        "value = 2.0",
        "value = 2.0\nmonths_on_min = 13\nmonths_on_max = 12",
        75,
        "measurements.pml.strata[1].months_on_max",
        "exposure band ends (12) before it starts (13)",
    ),
    "bands-not-overlapping": Case(
        DRUG,
        'label = "Antibody negative"\nwhen = { jcv_status = ["negative"] }',
        'label = "Antibody negative"\nwhen = { jcv_status = ["positive"] }\nmonths_on_min = 1',
        71,
        "measurements.pml.strata[1].months_on_min",
        "overlaps strata[0]",
    ),
    "unknown-key-suggests": Case(
        DRUG,
        "value = 2.0",
        "value = 2.0\nci_hgh = 3.0",
        74,
        "measurements.pml.strata[1].ci_hgh",
        "did you mean 'ci_high'?",
    ),
    "review-not-in-future": Case(
        DRUG,
        "last_reviewed = 2026-01-15",
        f"last_reviewed = {TODAY + dt.timedelta(days=1)}",
        8,
        "last_reviewed",
        "in the future",
    ),
    "review-older-than-24-months": Case(
        DRUG,
        "last_reviewed = 2026-01-15",
        f"last_reviewed = {TWO_YEARS_AGO - dt.timedelta(days=1)}",
        8,
        "last_reviewed",
        "more than 24 months ago",
        "warning",
    ),
    "autoimmunity-percent": Case(
        DRUG,
        "incidence = 1.5",
        "incidence = 150.0",
        87,
        "autoimmunity[0].incidence",
        "percentage 150 outside 0–100",
    ),
    # type errors (pydantic) located the same way
    "type-strict-int": Case(
        DRUG,
        "year = 2020\nsource_ids",
        'year = "2020"\nsource_ids',
        33,
        "trials[0].year",
        "integer",
    ),
    "type-missing-key": Case(
        DRUG,
        'strength = "high"\nsource_ids = ["label-eu"]\n\n[[autoimmunity]]',
        'source_ids = ["label-eu"]\n\n[[autoimmunity]]',
        77,
        "measurements.family_planning.strength",
        "Field required",
    ),
    "type-unknown-key": Case(
        DRUG,
        'name = "Exampledrug"',
        'name = "Exampledrug"\ncolour = "red"',
        5,
        "colour",
        "unknown key 'colour' (valid: id, name,",
    ),
    "type-region-key": Case(
        DRUG, "[indications.us]", "[indications.mars]", 16, "indications.mars", "'eu' or 'us'"
    ),
    "type-in-inline-array-of-tables": Case(
        DRUG,
        '{ activity = ["rapidly-evolving-severe"] }',
        '{ activity = ["sometimes"] }',
        26,
        "reservation.eu.qualifies_when[1].activity[0]",
        "Input should be",
    ),
    "type-in-dotted-key-inline-table": Case(
        DRUG,
        'administration = { route = ["oral"]',
        'administration = { route = ["nasal"]',
        9,
        "administration.route[0]",
        "Input should be",
    ),
}

CRITERIA_CASES = {
    "criteria-unique-ids": Case(
        "criteria.toml",
        'id = "pml"',
        'id = "disease_activity"',
        15,
        "criteria[1].id",
        "duplicate concern id 'disease_activity'",
    ),
    "criteria-worst-not-best": Case(
        "criteria.toml", "worst = 24.0", "worst = 0.0", 34, "criteria[2].best", "differ from worst"
    ),
    "criteria-finite-scale": Case(
        "criteria.toml", "worst = 15.0", "worst = inf", 22, "criteria[1].worst", "a finite number"
    ),
    "criteria-percent-scale": Case(
        "criteria.toml", "best = 80.0", "best = 180.0", 11, "criteria[0].best", "outside 0–100"
    ),
    "criteria-breakpoint-inside-scale": Case(
        "criteria.toml",
        "{ x = 5.0, v = 0.35 }",
        "{ x = 15.0, v = 0.35 }",
        25,
        "criteria[1].value_function[1].x",
        "strictly between worst and best",
    ),
    "criteria-breakpoints-increasing": Case(
        "criteria.toml",
        "{ x = 5.0, v = 0.35 }",
        "{ x = 0.5, v = 0.35 }",
        25,
        "criteria[1].value_function[1].x",
        "strictly increasing",
    ),
    "criteria-value-function-monotone": Case(
        "criteria.toml",
        "{ x = 5.0, v = 0.35 }",
        "{ x = 5.0, v = 0.8 }",
        25,
        "criteria[1].value_function[1].v",
        "monotone",
    ),
    "presets-unique-ids": Case(
        "presets.toml",
        'id = "safety-first"',
        'id = "balanced"',
        12,
        "presets[1].id",
        "duplicate preset id 'balanced'",
    ),
    "presets-known-concerns": Case(
        "presets.toml",
        "pml = 10,",
        "pmll = 10,",
        15,
        "presets[1].importance.pmll",
        "unknown concern 'pmll'",
    ),
    "presets-importance-range": Case(
        "presets.toml",
        "pml = 10,",
        "pml = 10.5,",
        15,
        "presets[1].importance.pml",
        "importance 10.5 outside 0–10",
    ),
}


def test_valid_fixture_is_clean() -> None:
    library = load_library(VALID, today=TODAY)
    assert library.problems == ()
    assert [profile.id for profile in library.profiles] == ["exampledrug"]
    assert len(library.criteria) == 3
    assert len(library.presets) == 2


@pytest.mark.parametrize("case", PROFILE_CASES.values(), ids=PROFILE_CASES.keys())
def test_profile_rule(tmp_path: Path, case: Case) -> None:
    library = load_edited(tmp_path, case.file, case.old, case.new)
    assert len(library.problems) == 1, [str(problem) for problem in library.problems]
    problem = library.problems[0]
    expected_prefix = f"{tmp_path / 'profiles' / case.file}:{case.line}: {case.field}: "
    assert str(problem).startswith(expected_prefix), str(problem)
    assert case.message in problem.message
    assert problem.severity == case.severity
    loaded = [profile.id for profile in library.profiles]
    assert loaded == ([] if case.severity == "error" else ["exampledrug"])


@pytest.mark.parametrize("case", CRITERIA_CASES.values(), ids=CRITERIA_CASES.keys())
def test_criteria_and_presets_rule(tmp_path: Path, case: Case) -> None:
    library = load_edited(tmp_path, case.file, case.old, case.new)
    path = tmp_path / "profiles" / case.file
    in_file = [problem for problem in library.problems if problem.path == str(path)]
    assert len(in_file) == 1, [str(problem) for problem in library.problems]
    assert str(in_file[0]).startswith(f"{path}:{case.line}: {case.field}: "), str(in_file[0])
    assert case.message in in_file[0].message
    if case.file == "criteria.toml":
        assert library.criteria == ()
    else:
        assert library.presets == ()


def test_review_exactly_24_months_ago_is_not_a_warning(tmp_path: Path) -> None:
    library = load_edited(
        tmp_path, DRUG, "last_reviewed = 2026-01-15", f"last_reviewed = {TWO_YEARS_AGO}"
    )
    assert library.problems == ()


def test_duplicate_source_id(tmp_path: Path) -> None:
    library = load_edited(tmp_path, DRUG, 'id = "label-us"', 'id = "label-eu"')
    rendered = [str(problem).split(": ", 1)[0].rsplit(":", 1)[1] for problem in library.problems]
    fields = [problem.field for problem in library.problems]
    assert "sources[1].id" in fields
    assert rendered[fields.index("sources[1].id")] == "122"
    # the three citations of the now-missing "label-us" are reported too
    assert {"indications.us.source_ids[0]", "reservation.us.source_ids[0]"} <= set(fields)


def test_indirect_estimate_without_a_value_is_derived_from_its_legs(tmp_path: Path) -> None:
    library = load_edited(tmp_path, DRUG, "value = 55.0\nlow = 50.0\nhigh = 60.0\n", "")
    assert library.problems == ()


# Definitions, guideline rules, efficacy categories, onset and equivalences (issue 23): one
# failing edit per rule, located by line and field path.
ACTIVITY_CRITERIA_CASES = {
    "definition-unknown-key": Case(
        "criteria.toml",
        'establishes = "active"',
        'establishes = "active"\nestablish = "active"',
        42,
        "definitions[0].establish",
        "unknown key 'establish'; did you mean 'establishes'?",
    ),
    "definition-source-known": Case(
        "criteria.toml",
        'source_ids = ["guideline-1"]\n\n[[guidelines]]',
        'source_ids = ["nope"]\n\n[[guidelines]]',
        46,
        "definitions[0].source_ids[0]",
        "source 'nope' is not in this file's sources",
    ),
    "definition-names-its-level": Case(
        "criteria.toml",
        'establishes = "active"\n',
        "",
        37,
        "definitions[0].establishes",
        "names the level it establishes",
    ),
    "definition-open-needs-reason": Case(
        "criteria.toml",
        "met_when = [{ relapses_12m_min = 1 }]",
        "met_when = [{ relapses_12m_min = 1 }]\nopen_when = [{ gd_lesions_min = 1 }]",
        37,
        "definitions[0].open_reason",
        "open_when needs open_reason",
    ),
    "definition-level-vocabulary": Case(
        "criteria.toml",
        'establishes = "active"',
        'establishes = "very-active"',
        41,
        "definitions[0].establishes",
        "Input should be",
    ),
    "guideline-names-known-definitions": Case(
        "criteria.toml",
        'definition_met = ["fixture-active"]',
        'definition_met = ["nope"]',
        55,
        "guidelines[0].when[0].definition_met",
        "unknown definition 'nope'",
    ),
    "guideline-candidate-asks-something": Case(
        "criteria.toml",
        "candidate = { continues_current = true }",
        "candidate = {}",
        57,
        "guidelines[0].candidate",
        "asks nothing",
    ),
    "guideline-within-months-needs-left": Case(
        "criteria.toml",
        "candidate = { continues_current = true }",
        "candidate = { continues_current = true, within_months = 6 }",
        57,
        "guidelines[0].candidate.within_months",
        "within_months needs category_below_left",
    ),
    "guideline-source-known": Case(
        "criteria.toml",
        'source_ids = ["guideline-1"]\n\n[[sources]]',
        'source_ids = ["nope"]\n\n[[sources]]',
        58,
        "guidelines[0].source_ids[0]",
        "source 'nope' is not in this file's sources",
    ),
    "guideline-unique-ids": Case(
        "criteria.toml",
        'id = "fixture-rule"',
        'id = "fixture-active"',
        49,
        "guidelines[0].id",
        "duplicate id 'fixture-active'",
    ),
    "guideline-level-vocabulary": Case(
        "criteria.toml",
        'level = "warning"\ntext = "Fictional rule',
        'level = "alarm"\ntext = "Fictional rule',
        50,
        "guidelines[0].level",
        "Input should be",
    ),
}

ACTIVITY_PROFILE_CASES = {
    "efficacy-category-source": Case(
        DRUG,
        'source = "trial-1"\n\n[onset]',
        'source = "nope"\n\n[onset]',
        136,
        "efficacy_category.source",
        "source 'nope' is not in this profile's sources",
    ),
    "efficacy-category-vocabulary": Case(
        DRUG,
        'category = "high"',
        'category = "best"',
        134,
        "efficacy_category.category",
        "Input should be",
    ),
    "onset-source": Case(
        DRUG,
        'months = 6\nstrength = "low"\nsource_ids = ["trial-1"]',
        'months = 6\nstrength = "low"\nsource_ids = ["nope"]',
        141,
        "onset.source_ids[0]",
        "source 'nope' is not in this profile's sources",
    ),
    "indication-requires-course": Case(
        DRUG,
        "[indications.us]",
        '[[indications.eu.requires]]\ncourses = ["rrms", "sometimes"]\n'
        'when = { activity = ["active"] }\nwording = "with active disease"\n\n[indications.us]',
        -1,
        "indications.eu.requires[0].courses[1]",
        "Input should be",
    ),
}


@pytest.mark.parametrize(
    "case", ACTIVITY_CRITERIA_CASES.values(), ids=ACTIVITY_CRITERIA_CASES.keys()
)
def test_definition_and_guideline_rule(tmp_path: Path, case: Case) -> None:
    test_criteria_and_presets_rule(tmp_path, case)


@pytest.mark.parametrize("case", ACTIVITY_PROFILE_CASES.values(), ids=ACTIVITY_PROFILE_CASES.keys())
def test_efficacy_onset_equivalence_rule(tmp_path: Path, case: Case) -> None:
    if case.line < 0:  # the line depends on where the edit lands: find it
        text = (VALID / case.file).read_text(encoding="utf-8").replace(case.old, case.new)
        line = text.splitlines().index('courses = ["rrms", "sometimes"]') + 1
        case = case._replace(line=line)
    test_profile_rule(tmp_path, case)


def test_a_rule_naming_an_unknown_drug_is_a_warning_and_the_rules_stay(tmp_path: Path) -> None:
    library = load_edited(
        tmp_path, "criteria.toml", 'current_drugs = ["exampledrug"]', 'current_drugs = ["nodrug"]'
    )
    assert library.problems == ()  # checked by `workbench validate` only
    library = load_library(tmp_path / "profiles", today=TODAY, comparability=True)
    path = tmp_path / "profiles" / "criteria.toml"
    assert [str(p) for p in library.problems] == [
        f"{path}:56: guidelines[0].current_drugs[0]: warning: 'nodrug' is no profile here, so the "
        "rule never applies to it (profiles: exampledrug)"
    ]
    assert [g.id for g in library.guidelines] == ["fixture-rule"]
    assert [p.id for p in library.profiles] == ["exampledrug"]


def test_the_valid_fixture_has_a_definition_and_a_rule() -> None:
    library = load_library(VALID, today=TODAY)
    assert [d.id for d in library.definitions] == ["fixture-active"]
    assert [g.id for g in library.guidelines] == ["fixture-rule"]
    profile = library.profiles[0]
    assert profile.efficacy_category is not None
    assert profile.onset is not None


def test_duplicate_switching_code_across_stopping_and_starting(tmp_path: Path) -> None:
    root = tmp_path / "profiles"
    shutil.copytree(bundled_profiles_dir(), root)
    path = root / "natalizumab.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('code = "switch-rebound"', 'code = "switch-pml-surveillance"'),
        encoding="utf-8",
    )
    problems = load_library(root, today=TODAY).problems
    found = [(p.field, p.message) for p in problems if Path(p.path).stem == "natalizumab"]
    assert found == [
        ("switching.on_stopping[1].code", "duplicate switching code 'switch-pml-surveillance'")
    ]
