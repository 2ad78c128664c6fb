"""Case entry in the app: decimal commas, inline rejection, marks in words (not colour alone),
contradictions, the header count, searching a long choice, Escape back to the table."""

from __future__ import annotations

import re
import textwrap

import pytest
from conftest import make_app
from textual import events
from textual.widgets import Input, Label, OptionList, Static

from workbench.app.app import WorkbenchApp
from workbench.app.case_checks import ATTENTION_MARK
from workbench.app.widgets.case import CasePanel, EntryField
from workbench.app.widgets.choice import ChoiceField, ChoiceSearch
from workbench.engine.context import PatientContext, PreviousDmt

SIZE = (120, 40)


def two_drug_app() -> WorkbenchApp:
    return make_app(selected=["natalizumab", "ocrelizumab"])


def entry(app: WorkbenchApp, field: str) -> Input:
    return app.main.query_one(f"#case-{field} Input", Input)


def problem_text(app: WorkbenchApp, field: str) -> str | None:
    line = app.main.query_one(f"#case-{field} .case-problem", Static)
    return str(line.render()) if line.display else None


def header(app: WorkbenchApp) -> str:
    return str(app.main.query_one("#status", Static).render())


async def type_into(app: WorkbenchApp, pilot: object, field: str, text: str) -> None:
    await pilot.press("c")  # type: ignore[attr-defined]
    box = entry(app, field)
    box.focus()
    box.value = ""
    await pilot.press(*text)  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def test_a_decimal_comma_reads_as_a_point() -> None:
    app = two_drug_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_into(app, pilot, "jcv_index", "2,1")
        assert entry(app, "jcv_index").value == "2,1"
        assert app.workbench.context.jcv_index == 2.1
        assert problem_text(app, "jcv_index") != "out of range"


async def test_what_cannot_be_a_number_is_rejected_inline_in_words() -> None:
    app = two_drug_app()
    async with app.run_test(size=SIZE) as pilot:
        for typed in ("-", "abc"):
            await type_into(app, pilot, "age", typed)
            assert app.workbench.context.age is None
            shown = problem_text(app, "age")
            assert shown is not None
            assert shown.startswith(ATTENTION_MARK)
            assert "not a whole number: counts as unknown" in shown
        await type_into(app, pilot, "age", "130")
        assert "outside 0–120: counts as unknown" in (problem_text(app, "age") or "")
        assert f"{ATTENTION_MARK} 1 case field needs attention" in header(app)
        await type_into(app, pilot, "age", "40")
        assert problem_text(app, "age") is None
        assert app.workbench.context.age == 40
        assert "need" not in header(app)


async def test_marks_do_not_rely_on_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = two_drug_app()
    async with app.run_test(size=SIZE) as pilot:
        assert app.no_color
        await type_into(app, pilot, "age", "abc")
        marked = app.main.query_one("#case-age", EntryField)
        assert marked.has_class("-attention")
        screen = app.export_screenshot().replace("&#160;", " ")  # the words, as drawn
        assert f"{ATTENTION_MARK} not a whole number" in screen
        assert f"{ATTENTION_MARK} 1 case field needs attention" in screen


async def test_contradictions_are_marked_and_counted() -> None:
    app = two_drug_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_into(app, pilot, "jcv_index", "1,2")  # anti-JCV status still unknown
        assert "contradiction: an index with anti-JCV status unknown" in (
            problem_text(app, "jcv_index") or ""
        )
        await type_into(app, pilot, "months_on_current", "30")  # current DMT unknown
        assert "contradiction: months on a current DMT that is unknown" in (
            problem_text(app, "months_on_current") or ""
        )
        assert app.main.query_one(CasePanel).attention == ("jcv_index", "months_on_current")
        assert "2 case fields need attention" in header(app)


async def test_a_current_dmt_also_previous_is_marked_and_male_contraception_is_not() -> None:
    app = two_drug_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")  # the case panel is built when first opened
        await pilot.pause()
        context = PatientContext(
            current_dmt="natalizumab",
            previous_dmts=(PreviousDmt(drug="natalizumab"),),
            sex="male",
            conception_planned_in_months=24,
        )
        app.workbench.set_context(context)
        app.main.refresh_all()
        await pilot.pause()
        assert "contradiction: natalizumab is both current and previous" in (
            problem_text(app, "previous_dmts") or ""
        )
        assert app.main.query_one(CasePanel).attention == ("previous_dmts",)
        assert problem_text(app, "conception_planned_in_months") is None
        assert "1 case field needs attention" in header(app)


async def test_months_with_no_current_dmt_is_marked() -> None:
    app = two_drug_app()
    async with app.run_test(size=SIZE) as pilot:
        app.workbench.set_context(PatientContext(current_dmt="none"))
        app.main.refresh_all()
        await type_into(app, pilot, "months_on_current", "12")
        assert app.workbench.context.months_on_current == 12  # read as given, but marked
        assert "contradiction: months on a current DMT that is none" in (
            problem_text(app, "months_on_current") or ""
        )


async def test_the_current_dmt_is_searched_by_typing() -> None:
    app = two_drug_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        choice = app.main.query_one("#case-current_dmt", ChoiceField)
        choice.focus()
        await pilot.press("enter")
        assert isinstance(app.screen, ChoiceSearch)
        await pilot.press(*"nata")
        options = app.screen.query_one(OptionList)
        assert options.option_count == 1
        await pilot.press("enter")
        await pilot.pause()
        assert app.workbench.context.current_dmt == "natalizumab"
        await type_into(app, pilot, "months_on_current", "30")
        assert app.workbench.context.months_on_current == 30
        assert problem_text(app, "months_on_current") is None
        result = app.workbench.result
        assert result is not None
        assert any(d.id == "natalizumab" and "continue" in d.name.lower() for d in result.drugs)


