"""The pictures: where markers sit on the forest plot's axis, the comparator band, the stacked
segments' lengths, icon array counts, the rank chart — in the report layer and on the app's
screen (Pilot), drawn from known figures."""

from __future__ import annotations

import math

import pytest
from conftest import FIXTURES, golden_result
from textual.geometry import Region

from workbench.app.factory import create_app
from workbench.app.screens.forest import ForestPlots, ForestScreen
from workbench.app.widgets.contributions import ContributionBars
from workbench.engine.context import PatientContext
from workbench.engine.evaluate import evaluate
from workbench.engine.evidence import Draw
from workbench.engine.result import ComparatorFigure, CriterionResult, Evidence
from workbench.profiles.loader import load_library
from workbench.profiles.paths import bundled_profiles_dir
from workbench.report import charts, pictures
from workbench.report.pictures import Axis, Segment, axis_for, segment_cells

FIXTURE = FIXTURES / "engine"


def _cell(**changes: object) -> CriterionResult:
    base = {
        "concern": "pml",
        "label": "PML risk",
        "unit": "cases per 1,000 patient-years",
        "direction": "risk",
        "status": "measured",
        "value": 1.0,
        "low": 0.5,
        "high": 2.0,
        "stratum": None,
        "value_score": 0.5,
        "score_low": 0.5,
        "score_high": 0.5,
        "weight": 0.5,
        "contribution": 0.25,
        "contribution_low": 0.25,
        "contribution_high": 0.25,
        "strength": "moderate",
        "sources": (),
        "follow_up": None,
        "note": None,
        "clamped": False,
        "per_year": True,
        "evidence": Evidence(basis="trial-arm", extrapolated_from=None, interval_kind="ci95"),
        "draw": Draw(kind="point", a=1.0),
    }
    base.update(changes)
    return CriterionResult(**base)  # type: ignore[arg-type]


def test_linear_axis_places_known_figures_in_their_cells() -> None:
    axis = axis_for([0.0, 68.0, 31.5])
    assert (axis.low, axis.high, axis.log) == (0.0, 100.0, False)
    assert axis.cell(0.0, 50) == 0
    assert axis.cell(50.0, 50) == 25
    assert axis.cell(68.0, 50) == 34
    assert axis.cell(100.0, 50) == 49


def test_risks_spanning_decades_get_a_log_axis_with_zero_at_its_left_end() -> None:
    axis = axis_for([0.0, 0.0475, 3.3, 0.202])
    assert axis == Axis(low=0.01, high=10.0, log=True)
    assert axis.ticks() == (0.01, 0.1, 1.0, 10.0)
    assert axis.cell(0.1, 30) == 10
    assert axis.cell(1.0, 30) == 20
    assert axis.below(0.0)
    assert axis.cell(0.0, 30) == 0
    assert math.isclose(axis.fraction(math.sqrt(0.1)), 0.5)  # half-way from 0.1 to 1


def test_forest_row_draws_the_band_the_bounds_and_the_marker_where_the_axis_says() -> None:
    comparator = ComparatorFigure(
        label="placebo arm",
        value=0.4,
        low=0.2,
        high=0.6,
        interval_kind="ci95",
        sources=(),
        note=None,
    )
    evidence = Evidence(basis="trial-arm", extrapolated_from=None, interval_kind="ci95")
    cell = _cell(value=1.0, low=0.8, high=1.2, evidence=evidence.replace(comparator=comparator))
    result = golden_result(smaa=False)
    drug = result.drugs[0].replace(criteria={"pml": cell})
    panel = pictures.ForestPanel(
        criterion=next(c for c in result.criteria),
        axis=Axis(low=0.0, high=2.0, log=False),
        rows=(pictures.ForestRow(drug=drug, cell=cell),),
    )
    plot = charts._plot(panel.rows[0], panel, 40).plain
    assert len(plot) == 40
    assert plot.index(charts.MARKER) == 20  # 1.0 on 0–2 over 40 cells
    assert plot.index(charts.INTERVAL) == 16
    assert plot.rindex(charts.INTERVAL) == 24
    assert plot.index(charts.BAND) == 4
    assert plot.rindex(charts.BAND) == 12
    assert charts.MARKER not in plot[:20] + plot[21:]


