"""Issue 12: treatment history, switching flags, "continue", stopping, pregnancy timing and sex,
and the context declared once (CLI → JSON → saved case → app)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import TODAY

from workbench.cli.main import main
from workbench.engine.context import PatientContext, PreviousDmt, context_fields
from workbench.engine.context_validation import validate_context
from workbench.engine.evaluate import evaluate
from workbench.engine.history import format_previous, parse_previous
from workbench.engine.result import DrugResult, Result
from workbench.profiles.library import Library
from workbench.profiles.loader import load_library
from workbench.profiles.paths import bundled_profiles_dir
from workbench.session import Case, CaseFileError, case_document, parse_case, save_case

IMPORTANCE = {"disease_activity": 5.0, "pml": 5.0, "family_planning": 2.0}
SWITCH = PatientContext(current_dmt="natalizumab", months_on_current=30, jcv_status="positive")


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(bundled_profiles_dir())


def _drug(result: Result, drug_id: str) -> DrugResult:
    return next(d for d in result.drugs if d.id == drug_id)


@pytest.mark.parametrize("candidate", ["fingolimod", "ocrelizumab"])
def test_switch_from_natalizumab_carries_carry_over_pml_and_interval(
    library: Library, candidate: str
) -> None:
    result = evaluate(library, [candidate], IMPORTANCE, SWITCH)
    flags = {f.code: f for f in _drug(result, candidate).flags}
    for code in ("switch-carry-over-pml", "switch-interval"):
        assert code in flags, flags
        assert flags[code].sources
        assert flags[code].undecided is None
        assert set(flags[code].sources) <= set(result.sources[candidate])
    assert "Recommended interval after the last dose" in flags["switch-interval"].text


def test_continue_natalizumab_is_a_candidate_scored_at_the_exposure(library: Library) -> None:
    result = evaluate(library, ["fingolimod", "ocrelizumab"], IMPORTANCE, SWITCH)
    stay = _drug(result, "natalizumab")
    assert stay.continuing
    assert stay.name.endswith("(continue)")
    # months 31-78 of natalizumab: the stratum range reflects exposure beyond month 30
    fresh = evaluate(library, ["natalizumab"], IMPORTANCE, SWITCH.replace(current_dmt="none"))
    assert stay.criteria["pml"] != _drug(fresh, "natalizumab").criteria["pml"]
    assert not any(f.code.startswith("switch-") for f in stay.flags)


def test_stopping_natalizumab_names_rebound_and_post_stop_pml_surveillance(
    library: Library,
) -> None:
    result = evaluate(library, ["ocrelizumab"], IMPORTANCE, SWITCH)
    assert result.stopping is not None
    assert result.stopping.name == "Natalizumab"
    text = " ".join(f.text for f in result.stopping.flags).lower()
    assert "rebound" in text
    assert "pml surveillance" in text
    from workbench.report.casenote import render_case_note
    from workbench.report.json_export import result_to_dict

    assert "## Stopping Natalizumab" in render_case_note(result, today=TODAY)
    stopping = result_to_dict(result)["stopping"]
    assert stopping["drug"] == "natalizumab"
    assert len(stopping["flags"]) == 2


def _conception(library: Library, **context: object) -> list[tuple[str, str]]:
    result = evaluate(library, ["cladribine"], IMPORTANCE, validate_context(context))
    return [
        (f.level, f.text)
        for f in _drug(result, "cladribine").flags
        if f.code.startswith("conception")
    ]


def test_conception_timing_decides_the_contraindication(library: Library) -> None:
    later = _conception(library, sex="female", conception_planned_in_months=24)
    assert later
    assert all(level != "contraindication" for level, _ in later)
    assert "at least 6 months before conception" in later[0][1]
    soon = _conception(library, sex="female", conception_planned_in_months=3)
    assert [level for level, _ in soon] == ["contraindication"]
    assert _conception(library, sex="female", conception_planned_in_months="not-planned") == []


def test_a_man_on_cladribine_gets_the_male_contraception_period(library: Library) -> None:
    flags = _conception(library, sex="male", conception_planned_in_months=24)
    assert flags
    assert "men" in flags[0][1].lower()
    assert "6 months" in flags[0][1]
    fingolimod = evaluate(
        library,
        ["fingolimod"],
        IMPORTANCE,
        PatientContext(sex="male", conception_planned_in_months=1),
    )
    assert not any(f.code.startswith("conception") for f in _drug(fingolimod, "fingolimod").flags)


def test_history_derives_prior_dmts_and_immunosuppressant(library: Library) -> None:
    context = SWITCH.replace(
        previous_dmts=(PreviousDmt(drug="mitoxantrone", months_since_stop=40),)
    )
    result = evaluate(library, ["natalizumab"], IMPORTANCE, context)
    assert result.derived is not None
    assert result.derived.prior_dmts == 2
    assert result.derived.prior_immunosuppressant is True
    given = context.replace(prior_dmts=5, prior_immunosuppressant=False)
    derived = evaluate(library, ["natalizumab"], IMPORTANCE, given).derived
    assert derived is not None
    assert derived.prior_dmts == 5
    assert derived.prior_immunosuppressant is False


def test_eu_reservation_needs_an_adequate_course(library: Library) -> None:
    base = SWITCH.replace(activity="highly-active", previous_dmts=())
    meets = {
        course: _drug(
            evaluate(
                library,
                ["fingolimod"],
                IMPORTANCE,
                base.replace(adequate_course=course),
            ),
            "fingolimod",
        )
        .reservation["eu"]
        .patient_meets
        for course in (True, False, None)
    }
    assert meets == {True: True, False: False, None: None}


def test_history_text_round_trips() -> None:
    items = parse_previous("natalizumab:2:30, mitoxantrone, fingolimod:4")
    assert format_previous(items) == "natalizumab:2:30,mitoxantrone,fingolimod:4"
    assert parse_previous("none") == ()


FULL = PatientContext(
    region="us",
    course="rrms",
    activity="highly-active",
    current_dmt="natalizumab",
    months_on_current=30,
    previous_dmts=(PreviousDmt(drug="fingolimod", months_since_stop=40, months_on=12),),
    adequate_course=True,
    prior_dmts=2,
    prior_immunosuppressant=False,
    jcv_status="positive",
    jcv_index=1.8,
    horizon_months=24,
    autoimmune_history=False,
    sex="female",
    conception_planned_in_months=24,
    age=34,
    breastfeeding="planned",
    autoimmune_types=("thyroid", "psoriasis"),
    comorbidities=("renal-impairment",),
    lymphocytes=0.7,
    lymphopenia_months=2,
    igg_below_lln=False,
    natalizumab_dosing="extended",
    hbsag="negative",
    anti_hbc="positive",
    vzv_igg="not-done",
    tb_screen="negative",
    hiv="negative",
    live_vaccine_recent=False,
    relapses_12m=1,
    relapses_24m=2,
    new_t2_12m=3,
    gd_lesions=1,
    t2_lesions=12,
    activity_on_current=True,
)
CLI = [
    "--region",
    "us",
    "--course",
    "rrms",
    "--activity",
    "highly-active",
    "--current-dmt",
    "natalizumab",
    "--months-on-current",
    "30",
    "--previous-dmts",
    "fingolimod:40:12",
    "--adequate-course",
    "--prior-dmts",
    "2",
    "--no-prior-immunosuppressant",
    "--jcv",
    "positive",
    "--jcv-index",
    "1.8",
    "--horizon-months",
    "24",
    "--no-autoimmune-history",
    "--sex",
    "female",
    "--conception-in-months",
    "24",
    "--age",
    "34",
    "--breastfeeding",
    "planned",
    "--autoimmune-types",
    "thyroid,psoriasis",
    "--comorbidities",
    "renal-impairment",
    "--lymphocytes",
    "0.7",
    "--lymphopenia-months",
    "2",
    "--no-igg-low",
    "--natalizumab-dosing",
    "extended",
    "--hbsag",
    "negative",
    "--anti-hbc",
    "positive",
    "--vzv-igg",
    "not-done",
    "--tb-screen",
    "negative",
    "--hiv",
    "negative",
    "--no-live-vaccine-recent",
    "--relapses-12m",
    "1",
    "--relapses-24m",
    "2",
    "--new-t2-12m",
    "3",
    "--gd-lesions",
    "1",
    "--t2-lesions",
    "12",
    "--activity-on-current",
]


def test_every_field_is_declared_once_and_set_by_the_test() -> None:
    names = {f.name for f in context_fields()}
    default = PatientContext()
    changed = {name for name, value in FULL.as_dict().items() if value != getattr(default, name)}
    assert names == changed, names ^ changed
    given = {a.replace("--no-", "--") for a in CLI}
    assert {f.declared.option for f in context_fields()} <= given


def test_round_trip_cli_to_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "--drugs", "ocrelizumab", "--format", "json", *CLI]) == 0
    context = json.loads(capsys.readouterr().out)["context"]
    context.pop("derived")
    assert validate_context(context) == FULL


def test_round_trip_json_to_saved_case(tmp_path: Path) -> None:
    path = tmp_path / "case.toml"
    save_case(Case(drugs=["ocrelizumab"], context=FULL), path)
    loaded = parse_case(path.read_bytes(), None).case
    assert loaded.context == FULL
    assert case_document(loaded)["version"] == 3


def test_round_trip_saved_case_to_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "case.toml"
    save_case(Case(drugs=["ocrelizumab"], importance={"pml": 5.0}, context=FULL), path)
    assert main(["compare", "--session", str(path), "--format", "json"]) == 0
    context = json.loads(capsys.readouterr().out)["context"]
    context.pop("derived")
    assert validate_context(context) == FULL


async def test_round_trip_app_case_panel(library: Library) -> None:
    from textual.app import App, ComposeResult

    from workbench.app.widgets.case import CasePanel

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield CasePanel(PatientContext(), [(p.id, p.name) for p in library.profiles])

    async with Host().run_test() as pilot:
        panel = pilot.app.query_one(CasePanel)
        panel.show(FULL)
        await pilot.pause()
        # every field shows FULL's value; re-reading the widgets gives FULL back
        panel.context = PatientContext()
        from textual.widgets import Input

        from workbench.app.widgets.case import NumberField, TextField
        from workbench.app.widgets.choice import ChoiceField

        for field in context_fields():
            widget = panel.query_one(f"#case-{field.name}")
            if isinstance(widget, (NumberField, TextField)):
                ok, value = widget.parse(widget.query_one(Input).value)
                assert ok
            else:
                assert isinstance(widget, ChoiceField)
                value = widget.value
            panel._update(field.name, value)
        assert panel.context == FULL


V1 = b"""format = "workbench-case"
version = 1
drugs = ["natalizumab"]
preset = "balanced"