async def test_escape_keeps_the_value_in_a_search_and_returns_to_the_table() -> None:
    app = two_drug_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        app.main.query_one("#case-current_dmt", ChoiceField).focus()
        await pilot.press("enter", *"ocre", "escape")
        assert app.workbench.context.current_dmt is None
        await type_into(app, pilot, "age", "4")
        await pilot.press("escape")
        assert app.focused is not None
        assert app.focused.id == "comparison"
        assert app.workbench.context.age == 4


async def test_letters_typed_right_after_enter_go_into_the_search() -> None:
    app = two_drug_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        choice = app.main.query_one("#case-current_dmt", ChoiceField)
        choice.focus()
        await pilot.pause()
        picked = len(app.workbench.selected)
        for key in ("enter", "n", "a", "t", "a", "enter"):  # read before the search opens
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await pilot.pause()
        await pilot.pause()
        assert app.workbench.context.current_dmt == "natalizumab"
        assert len(app.workbench.selected) == picked  # `a` (pick all) did not run
        assert app.focused is choice


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
async def test_every_case_label_is_shown_whole(size: tuple[int, int]) -> None:
    app = two_drug_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("c")
        await pilot.pause()
        panel = app.main.query_one(CasePanel)
        for choice in panel.query(ChoiceField):
            drawn = str(choice.render())
            assert "…" not in drawn
            shown = " ".join(re.sub("‹[^›]*›", " ", drawn).split())
            assert shown == choice.label, (size, drawn)
        for label in panel.query(".case-entry Label").results(Label):
            words = str(label.render())
            wrapped = textwrap.wrap(words, label.size.width)
            assert label.size.height >= len(wrapped), (size, words)  # no line cut off


async def test_a_treatment_history_has_the_whole_row() -> None:
    app = two_drug_app()
    async with app.run_test(size=SIZE) as pilot:
        typed = "dimethyl-fumarate:3"
        await type_into(app, pilot, "previous_dmts", typed)
        assert app.workbench.context.previous_dmts is not None
        assert entry(app, "previous_dmts").content_size.width > len(typed)


async def test_contradictions_count_in_the_header_before_the_case_panel_is_built() -> None:
    app = two_drug_app()
    async with app.run_test(size=SIZE) as pilot:
        app.workbench.set_context(PatientContext(jcv_status="negative", jcv_index=1.2))
        app.main.refresh_all()
        await pilot.pause()
        assert not app.main.query(CasePanel)  # built only when the case is first opened
        assert "1 case field needs attention" in header(app)
        await pilot.press("c")
        await pilot.pause()
        assert app.main.query_one(CasePanel).attention == ("jcv_index",)
        assert "1 case field needs attention" in header(app)


async def test_a_bad_count_is_rejected_inline_in_the_case_panel() -> None:
    app = two_drug_app()
    async with app.run_test(size=SIZE) as pilot:
        for typed, words in (("two", "not a whole number"), ("-1", "outside 0–50")):
            await type_into(app, pilot, "relapses_12m", typed)
            assert app.workbench.context.relapses_12m is None
            shown = problem_text(app, "relapses_12m")
            assert shown is not None
            assert shown.startswith(ATTENTION_MARK)
            assert words in shown
        assert f"{ATTENTION_MARK} 1 case field needs attention" in header(app)
        await type_into(app, pilot, "relapses_12m", "2")
        assert problem_text(app, "relapses_12m") is None
        assert app.workbench.context.relapses_12m == 2


async def test_an_unknown_treatment_id_is_refused_inline_with_the_valid_ids() -> None:
    """The app checks a history as the CLI does (one check): 'foo' names no treatment, so the
    entry is refused, the valid ids are shown, and neither the case nor the result changes."""
    from workbench.cli.context_options import ContextOptionError, check_history

    app = two_drug_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_into(app, pilot, "previous_dmts", "fingolimod:3")
        before, result = app.workbench.context, app.workbench.result
        assert before.previous_dmts == (PreviousDmt(drug="fingolimod", months_since_stop=3),)
        await pilot.press("end", *", foo:1:18")
        await pilot.pause()
        assert entry(app, "previous_dmts").value == "fingolimod:3, foo:1:18"
        assert app.workbench.context == before
        assert app.workbench.result is result
        shown = problem_text(app, "previous_dmts") or ""
        assert "unknown treatment 'foo'" in shown
        assert "natalizumab" in shown
        assert "mitoxantrone" in shown
        with pytest.raises(ContextOptionError) as cli:
            check_history(
                before.replace(previous_dmts=(PreviousDmt(drug="foo"),)), app.workbench.library
            )
        assert shown.endswith(str(cli.value).split(": ", 1)[1])
        assert "previous_dmts" in app.main.query_one(CasePanel).attention


async def test_previous_treatments_complete_by_id_or_name() -> None:
    app = two_drug_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_into(app, pilot, "previous_dmts", "fingolimod:3, dimethyl fu")
        await pilot.pause()
        await pilot.press("right")  # accepts the completion
        assert entry(app, "previous_dmts").value == "fingolimod:3, dimethyl-fumarate"
        await pilot.press(*",mitox")
        await pilot.pause()
        await pilot.press("right")
        await pilot.pause()
        assert entry(app, "previous_dmts").value.endswith(",mitoxantrone")
        previous = app.workbench.context.previous_dmts or ()
        assert [p.drug for p in previous] == ["fingolimod", "dimethyl-fumarate", "mitoxantrone"]
