"""`workbench validate [PATH ...]`: check profiles, print every problem and a summary line.

Exit status 0 when there are no errors (warnings allowed), 1 otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from workbench.cli.profiles_option import folder_usable


def register(parser: argparse.ArgumentParser) -> None:
    """The arguments of the sub-command (main adds its parser with its one-line help)."""
    parser.description = (
        "Check drug profiles, criteria and presets. PATH is a profiles directory or "
        "profile files (default: the bundled profiles)."
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    parser.add_argument(
        "--today",
        type=_date,
        default=None,
        help="check review dates against this date (YYYY-MM-DD) instead of today",
    )
    parser.add_argument(
        "--coverage",
        action="store_true",
        help="also print the drug × concern grid with the evidence basis of each cell "
        "(— for no data) and how many cells have evidence",
    )


def run(args: argparse.Namespace) -> int:
    from workbench.profiles.loader import load_libraries
    from workbench.profiles.paths import bundled_profiles_dir

    paths: list[Path] = args.paths or [_for_display(bundled_profiles_dir())]
    usable = [folder_usable("validate", path) for path in paths]  # a line for each problem
    if not all(usable):
        return 1
    libraries = load_libraries(paths, today=args.today, use_cache=False, comparability=True)
    profiles = errors = warnings = 0
    for library in libraries:
        for problem in library.problems:
            print(problem)
        profiles += len(library.profiles)
        errors += len(library.errors)
        warnings += len(library.warnings)
    print(_summary(profiles, errors, warnings))
    if args.coverage:
        from workbench.report.coverage import coverage, render_coverage

        for library in libraries:
            print()
            print(render_coverage(coverage(library)))
    return 1 if errors else 0


def _for_display(path: Path) -> Path:
    """`path` relative to the working directory when it lies below it (shorter problem lines)."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def _summary(profiles: int, errors: int, warnings: int) -> str:
    def count(number: int, noun: str) -> str:
        return f"{number} {noun}{'' if number == 1 else 's'}"

    return ", ".join(
        (count(profiles, "profile"), count(errors, "error"), count(warnings, "warning"))
    )


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from error
