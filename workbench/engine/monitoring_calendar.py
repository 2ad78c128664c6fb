"""The monitoring calendar: the dated schedule of a drug's monitoring items from a start date.

Each `[[monitoring]]` item with a `schedule` falls due at months from the first dose (month 0,
the start date: before starting): its `at_months`, `after_each_course` months after the start
of each course of a pulsed regimen, and repeats every `every_months` from `from_month`. Repeats
end `until_months_after_last_dose` after the regimen's last dose, or, without it, with the
calendar: at the latest end of any item. A pulsed regimen's last dose is its last course's; a
continuous regimen (or a profile without a regimen) is taken as given through the treatment
horizon. Items without a schedule are listed as not dated. No patient data goes in: a drug, a
region, a start date and a horizon.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Sequence

from workbench.engine.result import MonitoringTest
from workbench.profiles.records import Monitoring, MonitoringSchedule, Profile
from workbench.profiles.vocabulary import Region
from workbench.record import Record

DAYS_PER_MONTH = 365.25 / 12
"""For the fraction of a month in a schedule (whole months move the calendar month)."""


class CalendarEvent(MonitoringTest):
    """One monitoring item due on one date."""

    date: dt.date
    month: float
    """Months after the first dose (the start date)."""


class MonitoringCalendar(Record):
    drug: str
    name: str
    region: Region
    start: dt.date
    last_dose_month: float
    end_month: float
    regimen: str
    """The regimen the dates follow, in words."""
    events: tuple[CalendarEvent, ...]
    """By date, then in the profile's order."""
    undated: tuple[MonitoringTest, ...]
    """The items whose profile gives no schedule (e.g. "periodically")."""
    sources: tuple[tuple[str, str], ...]
    """(source id, citation) of every source the items cite."""


def monitoring_test(m: Monitoring) -> MonitoringTest:
    """A profile's monitoring item as every record of it shows it."""
    return MonitoringTest(
        test=m.test, frequency=m.frequency, duration=m.duration, sources=tuple(m.source_ids)
    )


def add_months(day: dt.date, months: float) -> dt.date:
    """`day` moved by whole calendar months (the day clamped to the month's end), then by the
    fraction of a month in days."""
    whole = math.floor(months + 1e-9)
    years, index = divmod(day.month - 1 + whole, 12)
    year, month = day.year + years, index + 1
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    last = (following - dt.timedelta(days=1)).day
    moved = dt.date(year, month, min(day.day, last))
    return moved + dt.timedelta(days=round((months - whole) * DAYS_PER_MONTH))


def _course_starts(profile: Profile, horizon: int) -> tuple[list[float], float, str]:
    """(start month of each course, month of the last dose, the regimen in words)."""
    regimen = profile.regimen
    if regimen is not None and regimen.kind == "courses" and regimen.courses:
        starts = [c.month for c in regimen.courses]
        final = max(regimen.courses, key=lambda c: c.month)
        last = final.month if final.last_dose_month is None else final.last_dose_month
        shown = ", ".join(f"{c.label} at month {c.month:g}" for c in regimen.courses)
        return starts, last, f"pulsed: {shown}; last dose at month {last:g}"
    kind = "no regimen recorded: taken as continuous"
    if regimen is not None:
        every = regimen.maintenance_interval_days
        kind = "continuous" + ("" if every is None else f" ({_dosing(every)})")
    return [0.0], float(horizon), f"{kind}, given through the {horizon}-month horizon"


_DOSING = {0.5: "twice daily", 1.0: "once daily", 7.0: "once weekly"}


def _dosing(days: float) -> str:
    return _DOSING.get(days) or f"a dose every {days:.3g} days"


def _item_end(schedule: MonitoringSchedule, last_dose: float, end: float) -> float:
    after = schedule.until_months_after_last_dose
    return end if after is None else last_dose + after


def _months(schedule: MonitoringSchedule, starts: Sequence[float], until: float) -> list[float]:
    due = {*schedule.at_months, *(s + m for s in starts for m in schedule.after_each_course)}
    if schedule.every_months is not None:
        step = schedule.every_months
        count = math.floor((until - schedule.from_month) / step + 1e-9)
        due.update(schedule.from_month + k * step for k in range(count + 1))
    return sorted(due)


def _applies(item: Monitoring, region: Region) -> bool:
    return item.region is None or region in item.region


class Schedule(Record):
    """The months (from the first dose) each monitoring item of a region falls due."""

    last_dose_month: float
    end_month: float
    regimen: str
    items: tuple[tuple[Monitoring, tuple[float, ...]], ...]
    """Every item of the region with its months (empty: no schedule in the profile)."""


def monitoring_schedule(profile: Profile, region: Region, horizon: int) -> Schedule:
    """When each of the profile's monitoring items in `region` falls due, in months."""
    starts, last_dose, regimen = _course_starts(profile, horizon)
    items = [m for m in profile.monitoring if _applies(m, region)]
    ends = [
        last_dose + m.schedule.until_months_after_last_dose
        for m in items
        if m.schedule is not None and m.schedule.until_months_after_last_dose is not None
    ]
    end = max([last_dose, *ends])
    dated = tuple(
        (
            m,
            ()
            if m.schedule is None
            else tuple(_months(m.schedule, starts, _item_end(m.schedule, last_dose, end))),
        )
        for m in items
    )
    return Schedule(
        last_dose_month=last_dose,
        end_month=max([end, *(x for _, months in dated for x in months)]),
        regimen=regimen,
        items=dated,
    )


def monitoring_calendar(
    profile: Profile, region: Region, start: dt.date, horizon: int
) -> MonitoringCalendar:
    """The dated monitoring schedule of `profile` in `region` for a first dose on `start`."""
    schedule = monitoring_schedule(profile, region, horizon)
    events: list[tuple[float, int, CalendarEvent]] = []
    for order, (item, months) in enumerate(schedule.items):
        test = monitoring_test(item).as_dict()
        for month in months:
            event = CalendarEvent(date=add_months(start, month), month=month, **test)
            events.append((month, order, event))
    events.sort(key=lambda e: (e[0], e[1]))
    cited = dict.fromkeys(i for m, _ in schedule.items for i in m.source_ids)
    citations = {s.id: s.citation for s in profile.sources}
    return MonitoringCalendar(
        drug=profile.id,
        name=profile.name,
        region=region,
        start=start,
        last_dose_month=schedule.last_dose_month,
        end_month=schedule.end_month,
        regimen=schedule.regimen,
        events=tuple(e for _, _, e in events),
        undated=tuple(monitoring_test(m) for m, months in schedule.items if not months),
        sources=tuple((i, citations[i]) for i in cited if i in citations),
    )


def by_item(calendar: MonitoringCalendar) -> Iterator[tuple[str, list[CalendarEvent]]]:
    """The events grouped by monitoring item, in the order each first falls due."""
    groups: dict[str, list[CalendarEvent]] = {}
    for event in calendar.events:
        groups.setdefault(event.test, []).append(event)
    yield from groups.items()
