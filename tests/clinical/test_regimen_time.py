"""Issue 27: risk beyond the label's table, cumulative risk over the horizon, regimens and the
pregnancy wait after every course, on the bundled profiles."""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.engine.context import PatientContext
from workbench.engine.context_validation import validate_context
from workbench.engine.evaluate import evaluate
from workbench.engine.result import CriterionResult, DrugResult, Flag
from workbench.engine.weights import preset_importance
from workbench.profiles.loader import load_library
from workbench.profiles.paths import bundled_profiles_dir

LIB = load_library(bundled_profiles_dir())
BALANCED = preset_importance(LIB, "balanced")


def result_for(drug_id: str, context: PatientContext) -> DrugResult:
    return evaluate(LIB, [drug_id], BALANCED, context).drugs[0]


def natalizumab_pml(**facts: object) -> CriterionResult:
    context = validate_context({"region": "eu", **facts})
    return result_for("natalizumab", context).criteria["pml"]


def three_sig(x: float) -> float:
    return float(f"{x:.3g}")


# ------------------------------------------------------------------ risk beyond the last band

HIGH_INDEX = {"jcv_status": "positive", "jcv_index": 1.8, "prior_immunosuppressant": False}


def test_natalizumab_60_months_on_high_index_is_extrapolated_not_no_data() -> None:
    pml = natalizumab_pml(current_dmt="natalizumab", months_on_current=60, **HIGH_INDEX)
    assert pml.status == "measured"
    assert pml.value == pytest.approx(10.0)  # 61-72 band (10) carried forward to month 108
    assert pml.evidence.extrapolated_beyond == 72
    assert pml.evidence.averaged_months == (61, 108)
    assert pml.note is not None
    assert "extrapolated beyond month 72" in pml.note
    assert pml.strength == "low"
    assert "top-2020" in pml.sources
    cumulative = pml.evidence.cumulative
    assert cumulative is not None
    assert cumulative.months == 48
    assert cumulative.per == 1000
    assert cumulative.method == "annual-risks"
    # four 12-month periods at an annual risk of 10 per 1,000
    assert cumulative.value is not None
    assert three_sig(cumulative.value) == three_sig(1000 * (1 - 0.99**4))  # 39.4


def test_beyond_the_table_only_the_continuation_is_used() -> None:
    pml = natalizumab_pml(current_dmt="natalizumab", months_on_current=80, **HIGH_INDEX)
    assert pml.status == "measured"
    assert pml.stratum is not None
    assert "extrapolated beyond month 72" in pml.stratum
    assert pml.evidence.extrapolated_beyond == 72


def test_within_the_table_nothing_is_extrapolated() -> None:
    pml = natalizumab_pml(current_dmt="natalizumab", months_on_current=12, **HIGH_INDEX)
    assert pml.status == "measured"
    assert pml.evidence.extrapolated_beyond is None


@pytest.mark.parametrize("months_on", [0, 30, 60, 120])
def test_anti_jcv_negative_is_small_and_unchanged_by_exposure(months_on: int) -> None:
    pml = natalizumab_pml(
        jcv_status="negative", current_dmt="natalizumab", months_on_current=months_on
    )
    assert pml.status == "measured"
    assert pml.value == pytest.approx(0.1)
    assert pml.evidence.extrapolated_beyond is None
    assert pml.evidence.cumulative is not None
    assert pml.evidence.cumulative.value is not None
    assert pml.evidence.cumulative.value < 1.0


def test_a_measurement_without_a_continuation_stays_no_data_beyond_its_bands() -> None:
    profile = next(p for p in LIB.profiles if p.id == "natalizumab")
    m = profile.measurements["pml"].replace(beyond_last_band=None)
    from workbench.engine.conditions import Window
    from workbench.engine.measurements import resolve

    criterion = next(c for c in LIB.criteria if c.id == "pml")
    context = validate_context({"region": "eu", **HIGH_INDEX})
    resolved = resolve(criterion, m, context, Window(first=61, last=108))
    assert resolved.status == "no-data"