def test_stacked_segments_are_proportional_within_one_cell() -> None:
    shares = [0.31, 0.12, 0.205, 0.07, 0.1]
    segments = [Segment(key=str(i), label=f"s{i}", share=s) for i, s in enumerate(shares)]
    cells = segment_cells(segments, 60)
    for share, length in zip(shares, cells, strict=True):
        assert abs(length - share * 60) <= 1
    assert abs(sum(cells) - sum(shares) * 60) <= 0.5


def test_contribution_bars_stack_the_result_contributions_then_the_open_part() -> None:
    result = golden_result(smaa=False)
    width = 50
    for drug in result.drugs:
        segments = pictures.contribution_segments(drug, result.criteria)
        fixed = sum(s.share for s in segments if not s.open)
        assert math.isclose(fixed, drug.score_range[0], abs_tol=1e-9)
        assert math.isclose(sum(s.share for s in segments), drug.score_range[1], abs_tol=1e-9)
        bar = charts.stacked_bar(segments, width).plain
        lengths = segment_cells(segments, width)
        position = 0
        for segment, length in zip(segments, lengths, strict=True):
            if length and not segment.open:
                assert bar[position] == segment.key  # each segment starts with its key
            if segment.open:
                assert bar[position : position + length] == "░" * length
            position += length
        assert bar[position:].strip() == ""


def test_icon_array_fills_the_rounded_share_in_reading_order() -> None:
    library = load_library(bundled_profiles_dir())
    risk = pictures.risks(evaluate(library, ["ocrelizumab"], {"pml": 5}, PatientContext()))[0]
    for share, population, filled in ((0.0213, 1000, 21), (0.25, 100, 25), (0.0004, 1000, 0)):
        shown = pictures.RiskOverHorizon(
            drug=risk.drug,
            cell=risk.cell,
            months=48,
            share=share,
            low=None,
            high=None,
            constant_rate=True,
        )
        assert shown.population == population
        rows = charts.icon_rows(shown)
        drawn = "".join(rows)
        assert len(drawn) * 2 == population
        assert 2 * drawn.count(charts.ICON_AFFECTED) + drawn.count(charts.ICON_HALF) == filled
        assert drawn.rstrip(charts.ICON_CLEAR).count(charts.ICON_CLEAR) == 0  # filled first
    assert pictures.in_population(0.0004, 1000) == "<1"


def test_icon_arrays_show_the_engine_cumulative_risk_over_the_horizon() -> None:
    library = load_library(bundled_profiles_dir())
    context = PatientContext(jcv_status="positive", jcv_index=2.1, prior_immunosuppressant=False)
    result = evaluate(library, ["ocrelizumab", "natalizumab"], {"pml": 5}, context)
    found = pictures.risks(result)
    assert {r.cell.concern for r in found} >= {"pml", "other_infections"}
    for risk in found:
        cumulative = risk.cell.evidence.cumulative
        assert cumulative is not None
        assert risk.months == cumulative.months == result.horizon_months
        if cumulative.value is not None:
            assert risk.share == pytest.approx(cumulative.value / cumulative.per)
    pml = next(r for r in found if r.drug.id == "natalizumab" and r.cell.concern == "pml")
    assert pml.share is not None
    assert pml.affected >= 10  # anti-JCV index 2.1: more than 1 in 100 over four years
    assert pml.population == 1000


