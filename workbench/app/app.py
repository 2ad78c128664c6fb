"""The Textual app: screens, app-wide keys, command palette commands and reloading from disk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.markup import escape
from textual.screen import Screen

from workbench.app.screens.main import MainScreen
from workbench.app.state import Workbench
from workbench.engine.result import Result
from workbench.engine.weights import WeightError
from workbench.text import clean_line

if TYPE_CHECKING:
    from workbench.app.served import Served

DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"


class WorkbenchApp(App[None]):
    """Compare disease-modifying therapies for one patient. Build it with `create_app`."""

    CSS_PATH = "app.tcss"
    TITLE = "workbench"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Keys", tooltip="Every key and symbol", priority=True),
        Binding("p", "problems", "Problems", tooltip="Profiles that could not be loaded"),
        Binding("r", "reload", "Reload", tooltip="Reload the profiles from disk"),
        Binding("t", "toggle_theme", "Light/dark theme", show=False),
        Binding("q", "quit", "Quit", show=False),
    ]

    def __init__(
        self,
        workbench: Workbench,
        profiles_dir: Path,
        *,
        theme: str | None = None,
        cursor_blink: bool = True,
        today: dt.date | None = None,
        served: Served | None = None,
    ) -> None:
        super().__init__()
        self.served = served
        """Set under `workbench serve`: files are downloads, cases come from the teaching folder."""
        self.workbench = workbench
        self.profiles_dir = profiles_dir
        self.cursor_blink = cursor_blink
        self.today = today
        self.main = MainScreen(workbench)
        self.startup_messages: list[str] = []
        """Shown as notifications when the app starts (what opening a case at start skipped)."""
        self.terminal_fd: int | None = None
        """The terminal the app runs in, when it should end once that is gone (`watch_terminal`)."""
        if theme is not None:
            self.theme = theme

    def on_mount(self) -> None:
        for message in self.startup_messages:
            self.notify(message, title="Case", markup=False)
        if self.terminal_fd is not None:
            from workbench.app.terminal_watch import CHECK_SECONDS

            self.set_interval(CHECK_SECONDS, self._check_terminal)

    def watch_terminal(self, fd: int) -> None:
        """End the app when the terminal `fd` goes away (set before `run`)."""
        self.terminal_fd = fd

    def _check_terminal(self) -> None:
        from workbench.app.terminal_watch import terminal_gone

        if self.terminal_fd is not None and terminal_gone(self.terminal_fd):
            self.exit()

    def get_default_screen(self) -> Screen[None]:
        return self.main

    # ------------------------------------------------------------------ actions

    def action_help(self) -> None:
        """Show every key (or close the help when it is open)."""
        from workbench.app.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        else:
            self.push_screen(HelpScreen())

    def action_problems(self) -> None:
        """Show the profiles that could not be loaded."""
        from workbench.app.screens.problems import ProblemsScreen

        if not isinstance(self.screen, ProblemsScreen):
            self.push_screen(ProblemsScreen(self.workbench.library.problems))

    def _open_view(self, kind: type[Screen[None]], make: Callable[[Result], Screen[None]]) -> None:
        """Open a view of the comparison shown (once; a hint when no drug is picked)."""
        result = self.workbench.result
        if result is None or not self.workbench.selected:
            self.notify("Pick at least one drug first.", severity="warning")
            return
        if not isinstance(self.screen, kind):
            self.push_screen(make(result))

    def action_sensitivity(self) -> None:
        """Open the sensitivity view (SMAA runs in a worker thread)."""
        from workbench.app.screens.sensitivity import SensitivityScreen

        self._open_view(SensitivityScreen, lambda result: SensitivityScreen(self.workbench, result))

    def action_forest(self) -> None:
        """Open the forest view of the comparison shown."""
        from workbench.app.screens.forest import ForestScreen

        self._open_view(ForestScreen, ForestScreen)

    def action_toggle_theme(self) -> None:
        """Switch between the dark and the light theme."""
        self.theme = LIGHT_THEME if self.current_theme.dark else DARK_THEME

    def action_reload(self) -> None:
        """Load the profiles directory again (new problems too), keeping picks, weights and case."""
        from workbench.app.screens.problems import ProblemsScreen
        from workbench.profiles.loader import load_library

        wb = self.workbench
        names = {p.id: p.name for p in wb.library.profiles}
        picked, missing = set(wb.selected), set(wb.missing_picks)
        library = load_library(self.profiles_dir, today=self.today)
        wb.replace_library(library)
        self.main.library_changed()
        for screen in self.screen_stack:
            if isinstance(screen, ProblemsScreen):
                screen.show(library.problems)
        errors = len(library.errors)
        self.notify(
            f"Reloaded {len(library.profiles)} profiles from {clean_line(str(self.profiles_dir))}; "
            f"{errors} problem{'s' if errors != 1 else ''}.",
            severity="warning" if errors else "information",
            markup=False,
        )
        for drug_id in sorted(picked - {p.id for p in library.profiles}):
            count = sum(1 for p in library.errors if Path(p.path).stem == drug_id)
            why = (
                f"its file has {count} problem{'s' if count != 1 else ''}"
                if count
                else "its profile is no longer loaded"
            )
            self.notify(
                f"{clean_line(names.get(drug_id, drug_id))} left the comparison: {why} "
                "(p lists them). It is picked again once its file loads.",
                title="Drug left the comparison",
                severity="warning",
                markup=False,
                timeout=10,
            )
        back = sorted(missing & set(wb.selected))
        if back:
            shown = ", ".join(clean_line(wb.library.profile(i).name) for i in back)
            self.notify(f"Picked again: {shown}.", title="Reloaded", markup=False)

    def action_command_palette(self) -> None:
        """Open the command palette (guarded against Textual 8.2.8's paging crash)."""
        from workbench.app.screens.palette import GuardedCommandPalette

        open_ = any(isinstance(screen, GuardedCommandPalette) for screen in self.screen_stack)
        if self.use_command_palette and not open_:
            self.push_screen(GuardedCommandPalette(id="--command-palette"))

    def action_export_note(self) -> None:
        """Save a case note of the current comparison and say where (a download when served)."""
        from workbench.report.casenote import case_note_name, render_case_note, save_case_note

        self._export("Case note", case_note_name, render_case_note, save_case_note)

    def _export(
        self,
        what: str,
        name: Callable[[dt.datetime], str],
        render: Callable[..., str],
        save: Callable[[Result], Path],
    ) -> None:
        """Save `what` of the current comparison (with SMAA when it was computed) and say where;
        served, the browser gets it as a download named `name(now)` instead."""
        result = self.workbench.smaa or self.workbench.result
        if result is None:
            self.notify("Nothing to export: no concerns are loaded.", severity="warning")
            return
        if self.served is not None:
            now = dt.datetime.now()
            self.download(name(now), render(result, today=now.date()))
            return
        try:
            path = save(result)
        except OSError as error:
            self.notify(f"{what} not saved: {error}", severity="error", markup=False)
            return
        self.notify(f"{what} saved to {clean_line(str(path))}", title=what, markup=False)

    def download(self, name: str, text: str) -> bool:
        """Serve mode: hand `text` to the browser as the file `name` (rate-limited)."""
        import io

        assert self.served is not None
        wait = self.served.export_wait()
        if wait > 0:
            self.notify(
                f"One download every {self.served.interval:g} s: try again in {wait:.1f} s.",
                severity="warning",
                markup=False,
            )
            return False
        self.deliver_text(io.StringIO(text), save_filename=name, encoding="utf-8")
        self.notify(f"{name} sent to your browser as a download.", title="Download", markup=False)
        return True

    def action_export_page(self) -> None:
        """Save the page to share (self-contained HTML) of the current comparison and say where
        (a download when served)."""
        from workbench.report.html_page import page_name, render_page, save_page

        self._export("Page to share", page_name, render_page, save_page)

    def action_save_case(self) -> None:
        """Ask for a file name, then save the drugs, weights and case there (served: download)."""
        from workbench.app.screens.file_dialog import FileDialog
        from workbench.session import default_case_dir

        if self.served is not None:
            from workbench.session import case_text

            name = f"case-{dt.datetime.now():%Y-%m-%d-%H%M%S}.toml"
            self.download(name, case_text(self.workbench.to_case()))
            return
        self.push_screen(FileDialog("Save case as", default_case_dir(), "case"), self._save_case)

    def _save_case(self, path: Path | None) -> None:
        from workbench.session import CaseFileError, save_case

        if path is None:
            return
        try:
            save_case(self.workbench.to_case(), path)
        except CaseFileError as error:
            self.notify(str(error), title="Case not saved", severity="error", markup=False)
            return
        self.notify(f"Case saved to {clean_line(str(path))}", title="Case", markup=False)

    def action_open_case(self) -> None:
        """Ask for a case file, then show its drugs, weights and case (served: a teaching case)."""
        from workbench.app.screens.file_dialog import FileDialog
        from workbench.session import default_case_dir

        served = self.served
        if served is None:
            self.push_screen(FileDialog("Open case", default_case_dir()), self._open_case)
            return
        names = served.teaching_cases()
        if served.cases is None or not names:
            self.notify(
                "No teaching cases: this room was started without a --cases folder holding any.",
                severity="warning",
                markup=False,
            )
            return
        self.push_screen(
            FileDialog("Open a teaching case", served.cases, choices=names), self._open_case
        )

    def _open_case(self, path: Path | None) -> None:
        if path is None:
            return
        if self.served is not None:
            teaching = self.served.teaching_case(path.name)
            if teaching is None or teaching != path:
                self.notify("Not a teaching case.", severity="error", markup=False)
                return
        self.open_case_file(path)

    def open_case_file(self, path: Path) -> bool:
        """Show a saved case's drugs, weights and context; say what was skipped or went wrong."""
        from workbench.session import CaseFileError, load_case

        library = self.workbench.library
        try:
            loaded = load_case(
                path,
                [p.id for p in library.profiles],
                known_concern_ids=[c.id for c in library.criteria],
            )
            self.workbench.apply_case(loaded.case)
        except (CaseFileError, WeightError) as error:
            self.notify(
                clean_line(str(error)), title="Case not opened", severity="error", markup=False
            )
            return False
        self.main.refresh_all()
        for warning in loaded.warnings:
            self.notify(
                clean_line(warning),
                title="Case opened with changes",
                severity="warning",
                markup=False,
            )
        shown = path.name if self.served is not None else str(path)
        self.notify(f"Opened {clean_line(shown)}", title="Case", markup=False)
        return True

    # ------------------------------------------------------------------ command palette

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        wb = self.workbench
        yield SystemCommand(
            "Sensitivity analysis", "SMAA and one-way weight ranges", self.action_sensitivity
        )
        yield SystemCommand(
            "Forest plots",
            "Every concern's figures beside their comparators (F)",
            self.action_forest,
        )
        yield SystemCommand(
            "Contribution bars",
            "Show / hide each drug's total as stacked contributions (B)",
            self.main.action_toggle_bars,
        )
        yield SystemCommand(
            "Export page to share",
            "An HTML page with the case, the comparison and the pictures (E)",
            self.action_export_page,
        )
        yield SystemCommand(
            "Profile problems", "Profiles that could not be loaded", self.action_problems
        )
        yield SystemCommand(
            "Reload profiles", "Read the profiles directory again", self.action_reload
        )
        yield SystemCommand("Keys", "Every key of the app", self.action_help)
        yield SystemCommand(
            "Export case note", "Save a Markdown case note", self.action_export_note
        )
        yield SystemCommand(
            "Save case", "Save drugs, weights and case to a file", self.action_save_case
        )
        yield SystemCommand("Open case", "Open a saved case", self.action_open_case)
        main = self.main
        yield SystemCommand("Pick all drugs", "Compare every drug (a)", main.action_pick_all)
        yield SystemCommand("Pick no drug", "Unpick every drug (u)", main.action_pick_none)
        yield SystemCommand(
            "Pick only the drugs matching the filter",
            "Type a filter with / first (f)",
            main.action_pick_matching,
        )
        yield SystemCommand(
            "Pick the drugs of this class",
            "Also pick every drug of the focused drug's class (k)",
            main.action_pick_class,
        )
        yield SystemCommand(
            "Table order: rank / library", "Switch the table's order (l)", main.action_toggle_order
        )
        yield SystemCommand(
            "Ranking: tiers / all together",
            "Rank within eligibility tiers, or everything together for teaching (y)",
            main.action_toggle_rank_mode,
        )
        yield SystemCommand(
            "Table layout",
            "By width, drugs as rows, drugs as columns (g)",
            main.action_cycle_layout,
        )
        yield SystemCommand(
            "Dark theme", "Switch to the dark theme", lambda: self._set_theme(DARK_THEME)
        )
        yield SystemCommand(
            "Light theme", "Switch to the light theme", lambda: self._set_theme(LIGHT_THEME)
        )
        for preset in wb.library.presets:
            yield SystemCommand(
                f"Preset: {escape(clean_line(preset.label))}",
                escape(clean_line(preset.description)),
                lambda preset_id=preset.id: self._apply_preset(preset_id),
            )
        for profile in wb.library.profiles:
            picked = profile.id in wb.selected
            yield SystemCommand(
                f"{'Unpick' if picked else 'Pick'} {escape(clean_line(profile.name))}",
                f"{'Remove from' if picked else 'Add to'} the comparison",
                lambda drug_id=profile.id: self._toggle(drug_id),
                discover=False,
            )

    def _set_theme(self, theme: str) -> None:
        self.theme = theme

    def _apply_preset(self, preset_id: str) -> None:
        self.workbench.apply_preset(preset_id)
        self.main.render_result()

    def _toggle(self, drug_id: str) -> None:
        self.workbench.toggle(drug_id)
        self.main.refresh_all()
