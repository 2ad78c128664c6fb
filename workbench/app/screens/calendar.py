"""The monitoring calendar of the focused drug: every dated monitoring item from its first dose
(today for a drug started now; months ago for the current DMT), and a key to save it as an
iCalendar file in the notes folder (no patient identifier in it)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from workbench.engine.monitoring_calendar import MonitoringCalendar
from workbench.report.ics_export import calendar_text


class CalendarScreen(Screen[None]):
    """Scrollable dated schedule; `s` saves the .ics file; escape goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "save", "Save .ics", tooltip="Save the calendar as an iCalendar file"),
        Binding("escape,q,C", "app.pop_screen", "Back"),
    ]

    def __init__(self, calendar: MonitoringCalendar) -> None:
        super().__init__(id="calendar")
        self.calendar = calendar

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="calendar-body"):
            yield Static(Text(calendar_text(self.calendar)), id="calendar-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#calendar-body").focus()

    def action_save(self) -> None:
        """Write the .ics file into the notes folder (never over an existing file); under
        `workbench serve`, hand it to the browser as a download instead."""
        from workbench.app.served import Downloads
        from workbench.report.ics_export import render_ics, save_calendar

        app = self.app
        if isinstance(app, Downloads) and app.served is not None:
            name = f"monitoring-{self.calendar.drug}-{dt.date.today().isoformat()}.ics"
            app.download(name, render_ics(self.calendar).decode("utf-8"))
            return
        try:
            path = save_calendar(self.calendar, today=dt.date.today())
        except OSError as error:
            self.notify(f"Calendar not saved: {error}", severity="error", markup=False)
            return
        self.notify(f"Calendar saved to {path}", title="Monitoring calendar", markup=False)
