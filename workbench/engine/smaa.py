"""SMAA-2: rank acceptabilities, central weights and confidence factors by Monte Carlo simulation.

Each iteration samples every measurement from its evidence (`workbench.engine.evidence.Draw`):
proportions from counts from Beta(events + ½, n − events + ½), rates from Gamma(events + ½,
exposure), a published CI from a log-normal (or normal) fitted to it, a published range, a
horizon average or a stratum range uniformly, a figure without bounds as itself and no data over
the whole scale. It then applies the concern's value function, samples weights (fixed, uniform on
the simplex, or uniformly within ±spread importance points of the user's importances) and ranks the
drugs. Exact ties are broken at random, so acceptabilities sum to 1 per drug and per rank. numpy is
imported only here, and only when SMAA runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from workbench.engine.evidence import Draw
from workbench.engine.smaa_settings import SmaaInput, SmaaOutcome, SmaaSettings
from workbench.profiles.vocabulary import IMPORTANCE_MAX, IMPORTANCE_MIN

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


CUMULATIVE_DRAWS = 2_000
"""Draws the cumulative intervals are read from: enough for a 2.5–97.5% span, cheap to sort."""


TIE_JITTER = 1e-12
"""Random jitter added to totals so exact ties split acceptability evenly."""


def _sample_weights(
    rng: np.random.Generator,
    settings: SmaaSettings,
    weights: NDArray[np.float64],
    importance: NDArray[np.float64],
    n_iter: int,
    *,
    active: NDArray[np.bool_],
) -> NDArray[np.float64]:
    """A concerns × iterations matrix of weights, each column summing to 1 (concerns not
    `active` for this patient always 0)."""
    import numpy as np

    n_concerns = weights.shape[0]
    if settings.weight_mode == "fixed":
        return np.broadcast_to(weights[:, None], (n_concerns, n_iter))
    if settings.weight_mode == "uniform":
        drawn = rng.standard_exponential((n_concerns, n_iter))  # normalized: Dirichlet(1, …, 1)
    else:
        lo = np.clip(importance - settings.spread, IMPORTANCE_MIN, IMPORTANCE_MAX)[:, None]
        hi = np.clip(importance + settings.spread, IMPORTANCE_MIN, IMPORTANCE_MAX)[:, None]
        drawn = lo + (hi - lo) * rng.random((n_concerns, n_iter))
    drawn *= active[:, None]
    total = drawn.sum(axis=0, keepdims=True)
    positive = total > 0.0
    return np.where(positive, drawn / np.where(positive, total, 1.0), weights[:, None])


def _parametric(
    rng: np.random.Generator, kind: str, cells: list[Draw], n_iter: int
) -> NDArray[np.float64]:
    """cells × iterations samples (in the concern's unit) of draws that all have this kind."""
    import numpy as np

    a = np.array([d.a for d in cells])[:, None]
    b = np.array([d.b for d in cells])[:, None]
    factor = np.array([d.factor for d in cells])[:, None]
    size = (len(cells), n_iter)
    if kind == "beta":
        p = rng.beta(a, b, size)
        years = np.array([d.years or 0.0 for d in cells])[:, None]
        as_rate = -np.log1p(-np.minimum(p, 1.0 - 1e-12)) / np.where(years > 0, years, 1.0)
        drawn: NDArray[np.float64] = np.where(years > 0, as_rate, p)
    elif kind == "gamma":
        drawn = rng.gamma(a, 1.0 / b, size)
    elif kind == "lognormal":
        drawn = np.exp(rng.normal(a, b, size))
    elif kind == "reduction":
        drawn = 100.0 * (1.0 - np.exp(rng.normal(a, b, size)))
    else:
        drawn = rng.normal(a, b, size)
    result: NDArray[np.float64] = drawn * factor
    return result


_PARAMETRIC = ("beta", "gamma", "lognormal", "normal", "reduction")


def _in_unit(rng: np.random.Generator, d: Draw, n_iter: int) -> NDArray[np.float64]:
    """Samples of one draw in its own unit (a point, uniform or parametric; not `scale`)."""
    import numpy as np

    if d.kind == "point":
        return np.full(n_iter, d.a)
    if d.kind == "uniform":
        uniform: NDArray[np.float64] = d.a + (d.b - d.a) * rng.random(n_iter)
        return uniform
    drawn: NDArray[np.float64] = _parametric(rng, d.kind, [d], n_iter)[0]
    return drawn


def _cumulative_spans(
    data: SmaaInput, samples: NDArray[np.float64]
) -> tuple[dict[str, tuple[float, float]], ...]:
    """Per drug: the 2.5–97.5% span of the risk over the horizon across the draws, for every
    per-year figure that is sampled (`samples`: unclipped scale positions), all cells at once."""
    import numpy as np

    spans: list[dict[str, tuple[float, float]]] = [{} for _ in data.draws]
    cells = [
        (i, k, spec)
        for i, row in enumerate(data.cumulative)
        for k, spec in enumerate(row)
        if spec is not None and data.draws[i][k].kind not in ("point", "scale")
    ]
    if not cells:
        return tuple(spans)
    n = min(samples.shape[2], CUMULATIVE_DRAWS)
    ks = np.array([k for _, k, _ in cells])
    worst, best = np.asarray(data.worst)[ks, None], np.asarray(data.best)[ks, None]
    per = np.array([spec.per for _, _, spec in cells])[:, None]
    years = np.array([spec.months / 12 for _, _, spec in cells])[:, None]
    annual = np.array([spec.method == "annual-risks" for _, _, spec in cells])[:, None]
    positions = samples[ks, np.array([i for i, _, _ in cells]), :n]
    rate = np.maximum(worst + positions * (best - worst), 0.0) / per
    hazard = np.where(annual, -np.log1p(-np.minimum(rate, 1.0 - 1e-12)), rate)
    ordered = np.sort(-np.expm1(-hazard * years) * per, axis=1)
    lows = ordered[:, int(0.025 * (n - 1))]
    highs = ordered[:, int(np.ceil(0.975 * (n - 1)))]
    for (i, k, _), low, high in zip(cells, lows, highs, strict=True):
        spans[i][data.concerns[k]] = (float(low), float(high))
    return tuple(spans)


def _positions(rng: np.random.Generator, data: SmaaInput, n_iter: int) -> NDArray[np.float64]:
    """concerns × drugs × iterations scale positions (0 worst, 1 best; not clipped) of the
    measurements sampled from their evidence."""
    import numpy as np

    n_concerns, n_drugs = len(data.concerns), len(data.draws)
    worst, best = np.asarray(data.worst)[:, None], np.asarray(data.best)[:, None]
    low = np.empty((n_concerns, n_drugs))
    high = np.empty((n_concerns, n_drugs))
    groups: dict[str, tuple[list[int], list[int], list[Draw]]] = {}
    modified: list[tuple[int, int, Draw]] = []
    for i, row in enumerate(data.draws):
        for k, d in enumerate(row):
            if d.multipliers and d.kind != "scale":
                low[k, i] = high[k, i] = 0.0
                modified.append((k, i, d))
            elif d.kind == "scale":
                low[k, i], high[k, i] = data.worst[k], data.best[k]
            elif d.kind == "point":
                low[k, i] = high[k, i] = d.a
            elif d.kind == "uniform":
                low[k, i], high[k, i] = d.a, d.b
            else:
                low[k, i] = high[k, i] = 0.0
                ks, ds, cells = groups.setdefault(d.kind, ([], [], []))
                ks.append(k)
                ds.append(i)
                cells.append(d)
    # Fixed cells (points; parametric ones, overwritten below) need no random numbers; uniform
    # cells are sampled directly in scale position (0 = worst, 1 = best).
    pos_low, pos_high = (low - worst) / (best - worst), (high - worst) / (best - worst)
    samples = np.repeat(pos_low[:, :, None], n_iter, axis=2)
    spread = pos_high - pos_low
    u_k, u_d = np.nonzero(spread)
    if len(u_k):
        drawn_u = rng.random((len(u_k), n_iter))
        drawn_u *= spread[u_k, u_d][:, None]
        drawn_u += pos_low[u_k, u_d][:, None]
        samples[u_k, u_d] = drawn_u
    for kind in _PARAMETRIC:
        if kind in groups:
            ks, ds, cells = groups[kind]
            k_idx = np.asarray(ks)
            drawn = _parametric(rng, kind, cells, n_iter)
            samples[k_idx, np.asarray(ds)] = (drawn - worst[k_idx]) / (best - worst)[k_idx]
    for k, i, d in modified:  # a figure times its risk modifiers' ratios, each drawn
        drawn = _in_unit(rng, d, n_iter)
        for multiplier in d.multipliers:
            drawn = drawn * _in_unit(rng, multiplier, n_iter)
        samples[k, i] = (drawn - data.worst[k]) / (data.best[k] - data.worst[k])
    return samples


def _values(data: SmaaInput, samples: NDArray[np.float64]) -> NDArray[np.float64]:
    """Scale positions clipped to the scale and through each concern's value function (in
    place)."""
    import numpy as np

    np.clip(samples, 0.0, 1.0, out=samples)
    for k, positions in enumerate(data.positions):
        if len(positions) > 2:  # piecewise-linear value function; linear ones are the identity
            samples[k] = np.interp(samples[k], positions, data.values[k])
    return samples


def _partial_values(rng: np.random.Generator, data: SmaaInput, n_iter: int) -> NDArray[np.float64]:
    """concerns × drugs × iterations partial values of measurements sampled from their evidence."""
    return _values(data, _positions(rng, data, n_iter))


def _totals(partial: NDArray[np.float64], w: NDArray[np.float64]) -> NDArray[np.float64]:
    """drugs × iterations totals; `w` is concerns × iterations, or one weight per concern."""
    import numpy as np

    if w.ndim == 2 and w.strides[1] == 0:  # the same weights in every iteration
        w = w[:, 0]
    if w.ndim == 1:  # one matrix-vector product (BLAS), several times faster than einsum
        n_concerns, n_drugs, n_iter = partial.shape
        flat = np.ascontiguousarray(partial).reshape(n_concerns, n_drugs * n_iter)
        fixed: NDArray[np.float64] = (w @ flat).reshape(n_drugs, n_iter)
        return fixed
    sampled: NDArray[np.float64] = np.einsum("kdi,ki->di", partial, w)
    return sampled


def run_smaa(
    data: SmaaInput,
    weights: Sequence[float],
    importance: Sequence[float],
    settings: SmaaSettings,
    group: Sequence[int] = (),
    *,
    active: Sequence[bool] | None = None,
) -> SmaaOutcome:
    """Run SMAA-2 (vectorised over iterations) and summarise it per drug; with `group` (drug
    indices), also how often each of them is first among them. Concerns not `active` (not
    relevant to the patient) get weight 0 in every weight mode."""
    import numpy as np

    n_iter, n_drugs = settings.iterations, len(data.draws)
    if n_drugs == 0:
        return SmaaOutcome(acceptability=(), central_weights=(), confidence=())
    rng = np.random.default_rng(settings.seed)
    positions = _positions(rng, data, n_iter)
    spans = _cumulative_spans(data, positions)  # before clipping: figures beyond the scale count
    partial = _values(data, positions)
    mask = np.ones(len(weights), dtype=bool) if active is None else np.asarray(active, dtype=bool)
    w = _sample_weights(
        rng, settings, np.asarray(weights), np.asarray(importance), n_iter, active=mask
    )
    # Exact ties are broken at random by a jitter far below any meaningful difference.
    jitter = rng.random((n_drugs, n_iter)) * TIE_JITTER
    totals = _totals(partial, w) + jitter
    order = np.argsort(-totals.T, axis=1)  # order[it, r]: the drug ranked r+1 in iteration it

    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(n_drugs)[None, :], axis=1)
    cells = (np.arange(n_drugs)[None, :] * n_drugs + ranks).ravel()
    acceptability = np.bincount(cells, minlength=n_drugs * n_drugs).reshape(n_drugs, n_drugs)

    first = order[:, 0]
    wins = np.bincount(first, minlength=n_drugs)
    central = (
        np.stack([np.bincount(first, weights=w_k, minlength=n_drugs) for w_k in w], axis=1)
        / np.maximum(wins, 1)[:, None]
    )
    confidence: list[float | None] = [None] * n_drugs
    winners_all = np.flatnonzero(wins)
    if len(winners_all):  # every winner's totals at its central weights: one matrix product
        flat = np.ascontiguousarray(partial).reshape(len(partial), n_drugs * n_iter)
        at_central = (central[winners_all] @ flat).reshape(-1, n_drugs, n_iter) + jitter
        best = at_central.max(axis=1)
        for row, i in enumerate(winners_all):
            confidence[i] = float(np.mean(at_central[row, i] >= best[row]))

    in_group: tuple[float, ...] = ()
    if group:
        members = np.asarray(group)
        winners = members[np.argmax(totals[members], axis=0)]
        in_group = tuple(float(c) / n_iter for c in np.bincount(winners, minlength=n_drugs))
    return SmaaOutcome(
        first_in_group=in_group,
        acceptability=tuple(tuple(float(c) / n_iter for c in row) for row in acceptability),
        central_weights=tuple(
            dict(zip(data.concerns, (float(x) for x in central[i]), strict=True))
            if wins[i]
            else None
            for i in range(n_drugs)
        ),
        confidence=tuple(confidence),
        cumulative=spans,
    )
