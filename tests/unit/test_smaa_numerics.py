"""SMAA's fast paths give what its definitions say: the products over iteration chunks, the
confidence factors of all winners in one product, and the value of constant cells computed once."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.engine import smaa
from workbench.engine.evidence import Draw
from workbench.engine.result import Cumulative
from workbench.engine.smaa_settings import SmaaInput, SmaaSettings

LOG_RATIO = Draw(kind="lognormal", a=0.2, b=0.3)
ANNUAL = Cumulative(value=2.0, low=1.0, high=4.0, months=24, per=1000.0, method="annual-risks")
RATE = Cumulative(value=2.0, low=1.0, high=4.0, months=36, per=1000.0, method="constant-rate")
DATA = SmaaInput(
    concerns=("efficacy", "harm", "infection"),
    worst=(0.0, 20.0, 100.0),
    best=(100.0, 0.0, 0.0),
    positions=((0.0, 1.0), (0.0, 0.4, 0.8, 1.0), (0.0, 0.5, 1.0)),
    values=((0.0, 1.0), (0.0, 0.3, 0.9, 1.0), (0.0, 0.8, 1.0)),
    draws=(
        (
            Draw(kind="reduction", a=-0.5, b=0.2),
            Draw(kind="beta", a=3.5, b=400.5, factor=1000.0, years=2.0),
            Draw(kind="point", a=30.0),
        ),
        (
            Draw(kind="uniform", a=40.0, b=70.0),
            Draw(kind="gamma", a=2.5, b=900.0, factor=1000.0),
            Draw(kind="point", a=120.0),  # beyond the worst end: clipped
        ),
        (
            Draw(kind="normal", a=55.0, b=8.0),
            Draw(kind="point", a=4.0, multipliers=(LOG_RATIO, Draw(kind="uniform", a=1, b=2))),
            Draw(kind="scale"),
        ),
        (
            Draw(kind="uniform", a=90.0, b=110.0),  # partly beyond the best end: clipped
            Draw(kind="lognormal", a=1.0, b=0.4),
            Draw(kind="uniform", a=-10.0, b=30.0),  # partly beyond the best end
        ),
    ),
    cumulative=(
        (None, ANNUAL, None),
        (None, RATE, None),
        (None, None, None),
        (None, None, None),
    ),
)


@pytest.mark.parametrize("mode", ["fixed", "uniform", "around"])
def test_the_outcome_does_not_depend_on_the_chunk_size(
    mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = SmaaSettings(iterations=997, seed=5, weight_mode=mode)  # type: ignore[arg-type]
    args = (DATA, [0.5, 0.3, 0.2], [6.0, 4.0, 3.0], settings, [0, 1, 3])
    whole = smaa.run_smaa(*args)
    monkeypatch.setattr(smaa, "CHUNK_NUMBERS", 150)  # chunks of a few iterations, a short last
    assert smaa.run_smaa(*args) == whole
    assert all(c is None or 0.0 <= c <= 1.0 for c in whole.confidence)
    assert whole.cumulative[0]
    assert whole.cumulative[1]


def test_all_winners_in_one_product_give_each_winners_confidence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(3)
    concerns, drugs, n_iter = 4, 6, 1001
    partial = rng.random((concerns, drugs, n_iter))
    partial[:, 2] = partial[:, 1]  # an exact tie, broken by the jitter (the last concern)
    partial[-1] = rng.random((drugs, n_iter)) * smaa.TIE_JITTER
    winners = np.array([0, 2, 5])
    central = rng.random((len(winners), concerns))
    central[:, -1] = 1.0  # the jitter's weight
    monkeypatch.setattr(smaa, "CHUNK_NUMBERS", 200)
    shares = smaa._confidence(partial, central, winners)
    for w, i in enumerate(winners):  # the definition: first at its own central weights
        at_central = np.einsum("k,kdi->di", central[w], partial)
        assert shares[w] == np.mean(at_central[i] >= at_central.max(axis=0))


def test_constant_and_beyond_the_scale_cells_take_the_value_function() -> None:
    samples = np.empty((3, 4, 500))
    keep = [(1, 1), (3, 2)]
    kept = smaa._partial_values(np.random.default_rng(2), DATA, samples, keep)
    again = np.empty_like(samples)
    smaa._partial_values(np.random.default_rng(2), DATA, again)
    assert np.array_equal(samples, again)  # keeping the first draws of some cells changes none
    assert samples.min() >= 0.0
    assert samples.max() <= 1.0
    # the point at 30 on the 100-0 infection scale: position 0.7 through (0, 0.5, 1)/(0, 0.8, 1)
    assert (samples[2, 0] == np.interp(0.7, (0.0, 0.5, 1.0), (0.0, 0.8, 1.0))).all()
    assert (samples[2, 1] == 0.0).all()  # the point beyond the worst end
    # the uniform cell partly beyond the best end: kept unclipped for the cumulative spans
    positions = (np.array([-10.0, 30.0]) - 100.0) / -100.0
    assert kept[1].max() > 1.0 >= kept[1].min() >= positions[1]
    assert np.array_equal(
        samples[2, 3, : kept.shape[1]],
        np.interp(np.clip(kept[1], 0.0, 1.0), DATA.positions[2], DATA.values[2]),
    )


@pytest.mark.parametrize("mode", ["fixed", "around"])
def test_exact_ties_split_the_confidence_as_they_split_the_wins(mode: str) -> None:
    same = (Draw(kind="point", a=50.0), Draw(kind="point", a=5.0), Draw(kind="point", a=20.0))
    worse = (Draw(kind="point", a=40.0), Draw(kind="point", a=5.0), Draw(kind="point", a=20.0))
    data = DATA.replace(draws=(same, worse, same), cumulative=())
    settings = SmaaSettings(iterations=4000, seed=9, weight_mode=mode)  # type: ignore[arg-type]
    outcome = smaa.run_smaa(data, [0.5, 0.3, 0.2], [6.0, 4.0, 3.0], settings)
    first = [row[0] for row in outcome.acceptability]
    assert first[1] == 0.0
    assert first[0] == pytest.approx(0.5, abs=0.05)
    assert outcome.confidence[1] is None
    for i in (0, 2):  # at its central weights, the tie is broken by the same jitter
        assert outcome.confidence[i] == pytest.approx(first[i], abs=0.05)
    if mode == "fixed":  # the weights of every iteration are the central weights
        assert outcome.confidence == (first[0], None, first[2])
        assert outcome.central_weights[0] == {"efficacy": 0.5, "harm": 0.3, "infection": 0.2}
