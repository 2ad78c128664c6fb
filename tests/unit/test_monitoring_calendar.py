"""Issue 27: the monitoring calendar (engine), its iCalendar file (parsed back) and the CLI."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import icalendar
import pytest

from workbench.cli.main import main
from workbench.engine.monitoring_calendar import add_months, by_item, monitoring_calendar
from workbench.profiles.loader import load_library
from workbench.profiles.paths import bundled_profiles_dir
from workbench.report.ics_export import render_ics

LIB = load_library(bundled_profiles_dir())
START = dt.date(2027, 1, 4)
BLOOD_AND_URINE = "Complete blood count with differential, serum creatinine, urinalysis"


def test_add_months_clamps_to_the_end_of_the_month() -> None:
    assert add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 11, 4), 2) == dt.date(2028, 1, 4)
    assert add_months(dt.date(2027, 1, 4), 0.5) == dt.date(2027, 1, 19)


def test_alemtuzumab_monthly_blood_and_urine_until_48_months_after_the_second_course() -> None:
    calendar = monitoring_calendar(LIB.profile("alemtuzumab"), "eu", START, 48)
    groups = dict(by_item(calendar))
    blood = next(events for test, events in groups.items() if test.startswith(BLOOD_AND_URINE))
    assert calendar.last_dose_month == 12  # the second course
    assert [e.month for e in blood] == list(range(61))  # months 0..60 = 12 + 48
    assert blood[0].date == START
    assert blood[-1].date == dt.date(2032, 1, 4)
    assert all(
        (b.date.year * 12 + b.date.month) - (a.date.year * 12 + a.date.month) == 1
        for a, b in pairwise(blood)
    )
    thyroid = groups["Thyroid function (TSH)"]
    assert [e.month for e in thyroid] == list(range(0, 61, 3))
    assert [u.test for u in calendar.undated] == ["Liver tests"]


def test_cladribine_lymphocytes_follow_each_course() -> None:
    calendar = monitoring_calendar(LIB.profile("cladribine"), "eu", START, 48)
    lymphocytes = dict(by_item(calendar))["Lymphocyte count"]
    assert [e.month for e in lymphocytes] == [0, 2, 6, 12, 14, 18]


def test_natalizumab_continuous_runs_over_the_horizon() -> None:
    calendar = monitoring_calendar(LIB.profile("natalizumab"), "eu", START, 24)
    groups = dict(by_item(calendar))
    assert [e.month for e in groups["Anti-JCV antibody with index"]] == [0, 6, 12, 18, 24]
    assert [e.month for e in groups["Re-inform the patient of the PML risk"]] == [24]


def _parsed(data: bytes) -> list[tuple[dt.date, str]]:
    parsed = icalendar.Calendar.from_ical(data)
    return [
        (event.decoded("dtstart"), str(event.get("summary"))) for event in parsed.walk("VEVENT")
    ]


def test_the_ics_file_parses_back_with_the_same_events() -> None:
    calendar = monitoring_calendar(LIB.profile("alemtuzumab"), "eu", START, 48)
    data = render_ics(calendar, stamp=dt.datetime(2026, 12, 7, tzinfo=dt.UTC))
    events = _parsed(data)
    assert events == [(e.date, f"Alemtuzumab: {e.test}") for e in calendar.events]
    uids = [str(e.get("uid")) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")]
    assert len(set(uids)) == len(uids)


def test_cli_calendar_writes_an_ics_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "alemtuzumab.ics"
    assert main(["calendar", "alemtuzumab", "--start", "2027-01-04", "--output", str(out)]) == 0
    events = _parsed(out.read_bytes())
    blood = [d for d, s in events if BLOOD_AND_URINE in s]
    assert len(blood) == 61
    assert blood[-1] == dt.date(2032, 1, 4)
    text = out.read_text(encoding="utf-8")
    for identifier in ("ATTENDEE", "ORGANIZER", "patient", "CONTACT"):
        assert identifier not in text
    assert "events written to" in capsys.readouterr().out


def test_cli_calendar_prints_the_schedule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "alemtuzumab", "--start", "2027-01-04"]) == 0
    out = capsys.readouterr().out
    assert "61 dates, 2027-01-04 to 2032-01-04 (Monthly)" in out
    assert "2032-01-04  month 60" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["alemtuzumab", "--start", "2027-13-04"], "is not a date"),
        (["alemtuzumab", "--start", "tomorrow"], "is not a date"),
        (["nope", "--start", "2027-01-04"], "unknown drug id 'nope'; valid: alemtuzumab"),
        (["alemtuzumab", "--region", "uk"], "--region 'uk'"),
    ],
)
def test_cli_calendar_errors_are_one_line_and_exit_2(argv: list[str], message: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "workbench.cli.main", "calendar", *argv],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert message in lines[0]


async def test_app_calendar_key_shows_dates_and_saves_an_ics(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Static

    from workbench.app.factory import create_app
    from workbench.app.screens.calendar import CalendarScreen
    from workbench.app.screens.help import key_sections

    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path))
    app = create_app(None, cursor_blink=False, selected=["alemtuzumab"], today=START)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("x", "C")
        screen = app.screen
        assert isinstance(screen, CalendarScreen)
        assert screen.calendar.drug == "alemtuzumab"
        shown = str(screen.query_one("#calendar-text", Static).content)
        assert "61 dates" in shown
        assert "month 60" in shown
        await pilot.press("s")
        saved = list((tmp_path / "notes").glob("monitoring-alemtuzumab-*.ics"))
        assert len(saved) == 1
        events = _parsed(saved[0].read_bytes())
        assert len(events) == len(screen.calendar.events)
        await pilot.press("escape")
        assert not isinstance(app.screen, CalendarScreen)
    sections = dict(key_sections([]))
    assert any(getattr(b, "action", "") == "calendar" for b in sections["Main screen"])


def test_case_note_has_a_dated_monitoring_section() -> None:
    from workbench.engine.context_validation import validate_context
    from workbench.engine.evaluate import evaluate
    from workbench.engine.weights import preset_importance
    from workbench.report.casenote import render_case_note

    importance = preset_importance(LIB, "balanced")
    context = validate_context({"region": "eu"})
    note = render_case_note(evaluate(LIB, ["alemtuzumab"], importance, context), today=START)
    assert "Monitoring calendar (first dose today, 2027-01-04; pulsed:" in note
    assert "monitoring until 2032-01-04" in note
    assert "61 dates, 2027-01-04 to 2032-01-04 (Monthly)" in note
    continuing = validate_context(
        {"region": "eu", "current_dmt": "natalizumab", "months_on_current": 10}
    )
    note = render_case_note(evaluate(LIB, ["natalizumab"], importance, continuing), today=START)
    assert "month 10 of treatment today" in note
    assert "Re-inform the patient of the PML risk: 2028-03-04" in note  # month 24 = today + 14
