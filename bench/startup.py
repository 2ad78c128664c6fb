"""Start to first full frame, and peak memory: `workbench screenshot` against the bare Textual app.

Both run as fresh subprocesses at the same size, alternated so that drift in machine load hits
both alike; each pair gives one time ratio and one memory ratio. Time is the wall clock from spawn
to exit (the SVG is written just before exit); memory is the child's own peak RSS (`os.wait4`).
Children run with bytecode caching on, as an installed app does (the untimed warm-up pair writes
the caches), even where PYTHONDONTWRITEBYTECODE is set for development.

Wall-clock ratios are noisy on shared machines, so where valgrind is installed the same two
commands are also run once each under callgrind: the ratio of executed instructions is repeatable
run to run. It is reported, not held to the target (which is on the wall clock): under valgrind,
tens of times slower, the table's SMAA run, debounced 0.3 s after the first frame, starts before
the screenshot is taken, so the count includes it and numpy's import; a normal start exits
before that run begins.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.measure import Summary
from bench.table import Figure, giga_instructions, mebibytes, milliseconds, ratio

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


_COLLECTED = re.compile(rb"Collected\s*:\s*(\d+)")


def instructions(command: list[str]) -> int:
    """Instructions executed by `command` (callgrind's total; fails loudly if it cannot run)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    valgrind = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    done = subprocess.run(
        [*valgrind, *command],
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    found = _COLLECTED.search(done.stderr)
    if done.returncode != 0 or found is None:
        message = done.stderr.decode(errors="replace").strip()[-500:]
        raise RuntimeError(f"callgrind of {' '.join(command)} failed: {message}")
    return int(found.group(1))


def instruction_figures(folder: Path) -> list[Figure]:
    """One callgrind run of each app (deterministic): their instruction counts and ratio; none
    where valgrind is not installed."""
    if shutil.which("valgrind") is None:
        return []
    workbench_command, bare_command = commands(folder)
    workbench, bare = instructions(workbench_command), instructions(bare_command)
    return [
        Figure(
            "start-up instructions, workbench/bare",
            Summary.of([workbench / bare]),
            ratio,
            note="callgrind, one run each; SMAA run included",
        ),
        Figure("  workbench screenshot", Summary.of([float(workbench)]), giga_instructions),
        Figure("  bare Textual app", Summary.of([float(bare)]), giga_instructions),
    ]


def commands(folder: Path) -> tuple[list[str], list[str]]:
    """The workbench and the bare-app screenshot commands, writing into `folder`."""
    python = sys.executable
    workbench = [python, "-m", "workbench.cli.main", "screenshot", str(folder / "workbench.svg")]
    bare = [python, "-m", "bench.bare_app", str(folder / "bare.svg")]
    return [*workbench, "--size", SIZE], [*bare, "--size", SIZE]


def measure(pairs: int = 7, *, count_instructions: bool = True) -> list[Figure]:
    """Alternate the two apps `pairs` times (one untimed warm-up pair first, for the disk cache);
    then, with `count_instructions` and valgrind installed, count their instructions once each."""
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as folder:
        workbench_command, bare_command = commands(Path(folder))
        run_child(workbench_command)
        run_child(bare_command)
        workbench: list[Run] = []
        bare: list[Run] = []
        for _ in range(pairs):
            workbench.append(run_child(workbench_command))
            bare.append(run_child(bare_command))
        counted = instruction_figures(Path(folder)) if count_instructions else []
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
        *counted,
    ]
