"""`workbench` entry point: with no sub-command it starts the app; otherwise it dispatches.

Only the invoked sub-command's module is imported and its arguments registered (the others are
listed with their one-line help), and sub-command modules import their heavy dependencies inside
`run`, so `workbench validate` and `workbench compare` never import textual, and a start pays for
no other command's parser.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn

from workbench import __version__

COMMANDS: dict[str, str] = {
    "app": "start the terminal app (the default)",
    "validate": "check profile files and report every problem",
    "schema": "print the JSON Schema of a file format",
    "list": "list the profiles that load cleanly",
    "compare": "compare drugs for one patient context (no app)",
    "calendar": "dated monitoring schedule of one drug (text or .ics)",
    "screenshot": "render the app headless to an SVG file",
    "serve": "serve the app to web browsers (teaching rooms)",
}
"""Sub-commands and their one-line help; each maps to `workbench.cli.cmd_<name>` exposing
`register(parser)` (its description and arguments) and `run(args)`."""


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (its usage block only with `--help`), exit 2."""

    def error(self, message: str) -> NoReturn:
        from workbench.text import clean_line

        self.exit(2, f"{self.prog}: error: {clean_line(message)} (--help shows the usage)\n")


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"workbench.cli.cmd_{name}")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: every sub-command listed, with the arguments of `command` only
    (of all of them when None: `--help`, an unknown command, the tests)."""
    parser = OneLineParser(
        prog="workbench",
        description="Benefit-risk workbench for MS disease-modifying therapies (decision support).",
    )
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, summary in COMMANDS.items():
        command_parser = sub.add_parser(name, help=summary)
        if command is None or name == command:
            _module(name).register(command_parser)
    return parser


def _command(argv: Sequence[str]) -> str | None:
    """The sub-command `argv` invokes ("app" for none), or None when it names none."""
    if not argv:
        return "app"
    return argv[0] if argv[0] in COMMANDS else None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return the process exit code."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command(arguments))
    args = parser.parse_args(arguments)
    if args.command is None:
        args = parser.parse_args(["app"])
    try:
        code: int = _module(args.command).run(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`workbench list | head`): not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:
        # A file the command was pointed at cannot be used (a name too long, a folder that
        # vanished): one line naming it, never a traceback.
        from workbench.text import clean_line

        name = clean_line(str(error.filename or ""))
        name = name if len(name) <= 200 else name[:100] + "…" + name[-99:]
        print(
            f"workbench {args.command}: error: {name}: {error.strerror or error}", file=sys.stderr
        )
        return 1
    return code


if __name__ == "__main__":
    raise SystemExit(main())
