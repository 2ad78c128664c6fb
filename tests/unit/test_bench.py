"""Smoke test of `make bench`: every figure runs at tiny sizes and the table renders (timings are
not checked here; `make bench` measures them)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import tomli
import tomli_w

from bench.__main__ import QUICK, figures
from bench.generate import bundled_plus, generate
from bench.table import render
from workbench.profiles.loader import load_library
from workbench.profiles.paths import bundled_profiles_dir


def test_generated_profiles_are_valid_and_varied(tmp_path: Path) -> None:
    bases = len(load_library(bundled_profiles_dir()).profiles)
    generate(tmp_path, bases + 1, concerns=6)
    library = load_library(tmp_path)
    assert library.problems == ()
    assert len(library.profiles) == bases + 1
    assert len(library.criteria) == 6
    first, again = library.profiles[0], library.profiles[bases]  # derived from the same profile
    assert first.id != again.id
    assert first.name != again.name
    assert first.measurements.keys() == again.measurements.keys()
    assert first.measurements != again.measurements


def test_bundled_plus_tops_up_to_the_count(tmp_path: Path) -> None:
    bundled = bundled_plus(tmp_path, 25)
    library = load_library(tmp_path)
    assert library.errors == ()
    assert len(library.profiles) == 25
    assert bundled < 25


def test_generated_documents_round_trip_through_the_toml_writer() -> None:
    document = {
        "a": 'x\x7f\x1b[/]"\n',
        "day": dt.date(2025, 1, 31),
        "t": {"k": [1, 2.5, True]},
        "arr": [{"b": {"c": 1}}],
    }
    assert tomli.loads(tomli_w.dumps(document)) == document


def test_every_figure_runs_at_tiny_sizes() -> None:
    rows = [row for _, measure in figures(QUICK) for row in measure()]
    names = [row.name for row in rows]
    assert any(name.startswith("start to first frame") for name in names)
    assert any(name.startswith("SMAA") for name in names)
    table = render(rows)
    assert len(table.splitlines()) == len(rows) + 2
