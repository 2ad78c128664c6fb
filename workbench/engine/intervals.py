"""Exact 95% intervals from counts: Clopper–Pearson for proportions, Garwood for Poisson rates.

Both come from quantiles of the beta and gamma distributions, computed here from the regularized
incomplete beta and gamma functions (continued fractions, as in Numerical Recipes §6.2–6.4) and
inverted by safeguarded Newton steps to full double precision. No scipy at run time; the tests
compare these functions with scipy.stats over a grid of counts.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache

ALPHA = 0.05
"""Two-sided error rate of every interval (95% intervals)."""

_EPS = 1e-15
_TINY = 1e-300
_MAX_TERMS = 10_000


def _beta_fraction(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, _MAX_TERMS):
        m2 = 2 * m
        for numerator in (
            m * (b - m) * x / ((qam + m2) * (a + m2)),
            -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + numerator / c
            c = c if abs(c) > _TINY else _TINY
            h *= d * c
        if abs(d * c - 1.0) < _EPS:
            break
    return h


def beta_cdf(x: float, a: float, b: float) -> float:
    """Regularized incomplete beta I_x(a, b): the CDF of Beta(a, b) at x."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, 1.0 - x) / b


def gamma_cdf(x: float, shape: float) -> float:
    """Regularized lower incomplete gamma P(shape, x): the CDF of Gamma(shape, 1) at x."""
    if x <= 0.0:
        return 0.0
    log_front = shape * math.log(x) - x - math.lgamma(shape)
    if x < shape + 1.0:  # series
        term = total = 1.0 / shape
        n = shape
        for _ in range(_MAX_TERMS):
            n += 1.0
            term *= x / n
            total += term
            if abs(term) < abs(total) * _EPS:
                break
        return total * math.exp(log_front)
    # continued fraction for the upper tail (modified Lentz)
    b = x + 1.0 - shape
    c, d = 1.0 / _TINY, 1.0 / b
    h = d
    for i in range(1, _MAX_TERMS):
        an = -i * (i - shape)
        b += 2.0
        d = an * d + b
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = b + an / c
        c = c if abs(c) > _TINY else _TINY
        h *= d * c
        if abs(d * c - 1.0) < _EPS:
            break
    return 1.0 - math.exp(log_front) * h


_RELATIVE_TOLERANCE = 1e-13


def _invert(
    cdf: Callable[[float], float],
    pdf: Callable[[float], float],
    p: float,
    lo: float,
    hi: float,
    *,
    start: float,
) -> float:
    """The x in [lo, hi] with cdf(x) = p (cdf increasing): Newton steps from `start` kept inside
    a shrinking bracket, bisection whenever a step would leave it."""
    x = start if lo < start < hi else 0.5 * (lo + hi)
    for _ in range(200):
        error = cdf(x) - p
        if error < 0:
            lo = x
        else:
            hi = x
        slope = pdf(x)
        step = x - error / slope if slope > 0 else math.nan
        following = step if lo < step < hi else 0.5 * (lo + hi)
        if abs(following - x) <= _RELATIVE_TOLERANCE * max(abs(x), 1e-300) or following in (lo, hi):
            return following
        x = following
    return x


def beta_pdf(x: float, a: float, b: float) -> float:
    """The density of Beta(a, b) at x (0 < x < 1)."""
    if not 0.0 < x < 1.0:
        return 0.0
    log = (a - 1) * math.log(x) + (b - 1) * math.log1p(-x)
    return math.exp(log + math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b))


def gamma_pdf(x: float, shape: float) -> float:
    """The density of Gamma(shape, 1) at x > 0."""
    if x <= 0.0:
        return 0.0
    return math.exp((shape - 1) * math.log(x) - x - math.lgamma(shape))


def beta_ppf(p: float, a: float, b: float) -> float:
    """The p-quantile of Beta(a, b) (Newton steps from the mean)."""
    mean = a / (a + b)
    return _invert(
        lambda x: beta_cdf(x, a, b), lambda x: beta_pdf(x, a, b), p, 0.0, 1.0, start=mean
    )


def gamma_ppf(p: float, shape: float) -> float:
    """The p-quantile of Gamma(shape, 1)."""
    hi = max(1.0, shape)
    while gamma_cdf(hi, shape) < p:
        hi *= 2.0
    return _invert(
        lambda x: gamma_cdf(x, shape), lambda x: gamma_pdf(x, shape), p, 0.0, hi, start=shape
    )


@lru_cache(maxsize=4096)
def clopper_pearson(events: int, n: int) -> tuple[float, float]:
    """Exact 95% interval of a proportion events/n (0 events: lower 0; n events: upper 1)."""
    if not 0 <= events <= n or n <= 0:
        raise ValueError(f"need 0 ≤ events ≤ n and n > 0, got {events}/{n}")
    low = 0.0 if events == 0 else beta_ppf(ALPHA / 2, events, n - events + 1)
    high = 1.0 if events == n else beta_ppf(1 - ALPHA / 2, events + 1, n - events)
    return low, high


@lru_cache(maxsize=4096)
def garwood(events: int, exposure: float) -> tuple[float, float]:
    """Exact 95% interval of a Poisson rate events/exposure (0 events: lower 0)."""
    if events < 0 or exposure <= 0:
        raise ValueError(f"need events ≥ 0 and exposure > 0, got {events}/{exposure}")
    low = 0.0 if events == 0 else gamma_ppf(ALPHA / 2, events)
    high = gamma_ppf(1 - ALPHA / 2, events + 1)
    return low / exposure, high / exposure
