"""Exact intervals against scipy.stats (a test-only dependency) and their basic properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats  # type: ignore[import-untyped]

from workbench.engine.intervals import beta_ppf, clopper_pearson, gamma_ppf, garwood

TOLERANCE = 1e-6

DENOMINATORS = [1, 2, 3, 7, 20, 100, 942, 2_118, 10_000, 150_000]
EXPOSURES = [0.5, 1.0, 17.5, 2_118.0, 9_725.6, 711_946.0]
EVENT_COUNTS = [0, 1, 2, 3, 5, 12, 37, 156, 756, 5_000]


def _scipy_clopper_pearson(events: int, n: int) -> tuple[float, float]:
    low = 0.0 if events == 0 else stats.beta.ppf(0.025, events, n - events + 1)
    high = 1.0 if events == n else stats.beta.ppf(0.975, events + 1, n - events)
    return float(low), float(high)


def _scipy_garwood(events: int, exposure: float) -> tuple[float, float]:
    low = 0.0 if events == 0 else stats.chi2.ppf(0.025, 2 * events) / 2
    high = stats.chi2.ppf(0.975, 2 * events + 2) / 2
    return float(low) / exposure, float(high) / exposure


@pytest.mark.parametrize("n", DENOMINATORS)
def test_clopper_pearson_matches_scipy_including_zero_and_n(n: int) -> None:
    for events in sorted({0, 1, 2, n // 3, n // 2, n - 1, n} & set(range(n + 1))):
        ours = clopper_pearson(events, n)
        theirs = _scipy_clopper_pearson(events, n)
        assert ours == pytest.approx(theirs, abs=TOLERANCE, rel=TOLERANCE)


@pytest.mark.parametrize("exposure", EXPOSURES)
def test_garwood_matches_scipy(exposure: float) -> None:
    for events in EVENT_COUNTS:
        assert garwood(events, exposure) == pytest.approx(
            _scipy_garwood(events, exposure), abs=TOLERANCE, rel=TOLERANCE
        )


def test_quantile_functions_match_scipy() -> None:
    for p in (0.001, 0.025, 0.5, 0.975, 0.999):
        for a, b in ((0.5, 0.5), (1.0, 20.0), (12.5, 930.5), (300.0, 2.0)):
            assert beta_ppf(p, a, b) == pytest.approx(stats.beta.ppf(p, a, b), abs=1e-9)
        for shape in (0.5, 1.0, 3.0, 57.0, 5_001.0):
            assert gamma_ppf(p, shape) == pytest.approx(stats.gamma.ppf(p, shape), rel=1e-9)


def test_zero_events_give_zero_with_a_real_upper_bound() -> None:
    low, high = garwood(0, 2_118.0)
    assert low == 0.0
    assert high == pytest.approx(3.688879 / 2_118, rel=1e-6)  # −ln(0.025) = 3.6889
    assert clopper_pearson(0, 100)[0] == 0.0


@given(st.integers(1, 5_000), st.data())
def test_proportion_interval_contains_the_estimate(n: int, data: st.DataObject) -> None:
    events = data.draw(st.integers(0, n))
    low, high = clopper_pearson(events, n)
    assert 0.0 <= low <= events / n <= high <= 1.0


@given(st.integers(0, 2_000), st.floats(0.1, 1e6))
def test_rate_interval_contains_the_estimate(events: int, exposure: float) -> None:
    low, high = garwood(events, exposure)
    assert 0.0 <= low <= events / exposure <= high


@given(st.integers(0, 1_000), st.floats(1.0, 1e5))
def test_more_events_never_lower_the_interval(events: int, exposure: float) -> None:
    fewer, more = garwood(events, exposure), garwood(events + 1, exposure)
    assert more[0] >= fewer[0]
    assert more[1] >= fewer[1]


def test_invalid_counts_raise() -> None:
    with pytest.raises(ValueError, match="events"):
        clopper_pearson(3, 2)
    with pytest.raises(ValueError, match="exposure"):
        garwood(1, 0.0)
