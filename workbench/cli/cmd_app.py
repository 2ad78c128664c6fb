"""`workbench app [--profiles DIR] [--case FILE]` (and plain `workbench`): start the app."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "app",
        help="start the terminal app (the default)",
        description="Start the workbench app. Profiles with problems are left out and listed "
        "on its problems screen (key p); r reloads them from disk.",
    )
    parser.add_argument(
        "--profiles",
        type=Path,
        default=None,
        metavar="DIR",
        help="profiles directory (default: the bundled profiles)",
    )
    parser.add_argument(
        "--case",
        type=Path,
        default=None,
        metavar="FILE",
        help="open a saved case (drugs, weights, context) before the first frame",
    )


def run(args: argparse.Namespace) -> int:
    profiles: Path | None = args.profiles
    if profiles is not None and not profiles.is_dir():
        print(f"workbench app: {profiles}: not a directory")
        return 2
    from workbench.app.long_lived import long_lived

    with long_lived():
        from workbench.app.factory import create_app
        from workbench.engine.weights import WeightError
        from workbench.session import CaseFileError

        try:
            app = create_app(profiles, case=args.case)
        except (CaseFileError, WeightError) as error:
            print(f"workbench app: case not opened: {error}")
            return 2
    app.run()
    return 0
