"""SMAA: 10,000 iterations × 20 drugs × 6 concerns, timed through the engine's `score`.

The 20 profiles are generated from the bundled ones, whose six concerns are all real (no copied
concern is needed since disability progression was added), so the figure measures the full
`score(prepared, importance, smaa)` call as the app and CLI make it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.generate import generate
from bench.measure import Summary, time_calls
from bench.table import Figure, milliseconds
from workbench.engine.context import PatientContext
from workbench.engine.evaluate import prepare, score
from workbench.engine.smaa_settings import SmaaSettings
from workbench.engine.weights import preset_importance
from workbench.profiles.loader import load_library

TARGET = 0.050


def measure(
    iterations: int = 10_000, drugs: int = 20, concerns: int = 6, repeat: int = 15
) -> list[Figure]:
    """Median time of one SMAA-scored evaluation (weights fixed: the app's default mode)."""
    with tempfile.TemporaryDirectory(prefix="bench-smaa-") as folder:
        generate(Path(folder), drugs, concerns=concerns)
        library = load_library(Path(folder))
    if library.errors or len(library.criteria) != concerns:
        raise RuntimeError(f"generated SMAA library is not as expected: {library.errors[:1]}")
    prepared = prepare(library, None, PatientContext())
    importance = preset_importance(library, library.presets[0].id)
    settings = SmaaSettings(iterations=iterations, seed=1, weight_mode="fixed")
    samples = time_calls(lambda: score(prepared, importance, settings), repeat, warmup=2)
    on = f"{iterations:,} it. × {drugs} drugs × {concerns} concerns, {repeat} runs"
    return [Figure("SMAA score", Summary.of(samples), milliseconds, TARGET, on)]
