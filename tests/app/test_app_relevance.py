"""On screen: a concern that does not apply to the patient says so, and the preset names its source
(Pilot, bundled profiles)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from workbench.app.factory import create_app
from workbench.app.widgets.notes_pane import NotesPane

WORDS = "Pregnancy wait: not relevant — no pregnancy planned"


def case_file(tmp_path: Path, context: str) -> Path:
    path = tmp_path / "case.toml"
    path.write_text(
        'format = "workbench-case"\nversion = 2\ndrugs = ["ocrelizumab", "teriflunomide"]\n'
        'preset = "balanced"\n\n[importance]\ndisease_activity = 5.0\n'
        "disability_progression = 5.0\nsecondary_autoimmunity = 5.0\npml = 5.0\n"
        f"other_infections = 5.0\nfamily_planning = 5.0\n\n[context]\n{context}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    "context",
    ['sex = "female"\nconception_planned_in_months = "not-planned"', 'sex = "male"\nage = 55'],
    ids=["woman-not-planning", "man-55"],
)
async def test_the_notes_say_the_pregnancy_wait_does_not_apply(
    tmp_path: Path, context: str
) -> None:
    app = create_app(
        cursor_blink=False, today=dt.date(2026, 12, 7), case=case_file(tmp_path, context)
    )
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        result = app.workbench.result
        assert result is not None
        assert result.weights["family_planning"] == 0.0
        notes = app.query_one(NotesPane).text.plain
        assert WORDS in notes
        assert "Weights: preset Equal swing (teaching) (balanced)" in notes


async def test_a_planned_conception_keeps_the_wait_at_its_weight(tmp_path: Path) -> None:
    case = case_file(tmp_path, 'sex = "female"\nconception_planned_in_months = 6')
    app = create_app(cursor_blink=False, today=dt.date(2026, 12, 7), case=case)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        result = app.workbench.result
        assert result is not None
        assert result.weights["family_planning"] == pytest.approx(1 / 6)
        assert WORDS not in app.query_one(NotesPane).text.plain
