"""The case note: its content and `save_case_note` (atomic, dated name, never overwriting)."""

from __future__ import annotations

import datetime as dt
import os
import re
import types
from pathlib import Path

import pytest
from conftest import GOLDEN_DATE, golden_result

from workbench import __version__
from workbench.report import casenote
from workbench.report.casenote import render_case_note, save_case_note
from workbench.session import HOME_ENV


class _FixedClock(dt.datetime):
    @classmethod
    def now(cls, tz: dt.tzinfo | None = None) -> _FixedClock:
        return cls(2026, 1, 2, 12, 0, 5)


@pytest.fixture
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(casenote, "dt", types.SimpleNamespace(datetime=_FixedClock, date=dt.date))


def test_note_states_date_version_review_dates_and_one_disclaimer() -> None:
    note = render_case_note(golden_result(), today=GOLDEN_DATE)
    assert "- Date: 2026-01-02" in note
    assert f"- Tool: workbench {__version__}" in note
    assert note.count("| 2026-01-01 |") == 3  # each profile's last review date
    assert [line for line in note.splitlines() if "not a prescription" in line] == [
        "Decision support, not a prescription: the treating clinician decides."
    ]


def test_note_sections_and_missing_data() -> None:
    note = render_case_note(golden_result(), today=GOLDEN_DATE)
    for heading in ("Case context", "Weights", "Comparison", "Ranking policy", "Sensitivity"):
        assert f"## {heading}\n" in note
    assert "## SMAA\n" in note
    assert "no data → 0.000–0.357" in note  # missing data shown as such, with its range
    assert "Monitoring to start:" in note
    assert "\n1. Alpha fixture" in note or "\n1. Beta fixture" in note


def test_note_without_smaa_has_no_smaa_section() -> None:
    note = render_case_note(golden_result(smaa=False), today=GOLDEN_DATE)
    assert "## SMAA" not in note
    assert "Rank acceptability" not in note


def test_every_cited_number_is_listed_in_sources() -> None:
    note = render_case_note(golden_result(), today=GOLDEN_DATE)
    body, sources = note.split("## Sources\n")
    listed = [int(line.split(".")[0]) for line in sources.strip().splitlines()]
    cited = {
        int(n) for group in re.findall(r" \[(\d+(?:, \d+)*)\]", body) for n in group.split(",")
    }
    assert listed == list(range(1, len(listed) + 1))
    assert cited == set(listed)


def test_save_writes_dated_note(tmp_path: Path, fixed_clock: None) -> None:
    result = golden_result()
    path = save_case_note(result, folder=tmp_path, today=GOLDEN_DATE)
    assert path == tmp_path / "case-note-2026-01-02-120005.md"
    assert path.read_text(encoding="utf-8") == render_case_note(result, today=GOLDEN_DATE)


def test_save_never_overwrites(tmp_path: Path, fixed_clock: None) -> None:
    existing = tmp_path / "case-note-2026-01-02-120005.md"
    existing.write_text("keep me", encoding="utf-8")
    first = save_case_note(golden_result(), folder=tmp_path)
    second = save_case_note(golden_result(), folder=tmp_path)
    assert existing.read_text(encoding="utf-8") == "keep me"
    assert [first.name, second.name] == [
        "case-note-2026-01-02-120005-2.md",
        "case-note-2026-01-02-120005-3.md",
    ]


def test_save_defaults_to_notes_folder_under_workbench_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "home"))
    path = save_case_note(golden_result())
    assert path.parent == tmp_path / "home" / "notes"
    assert path.name.startswith("case-note-")


def test_failed_save_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(OSError, match="disk full"):
        save_case_note(golden_result(), folder=tmp_path)
    assert list(tmp_path.iterdir()) == []
