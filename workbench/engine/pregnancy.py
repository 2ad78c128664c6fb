"""Pregnancy timing: a drug's interval between the last dose and conception (profile
`[[pregnancy.intervals]]`, by sex and region) against the case's plan.

- Conception planned sooner than the interval from now (the earliest possible last dose): a
  contraindication when the label contraindicates pregnancy, else a warning.
- Conception planned later: guidance ("last dose at least 6 months before conception") at the
  interval's own level.
- Planned with the timing unknown, or unknown whether planned: the inside-the-interval level,
  marked undecided. Not planned: nothing. An unknown sex leaves each interval undecided.
- A pulsed regimen (profile `[regimen]` with courses): the interval follows every course, so the
  earliest conception is the last scheduled course's last dose + the interval, counted from the
  first dose; for the current DMT, from the months on it so far (courses whose month has passed
  count as given), so after the last course only what is left of its interval remains. A plan at
  or after that point is information (the rule kept as guidance), not a warning. The flag
  says the arithmetic in words ("second course at month 12 (last dose month 13) + 6 months →
  month 19").
"""

from __future__ import annotations

from typing import Literal

from workbench.engine.context import PatientContext
from workbench.engine.result import Flag
from workbench.profiles.records import (
    ConceptionInterval,
    Condition,
    Criterion,
    DoseCourse,
    Measurement,
    Profile,
    Stratum,
)
from workbench.profiles.vocabulary import REGIONS, STRENGTHS, FlagLevel
from workbench.record import Record

_WHO = {"female": "women", "male": "men"}


def _months(value: float) -> str:
    return f"{value:g} month" + ("" if value == 1 else "s")


def _who(interval: ConceptionInterval) -> str:
    return " and ".join(_WHO[s] for s in interval.sex)


def _inside_level(interval: ConceptionInterval) -> FlagLevel:
    return "contraindication" if interval.contraindicated_in_pregnancy else "warning"


class CoursePlan(Record):
    """Where a patient stands in a pulsed regimen: its last scheduled course and the months on
    the drug so far (0 when starting now; None when the current DMT's months are unknown)."""

    final: DoseCourse
    done: int | None

    @property
    def last_dose(self) -> float:
        """Month (from the first dose) of the regimen's last scheduled dose."""
        course = self.final
        return course.month if course.last_dose_month is None else course.last_dose_month

    def wait(self, interval: float) -> float | None:
        """Months from now until conception after the full regimen (0: none left)."""
        return None if self.done is None else max(0.0, self.last_dose + interval - self.done)

    def words(self, interval: float) -> str:
        """'second course at month 12 (last dose month 13) + 6 months → month 19', and where
        the patient stands when already on the drug."""
        course = self.final
        text = f"{course.label} at month {course.month:g}"
        if self.last_dose != course.month:
            text += f" (last dose month {self.last_dose:g})"
        end = self.last_dose + interval
        text += f" + {_months(interval)} → month {end:g} after the first dose"
        wait = self.wait(interval)
        if self.done is None:
            return text + " (months on it so far unknown)"
        if self.done == 0:
            return text
        if wait == 0:
            return f"{text}; at month {self.done} of treatment: no remaining wait"
        return f"{text}; at month {self.done} of treatment: {_months(wait or 0)} from now"


def course_plan(profile: Profile, context: PatientContext) -> CoursePlan | None:
    """The patient's place in the profile's pulsed regimen; None for a continuous one (or none)."""
    regimen = profile.regimen
    if regimen is None or regimen.kind != "courses" or not regimen.courses:
        return None
    final = max(regimen.courses, key=lambda c: c.month)
    done = context.months_on_current if context.current_dmt == profile.id else 0
    return CoursePlan(final=final, done=done)