# ------------------------------------------------------------------ cumulative risk


def test_cumulative_from_the_bands_agrees_with_a_hand_computation() -> None:
    """A new natalizumab patient, index > 1.5: annual risks 0.2, 0.9, 3 and 7 per 1,000 in
    months 1-12, 13-24, 25-36 and 37-48 (conditional per 12-month period)."""
    pml = natalizumab_pml(**HIGH_INDEX)
    cumulative = pml.evidence.cumulative
    assert cumulative is not None
    assert cumulative.value is not None
    hand = 1000 * (1 - (1 - 0.0002) * (1 - 0.0009) * (1 - 0.003) * (1 - 0.007))
    assert three_sig(cumulative.value) == three_sig(hand) == 11.1
    assert pml.value == pytest.approx((0.2 + 0.9 + 3 + 7) / 4)


def test_cumulative_of_a_constant_rate_over_the_horizon() -> None:
    """A figure without bands is a constant rate: 1 - exp(-rate x years), bounds alike."""
    facts = {"region": "eu", "horizon_months": 24, "igg_below_lln": False}  # no IgG modifier
    result = result_for("ocrelizumab", validate_context(facts))
    for concern in ("pml", "other_infections"):
        c = result.criteria[concern]
        cumulative = c.evidence.cumulative
        assert cumulative is not None
        assert c.value is not None
        per = cumulative.per
        assert cumulative.months == 24
        assert cumulative.value == pytest.approx(per * -math.expm1(-c.value / per * 2))
        assert c.high is not None
        assert cumulative.high == pytest.approx(per * -math.expm1(-c.high / per * 2))


def test_no_cumulative_beside_a_concern_that_is_not_per_year() -> None:
    result = result_for("ocrelizumab", validate_context({"region": "eu"}))
    assert result.criteria["disease_activity"].evidence.cumulative is None
    assert result.criteria["family_planning"].evidence.cumulative is None


def test_unknown_index_gives_a_cumulative_range() -> None:
    pml = natalizumab_pml(jcv_status="positive", prior_immunosuppressant=False)
    assert pml.status == "stratum-range"
    cumulative = pml.evidence.cumulative
    assert cumulative is not None
    assert cumulative.value is None
    assert cumulative.low is not None
    assert cumulative.high is not None
    assert cumulative.low < cumulative.high


def _natalizumab_edited(tmp_path: Path, old: str, new: str) -> list[str]:
    root = bundled_profiles_dir()
    for name in ("criteria.toml", "presets.toml", "natalizumab.toml"):
        shutil.copy(root / name, tmp_path / name)
    path = tmp_path / "natalizumab.toml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return [
        f"{p.field}: {p.message}" for p in load_library(tmp_path).problems if p.path == str(path)
    ]


BEYOND = 'method = "carry-last-band"\nstrength = "low"'


@pytest.mark.parametrize(
    ("new", "message"),
    [
        (
            'method = "carry-last-band"\nstrength = "moderate"',
            "measurements.pml.beyond_last_band.strength: strength 'moderate' is above the bands'",
        ),
        (
            'method = "figure"\nstrength = "low"',
            "measurements.pml.beyond_last_band: method 'figure' needs a value",
        ),
        (
            'method = "carry-last-band"\nvalue = 3.5\nstrength = "low"',
            "measurements.pml.beyond_last_band: method 'carry-last-band' takes no figure",
        ),
    ],
)
def test_beyond_last_band_rules(tmp_path: Path, new: str, message: str) -> None:
    problems = _natalizumab_edited(tmp_path, BEYOND, new)
    assert any(p.startswith(message) for p in problems), problems


