"""Weight key press → updated comparison table, driven through Textual's Pilot.

The importance slider of the first concern is focused and `right`/`left` pressed alternately (each
press changes one importance, so every total changes). One sample is the time from posting the key
event until the table shows the new total, every message this caused has been handled and the
screen's next frame is composed (that frame renders every visible table line). `Pilot.press` is not
used for timing: it sleeps at least 2 × 20 ms waiting for the process to look idle.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.generate import bundled_plus, generate
from bench.measure import Summary
from bench.table import Figure, milliseconds

if TYPE_CHECKING:
    from textual.app import App

SIZE = (160, 50)
TARGET_20 = 0.016
TARGET_200 = 0.050
TIMEOUT = 10.0


async def settle(app: App[Any]) -> None:
    """Yield to the event loop until no message pump of the app and its screen has a message
    waiting, twice in a row. (Cheaper than Pilot's own wait, which posts to every widget and
    costs ~4 ms by itself.)"""
    quiet = 0
    while quiet < 2:
        await asyncio.sleep(0)
        pumps = [app, app.screen, *app.screen.walk_children()]
        quiet = quiet + 1 if all(pump.message_queue_size == 0 for pump in pumps) else 0


async def press_times(profiles: Path, presses: int) -> list[float]:
    """Seconds per weight key press with every profile of `profiles` compared."""
    from textual import events

    from workbench.app.factory import create_app
    from workbench.app.widgets.comparison import TOTAL, ComparisonTable
    from workbench.app.widgets.weights import WeightSlider

    app = create_app(profiles, cursor_blink=False)
    samples: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
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


def measure(presses: int = 40, bundled_count: int = 20, generated_count: int = 200) -> list[Figure]:
    """Key press figures for `bundled_count` (bundled, topped up) and `generated_count` drugs."""
    with tempfile.TemporaryDirectory(prefix="bench-keys-") as folder:
        small, large = Path(folder) / "small", Path(folder) / "large"
        bundled = bundled_plus(small, bundled_count)
        generate(large, generated_count)
        small_times = asyncio.run(press_times(small, presses))
        large_times = asyncio.run(press_times(large, presses))
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
            "weight key → table, 200 drugs",
            Summary.of(large_times),
            milliseconds,
            TARGET_200,
            f"{generated_count} generated, {presses} presses",
        ),
    ]
