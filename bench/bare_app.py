"""The baseline for the start-up and memory figures: a bare Textual app with a 20-row DataTable.

Run as `python -m bench.bare_app OUT.svg [--size WxH]`; it renders headless and saves the screen as
SVG exactly as `workbench screenshot` does (same `take_screenshot`), so the two differ only in what
workbench itself loads and shows.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import DataTable

from workbench.cli.cmd_screenshot import take_screenshot

ROWS = 20
COLUMNS = 6


class BareApp(App[object]):
    """One DataTable filling the screen: ROWS rows of COLUMNS short numbers."""

    def compose(self) -> ComposeResult:
        yield DataTable[str]()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*(f"column {c}" for c in range(COLUMNS)))
        for row in range(ROWS):
            table.add_row(*(f"{row}.{c}" for c in range(COLUMNS)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bare_app")
    parser.add_argument("file", type=Path)
    parser.add_argument("--size", default="120x40", metavar="WxH")
    args = parser.parse_args(argv)
    width, _, height = args.size.partition("x")
    svg = take_screenshot(BareApp(), (int(width), int(height)))
    args.file.write_text(svg, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
