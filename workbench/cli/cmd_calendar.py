"""`workbench calendar DRUG --start YYYY-MM-DD [--output FILE.ics]`: the dated monitoring
schedule of one drug from a first-dose date (today by default), as text or an iCalendar file.

A bad date, an unknown drug or region, or a bad horizon is one clear line on stderr and exit
status 2. The file holds no patient identifier: drug, region, start date and schedule only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from workbench.cli.profiles_option import add_profiles_option, profiles_arg_ok

USAGE_ERROR = 2
REGIONS = ("eu", "us")


def register(parser: argparse.ArgumentParser) -> None:
    """The arguments of the sub-command (main adds its parser with its one-line help)."""
    parser.description = (
        "The dated monitoring schedule of one drug from its first dose, to the end of monitoring "
        "after the last dose (printed, or written as an iCalendar .ics file)."
    )
    parser.add_argument("drug", metavar="DRUG", help="profile id (see `workbench list`)")
    parser.add_argument(
        "--start", metavar="YYYY-MM-DD", help="date of the first dose (default: today)"
    )
    parser.add_argument("--region", default="eu", help="label region: eu or us (default: eu)")
    parser.add_argument(
        "--horizon-months",
        type=int,
        default=None,
        metavar="N",
        help="months a continuous drug is given (default: criteria.toml's horizon)",
    )
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE.ics", help="write an iCalendar file"
    )
    add_profiles_option(parser)


def _error(message: str) -> int:
    print(f"workbench calendar: error: {message}", file=sys.stderr)
    return USAGE_ERROR


def run(args: argparse.Namespace) -> int:
    from workbench.engine.monitoring_calendar import monitoring_calendar
    from workbench.profiles.loader import load_library
    from workbench.profiles.paths import bundled_profiles_dir
    from workbench.report.ics_export import calendar_text, export_calendar

    try:
        start = dt.date.today() if args.start is None else dt.date.fromisoformat(args.start)
    except ValueError:
        return _error(f"--start {args.start!r} is not a date (YYYY-MM-DD)")
    if args.region not in REGIONS:
        return _error(f"--region {args.region!r}: valid: {', '.join(REGIONS)}")
    if args.horizon_months is not None and not 1 <= args.horizon_months <= 240:
        return _error(f"--horizon-months {args.horizon_months}: must be 1-240")
    if not profiles_arg_ok("calendar", args.profiles):
        return USAGE_ERROR
    library = load_library(args.profiles or bundled_profiles_dir())
    known = {p.id: p for p in library.profiles}
    profile = known.get(args.drug)
    if profile is None:
        valid = ", ".join(sorted(known)) or "(none loaded)"
        return _error(f"unknown drug id {args.drug!r}; valid: {valid}")
    horizon = args.horizon_months or library.horizon_months
    calendar = monitoring_calendar(profile, args.region, start, horizon)
    if args.output is None:
        sys.stdout.write(calendar_text(calendar))
        return 0
    try:
        path = export_calendar(calendar, args.output)
    except OSError as error:
        print(f"workbench calendar: cannot write {args.output}: {error}", file=sys.stderr)
        return 1
    print(f"{len(calendar.events)} events written to {path}")
    return 0
