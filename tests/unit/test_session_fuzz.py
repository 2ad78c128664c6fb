"""Property tests: reading a case only ever raises CaseFileError, and valid cases round-trip."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.engine.context import PatientContext
from workbench.session import Case, CaseFileError, case_document, load_case, parse_case

CASE_LINES = st.sampled_from(
    [
        'format = "workbench-case"',
        "version = 1",
        "version = 2",
        'drugs = ["alpha"]',
        "drugs = [1, 2]",
        'preset = "balanced"',
        "[importance]",
        "pml = 3",
        "pml = nan",
        "[context]",
        'region = "eu"',
        "age = 200",
        "jcv_index = inf",
        "prior_dmts = true",
        "[[context]]",
        "x = 1979-05-27T07:32:00Z",
        "a = {b = [1, {c = 2}]}",
        "'''",
        '"',
        "=",
        "[",
    ]
)


def _parse(data: bytes) -> None:
    """Any input gives a LoadedCase or a one-line CaseFileError; anything else propagates."""
    message = ""
    try:
        parse_case(data, {"alpha"}, known_concern_ids={"pml"})
    except CaseFileError as error:
        message = str(error)
    assert "\n" not in message


@pytest.fixture(scope="module")
def case_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "case.toml"


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=300))
def test_load_case_of_arbitrary_bytes_raises_only_case_file_error(
    case_path: Path, data: bytes
) -> None:
    case_path.write_bytes(data)
    message = ""
    try:
        load_case(case_path, {"alpha"})
    except CaseFileError as error:
        message = str(error)
    assert "\n" not in message


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(CASE_LINES, st.text(max_size=20)), max_size=12))
def test_case_like_text_raises_only_case_file_error(lines: list[str]) -> None:
    _parse("\n".join(lines).encode("utf-8", "surrogatepass"))


IDS = st.text(string.ascii_lowercase + string.digits + "-", min_size=1, max_size=12).filter(
    lambda s: s[0] != "-"
)
CONTEXTS = st.builds(
    PatientContext,
    region=st.sampled_from(["eu", "us"]),
    course=st.none() | st.sampled_from(["rrms", "ppms"]),
    prior_dmts=st.none() | st.integers(0, 20),
    jcv_index=st.none() | st.floats(0, 10),
    autoimmune_history=st.none() | st.booleans(),
    age=st.none() | st.integers(0, 120),
)


@settings(max_examples=100, deadline=None)
@given(
    drugs=st.lists(IDS, unique=True, max_size=5),
    importance=st.dictionaries(
        st.text(string.ascii_lowercase + "_", min_size=1, max_size=10).filter(
            lambda s: s[0] != "_"
        ),
        st.floats(0, 10),
        max_size=5,
    ),
    preset=st.none() | IDS,
    context=CONTEXTS,
)
def test_valid_cases_round_trip(
    drugs: list[str],
    importance: dict[str, float],
    preset: str | None,
    context: PatientContext,
) -> None:
    case = Case(drugs=drugs, importance=importance, preset=preset, context=context)
    loaded = parse_case(tomli_w.dumps(case_document(case)).encode(), None)
    assert loaded.case == case
    assert loaded.warnings == ()
