"""`workbench screenshot FILE.svg`: render the real app headless, press keys, save an SVG, exit."""

from __future__ import annotations

import argparse
import io
import re
import sys
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.cli.profiles_option import add_profiles_option
from workbench.text import clean_line

if TYPE_CHECKING:
    from textual.app import App
    from textual.pilot import Pilot


def _size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d+)x(\d+)", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"size must look like 120x40, got {text!r}")
    width, height = int(match[1]), int(match[2])
    if not (20 <= width <= 500 and 10 <= height <= 200):
        raise argparse.ArgumentTypeError("size must be between 20x10 and 500x200")
    return width, height


def _keys(text: str) -> list[str]:
    return [key.strip() for key in text.split(",") if key.strip()]


def register(parser: argparse.ArgumentParser) -> None:
    """The arguments of the sub-command (main adds its parser with its one-line help)."""
    parser.description = (
        "Start the app headless on the profiles, press KEYS, save the screen as SVG."
    )
    parser.add_argument("file", type=Path, metavar="FILE.svg")
    parser.add_argument("--size", type=_size, default=(120, 40), metavar="WxH")
    parser.add_argument(
        "--press",
        type=_keys,
        default=[],
        metavar="KEYS",
        help="comma-separated Textual key names, e.g. 'w,right,right' or 'slash,n,a,t'",
    )
    parser.add_argument("--theme", default=None, metavar="NAME", help="e.g. textual-light")
    add_profiles_option(parser)
    parser.add_argument(
        "--case", type=Path, default=None, metavar="FILE", help="open a saved case first"
    )


READY_TIMEOUT = 30.0
"""Seconds a screenshot waits for its `ready` condition before it is taken anyway."""


def take_screenshot(
    app: App[Any],
    size: tuple[int, int],
    press: Sequence[str] = (),
    *,
    ready: Callable[[App[Any]], bool] | None = None,
) -> str:
    """Run `app` headless at `size`, press `press`, wait until idle (and until `ready` holds,
    e.g. the SMAA run shown) and return the screen as SVG."""

    async def pilot(driver: Pilot[Any]) -> None:
        await driver.pause()
        await driver.press(*press)
        await driver.app.workers.wait_for_complete()
        waited = 0.0
        while ready is not None and not ready(driver.app) and waited < READY_TIMEOUT:
            await driver.pause(0.1)
            await driver.app.workers.wait_for_complete()
            waited += 0.1
        await driver.wait_for_scheduled_animations()
        await driver.pause()
        driver.app.exit(screen_svg(driver.app))

    svg = app.run(headless=True, size=size, auto_pilot=pilot)
    if not isinstance(svg, str):
        raise RuntimeError("the app exited before the screenshot was taken")
    return svg


def screen_svg(app: App[Any]) -> str:
    """The screen as SVG, drawn as `App.export_screenshot` draws it. Only the SVG's id (the prefix
    of its CSS classes, unique per picture) is hashed from the screen's styled text instead of
    Rich's hash of every segment's repr, which costs more than the rest of the export on a dense
    screen (~10 of ~20 ms for the workbench's first screen)."""
    from rich.console import Console

    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    title = app.title
    styled = console.export_text(styles=True, clear=False) + title
    unique_id = f"terminal-{zlib.adler32(styled.encode('utf-8', 'ignore'))}"
    return console.export_svg(title=title, unique_id=unique_id)


def run(args: argparse.Namespace) -> int:
    from workbench.app.long_lived import long_lived

    with long_lived():
        from workbench.app.factory import create_app
        from workbench.case_error import CaseFileError
        from workbench.engine.weights import WeightError

        try:
            app = create_app(args.profiles, cursor_blink=False, case=args.case)
        except (CaseFileError, WeightError) as error:
            print(
                f"workbench screenshot: case not opened: {clean_line(str(error))}", file=sys.stderr
            )
            return 2
    if args.theme is not None and args.theme not in app.available_themes:
        print(
            f"workbench screenshot: unknown theme {args.theme!r}; "
            f"valid: {', '.join(sorted(app.available_themes))}"
        )
        return 2
    if args.theme is not None:
        app.theme = args.theme
    if not args.file.parent.is_dir():
        print(
            f"workbench screenshot: error: {clean_line(str(args.file.parent))}: no such folder",
            file=sys.stderr,
        )
        return 1
    svg = take_screenshot(app, args.size, args.press)
    from workbench.atomic import write_atomic

    write_atomic(args.file, svg)
    print(clean_line(str(args.file)))
    return 0
