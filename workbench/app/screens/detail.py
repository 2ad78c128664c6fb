"""The detail screen: one drug's full profile with every citation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from workbench.app.notes import profile_detail
from workbench.profiles.records import Criterion, Profile


class ProfileScreen(Screen[None]):
    """Scrollable full profile; escape goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,i", "app.pop_screen", "Back"),
    ]

    def __init__(self, profile: Profile, criteria: Sequence[Criterion]) -> None:
        super().__init__(id="detail")
        self.profile = profile
        self.criteria = tuple(criteria)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail-body"):
            yield Static(profile_detail(self.profile, self.criteria), id="detail-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#detail-body").focus()
