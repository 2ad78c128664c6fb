"""Pilot tests of issue 13: the comparison layout and order, picks, Escape and the footer, weights
drawn from the model, unique ids, reload keeping picks, SMAA in the case note, help, `--case`.
Expected values come from the engine's Result and the workbench state, never written here."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from conftest import TODAY, make_app
from rich.console import Console
from textual import events
from textual.geometry import Region
from textual.scrollbar import ScrollBar
from textual.widget import Widget
from textual.widgets import Input, Static

from workbench.app.app import WorkbenchApp
from workbench.app.factory import create_app
from workbench.app.screens import main as main_screen
from workbench.app.screens.help import HelpScreen
from workbench.app.screens.sensitivity import SensitivityScreen
from workbench.app.widgets.comparison import ComparisonTable
from workbench.app.widgets.footer import KeyBar
from workbench.app.widgets.notes_pane import NotesPane
from workbench.app.widgets.picker import CandidateList
from workbench.app.widgets.side_tabs import SideTabs
from workbench.app.widgets.weights import WeightSlider
from workbench.profiles.paths import bundled_profiles_dir
from workbench.report import wording
from workbench.report.smaa_words import EXPLAIN
from workbench.report.wording import BASIS_WORDS, TIER_WORDS
from workbench.session import Case, save_case

FIVE = ["natalizumab", "ocrelizumab", "fingolimod", "cladribine", "teriflunomide"]


def table(app: WorkbenchApp) -> ComparisonTable:
    return app.main.query_one(ComparisonTable)


def screen_text(app: WorkbenchApp) -> str:
    """What the terminal shows now, line by line."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def plain(renderable: object) -> str:
    console = Console(width=300, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def notes_text(app: WorkbenchApp) -> str:
    return app.main.query_one(NotesPane).text.plain


@pytest.fixture
def profiles_copy(tmp_path: Path) -> Path:
    target = tmp_path / "profiles"
    shutil.copytree(bundled_profiles_dir(), target)
    return target


async def test_table_follows_the_display_order_and_l_switches_to_library_order() -> None:
    app = make_app(selected=FIVE)
    async with app.run_test(size=(200, 60)) as pilot:
        shown = app.workbench.result
        assert shown is not None
        assert table(app).columns == [d.id for d in shown.drugs]
        assert table(app).orientation == "columns"
        await pilot.press("l")
        assert table(app).columns == list(app.workbench.selected)
        await pilot.press("l")
        assert table(app).columns == [d.id for d in shown.drugs]


async def test_every_picked_drug_is_readable_at_80x24_with_number_one_first() -> None:
    app = make_app(selected=FIVE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        grid = table(app)
        assert grid.orientation == "rows"
        text = screen_text(app)
        result = app.workbench.result
        assert result is not None
        lines = text.splitlines()
        rows = [next(i for i, line in enumerate(lines) if d.name in line) for d in result.drugs]
        assert rows == sorted(rows), "drugs top to bottom in the displayed order"
        header = next(line for line in lines[: rows[0]] if line.lstrip().startswith("Drug"))
        assert "Rank" in header
        assert "Total value" in header
        first = lines[rows[0]]  # its own line, not the notes' title, says it is first
        assert "#1" in first
        assert f"{result.drugs[0].score_range[0]:.3f}" in first
        await pilot.press("g", "g")  # by width → rows → columns
        assert grid.layout_mode == "columns"
        assert grid.columns == [d.id for d in result.drugs]
        await pilot.press("g")
        mode: str = grid.layout_mode  # (not narrowed by the assertion above: it changed)
        assert mode == "auto"


async def test_header_and_footer_keep_whole_words_at_80_columns() -> None:
    app = make_app(selected=FIVE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = screen_text(app).splitlines()
        header, footer = lines[0], lines[-1]
        assert "not a prescription" in header
        assert "…" not in header
        for word in footer.split():
            assert not word.endswith("…")
        assert "Sensitivity" in footer or "Filter" in footer


async def test_pick_none_all_only_matching_and_class() -> None:
    app = make_app()
    library_ids = [p.id for p in create_app(today=TODAY).workbench.library.profiles]
    async with app.run_test(size=(120, 40)) as pilot:
        wb = app.workbench
        await pilot.press("u")
        assert wb.selected == ()
        assert "0 of" in str(app.main.query_one("#pick-count", Static).content)
        await pilot.press("a")
        assert list(wb.selected) == library_ids
        await pilot.press("slash", *"interferon", "escape")
        assert table(app).has_focus
        await pilot.press("f")
        assert wb.selected
        assert all("interferon" in i for i in wb.selected)
        count = str(app.main.query_one("#pick-count", Static).content)
        assert f"{len(wb.selected)} of {len(library_ids)} picked" in count
        said = f"Picked only the {len(wb.selected)} drugs matching “interferon”."
        assert said in [n.message for n in app._notifications]
        assert wb.result is not None
        assert table(app).columns == [d.id for d in wb.result.drugs]
        await pilot.press("u")
        app.main.query_one("#filter", Input).value = ""
        await pilot.pause()
        listing = app.main.query_one(CandidateList)
        listing.focus()
        listing.highlighted = listing.ids.index("ocrelizumab")
        await pilot.press("k")
        drug_class = wb.library.profile("ocrelizumab").drug_class
        same = {p.id for p in wb.library.profiles if p.drug_class == drug_class}
        assert set(wb.selected) == same
        said = f"Picked the {len(same)} drug{'s' if len(same) != 1 else ''} of the class "
        assert said + f"{drug_class}." in [n.message for n in app._notifications]
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for title in ("Pick all drugs", "Pick no drug", "Pick only the drugs matching the filter"):
            assert title in titles


async def test_escape_leaves_a_field_for_the_table_and_the_footer_says_a_field_has_keys() -> None:
    app = make_app(selected=FIVE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.pause()
        assert "typing" in screen_text(app).splitlines()[-1]
        await pilot.press("escape")
        assert table(app).has_focus
        assert "typing" not in screen_text(app).splitlines()[-1]
        await pilot.press("c")
        number = app.main.query(Input).filter(".-number, Input").last()
        number.focus()
        await pilot.press("escape")
        assert table(app).has_focus
        await pilot.press("v")  # letter keys work again at once
        assert isinstance(app.screen, SensitivityScreen)


async def test_notes_follow_the_table_cursor_after_every_change_and_name_their_drug() -> None:
    app = make_app(selected=FIVE)
    async with app.run_test(size=(200, 60)) as pilot:
        grid = table(app)
        notes = app.main.query_one(NotesPane)
        await pilot.press("x", "right")
        drug = grid.focused_drug
        assert drug is not None
        assert notes.drug_id == drug
        name = app.workbench.library.profile(drug).name
        assert name in str(notes.border_title)
        await pilot.press("d")
        listing = app.main.query_one(CandidateList)
        other = next(i for i in FIVE if i != drug)
        listing.highlighted = listing.ids.index(other)
        await pilot.press("space")  # unpick the highlighted drug: the notes follow the cursor
        focused = grid.focused_drug
        assert focused is not None
        assert focused != other
        assert notes.drug_id == focused
        assert app.workbench.library.profile(focused).name in notes_text(app)
        await pilot.press("w", "down", "end")  # a weight change may reorder the columns
        assert notes.drug_id == grid.focused_drug == focused
        await pilot.press("u")
        assert notes.drug_id is None
        await pilot.press("a")
        assert notes.drug_id == grid.focused_drug is not None


async def test_every_slider_shows_the_model_after_a_refused_change() -> None:
    app = make_app(selected=FIVE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("w")
        sliders = list(app.main.query(WeightSlider))
        for slider in sliders:
            slider.focus()
            await pilot.press("home")
        await pilot.pause()
        wb = app.workbench
        assert sum(wb.importance.values()) > 0
        result = wb.result
        assert result is not None
        for slider in app.main.query(WeightSlider):
            assert slider.importance == wb.importance[slider.concern]
            assert slider.weight == result.weights[slider.concern]
            drawn = slider.render_line(0).text
            assert f"{result.weights[slider.concern] * 100:.0f}%" in drawn


@pytest.mark.parametrize("size", [(160, 50), (100, 30), (80, 24)])
async def test_a_weight_key_redraws_every_line_that_changed(
    size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table and the sliders redraw only the lines whose content changed; what the screen
    shows after weight keys (totals, ranks and order moving) is what a full redraw shows. (No
    SMAA run: its result arriving between the two pictures would change the table.)"""
    monkeypatch.setattr(main_screen, "SMAA_DELAY", 3600.0)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("w")
        first, second = list(app.main.query(WeightSlider))[:2]
        shown_before = screen_text(app)
        for slider, keys in ((first, ("right",) * 3), (second, ("left",) * 4), (first, ("end",))):
            slider.focus()
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
                partial = screen_text(app)
                for widget in app.screen.walk_children():
                    widget.refresh()
                await pilot.pause()
                assert partial == screen_text(app), key
        assert screen_text(app) != shown_before


async def test_panel_ids_are_unique() -> None:
    app = make_app(selected=FIVE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("w", "c")  # both panels are built when first opened
        await pilot.pause()
        for name in ("weights", "case", "comparison", "notes", "picker"):
            assert len(app.main.query(f"#{name}")) == 1, name


async def test_reload_keeps_the_picks_and_names_a_drug_whose_file_broke(
    profiles_copy: Path,
) -> None:
    app = make_app(profiles_copy, selected=FIVE)
    async with app.run_test(size=(120, 40)) as pilot:
        source = profiles_copy / "natalizumab.toml"
        good = source.read_text(encoding="utf-8")
        source.write_text(good.replace('name = "Natalizumab"', "name = 3", 1), encoding="utf-8")
        await pilot.press("r")
        await pilot.pause()
        wb = app.workbench
        assert "natalizumab" not in wb.selected
        problems = sum(1 for p in wb.library.errors if Path(p.path).stem == "natalizumab")
        messages = [n.message for n in app._notifications]
        assert any(
            "Natalizumab left the comparison" in m and f"{problems} problem" in m for m in messages
        )
        source.write_text(good, encoding="utf-8")
        await pilot.press("r")
        await pilot.pause()
        assert set(wb.selected) == set(FIVE)
        assert "natalizumab" in table(app).columns


async def test_reload_picks_a_drug_fixed_after_start_when_every_drug_was_picked(
    profiles_copy: Path,
) -> None:
    source = profiles_copy / "natalizumab.toml"
    good = source.read_text(encoding="utf-8")
    source.write_text("id = [unclosed\n", encoding="utf-8")
    app = make_app(profiles_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        before = len(app.workbench.selected)
        source.write_text(good, encoding="utf-8")
        await pilot.press("r")
        assert len(app.workbench.selected) == before + 1
        assert "natalizumab" in app.workbench.selected


async def test_case_note_includes_smaa_once_computed_for_this_case(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path))
    # the table's own SMAA run must not finish first on a slow machine: only `v` computes it here
    monkeypatch.setattr(main_screen, "SMAA_DELAY", 600)
    folder = tmp_path / "notes"

    def newest() -> str:
        return max(folder.glob("*.md"), key=lambda p: p.stat().st_mtime_ns).read_text("utf-8")

    app = make_app(selected=FIVE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("w", "down", "end")  # a change: the table's SMAA row is stale
        await pilot.press("x", "e")
        assert "## SMAA" not in newest()
        await pilot.press("v")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SensitivityScreen)
        for key in ("acceptability", "confidence"):
            assert EXPLAIN[key] in str(screen.query_one("#smaa-explain", Static).content)
        assert "first beyond it" in plain(screen.query_one("#one-way", Static).content)
        await pilot.press("escape", "e")
        note = newest()
        assert "## SMAA" in note
        assert "10000 iterations" in note or "10,000 iterations" in note
        assert "around" in note
        for line in EXPLAIN.values():
            assert line in note
        assert "First beyond the range" in note


async def test_fixed_weights_hide_the_central_weights_with_a_reason() -> None:
    app = make_app(selected=FIVE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("v")
        screen = app.screen
        assert isinstance(screen, SensitivityScreen)
        while screen.settings.weight_mode != "fixed":
            await pilot.press("w")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not screen.query_one("#central-weights", Static).display
        assert "not shown" in str(screen.query_one("#central-explain", Static).content)


async def test_help_lists_symbols_tiers_and_case_fields() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        symbols = plain(app.screen.query_one("#help-symbols", Static).content)
        for symbol in ("[a–b]", "(a–b)", "a … b", "✖?1", *TIER_WORDS.values()):
            assert symbol in symbols
        for words in BASIS_WORDS.values():
            assert words in symbols
        case = plain(app.screen.query_one("#help-case", Static).content)
        assert "Anti-JCV index" in case or "anti-JCV index" in case.lower()
        keys = plain(app.screen.query_one("#help-keys", Static).content)
        for key in ("Pick every drug", "Unpick every drug", "library order"):
            assert key in keys


async def test_a_case_file_opens_before_the_first_frame(tmp_path: Path) -> None:
    path = tmp_path / "case.toml"
    base = create_app(today=TODAY).workbench
    importance = dict.fromkeys(base.importance, 0.0) | {next(iter(base.importance)): 7.0}
    save_case(
        Case(
            drugs=["natalizumab", "ocrelizumab"],
            importance=importance,
            preset=None,
            context=base.context.replace(jcv_status="positive"),
        ),
        path,
    )
    app = make_app(case=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        wb = app.workbench
        assert set(wb.selected) == {"natalizumab", "ocrelizumab"}
        assert wb.context.jcv_status == "positive"
        assert wb.importance == importance
        assert set(table(app).columns) == {"natalizumab", "ocrelizumab"}
        assert "2/" in screen_text(app).splitlines()[0]


def test_screenshot_command_opens_a_case(tmp_path: Path) -> None:
    from workbench.cli.main import main

    path = tmp_path / "case.toml"
    base = create_app(today=TODAY).workbench
    save_case(
        Case(drugs=["ocrelizumab"], importance=base.importance, preset=None, context=base.context),
        path,
    )
    target = tmp_path / "shot.svg"
    assert main(["screenshot", str(target), "--size", "100x30", "--case", str(path)]) == 0
    svg = target.read_text(encoding="utf-8")
    assert "1/" in svg
    assert "Ocrelizumab" in svg
    missing = tmp_path / "missing.toml"
    assert main(["screenshot", str(target), "--case", str(missing)]) == 2


async def test_the_screenshot_svg_is_textuals_but_for_its_id() -> None:
    """`screen_svg` draws what `export_screenshot` draws; only the id prefix differs, and it
    follows the content (two different screens never share one)."""
    from workbench.cli.cmd_screenshot import screen_svg

    app = make_app(selected=FIVE)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        ours, textuals = screen_svg(app), app.export_screenshot()
        assert screen_svg(app) == ours
        ours_id = re.search(r"terminal-\d+", ours)
        textuals_id = re.search(r"terminal-\d+", textuals)
        assert ours_id is not None
        assert textuals_id is not None
        assert ours.replace(ours_id[0], "ID") == textuals.replace(textuals_id[0], "ID")
        await pilot.press("down")
        assert ours_id[0] not in screen_svg(app)


async def choose_case(app: WorkbenchApp, **fields: object) -> None:
    """Set case fields through the state, as an opened case would, and re-show."""
    wb = app.workbench
    wb.set_context(wb.context.replace(**fields))
    app.main.refresh_all()


async def test_tiers_are_visible_groups_with_their_reasons_and_y_ranks_together() -> None:
    app = make_app()
    async with app.run_test(size=(200, 60)) as pilot:
        await choose_case(app, course="ppms")
        await pilot.pause()
        result = app.workbench.result
        assert result is not None
        assert result.rank_mode == "tiers"
        for drug in result.drugs:
            shown = table(app).cell_text("group", drug.id).plain
            assert TIER_WORDS[drug.eligibility.tier] in shown
            for reason in drug.eligibility.reasons:
                assert reason[:20] in shown.replace("\n", " ")
        tiers = [d.eligibility.tier for d in result.drugs]
        assert "outside-label" in tiers
        assert table(app).columns == [d.id for d in result.drugs]
        await pilot.press("y")
        together = app.workbench.result
        assert together is not None
        assert together.rank_mode == "all-together"
        assert table(app).columns == [d.id for d in together.drugs]
        first = together.drugs[0].id
        assert TIER_WORDS["eligible"] not in table(app).cell_text("group", first).plain


async def test_the_smaa_row_fills_in_from_a_worker_with_the_sensitivity_settings() -> None:
    from workbench.app.screens.main import SMAA_DELAY
    from workbench.app.widgets.comparison import smaa_cell
    from workbench.engine.evaluate import score

    app = make_app(selected=FIVE)
    async with app.run_test(size=(200, 60)) as pilot:
        assert "computing" in table(app).cell_text("smaa", FIVE[0]).plain  # after the frame
        for _ in range(50):  # the debounced run starts SMAA_DELAY after the last change
            await pilot.pause(SMAA_DELAY / 3)
            await app.workers.wait_for_complete()
            if app.workbench.smaa is not None:
                break
        await pilot.pause()
        wb = app.workbench
        expected = score(wb.prepared, wb.importance, wb.smaa_settings, rank_mode=wb.rank_mode)
        for drug in expected.drugs:
            shown = table(app).cell_text("smaa", drug.id).plain
            assert shown == smaa_cell(drug.p_first, drug.expected_rank).plain
        words = wording.disagreement(expected)
        line = app.main.query_one("#disagreement", Static)
        assert line.display == bool(words)
        await pilot.press("w", "end")  # the first slider to 10: a change
        assert "computing" in table(app).cell_text("smaa", FIVE[0]).plain
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "P(first)" in table(app).cell_text("smaa", FIVE[0]).plain


async def test_drug_list_and_notes_are_drawn_in_the_first_frame() -> None:
    app = make_app(selected=FIVE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        first = app.workbench.library.profiles[0]
        assert f"[x] {first.name}" in shown or f"[ ] {first.name}" in shown
        notes = app.main.query_one(NotesPane)
        assert notes.drug_id is not None
        assert notes.text.plain.splitlines()[0][:40] in shown
        listing = app.main.query_one(CandidateList)
        listing.focus()
        await pilot.press("end")
        last = app.workbench.library.profiles[-1]
        assert listing.highlighted_id == last.id
        await pilot.pause()
        assert last.name in screen_text(app)  # scrolled into view


async def test_the_mouse_over_a_tab_a_key_or_a_drug_marks_it_and_leaving_clears_it() -> None:
    app = make_app(selected=FIVE)
    async with app.run_test(size=(120, 40)) as pilot:
        tabs = app.main.query_one(SideTabs)
        await pilot.hover(SideTabs, offset=(2, 0))  # over "Drugs"
        assert tabs.hovered == "drugs"
        listing = app.main.query_one(CandidateList)
        await pilot.hover(CandidateList, offset=(5, 3))  # the second drug's lines
        assert tabs.hovered is None
        assert listing.hovered == 1
        keys = app.main.query_one(KeyBar)
        await pilot.hover(KeyBar, offset=(1, 0))
        assert listing.hovered is None
        assert keys.hovered == 0
        assert keys.tooltip
        await pilot.hover(ComparisonTable)
        assert keys.hovered is None
        assert keys.tooltip is None


async def test_keys_typed_fast_in_the_list_leave_the_focus_on_a_picked_drug() -> None:
    """Down, down, space in one burst (as a terminal delivers them): the table's highlight message
    for the drug just unpicked arrives after the unpick and must not make it the focused drug."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("d")
        for key in ("down", "down", "space"):
            app.post_message(events.Key(key, " " if key == "space" else None))
        await pilot.pause()
        await pilot.pause()
        unpicked = app.main.query_one(CandidateList).highlighted_id
        assert unpicked is not None
        assert unpicked not in app.workbench.selected
        assert app.main.focused_drug in app.workbench.selected
        assert app.main.query_one(NotesPane).drug_id == app.main.focused_drug


async def test_a_layout_that_changes_nothing_leaves_the_scrollbars_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every start has a second layout pass; the table's, list's and notes' scrollbars must not
    be redrawn by it (a frame of its own after the first), yet must follow a real resize."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        redrawn: list[Widget] = []
        original = ScrollBar.refresh

        def counted(bar: ScrollBar, *regions: Region, **options: bool) -> ScrollBar:
            redrawn.append(bar.parent)  # type: ignore[arg-type]
            return original(bar, *regions, **options)

        monkeypatch.setattr(ScrollBar, "refresh", counted)
        app.screen.refresh(layout=True)
        await pilot.pause()
        assert redrawn == []
        views = [app.main.query_one(view) for view in (NotesPane, CandidateList, ComparisonTable)]
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        for view in views:
            assert view in redrawn
            assert view.outer_size == view.region.size  # the new layout reached the view
            bar = view.vertical_scrollbar
            assert bar.window_size == view.scrollable_content_region.height
            assert bar.window_virtual_size == view.virtual_size.height
