"""Before starting: the tests and vaccinations a label requires, each decided against the case.

A check's `blocks_when` that holds → the start is blocked (e.g. HBsAg positive before an anti-CD20);
its `done_when` that holds → done; that fails → due (still to do: not done, or a result that asks
for an action such as vaccinating a seronegative patient); the case does not tell → unknown.
"""

from __future__ import annotations

from workbench.engine.conditions import Window, evaluate_condition
from workbench.engine.context import PatientContext
from workbench.engine.result import CheckResult, Flag
from workbench.profiles.records import Check, Profile
from workbench.profiles.vocabulary import CheckStatus


def check_status(check: Check, context: PatientContext, window: Window) -> CheckStatus:
    """done, due, blocks or unknown (see the module docstring)."""
    if check.blocks_when is not None and evaluate_condition(check.blocks_when, context, window):
        return "blocks"
    done = evaluate_condition(check.done_when, context, window)
    if done is None:
        return "unknown"
    return "done" if done else "due"


def before_starting(
    profile: Profile, context: PatientContext, window: Window
) -> tuple[CheckResult, ...]:
    """The profile's checks for the case's region, each with its status."""
    return tuple(
        CheckResult(
            item=c.item,
            kind=c.kind,
            status=check_status(c, context, window),
            text=c.text,
            strength=c.strength,
            sources=tuple(c.source_ids),
            note=c.note,
        )
        for c in profile.before_starting
        if c.region is None or context.region in c.region
    )


def blocked_flags(checks: tuple[CheckResult, ...]) -> list[Flag]:
    """A warning for each check that blocks the start, so the table and flags show it too."""
    return [
        Flag(
            level="warning",
            code="before-starting-blocked",
            text=f"Before starting: {c.item} blocks the start. {c.text}",
            sources=c.sources,
        )
        for c in checks
        if c.status == "blocks"
    ]
