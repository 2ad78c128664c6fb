"""The main screen: picker, weights and case on the left; comparison table and notes right."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import AwaitMount, Widget
from textual.widgets import Static

from workbench.app.case_checks import ATTENTION_MARK, contradictions
from workbench.app.state import Workbench
from workbench.app.widgets.comparison import LAYOUT_MODES, ComparisonTable, Order
from workbench.app.widgets.contributions import ContributionBars
from workbench.app.widgets.footer import KeyBar
from workbench.app.widgets.notes_pane import NotesPane
from workbench.app.widgets.picker import CandidateList, CandidatePicker, matches
from workbench.app.widgets.side_tabs import SideTabs
from workbench.engine.context import PatientContext
from workbench.engine.evaluate import Prepared
from workbench.engine.result import Result
from workbench.engine.weights import WeightError
from workbench.profiles.paths import profiles_dir_problem
from workbench.report import wording
from workbench.text import clean_line

if TYPE_CHECKING:
    from workbench.app.widgets.case import CasePanel
    from workbench.app.widgets.weights import WeightSlider, WeightsPanel

SMAA_DELAY = 0.3
"""Seconds without a further change before the table's SMAA row is computed again."""
NARROW, WIDE = 100, 150
"""Screen widths below which the side panel starts hidden, and from which it is wider."""
NO_DRUGS = Text("No drug picked: open the drug list (d), move with ↑↓, pick with space.")
NO_CONCERNS = Text(
    "No concerns loaded: the criteria file has problems (p shows them; fix it and press r).",
    style="bold",
)


def _no_result_hint(root: Path) -> Text:
    """Why nothing is scored: a missing or empty profiles folder, else a broken criteria file."""
    problem = profiles_dir_problem(root)
    return NO_CONCERNS if problem is None else Text(problem, style="bold")


def _contradicted(context: PatientContext) -> tuple[str, ...]:
    """The case fields that need attention before the case panel is built (it adds entries that
    cannot be read once it exists): those the case's facts contradict."""
    return tuple(field for field, _ in contradictions(context))


def width_class(size: Size) -> str:
    """The side panel's class for a screen size: hidden when narrow, wider when wide."""
    if size.width < NARROW:
        return "-narrow"
    return "-wide" if size.width >= WIDE else "-medium"


PANELS: dict[str, str] = {
    "drugs": "CandidateList",
    "weights": "WeightSlider",  # not the preset: a key there would replace custom importances
    "case": "ChoiceField",
}
"""Sidebar tab → the type of widget that takes focus when the tab is opened by key. The tab panes'
ids are these names with `-tab` (`#weights` and `#case` are the panels inside, built, and their
modules imported, when first opened)."""
PANEL_TITLES = (("drugs", "Drugs"), ("weights", "Weights"), ("case", "Case"))
"""The side panel's tabs: (id, title) in display order."""


def status_line(parts: list[tuple[str, str, int]], width: int, *, problems: str = "") -> Text:
    """The header: `(text, style, priority)` parts joined by ` · `, leaving out whole parts of the
    lowest priority (highest number) until the line fits `width`. `problems` always stays."""
    kept = list(parts)
    while True:
        text = Text()
        for index, (words, style, _) in enumerate(kept):
            if index:
                text.append(" · ")
            text.append(words, style=style)
        if problems:
            text.append(" · ")
            text.append(problems, style="bold")
        droppable = [p for p in kept if p[2] > 1]
        if text.cell_len <= width or not droppable:
            return text
        worst = max(p[2] for p in droppable)
        drop = next(i for i in range(len(kept) - 1, -1, -1) if kept[i][2] == worst)
        del kept[drop]


