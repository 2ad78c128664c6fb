"""Weight key press → updated comparison table, driven through Textual's Pilot.

The importance slider of the first concern is focused and `right`/`left` pressed alternately (each
press changes one importance, so every total changes). One sample is the time from posting the key
event until the table shows the new total, every message this caused has been handled and the
screen's next frame is composed (that frame renders every table line that changed). `Pilot.press`
is not used for timing: it sleeps at least 2 × 20 ms waiting for the process to look idle.

Each app is started as `workbench app` starts it (`long_lived`: the objects built at start-up
are exempt from the cyclic collector), so a full collection costs what it costs in the app and
not what the earlier runs of the same process left behind.

Where valgrind is installed, the 20-drug press is also counted in instructions (repeatable run to
run, unlike the wall clock on a shared machine): `python -m bench.keypress DIR N` presses N times,
and two runs with different N under callgrind give the count per press, start-up and exit
cancelling out. That child starts the app as `workbench app` does (start-up objects exempt from
the cyclic collector), and holds the table's SMAA run off: it starts 0.3 s after the last change,
which at full speed the next press always beats, but under valgrind's slowdown it would not.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.generate import bundled_plus, generate
from bench.measure import Summary
from bench.startup import instructions
from bench.table import Figure, mega_instructions, milliseconds

if TYPE_CHECKING:
    from textual.app import App

    from workbench.app.app import WorkbenchApp

SIZE = (160, 50)
TARGET_20 = 0.016
TARGET_200 = 0.050
TIMEOUT = 10.0
COUNTED_PRESSES = (3, 13)
"""The two press counts whose instruction difference gives the count per press."""


async def settle(app: App[Any]) -> None:
    """Yield to the event loop until no message pump of the app and its screen has a message
    waiting, twice in a row. (Cheaper than Pilot's own wait, which posts to every widget and
    costs ~4 ms by itself.)"""
    quiet = 0
    while quiet < 2:
        await asyncio.sleep(0)
        pumps = [app, app.screen, *app.screen.walk_children()]
        quiet = quiet + 1 if all(pump.message_queue_size == 0 for pump in pumps) else 0


async def press_times(profiles: Path, presses: int, *, bars: bool = False) -> list[float]:
    """Seconds per weight key press with every profile of `profiles` compared (with `bars`, the
    contribution bars shown under the table); the app is started as `workbench app` starts it."""
    from workbench.app.long_lived import long_lived

    with long_lived():  # start-up objects exempt from the cyclic collector, as in the app
        from workbench.app.factory import create_app

        app = create_app(profiles, cursor_blink=False)
    return await app_press_times(app, presses, bars=bars)


async def app_press_times(app: WorkbenchApp, presses: int, *, bars: bool = False) -> list[float]:
    """Seconds per weight key press in `app` (run headless at SIZE; `bars`: with the
    contribution bars on screen)."""
    from textual import events

    from workbench.app.widgets.comparison import TOTAL, ComparisonTable
    from workbench.app.widgets.weights import WeightSlider

    samples: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        if bars:
            app.main.action_toggle_bars()
        app.main.action_panel("weights")
        await pilot.pause()
        app.query(WeightSlider).first().focus()
        await pilot.pause()
        table = app.query_one(ComparisonTable)
        drug = app.workbench.selected[0]
        for index in range(presses + 1):
            before = table.cell_text(TOTAL, drug).plain
            start = time.perf_counter()
            app.post_message(events.Key("right" if index % 2 == 0 else "left", None))
            while table.cell_text(TOTAL, drug).plain == before:
                if time.perf_counter() - start > TIMEOUT:
                    raise RuntimeError("the weight key press did not change the table")
                await asyncio.sleep(0)
            await settle(app)  # every message the change caused is handled
            app.screen._on_timer_update()  # and the frame composed, as Pilot.pause() does
            elapsed = time.perf_counter() - start
            await pilot.pause()
            if index:  # the first press warms caches up
                samples.append(elapsed)
    return samples


def instructions_per_press(profiles: Path) -> float:
    """Instructions of one weight key press on `profiles` (callgrind; valgrind must be there)."""
    few, many = (
        instructions([sys.executable, "-m", "bench.keypress", str(profiles), str(count)])
        for count in COUNTED_PRESSES
    )
    return (many - few) / (COUNTED_PRESSES[1] - COUNTED_PRESSES[0])


def measure(
    presses: int = 40,
    bundled_count: int = 20,
    generated_count: int = 200,
    *,
    count_instructions: bool = True,
) -> list[Figure]:
    """Key press figures for `bundled_count` (bundled, topped up) and `generated_count` drugs;
    with `count_instructions` and valgrind installed, also the instructions per press on the
    first."""
    with tempfile.TemporaryDirectory(prefix="bench-keys-") as folder:
        small, large = Path(folder) / "small", Path(folder) / "large"
        bundled = bundled_plus(small, bundled_count)
        generate(large, generated_count)
        small_times = asyncio.run(press_times(small, presses))
        bars_times = asyncio.run(press_times(small, presses, bars=True))
        large_times = asyncio.run(press_times(large, presses))
        counted = (
            [
                Figure(
                    "  instructions per press, 20 drugs",
                    Summary.of([instructions_per_press(small)]),
                    mega_instructions,
                    note=f"callgrind, {COUNTED_PRESSES[1]} − {COUNTED_PRESSES[0]} presses",
                )
            ]
            if count_instructions and shutil.which("valgrind") is not None
            else []
        )
    topped = bundled_count - bundled
    on_small = f"{bundled_count} drugs ({bundled} bundled" + (
        f" + {topped} generated)" if topped else ")"
    )
    return [
        Figure(
            "weight key → table, 20 drugs",
            Summary.of(small_times),
            milliseconds,
            TARGET_20,
            f"{on_small}, {presses} presses",
        ),
        Figure(
            "weight key → table + contribution bars, 20 drugs",
            Summary.of(bars_times),
            milliseconds,
            TARGET_20,
            f"{on_small}, bars shown (B), {presses} presses",
        ),
        *counted,
        Figure(
            "weight key → table, 200 drugs",
            Summary.of(large_times),
            milliseconds,
            TARGET_200,
            f"{generated_count} generated, {presses} presses",
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    """Press the weight key N times on the profiles in DIR, SMAA held off (the counted child)."""
    parser = argparse.ArgumentParser(prog="python -m bench.keypress")
    parser.add_argument("profiles", type=Path, metavar="DIR")
    parser.add_argument("presses", type=int, metavar="N")
    args = parser.parse_args(argv)
    from workbench.app.long_lived import long_lived

    with long_lived():  # started as `workbench app` starts: a full collection skips start-up
        from workbench.app.factory import create_app
        from workbench.app.screens import main as main_screen

        main_screen.SMAA_DELAY = 3600.0
        app = create_app(args.profiles, cursor_blink=False)
    asyncio.run(app_press_times(app, args.presses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
