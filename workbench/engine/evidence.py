"""From a profile figure (a value, or counts) to a number in the concern's unit, its interval and
the distribution SMAA samples it from.

- `value` is in the concern's unit. `ci_low`/`ci_high` make its interval a 95% CI (SMAA: a
  log-normal fitted to the CI when both ends are > 0, else a normal; see `fitted_draw`);
  `low`/`high` make it a published range (SMAA: uniform); otherwise it has no interval (SMAA: the
  value itself).
- `events` with `patient_years` is a rate: events / exposure × `rate_per`, with Garwood's exact
  interval (SMAA: Gamma(events + ½, exposure), the Jeffreys posterior).
- `events` with `patients` is a proportion. On a percent concern it is 100 × events / patients; on
  a per-year concern it is converted to a rate assuming a constant hazard over the follow-up,
  −ln(1 − p) / follow_up_years × `rate_per` ("converted"), with the Clopper–Pearson interval
  carried through the same monotone conversion (SMAA: Beta(events + ½, patients − events + ½),
  converted the same way).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from workbench.engine.intervals import clopper_pearson, garwood
from workbench.profiles.records import Criterion, Figure
from workbench.profiles.vocabulary import IntervalKind

Z95 = 1.959963984540054
"""The standard normal 97.5% quantile."""

DrawKind = Literal["point", "uniform", "beta", "gamma", "lognormal", "normal", "scale"]


@dataclass(frozen=True, slots=True)
class Draw:
    """How SMAA samples one figure, in the concern's unit.

    point: `a`; uniform: between `a` and `b`; beta: Beta(a, b) of a proportion; gamma:
    Gamma(shape a, rate b) of a rate per patient-year; lognormal/normal: parameters (a, b) =
    (mu, sigma); scale: anywhere on the concern's scale (no data). A drawn proportion or rate is
    multiplied by `factor`; with `years` a proportion is first converted to a rate over that
    follow-up (constant hazard).
    """

    kind: DrawKind
    a: float = 0.0
    b: float = 0.0
    factor: float = 1.0
    years: float | None = None


NO_DATA_DRAW = Draw("scale")


@dataclass(frozen=True, slots=True)
class Derived:
    """One figure in the concern's unit, with what its bounds mean and how SMAA samples it."""

    value: float
    low: float | None
    high: float | None
    interval_kind: IntervalKind
    converted: bool
    """A proportion over a follow-up, converted to a rate per patient-year."""
    draw: Draw


def has_figure(figure: Figure) -> bool:
    """Whether the figure gives a number (a value or counts)."""
    return figure.value is not None or figure.events is not None


def _hazard(p: float, years: float, factor: float) -> float:
    return -math.log1p(-p) / years * factor if p < 1.0 else math.inf


def fitted_draw(value: float, low: float, high: float) -> Draw:
    """A distribution fitted to a published 95% CI: log-normal when both ends are > 0 (ratios,
    rates and percentages are skewed), else normal; sigma from the CI's width."""
    if low > 0.0 and value > 0.0:
        return Draw("lognormal", math.log(value), (math.log(high) - math.log(low)) / (2 * Z95))
    return Draw("normal", value, (high - low) / (2 * Z95))


def _from_value(figure: Figure, value: float) -> Derived:
    if figure.ci_low is not None and figure.ci_high is not None:
        lo, hi = figure.ci_low, figure.ci_high
        return Derived(value, lo, hi, "ci95", False, fitted_draw(value, lo, hi))
    if figure.low is not None or figure.high is not None:
        lo = value if figure.low is None else figure.low
        hi = value if figure.high is None else figure.high
        return Derived(value, lo, hi, "published-range", False, Draw("uniform", lo, hi))
    return Derived(value, None, None, "none", False, Draw("point", value))


def _from_rate(criterion: Criterion, events: int, exposure: float) -> Derived:
    factor = criterion.rate_per or 1.0
    lo, hi = garwood(events, exposure)
    return Derived(
        events / exposure * factor,
        lo * factor,
        hi * factor,
        "ci95",
        False,
        Draw("gamma", events + 0.5, exposure, factor),
    )


def _from_proportion(criterion: Criterion, events: int, n: int, years: float | None) -> Derived:
    lo, hi = clopper_pearson(events, n)
    draw = Draw("beta", events + 0.5, n - events + 0.5)
    p = events / n
    if criterion.per_year and years is not None:
        factor = criterion.rate_per or 1.0
        return Derived(
            _hazard(p, years, factor),
            _hazard(lo, years, factor),
            _hazard(hi, years, factor),
            "ci95",
            True,
            Draw(draw.kind, draw.a, draw.b, factor, years),
        )
    return Derived(100 * p, 100 * lo, 100 * hi, "ci95", False, Draw("beta", draw.a, draw.b, 100.0))


def derive(criterion: Criterion, figure: Figure) -> Derived | None:
    """The figure in `criterion`'s unit (None when it gives no number). Assumes a validated figure:
    counts and value are not both given, and counts fit the concern (see the rules)."""
    if figure.value is not None:
        return _from_value(figure, figure.value)
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