async def test_forest_view_shows_every_drug_on_the_axis_and_the_background_band() -> None:
    app = create_app(
        bundled_profiles_dir(),
        cursor_blink=False,
        selected=("alemtuzumab", "ocrelizumab", "fingolimod", "natalizumab"),
    )
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.pause()
        await pilot.press("F")
        await pilot.pause()
        assert isinstance(app.screen, ForestScreen)
        view = app.screen.query_one(ForestPlots)
        lines = [view.render_line(y).text for y in range(view.size.height)]
        start = next(i for i, line in enumerate(lines) if line.startswith("Secondary autoimm"))
        rows = {line.split(" │")[0].strip(): line for line in lines[start + 1 : start + 12]}
        alemtuzumab, fingolimod = rows["Alemtuzumab"], rows["Fingolimod"]
        left = alemtuzumab.index("│") + 1
        # alemtuzumab's own trial count lies far right of the class figure of the others
        assert alemtuzumab.index(charts.MARKER) - left > fingolimod.index(charts.MARKER) - left
        # the MS background rate is drawn on the drug lines, left of alemtuzumab's figure
        background = [line for line in lines[start:] if "background incidence in MS" in line]
        assert background
        band = alemtuzumab.find(charts.BAND_VALUE)
        band = band if band >= 0 else alemtuzumab.index(charts.BAND)
        assert left <= band < alemtuzumab.index(charts.MARKER)
        pml = next(i for i, line in enumerate(lines) if line.startswith("PML risk"))
        assert "log axis" in lines[pml]
        await pilot.press("escape")
        assert not isinstance(app.screen, ForestScreen)


async def test_contribution_bars_follow_every_weight_key_redrawing_only_changed_lines() -> None:
    app = create_app(FIXTURE, cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        bars = app.screen.query_one(ContributionBars)
        assert not bars.display
        await pilot.press("B")
        await pilot.pause()
        assert bars.display
        width = bars.scrollable_content_region.width
        result = app.workbench.result
        assert result is not None
        lines = [bars.render_line(y).text for y in range(bars.size.height)]
        body = [line.rstrip() for line in lines if "│" in line]
        assert len(body) == len(result.drugs)
        for index, drug in enumerate(result.drugs):  # in rank order
            assert drug.name in body[index]
            assert body[index] == charts.contribution_line(result, index, width).plain.rstrip()
        refreshed: list[object] = []
        original = bars.refresh

        def spy(*regions: object, **kwargs: object) -> object:
            refreshed.append(regions)
            return original(*regions, **kwargs)

        bars.refresh = spy
        await pilot.press("w", "right")
        await pilot.pause()
        after = app.workbench.result
        assert after is not None
        assert after is not result
        assert len(refreshed) == 1  # one refresh of the changed lines, not the whole view
        (regions,) = refreshed
        assert isinstance(regions, tuple)
        assert 0 < len(regions) <= len(after.drugs)
        assert all(isinstance(r, Region) and r.height == 1 for r in regions)
        shown = [bars.render_line(y).text.rstrip() for y in range(bars.size.height)]
        for index in range(len(after.drugs)):
            assert charts.contribution_line(after, index, width).plain.rstrip() in shown


async def test_sensitivity_view_draws_rank_acceptability_bars() -> None:
    app = create_app(FIXTURE, cursor_blink=False)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        await pilot.press("v")
        await app.workers.wait_for_complete()
        await pilot.pause()
        smaa = app.workbench.smaa
        assert smaa is not None
        text = str(app.screen.query_one("#rank-chart").render())
        expected = charts.acceptability_lines(smaa, app.screen.size.width - 4)
        assert len(expected) == len(smaa.drugs) + 1
        for drug, line in zip(smaa.drugs, expected, strict=False):
            assert drug.name in line.plain
            assert line.plain in text
            assert drug.acceptability is not None
            bar = line.plain[line.plain.index(" ", len(drug.name)) + 1 : line.plain.index("│")]
            top = max(range(len(drug.acceptability)), key=drug.acceptability.__getitem__)
            lengths = segment_cells(pictures.acceptability_segments(drug), len(bar))
            assert lengths[top] == max(lengths)
            assert abs(lengths[top] - drug.acceptability[top] * len(bar)) <= 1
