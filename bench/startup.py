"""Start to first full frame, and peak memory: `workbench screenshot` against the bare Textual app.

Both run as fresh subprocesses at the same size, alternated so that drift in machine load hits
both alike; each pair gives one time ratio and one memory ratio. Time is the wall clock from spawn
to exit (the SVG is written just before exit); memory is the child's own peak RSS (`os.wait4`).
Children run with bytecode caching on, as an installed app does (the untimed warm-up pair writes
the caches), even where PYTHONDONTWRITEBYTECODE is set for development.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.measure import Summary
from bench.table import Figure, mebibytes, milliseconds, ratio

SIZE = "120x40"
TIME_TARGET = 1.25
MEMORY_TARGET = 1.3


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float
    max_rss_kib: int


def run_child(command: list[str]) -> Run:
    """Run `command` to completion; its wall time and peak RSS (fails loudly on a non-zero exit)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = code = os.waitstatus_to_exitcode(status)
        if code != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace").strip()
            raise RuntimeError(f"{' '.join(command)} exited {code}: {message}")
    return Run(seconds, usage.ru_maxrss)


def commands(folder: Path) -> tuple[list[str], list[str]]:
    """The workbench and the bare-app screenshot commands, writing into `folder`."""
    python = sys.executable
    workbench = [python, "-m", "workbench.cli.main", "screenshot", str(folder / "workbench.svg")]
    bare = [python, "-m", "bench.bare_app", str(folder / "bare.svg")]
    return [*workbench, "--size", SIZE], [*bare, "--size", SIZE]


def measure(pairs: int = 7) -> list[Figure]:
    """Alternate the two apps `pairs` times (one untimed warm-up pair first, for the disk cache)."""
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as folder:
        workbench_command, bare_command = commands(Path(folder))
        run_child(workbench_command)
        run_child(bare_command)
        workbench: list[Run] = []
        bare: list[Run] = []
        for _ in range(pairs):
            workbench.append(run_child(workbench_command))
            bare.append(run_child(bare_command))
    time_ratios = [w.seconds / b.seconds for w, b in zip(workbench, bare, strict=True)]
    memory_ratios = [w.max_rss_kib / b.max_rss_kib for w, b in zip(workbench, bare, strict=True)]
    on = f"{SIZE}, {pairs} alternated pairs"
    return [
        Figure(
            "start to first frame, workbench/bare", Summary.of(time_ratios), ratio, TIME_TARGET, on
        ),
        Figure(
            "  workbench screenshot",
            Summary.of([r.seconds for r in workbench]),
            milliseconds,
            note="bundled profiles",
        ),
        Figure(
            "  bare Textual app",
            Summary.of([r.seconds for r in bare]),
            milliseconds,
            note="DataTable, 20 rows",
        ),
        Figure(
            "peak memory, workbench/bare",
            Summary.of(memory_ratios),
            ratio,
            MEMORY_TARGET,
            "max RSS per child",
        ),
        Figure(
            "  workbench screenshot",
            Summary.of([float(r.max_rss_kib) for r in workbench]),
            mebibytes,
        ),
        Figure("  bare Textual app", Summary.of([float(r.max_rss_kib) for r in bare]), mebibytes),
    ]
