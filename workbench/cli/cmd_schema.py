"""`workbench schema [--kind KIND] [--write]`: the JSON Schema of a file format.

The checked-in copies in `workbench/data/<kind>.schema.json` give editors (taplo, Even Better TOML)
completion and checking through the `#:schema` line at the top of every bundled TOML file.
"""

from __future__ import annotations

import argparse

KINDS = ("profile", "criteria", "presets")


def register(parser: argparse.ArgumentParser) -> None:
    """The arguments of the sub-command (main adds its parser with its one-line help)."""
    parser.description = "Print the JSON Schema of the profile, criteria or presets format."
    parser.add_argument(
        "--kind", choices=KINDS, default="profile", help="format (default: profile)"
    )
    parser.add_argument(
        "--write",
        action="store_true",
        help="rewrite the checked-in copies in workbench/data/ for every format instead",
    )


def run(args: argparse.Namespace) -> int:
    from workbench.profiles.json_schema import schema_path, schema_text

    if args.write:
        for kind in KINDS:
            path = schema_path(kind)
            path.write_text(schema_text(kind), encoding="utf-8")
            print(f"wrote {path}")
        return 0
    print(schema_text(args.kind), end="")
    return 0