def test_a_sourced_long_term_figure_continues_every_group(tmp_path: Path) -> None:
    """method 'figure': a long-term registry rate beyond the table, for every banded group."""
    new = 'method = "figure"\nbasis = "registry"\nevents = 36\npatient_years = 10234\n'
    new += 'strength = "low"'
    assert _natalizumab_edited(tmp_path, BEYOND, new) == []
    library = load_library(tmp_path)
    context = validate_context(
        {"region": "eu", "current_dmt": "natalizumab", "months_on_current": 80, **HIGH_INDEX}
    )
    pml = evaluate(library, ["natalizumab"], BALANCED, context).drugs[0].criteria["pml"]
    assert pml.status == "measured"
    assert pml.value == pytest.approx(36 / 10234 * 1000)
    assert pml.evidence.interval_kind == "ci95"  # exact interval from the counts
    assert pml.evidence.extrapolated_beyond == 72


# ------------------------------------------------------------------ regimens and pregnancy


def conception(drug_id: str, **facts: object) -> list[Flag]:
    context = validate_context({"region": "eu", **facts})
    return [f for f in result_for(drug_id, context).flags if f.code.startswith("conception")]


@pytest.mark.parametrize(("drug_id", "end"), [("cladribine", 19), ("alemtuzumab", 16)])
def test_conception_in_8_months_is_flagged_with_the_second_course(drug_id: str, end: int) -> None:
    flags = conception(drug_id, sex="female", conception_planned_in_months=8)
    assert len(flags) == 1
    flag = flags[0]
    assert flag.level in ("contraindication", "warning")
    assert flag.undecided is None
    assert "second course at month 12" in flag.text
    assert f"→ month {end} after the first dose" in flag.text
    assert "falls before the end of the regimen's interval" in flag.text


def test_cladribine_flag_level_follows_the_label() -> None:
    """Cladribine is contraindicated in pregnancy: a conception inside the regimen's interval is a
    contraindication; alemtuzumab's label does not contraindicate it: a warning."""
    assert conception("cladribine", sex="female", conception_planned_in_months=8)[0].level == (
        "contraindication"
    )
    assert conception("alemtuzumab", sex="female", conception_planned_in_months=8)[0].level == (
        "warning"
    )
    context = validate_context({"region": "eu", "sex": "female", "conception_planned_in_months": 8})
    assert result_for("cladribine", context).eligibility.tier == "contraindicated"


@pytest.mark.parametrize("drug_id", ["cladribine", "alemtuzumab"])
def test_conception_in_20_months_is_not_flagged(drug_id: str) -> None:
    flags = conception(drug_id, sex="female", conception_planned_in_months=20)
    assert len(flags) == 1
    assert flags[0].level == "info"
    assert "after the full regimen" in flags[0].text
    assert "falls before" not in flags[0].text
    context = validate_context(
        {"region": "eu", "sex": "female", "conception_planned_in_months": 20}
    )
    assert result_for(drug_id, context).eligibility.tier != "contraindicated"


def test_alemtuzumab_after_the_full_regimen_is_information_only() -> None:
    flags = conception("alemtuzumab", sex="female", conception_planned_in_months=20)
    assert [f.level for f in flags] == ["info"]


def test_cladribine_at_month_24_has_no_remaining_wait() -> None:
    flags = conception(
        "cladribine",
        sex="female",
        conception_planned_in_months=2,
        current_dmt="cladribine",
        months_on_current=24,
    )
    assert len(flags) == 1
    assert flags[0].level == "info"
    assert "no remaining wait" in flags[0].text
    assert "at month 24 of treatment" in flags[0].text


def test_cladribine_between_courses_counts_the_wait_from_now() -> None:
    flags = conception(
        "cladribine",
        sex="female",
        conception_planned_in_months=6,
        current_dmt="cladribine",
        months_on_current=10,
    )
    assert flags[0].level == "contraindication"
    assert "9 months from now" in flags[0].text  # 13 + 6 - 10


