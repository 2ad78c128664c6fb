"""SMAA-2: rank acceptabilities, central weights and confidence factors by Monte Carlo simulation.

Each iteration samples every measurement from its evidence (`workbench.engine.evidence.Draw`):
proportions from counts from Beta(events + ½, n − events + ½), rates from Gamma(events + ½,
exposure), a published CI from a log-normal (or normal) fitted to it, a published range, a
horizon average or a stratum range uniformly, a figure without bounds as itself and no data over
the whole scale. It then applies the concern's value function, samples weights (fixed, uniform on
the simplex, or uniformly within ±spread importance points of the user's importances) and ranks the
drugs. Exact ties are broken at random, so acceptabilities sum to 1 per drug and per rank. numpy is
imported only here, and only when SMAA runs.

For speed, each figure's draws are sampled and valued as one contiguous row while it is in the CPU
cache, and the products over the iterations run on cache-sized chunks of them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from workbench.engine.evidence import Draw
from workbench.engine.result import Cumulative
from workbench.engine.smaa_settings import SmaaInput, SmaaOutcome, SmaaSettings
from workbench.profiles.vocabulary import IMPORTANCE_MAX, IMPORTANCE_MIN

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray


CUMULATIVE_DRAWS = 2_000
"""Draws the cumulative intervals are read from: enough for a 2.5–97.5% span, cheap to sort."""


TIE_JITTER = 1e-12
"""Random jitter added to totals so exact ties split acceptability evenly."""


CHUNK_NUMBERS = 2**17
"""Numbers (1 MiB of float64) the products over the iterations work on at a time: they stay in
the CPU cache."""


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


def _parametric(rng: np.random.Generator, d: Draw, out: NDArray[np.float64]) -> None:
    """Samples (in the concern's unit) of a parametric draw, written into the row `out`."""
    import numpy as np

    if d.kind == "beta":
        out[...] = rng.beta(d.a, d.b, out.shape)
        years = d.years or 0.0
        if years > 0.0:  # a proportion over the follow-up as a rate per year (constant hazard)
            np.minimum(out, 1.0 - 1e-12, out=out)
            np.negative(out, out=out)
            np.log1p(out, out=out)
            np.negative(out, out=out)
            out /= years
    elif d.kind == "gamma":
        rng.standard_gamma(d.a, out=out)
        out *= 1.0 / d.b
    else:  # normal, and log-normal or a reduction from a log ratio
        rng.standard_normal(out=out)
        out *= d.b
        out += d.a
        if d.kind != "normal":
            np.exp(out, out=out)
        if d.kind == "reduction":
            np.subtract(1.0, out, out=out)
            out *= 100.0
    if d.factor != 1.0:
        out *= d.factor


_PARAMETRIC = ("beta", "gamma", "lognormal", "normal", "reduction")


def _in_unit(rng: np.random.Generator, d: Draw, out: NDArray[np.float64]) -> None:
    """Samples of one draw in its own unit (a point, uniform or parametric; not `scale`),
    written into the row `out`."""
    if d.kind == "point":
        out.fill(d.a)
    elif d.kind == "uniform":
        rng.random(out=out)
        out *= d.b - d.a
        out += d.a
    else:
        _parametric(rng, d, out)


def _cumulative_cells(data: SmaaInput) -> list[tuple[int, int, Cumulative]]:
    """(drug, concern, how) of every sampled per-year figure whose risk over the horizon is
    asked for."""
    return [
        (i, k, spec)
        for i, row in enumerate(data.cumulative)
        for k, spec in enumerate(row)
        if spec is not None and data.draws[i][k].kind not in ("point", "scale")
    ]


def _cumulative_spans(
    data: SmaaInput, cells: Sequence[tuple[int, int, Cumulative]], positions: NDArray[np.float64]
) -> tuple[dict[str, tuple[float, float]], ...]:
    """Per drug: the 2.5–97.5% span of the risk over the horizon across the draws of each of
    `cells` (`positions`: their unclipped scale positions, a row per cell), all cells at once."""
    import numpy as np

    spans: list[dict[str, tuple[float, float]]] = [{} for _ in data.draws]
    if not cells:
        return tuple(spans)
    n = positions.shape[1]
    ks = np.array([k for _, k, _ in cells])
    worst, best = np.asarray(data.worst)[ks, None], np.asarray(data.best)[ks, None]
    per = np.array([spec.per for _, _, spec in cells])[:, None]
    years = np.array([spec.months / 12 for _, _, spec in cells])[:, None]
    annual = np.array([spec.method == "annual-risks" for _, _, spec in cells])[:, None]
    # The risk over the horizon grows with the figure: the span's ends are the risks at the
    # figure's own quantiles, read off the sorted positions (from the end where it is higher).
    ranks = np.array([int(0.025 * (n - 1)), int(np.ceil(0.975 * (n - 1)))])
    ordered = np.sort(positions, axis=1)
    at = np.where(best < worst, n - 1 - ranks, ranks)
    picked = np.take_along_axis(ordered, at, axis=1)
    rate = np.maximum(worst + picked * (best - worst), 0.0) / per
    hazard = np.where(annual, -np.log1p(-np.minimum(rate, 1.0 - 1e-12)), rate)
    risk = -np.expm1(-hazard * years) * per
    for (i, k, _), (low, high) in zip(cells, risk, strict=True):
        spans[i][data.concerns[k]] = (float(low), float(high))
    return tuple(spans)


def _positions(
    rng: np.random.Generator, data: SmaaInput, samples: NDArray[np.float64]
) -> Iterator[tuple[int, int, bool]]:
    """Fill `samples` (concerns × drugs × iterations) with the scale positions (0 worst, 1 best;
    not clipped) of the measurements sampled from their evidence, one contiguous row per cell;
    yield (concern, drug, whether the row is constant) as each row is written."""
    import numpy as np

    worst, best = np.asarray(data.worst)[:, None], np.asarray(data.best)[:, None]
    low = np.zeros(samples.shape[:2])
    high = np.zeros(samples.shape[:2])
    drawn = np.zeros(samples.shape[:2], dtype=bool)  # parametric or modified: sampled below
    groups: dict[str, list[tuple[int, int, Draw]]] = {}
    modified: list[tuple[int, int, Draw]] = []
    for i, row in enumerate(data.draws):
        for k, d in enumerate(row):
            if d.multipliers and d.kind != "scale":
                drawn[k, i] = True
                modified.append((k, i, d))
            elif d.kind == "scale":
                low[k, i], high[k, i] = data.worst[k], data.best[k]
            elif d.kind == "point":
                low[k, i] = high[k, i] = d.a
            elif d.kind == "uniform":
                low[k, i], high[k, i] = d.a, d.b
            else:
                drawn[k, i] = True
                groups.setdefault(d.kind, []).append((k, i, d))
    # Fixed cells (points) need no random numbers; uniform cells are sampled directly in scale
    # position (0 = worst, 1 = best); the others in their unit, then placed on the scale.
    pos_low, pos_high = (low - worst) / (best - worst), (high - worst) / (best - worst)
    spread = pos_high - pos_low
    for k, i in zip(*np.nonzero(~drawn & (spread == 0.0)), strict=True):
        samples[k, i].fill(pos_low[k, i])
        yield k, i, True
    for k, i in zip(*np.nonzero(~drawn & (spread != 0.0)), strict=True):
        rng.random(out=samples[k, i])
        samples[k, i] *= spread[k, i]
        samples[k, i] += pos_low[k, i]
        yield k, i, False
    factor = np.empty(samples.shape[2])
    for k, i, d in [c for kind in _PARAMETRIC for c in groups.get(kind, ())] + modified:
        _in_unit(rng, d, samples[k, i])
        for multiplier in d.multipliers:  # a figure times its risk modifiers' ratios, each drawn
            _in_unit(rng, multiplier, factor)
            samples[k, i] *= factor
        samples[k, i] -= data.worst[k]
        samples[k, i] /= data.best[k] - data.worst[k]
        yield k, i, False


def _value(positions: Sequence[float], values: Sequence[float], row: NDArray[np.float64]) -> None:
    """Scale positions clipped to the scale and through the concern's value function, in
    place."""
    import numpy as np

    if len(positions) <= 2 or positions[0] < 0.0 or positions[-1] > 1.0:
        np.clip(row, 0.0, 1.0, out=row)  # else np.interp clamps as the clip would
    if len(positions) > 2:  # piecewise-linear; a linear value function is the identity
        row[...] = np.interp(row, positions, values)


def _partial_values(
    rng: np.random.Generator,
    data: SmaaInput,
    samples: NDArray[np.float64],
    keep: Sequence[tuple[int, int]] = (),
) -> NDArray[np.float64]:
    """Fill `samples` (concerns × drugs × iterations) with the partial values of measurements
    sampled from their evidence, each row through its value function as soon as it is drawn
    (while it is in the CPU cache). Returns the unclipped scale positions of the first
    `CUMULATIVE_DRAWS` iterations of the cells `keep` ((drug, concern) pairs), a row each."""
    import numpy as np

    kept = np.empty((len(keep), min(samples.shape[2], CUMULATIVE_DRAWS)))
    where = {cell: c for c, cell in enumerate(keep)}
    for k, i, constant in _positions(rng, data, samples):
        row = samples[k, i]
        if (i, k) in where:
            kept[where[i, k]] = row[: kept.shape[1]]
        if constant:  # one value for the whole row
            _value(data.positions[k], data.values[k], row[:1])
            row.fill(row[0])
        else:
            _value(data.positions[k], data.values[k], row)
    return kept


def _chunks(n_iter: int, per_iteration: int) -> list[slice]:
    """Iteration ranges whose working set (`per_iteration` numbers each) fits the CPU cache, so
    each product and reduction over them stays small: memory is read once, and BLAS does not
    spread a small product over threads (which, on a busy machine, waits for a core)."""
    width = max(1, CHUNK_NUMBERS // max(per_iteration, 1))
    return [slice(start, min(start + width, n_iter)) for start in range(0, n_iter, width)]


def _totals(partial: NDArray[np.float64], w: NDArray[np.float64]) -> NDArray[np.float64]:
    """drugs × iterations totals of `partial` (concerns × drugs × iterations); `w` is
    concerns × iterations, or one weight per concern."""
    import numpy as np

    n_concerns, n_drugs, n_iter = partial.shape
    totals = np.empty((n_drugs, n_iter))
    for part in _chunks(n_iter, n_drugs * (n_concerns + 1)):
        by_drug = partial[:, :, part].transpose(1, 0, 2)  # drugs × concerns × iterations
        if w.ndim == 1:  # a matrix-vector product per drug (BLAS)
            np.matmul(w, by_drug, out=totals[:, part])
        else:
            np.einsum("dki,ki->di", by_drug, w[:, part], out=totals[:, part])
    return totals


def _confidence(
    partial: NDArray[np.float64], central: NDArray[np.float64], winners: NDArray[np.intp]
) -> NDArray[np.float64]:
    """Per winner: the share of iterations in which it is first at its own central weights
    (`central`: winners × concerns; `partial`: concerns × drugs × iterations)."""
    import numpy as np

    n_concerns, n_drugs, n_iter = partial.shape
    hits = np.zeros(len(winners), dtype=np.int64)
    among = np.arange(len(winners))
    for part in _chunks(n_iter, n_drugs * (len(winners) + n_concerns)):
        # all winners' totals at once: drugs × winners × iterations, one small product per drug
        at_central = np.matmul(central, partial[:, :, part].transpose(1, 0, 2))
        best = at_central.max(axis=0)
        hits += np.count_nonzero(at_central[winners, among] >= best, axis=1)
    shares: NDArray[np.float64] = hits / n_iter
    return shares


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
    n_concerns = len(data.concerns)
    # The partial values and, as one more concern of weight 1, the tie-breaking jitter: every
    # total (at the sampled weights and at each winner's central weights) includes it.
    partial = np.empty((n_concerns + 1, n_drugs, n_iter))
    cells = _cumulative_cells(data)
    positions = _partial_values(rng, data, partial[:n_concerns], [(i, k) for i, k, _ in cells])
    spans = _cumulative_spans(data, cells, positions)  # unclipped: beyond the scale counts
    mask = np.ones(len(weights), dtype=bool) if active is None else np.asarray(active, dtype=bool)
    w = _sample_weights(
        rng, settings, np.asarray(weights), np.asarray(importance), n_iter, active=mask
    )
    # Exact ties are broken at random by a jitter far below any meaningful difference.
    jitter = partial[n_concerns]
    rng.random(out=jitter)
    jitter *= TIE_JITTER
    with_jitter = (
        np.append(w[:, 0], 1.0) if w.strides[1] == 0 else np.vstack([w, np.ones((1, n_iter))])
    )
    totals = _totals(partial, with_jitter)
    order = np.argsort(-totals.T, axis=1)  # order[it, r]: the drug ranked r+1 in iteration it

    first = order[:, 0].copy()
    order *= n_drugs  # order[it, r] → the cell (drug, rank r+1) of the acceptability matrix
    order += np.arange(n_drugs)
    acceptability = np.bincount(order.ravel(), minlength=n_drugs * n_drugs).reshape(
        n_drugs, n_drugs
    )
    wins = np.bincount(first, minlength=n_drugs)
    winners_all = np.flatnonzero(wins)
    if w.strides[1] == 0:  # the same weights in every iteration: they are every winner's central
        central = np.tile(w[:, 0], (n_drugs, 1))  # weights, and at them it is first as often as
        shares = wins[winners_all] / n_iter  # it was: its confidence is its first-rank share
    else:  # each winner's totals at its central weights (and the same jitter)
        central = (
            np.stack([np.bincount(first, weights=w_k, minlength=n_drugs) for w_k in w], axis=1)
            / np.maximum(wins, 1)[:, None]
        )
        at_central = np.hstack([central[winners_all], np.ones((len(winners_all), 1))])
        shares = _confidence(partial, at_central, winners_all)
    confidence: list[float | None] = [None] * n_drugs
    for i, share in zip(winners_all, shares, strict=True):
        confidence[i] = float(share)

    in_group: tuple[float, ...] = ()
    if group:
        winners = np.full(n_iter, group[0])
        best_total = totals[group[0]].copy()
        for member in group[1:]:  # a later member wins only if strictly ahead
            ahead = totals[member] > best_total
            winners[ahead] = member
            np.copyto(best_total, totals[member], where=ahead)
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
