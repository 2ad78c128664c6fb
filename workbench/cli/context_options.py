"""The patient-context options of `workbench compare`, built from the context's declarations.

One option per declared field (`workbench.engine.context`), plus `--pregnancy-planned` /
`--no-pregnancy-planned` beside `--conception-in-months`. Options given override a saved case.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from workbench.engine.context import (
    ContextError,
    PatientContext,
    context_data,
    context_fields,
    parse_multi,
)

if TYPE_CHECKING:
    from workbench.profiles.library import Library


class ContextOptionError(ValueError):
    """A bad context option; `str()` is one line naming the option and the valid values."""


def _dest(name: str) -> str:
    return f"ctx_{name}"


def add_context_options(parser: argparse.ArgumentParser) -> None:
    """One option per declared context field."""
    for field in context_fields():
        d = field.declared
        dest = _dest(field.name)
        if d.kind == "choice":
            parser.add_argument(d.option, dest=dest, choices=d.choices, help=d.help)
        elif d.kind == "yes-no":
            parser.add_argument(
                d.option, dest=dest, action=argparse.BooleanOptionalAction, help=d.help
            )
        elif d.kind in ("integer", "conception"):
            parser.add_argument(d.option, dest=dest, type=int, metavar="N", help=d.help)
        elif d.kind == "number":
            parser.add_argument(d.option, dest=dest, type=float, metavar="X", help=d.help)
        elif d.kind == "drug":
            parser.add_argument(d.option, dest=dest, metavar="ID", help=d.help)
        elif d.kind == "multi":
            parser.add_argument(d.option, dest=dest, metavar="A,B,...", help=d.help)
        else:
            parser.add_argument(d.option, dest=dest, metavar="ID[:MONTHS[:ON]],...", help=d.help)
        if d.kind == "conception":
            parser.add_argument(
                "--pregnancy-planned",
                dest="ctx_pregnancy_planned",
                action=argparse.BooleanOptionalAction,
                help="pregnancy planned (timing unknown), or --no-pregnancy-planned: not planned",
            )


def _option(name: str) -> str:
    for field in context_fields():
        if field.name == name:
            return field.declared.option
    return "--" + name.replace("_", "-")


def context_from_args(args: argparse.Namespace, base: PatientContext | None) -> PatientContext:
    """`base` (or the defaults) with every context option given applied."""
    from workbench.engine.history import HistoryError, parse_previous

    given: dict[str, Any] = {}
    for field in context_fields():
        value = getattr(args, _dest(field.name), None)
        if value is None:
            continue
        if field.declared.kind == "history":
            try:
                value = parse_previous(value)
            except HistoryError as error:
                raise ContextOptionError(f"{field.declared.option}: {error}") from None
        elif field.declared.kind == "multi":
            try:
                value = parse_multi(value, field.declared.choices)
            except ValueError as error:
                raise ContextOptionError(f"{field.declared.option}: {error}") from None
        given[field.name] = value
    planned = getattr(args, "ctx_pregnancy_planned", None)
    if planned is not None:
        if "conception_planned_in_months" in given and planned is False:
            raise ContextOptionError(
                "--conception-in-months and --no-pregnancy-planned contradict each other"
            )
        given.setdefault("conception_planned_in_months", "planned" if planned else "not-planned")
    if not given:  # nothing from outside to check: the base is a validated case (or defaults)
        return PatientContext() if base is None else base
    data = {} if base is None else context_data(base, keep_unknown=False)
    from workbench.engine.context_validation import validate_context  # pydantic: lazily

    try:
        return validate_context({**data, **given})
    except ContextError as error:
        raise ContextOptionError(f"{_option(error.field)}: {error.message}") from None


def check_history(context: PatientContext, library: Library) -> None:
    """The current DMT is a profile (or 'none'); previous ones are profiles or other treatments
    (the app's case entries make the same check)."""
    from workbench.engine.history import unknown_ids

    profiles = [p.id for p in library.profiles]
    others = [t.id for t in library.other_treatments]
    for field, words in unknown_ids(context, profiles, others):
        raise ContextOptionError(f"{_option(field)}: {words}")