def test_a_man_on_cladribine_has_his_own_6_months_after_each_course() -> None:
    flags = conception("cladribine", sex="male", conception_planned_in_months=8)
    assert len(flags) == 1
    assert flags[0].level == "contraindication"
    assert "men" in flags[0].text.lower()
    assert "second course at month 12 (last dose month 13) + 6 months → month 19" in flags[0].text
    assert conception("cladribine", sex="male", conception_planned_in_months=20)[0].level != (
        "contraindication"
    )


def test_a_man_on_alemtuzumab_has_no_interval() -> None:
    assert conception("alemtuzumab", sex="male", conception_planned_in_months=8) == []


def test_timing_unknown_names_the_earliest_conception_after_the_regimen() -> None:
    flags = conception("cladribine", sex="female", conception_planned_in_months="planned")
    assert flags[0].undecided is not None
    assert "Earliest conception after the full regimen" in flags[0].text


def test_a_continuous_drug_keeps_the_interval_from_now() -> None:
    flags = conception("ocrelizumab", sex="female", conception_planned_in_months=2)
    assert flags
    assert "regimen" not in flags[0].text


def _cladribine_edited(tmp_path: Path, old: str, new: str) -> list[str]:
    root = bundled_profiles_dir()
    for name in ("criteria.toml", "presets.toml", "cladribine.toml"):
        shutil.copy(root / name, tmp_path / name)
    path = tmp_path / "cladribine.toml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return [
        f"{p.field}: {p.message}" for p in load_library(tmp_path).problems if p.path == str(path)
    ]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "month = 12\nlast_dose_month = 13",
            "month = 12\nlast_dose_month = 11",
            "regimen.courses[1].last_dose_month: last dose (month 11) before the course starts",
        ),
        (
            'label = "first course"\nmonth = 0\nlast_dose_month = 1',
            'label = "first course"\nmonth = 20\nlast_dose_month = 21',
            "regimen.courses[1].month: courses are listed in order",
        ),
        (
            'source_ids = ["mavenclad-smpc", "mavenclad-uspi"]\nnote = """Course 2',
            'source_ids = ["nope"]\nnote = """Course 2',
            "regimen.source_ids[0]: source 'nope' is not in this profile's sources",
        ),
        ('kind = "courses"', 'kind = "continuous"', "regimen.courses: courses need kind"),
        (
            "schedule = { at_months = [0] }",
            "schedule = { from_month = 1 }",
            "monitoring[4].schedule: a schedule gives at_months",
        ),
    ],
)
def test_regimen_rules(tmp_path: Path, old: str, new: str, message: str) -> None:
    problems = _cladribine_edited(tmp_path, old, new)
    assert any(p.startswith(message) for p in problems), problems


# ------------------------------------------------------------------ invariants (hypothesis)

NATALIZUMAB_CONTEXTS = st.fixed_dictionaries(
    {
        "region": st.sampled_from(["eu", "us"]),
        "jcv_status": st.sampled_from(["unknown", "negative", "positive"]),
        "jcv_index": st.one_of(st.none(), st.floats(min_value=0.1, max_value=4.0)),
        "prior_immunosuppressant": st.sampled_from([None, True, False]),
        "current_dmt": st.just("natalizumab"),
        "months_on_current": st.one_of(st.none(), st.integers(0, 200)),
        "horizon_months": st.integers(1, 120),
    }
)


@settings(max_examples=60, deadline=None)
@given(NATALIZUMAB_CONTEXTS)
def test_cumulative_lies_within_its_bounds_and_never_is_no_data_when_positive(
    facts: dict[str, object],
) -> None:
    context = validate_context({k: v for k, v in facts.items() if v is not None})
    pml = result_for("natalizumab", context).criteria["pml"]
    assert pml.status != "no-data"  # the table's continuation covers every month
    cumulative = pml.evidence.cumulative
    assert cumulative is not None
    assert cumulative.low is not None
    assert cumulative.high is not None
    assert 0.0 <= cumulative.low <= cumulative.high <= cumulative.per
    if cumulative.value is not None:
        assert cumulative.low - 1e-9 <= cumulative.value <= cumulative.high + 1e-9
    # about the averaged annual figure times the years: annual risks compound (below the sum)
    # while part of a year of an annual risk a is a little above its share (by at most ~a/2)
    assert pml.high is not None
    assert cumulative.high <= pml.high * max(cumulative.months / 12, 1) * 1.01 + 1e-9
    assert math.copysign(1.0, cumulative.low) == 1.0  # no negative zero


