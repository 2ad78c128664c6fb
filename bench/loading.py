"""Loading and validating profiles against raw TOML parsing of the same files, and its growth.

Raw parsing is the floor: reading each file and `tomli.loads`. Loading is the real
`load_library` (read, guards, parse, strict pydantic validation, cross-field rules, line mapping),
cold: without the profile cache. Also, the warm-cache load of the bundled profiles (records rebuilt
from the cached JSON data, no pydantic) against the cold one.
Also, informational: the compiled `tomli` against the stdlib's pure-Python `tomllib`.
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import tomli

from bench.generate import generate
from bench.measure import Summary, time_calls
from bench.table import Figure, milliseconds, ratio
from workbench.profiles.file_result import CRITERIA_FILE, PRESETS_FILE
from workbench.profiles.loader import load_library
from workbench.profiles.paths import bundled_profiles_dir

RATIO_TARGET = 1.5
GROWTH_TARGET = 1.5
"""Linear growth: the per-file time at the largest size at most this times that at the smallest."""


def _toml_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.toml"))


def parse_all(paths: Sequence[Path], loads: Callable[[str], dict[str, Any]] = tomli.loads) -> None:
    """Read and parse every file (the raw-parsing floor)."""
    for path in paths:
        loads(path.read_bytes().decode("utf-8"))


def _load(folder: Path, *, use_cache: bool = False) -> Callable[[], object]:
    def call() -> object:
        library = load_library(folder, use_cache=use_cache)
        if library.errors:
            raise RuntimeError(f"generated profiles have errors: {library.errors[0]}")
        return library

    return call


def load_versus_parse(count: int, repeat: int) -> list[Figure]:
    """Load + validate `count` generated profiles, against raw parsing; pairs alternate."""
    with tempfile.TemporaryDirectory(prefix="bench-load-") as folder:
        root = Path(folder)
        generate(root, count)
        files = _toml_files(root)
        load = _load(root)
        parse_all(files)
        load()
        loads: list[float] = []
        parses: list[float] = []
        for _ in range(repeat):
            parses.extend(time_calls(lambda: parse_all(files), 1, warmup=0))
            loads.extend(time_calls(load, 1, warmup=0))
    ratios = [lo / pa for lo, pa in zip(loads, parses, strict=True)]
    on = f"{count:,} generated profiles, {repeat} runs"
    return [
        Figure(
            f"load+validate / raw TOML parse, {count:,} (cold, without the cache)",
            Summary.of(ratios),
            ratio,
            RATIO_TARGET,
            on,
        ),
        Figure("  load + validate", Summary.of(loads), milliseconds),
        Figure("  raw TOML parse (tomli)", Summary.of(parses), milliseconds),
    ]


def growth(sizes: Sequence[int], repeat: int) -> list[Figure]:
    """Per-file load + validate time at each size; the last row compares largest with smallest."""
    figures: list[Figure] = []
    per_file: dict[int, Summary] = {}
    with tempfile.TemporaryDirectory(prefix="bench-growth-") as folder:
        for size in sizes:
            root = Path(folder) / str(size)
            generate(root, size)
            samples = [t / size for t in time_calls(_load(root), repeat)]
            per_file[size] = Summary.of(samples)
            figures.append(
                Figure(
                    f"  load + validate per file, {size:,}",
                    per_file[size],
                    milliseconds,
                    note=f"{repeat} runs",
                )
            )
    smallest, largest = per_file[sizes[0]], per_file[sizes[-1]]
    scaling = Summary(
        largest.median / smallest.median,
        largest.q1 / smallest.q3,
        largest.q3 / smallest.q1,
        min(largest.count, smallest.count),
    )
    figures.insert(
        0,
        Figure(
            f"per-file load time, {sizes[-1]:,} / {sizes[0]:,} files",
            scaling,
            ratio,
            GROWTH_TARGET,
            "linear growth = 1.00×",
        ),
    )
    return figures


def tomli_versus_tomllib(repeat: int) -> list[Figure]:
    """Informational: parse time of the bundled profiles with stdlib `tomllib` over `tomli`."""
    files = [
        path
        for path in _toml_files(bundled_profiles_dir())
        if path.name not in (CRITERIA_FILE, PRESETS_FILE)
    ]
    pairs = [
        (
            time_calls(lambda: parse_all(files, tomllib.loads), 1)[0],
            time_calls(lambda: parse_all(files, tomli.loads), 1)[0],
        )
        for _ in range(repeat)
    ]
    on = f"{len(files)} bundled profiles, {repeat} runs"
    return [
        Figure("tomllib / tomli parse time", Summary.of([a / b for a, b in pairs]), ratio, note=on),
        Figure("  tomli (compiled)", Summary.of([b for _, b in pairs]), milliseconds),
        Figure("  tomllib (stdlib)", Summary.of([a for a, _ in pairs]), milliseconds),
    ]


def warm_cache(repeat: int) -> list[Figure]:
    """The bundled profiles loaded from a warm profile cache, against a full validation."""
    root = bundled_profiles_dir()
    saved = os.environ.get("WORKBENCH_CACHE_DIR")
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as folder:
        os.environ["WORKBENCH_CACHE_DIR"] = folder
        try:
            warm_load = _load(root, use_cache=True)
            warm_load()
            pairs = [
                (time_calls(warm_load, 1, warmup=0)[0], time_calls(_load(root), 1, warmup=0)[0])
                for _ in range(repeat)
            ]
        finally:
            if saved is None:
                os.environ.pop("WORKBENCH_CACHE_DIR", None)
            else:
                os.environ["WORKBENCH_CACHE_DIR"] = saved
    on = f"bundled profiles, {repeat} runs"
    return [
        Figure(
            "warm-cache load / full validation",
            Summary.of([w / c for w, c in pairs]),
            ratio,
            note=on,
        ),
        Figure("  warm-cache load", Summary.of([w for w, _ in pairs]), milliseconds),
        Figure("  full validation (no cache)", Summary.of([c for _, c in pairs]), milliseconds),
    ]
