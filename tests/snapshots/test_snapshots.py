"""SVG snapshot tests of the app on the engine's made-up fixture profiles (stable, not clinical).

Cursor blinking is off and the review date is fixed, so a snapshot only changes when the rendering
does. Update after inspecting the new SVGs:
`pytest tests/snapshots/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURES, TODAY
from textual.pilot import Pilot

from workbench.app.app import WorkbenchApp
from workbench.app.factory import create_app

FIXTURE = FIXTURES / "engine"
SnapCompare = Callable[..., bool]


@pytest.fixture
def profiles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture profiles under a relative path, so problem messages are stable."""
    shutil.copytree(FIXTURE, tmp_path / "profiles")
    monkeypatch.chdir(tmp_path)
    return Path("profiles")


def app_on(profiles: Path, theme: str | None = None) -> WorkbenchApp:
    return create_app(profiles, theme=theme, cursor_blink=False, today=TODAY)


async def wait_for_workers(pilot: Pilot[None]) -> None:
    await pilot.press("v")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_main_screen_80x24(snap_compare: SnapCompare, profiles: Path) -> None:
    assert snap_compare(app_on(profiles), terminal_size=(80, 24))


def test_case_panel_and_notes_with_a_case(snap_compare: SnapCompare, profiles: Path) -> None:
    # anti-JCV positive (two steps from unknown), index typed with a decimal comma, Escape back
    # to the table, cursor on the next drug
    keys = ["c", *["tab"] * 9, "right", "right", "tab", "2", "comma", "1", "escape", "right"]
    assert snap_compare(app_on(profiles), press=keys, terminal_size=(120, 36))


def test_sensitivity_view(snap_compare: SnapCompare, profiles: Path) -> None:
    assert snap_compare(app_on(profiles), run_before=wait_for_workers, terminal_size=(120, 36))


def test_problems_screen_light_theme(snap_compare: SnapCompare, profiles: Path) -> None:
    (profiles / "broken.toml").write_text('id = "broken"\nname = 3\n', encoding="utf-8")
    app = app_on(profiles, theme="textual-light")
    assert snap_compare(app, press=["p"], terminal_size=(100, 24))


def test_help_screen(snap_compare: SnapCompare, profiles: Path) -> None:
    assert snap_compare(app_on(profiles), press=["question_mark"], terminal_size=(100, 40))


def test_forest_view_80x24(snap_compare: SnapCompare, profiles: Path) -> None:
    assert snap_compare(app_on(profiles), press=["F"], terminal_size=(80, 24))


def test_contribution_bars_after_a_weight_key(snap_compare: SnapCompare, profiles: Path) -> None:
    async def press_and_settle(pilot: Pilot[None]) -> None:
        await pilot.press("B", "w", "right", "right", "escape")
        await pilot.pause(0.5)  # the table's SMAA row runs 0.3 s after the last change
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app_on(profiles), run_before=press_and_settle, terminal_size=(120, 36))


def test_notes_end_with_icon_arrays(snap_compare: SnapCompare, profiles: Path) -> None:
    """The fixture's harm made a risk per patient-year: the notes of the drug under the cursor
    end with its risk over the horizon as an icon array."""
    criteria = profiles / "criteria.toml"
    text = criteria.read_text(encoding="utf-8")
    per_year = 'unit = "per 1,000"\nper_year = true\nrate_per = 1000'
    criteria.write_text(text.replace('unit = "per 1,000"', per_year, 1), encoding="utf-8")
    beta = profiles / "beta.toml"  # 6 per 1,000 a year: 213 in 1,000 over 4 years
    harm = "[measurements.harm]\nvalue = 0.0\n"
    beta.write_text(
        beta.read_text(encoding="utf-8").replace(harm, harm.replace("0.0", "60.0")),
        encoding="utf-8",
    )
    keys = ["down", "right", "n", "m", "end"]
    assert snap_compare(app_on(profiles), press=keys, terminal_size=(100, 36))
