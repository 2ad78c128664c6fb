"""The candidate picker: every loaded profile with class and route; `/` filters, space picks."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widgets import Input, Static

from workbench.app.messages import DrugMessage
from workbench.app.widgets.hover import HoverTracking
from workbench.app.widgets.inputs import SteadyInput
from workbench.app.widgets.lines_view import LinesView
from workbench.profiles.records import Profile
from workbench.text import clean_line

ENTRY_HEIGHT = 2
"""Lines per drug in the list: the name, and route · class beneath."""
FILTER_HINT = "/ to filter drugs"


def matches(profile: Profile, query: str) -> bool:
    """Whether the filter text occurs in the profile's id, name, brands or class (any case)."""
    needle = query.strip().casefold()
    haystack = " ".join([profile.id, profile.name, profile.drug_class, *profile.brands])
    return needle in haystack.casefold()


def entry_lines(profile: Profile, picked: bool) -> tuple[Text, Text]:
    """`[x] Name` and, dimmed and indented beneath, `route · class` — one line each, cut with an
    ellipsis so the list stays scannable (the notes and the profile screen show the full text)."""
    name = Text("[x] " if picked else "[ ] ", style="bold" if picked else "")
    name.append(clean_line(profile.name), style="bold" if picked else "")
    details = " · ".join([*profile.administration.route, clean_line(profile.drug_class)])
    if profile.off_label:
        details += " · off-label"
    return name, Text.assemble("    ", (details, "dim"))


