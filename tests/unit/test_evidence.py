"""Evidence model v2 end to end: figures from counts, comparators, horizon averages, SMAA draws.

The fixture `tests/fixtures/evidence` (made-up numbers) has a drug with 0 events in 2,118
patient-years, a proportion over 2 years converted to a rate with its placebo arm, a published CI,
and a drug whose annual risks change by year of treatment.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from pathlib import Path

import pytest
from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.app.cells import value_cell
from workbench.app.notes import drug_notes
from workbench.engine.context import PatientContext
from workbench.engine.evaluate import evaluate
from workbench.engine.evidence import derive
from workbench.engine.intervals import garwood
from workbench.engine.smaa import _partial_values
from workbench.engine.smaa_settings import SmaaInput, SmaaSettings
from workbench.profiles.loader import load_library
from workbench.profiles.records import Criterion, Figure
from workbench.report.casenote import render_case_note
from workbench.report.csv_export import render_csv
from workbench.report.json_export import result_to_dict
from workbench.report.table import render_table

ROOT = FIXTURES / "evidence"
LIB = load_library(ROOT, today=dt.date(2026, 6, 1))
HARM_ONLY = {"harm": 10.0}
EVEN = {"benefit": 5.0, "harm": 5.0, "infection": 5.0}
ZERO_UPPER = garwood(0, 2118.0)[1] * 1000  # per 1,000 patient-years


def _result(context: PatientContext | None = None, importance: dict[str, float] = EVEN):  # type: ignore[no-untyped-def]
    return evaluate(LIB, None, importance, context or PatientContext())


def _drug(result, drug_id: str):  # type: ignore[no-untyped-def]
    return next(d for d in result.drugs if d.id == drug_id)


def test_fixture_is_clean() -> None:
    assert not LIB.problems


def test_zero_events_are_zero_with_the_exact_upper_bound() -> None:
    harm = _drug(_result(), "zeroed").criteria["harm"]
    assert (harm.status, harm.value, harm.low) == ("measured", 0.0, 0.0)
    assert harm.high == pytest.approx(1.741682, rel=1e-6)
    assert harm.evidence.interval_kind == "ci95"
    assert (harm.evidence.events, harm.evidence.patient_years) == (0, 2118.0)
    assert harm.evidence.basis == "pooled-trials"


def test_zero_events_are_shown_everywhere(tmp_path: Path) -> None:
    result = _result(importance=HARM_ONLY)
    drug = _drug(result, "zeroed")
    shown = "0 [0–1.74]"
    assert shown in render_table(result, width=160)
    note = render_case_note(result, today=dt.date(2026, 6, 1))
    assert "0 \\[0–1.74\\] P" in note  # Markdown-escaped brackets, then the basis marker
    assert "0 events in 2,118 patient-years" in render_case_note(result, today=dt.date(2026, 6, 1))
    assert "0 [0–1.74]" in value_cell(drug.criteria["harm"]).plain
    notes = drug_notes(drug, LIB.profile("zeroed"), result).plain
    assert "0 events in 2,118 patient-years" in notes
    assert "data cut 2020-09-01" in notes
    rows = list(csv.DictReader(io.StringIO(render_csv(result))))
    row = next(r for r in rows if r["drug_id"] == "zeroed" and r["concern"] == "harm")
    assert (row["value"], row["low"], row["interval_kind"], row["events"]) == (
        "0",
        "0",
        "ci95",
        "0",
    )
    assert float(row["high"]) == pytest.approx(ZERO_UPPER, abs=1e-6)
    data = json.loads(json.dumps(result_to_dict(result)))
    cell = next(d for d in data["drugs"] if d["id"] == "zeroed")["criteria"]["harm"]
    assert cell["value"] == 0.0
    assert cell["high"] == pytest.approx(ZERO_UPPER, abs=1e-6)
    assert (cell["interval_kind"], cell["basis"], cell["events"], cell["per_year"]) == (
        "ci95",
        "pooled-trials",
        0,
        True,
    )
    assert data["context"]["horizon_months"] == 48


def test_a_proportion_over_a_follow_up_is_converted_with_its_comparator() -> None:
    infection = _drug(_result(), "zeroed").criteria["infection"]
    rate = -math.log1p(-30 / 900) / 2.0 * 100
    assert infection.value == pytest.approx(rate)
    assert infection.evidence.converted
    comparator = infection.evidence.comparator
    assert comparator is not None
    assert comparator.label == "placebo arm"
    assert comparator.value == pytest.approx(-math.log1p(-15 / 900) / 2.0 * 100)
    diff = infection.evidence.difference
    assert diff is not None
    assert diff.value == pytest.approx(infection.value - comparator.value)
    assert diff.low is not None
    assert diff.high is not None
    assert diff.low < diff.value < diff.high
    note = render_case_note(_result(), today=dt.date(2026, 6, 1))
    assert "placebo arm: 0.84" in note
    assert "converted to a rate per patient-year (constant hazard)" in note


def test_published_ci_and_its_kind() -> None:
    benefit = _drug(_result(), "zeroed").criteria["benefit"]
    assert (benefit.low, benefit.high, benefit.evidence.interval_kind) == (40.0, 58.0, "ci95")
    assert "50 \\[40–58\\]" in render_case_note(_result(), today=dt.date(2026, 6, 1))


def test_a_new_patient_is_scored_over_the_horizon_not_at_month_zero() -> None:
    positive = PatientContext(jcv_status="positive")
    harm = _drug(_result(positive), "banded").criteria["harm"]
    assert harm.status == "measured"
    assert harm.value == pytest.approx((12 * 1.0 + 12 * 3.0 + 24 * 6.0) / 48)
    assert harm.evidence.averaged_months == (1, 48)
    short = _drug(_result(positive.replace(horizon_months=12)), "banded")
    assert short.criteria["harm"].value == pytest.approx(1.0)


def test_the_current_drug_continues_from_its_exposure() -> None:
    on_it = PatientContext(jcv_status="positive", current_dmt="banded", months_on_current=24)
    harm = _drug(_result(on_it.replace(horizon_months=24)), "banded")
    assert harm.criteria["harm"].value == pytest.approx(6.0)
    beyond = _drug(_result(on_it), "banded").criteria["harm"]  # months 25–72: no band past 48
    assert beyond.status == "no-data"
    assert "months 49–72" in (beyond.note or "")


def test_unknown_status_spans_the_strata_over_the_horizon() -> None:
    harm = _drug(_result(), "banded").criteria["harm"]
    assert harm.status == "stratum-range"
    assert harm.evidence.interval_kind == "strata"
    assert (harm.low, harm.high) == pytest.approx((0.1, 4.0))


HARM = Criterion(
    id="harm",
    label="Harm",
    direction="risk",
    unit="cases per 1,000 patient-years",
    kind="rate",
    per_year=True,
    rate_per=1000,
    worst=10.0,
    best=0.0,
    definition="Fixture risk per 1,000 patient-years for property tests.",
)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 200), st.floats(50.0, 50_000.0))
def test_more_events_never_lower_the_estimate(events: int, exposure: float) -> None:
    fewer = derive(HARM, Figure(events=events, patient_years=exposure))
    more = derive(HARM, Figure(events=events + 1, patient_years=exposure))
    assert fewer is not None
    assert more is not None
    assert more.value > fewer.value
    assert fewer.low is not None
    assert fewer.high is not None
    assert fewer.low <= fewer.value <= fewer.high


@settings(max_examples=15, deadline=None)
@given(st.integers(1, 60), st.floats(2_000.0, 20_000.0), st.integers(0, 2**31))
def test_smaa_draws_converge_to_the_derived_values(events: int, exposure: float, seed: int) -> None:
    import numpy as np

    derived = derive(HARM, Figure(events=events, patient_years=exposure))
    assert derived is not None
    data = SmaaInput(
        concerns=("harm",),
        worst=(1e9,),
        best=(0.0,),
        positions=((0.0, 1.0),),
        values=((0.0, 1.0),),
        draws=((derived.draw,),),
    )
    samples = np.empty((1, 1, 20_000))
    _partial_values(np.random.default_rng(seed), data, samples)
    drawn = (1.0 - samples[0, 0]) * 1e9  # back from scale position to the unit
    jeffreys_mean = (events + 0.5) / exposure * 1000
    assert float(drawn.mean()) == pytest.approx(jeffreys_mean, rel=0.05)
    assert jeffreys_mean == pytest.approx(derived.value, rel=0.5 / events + 1e-9)


def test_zero_events_rank_by_their_bound_in_smaa_not_as_no_data() -> None:
    result = evaluate(
        LIB,
        None,
        HARM_ONLY,
        PatientContext(jcv_status="negative"),
        SmaaSettings(4_000, seed=3, weight_mode="fixed"),
    )
    zeroed = _drug(result, "zeroed")
    banded = _drug(result, "banded")  # 0.1 per 1,000 PY, a figure without bounds
    assert zeroed.acceptability is not None
    assert banded.acceptability is not None
    # Gamma(0.5, 2118 PY) puts P(rate < 0.1/1,000) near 0.35: zeroed is neither always first
    # (as a point 0 would be) nor never (as no data over the whole scale would nearly be).
    assert 0.2 < zeroed.acceptability[0] < 0.5


def test_smaa_is_deterministic_for_a_seed() -> None:
    smaa = SmaaSettings(2_000, seed=11, weight_mode="fixed")
    first = evaluate(LIB, None, EVEN, PatientContext(), smaa)
    again = evaluate(LIB, None, EVEN, PatientContext(), smaa)
    assert [d.acceptability for d in first.drugs] == [d.acceptability for d in again.drugs]
