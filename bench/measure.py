"""Timing and summary statistics shared by the figures: medians with their interquartile range."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Summary:
    """Median and interquartile range (q1–q3) of repeated measurements."""

    median: float
    q1: float
    q3: float
    count: int

    @classmethod
    def of(cls, samples: Sequence[float]) -> Summary:
        """Summarise at least one sample (the quartiles of a single sample are the sample)."""
        if not samples:
            raise ValueError("no samples to summarise")
        if len(samples) == 1:
            return cls(samples[0], samples[0], samples[0], 1)
        q1, median, q3 = statistics.quantiles(samples, n=4, method="inclusive")
        return cls(median, q1, q3, len(samples))


def time_calls(call: Callable[[], object], repeat: int, *, warmup: int = 1) -> list[float]:
    """Wall-clock seconds of `repeat` calls of `call`, after `warmup` untimed calls.

    Each call's result is freed after its time is taken: what is measured is the time until the
    result is in hand, not the freeing of the previous one (a loaded library is kept, not freed).
    """
    for _ in range(warmup):
        call()
    samples: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        samples.append(time.perf_counter() - start)
        del result
    return samples
