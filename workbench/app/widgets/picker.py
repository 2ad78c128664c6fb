"""The candidate picker: every loaded profile with class and route; type to filter, space picks."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from contextlib import suppress
from typing import ClassVar

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from workbench.app.widgets.inputs import SteadyInput
from workbench.profiles.records import Profile
from workbench.text import clean_line


def matches(profile: Profile, query: str) -> bool:
    """Whether the filter text occurs in the profile's id, name, brands or class (any case)."""
    needle = query.strip().casefold()
    haystack = " ".join([profile.id, profile.name, profile.drug_class, *profile.brands])
    return needle in haystack.casefold()


def option_prompt(profile: Profile, picked: bool) -> Group:
    """`[x] Name` and, dimmed and indented beneath, `route · class` — one line each, cut with an
    ellipsis so the list stays scannable (the notes and the profile screen show the full text)."""
    name = Text("[x] " if picked else "[ ] ", style="bold" if picked else "", no_wrap=True)
    name.append(clean_line(profile.name), style="bold" if picked else "")
    name.overflow = "ellipsis"
    details = f"{' · '.join(profile.administration.route)} · {clean_line(profile.drug_class)}"
    if profile.off_label:
        details += " · off-label"
    line = Text(details, style="dim", no_wrap=True, overflow="ellipsis")
    return Group(name, Padding(line, (0, 0, 0, 4)))


class CandidateList(OptionList):
    """The profiles; space or enter picks/unpicks the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "select", "Pick / unpick drug"),
    ]


class FilterInput(SteadyInput):
    """The filter text; down or enter moves to the list, ctrl+l clears it, escape leaves it for
    the table (the filter stays, so `f` can pick only its drugs)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "to_list", "To the list"),
        Binding("ctrl+l", "clear_filter", "Clear the filter"),
    ]

    def action_clear_filter(self) -> None:
        self.value = ""
        self.action_to_list()

    def action_to_list(self) -> None:
        if self.parent is not None:
            self.parent.query_one(CandidateList).focus()


class CandidatePicker(Vertical):
    """Filter input above the candidate list."""

    class Toggled(Message):
        """The user picked or unpicked a drug."""

        def __init__(self, drug_id: str) -> None:
            super().__init__()
            self.drug_id = drug_id

    class Highlighted(Message):
        """The cursor moved onto a drug."""

        def __init__(self, drug_id: str) -> None:
            super().__init__()
            self.drug_id = drug_id

    def __init__(self, profiles: Sequence[Profile], picked: Collection[str]) -> None:
        super().__init__(id="picker")
        self._profiles = list(profiles)
        self._picked = set(picked)

    def compose(self) -> ComposeResult:
        yield FilterInput(placeholder="/ to filter drugs", id="filter", compact=True)
        yield Static(self._count_text(len(self._profiles)), id="pick-count")
        yield CandidateList(*self._options(self._profiles), id="candidates")

    def _count_text(self, shown: int) -> Text:
        """`5 of 19 picked` and, while filtering, how many the filter shows."""
        total = len(self._profiles)
        text = Text(f"{len(self._picked & {p.id for p in self._profiles})} of {total} picked")
        if shown != total:
            text.append(f" · {shown} shown by the filter")
        text.append(" · a all, u none, f only shown", style="dim")
        return text

    def _show_count(self) -> None:
        shown = sum(1 for p in self._profiles if matches(p, self.filter_input.value))
        self.query_one("#pick-count", Static).update(self._count_text(shown))

    @property
    def filter_input(self) -> Input:
        return self.query_one("#filter", Input)

    @property
    def candidates(self) -> CandidateList:
        return self.query_one(CandidateList)

    def _fill(self) -> None:
        """List the profiles that match the filter, keeping the highlighted one if still shown."""
        listing = self.candidates
        current = listing.highlighted_option.id if listing.highlighted_option else None
        query = self.filter_input.value
        shown = [p for p in self._profiles if matches(p, query)]
        listing.set_options(self._options(shown))
        ids = [p.id for p in shown]
        if ids:
            listing.highlighted = ids.index(current) if current in ids else 0
        self._show_count()

    def _options(self, profiles: Sequence[Profile]) -> list[Option]:
        return [Option(option_prompt(p, p.id in self._picked), id=p.id) for p in profiles]

    def show(self, profiles: Sequence[Profile], picked: Collection[str]) -> None:
        """Display another library or another set of picked drugs."""
        picked = set(picked)
        if [p.id for p in profiles] != [p.id for p in self._profiles] or profiles != self._profiles:
            self._profiles, self._picked = list(profiles), picked
            self._fill()
            return
        changed = picked ^ self._picked
        self._picked = picked
        self._show_count()
        listing = self.candidates
        by_id = {p.id: p for p in self._profiles}
        for drug_id in changed:
            with suppress(OptionDoesNotExist):  # filtered out: nothing to redraw
                listing.replace_option_prompt(
                    drug_id, option_prompt(by_id[drug_id], drug_id in picked)
                )

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill()

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.candidates.focus()

    @on(OptionList.OptionSelected, "#candidates")
    def _toggle(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Toggled(event.option.id))

    @on(OptionList.OptionHighlighted, "#candidates")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Highlighted(event.option.id))
