"""Issue 29's smaller items, each with a test that can fail."""

from __future__ import annotations

from conftest import TODAY

from workbench.app.factory import create_app
from workbench.app.widgets.comparison import ComparisonTable


async def test_m_gives_the_table_the_whole_screen_and_back() -> None:
    app = create_app(cursor_blink=False, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("x")
        grid = app.main.query_one(ComparisonTable)
        height = grid.size.height
        await pilot.press("m")
        await pilot.pause()
        assert app.main.maximized is grid
        assert grid.size.height > height + 10
        await pilot.press("m")
        await pilot.pause()
        assert app.main.maximized is None
        assert grid.size.height == height


async def test_reopening_weights_keeps_custom_importances_and_custom_comes_back() -> None:
    app = create_app(cursor_blink=False, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        wb = app.workbench
        await pilot.press("w", "right", "right")  # the first slider: custom importances
        await pilot.pause()
        custom = dict(wb.importance)
        assert wb.preset_id is None
        await pilot.press("x", "w", "right")  # reopened: a slider again, not the preset
        await pilot.pause()
        assert wb.preset_id is None
        custom = dict(wb.importance)
        await pilot.press("up", "right")  # the preset chooser: the next preset
        await pilot.pause()
        assert wb.preset_id is not None
        assert wb.importance != custom
        await pilot.press("left")  # back to "custom": the importances left
        await pilot.pause()
        assert wb.importance == custom
        assert wb.preset_id is None


async def test_the_case_panel_shows_the_prior_dmts_the_engine_derived() -> None:
    from textual.widgets import Input

    from workbench.app.widgets.case import CasePanel
    from workbench.engine.context import PatientContext

    app = create_app(cursor_blink=False, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        app.workbench.set_context(PatientContext(current_dmt="natalizumab"))
        app.main.render_result(structure=True)
        await pilot.press("c")
        await pilot.pause()
        result = app.workbench.result
        assert result is not None
        assert result.derived is not None
        assert result.derived.prior_dmts_min == 1
        panel = app.main.query_one(CasePanel)
        shown = panel.query_one("#case-prior_dmts Input", Input).placeholder
        assert shown == "at least 1 (from the history)"
        panel.context = PatientContext(current_dmt="natalizumab", previous_dmts=())
        app.workbench.set_context(panel.context)
        app.main.render_result(structure=True)
        await pilot.pause()
        assert panel.query_one("#case-prior_dmts Input", Input).placeholder.startswith("1 ")


def test_months_are_singular_for_one_and_the_horizon_says_its_default() -> None:
    from workbench.engine.context import PatientContext, PreviousDmt
    from workbench.report import wording

    context = PatientContext(previous_dmts=(PreviousDmt(drug="fingolimod", months_since_stop=1),))
    assert "stopped 1 month ago" in wording.context_value(context, "previous_dmts")
    assert wording.context_value(context, "horizon_months", None, 48) == "default (48 months)"
    assert wording.context_value(context.replace(horizon_months=24), "horizon_months") == "24"


def test_an_undecided_reservation_names_the_missing_fact_and_questions_read() -> None:
    from workbench.engine.context import PatientContext
    from workbench.engine.evaluate import evaluate
    from workbench.profiles.loader import load_library
    from workbench.profiles.paths import bundled_profiles_dir
    from workbench.report import wording

    library = load_library(bundled_profiles_dir())
    importance = dict.fromkeys((c.id for c in library.criteria), 5.0)
    # natalizumab 60 months: one prior DMT (from the history), activity known; the EU
    # reservation of fingolimod then hangs on the adequate course only
    context = PatientContext(
        current_dmt="natalizumab", months_on_current=60, activity="highly-active"
    )
    result = evaluate(library, ["fingolimod"], importance, context)
    flag = next(f for f in result.drugs[0].flags if f.code == "reservation-unknown")
    assert flag.undecided is not None
    assert "full and adequate course" in flag.undecided
    assert "prior DMTs" not in flag.undecided
    assert "activity" not in flag.undecided
    headings = [wording.flag_heading(f) for d in result.drugs for f in d.flags]
    assert not any(" if whether " in h for h in headings)
    assert any("depending on whether conception is planned" in h for h in headings)


def test_notes_cite_each_source_once_and_differences_are_rounded() -> None:
    import re

    from workbench.app.notes import drug_notes
    from workbench.engine.context import PatientContext
    from workbench.engine.evaluate import evaluate
    from workbench.profiles.loader import load_library
    from workbench.profiles.paths import bundled_profiles_dir
    from workbench.report.casenote import render_case_note

    library = load_library(bundled_profiles_dir())
    importance = dict.fromkeys((c.id for c in library.criteria), 5.0)
    result = evaluate(library, None, importance, PatientContext())
    cited = 0
    for drug in result.drugs:
        text = drug_notes(drug, library.profile(drug.id), result).plain
        for found in re.finditer(r"\[([^\[\]]+)\]", text):
            ids = [part.strip() for part in found.group(1).split(",")]
            assert len(ids) == len(set(ids)), (drug.id, found.group())
            cited += 1
    assert cited > 50
    note = render_case_note(result, today=TODAY)
    differences = re.findall(r"difference [+−-]?([\d.]+)", note)
    assert differences
    for figure in differences:  # 3 significant digits at most, as every figure
        assert len(figure.replace(".", "").lstrip("0")) <= 3, figure


async def test_the_notes_header_shows_the_tables_rank() -> None:
    from workbench.app.widgets.notes_pane import NotesPane
    from workbench.report import wording

    app = create_app(cursor_blink=False, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        result = app.workbench.result
        assert result is not None
        unranked = next(d for d in result.drugs if not d.ranked)
        grid = app.main.query_one(ComparisonTable)
        grid.move_to_drug(unranked.id)
        await pilot.pause()
        title = str(app.main.query_one(NotesPane).border_title)
        assert f"{unranked.name} · {wording.rank(unranked)} " in title
        assert "#" not in title


def test_a_terminal_that_hung_up_is_seen_as_gone() -> None:
    import os
    import pty

    from workbench.app.terminal_watch import terminal_gone

    main, side = pty.openpty()
    try:
        assert not terminal_gone(side)
        os.close(main)  # the terminal window closes
        assert terminal_gone(side)
    finally:
        os.close(side)


async def test_the_app_ends_when_its_terminal_is_gone() -> None:
    import os
    import pty

    main, side = pty.openpty()
    app = create_app(cursor_blink=False, today=TODAY)
    app.watch_terminal(side)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.2)
            assert app.is_running
            os.close(main)
            await pilot.pause(1.5)
            assert app.return_code == 0  # exit() was called
    finally:
        os.close(side)
