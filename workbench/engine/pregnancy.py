"""Pregnancy timing: a drug's interval between the last dose and conception (profile
`[[pregnancy.intervals]]`, by sex and region) against the case's plan.

- Conception planned sooner than the interval from now (the earliest possible last dose): a
  contraindication when the label contraindicates pregnancy, else a warning.
- Conception planned later: guidance ("last dose at least 6 months before conception") at the
  interval's own level.
- Planned with the timing unknown, or unknown whether planned: the inside-the-interval level,
  marked undecided. Not planned: nothing. An unknown sex leaves each interval undecided.
"""

from __future__ import annotations

from workbench.engine.context import PatientContext
from workbench.engine.result import Flag
from workbench.profiles.schema import ConceptionInterval, Profile
from workbench.profiles.vocabulary import FlagLevel

_WHO = {"female": "women", "male": "men"}


def _months(value: float) -> str:
    return f"{value:g} month" + ("" if value == 1 else "s")


def _who(interval: ConceptionInterval) -> str:
    return " and ".join(_WHO[s] for s in interval.sex)


def _inside_level(interval: ConceptionInterval) -> FlagLevel:
    return "contraindication" if interval.contraindicated_in_pregnancy else "warning"


def conception_flags(profile: Profile, context: PatientContext) -> list[Flag]:
    """One flag per interval that applies to the case's region (and sex, when known)."""
    pregnancy = profile.pregnancy
    plan = context.conception_planned_in_months
    if pregnancy is None or plan == "not-planned":
        return []
    flags: list[Flag] = []
    for interval in pregnancy.intervals:
        if interval.region is not None and context.region not in interval.region:
            continue
        if context.sex != "unknown" and context.sex not in interval.sex:
            continue
        open_parts = [] if context.sex != "unknown" else [f"sex ({_who(interval)} only)"]
        if len(interval.sex) == 2:
            open_parts = []
        rule = f"last dose at least {_months(interval.months)} before conception"
        if interval.months == 0:
            rule = "no interval between the last dose and conception"
        base = f"{_who(interval).capitalize()}: {rule} ({interval.reason}). {interval.text}"
        sources = tuple(interval.source_ids)
        code = f"conception-{'-'.join(interval.sex)}"
        if isinstance(plan, int):
            if plan < interval.months:
                text = f"Conception planned in {_months(plan)} falls inside the interval: {base}"
                level = _inside_level(interval)
            else:
                by = plan - interval.months
                text = f"Conception planned in {_months(plan)}: {base} (last dose by month {by:g})."
                level = interval.level
            undecided = "; ".join(open_parts) or None
        else:
            level = _inside_level(interval) if interval.months > 0 else interval.level
            when = "timing not given" if plan == "planned" else "whether conception is planned"
            if interval.months > 0:
                when += f" (inside {_months(interval.months)}?)"
            open_parts.insert(0, when)
            text = base
            undecided = "; ".join(open_parts)
        flags.append(Flag(level, code, text, sources, undecided=undecided))
    return flags
