"""`workbench compare`: evaluate drugs for one patient context and print or save the result.

Unknown drug ids, concern ids, presets or option values end with one clear line naming the valid
choices and exit status 2. Profiles with errors are skipped; their problems go to stderr.
`--session FILE` starts from a saved case (drugs, importances, context); explicit options override
it. The output is a table on a terminal and JSON otherwise, unless `--format` says.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.cli.context_options import add_context_options
from workbench.cli.options import bounded_int
from workbench.cli.profiles_option import folder_usable
from workbench.engine.result import RANK_MODES, WEIGHT_MODES
from workbench.engine.smaa_settings import SmaaSettings
from workbench.report.formats import FORMATS
from workbench.text import clean_line

if TYPE_CHECKING:
    from workbench.engine.context import PatientContext
    from workbench.engine.result import Result
    from workbench.profiles.library import Library
    from workbench.session import Case

USAGE_ERROR = 2
DEFAULT_SMAA = SmaaSettings()
"""The app's SMAA settings: the same seed and mode give the same figures here and there."""
DEFAULT_SMAA_ITERATIONS = DEFAULT_SMAA.iterations
MAX_SMAA_ITERATIONS = 100_000
"""`--smaa` is capped here: memory grows with the iterations (100,000 at 20 drugs: ~200 MB)."""
MAX_SEED = 2**32 - 1
SUFFIX_FORMATS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".csv": "csv",
    ".json": "json",
    ".txt": "table",
    ".html": "html",
    ".htm": "html",
}
"""`--output` file suffix → format, when `--format` is not given."""


class _UsageError(Exception):
    """A bad option value; the message is printed as one line and the exit status is 2."""


def register(parser: argparse.ArgumentParser) -> None:
    """The arguments of the sub-command (main adds its parser with its one-line help)."""
    parser.description = (
        "Compare drugs for one patient context and print the engine's result. "
        "Unknown patient facts are left out, never assumed."
    )
    add = parser.add_argument
    add("--drugs", metavar="ID,ID,...", help="drug ids to compare (default: all)")
    add(
        "--weight",
        action="append",
        default=[],
        metavar="CONCERN=0..10",
        help="importance of one concern (repeatable; others keep the preset's value)",
    )
    add(
        "--swing",
        action="append",
        default=[],
        metavar="CONCERN=0..100",
        help="swing weighting instead of importances: rate each concern's worst-to-best swing "
        "against the most important one (= 100); unrated concerns count 0 (repeatable)",
    )
    add("--preset", help="importance preset (default: chosen by presets.toml's default rules)")
    add_context_options(parser)
    add(
        "--smaa",
        nargs="?",
        type=bounded_int(0, MAX_SMAA_ITERATIONS),  # 0: SmaaSettings says why not
        const=DEFAULT_SMAA_ITERATIONS,
        metavar="N",
        help=f"run SMAA with N iterations (default {DEFAULT_SMAA_ITERATIONS:,}; "
        f"at most {MAX_SMAA_ITERATIONS:,})",
    )
    add(
        "--seed",
        type=bounded_int(0, MAX_SEED),
        default=DEFAULT_SMAA.seed,
        help=f"SMAA random seed, 0-{MAX_SEED} (default: {DEFAULT_SMAA.seed})",
    )
    add(
        "--rank",
        choices=RANK_MODES,
        default="tiers",
        help="tiers (default): eligible drugs first, then outside the label, then "
        "contraindicated; all-together: one ranking, for teaching",
    )
    add(
        "--smaa-weights",
        choices=WEIGHT_MODES,
        default=DEFAULT_SMAA.weight_mode,
        help="SMAA weights: fixed, uniform on the simplex, or around the importances (±spread; "
        f"default: {DEFAULT_SMAA.weight_mode}, as in the app)",
    )
    add(
        "--smaa-spread",
        type=float,
        default=DEFAULT_SMAA.spread,
        metavar="K",
        help=f"for --smaa-weights around: ± importance points (default: {DEFAULT_SMAA.spread:g})",
    )
    add("--profiles", type=Path, metavar="DIR", help="profiles directory (default: bundled)")
    add(
        "--format",
        choices=tuple(FORMATS),
        help="output format (default: table on a terminal, else json; "
        "with --output, from the file suffix .md/.csv/.json/.txt)",
    )
    add(
        "--session",
        type=Path,
        metavar="FILE",
        help="start from a saved case file (drugs, importances, context); options override it",
    )
    add("--output", "-o", type=Path, metavar="FILE", help="write to FILE (atomically), not stdout")
    add(
        "--date",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="date written in the markdown case note (default: today)",
    )


def _iso_date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a date YYYY-MM-DD") from None


def _drug_ids(raw: str | None, case: Case | None) -> list[str] | None:
    if raw is None:
        return case.drugs if case is not None and case.drugs else None
    ids = [part.strip() for part in raw.split(",") if part.strip()]
    if not ids:
        raise _UsageError("--drugs needs at least one drug id")
    return ids


def _importance(
    args: argparse.Namespace, library: Library, case: Case | None, context: PatientContext
) -> dict[str, float]:
    """Swing ratings when --swing is given; otherwise the case's importances (unlisted concerns 0,
    as in the app) unless --preset is given, else the preset's; then every --weight."""
    from workbench.engine.weights import (
        WeightError,
        default_preset,
        full_importance,
        preset_importance,
        swing_importance,
    )

    concern_ids = [c.id for c in library.criteria]
    try:
        if args.swing:
            if args.weight or args.preset:
                raise _UsageError("--swing replaces --preset and --weight: give one or the other")
            ratings = _ratings(args.swing, "--swing", "0..100", concern_ids)
            return full_importance(swing_importance(ratings), concern_ids)
        if case is not None and args.preset is None:
            importance = full_importance(case.importance, concern_ids)
        else:
            preset = args.preset or default_preset(library, context) or ""
            importance = preset_importance(library, preset)
    except WeightError as error:
        raise _UsageError(str(error)) from None
    importance.update(_ratings(args.weight, "--weight", "0..10", concern_ids))
    return importance


