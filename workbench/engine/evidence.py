"""From a profile figure (a value, or counts) to a number in the concern's unit, its interval and
the distribution SMAA samples it from.

- `value` is in the concern's unit. `ci_low`/`ci_high` make its interval a 95% CI (SMAA: a
  log-normal fitted to the CI when both ends are > 0, else a normal; see `fitted_draw`);
  `low`/`high` make it a published range (SMAA: uniform); otherwise it has no interval (SMAA: the
  value itself).
- `events` with `patient_years` is a rate: events / exposure × `rate_per`, with Garwood's exact
  interval (SMAA: Gamma(events + ½, exposure), the Jeffreys posterior).
- `hazard_ratio` (a relative-reduction concern) is scored as 100 × (1 − HR); its 95% CI becomes
  the interval the same way (SMAA: log HR normal, fitted to the CI).
- An `indirect` (Bucher) estimate without a value is derived from its legs: ratio = contrast ×
  anchor; with both legs' CIs the log ratios' variances add (SMAA: log ratio normal).
- `events` with `patients` is a proportion. On a percent concern it is 100 × events / patients; on
  a per-year concern it is converted to a rate assuming a constant hazard over the follow-up,
  −ln(1 − p) / follow_up_years × `rate_per` ("converted"), with the Clopper–Pearson interval
  carried through the same monotone conversion (SMAA: Beta(events + ½, patients − events + ½),
  converted the same way).
"""

from __future__ import annotations

import math
from typing import Literal

from workbench.engine.intervals import clopper_pearson, garwood
from workbench.profiles.records import Criterion, Figure, IndirectEstimate
from workbench.profiles.vocabulary import IntervalKind
from workbench.record import Record

Z95 = 1.959963984540054
"""The standard normal 97.5% quantile."""

DrawKind = Literal["point", "uniform", "beta", "gamma", "lognormal", "normal", "reduction", "scale"]


class Draw(Record):
    """How SMAA samples one figure, in the concern's unit.

    point: `a`; uniform: between `a` and `b`; reduction: 100 × (1 − exp(N(a, b))), a relative
    reduction from a log ratio; beta: Beta(a, b) of a proportion; gamma:
    Gamma(shape a, rate b) of a rate per patient-year; lognormal/normal: parameters (a, b) =
    (mu, sigma); scale: anywhere on the concern's scale (no data). A drawn proportion or rate is
    multiplied by `factor`; with `years` a proportion is first converted to a rate over that
    follow-up (constant hazard). Each of `multipliers` (a risk modifier's ratio, itself a point,
    uniform or log-normal draw) multiplies the drawn figure.
    """

    kind: DrawKind
    a: float = 0.0
    b: float = 0.0
    factor: float = 1.0
    years: float | None = None
    multipliers: tuple[Draw, ...] = ()


NO_DATA_DRAW = Draw(kind="scale")


class Derived(Record):
    """One figure in the concern's unit, with what its bounds mean and how SMAA samples it."""

    value: float
    low: float | None
    high: float | None
    interval_kind: IntervalKind
    converted: bool
    """A proportion over a follow-up, converted to a rate per patient-year."""
    draw: Draw


def _log_sigma(low: float | None, high: float | None) -> float | None:
    if low is None or high is None:
        return None
    return (math.log(high) - math.log(low)) / (2 * Z95)


def _point(value: float) -> Derived:
    """A figure without an interval: sampled as the point itself."""
    return Derived(
        value=value,
        low=None,
        high=None,
        interval_kind="none",
        converted=False,
        draw=Draw(kind="point", a=value),
    )


def _from_ratio(
    ratio: float, sigma: float | None, ends: tuple[float, float] | None = None
) -> Derived:
    """A relative reduction 100 × (1 − ratio), with the interval of a log-normal ratio (its
    published `ends` when given, kept as they are)."""
    value = 100 * (1 - ratio)
    if sigma is None:
        return _point(value)
    mu = math.log(ratio)
    low, high = ends or (math.exp(mu - Z95 * sigma), math.exp(mu + Z95 * sigma))
    return Derived(
        value=value,
        low=100 * (1 - high),
        high=100 * (1 - low),
        interval_kind="ci95",
        converted=False,
        draw=Draw(kind="reduction", a=mu, b=sigma),
    )


