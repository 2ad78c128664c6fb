"""`python -m bench [--quick]`: measure every figure and print one table.

Exit status 0 whether or not the targets are met (a missed target shows FAIL in the table); 1 only
when a measurement itself could not run. `--quick` uses tiny sizes to check that everything runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from bench import keypress, loading, rescore, smaa, startup
from bench.table import Figure, render


@dataclass(frozen=True, slots=True)
class Sizes:
    startup_pairs: int
    presses: int
    compared: int
    generated_compared: int
    load_count: int
    load_repeat: int
    growth_sizes: tuple[int, ...]
    growth_repeat: int
    parse_repeat: int
    smaa_iterations: int
    smaa_repeat: int
    rescore_repeat: int
    count_instructions: bool


FULL = Sizes(7, 40, 20, 200, 1000, 7, (100, 1000, 5000), 3, 20, 10_000, 15, 300, True)
QUICK = Sizes(1, 2, 3, 5, 10, 1, (5, 10), 1, 1, 100, 1, 3, False)


def figures(sizes: Sizes) -> list[tuple[str, Callable[[], list[Figure]]]]:
    """Each measurement, by name, in the order they run and are shown."""
    return [
        (
            "start-up",
            lambda: startup.measure(
                sizes.startup_pairs, count_instructions=sizes.count_instructions
            ),
        ),
        (
            "key press",
            lambda: keypress.measure(
                sizes.presses,
                sizes.compared,
                sizes.generated_compared,
                count_instructions=sizes.count_instructions,
            ),
        ),
        ("loading", lambda: loading.load_versus_parse(sizes.load_count, sizes.load_repeat)),
        ("growth", lambda: loading.growth(sizes.growth_sizes, sizes.growth_repeat)),
        ("TOML parsers", lambda: loading.tomli_versus_tomllib(sizes.parse_repeat)),
        ("profile cache", lambda: loading.warm_cache(sizes.parse_repeat)),
        (
            "SMAA",
            lambda: smaa.measure(sizes.smaa_iterations, sizes.compared, repeat=sizes.smaa_repeat),
        ),
        ("re-score", lambda: rescore.measure(sizes.compared, sizes.rescore_repeat)),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes: check that all runs")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    print(
        f"workbench bench · Python {platform.python_version()} · {os.cpu_count()} CPUs · "
        f"load average {load:.2f} at start",
        flush=True,
    )
    rows: list[Figure] = []
    failed = False
    for name, measure in figures(QUICK if args.quick else FULL):
        start = time.perf_counter()
        print(f"measuring {name} …", file=sys.stderr, flush=True)
        try:
            rows.extend(measure())
        except Exception as error:  # report and go on: one broken figure must not hide the rest
            print(f"bench: {name} could not be measured: {error!r}", file=sys.stderr)
            failed = True
        print(f"  {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    print(render(rows))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
