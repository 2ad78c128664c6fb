"""`workbench compare` with --format table/markdown/csv, --output and --session."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import GOLDEN

from workbench.cli.main import main

PROFILES = ["--profiles", str(GOLDEN / "profiles")]
SESSION = [*PROFILES, "--session", str(GOLDEN / "case.toml")]
SMAA = ["--smaa", "500", "--seed", "7", "--smaa-weights", "around", "--smaa-spread", "2"]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["compare", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def golden(name: str) -> str:
    return (GOLDEN / name).read_bytes().decode("utf-8")


def test_session_markdown_reproduces_the_golden_note(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([*SESSION, *SMAA, "--format", "markdown", "--date", "2026-01-02"], capsys)
    assert (code, err) == (0, "")
    assert out == golden("note.md")


def test_session_csv_matches_golden(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([*SESSION, "--format", "csv"], capsys)
    assert code == 0
    assert out == golden("compare.csv")


def test_table_when_stdout_is_a_terminal_else_json(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(SESSION, capsys)
    assert code == 0
    assert json.loads(out)["drugs"]
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, _ = run(SESSION, capsys)
    assert code == 0
    assert "Benefit-risk comparison" in out
    assert "\x1b[" not in out


def test_output_file_is_written_atomically_in_the_suffix_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    note = tmp_path / "note.md"
    code, out, err = run([*SESSION, *SMAA, "--output", str(note), "--date", "2026-01-02"], capsys)
    assert (code, out, err) == (0, "", "")
    assert note.read_text(encoding="utf-8") == golden("note.md")
    table = tmp_path / "table.txt"
    assert run([*SESSION, *SMAA, "-o", str(table)], capsys)[0] == 0
    assert table.read_text(encoding="utf-8") == golden("table.txt")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["note.md", "table.txt"]


def test_unwritable_output_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run([*SESSION, "-o", str(tmp_path / "absent" / "x.json")], capsys)
    assert code == 1
    assert err.startswith("workbench compare: error: cannot write")


def test_explicit_options_override_the_session(capsys: pytest.CaptureFixture[str]) -> None:
    argv = [*SESSION, "--format", "json", "--region", "us", "--drugs", "beta,gamma"]
    code, out, _ = run([*argv, "--weight", "wait=10"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["context"]["region"] == "us"
    assert data["context"]["prior_dmts"] == 2  # from the session
    assert sorted(d["id"] for d in data["drugs"]) == ["beta", "gamma"]
    assert data["importance"] == {"efficacy": 7.0, "harm": 5.0, "wait": 10.0}
    code, out, _ = run([*SESSION, "--format", "json", "--preset", "harm-only"], capsys)
    assert json.loads(out)["importance"] == {"efficacy": 0.0, "harm": 4.0, "wait": 0.0}


def test_session_unknown_drugs_warn(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = tmp_path / "case.toml"
    text = golden("case.toml").replace('"alpha", "beta"', '"alpha", "zeta", "beta"')
    case.write_text(text, encoding="utf-8")
    code, out, err = run([*PROFILES, "--session", str(case), "--format", "json"], capsys)
    assert code == 0
    assert len(json.loads(out)["drugs"]) == 3
    assert err == (
        f"workbench compare: warning: {case}: unknown drug 'zeta' skipped (no such profile)\n"
    )


def test_bad_session_is_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = tmp_path / "case.toml"
    case.write_text("[tool.black]\nline-length = 100\n", encoding="utf-8")
    code, out, err = run([*PROFILES, "--session", str(case)], capsys)
    assert (code, out) == (2, "")
    assert err == (
        f"workbench compare: error: --session: {case}: not a workbench case file "
        '(no format = "workbench-case" line)\n'
    )


def test_bad_date_names_the_format(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["compare", "--date", "02/01/2026"])
    assert "is not a date YYYY-MM-DD" in capsys.readouterr().err


def test_session_concerns_left_out_count_zero_as_in_the_app(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = tmp_path / "case.toml"
    case.write_text(golden("case.toml").replace("harm = 5.0\nwait = 2.0\n", ""), encoding="utf-8")
    code, out, _ = run([*PROFILES, "--session", str(case), "--format", "json"], capsys)
    assert code == 0
    assert json.loads(out)["importance"] == {"efficacy": 7.0, "harm": 0.0, "wait": 0.0}
