"""The patient context as plain records: the declarations, the defaults, `replace`, the derived
field, and the validation of values from outside (CLI options, case files, the case panel), which
must reject every declared bound with a message naming the field and what is allowed."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, cast

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.cli.main import main
from workbench.engine.context import (
    NO_CURRENT_DMT,
    ContextError,
    ContextField,
    PatientContext,
    PreviousDmt,
    context_data,
    context_fields,
)
from workbench.engine.context_validation import validate_context
from workbench.session import Case, CaseFileError, case_document, parse_case

# the defaults and bounds of the pydantic models these records replaced (issue 15)
OLD_DEFAULTS: dict[str, object] = {
    "region": "eu",
    "course": None,
    "activity": None,
    "current_dmt": None,
    "months_on_current": None,
    "previous_dmts": None,
    "adequate_course": None,
    "prior_dmts": None,
    "prior_immunosuppressant": None,
    "jcv_status": "unknown",
    "jcv_index": None,
    "horizon_months": None,
    "autoimmune_history": None,
    "sex": "unknown",
    "conception_planned_in_months": None,
    "age": None,
    # issue 26: laboratory values, screening, autoimmune disease by type, comorbidities
    "breastfeeding": None,
    "autoimmune_types": None,
    "comorbidities": None,
    "lymphocytes": None,
    "lymphopenia_months": None,
    "igg_below_lln": None,
    "natalizumab_dosing": "standard",
    "hbsag": None,
    "anti_hbc": None,
    "vzv_igg": None,
    "tb_screen": None,
    "hiv": None,
    "live_vaccine_recent": None,
    "relapses_12m": None,
    "relapses_24m": None,
    "new_t2_12m": None,
    "gd_lesions": None,
    "t2_lesions": None,
    "activity_on_current": None,
}
OLD_BOUNDS = {
    "months_on_current": (0, 600),
    "prior_dmts": (0, 20),
    "jcv_index": (0, 10),
    "horizon_months": (1, 240),
    "lymphocytes": (0, 50),
    "lymphopenia_months": (0, 600),
    "age": (0, 120),
    "relapses_12m": (0, 50),
    "relapses_24m": (0, 50),
    "new_t2_12m": (0, 500),
    "gd_lesions": (0, 500),
    "t2_lesions": (0, 500),
}
BOUNDED = [f for f in context_fields() if f.high is not None]
CASE_HEAD = b'format = "workbench-case"\nversion = 2\n\n[context]\n'


def test_defaults_and_bounds_are_the_old_models() -> None:
    assert context_data(PatientContext()) == OLD_DEFAULTS
    assert {f.name: f.default for f in context_fields()} == OLD_DEFAULTS
    assert {f.name: (f.low, f.high) for f in BOUNDED} == OLD_BOUNDS
    assert validate_context({}) == PatientContext()


def test_every_field_is_declared_with_a_unique_option_and_key() -> None:
    fields = context_fields()
    assert [f.name for f in fields] == list(OLD_DEFAULTS)
    assert len({f.declared.option for f in fields}) == len(fields)
    choices = [f for f in fields if f.declared.kind == "choice"]
    assert all(f.declared.choices for f in choices)


def test_replace_gives_a_changed_copy_and_the_record_is_immutable() -> None:
    context = PatientContext(age=40)
    older = context.replace(age=41, jcv_status="positive")
    assert (context.age, context.jcv_status) == (40, "unknown")
    assert (older.age, older.jcv_status) == (41, "positive")
    assert older == PatientContext(age=41, jcv_status="positive")
    assert context.replace() == context
    with pytest.raises(TypeError, match="unknown field"):
        context.replace(patient_name="x")
    with pytest.raises(AttributeError, match="immutable"):
        context.age = 3  # type: ignore[misc]


def test_the_derived_count_is_never_saved_shown_or_accepted_from_outside() -> None:
    derived = PatientContext(prior_dmts=None).replace(prior_dmts_min=2)
    assert derived.prior_dmts_min == 2
    assert "prior_dmts_min" not in {f.name for f in context_fields()}
    assert "prior_dmts_min" not in context_data(derived)
    assert "prior_dmts_min" not in case_document(Case(context=derived))["context"]
    with pytest.raises(ContextError, match=r"^prior_dmts_min: Extra inputs are not permitted$"):
        validate_context({"prior_dmts_min": 2})
    with pytest.raises(CaseFileError, match=r"unknown key 'context\.prior_dmts_min'"):
        parse_case(CASE_HEAD + b"prior_dmts_min = 2\n", None)


def test_conception_planned_reads_the_plan() -> None:
    assert PatientContext().conception_planned is None
    assert PatientContext(conception_planned_in_months=0).conception_planned is True
    assert PatientContext(conception_planned_in_months="planned").conception_planned is True
    assert PatientContext(conception_planned_in_months="not-planned").conception_planned is False


def _outside(field: ContextField) -> list[tuple[float, str]]:
    """(value, what the message says) just outside each end of a bounded field."""
    assert field.low is not None
    assert field.high is not None
    step = 1 if field.declared.kind == "integer" else 0.5
    return [
        (field.high + step, f"Input should be less than or equal to {field.high:g}"),
        (field.low - step, f"Input should be greater than or equal to {field.low:g}"),
    ]


def _text(value: float) -> str:
    return f"{value:g}"


@pytest.mark.parametrize("field", BOUNDED, ids=lambda f: f.name)
def test_every_bound_is_refused_as_a_cli_option(
    field: ContextField, capsys: pytest.CaptureFixture[str]
) -> None:
    for value, words in _outside(field):
        option = field.declared.option
        assert main(["compare", "--format", "json", f"{option}={_text(value)}"]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err == f"workbench compare: error: {option}: {words}\n"


@pytest.mark.parametrize("field", BOUNDED, ids=lambda f: f.name)
def test_every_bound_is_refused_in_a_case_file(field: ContextField) -> None:
    for value, words in _outside(field):
        line = f"{field.name} = {_text(value)}\n".encode()
        with pytest.raises(CaseFileError) as caught:
            parse_case(CASE_HEAD + line, None)
        assert str(caught.value) == (f"<case>: context.{field.name}: {words} (got {_text(value)})")


@pytest.mark.parametrize("field", BOUNDED, ids=lambda f: f.name)
def test_every_bound_is_refused_by_the_validation_the_case_panel_uses(field: ContextField) -> None:
    base = context_data(PatientContext(age=30, jcv_status="positive"))
    for value, words in _outside(field):
        with pytest.raises(ContextError) as caught:
            validate_context({**base, field.name: value})
        assert (caught.value.field, caught.value.message) == (field.name, words)
        assert str(caught.value) == f"{field.name}: {words}"
    low, high = field.low, field.high
    assert validate_context({**base, field.name: low}).as_dict()[field.name] == low
    assert validate_context({**base, field.name: high}).as_dict()[field.name] == high


async def test_every_bound_typed_in_the_case_panel_counts_as_unknown() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Input

    from workbench.app.widgets.case import CasePanel

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield CasePanel(PatientContext())

    async with Host().run_test(size=(120, 60)) as pilot:
        panel = pilot.app.query_one(CasePanel)
        for field in BOUNDED:
            entry = panel.query_one(f"#case-{field.name} Input", Input)
            for value, _ in _outside(field):
                entry.value = _text(value)
                await pilot.pause()
                assert getattr(panel.context, field.name) is None, field.name
                problem = f"outside {field.low:g}–{field.high:g}: counts as unknown"
                assert problem in str(panel.query_one(f"#case-{field.name} .case-problem").render())
            entry.value = _text(field.high or 0)
            await pilot.pause()
            assert getattr(panel.context, field.name) == field.high


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"conception_planned_in_months": 601}, "Input should be less than or equal to 600"),
        ({"conception_planned_in_months": -1}, "Input should be greater than or equal to 0"),
        ({"previous_dmts": [{"drug": "a", "months_on": 601}]}, "less than or equal to 600"),
        ({"previous_dmts": [{"drug": "a", "months_since_stop": -1}]}, "greater than or equal"),
        ({"previous_dmts": [{"drug": "Natalizumab"}]}, "String should match pattern"),
        ({"previous_dmts": [{"months_on": 3}]}, "Field required"),
        ({"region": "mars"}, "Input should be 'eu' or 'us'"),
        ({"age": "forty"}, "Input should be a valid integer"),
        ({"patient_name": "x"}, "Extra inputs are not permitted"),
    ],
)
def test_nested_and_typed_values_are_checked(data: dict[str, object], message: str) -> None:
    with pytest.raises(ContextError) as caught:
        validate_context(data)
    assert caught.value.field == next(iter(data))
    assert message in caught.value.message


def test_records_and_plain_data_validate_alike() -> None:
    history = (PreviousDmt(drug="fingolimod", months_since_stop=3),)
    from_records = validate_context({"previous_dmts": history, "jcv_index": 2})
    from_data = validate_context(
        {"previous_dmts": [{"drug": "fingolimod", "months_since_stop": 3}]}
    )
    assert from_records.previous_dmts == from_data.previous_dmts == history
    assert isinstance(from_records.previous_dmts, tuple)
    assert from_records.jcv_index == 2.0
    assert isinstance(from_records.jcv_index, float)
    with pytest.raises(ContextError, match=r"^previous_dmts: .*less than or equal to 600"):
        validate_context({"previous_dmts": (PreviousDmt(drug="x", months_on=601),)})


def _values(field: ContextField) -> st.SearchStrategy[object]:
    """Every value the declaration allows (unknown included where the default is)."""
    kind, low, high = field.declared.kind, field.low, field.high
    ids = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12).filter(
        lambda s: s[0] != "-"
    )
    months = st.none() | st.integers(0, 600)
    strategy: st.SearchStrategy[object]
    if kind == "choice":
        strategy = st.sampled_from(field.declared.choices)
    elif kind == "yes-no":
        strategy = st.booleans()
    elif kind == "integer":
        strategy = st.integers(int(low or 0), int(high or 600))
    elif kind == "number":
        strategy = st.floats(low or 0, high or 10)
    elif kind == "drug":
        strategy = ids | st.just(NO_CURRENT_DMT)
    elif kind == "multi":
        values = st.lists(st.sampled_from(field.declared.choices), unique=True, max_size=3)
        strategy = values.map(tuple)
    elif kind == "history":
        previous = st.builds(PreviousDmt, drug=ids, months_since_stop=months, months_on=months)
        strategy = st.lists(previous, max_size=4).map(tuple)
    else:
        strategy = st.integers(0, 600) | st.sampled_from(["planned", "not-planned"])
    return strategy if field.default is not None else st.none() | strategy


CONTEXTS = st.fixed_dictionaries({f.name: _values(f) for f in context_fields()}).map(
    lambda values: PatientContext(**cast("dict[str, Any]", values))
)


@settings(max_examples=200, deadline=None)
@given(CONTEXTS)
def test_a_context_as_saved_or_shown_validates_back_to_itself(context: PatientContext) -> None:
    assert validate_context(context_data(context)) == context
    assert validate_context(context_data(context, keep_unknown=False)) == context
    assert validate_context(json.loads(json.dumps(context_data(context)))) == context
    saved = tomli_w.dumps(case_document(Case(context=context))).encode()
    assert parse_case(saved, None).case.context == context


PROBE = textwrap.dedent(
    """
    import contextlib, io, json, sys

    first = []

    class Spy:
        '''Notes which workbench module first imports pydantic.'''

        def find_spec(self, name, path=None, target=None):
            if not first and name.split(".")[0] == "pydantic":
                frame = sys._getframe(1)
                while frame and not frame.f_globals.get("__name__", "").startswith("workbench"):
                    frame = frame.f_back
                first.append(frame.f_globals["__name__"] if frame else "?")
            return None

    sys.meta_path.insert(0, Spy())
    import workbench.engine.context
    import workbench.cli.context_options
    from workbench.engine.context import PatientContext, context_data, context_fields

    context_data(PatientContext())
    early = first[:1] or [None]
    from workbench.cli.main import main

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = main(sys.argv[1:])
    loaded = [m for m in ("workbench.session", "workbench.engine.context_validation")
              if m in sys.modules]
    print(json.dumps({"code": code, "early": early[0], "first": first[:1], "loaded": loaded}))
    """
)


def test_start_up_imports_neither_pydantic_for_the_context_nor_the_case_files(
    tmp_path: Path,
) -> None:
    """The context and its CLI options import no pydantic; the app's start-up path imports
    neither the case files (`workbench.session`) nor the context's validation, and pydantic, if
    at all, only from the profile library (until that is pydantic-free too)."""
    shot = tmp_path / "shot.svg"
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "screenshot", str(shot), "--size", "80x24"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["code"] == 0
    assert report["early"] is None
    assert report["loaded"] == []
    assert all(name.startswith("workbench.profiles.") for name in report["first"]), report
