"""`workbench validate`, `list` and `schema`, and the bundled profiles themselves."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES

from workbench.cli.cmd_list import format_table
from workbench.cli.main import main
from workbench.profiles.loader import load_library
from workbench.profiles.paths import bundled_profiles_dir

VALID = FIXTURES / "profiles" / "valid"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = main(list(argv))
    return code, capsys.readouterr().out.splitlines()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    copy = tmp_path / "profiles"
    shutil.copytree(VALID, copy)
    return copy


def test_bundled_profiles_validate_clean() -> None:
    library = load_library(bundled_profiles_dir())
    assert [str(problem) for problem in library.errors] == []
    assert len(library.profiles) >= 19
    assert len(library.criteria) >= 5


def test_validate_default_is_the_bundled_directory(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = run(capsys, "validate")
    assert lines[-1].startswith(f"{len(load_library(bundled_profiles_dir()).profiles)} profiles, ")
    assert code == (0 if lines[-1].split(", ")[1] == "0 errors" else 1)


def test_validate_clean_directory(capsys: pytest.CaptureFixture[str], root: Path) -> None:
    code, lines = run(capsys, "validate", str(root), "--today", "2026-06-01")
    assert (code, lines) == (0, ["1 profile, 0 errors, 0 warnings"])


def test_validate_warnings_do_not_fail(capsys: pytest.CaptureFixture[str], root: Path) -> None:
    code, lines = run(capsys, "validate", str(root), "--today", "2030-01-01")
    assert code == 0
    assert lines == [
        f"{root / 'exampledrug.toml'}:8: last_reviewed: warning: "
        "last reviewed 2026-01-15, more than 24 months ago",
        "1 profile, 0 errors, 1 warning",
    ]


def test_validate_prints_every_problem(capsys: pytest.CaptureFixture[str], root: Path) -> None:
    (root / "broken.toml").write_text('id = "broken"\nname = 3\n', encoding="utf-8")
    (root / "empty.toml").write_bytes(b"")
    code, lines = run(capsys, "validate", str(root), "--today", "2026-06-01")
    assert code == 1
    assert f"{root / 'broken.toml'}:2: name: Input should be a valid string" in lines
    assert f"{root / 'empty.toml'}: (file): file is empty" in lines
    assert lines[-1].startswith("1 profile, ")
    assert lines[-1].endswith(" errors, 0 warnings")


def test_validate_single_files(capsys: pytest.CaptureFixture[str], root: Path) -> None:
    path = root / "exampledrug.toml"
    path.write_text(path.read_text().replace("high = 60.0", "high = 54.0"), encoding="utf-8")
    code, lines = run(capsys, "validate", str(path), "--today", "2026-06-01")
    assert code == 1
    assert lines == [
        f"{path}:44: measurements.disease_activity.high: high 54 is below value 55",
        "0 profiles, 1 error, 0 warnings",
    ]


def test_validate_missing_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, lines = run(capsys, "validate", str(tmp_path / "nothing.toml"))
    assert (code, lines) == (
        1,
        [f"{tmp_path / 'nothing.toml'}: (file): no such file", "0 profiles, 1 error, 0 warnings"],
    )


def test_validate_rejects_a_bad_date(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["validate", "--today", "soon"])
    assert "not a date" in capsys.readouterr().err


def test_list_is_an_aligned_table(capsys: pytest.CaptureFixture[str], root: Path) -> None:
    code, lines = run(capsys, "list", str(root))
    assert code == 0
    assert lines == [
        "id           name         class                 last reviewed",
        "exampledrug  Exampledrug  Fictional test class  2026-01-15",
    ]


def test_list_reports_left_out_files(capsys: pytest.CaptureFixture[str], root: Path) -> None:
    (root / "broken.toml").write_bytes(b"\x00")
    assert main(["list", str(root)]) == 0
    captured = capsys.readouterr()
    assert "1 error: files with errors are not listed" in captured.err
    assert "broken" not in captured.out


def test_format_table_without_rows() -> None:
    assert format_table(("a", "bb"), []) == "a  bb"
    assert format_table(("a",), [("x",)], bold_header=True) == "\x1b[1ma\x1b[0m\nx"


@pytest.mark.parametrize("kind", ["profile", "criteria", "presets"])
def test_schema_prints_the_format(capsys: pytest.CaptureFixture[str], kind: str) -> None:
    assert main(["schema", "--kind", kind]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