[importance]
pml = 5.0

[context]
region = "us"
course = "rrms"
activity = "active"
prior_dmts = 1
prior_immunosuppressant = false
jcv_status = "positive"
jcv_index = 0.8
current_dmt = "natalizumab"
months_on_current = 30
horizon_months = 24
autoimmune_history = true
pregnancy_planned = true
age = 40
"""


def test_v1_case_migrates_every_field() -> None:
    context = parse_case(V1, None).case.context
    assert context == PatientContext(
        region="us",
        course="rrms",
        activity="active",
        prior_dmts=1,
        prior_immunosuppressant=False,
        jcv_status="positive",
        jcv_index=0.8,
        current_dmt="natalizumab",
        months_on_current=30,
        horizon_months=24,
        autoimmune_history=True,
        conception_planned_in_months="planned",
        age=40,
    )
    not_planned = parse_case(
        V1.replace(b"pregnancy_planned = true", b"pregnancy_planned = false"), None
    )
    assert not_planned.case.context.conception_planned_in_months == "not-planned"


def test_newer_case_is_refused_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "new.toml"
    newer = V1.replace(b"version = 1", b"version = 4")
    path.write_bytes(newer)
    with pytest.raises(CaseFileError, match="newer workbench"):
        parse_case(newer, None)
    with pytest.raises(CaseFileError, match="refusing to overwrite"):
        save_case(Case(), path)
    assert path.read_bytes() == newer


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--sex", "x"], "invalid choice"),
        (["--previous-dmts", "nosuch"], "valid: "),
        (["--current-dmt", "nosuch"], "valid: none"),
        (["--previous-dmts", "natalizumab:x"], "not a number of months"),
        (["--conception-in-months", "3", "--no-pregnancy-planned"], "contradict"),
    ],
)
def test_bad_context_options_exit_2_with_one_line(
    args: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) if args[0] == "--sex" else _no_exit():
        code = main(["compare", "--format", "json", *args])
        assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert needle in err[-1]


class _no_exit:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None