class CandidateList(LinesView, HoverTracking[int], can_focus=True):
    """The shown profiles, two lines each; the cursor moves with the arrows, space or enter (or a
    click) picks/unpicks the drug under it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,enter", "select", "Pick / unpick drug"),
        Binding("up", "move(-1)", "Move", show=False),
        Binding("down", "move(1)", "Move", show=False),
        Binding("home", "move_to(0)", "First / last drug", show=False),
        Binding("end", "move_to(-1)", "First / last drug", show=False),
        Binding("pageup", "page(-1)", "Page up / down", show=False),
        Binding("pagedown", "page(1)", "Page up / down", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "candidate-list--cursor",
        "candidate-list--cursor-blurred",
        "candidate-list--hover",
    }
    DEFAULT_CSS = """
    CandidateList {
        height: 1fr;
        background: $surface;
        & > .candidate-list--cursor-blurred {
            color: $foreground;
            background: $block-cursor-blurred-background;
        }
        & > .candidate-list--cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
        & > .candidate-list--hover {
            background: $block-hover-background;
        }
        &:focus {
            background-tint: $foreground 5%;
        }
    }
    """

    highlighted: reactive[int | None] = reactive[int | None](None, layout=False)
    """The index (among the shown drugs) of the one under the cursor; None when none is shown."""

    class Highlighted(DrugMessage):
        """The cursor moved onto a drug."""

    class Selected(DrugMessage):
        """The user picked or unpicked the drug under the cursor."""

    def __init__(self, entries: Sequence[tuple[str, Text, Text]], *, id: str) -> None:
        super().__init__(id=id)
        self._entries = list(entries)
        self._styles: dict[str, Style] = {}
        self.set_reactive(CandidateList.highlighted, 0 if self._entries else None)

    @property
    def ids(self) -> list[str]:
        """The drug ids shown, top to bottom."""
        return [drug_id for drug_id, _, _ in self._entries]

    @property
    def highlighted_id(self) -> str | None:
        """The drug under the cursor."""
        index = self.highlighted
        return self._entries[index][0] if index is not None else None

    def entry(self, drug_id: str) -> tuple[Text, Text]:
        """The two lines shown for a drug (KeyError if it is not shown)."""
        for shown, name, more in self._entries:
            if shown == drug_id:
                return name, more
        raise KeyError(drug_id)

    def set_entries(self, entries: Sequence[tuple[str, Text, Text]], keep: str | None) -> None:
        """Show these drugs, the cursor on `keep` if shown, else on the first."""
        self._entries = list(entries)
        ids = self.ids
        index = ids.index(keep) if keep in ids else (0 if ids else None)
        self.invalidate()
        self.highlighted = index
        self._scroll_to_cursor()

    def replace_entry(self, drug_id: str, name: Text, more: Text) -> None:
        """Redraw one drug's lines (nothing to do when it is filtered out)."""
        for index, (shown, _, _) in enumerate(self._entries):
            if shown == drug_id:
                self._entries[index] = (drug_id, name, more)
                self.invalidate()
                return

    def make_lines(self, width: int) -> list[Text]:
        return [self.cut(line, width) for _, *lines in self._entries for line in lines]

    def render_lines(self, crop: Region) -> list[Strip]:
        """Resolve the styles once per frame, then render line by line."""
        cursor = "cursor" if self.has_focus else "cursor-blurred"
        base = self.rich_style
        self._styles = {
            "base": base,
            "cursor": base + self.get_component_rich_style(f"candidate-list--{cursor}"),
            "hover": base + self.get_component_rich_style("candidate-list--hover"),
        }
        return super().render_lines(crop)

    def line_style(self, index: int) -> Style:
        entry = index // ENTRY_HEIGHT
        if entry == self.highlighted:
            return self._styles["cursor"]
        return self._styles["hover" if entry == self.hovered else "base"]

    def watch_highlighted(self, index: int | None) -> None:
        self._scroll_to_cursor()
        self.refresh()
        if index is not None:
            self.post_message(self.Highlighted(self._entries[index][0]))

    def validate_highlighted(self, index: int | None) -> int | None:
        if not self._entries:
            return None
        return None if index is None else min(max(index, 0), len(self._entries) - 1)

    def _scroll_to_cursor(self) -> None:
        if self.highlighted is not None:
            top = self.highlighted * ENTRY_HEIGHT
            region = Region(0, top, max(self.size.width, 1), ENTRY_HEIGHT)
            self.scroll_to_region(region, animate=False, immediate=True, force=True)

    def action_move(self, step: int) -> None:
        if self._entries:
            now = self.highlighted if self.highlighted is not None else -step
            self.highlighted = now + step

    def action_move_to(self, index: int) -> None:
        if self._entries:
            self.highlighted = index % len(self._entries)

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(self.size.height // ENTRY_HEIGHT, 1))

    def action_select(self) -> None:
        drug_id = self.highlighted_id
        if drug_id is not None:
            self.post_message(self.Selected(drug_id))

    def item_at(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        entry = (offset.y + self.scroll_offset.y) // ENTRY_HEIGHT
        return entry if entry < len(self._entries) else None

    def on_click(self, event: events.Click) -> None:
        entry = self.item_at(event)
        if entry is not None:
            self.highlighted = entry
            self.action_select()


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


class PickCount(Static):
    """How many drugs are picked, under the filter hint until the filter is first opened (a
    click on the hint opens it)."""

    class FilterWanted(Message):
        """The user clicked the filter hint."""

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and offset.y == 0 and str(self.content).startswith(FILTER_HINT):
            self.post_message(self.FilterWanted())


class CandidatePicker(Vertical):
    """The filter (an input made when first wanted) above the candidate list."""

    class Toggled(DrugMessage):
        """The user picked or unpicked a drug."""

    class Highlighted(DrugMessage):
        """The cursor moved onto a drug."""

    def __init__(self, profiles: Sequence[Profile], picked: Collection[str]) -> None:
        super().__init__(id="picker")
        self._profiles = list(profiles)
        self._picked = set(picked)

    def compose(self) -> ComposeResult:
        yield PickCount(self._count_text(len(self._profiles)), id="pick-count")
        yield CandidateList(self._entries(self._profiles), id="candidates")

    @property
    def filter_text(self) -> str:
        """The filter typed so far ('' before the filter was opened)."""
        found = self.query("#filter")
        return found.first(Input).value if found else ""

    @property
    def candidates(self) -> CandidateList:
        return self.query_one(CandidateList)

    async def open_filter(self) -> Input:
        """The filter input, made (above the count) when first wanted."""
        found = self.query("#filter")
        if found:
            return found.first(Input)
        field = FilterInput(placeholder=FILTER_HINT, id="filter", compact=True)
        await self.mount(field, before=0)
        self._show_count()
        return field

    def _count_text(self, shown: int) -> Text:
        """`5 of 19 picked` and, while filtering, how many the filter shows; beneath the filter
        hint while there is no filter input."""
        total = len(self._profiles)
        text = Text()
        if not self.query("#filter"):
            text.append(f"{FILTER_HINT}\n", style="dim")
        text.append(f"{len(self._picked & {p.id for p in self._profiles})} of {total} picked")
        if shown != total:
            text.append(f" · {shown} shown by the filter")
        text.append(" · a all, u none, f only shown", style="dim")
        return text

    def _show_count(self) -> None:
        shown = sum(1 for p in self._profiles if matches(p, self.filter_text))
        self.query_one("#pick-count", Static).update(self._count_text(shown))

    def _fill(self) -> None:
        """List the profiles that match the filter, keeping the highlighted one if still shown."""
        listing = self.candidates
        shown = [p for p in self._profiles if matches(p, self.filter_text)]
        listing.set_entries(self._entries(shown), listing.highlighted_id)
        self._show_count()

    def _entries(self, profiles: Sequence[Profile]) -> list[tuple[str, Text, Text]]:
        return [(p.id, *entry_lines(p, p.id in self._picked)) for p in profiles]

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
            listing.replace_entry(drug_id, *entry_lines(by_id[drug_id], drug_id in picked))

    @on(PickCount.FilterWanted)
    async def _filter_wanted(self, event: PickCount.FilterWanted) -> None:
        event.stop()
        (await self.open_filter()).focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill()

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.candidates.focus()

    @on(CandidateList.Selected)
    def _toggle(self, event: CandidateList.Selected) -> None:
        event.stop()
        self.post_message(self.Toggled(event.drug_id))

    @on(CandidateList.Highlighted)
    def _highlighted(self, event: CandidateList.Highlighted) -> None:
        event.stop()
        self.post_message(self.Highlighted(event.drug_id))
