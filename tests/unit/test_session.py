"""Saved cases: round trip, clear one-line errors for bad files, warnings for unknown ids."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import tomli
import tomli_w

from workbench.engine.context import PatientContext
from workbench.session import (
    HOME_ENV,
    MAX_CASE_BYTES,
    Case,
    CaseFileError,
    case_document,
    default_case_dir,
    default_notes_dir,
    load_case,
    save_case,
)

KNOWN = {"alpha", "beta"}
GOOD = """\
format = "workbench-case"
version = 1
drugs = ["alpha", "beta"]
preset = "balanced"

[importance]
disease_activity = 7
pml = 2.5

[context]
region = "us"
prior_dmts = 2
jcv_status = "positive"
jcv_index = 1.2
pregnancy_planned = false
"""


def _case() -> Case:
    return Case(
        drugs=["alpha", "beta"],
        importance={"disease_activity": 7.0, "pml": 2.5},
        preset="balanced",
        context=PatientContext(region="us", prior_dmts=2, jcv_status="positive", jcv_index=1.2),
    )


def _write(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "case.toml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_save_then_load_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "case.toml"
    save_case(_case(), path)
    loaded = load_case(path, KNOWN)
    assert loaded.case == _case()
    assert loaded.warnings == ()


def test_saved_file_is_small_readable_toml_without_unknowns() -> None:
    text = tomli_w.dumps(case_document(_case()))
    assert tomli.loads(text)["drugs"] == ["alpha", "beta"]
    assert "[context]" in text
    assert 'region = "us"' in text
    assert "age" not in text  # unknown context fields are left out, not written as a guess
    assert len(text) < 1000


def test_hand_written_file_loads(tmp_path: Path) -> None:
    case = load_case(_write(tmp_path, GOOD), KNOWN).case
    assert case.importance == {"disease_activity": 7.0, "pml": 2.5}
    assert case.context.jcv_index == 1.2
    assert case.context.conception_planned_in_months == "not-planned"
    assert case.context.age is None


def test_case_has_no_identifier_fields() -> None:
    fields = set(Case.model_fields) | set(PatientContext().as_dict())
    assert not fields & {"name", "patient", "birth_date", "dob", "mrn", "record", "id"}


def test_unknown_drugs_are_skipped_with_a_warning(tmp_path: Path) -> None:
    text = GOOD.replace('["alpha", "beta"]', '["alpha", "gamma", "alpha"]')
    loaded = load_case(_write(tmp_path, text), KNOWN)
    assert loaded.case.drugs == ["alpha"]
    assert loaded.warnings == (
        "unknown drug 'gamma' skipped (no such profile)",
        "drug 'alpha' is listed twice; kept once",
    )


def test_unknown_concerns_are_skipped_when_concerns_are_given(tmp_path: Path) -> None:
    loaded = load_case(_write(tmp_path, GOOD), KNOWN, known_concern_ids={"pml"})
    assert loaded.case.importance == {"pml": 2.5}
    assert loaded.warnings == ("unknown concern 'disease_activity' skipped (not in criteria.toml)",)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty file, not a case file"),
        ("  \n\n", "empty file, not a case file"),
        ("# only a comment\n", "no settings in the file, not a case file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file, not a case file"),
        (b'format = "\xff\xfe"', "not UTF-8 text, not a case file"),
        (GOOD.replace("pml = 2.5", "pml = 2,5"), "line 8: TOML syntax error"),
        ('[tool.poetry]\nname = "x"\n', 'not a workbench case file (no format = "workbench-case"'),
        ('format = "something-else"\n', "not a workbench case file"),
        (GOOD.replace("version = 1", "version = 7"), "written by a newer workbench"),
        (GOOD.replace("version = 1", "version = 0"), "version: must be 1 to 3, got 0"),
        (GOOD.replace("version = 1", ""), "missing key 'version'"),
        (GOOD.replace("version = 1", 'version = "1"'), "version: Input should be a valid integer"),
        (GOOD.replace("prior_dmts = 2", 'prior_dmts = "2"'), "context.prior_dmts: Input should be"),
        (GOOD.replace("pml = 2.5", "pml = 11"), "importance.pml: Input should be less than or"),
        (GOOD.replace('region = "us"', 'region = "mars"'), "context.region: Input should be"),
        (GOOD.replace('drugs = ["alpha", "beta"]', 'drugs = "alpha"'), "drugs: Input should be"),
        (GOOD + "patient_name = 1\n", "unknown key 'context.patient_name'"),
        (GOOD.replace("version = 1", "version = 1\nnotes = 'x'"), "unknown key 'notes'"),
        (GOOD.replace('drugs = ["alpha", "beta"]', 'drugs = ["Alpha!"]'), "drugs.0: String should"),
    ],
)
def test_bad_files_give_one_clear_line(tmp_path: Path, content: str | bytes, message: str) -> None:
    path = _write(tmp_path, content)
    with pytest.raises(CaseFileError) as caught:
        load_case(path, KNOWN)
    text = str(caught.value)
    assert text.startswith(f"{path}: ")
    assert message in text
    assert "\n" not in text


def test_huge_file_is_refused_unread(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD + "#" * MAX_CASE_BYTES)
    with pytest.raises(CaseFileError, match="too large for a case file"):
        load_case(path, KNOWN)


def test_several_problems_are_counted(tmp_path: Path) -> None:
    text = GOOD.replace("prior_dmts = 2", 'prior_dmts = "2"\nage = -1')
    with pytest.raises(CaseFileError, match=r"\(and 1 more problem\)$"):
        load_case(_write(tmp_path, text), KNOWN)


def test_missing_file_and_folder_give_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(CaseFileError, match="cannot read: No such file"):
        load_case(tmp_path / "absent.toml", KNOWN)
    with pytest.raises(CaseFileError, match="cannot read"):
        load_case(tmp_path, KNOWN)
    with pytest.raises(CaseFileError, match="is a folder"):
        save_case(_case(), tmp_path)


def test_save_replaces_a_case_file(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD)
    save_case(_case().model_copy(update={"drugs": ["beta"]}), path)
    assert load_case(path, KNOWN).case.drugs == ["beta"]


@pytest.mark.parametrize(
    "content",
    [
        "[tool.poetry]\nname = 'x'\n",
        "not toml at all {",
        GOOD.replace("version = 1", "version = 9"),
    ],
)
def test_save_refuses_to_overwrite_other_files(tmp_path: Path, content: str) -> None:
    path = _write(tmp_path, content)
    with pytest.raises(CaseFileError, match=f"^refusing to overwrite {path}: "):
        save_case(_case(), path)
    assert path.read_text(encoding="utf-8") == content
    save_case(_case(), path, overwrite=True)
    assert load_case(path, KNOWN).case == _case()


def test_interrupted_save_keeps_old_case_and_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, GOOD)

    def interrupted(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(CaseFileError, match="cannot write: No space left on device"):
        save_case(_case().model_copy(update={"drugs": ["beta"]}), path)
    assert path.read_text(encoding="utf-8") == GOOD
    assert [p.name for p in tmp_path.iterdir()] == ["case.toml"]


def test_default_folders_follow_workbench_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(HOME_ENV, str(tmp_path))
    assert default_case_dir() == tmp_path / "cases"
    assert default_notes_dir() == tmp_path / "notes"


def test_default_folders_without_override_are_per_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(HOME_ENV, raising=False)
    assert default_case_dir().name == "cases"
    assert default_case_dir().parent == default_notes_dir().parent
    assert "workbench" in str(default_case_dir())
