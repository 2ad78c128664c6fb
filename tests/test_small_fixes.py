"""Issue 29's smaller items, each with a test that can fail."""

from __future__ import annotations

import datetime as dt

from workbench.app.factory import create_app
from workbench.app.widgets.comparison import ComparisonTable

TODAY = dt.date(2026, 12, 1)


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