def bucher(indirect: IndirectEstimate) -> tuple[float, float | None]:
    """The vs-placebo ratio of a Bucher estimate and its log-scale sigma (None without both CIs)."""
    ratio = indirect.contrast_rate_ratio * indirect.anchor_rate_ratio
    legs = (
        _log_sigma(indirect.contrast_ci_low, indirect.contrast_ci_high),
        _log_sigma(indirect.anchor_ci_low, indirect.anchor_ci_high),
    )
    if legs[0] is None or legs[1] is None:
        return ratio, None
    return ratio, math.hypot(legs[0], legs[1])


def _hazard(p: float, years: float, factor: float) -> float:
    return -math.log1p(-p) / years * factor if p < 1.0 else math.inf


def fitted_draw(value: float, low: float, high: float) -> Draw:
    """A distribution fitted to a published 95% CI: log-normal when both ends are > 0 (ratios,
    rates and percentages are skewed), else normal; sigma from the CI's width."""
    if low > 0.0 and value > 0.0:
        return Draw(
            kind="lognormal", a=math.log(value), b=(math.log(high) - math.log(low)) / (2 * Z95)
        )
    return Draw(kind="normal", a=value, b=(high - low) / (2 * Z95))


def _from_value(figure: Figure, value: float) -> Derived:
    if figure.ci_low is not None and figure.ci_high is not None:
        lo, hi = figure.ci_low, figure.ci_high
        return Derived(
            value=value,
            low=lo,
            high=hi,
            interval_kind="ci95",
            converted=False,
            draw=fitted_draw(value, lo, hi),
        )
    if figure.low is not None or figure.high is not None:
        lo = value if figure.low is None else figure.low
        hi = value if figure.high is None else figure.high
        return Derived(
            value=value,
            low=lo,
            high=hi,
            interval_kind="published-range",
            converted=False,
            draw=Draw(kind="uniform", a=lo, b=hi),
        )
    return _point(value)


def _from_rate(criterion: Criterion, events: int, exposure: float) -> Derived:
    factor = criterion.rate_per or 1.0
    lo, hi = garwood(events, exposure)
    return Derived(
        value=events / exposure * factor,
        low=lo * factor,
        high=hi * factor,
        interval_kind="ci95",
        converted=False,
        draw=Draw(kind="gamma", a=events + 0.5, b=exposure, factor=factor),
    )


def _from_proportion(criterion: Criterion, events: int, n: int, years: float | None) -> Derived:
    lo, hi = clopper_pearson(events, n)
    draw = Draw(kind="beta", a=events + 0.5, b=n - events + 0.5)
    p = events / n
    if criterion.per_year and years is not None:
        factor = criterion.rate_per or 1.0
        return Derived(
            value=_hazard(p, years, factor),
            low=_hazard(lo, years, factor),
            high=_hazard(hi, years, factor),
            interval_kind="ci95",
            converted=True,
            draw=Draw(kind=draw.kind, a=draw.a, b=draw.b, factor=factor, years=years),
        )
    return Derived(
        value=100 * p,
        low=100 * lo,
        high=100 * hi,
        interval_kind="ci95",
        converted=False,
        draw=Draw(kind="beta", a=draw.a, b=draw.b, factor=100.0),
    )


def derive(
    criterion: Criterion, figure: Figure, indirect: IndirectEstimate | None = None
) -> Derived | None:
    """The figure in `criterion`'s unit (None when it gives no number). Assumes a validated figure:
    counts and value are not both given, and counts fit the concern (see the rules)."""
    if figure.value is not None:
        return _from_value(figure, figure.value)
    if figure.hazard_ratio is not None:
        low, high = figure.hr_ci_low, figure.hr_ci_high
        ends = None if low is None or high is None else (low, high)
        return _from_ratio(figure.hazard_ratio, _log_sigma(low, high), ends)
    if indirect is not None:
        return _from_ratio(*bucher(indirect))
    if figure.events is None:
        return None
    if figure.patient_years is not None:
        return _from_rate(criterion, figure.events, figure.patient_years)
    if figure.patients is not None:
        return _from_proportion(criterion, figure.events, figure.patients, figure.follow_up_years)
    return None


def mover_difference(a: Derived, b: Derived) -> tuple[float, float | None, float | None]:
    """a − b with its 95% interval by MOVER (Zou & Donner 2008) from the two intervals; no
    interval unless both figures carry a 95% CI."""
    d = a.value - b.value
    if a.interval_kind != "ci95" or b.interval_kind != "ci95":
        return d, None, None
    if a.low is None or a.high is None or b.low is None or b.high is None:
        return d, None, None
    low = d - math.sqrt((a.value - a.low) ** 2 + (b.high - b.value) ** 2)
    high = d + math.sqrt((a.high - a.value) ** 2 + (b.value - b.low) ** 2)
    return d, low, high
