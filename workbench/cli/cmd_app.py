"""`workbench app [--profiles DIR] [--case FILE]` (and plain `workbench`): start the app."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.cli.profiles_option import add_profiles_option, profiles_arg_ok


def register(parser: argparse.ArgumentParser) -> None:
    """The arguments of the sub-command (main adds its parser with its one-line help)."""
    parser.description = (
        "Start the workbench app. Profiles with problems are left out and listed "
        "on its problems screen (key p); r reloads them from disk."
    )
    add_profiles_option(parser)
    parser.add_argument(
        "--case",
        type=Path,
        default=None,
        metavar="FILE",
        help="open a saved case (drugs, weights, context) before the first frame",
    )


def run(args: argparse.Namespace) -> int:
    profiles: Path | None = args.profiles
    if not profiles_arg_ok("app", profiles):
        return 2
    from workbench.app.long_lived import long_lived

    with long_lived():
        from workbench.app.factory import create_app
        from workbench.case_error import CaseFileError
        from workbench.engine.weights import WeightError

        try:
            app = create_app(profiles, case=args.case)
        except (CaseFileError, WeightError) as error:
            print(f"workbench app: case not opened: {error}")
            return 2
    app.run()
    return 0
