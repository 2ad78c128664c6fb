"""`workbench app [--profiles DIR] [--case FILE]` (and plain `workbench`): start the app."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from workbench.cli.profiles_option import add_profiles_option, profiles_arg_ok
from workbench.text import clean_line

PARENT_ENV = "WORKBENCH_SERVE_PID"
"""Set by `workbench serve` to its pid (`workbench.cli.teaching_server.PARENT_ENV`)."""
_PR_SET_PDEATHSIG = 1


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
    parser.add_argument(
        "--served",
        action="store_true",
        help="as `workbench serve` runs it: notes and cases are downloads, no file is read or "
        "written by a typed path",
    )
    parser.add_argument(
        "--cases",
        type=Path,
        default=None,
        metavar="DIR",
        help="with --served: the read-only folder of teaching cases that can be opened",
    )


def run(args: argparse.Namespace) -> int:
    profiles: Path | None = args.profiles
    if not profiles_arg_ok("app", profiles):
        return 2
    if args.served:
        _die_with_server()
    from workbench.app.long_lived import long_lived

    with long_lived():
        from workbench.app.factory import create_app
        from workbench.app.served import Served
        from workbench.case_error import CaseFileError
        from workbench.engine.weights import WeightError

        try:
            served = Served(args.cases) if args.served else None
            app = create_app(profiles, case=args.case, served=served)
        except (CaseFileError, WeightError) as error:
            print(f"workbench app: case not opened: {clean_line(str(error))}", file=sys.stderr)
            return 2
    if sys.stdin.isatty():  # under `make run` no hang-up signal may reach the app
        app.watch_terminal(sys.stdin.fileno())
    app.run()
    return 0


def _die_with_server() -> None:
    """Under `workbench serve`, end with the server even when it is killed (Linux: the kernel
    sends SIGTERM when the parent dies; elsewhere the server's own reaping has to do)."""
    parent = os.environ.get(PARENT_ENV)
    if not parent or not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
    except (OSError, AttributeError):
        return
    if str(os.getppid()) != parent:  # the server died before the request took effect
        raise SystemExit(1)