def conception_flags(profile: Profile, context: PatientContext) -> list[Flag]:
    """One flag per interval that applies to the case's region (and sex, when known)."""
    pregnancy = profile.pregnancy
    plan = context.conception_planned_in_months
    if pregnancy is None or plan == "not-planned":
        return []
    courses = course_plan(profile, context)
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
        if courses is not None:
            flags.append(
                _regimen_flag(interval, courses, plan, base=base, open_parts=open_parts, code=code)
            )
            continue
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
        flags.append(Flag(level=level, code=code, text=text, sources=sources, undecided=undecided))
    return flags


def _regimen_flag(
    interval: ConceptionInterval,
    courses: CoursePlan,
    plan: int | str | None,
    *,
    base: str,
    open_parts: list[str],
    code: str,
) -> Flag:
    """The interval after every course of a pulsed regimen against the planned conception."""
    arithmetic = courses.words(interval.months)
    wait = courses.wait(interval.months)
    sources = tuple(interval.source_ids)
    if isinstance(plan, int) and wait is not None:
        if plan < wait:
            text = (
                f"Conception planned in {_months(plan)} falls before the end of the regimen's "
                f"interval: {arithmetic}. {base}"
            )
            level = _inside_level(interval)
        else:
            done = "no remaining wait" if wait == 0 else "after the full regimen"
            text = f"Conception planned in {_months(plan)}: {done} ({arithmetic}). {base}"
            level = "info"  # the plan fits the whole regimen: the rule stays as guidance
        undecided = "; ".join(open_parts) or None
        return Flag(level=level, code=code, text=text, sources=sources, undecided=undecided)
    if isinstance(plan, int):
        open_parts.insert(0, "months on it so far")
    elif plan == "planned":
        open_parts.insert(0, "timing not given")
    else:
        open_parts.insert(0, "whether conception is planned")
    text = f"Earliest conception after the full regimen: {arithmetic}. {base}"
    return Flag(
        level=_inside_level(interval),
        code=code,
        text=text,
        sources=sources,
        undecided="; ".join(open_parts),
    )


NO_MALE_INTERVAL = "The label sets no interval for men (none recorded in the profile)."


def interval_measurement(profile: Profile, criterion: Criterion) -> Measurement | None:
    """The figure of a concern declared `from_pregnancy_intervals` in criteria.toml: the months
    between the last dose and conception, one stratum per sex and region, so an unknown sex
    spans both. A man without an interval of his own in a region where women have one: 0."""
    pregnancy = profile.pregnancy
    if pregnancy is None or not pregnancy.intervals:
        return None
    strata: list[Stratum] = []
    sexes: tuple[Literal["female"], Literal["male"]] = ("female", "male")
    for region in REGIONS:
        applying = {
            sex: [i for i in pregnancy.intervals if sex in i.sex and _in_region(i, region)]
            for sex in sexes
        }
        for sex, intervals in applying.items():
            when = Condition(region=(region,), sex=(sex,))
            label = f"{_WHO[sex].capitalize()}, {region.upper()} label"
            if intervals:
                longest = max(intervals, key=lambda i: i.months)
                strata.append(
                    Stratum(
                        label=label,
                        when=when,
                        value=longest.months,
                        strength=longest.strength,
                        source_ids=longest.source_ids,
                        note=longest.note or longest.text,
                    )
                )
            elif sex == "male" and applying["female"]:
                female = max(applying["female"], key=lambda i: i.months)
                strata.append(
                    Stratum(
                        label=label,
                        when=when,
                        value=0.0,
                        strength=female.strength,
                        source_ids=pregnancy.source_ids,
                        note=NO_MALE_INTERVAL,
                    )
                )
    if not strata:
        return None
    return Measurement(
        unit=criterion.unit,
        follow_up="Label: interval between the last dose and conception, by sex and region",
        basis="label",
        strength=max((s.strength for s in strata), key=STRENGTHS.index),
        source_ids=tuple(dict.fromkeys(i for s in strata for i in s.source_ids)),
        strata=tuple(strata),
    )


def _in_region(interval: ConceptionInterval, region: str) -> bool:
    return interval.region is None or region in interval.region
