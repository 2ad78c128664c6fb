"""The `--profiles DIR` option of the commands that start the app (app, serve, screenshot)."""

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
