"""`workbench list [PATH]`: the loaded profiles as an aligned table (id, name, class, review)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from workbench.cli.profiles_option import folder_usable

HEADERS = ("id", "name", "class", "last reviewed")


def register(parser: argparse.ArgumentParser) -> None:
    """The arguments of the sub-command (main adds its parser with its one-line help)."""
    parser.description = (
        "List the drug profiles of a profiles directory (default: the bundled one)."
    )
    parser.add_argument("path", nargs="?", type=Path, metavar="PATH")


def run(args: argparse.Namespace) -> int:
    from workbench.profiles.loader import load_library
    from workbench.profiles.paths import bundled_profiles_dir
    from workbench.text import clean_line

    root: Path = args.path or bundled_profiles_dir()
    if not folder_usable("list", root):
        return 1
    library = load_library(root)
    rows = [
        (
            profile.id,
            clean_line(profile.name),
            clean_line(profile.drug_class),
            str(profile.last_reviewed),
        )
        for profile in library.profiles
    ]
    bold = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    print(format_table(HEADERS, rows, bold_header=bold))
    errors = len(library.errors)
    if errors:
        noun = "error" if errors == 1 else "errors"
        print(
            f"{errors} {noun}: files with errors are not listed (run `workbench validate`)",
            file=sys.stderr,
        )
    return 0


def format_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], *, bold_header: bool = False
) -> str:
    """Left-aligned columns separated by two spaces, without trailing spaces."""
    widths = [max(len(row[column]) for row in [headers, *rows]) for column in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.ljust(width) for cell, width in zip(cells, widths, strict=True)
        ).rstrip()

    head = line(headers)
    if bold_header:
        head = f"\x1b[1m{head}\x1b[0m"
    return "\n".join([head, *(line(row) for row in rows)])
