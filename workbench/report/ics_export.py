"""The monitoring calendar as an iCalendar file (RFC 5545), and as text.

The file is made by the `icalendar` library (imported only when a file is made): one all-day
event per monitoring item and date, named after the drug and the test, with the label's
frequency and duration and the sources in its description. It holds no patient identifier: the
drug, the region, the start date and the schedule only. `export_calendar` is the one function
that writes a calendar file (the CLI and the app both call it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from workbench.atomic import make_private_folder, write_atomic
from workbench.engine.monitoring_calendar import MonitoringCalendar, by_item
from workbench.report.wording import region_name
from workbench.text import clean_line

PRODID = "-//workbench//MS DMT monitoring calendar//EN"


def _uid(calendar: MonitoringCalendar, index: int, day: dt.date, test: str) -> str:
    key = f"{calendar.drug}|{calendar.region}|{calendar.start}|{index}|{day}|{test}"
    return f"{hashlib.sha256(key.encode()).hexdigest()[:24]}@workbench"


def render_ics(calendar: MonitoringCalendar, *, stamp: dt.datetime | None = None) -> bytes:
    """The calendar as iCalendar bytes; `stamp` (UTC, default now) is every event's DTSTAMP."""
    import icalendar

    when = stamp or dt.datetime.now(dt.UTC)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{clean_line(calendar.name)} monitoring")
    for index, event in enumerate(calendar.events):
        item = icalendar.Event()
        item.add("uid", _uid(calendar, index, event.date, event.test))
        item.add("dtstamp", when)
        item.add("dtstart", event.date)
        item.add("dtend", event.date + dt.timedelta(days=1))
        item.add("summary", f"{clean_line(calendar.name)}: {clean_line(event.test)}")
        item.add(
            "description",
            f"Month {event.month:g} after the first dose ({calendar.regimen}). "
            f"{clean_line(event.frequency)}; {clean_line(event.duration)}. "
            f"{region_name(calendar.region)} label. Sources: {', '.join(event.sources)}. "
            "Decision support: check the current label.",
        )
        item.add("transp", "TRANSPARENT")
        cal.add_component(item)
    data: bytes = cal.to_ical()
    return data


def export_calendar(calendar: MonitoringCalendar, path: Path) -> Path:
    """Write the calendar's iCalendar file to `path` atomically; return the path."""
    write_atomic(path, render_ics(calendar).decode("utf-8"))
    return path


def save_calendar(
    calendar: MonitoringCalendar, *, folder: Path | None = None, today: dt.date
) -> Path:
    """Write the calendar into `folder` (default: the notes folder) as a new file
    `monitoring-<drug>-<date>.ics` (a numeric suffix instead of overwriting); return its path."""
    from workbench.session import default_notes_dir

    target = folder if folder is not None else default_notes_dir()
    make_private_folder(target)
    stem = f"monitoring-{calendar.drug}-{today.isoformat()}"
    path, suffix = target / f"{stem}.ics", 1
    while path.exists():
        suffix += 1
        path = target / f"{stem}-{suffix}.ics"
    return export_calendar(calendar, path)


def calendar_text(calendar: MonitoringCalendar, *, dates: bool = True) -> str:
    """The schedule in plain text: per item its dates (or first and last date and count)."""
    lines = [
        f"Monitoring calendar: {clean_line(calendar.name)} ({region_name(calendar.region)} "
        f"label), first dose {calendar.start.isoformat()}",
        f"Regimen: {calendar.regimen}; monitoring to month {calendar.end_month:g} "
        f"({_on(calendar, calendar.end_month)}).",
    ]
    for test, events in by_item(calendar):
        first = events[0]
        lines.append("")
        span = (
            f"1 date, {first.date.isoformat()}"
            if len(events) == 1
            else f"{len(events)} dates, {first.date.isoformat()} to {events[-1].date.isoformat()}"
        )
        lines.append(
            f"{clean_line(test)}: {span} ({clean_line(first.frequency)}) "
            f"[{', '.join(first.sources)}]"
        )
        if dates:
            lines.extend(f"  {e.date.isoformat()}  month {e.month:g}" for e in events)
    if calendar.undated:
        lines.append("")
        lines.append("Not dated (the profile gives no schedule):")
        lines.extend(
            f"  {clean_line(u.test)}: {clean_line(u.frequency)}; {clean_line(u.duration)}"
            for u in calendar.undated
        )
    return "\n".join(lines) + "\n"


def _on(calendar: MonitoringCalendar, month: float) -> str:
    from workbench.engine.monitoring_calendar import add_months

    return add_months(calendar.start, month).isoformat()