def _ratings(items: list[str], option: str, scale: str, concern_ids: list[str]) -> dict[str, float]:
    """`CONCERN=NUMBER` items as a mapping; a malformed item or unknown concern is a usage error."""
    ratings: dict[str, float] = {}
    for item in items:
        concern, sep, raw = item.partition("=")
        concern = concern.strip()
        if not sep:
            raise _UsageError(f"{option} expects CONCERN={scale}, got {item!r}")
        if concern not in concern_ids:
            valid = ", ".join(concern_ids)
            raise _UsageError(f"unknown concern {concern!r} in {option}; valid: {valid}")
        try:
            ratings[concern] = float(raw)
        except ValueError:
            raise _UsageError(f"{option} {concern}: {raw!r} is not a number {scale}") from None
    return ratings


def _context(args: argparse.Namespace, case: Case | None) -> PatientContext:
    """The case's context (or the defaults) with every option given on the command line applied."""
    from workbench.cli.context_options import ContextOptionError, context_from_args

    try:
        return context_from_args(args, None if case is None else case.context)
    except ContextOptionError as error:
        raise _UsageError(str(error)) from None


def _check_current(context: PatientContext, library: Library) -> None:
    """--current-dmt names a profile (or 'none'); --previous-dmts profiles or other treatments."""
    from workbench.cli.context_options import ContextOptionError, check_history

    try:
        check_history(context, library)
    except ContextOptionError as error:
        raise _UsageError(str(error)) from None


def _load_session(args: argparse.Namespace, library: Library) -> Case | None:
    """The `--session` case (unknown drugs and concerns skipped, with a warning on stderr)."""
    if args.session is None:
        return None
    from workbench.session import CaseFileError, load_case

    try:
        loaded = load_case(
            args.session,
            [p.id for p in library.profiles],
            known_concern_ids=[c.id for c in library.criteria],
        )
    except CaseFileError as error:
        raise _UsageError(f"--session: {error}") from None
    for warning in loaded.warnings:
        print(
            f"workbench compare: warning: {clean_line(f'{args.session}: {warning}')}",
            file=sys.stderr,
        )
    return loaded.case


def _output_format(args: argparse.Namespace, to_terminal: bool) -> str:
    if args.format is not None:
        return str(args.format)
    if args.output is not None:
        return SUFFIX_FORMATS.get(args.output.suffix.lower(), "json")
    return "table" if to_terminal else "json"


def _render(result: Result, output_format: str, args: argparse.Namespace, to_terminal: bool) -> str:
    """The result in `output_format`: a table fitted to the terminal, a note dated `--date`, or
    the format's default rendering (a file or pipe gets a 100-column table without colour)."""
    if output_format == "table" and to_terminal:
        from workbench.report.table import render_table

        width = shutil.get_terminal_size().columns
        return render_table(result, width=width, color="NO_COLOR" not in os.environ)
    if output_format == "markdown" and args.date is not None:
        from workbench.report.casenote import render_case_note

        return render_case_note(result, today=args.date)
    if output_format == "html" and args.date is not None:
        from workbench.report.html_page import render_page

        return render_page(result, today=args.date)
    return FORMATS[output_format](result)


def run(args: argparse.Namespace) -> int:
    from workbench.engine.evaluate import UnknownDrugError, evaluate
    from workbench.engine.weights import WeightError
    from workbench.profiles.loader import load_library
    from workbench.profiles.paths import bundled_profiles_dir

    root: Path = args.profiles or bundled_profiles_dir()
    if not folder_usable("compare", root):
        return 1
    library = load_library(root)
    for problem in library.errors:
        print(problem, file=sys.stderr)
    if not library.criteria or not library.presets:
        missing = "concerns (criteria.toml)" if not library.criteria else "presets (presets.toml)"
        print(
            f"workbench compare: error: no {missing} could be loaded from "
            f"{clean_line(str(root))}; the problems are listed above",
            file=sys.stderr,
        )
        return 1
    try:
        case = _load_session(args, library)
        context = _context(args, case)
        _check_current(context, library)
        importance = _importance(args, library, case, context)
        smaa = None
        if args.smaa is not None:
            try:
                smaa = SmaaSettings(args.smaa, args.seed, args.smaa_weights, args.smaa_spread)
            except ValueError as error:
                raise _UsageError(f"--smaa: {error}") from None
        result = evaluate(
            library, _drug_ids(args.drugs, case), importance, context, smaa, rank_mode=args.rank
        )
    except (_UsageError, UnknownDrugError, WeightError) as error:
        print(f"workbench compare: error: {clean_line(str(error))}", file=sys.stderr)
        return USAGE_ERROR
    to_terminal = args.output is None and sys.stdout.isatty()
    text = _render(result, _output_format(args, to_terminal), args, to_terminal)
    text = text if text.endswith("\n") else text + "\n"
    if args.output is None:
        sys.stdout.write(text)
        return 0
    from workbench.atomic import write_atomic

    try:
        write_atomic(args.output, text)
    except OSError as error:
        print(
            f"workbench compare: error: cannot write {clean_line(str(args.output))}: "
            f"{error.strerror or error}",
            file=sys.stderr,
        )
        return 1
    return 0
