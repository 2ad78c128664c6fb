"""The strata's exposure bands are checked once per run of months, not month by month: the runs
must give every month exactly the candidates a month-by-month check gives."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from workbench.engine.measurements import _in_band, _runs
from workbench.profiles.records import Stratum

bounds = st.none() | st.integers(min_value=-5, max_value=130)


@st.composite
def strata(draw: st.DrawFn) -> list[Stratum]:
    bands = draw(st.lists(st.tuples(bounds, bounds), max_size=5))
    return [
        Stratum(
            label=f"band {i}",
            value=0.1 * i,
            months_on_min=low,
            months_on_max=high,
            strength="moderate",
            source_ids=("s",),
        )
        for i, (low, high) in enumerate(bands)
    ]


@given(
    strata(),
    st.integers(min_value=0, max_value=100),
    st.integers(min_value=0, max_value=130),
)
def test_runs_give_each_month_its_candidates(bands: list[Stratum], first: int, length: int) -> None:
    months = range(first, first + length + 1)
    runs = _runs(bands, months)
    per_month = [[s for s in bands if _in_band(s, month)] for month in months]
    expanded = [c for c, start, last in runs for _ in range(start, last + 1)]
    assert [[id(s) for s in c] for c in expanded] == [[id(s) for s in c] for c in per_month]
    assert [start for _, start, _ in runs] == [
        month for i, month in enumerate(months) if i == 0 or per_month[i] != per_month[i - 1]
    ]
