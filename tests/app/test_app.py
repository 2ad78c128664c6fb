"""Pilot tests of the workbench app: picking, weights, presets, the case, reservations, reloading,
problems, literal profile text, sensitivity, help and case files. Expected values come from the
engine's Result (the app only renders it), never from numbers written here."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from conftest import TODAY, make_app
from rich.console import Console
from textual.binding import Binding
from textual.pilot import Pilot
from textual.widgets import Input, Static

from workbench.app import cells
from workbench.app.app import WorkbenchApp
from workbench.app.screens.file_dialog import FileDialog
from workbench.app.screens.help import HelpScreen, key_sections
from workbench.app.screens.problems import ProblemsScreen
from workbench.app.screens.sensitivity import SensitivityScreen
from workbench.app.smaa_tables import NAME_WIDTH
from workbench.app.widgets.case import CasePanel
from workbench.app.widgets.choice import ChoiceField
from workbench.app.widgets.comparison import (
    COLUMN,
    FLAGS,
    LABELS,
    RANK,
    RESERVATION,
    ComparisonTable,
)
from workbench.app.widgets.notes_pane import NotesPane
from workbench.app.widgets.picker import CandidateList
from workbench.app.widgets.weights import WeightSlider
from workbench.engine.context import PatientContext, context_fields
from workbench.engine.evaluate import prepare, score
from workbench.engine.result import Result
from workbench.engine.weights import preset_importance
from workbench.profiles.loader import load_library
from workbench.profiles.paths import bundled_profiles_dir
from workbench.report import wording

SIZE = (120, 40)


def result(app: WorkbenchApp) -> Result:
    shown = app.workbench.result
    assert shown is not None
    return shown


def table(app: WorkbenchApp) -> ComparisonTable:
    return app.main.query_one(ComparisonTable)


def cell(app: WorkbenchApp, row: str, drug_id: str) -> str:
    return table(app).cell_text(row, drug_id).plain


def header(app: WorkbenchApp, drug_id: str) -> str:
    return table(app).header_text(drug_id).plain


def plain(renderable: object) -> str:
    """What a rich renderable shows, as text."""
    console = Console(width=400, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


@pytest.fixture
def profiles_copy(tmp_path: Path) -> Path:
    target = tmp_path / "profiles"
    shutil.copytree(bundled_profiles_dir(), target)
    return target


async def choose(pilot: Pilot[None], field_id: str, value: object) -> None:
    """Focus a case choice and press right until it shows `value`."""
    await pilot.press("c")  # the case panel is built when first opened
    await pilot.pause()
    field = pilot.app.screen.query_one(f"#{field_id}", ChoiceField)
    field.focus()
    for _ in range(len(field.choices) + 1):
        if field.value == value:
            break
        await pilot.press("right")
    await pilot.pause()
    assert field.value == value


async def test_filter_then_space_picks_and_unpicks() -> None:
    library = load_library(bundled_profiles_dir())
    first, other = library.profiles[0], library.profiles[-1]
    app = make_app(selected=[first.id])
    async with app.run_test(size=SIZE) as pilot:
        assert app.workbench.selected == (first.id,)
        await pilot.press("slash", *other.name[:5].lower(), "enter")
        listing = app.main.query_one(CandidateList)
        assert listing.has_focus
        assert listing.highlighted_id == other.id
        assert listing.ids == [other.id]
        assert listing.entry(other.id)[0].plain.startswith("[ ]")
        await pilot.press("space")
        assert other.id in app.workbench.selected
        assert other.id in table(app).columns
        assert listing.entry(other.id)[0].plain.startswith("[x]")
        await pilot.press("space")
        assert other.id not in app.workbench.selected
        assert table(app).columns == [first.id]


async def test_weight_key_updates_weights_and_reranks_the_table() -> None:
    library = load_library(bundled_profiles_dir())
    start = library.presets[0].id
    prepared = prepare(library, None, PatientContext())
    base = score(prepared, preset_importance(library, start))
    order = [d.id for d in base.drugs]
    concern = next(
        c.id
        for c in library.criteria
        if [d.id for d in score(prepared, {**preset_importance(library, start), c.id: 10.0}).drugs]
        != order
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("w")
        slider = app.main.query_one(f"#weight-{concern}", WeightSlider)
        slider.focus()
        await pilot.press("end")
        shown = result(app)
        assert app.workbench.importance[concern] == 10.0
        assert [d.id for d in shown.drugs] != order
        assert slider.weight == shown.weights[concern]
        assert app.workbench.preset_id is None
        for drug in shown.drugs:
            assert cell(app, RANK, drug.id) == cells.rank_cell(drug).plain
            assert cell(app, "total", drug.id) == cells.total_cell(drug).plain
        await pilot.press("left")
        assert app.workbench.importance[concern] == 9.0


async def test_mouse_sets_a_weight_and_picks_a_column() -> None:
    app = make_app(selected=["natalizumab", "ocrelizumab", "teriflunomide"])  # columns fit
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("w")
        slider = app.main.query(WeightSlider).last()
        await pilot.click(slider, offset=(slider.size.width, 1))
        assert app.workbench.importance[slider.concern] == 10.0
        await pilot.click(slider, offset=(1, 1))
        assert app.workbench.importance[slider.concern] == 0.0
        grid = table(app)
        await pilot.click(grid, offset=(LABELS + COLUMN + 2, 5), times=2)
        assert grid.cursor == 1
        assert app.screen.id == "detail"


async def test_all_weights_zero_is_refused_and_the_app_keeps_running() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("w")
        for slider in app.main.query(WeightSlider):
            slider.focus()
            await pilot.press("home")
        assert sum(app.workbench.importance.values()) > 0
        assert app.is_running


async def test_preset_choice_and_bracket_keys_apply_presets() -> None:
    app = make_app()
    library = app.workbench.library
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("w", "up")  # `w` focuses the first slider; the preset is above it
        preset_field = app.main.query_one("#preset", ChoiceField)
        assert preset_field.has_focus
        await pilot.press("right")
        second = library.presets[1].id
        assert app.workbench.preset_id == second
        assert app.workbench.importance == preset_importance(library, second)
        for slider in app.main.query(WeightSlider):
            assert slider.importance == app.workbench.importance[slider.concern]
        await pilot.press("left_square_bracket")
        assert app.workbench.preset_id == library.presets[0].id
        assert preset_field.value == library.presets[0].id


async def test_case_changes_natalizumab_pml_and_flags() -> None:
    app = make_app(selected=["natalizumab"])
    async with app.run_test(size=SIZE) as pilot:
        before_pml = cell(app, "pml", "natalizumab")
        before_flags = {f.code for f in result(app).drugs[0].flags}
        assert result(app).drugs[0].criteria["pml"].status == "stratum-range"
        await choose(pilot, "case-jcv_status", "positive")
        await choose(pilot, "case-prior_immunosuppressant", True)
        await choose(pilot, "case-current_dmt", "natalizumab")
        months = app.main.query_one("#case-months_on_current Input")
        months.focus()
        await pilot.press(*"20")  # months 21–68 of treatment: every month has a band
        await pilot.pause()
        context = app.workbench.context
        assert (context.jcv_status, context.prior_immunosuppressant) == ("positive", True)
        assert (context.current_dmt, context.months_on_current) == ("natalizumab", 20)
        drug = result(app).drugs[0]
        assert drug.criteria["pml"].status == "measured"
        assert cell(app, "pml", "natalizumab") != before_pml
        assert cell(app, "pml", "natalizumab") == cells.value_cell(drug.criteria["pml"]).plain
        assert {f.code for f in drug.flags} != before_flags
        assert cell(app, FLAGS, "natalizumab") == cells.flags_cell(drug.flags).plain


async def test_out_of_range_number_is_not_applied() -> None:
    app = make_app(selected=["natalizumab"])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.pause()
        age = app.main.query_one("#case-age Input")
        age.focus()
        await pilot.press(*"999")
        assert app.workbench.context.age is None
        await pilot.press("backspace")
        assert app.workbench.context.age == 99
        await pilot.press("backspace", "backspace")
        assert app.workbench.context.age is None


async def test_reservation_status_follows_prior_dmt_count() -> None:
    library = load_library(bundled_profiles_dir())
    active = PatientContext(course="rrms", activity="highly-active", adequate_course=True)
    statuses = {
        count: score(
            prepare(library, None, active.replace(prior_dmts=count)),
            {c.id: 1.0 for c in library.criteria},
        )
        for count in (None, 0, 1)
    }
    drug_id = next(
        d.id
        for d in statuses[None].drugs
        if d.reservation["eu"].restricted
        and [
            next(x for x in statuses[n].drugs if x.id == d.id).reservation["eu"].patient_meets
            for n in (None, 0, 1)
        ]
        == [None, False, True]
    )
    app = make_app(selected=[drug_id])
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, "case-course", "rrms")
        await choose(pilot, "case-activity", "highly-active")
        await choose(pilot, "case-adequate_course", True)
        shown = {}
        prior = app.main.query_one("#case-prior_dmts Input", Input)
        for count in (None, 0, 1):
            prior.value = "" if count is None else str(count)
            await pilot.pause()
            shown[count] = cell(app, RESERVATION, drug_id)
        assert shown == {
            count: " ".join(wording.RESERVATION_WORDS[meets])
            for count, meets in ((None, None), (0, False), (1, True))
        }
        await pilot.press("i")
        assert app.screen.id == "detail"


async def test_reload_picks_up_an_edited_and_a_new_broken_file(profiles_copy: Path) -> None:
    app = make_app(profiles_copy, selected=["natalizumab"])
    async with app.run_test(size=SIZE) as pilot:
        assert not app.workbench.library.errors
        source = profiles_copy / "natalizumab.toml"
        source.write_text(
            source.read_text(encoding="utf-8").replace(
                'name = "Natalizumab"', 'name = "Natalizumab edited"', 1
            ),
            encoding="utf-8",
        )
        (profiles_copy / "broken.toml").write_text("id = [unclosed\n", encoding="utf-8")
        await pilot.press("r")
        assert app.workbench.library.profile("natalizumab").name == "Natalizumab edited"
        assert header(app, "natalizumab").startswith("Natalizumab edited")
        assert app.workbench.library.errors
        assert "profile problem" in str(app.main.query_one("#status", Static).content)


async def test_malformed_profile_is_listed_and_the_app_runs_on_the_others(
    profiles_copy: Path,
) -> None:
    (profiles_copy / "broken.toml").write_text('id = "broken"\nname = 3\n', encoding="utf-8")
    expected = [str(p) for p in load_library(profiles_copy, today=TODAY).problems]
    assert expected
    app = make_app(profiles_copy)
    async with app.run_test(size=SIZE) as pilot:
        assert len(app.workbench.selected) == len(list(profiles_copy.glob("*.toml"))) - 3
        await pilot.press("p")
        assert isinstance(app.screen, ProblemsScreen)
        shown = str(app.screen.query_one("#problems-text", Static).content)
        for line in expected:
            assert line in shown
        (profiles_copy / "broken.toml").unlink()
        await pilot.press("r")
        assert "No problems" in str(app.screen.query_one("#problems-text", Static).content)
        await pilot.press("escape")
        assert app.screen.id == "main"


async def test_broken_criteria_file_leaves_a_usable_app(profiles_copy: Path) -> None:
    (profiles_copy / "criteria.toml").write_text("concerns = [\n", encoding="utf-8")
    app = make_app(profiles_copy)
    async with app.run_test(size=SIZE) as pilot:
        assert app.workbench.result is None
        assert "criteria file" in str(app.main.query_one("#empty-hint", Static).content)
        await pilot.press("v", "e", "p")
        assert isinstance(app.screen, ProblemsScreen)
        shutil.copy(bundled_profiles_dir() / "criteria.toml", profiles_copy / "criteria.toml")
        await pilot.press("r", "escape")
        assert result(app).drugs
        assert table(app).display


async def test_markup_and_escape_sequences_in_profile_text_are_shown_literally(
    profiles_copy: Path,
) -> None:
    nasty = r"[bold]loud[/bold] [link=https://example.org]click[/link] \u001b[31mred\r"
    source = profiles_copy / "natalizumab.toml"
    text = source.read_text(encoding="utf-8")
    assert 'name = "Natalizumab"' in text
    source.write_text(
        text.replace('name = "Natalizumab"', f'name = "Natalizumab {nasty}"', 1), encoding="utf-8"
    )
    library = load_library(profiles_copy, today=TODAY)
    assert "natalizumab" in [p.id for p in library.profiles], library.problems
    app = make_app(profiles_copy, selected=["natalizumab"])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        notes = app.main.query_one(NotesPane).text.plain
        assert "[bold]loud[/bold]" in notes
        assert "\x1b" not in notes
        assert "\r" not in notes
        assert "[bold]loud[/bold]" in header(app, "natalizumab")
        svg = app.export_screenshot()
        assert "[bold]loud[/bold]" in svg
        assert "\x1b" not in svg
        await pilot.press("i")
        detail = app.export_screenshot()
        assert "[link=https://example.org]click[/link]" in detail
        assert "\x1b" not in detail


async def test_sensitivity_runs_in_a_worker_and_shows_acceptabilities() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v")
        screen = app.screen
        assert isinstance(screen, SensitivityScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        acceptability = plain(screen.query_one("#acceptability", Static).content)
        assert "rank 1" in acceptability
        assert "confidence" in acceptability
        for drug in result(app).drugs:
            assert drug.name[: NAME_WIDTH - 1] in acceptability
        await pilot.press("w")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.settings.weight_mode == "uniform"
        assert "uniform" in str(screen.query_one("#smaa-settings", Static).content)


async def test_help_lists_every_key() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = plain(app.screen.query_one("#help-keys", Static).content)
        for title, bindings in key_sections(WorkbenchApp.BINDINGS):
            assert title in shown
            for binding in Binding.make_bindings(bindings):
                assert (binding.tooltip or binding.description) in shown
        await pilot.press("escape")
        assert app.screen.id == "main"


async def test_export_save_and_open_a_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path))
    app = make_app(selected=["natalizumab"])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        notes = list((tmp_path / "notes").glob("*.md"))
        assert len(notes) == 1
        await choose(pilot, "case-jcv_status", "negative")
        app.main.query_one(CandidateList).focus()
        await pilot.press("s")
        assert isinstance(app.screen, FileDialog)
        await pilot.press(*"my-case", "enter")
        await pilot.pause()
        saved = tmp_path / "cases" / "my-case.toml"
        assert saved.is_file()
        await choose(pilot, "case-jcv_status", "positive")
        app.main.query_one(CandidateList).focus()
        await pilot.press("o", *"my-case", "enter")
        await pilot.pause()
        assert app.workbench.context.jcv_status == "negative"
        assert app.main.query_one("#case-jcv_status", ChoiceField).value == "negative"
        app.main.query_one(CandidateList).focus()
        await pilot.press("o", *"missing", "enter")
        await pilot.pause()
        assert app.is_running
        assert app.workbench.context.jcv_status == "negative"


async def test_case_panel_offers_unknown_for_every_optional_field() -> None:
    app = make_app(selected=["natalizumab"])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.pause()
        panel = app.main.query_one(CasePanel)
        for field in context_fields():  # every declared field is in the panel
            widget = panel.query_one(f"#case-{field.name}")
            if field.default is None and isinstance(widget, ChoiceField):
                assert None in [v for _, v in widget.choices], field.name


async def test_palette_offers_pick_preset_and_file_commands() -> None:
    app = make_app(selected=[])
    async with app.run_test(size=SIZE) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Save case" in titles
        assert "Open case" in titles
        assert "Export case note" in titles
        assert any(t.startswith("Preset: ") for t in titles)
        names = {f"Pick {p.name}" for p in app.workbench.library.profiles}
        pick = next(c for c in app.get_system_commands(app.screen) if c.title in names)
        pick.callback()
        await pilot.pause()
        assert len(app.workbench.selected) == 1
