"""The comparison table shows whole cells only: at every sideways scroll offset, every cell on
screen is its full text, or whole words of it with the cut mark — never part of a number."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from workbench.app import cells
from workbench.app.cells import CUT_MARK
from workbench.app.factory import create_app
from workbench.app.screens import main as main_screen
from workbench.app.widgets.comparison import ComparisonTable
from workbench.engine.context import PatientContext
from workbench.engine.evaluate import evaluate
from workbench.engine.weights import preset_importance
from workbench.profiles.loader import load_library
from workbench.profiles.paths import bundled_profiles_dir

SIZES = [(80, 24), (120, 40), (200, 60)]
GAP = re.compile(r"\s{2,}")


def _segments(line: str) -> list[str]:
    """The texts on a line, split where cells meet (cells are padded: two spaces at least)."""
    return [part for part in GAP.split(line.strip()) if part]


def _run(words: list[str], text: str, *, from_start: bool, cut: bool) -> bool:
    """Whether `words` are consecutive words of `text` (from its first word when `from_start`);
    when `cut`, the last may be the start of a word, but only of one without a digit."""
    whole = text.split()
    starts = [0] if from_start else range(len(whole) - len(words) + 1)
    for i in starts:
        found = whole[i : i + len(words)]
        if len(found) < len(words) or found[:-1] != words[:-1]:
            continue
        last, wanted = found[-1], words[-1]
        if last == wanted or (cut and last.startswith(wanted) and not re.search(r"\d", last)):
            return True
    return False


def _whole_or_marked(segment: str, lines: set[str], texts: list[str]) -> bool:
    """A cell's whole line, whole words of a header (wrapped), or either cut with the mark."""
    cut = segment.endswith(CUT_MARK)
    kept = segment.removesuffix(CUT_MARK).strip() if cut else segment
    if not kept:
        return True
    words = kept.split()
    if not cut and kept in lines:
        return True
    if cut and any(_run(words, line, from_start=True, cut=True) for line in lines):
        return True
    return any(_run(words, text, from_start=False, cut=cut) for text in texts)


def _problems(grid: ComparisonTable) -> list[str]:
    """Every text on the table's lines that is neither whole nor marked."""
    drugs = grid.columns
    headers = (
        [t.plain for t in grid.column_headers]
        + [grid.header_text(d).plain for d in drugs]
        + ["Drug"]
    )
    by_drug = {
        d: {
            line.strip()
            for key in grid.row_keys
            for line in grid.cell_text(key, d).plain.split("\n")
        }
        for d in drugs
    }
    everything = set().union(*by_drug.values())
    found = []
    view = grid.scrollable_content_region.size  # what the scrollbars leave in view
    for y in range(view.height):
        text = grid.render_line(y).text[: view.width]
        if y < grid.header_height:
            lines: set[str] = set()
        elif grid.orientation == "rows":
            index = (y - grid.header_height + int(grid.scroll_y)) // 2
            lines = by_drug[drugs[index]] if index < len(drugs) else set()
        else:
            lines = everything
        for segment in _segments(text):
            if not _whole_or_marked(segment, lines, headers):
                found.append(f"x={grid.scroll_x} y={y}: {segment!r} in {text!r}")
    return found


async def _every_offset(grid: ComparisonTable) -> list[str]:
    found = []
    for x in range(int(grid.max_scroll_x) + 1):
        grid.scroll_to(x=x, animate=False, immediate=True)
        found += _problems(grid)
    return found


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("layout", ["auto", "columns"])
async def test_every_cell_is_whole_or_marked_at_every_offset(
    size: tuple[int, int], layout: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(main_screen, "SMAA_DELAY", 0.01)
    app = create_app(cursor_blink=False)
    async with app.run_test(size=size) as pilot:
        for _ in range(100):  # the SMAA figures shown: the widest cells
            await app.workers.wait_for_complete()
            await pilot.pause(0.05)
            if app.workbench.smaa is not None:
                break
        grid = app.main.query_one(ComparisonTable)
        if layout == "columns":
            grid.layout_mode = "columns"
            grid.relayout()
            await pilot.pause()
        assert grid.max_scroll_x > 0, "the table scrolls sideways at this size"
        assert await _every_offset(grid) == []
        width = grid.size.width
        await pilot.press("b")  # the side panel shown or hidden: another width
        await pilot.pause()
        assert grid.size.width != width
        assert await _every_offset(grid) == []


@pytest.mark.parametrize("size", [(160, 45), (200, 60)])
async def test_every_concern_column_fits_from_160_columns_with_the_panel_hidden(
    size: tuple[int, int],
) -> None:
    app = create_app(cursor_blink=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        if app.main.query_one("#sidebar").display:
            await pilot.press("b")
            await pilot.pause()
        grid = app.main.query_one(ComparisonTable)
        result = app.workbench.result
        assert result is not None
        assert len(result.drugs) == 20
        assert grid.orientation == "rows"
        assert grid.scroll_x == 0
        view = grid.scrollable_content_region.size
        lines = [grid.render_line(y).text[: view.width] for y in range(view.height)]
        header = " ".join(lines[: grid.header_height])
        for criterion in result.criteria:
            assert criterion.label.split()[0] in header
        shown = 0
        for y in range(grid.header_height, view.height - 1, 2):
            drug = grid.columns[(y - grid.header_height) // 2]
            values = [grid.cell_text(c.id, drug).plain.split("\n") for c in result.criteria]
            for first, second in values:  # the value (whole, or whole words and the mark)
                assert first in lines[y] or first.split()[0] + " " + CUT_MARK in lines[y]
                assert second in lines[y + 1]
            shown += 1
        assert shown >= 10


LIB = load_library(bundled_profiles_dir())
BOUNDS = re.compile(r"^(\S+) [\[(](\S+)–(\S+)[\])]")


@pytest.mark.parametrize(
    "context",
    [PatientContext(region="eu"), PatientContext(region="us", jcv_status="positive")],
)
def test_a_narrow_concern_cell_keeps_its_second_line_and_bounds_around_the_value(
    context: PatientContext,
) -> None:
    """From the compact width up: the bar narrows so the contribution stays whole, and bounds
    shortened to fit still enclose the value shown (not `63.8 (64–64)`)."""
    result = evaluate(LIB, None, preset_importance(LIB, "balanced"), context)
    shortened = 0
    for width in range(cells.COMPACT_WIDTH, cells.COLUMN_WIDTH + 1):
        for drug in result.drugs:
            for cell in drug.criteria.values():
                first, second = cells.value_cell(cell, width).plain.split("\n")
                assert cell_len(second) <= width, (width, drug.id, second)
                found = BOUNDS.match(first)
                if found:
                    value, low, high = (float(x) for x in found.groups())
                    assert low <= value <= high, (width, drug.id, first)
                    shortened += first != cells.value_cell(cell).plain.split("\n")[0]
    assert shortened > 0