class MainScreen(Screen[None]):
    """Every change re-renders at once: a weight change re-scores only; other changes re-prepare."""

    AUTO_FOCUS = "#comparison"
    """Focus the table once, as the screen is composed (not again after it is mounted)."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", tooltip="Filter the drug list (type a name)"),
        Binding("b", "toggle_sidebar", "Panel", tooltip="Hide / show the side panel"),
        Binding("d", "panel('drugs')", "Drugs", show=False, tooltip="Open the drug list"),
        Binding("w", "panel('weights')", "Weights", show=False, tooltip="Open the weights"),
        Binding(
            "c", "panel('case')", "Case", show=False, tooltip="Open the case (patient context)"
        ),
        Binding("x", "focus_table", "Table", show=False, tooltip="Go to the comparison table"),
        Binding("n", "focus_notes", "Notes", show=False, tooltip="Go to the notes"),
        Binding("m", "toggle_maximize", "Maximize / restore the focused panel", show=False),
        Binding(
            "i", "details", "Profile", tooltip="Full profile and citations of the focused drug"
        ),
        Binding(
            "v", "app.sensitivity", "Sensitivity", tooltip="Sensitivity: SMAA and one-way weights"
        ),
        Binding("F", "app.forest", "Forest", tooltip="Forest plots of every concern's figures"),
        Binding(
            "B",
            "toggle_bars",
            "Bars",
            tooltip="Show / hide each drug's total as stacked weighted contributions",
        ),
        Binding(
            "C",
            "calendar",
            "Calendar",
            tooltip="Dated monitoring calendar of the focused drug",
        ),
        Binding("e", "app.export_note", "Case note", tooltip="Export a case note (Markdown)"),
        Binding(
            "E",
            "app.export_page",
            "Page",
            show=False,
            tooltip="Export a page to share (HTML with the pictures, printable on A4)",
        ),
        Binding("s", "app.save_case", "Save", tooltip="Save the case to a file"),
        Binding("o", "app.open_case", "Open", tooltip="Open a saved case"),
        Binding("left_square_bracket", "preset(-1)", "Previous preset", show=False),
        Binding("right_square_bracket", "preset(1)", "Next preset", show=False),
        Binding("l", "toggle_order", "Order", tooltip="Table order: by rank / library order"),
        Binding(
            "g",
            "cycle_layout",
            "Layout",
            show=False,
            tooltip="Table layout: by width / drugs as rows / drugs as columns",
        ),
        Binding("a", "pick_all", "Pick all", show=False, tooltip="Pick every drug"),
        Binding("u", "pick_none", "Pick none", show=False, tooltip="Unpick every drug"),
        Binding(
            "f",
            "pick_matching",
            "Pick only matching",
            show=False,
            tooltip="Pick only the drugs matching the filter (/)",
        ),
        Binding(
            "k",
            "pick_class",
            "Pick class",
            show=False,
            tooltip="Also pick every drug of the focused drug's class",
        ),
        Binding(
            "y",
            "toggle_rank_mode",
            "Tiers",
            show=False,
            tooltip="Rank within eligibility tiers / everything together (teaching)",
        ),
        Binding(
            "escape",
            "leave_field",
            "Leave",
            show=False,
            tooltip="Leave the field or panel: back to the table",
        ),
    ]

    def __init__(self, workbench: Workbench) -> None:
        super().__init__(id="main")
        self.workbench = workbench
        self.focused_drug: str | None = None
        """The drug under the table cursor (the notes describe it); None before the first show."""
        self.order: Order = "rank"
        """Table order: 'rank' (the result's display order) or 'library' (pick order)."""
        self._status = Text()
        self._attention: tuple[str, ...] = ()
        """Case fields that need attention (unreadable, out of range, contradictory)."""
        self._smaa_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        wb = self.workbench
        library = wb.library
        yield Static(id="status")
        with Horizontal(id="body"):
            with Vertical(id="sidebar", classes=width_class(self.app.size)):
                yield SideTabs(PANEL_TITLES, "drugs", id="side-tabs")
                with Vertical(id="drugs-tab", classes="side-pane -open"):
                    yield CandidatePicker(library.profiles, wb.selected)
                # filled when first opened: composing them now would only slow the first frame
                yield Vertical(id="weights-tab", classes="side-pane")
                yield Vertical(id="case-tab", classes="side-pane")
            with Vertical(id="right"):
                yield Static(id="disagreement")
                yield ComparisonTable()
                yield ContributionBars()
                yield Static(NO_DRUGS, id="empty-hint")
                yield NotesPane()
        yield KeyBar()

    def on_resize(self, event: events.Resize) -> None:
        sidebar = self.query_one("#sidebar")
        wanted = width_class(event.size)
        if not sidebar.has_class(wanted):  # a class change restyles the whole side panel
            sidebar.remove_class("-narrow", "-medium", "-wide").add_class(wanted)
        self._render_status(event.size.width)

    def on_mount(self) -> None:
        self._attention = _contradicted(self.workbench.context)
        self.render_result(structure=True)
        # the table's SMAA run is scheduled like after any change (debounced), once mounted: the
        # first frame is drawn without numpy or a worker competing with it
        self.call_after_refresh(self._smaa_changed)

    # ------------------------------------------------------------------ rendering

    def display_order(self) -> tuple[str, ...]:
        """The picked drugs in the table's order: the result's display order, or library order."""
        wb = self.workbench
        if self.order == "library" or wb.result is None:
            return wb.selected
        return tuple(d.id for d in wb.result.drugs)

    def _weights_panels(self) -> list[WeightsPanel]:
        """The weights panel once built (none before the weights were first opened)."""
        if not self.query_one("#weights-tab").children:
            return []
        from workbench.app.widgets.weights import WeightsPanel

        return list(self.query(WeightsPanel))

    def _case_panels(self) -> list[CasePanel]:
        """The case panel once built (none before the case was first opened)."""
        if not self.query_one("#case-tab").children:
            return []
        from workbench.app.widgets.case import CasePanel

        return list(self.query(CasePanel))

    def render_result(self, *, structure: bool = False) -> None:
        """Show the workbench's current Result, the notes following the table cursor;
        `structure` also refreshes the hint."""
        wb = self.workbench
        result = wb.result
        table = self.query_one(ComparisonTable)
        if result is not None:
            table.show(result, self.display_order(), focus=self.focused_drug)
        self.query_one(ContributionBars).show(result if wb.selected else None)
        for panel in self._weights_panels():
            panel.show(wb.importance, wb.weights, wb.preset_id)
        if structure and result is not None and result.derived is not None:
            for case in self._case_panels():
                case.show_derived(result.derived)
        self._render_status()
        if structure:
            hint = self.query_one("#empty-hint", Static)
            table.display = bool(wb.selected) and result is not None
            hint.display = not table.display
            hint.update(NO_DRUGS if result is not None else _no_result_hint(wb.library.root))
        self.focused_drug = table.focused_drug if wb.selected else None
        self.query_one(NotesPane).show(self.focused_drug, result, wb.library)
        self._smaa_changed()

    # ------------------------------------------------------------------ SMAA row

    def _smaa_changed(self) -> None:
        """Show the SMAA run that matches the comparison now, else schedule one (debounced)."""
        wb = self.workbench
        smaa = wb.smaa
        self.query_one(ComparisonTable).show_smaa(smaa)
        self._show_disagreement(smaa)
        if smaa is None and wb.result is not None and wb.selected and self.is_mounted:
            if self._smaa_timer is not None:
                self._smaa_timer.stop()
            self._smaa_timer = self.set_timer(SMAA_DELAY, self._run_smaa)

    def _show_disagreement(self, smaa: Result | None) -> None:
        line = self.query_one("#disagreement", Static)
        words = wording.disagreement(smaa) if smaa is not None else ""
        line.display = bool(words)
        if words:
            line.update(Text(f"⚠ {clean_line(words)}"))

    def _run_smaa(self) -> None:
        wb = self.workbench
        self._smaa_timer = None
        if wb.result is None or not wb.selected or wb.smaa is not None:
            return
        self._smaa_worker(wb.prepared, dict(wb.importance))

    @work(exclusive=True, thread=True, group="table-smaa")
    def _smaa_worker(self, prepared: Prepared, importance: dict[str, float]) -> None:
        """SMAA for the table's P(first) row, off the UI thread; a newer run cancels this one."""
        from textual.worker import get_current_worker

        worker = get_current_worker()
        try:
            result = self.workbench.run_smaa(prepared, importance)
        except Exception as error:  # shown, never fatal: the table stays usable
            message = f"SMAA for the table failed: {error}"
            if not worker.is_cancelled:
                self.app.call_from_thread(self.notify, message, severity="warning", markup=False)
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._smaa_done, prepared, importance, result)

    def _smaa_done(self, prepared: Prepared, importance: dict[str, float], result: Result) -> None:
        self.workbench.keep_smaa(prepared, importance, result)
        smaa = self.workbench.smaa
        if not (self.query(ComparisonTable) and self.query("#disagreement")):
            return  # a run that ended while the app closes: its widgets are gone
        if smaa is not None:  # still the comparison shown
            self.query_one(ComparisonTable).show_smaa(smaa)
            self._show_disagreement(smaa)

    def _render_status(self, width: int | None = None) -> None:
        wb = self.workbench
        library = wb.library
        preset = next((p.label for p in library.presets if p.id == wb.preset_id), "custom weights")
        errors = len(library.errors)
        problems = f"{errors} profile problem{'s' if errors != 1 else ''} (p)" if errors else ""
        if self._attention:
            count = len(self._attention)
            fields = (
                f"{count} case field{'s' if count != 1 else ''} need{'s' if count == 1 else ''}"
            )
            attention = f"{ATTENTION_MARK} {fields} attention (c)"
            problems = f"{attention} · {problems}" if problems else attention
        parts = [
            ("workbench", "bold", 3),
            (f"{len(wb.selected)}/{len(library.profiles)} drugs", "", 1),
            (clean_line(preset), "", 2),
            (wb.context.region.upper(), "", 1),
            ("by rank" if self.order == "rank" else "library order", "", 4),
            ("in tiers" if wb.rank_mode == "tiers" else "ranked together", "", 4),
            ("? keys", "", 2),
        ]
        room = (width if width is not None else self.app.size.width) - 2
        disclaimer = "decision support, not a prescription"
        text = status_line([*parts, (disclaimer, "italic", 5)], room, problems=problems)
        if disclaimer not in text.plain:  # the short form when the long one does not fit
            short = ("not a prescription", "italic", 2)
            text = status_line([*parts, short], room, problems=problems)
        if text != self._status:
            self._status = text
            self.query_one("#status", Static).update(text, layout=False)

    def library_changed(self) -> None:
        """Re-show everything after the library was reloaded."""
        wb = self.workbench
        self.query_one(CandidatePicker).show(wb.library.profiles, wb.selected)
        for panel in self._weights_panels():
            panel.rebuild()
        self.render_result(structure=True)

    def refresh_picks(self) -> None:
        """Re-show the picker and the table after the picks changed."""
        wb = self.workbench
        self.query_one(CandidatePicker).show(wb.library.profiles, wb.selected)
        self.render_result(structure=True)

    def refresh_all(self) -> None:
        """Re-show everything after the picks or the case changed from outside (palette, file)."""
        wb = self.workbench
        self.query_one(CandidatePicker).show(wb.library.profiles, wb.selected)
        panels = self._case_panels()
        for panel in panels:
            panel.show(wb.context)  # it posts the fields that need attention
        if not panels:
            self._attention = _contradicted(wb.context)
        self.render_result(structure=True)

    # ------------------------------------------------------------------ user changes

    @on(CandidatePicker.Toggled)
    def _toggled(self, event: CandidatePicker.Toggled) -> None:
        wb = self.workbench
        wb.toggle(event.drug_id)
        self.query_one(CandidatePicker).show(wb.library.profiles, wb.selected)
        if event.drug_id in wb.selected:
            self.focused_drug = event.drug_id
        self.render_result(structure=True)

    @on(CandidatePicker.Highlighted)
    def _highlighted(self, event: CandidatePicker.Highlighted) -> None:
        if not self.query_one(CandidateList).has_focus:
            return  # the list highlighting its first drug by itself does not move the table
        if event.drug_id in self.workbench.selected and event.drug_id != self.focused_drug:
            self.focused_drug = event.drug_id
            self.query_one(ComparisonTable).move_to_drug(event.drug_id)
            self.query_one(NotesPane).show(
                event.drug_id, self.workbench.result, self.workbench.library
            )

    def on_weight_slider_changed(self, event: WeightSlider.Changed) -> None:
        try:
            self.workbench.set_importance(event.concern, event.importance)
        except WeightError as error:
            self.notify(str(error), severity="warning", markup=False)
            self.render_result()  # every slider redrawn from the model (the refused value too)
            return
        self.render_result()

    def on_weights_panel_preset_chosen(self, event: WeightsPanel.PresetChosen) -> None:
        self.workbench.apply_preset(event.preset_id)
        self.render_result()

    def on_case_panel_attention(self, event: CasePanel.Attention) -> None:
        self._attention = event.fields
        self._render_status()

    def on_case_panel_changed(self, event: CasePanel.Changed) -> None:
        self.workbench.set_context(event.context)
        self.render_result(structure=True)

    @on(ComparisonTable.Highlighted)
    def _column_highlighted(self, event: ComparisonTable.Highlighted) -> None:
        drug_id = event.drug_id
        if drug_id != self.query_one(ComparisonTable).focused_drug:
            return  # stale: the cursor moved on (or the drug was unpicked) after it was posted
        if drug_id != self.focused_drug:
            self.focused_drug = drug_id
            self.query_one(NotesPane).show(drug_id, self.workbench.result, self.workbench.library)

    @on(ComparisonTable.Selected)
    def _column_selected(self, event: ComparisonTable.Selected) -> None:
        self.focused_drug = event.drug_id
        self.action_details()

    # ------------------------------------------------------------------ actions

    def action_toggle_sidebar(self) -> None:
        """Hide the side panel to give the table the whole width, or show it again."""
        sidebar = self.query_one("#sidebar")
        sidebar.display = not sidebar.display
        if not sidebar.display:
            self.action_focus_table()

    def _open_sidebar(self, panel: str) -> AwaitMount | None:
        """Show the side panel with the tab `panel` open; the mount when it is built now."""
        self.query_one("#sidebar").display = True
        tabs = self.query_one(SideTabs)
        if tabs.active != panel:
            tabs.active = panel
            for pane in self.query(".side-pane"):
                pane.set_class(pane.id == f"{panel}-tab", "-open")
        return self._fill(panel) if panel in ("weights", "case") else None

    @on(SideTabs.Chosen)
    def _tab_chosen(self, event: SideTabs.Chosen) -> None:
        self._open_sidebar(event.tab)

    def _fill(self, panel: str) -> AwaitMount | None:
        """Build the weights or case panel the first time it is shown (None when it is there
        already): both are hidden at start-up, and composing them then would only slow down the
        first frame."""
        pane = self.query_one(f"#{panel}-tab")
        if pane.children:
            return None
        wb = self.workbench
        library = wb.library
        widget: Widget
        if panel == "weights":
            from workbench.app.widgets.weights import WeightsPanel

            widget = WeightsPanel(wb)
        else:
            from workbench.app.widgets.case import CasePanel

            widget = CasePanel(
                wb.context,
                [(p.id, p.name) for p in library.profiles],
                [(t.id, t.name) for t in library.other_treatments],
                None if wb.result is None else wb.result.derived,
            )
        return pane.mount(widget)

    async def action_filter(self) -> None:
        """Open the drug list and type into its filter (made when first wanted)."""
        self._open_sidebar("drugs")
        field = await self.query_one(CandidatePicker).open_filter()
        self.set_focus(field)

    def action_panel(self, panel: str) -> None:
        """Open a sidebar tab and focus its first control (once built, for the weights and case)."""
        mounting = self._open_sidebar(panel)
        if mounting is None:
            self._focus_first(panel)
            return

        async def focus_when_built() -> None:
            await mounting
            self._focus_first(panel)

        self.call_later(focus_when_built)

    def _focus_first(self, panel: str) -> None:
        controls = self.query_one(f"#{panel}-tab").query(PANELS[panel])
        if controls:  # none yet when the panel key is pressed again while it is built
            # At once, not later: keys typed right after the panel key go to its first field.
            self.set_focus(controls.first())

    def action_focus_table(self) -> None:
        self.set_focus(self.query_one(ComparisonTable))

    def action_leave_field(self) -> None:
        """Leave a field or panel for the table (the drug list when no drug is shown)."""
        table = self.query_one(ComparisonTable)
        if table.display:
            self.set_focus(table)
        else:
            self.set_focus(self.query_one(CandidateList))

    def action_toggle_order(self) -> None:
        """Order the table by rank (the result's display order) or as in the library."""
        self.order = "library" if self.order == "rank" else "rank"
        self.render_result()
        self.notify(
            "Table in rank order." if self.order == "rank" else "Table in library order.",
            timeout=2,
        )

    def action_toggle_bars(self) -> None:
        """Show or hide the contribution bars under the table."""
        self.query_one(ContributionBars).toggle()

    def action_toggle_rank_mode(self) -> None:
        """Rank within eligibility tiers (eligible first), or everything together."""
        wb = self.workbench
        wb.set_rank_mode("all-together" if wb.rank_mode == "tiers" else "tiers")
        self.render_result()
        words = "within eligibility tiers" if wb.rank_mode == "tiers" else "all together"
        self.notify(f"Ranking {words}.", timeout=2)

    def action_cycle_layout(self) -> None:
        """Drugs as columns when they fit (auto), always as rows, or always as columns."""
        table = self.query_one(ComparisonTable)
        table.layout_mode = LAYOUT_MODES[(LAYOUT_MODES.index(table.layout_mode) + 1) % 3]
        table.relayout()
        words = {"auto": "by width", "rows": "drugs as rows", "columns": "drugs as columns"}
        self.notify(f"Table layout: {words[table.layout_mode]}.", timeout=2)

    def action_pick_all(self) -> None:
        """Pick every loaded drug."""
        self.workbench.pick_all()
        self.refresh_picks()

    def action_pick_none(self) -> None:
        """Unpick every drug."""
        self.workbench.pick_none()
        self.refresh_picks()

    def action_pick_matching(self) -> None:
        """Pick only the drugs the filter matches (name, brand, class or id)."""
        query = self.query_one(CandidatePicker).filter_text
        if not query.strip():
            self.notify("Type a filter first (/), then pick only its drugs.", severity="warning")
            return
        chosen = [p.id for p in self.workbench.library.profiles if matches(p, query)]
        self._pick_group(chosen, only=True, which=f"matching “{clean_line(query)}”")

    def action_pick_class(self) -> None:
        """Also pick every drug of the focused drug's class (in the list, else in the table)."""
        wb = self.workbench
        picker = self.query_one(CandidatePicker)
        drug_id = self.focused_drug
        if picker.candidates.has_focus and picker.candidates.highlighted_id is not None:
            drug_id = picker.candidates.highlighted_id
        profile = next((p for p in wb.library.profiles if p.id == drug_id), None)
        if profile is None:
            self.notify("Put the cursor on a drug first.", severity="warning")
            return
        same = [p.id for p in wb.library.profiles if p.drug_class == profile.drug_class]
        self._pick_group(same, only=False, which=f"of the class {clean_line(profile.drug_class)}")

    def _pick_group(self, group: list[str], *, only: bool, which: str) -> None:
        """Pick the drugs of `group` (`only`: and no others) and say how many, `which` they are."""
        wb = self.workbench
        wb.set_selected(group if only else [*wb.selected, *group])
        self.refresh_picks()
        drugs = f"{len(group)} drug{'s' if len(group) != 1 else ''}"
        self.notify(
            f"Picked {'only ' if only else ''}the {drugs} {which}.", markup=False, timeout=3
        )

    def action_focus_notes(self) -> None:
        self.query_one(NotesPane).focus()

    def action_toggle_maximize(self) -> None:
        """Give the focused table or notes the whole screen, or put it back."""
        if self.maximized is not None:
            self.minimize()
        elif self.focused is not None and self.focused.allow_maximize:
            self.maximize(self.focused)

    def action_calendar(self) -> None:
        """Open the dated monitoring schedule of the focused drug."""
        wb = self.workbench
        if self.focused_drug is None:
            self.notify("Pick a drug first.", severity="warning")
            return
        if self.app.screen is not self:
            return
        try:
            profile = wb.library.profile(self.focused_drug)
        except KeyError:
            return
        import datetime as dt

        from workbench.app.screens.calendar import CalendarScreen
        from workbench.engine.monitoring_calendar import add_months, monitoring_calendar

        context = wb.context
        done = context.months_on_current if context.current_dmt == profile.id else 0
        horizon = context.horizon_months or wb.library.horizon_months
        start = add_months(dt.date.today(), -(done or 0))
        calendar = monitoring_calendar(profile, context.region, start, horizon + (done or 0))
        self.app.push_screen(CalendarScreen(calendar))

    def action_details(self) -> None:
        """Open the full profile and citations of the focused drug."""
        wb = self.workbench
        if self.focused_drug is None:
            self.notify("Pick a drug first.", severity="warning")
            return
        if self.app.screen is not self:  # a second enter queued before the first opened it
            return
        try:
            profile = wb.library.profile(self.focused_drug)
        except KeyError:
            return
        from workbench.app.screens.detail import ProfileScreen

        self.app.push_screen(ProfileScreen(profile, wb.library.criteria))

    def action_preset(self, step: int) -> None:
        """Apply the previous or next preset."""
        presets = [p.id for p in self.workbench.library.presets]
        if not presets:
            return
        current = self.workbench.preset_id
        index = presets.index(current) + step if current in presets else 0
        self.workbench.apply_preset(presets[index % len(presets)])
        self.render_result()
