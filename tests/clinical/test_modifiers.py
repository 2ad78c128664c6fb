"""The patient in front of you (issue 26): risk modifiers, lymphocytes, IgG, extended dosing, age,
autoimmune disease by type, breastfeeding only for women, and the checks before starting."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.cli.main import main
from workbench.engine.conditions import UNKNOWN_WINDOW
from workbench.engine.context import PatientContext
from workbench.engine.context_validation import validate_context
from workbench.engine.evaluate import evaluate
from workbench.engine.evidence import Draw
from workbench.engine.measurements import resolve
from workbench.engine.modifiers import apply_modifiers
from workbench.engine.result import DrugResult
from workbench.engine.smaa import run_smaa
from workbench.engine.smaa_settings import SmaaInput, SmaaSettings
from workbench.engine.weights import preset_importance
from workbench.profiles.loader import load_library
from workbench.profiles.paths import bundled_profiles_dir
from workbench.profiles.records import Condition, Criterion, Measurement, Modifier
from workbench.report import wording
from workbench.report.casenote import render_case_note
from workbench.report.json_export import render_json
from workbench.session import Case, case_document, parse_case

LIB = load_library(bundled_profiles_dir())
BALANCED = preset_importance(LIB, "balanced")
ANTI_CD20 = ("ocrelizumab", "ofatumumab", "ublituximab", "rituximab")
VALID = FIXTURES / "profiles" / "valid"


def drug(drug_id: str, **facts: object) -> DrugResult:
    return evaluate(LIB, [drug_id], BALANCED, validate_context(facts)).drugs[0]


def population(drug_id: str, concern: str) -> float:
    value = LIB.profile(drug_id).measurements[concern].value
    assert value is not None
    return value


# --------------------------------------------------------------------------- lymphocytes


def test_dmf_lymphopenia_stop_warning_and_pml_modifier() -> None:
    result = drug("dimethyl-fumarate", lymphocytes=0.4, lymphopenia_months=8)
    stop = next(f for f in result.flags if f.code == "lymphopenia-stop")
    assert stop.level == "warning"
    assert stop.undecided is None
    assert "consider stopping" in stop.text
    pml = result.criteria["pml"]
    assert pml.status == "measured"
    assert pml.value == pytest.approx(population("dimethyl-fumarate", "pml") * 4.2)
    (modifier,) = pml.evidence.modifiers
    assert modifier.applies is True
    assert "lyons-2022" in pml.sources
    assert "× 4.2" in wording.evidence(pml)


def test_dmf_lymphocytes_unknown_is_a_range_never_the_population_best_case() -> None:
    known_high = drug("dimethyl-fumarate", lymphocytes=0.4).criteria["pml"]
    unknown = drug("dimethyl-fumarate").criteria["pml"]
    normal = drug("dimethyl-fumarate", lymphocytes=1.5).criteria["pml"]
    assert unknown.status == "stratum-range"
    assert unknown.value is None
    assert unknown.evidence.modifiers[0].applies is None
    assert unknown.low is not None
    assert known_high.high is not None
    assert unknown.high is not None
    assert unknown.low <= population("dimethyl-fumarate", "pml") <= unknown.high
    assert unknown.high >= known_high.high
    assert normal.value == pytest.approx(population("dimethyl-fumarate", "pml"))
    # ranked at its worst case: no better than the lymphopenic patient's figure
    assert known_high.value_score is not None
    assert unknown.score_low <= known_high.value_score
    assert "undecided" in wording.evidence(unknown)
    assert wording.figure(unknown).endswith("×?")


@pytest.mark.parametrize(
    ("drug_id", "count", "code"),
    [
        ("fingolimod", 0.15, "lymphocytes-below-0-2"),
        ("cladribine", 0.6, "lymphocytes-before-course"),
    ],
)
def test_lymphocyte_rules_of_the_labels(drug_id: str, count: float, code: str) -> None:
    low = drug(drug_id, lymphocytes=count)
    assert any(f.code == code and f.undecided is None for f in low.flags)
    normal = drug(drug_id, lymphocytes=1.5)
    assert all(f.code != code for f in normal.flags)


# --------------------------------------------------------------------------- anti-CD20 and IgG


def test_anti_cd20_low_igg_multiplies_serious_infections_with_its_source() -> None:
    low = drug("ocrelizumab", igg_below_lln=True).criteria["other_infections"]
    normal = drug("ocrelizumab", igg_below_lln=False).criteria["other_infections"]
    assert normal.value is not None
    assert normal.evidence.modifiers == ()
    assert low.value == pytest.approx(normal.value * 2.56)
    assert low.low is not None
    assert low.high is not None
    assert normal.low is not None
    assert low.low > normal.low
    text = wording.evidence(low)
    assert "× 2.56 [1.4–4.3] for IgG below the lower limit of normal [roche-infections-page]" in (
        text
    )
    note = render_case_note(
        evaluate(LIB, ["ocrelizumab"], BALANCED, PatientContext(igg_below_lln=True)),
        today=LIB.profiles[0].last_reviewed,
    )
    assert "× 2.56 \\[1.4–4.3\\] for IgG below the lower limit of normal \\[" in note


def test_hbsag_positive_blocks_the_start_of_every_anti_cd20() -> None:
    result = evaluate(LIB, list(ANTI_CD20), BALANCED, PatientContext(hbsag="positive"))
    assert {d.id for d in result.drugs} == set(ANTI_CD20)
    for found in result.drugs:
        statuses = {c.status for c in found.before_starting if "Hepatitis B" in c.item}
        assert statuses == {"blocks"}, found.id
        assert any(f.code == "before-starting-blocked" for f in found.flags)
    note = render_case_note(result, today=LIB.profiles[0].last_reviewed)
    assert note.count("Hepatitis B screening (HBsAg, anti-HBc): blocks the start") == 4
    data = json.loads(render_json(result))
    for found in data["drugs"]:
        assert "blocks" in {c["status"] for c in found["before_starting"]}


@pytest.mark.parametrize(
    ("facts", "status"),
    [
        ({"hbsag": "negative", "anti_hbc": "negative"}, "done"),
        ({"hbsag": "not-done"}, "due"),
        ({}, "unknown"),
    ],
)
def test_hepatitis_b_check_against_the_case(facts: dict[str, object], status: str) -> None:
    found = drug("ocrelizumab", **facts)
    (check,) = [c for c in found.before_starting if "Hepatitis B" in c.item]
    assert check.status == status
    assert all(f.code != "before-starting-blocked" for f in found.flags)


def test_a_live_vaccine_blocks_and_vzv_negative_is_due() -> None:
    found = drug("cladribine", live_vaccine_recent=True, vzv_igg="negative")
    by_item = {c.item: c.status for c in found.before_starting}
    assert by_item["No live vaccine in the weeks before starting"] == "blocks"
    assert by_item["Varicella-zoster immunity (VZV IgG)"] == "due"


def test_the_current_drug_has_nothing_before_starting() -> None:
    found = drug("ocrelizumab", current_dmt="ocrelizumab", months_on_current=12)
    assert found.continuing
    assert found.before_starting == ()


# --------------------------------------------------------------------------- natalizumab dosing


def test_natalizumab_extended_dosing_lowers_pml_with_its_interval() -> None:
    facts = {"jcv_status": "positive", "jcv_index": 1.6, "prior_immunosuppressant": False}
    standard = drug("natalizumab", **facts).criteria["pml"]
    extended = drug("natalizumab", natalizumab_dosing="extended", **facts).criteria["pml"]
    assert standard.value is not None
    assert extended.value == pytest.approx(standard.value * 0.06)
    assert extended.low is not None
    assert extended.high is not None
    assert extended.value is not None
    assert extended.low < extended.value < extended.high
    assert extended.evidence.interval_kind == "ci95"
    assert "× 0.06 [0.01–0.22] for extended-interval dosing" in wording.evidence(extended)
    assert "ryerson-2019" in extended.sources


# --------------------------------------------------------------------------- age, autoimmunity


def test_age_70_raises_the_teriflunomide_age_caution() -> None:
    old = drug("teriflunomide", age=70)
    assert any(f.code == "age-65-and-over" and f.undecided is None for f in old.flags)
    young = drug("teriflunomide", age=30)
    assert all(f.code != "age-65-and-over" for f in young.flags)


@pytest.mark.parametrize("kind", ["itp", "nephropathy"])
def test_prior_itp_or_anti_gbm_flags_alemtuzumab_in_both_regions(kind: str) -> None:
    eu = drug("alemtuzumab", region="eu", autoimmune_types=(kind,))
    assert eu.eligibility.tier == "contraindicated"
    assert any(f.code == "autoimmune-disease-eu" and f.undecided is None for f in eu.flags)
    us = drug("alemtuzumab", region="us", autoimmune_types=(kind,))
    assert any(f.code == "itp-anti-gbm-history-us" and f.undecided is None for f in us.flags)
    thyroid_us = drug("alemtuzumab", region="us", autoimmune_types=("thyroid",))
    assert all(f.code != "itp-anti-gbm-history-us" for f in thyroid_us.flags)


def test_autoimmune_types_none_or_the_old_yes_no_decide_the_condition() -> None:
    assert drug("alemtuzumab", autoimmune_types=()).eligibility.tier != "contraindicated"
    no = drug("alemtuzumab", region="us", autoimmune_history=False)
    assert all(f.code != "itp-anti-gbm-history-us" for f in no.flags)
    unknown = drug("alemtuzumab", region="us")
    assert any(f.code == "itp-anti-gbm-history-us" and f.undecided for f in unknown.flags)


# --------------------------------------------------------------------------- women only

FEMALE_ONLY = ("pregnan", "breastfeed", "breast-feed", "newborn", "infant", "embryo", "fetal")


@pytest.mark.parametrize("region", ["eu", "us"])
def test_a_man_gets_no_pregnancy_breastfeeding_or_newborn_caution(region: str) -> None:
    context = PatientContext(region=region, sex="male", conception_planned_in_months="planned")  # type: ignore[arg-type]
    result = evaluate(LIB, None, BALANCED, context)
    for found in result.drugs:
        for flag in found.flags:
            words = f"{flag.code} {flag.text}".lower()
            if flag.code.startswith("conception-") and "male" in flag.code:
                continue  # a period for men (cladribine, US teriflunomide)
            assert not any(w in words for w in FEMALE_ONLY), (found.id, flag.code)


def test_a_breastfeeding_woman_gets_the_label_statement() -> None:
    facts = {"sex": "female", "breastfeeding": "now"}
    assert any(f.code == "breastfeeding-eu" for f in drug("natalizumab", **facts).flags)
    cladribine = drug("cladribine", region="us", **facts)
    assert any(f.code == "breastfeeding-us" for f in cladribine.flags)
    assert cladribine.eligibility.tier == "contraindicated"
    assert all(f.code != "breastfeeding-eu" for f in drug("natalizumab", breastfeeding="no").flags)


# --------------------------------------------------------------------------- the mechanism

CRITERION = Criterion(
    id="harm",
    label="Harm",
    direction="risk",
    unit="per 1,000",
    worst=10.0,
    best=0.0,
    definition="A fictional harm for the property test.",
)


def _measurement(value: float, spread: float) -> Measurement:
    return Measurement(
        value=value,
        ci_low=value / spread,
        ci_high=value * spread,
        unit="per 1,000",
        follow_up="fictional",
        basis="trial-arm",
        strength="low",
        source_ids=("s",),
        supporting=(),
    )


def _modifier(ratio: float, spread: float) -> Modifier:
    return Modifier(
        concern="harm",
        label="low counts",
        when=Condition(igg_below_lln=True),
        ratio=ratio,
        ci_low=ratio / spread,
        ci_high=ratio * spread,
        basis="registry",
        strength="low",
        source_ids=("s",),
    )


@settings(max_examples=200, deadline=None)
@given(
    value=st.floats(0.001, 5.0),
    spread=st.floats(1.0, 4.0),
    ratio=st.floats(0.01, 20.0),
    ratio_spread=st.floats(1.0, 4.0),
)
def test_an_unknown_condition_spans_both_cases(
    value: float, spread: float, ratio: float, ratio_spread: float
) -> None:
    m, mod = _measurement(value, spread), _modifier(ratio, ratio_spread)

    def figure(igg: bool | None) -> tuple[float, float]:
        base = resolve(CRITERION, m, PatientContext(), UNKNOWN_WINDOW)
        context = PatientContext(igg_below_lln=igg)
        found = apply_modifiers(CRITERION, base, [mod], context, UNKNOWN_WINDOW)
        assert found.low is not None
        assert found.high is not None
        return found.low, found.high

    low, high = figure(None)
    for case in (True, False):
        case_low, case_high = figure(case)
        assert low <= case_low * (1 + 1e-12)
        assert case_high <= high * (1 + 1e-12)


def test_smaa_samples_the_ratio_from_its_interval() -> None:
    modified = Draw(kind="point", a=1.0, multipliers=(Draw(kind="lognormal", a=0.0, b=0.5),))
    plain = Draw(kind="point", a=1.0)
    data = SmaaInput(
        concerns=("harm",),
        worst=(10.0,),
        best=(0.0,),
        positions=((0.0, 1.0),),
        values=((0.0, 1.0),),
        draws=((modified,), (plain,)),
    )
    outcome = run_smaa(data, [1.0], [5.0], SmaaSettings(iterations=4000, seed=3))
    first = outcome.acceptability[1][0]
    assert 0.4 < first < 0.6  # the modified figure is above or below 1 about half the time


def test_smaa_runs_on_the_bundled_profiles_with_modifiers() -> None:
    context = PatientContext(lymphocytes=0.4, igg_below_lln=True, natalizumab_dosing="extended")
    result = evaluate(LIB, None, BALANCED, context, SmaaSettings(iterations=500, seed=1))
    assert all(d.acceptability is not None for d in result.drugs)


# --------------------------------------------------------------------------- input, files, validate


def test_bad_lymphocyte_values_are_clear_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "--drugs", "dimethyl-fumarate", "--lymphocytes", "-1"]) == 2
    assert "--lymphocytes: Input should be greater than or equal to 0" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["compare", "--drugs", "dimethyl-fumarate", "--lymphocytes", "low"])
    assert "invalid float value: 'low'" in capsys.readouterr().err
    assert main(["compare", "--drugs", "alemtuzumab", "--autoimmune-types", "itp,gout"]) == 2
    assert "unknown value 'gout'; valid: thyroid, itp" in capsys.readouterr().err


def test_the_new_fields_survive_a_saved_case_and_old_versions_read() -> None:
    context = PatientContext(
        autoimmune_types=("itp", "thyroid"),
        comorbidities=(),
        lymphocytes=0.4,
        lymphopenia_months=8,
        igg_below_lln=True,
        natalizumab_dosing="extended",
        hbsag="negative",
        vzv_igg="not-done",
        live_vaccine_recent=False,
        breastfeeding="planned",
    )
    import tomli_w

    saved = tomli_w.dumps(case_document(Case(context=context))).encode()
    assert b"version = 3" in saved
    assert parse_case(saved, None).case.context == context
    old = b'format = "workbench-case"\nversion = 2\n[context]\nautoimmune_history = true\n'
    assert parse_case(old, None).case.context == PatientContext(autoimmune_history=True)


def _modifier_block(extra: str) -> str:
    return (
        '\n[[modifiers]]\nconcern = "pml"\nlabel = "fictional"\n'
        f'{extra}basis = "registry"\nstrength = "low"\nsource_ids = ["label-eu"]\n'
    )


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("when = { igg_below_lln = true }\nratio = 0.0\n", "ratio: Input should be greater than 0"),
        (
            "when = { igg_below_lln = true }\nratio = 3.0\nci_low = 1.0\nci_high = 2.0\n",
            "ratio: ratio 3 outside its 95% CI 1–2",
        ),
        ("when = { igg_low = true }\nratio = 2.0\n", "when.igg_low"),
        ("when = {}\nratio = 2.0\n", "when: a modifier needs a condition"),
    ],
)
def test_validate_checks_modifiers_with_path_and_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, block: str, message: str
) -> None:
    root = tmp_path / "profiles"
    shutil.copytree(VALID, root)
    path = root / "exampledrug.toml"
    text = path.read_text(encoding="utf-8")
    cut = text.index("[[sources]]")
    path.write_text(text[:cut] + _modifier_block(block) + "\n" + text[cut:], encoding="utf-8")
    code = main(["validate", str(path), "--today", "2026-06-01"])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    found = [line for line in out if message in line]
    assert found, out
    assert found[0].startswith(f"{path}:")
    line = int(found[0].split(":")[1])
    assert "[[modifiers]]" in "\n".join(path.read_text().splitlines()[line - 8 : line])


def test_breastfeeding_for_a_man_and_types_without_disease_are_contradictions() -> None:
    from workbench.app.case_checks import contradictions

    man = PatientContext(sex="male", breastfeeding="now")
    assert [field for field, _ in contradictions(man)] == ["breastfeeding"]
    types = PatientContext(autoimmune_history=False, autoimmune_types=("itp",))
    assert [field for field, _ in contradictions(types)] == ["autoimmune_types"]
    assert contradictions(PatientContext(sex="female", breastfeeding="now")) == []


@pytest.mark.parametrize(
    ("drug_id", "code", "facts"),
    [
        ("siponimod", "cyp2c9-3-3", {"comorbidities": ("cyp2c9-3-3",)}),
        ("siponimod", "first-dose-cardiac", {"comorbidities": ("conduction-bradycardia",)}),
        (
            "fingolimod",
            "eye-exam-diabetes-uveitis",
            {"comorbidities": ("macular-oedema-diabetes",)},
        ),
        ("cladribine", "active-malignancy", {"comorbidities": ("active-malignancy",)}),
    ],
)
def test_label_comorbidities_raise_their_cautions(
    drug_id: str, code: str, facts: dict[str, object]
) -> None:
    assert any(f.code == code and f.undecided is None for f in drug(drug_id, **facts).flags)
    assert all(f.code != code for f in drug(drug_id, comorbidities=()).flags)


def test_csv_and_table_say_the_modifier_beside_the_figure() -> None:
    import csv
    import io

    from workbench.report.csv_export import render_csv

    result = evaluate(LIB, ["ocrelizumab"], BALANCED, PatientContext(igg_below_lln=True))
    rows = list(csv.DictReader(io.StringIO(render_csv(result))))
    (row,) = [r for r in rows if r["concern"] == "other_infections"]
    assert row["modifiers"].startswith("× 2.56 [1.4–4.3] for IgG below the lower limit of normal")
    infections = result.drugs[0].criteria["other_infections"]
    assert wording.figure(infections).endswith(" ×")