def test_current_cladribine_with_unknown_months_leaves_the_wait_undecided() -> None:
    flags = conception(
        "cladribine", sex="female", conception_planned_in_months=8, current_dmt="cladribine"
    )
    assert len(flags) == 1
    assert flags[0].undecided is not None
    assert "months on it so far" in flags[0].undecided
    assert "(months on it so far unknown)" in flags[0].text


def test_cumulative_is_shown_in_notes_case_note_and_narrow_table() -> None:
    from workbench.app.notes import measurement_words
    from workbench.report.casenote import render_case_note
    from workbench.report.table import render_table

    context = validate_context(
        {"region": "eu", "current_dmt": "natalizumab", "months_on_current": 60, **HIGH_INDEX}
    )
    result = evaluate(LIB, ["natalizumab"], BALANCED, context)
    expected = "39.4 in 1,000 over 48 months"
    words = measurement_words(result.drugs[0].criteria["pml"])
    assert expected in words
    assert "extrapolated beyond month 72" in words
    assert expected in render_case_note(result, today=dt.date(2027, 1, 4))
    narrow = " ".join(render_table(result, width=60).split())
    assert expected in narrow


def test_a_schedule_cannot_ask_for_a_flood_of_dates(tmp_path: Path) -> None:
    problems = _natalizumab_edited(
        tmp_path,
        "schedule = { every_months = 12, until_months_after_last_dose = 6 }",
        "schedule = { every_months = 0.001, until_months_after_last_dose = 6 }",
    )
    assert any("every_months" in p for p in problems), problems


def test_smaa_draws_give_the_cumulative_risk_where_a_figure_is_sampled() -> None:
    from workbench.engine.smaa_settings import SmaaSettings
    from workbench.report.json_export import render_json

    context = validate_context(
        {
            "region": "eu",
            "current_dmt": "natalizumab",
            "months_on_current": 60,
            "igg_below_lln": False,  # ocrelizumab's figure without the IgG modifier's range
            **HIGH_INDEX,
        }
    )
    settings = SmaaSettings(iterations=4000, seed=3)
    result = evaluate(LIB, ["natalizumab", "ocrelizumab"], BALANCED, context, settings)
    by_id = {d.id: d for d in result.drugs}
    ocrelizumab = by_id["ocrelizumab"]
    assert ocrelizumab.smaa_cumulative is not None
    low, high = ocrelizumab.smaa_cumulative["other_infections"]
    exact = ocrelizumab.criteria["other_infections"].evidence.cumulative
    assert exact is not None
    assert exact.low is not None
    assert exact.high is not None
    assert exact.value is not None
    # the draws (Jeffreys posterior of the counts) agree with the exact interval
    assert low < exact.value < high
    assert low == pytest.approx(exact.low, rel=0.15)
    assert high == pytest.approx(exact.high, rel=0.15)
    # natalizumab's PML is a fixed horizon average (no bounds): not sampled, so no span
    natalizumab = by_id["natalizumab"]
    assert natalizumab.smaa_cumulative is not None
    assert "pml" not in natalizumab.smaa_cumulative
    data = json.loads(render_json(result))
    spans = {d["id"]: d["smaa_cumulative"] for d in data["drugs"]}
    assert spans["ocrelizumab"]["other_infections"] == pytest.approx([low, high], abs=1e-6)
