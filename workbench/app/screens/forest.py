"""The forest view: per concern, every picked drug's figure and bounds on one axis, beside the
comparator or MS background rate, with the difference in words."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Static

from workbench.app.widgets.lines_view import LinesView
from workbench.engine.result import Result
from workbench.report.charts import forest_lines

MIN_WIDTH = 40
"""The plots are drawn at least this wide (a narrower view scrolls nothing: it cuts them)."""


class ForestPlots(LinesView, can_focus=True):
    """Every concern's forest plot, drawn for the view's width (again when it changes)."""

    def __init__(self, result: Result) -> None:
        super().__init__(id="forest-plots", can_maximize=False)
        self.result = result

    def make_lines(self, width: int) -> list[Text]:
        return forest_lines(self.result, max(width, MIN_WIDTH))


class ForestScreen(Screen[None]):
    """The comparison's figures as forest plots."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,F", "app.pop_screen", "Back"),
    ]

    def __init__(self, result: Result) -> None:
        super().__init__(id="forest")
        self.result = result

    def compose(self) -> ComposeResult:
        title = (
            "Forest plots: each drug's figure beside its comparator · "
            f"horizon {self.result.horizon_months} months"
        )
        yield Static(Text(title, style="bold"), classes="screen-title")
        yield ForestPlots(self.result)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ForestPlots).focus()
