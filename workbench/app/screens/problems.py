"""The problems screen: profiles left out, with the same messages as `workbench validate`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from workbench.profiles.library import Problem
from workbench.text import clean


def problems_text(problems: Sequence[Problem]) -> Text:
    """One line per problem, `str(problem)` exactly, errors before warnings."""
    if not problems:
        return Text("No problems: every profile file loaded.", style="bold")
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    text = Text()
    if errors:
        text.append(
            f"{len(errors)} error{'s' if len(errors) != 1 else ''} — files with errors are left "
            "out; the app runs on the others.\n\n",
            style="bold",
        )
    for problem in errors + warnings:
        text.append("✗ " if problem.severity == "error" else "! ", style="bold")
        text.append(clean(str(problem)) + "\n")
    text.append("\nFix the files and press r to reload.", style="dim")
    return text


class ProblemsScreen(Screen[None]):
    """The problems of the loaded library; `r` (app-wide) reloads and refreshes this list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,p", "app.pop_screen", "Back"),
    ]

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(id="problems")
        self.problems = tuple(problems)

    def compose(self) -> ComposeResult:
        yield Static(Text("Profile problems", style="bold"), classes="screen-title")
        with VerticalScroll(id="problems-body"):
            yield Static(problems_text(self.problems), id="problems-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#problems-body").focus()

    def show(self, problems: Sequence[Problem]) -> None:
        """Display the problems of a reloaded library."""
        self.problems = tuple(problems)
        self.query_one("#problems-text", Static).update(problems_text(self.problems))
