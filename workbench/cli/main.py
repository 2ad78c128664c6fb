"""`workbench` entry point: with no sub-command it starts the app; otherwise it dispatches.

Sub-command modules import their heavy dependencies inside `run`, so `workbench validate` and
`workbench compare` never import textual.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from workbench import __version__

COMMANDS: tuple[str, ...] = (
    "app",
    "validate",
    "schema",
    "list",
    "compare",
    "screenshot",
    "serve",
)
"""Sub-command names; each maps to `workbench.cli.cmd_<name>` exposing `register` and `run`."""


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"workbench.cli.cmd_{name}")


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (used by `main` and by the tests)."""
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Benefit-risk workbench for MS disease-modifying therapies (decision support).",
    )
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        _module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["app"])
    try:
        code: int = _module(args.command).run(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`workbench list | head`): not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return code


if __name__ == "__main__":
    raise SystemExit(main())
