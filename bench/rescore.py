"""A full re-score after one weight change: `score(prepared, importance)` for 20 drugs.

This is the engine's share of a weight key press (the context stage, `prepare`, is not repeated).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.generate import bundled_plus
from bench.measure import Summary, time_calls
from bench.table import Figure, milliseconds
from workbench.engine.context import PatientContext
from workbench.engine.evaluate import prepare, score
from workbench.engine.weights import preset_importance
from workbench.profiles.loader import load_library

TARGET = 0.001


def measure(drugs: int = 20, repeat: int = 200) -> list[Figure]:
    """Median time of `score` with one importance changed between calls."""
    with tempfile.TemporaryDirectory(prefix="bench-rescore-") as folder:
        bundled = bundled_plus(Path(folder), drugs)
        library = load_library(Path(folder))
    prepared = prepare(library, None, PatientContext())
    importance = preset_importance(library, library.presets[0].id)
    concern = library.criteria[0].id
    variants = [{**importance, concern: float(points)} for points in range(1, 11)]
    calls = iter(range(10**9))

    def rescore() -> object:
        return score(prepared, variants[next(calls) % len(variants)])

    samples = time_calls(rescore, repeat, warmup=20)
    on = f"{drugs} drugs ({bundled} bundled), {repeat} runs"
    return [
        Figure("re-score after one weight change", Summary.of(samples), milliseconds, TARGET, on)
    ]
