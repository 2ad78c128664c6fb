"""The `--profiles DIR` option of the commands that start the app (app, serve, screenshot), and
the check every command makes of a profiles folder before loading it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_profiles_option(parser: argparse.ArgumentParser) -> None:
    """Add `--profiles DIR` (default: the bundled profiles)."""
    parser.add_argument(
        "--profiles",
        type=Path,
        default=None,
        metavar="DIR",
        help="profiles directory (default: the bundled profiles)",
    )


def profiles_arg_ok(command: str, profiles: Path | None) -> bool:
    """False (and one line on stderr) when `--profiles` names something that is not a folder."""
    if profiles is None or profiles.is_dir():
        return True
    print(f"workbench {command}: {profiles}: not a directory", file=sys.stderr)
    return False


def folder_usable(command: str, root: Path) -> bool:
    """False (and why, one line on stderr) when the profiles folder `root` cannot be used."""
    from workbench.profiles.paths import profiles_dir_problem
    from workbench.text import clean_line

    problem = profiles_dir_problem(root)
    if problem is not None:
        print(f"workbench {command}: error: {clean_line(problem)}", file=sys.stderr)
    return problem is None
