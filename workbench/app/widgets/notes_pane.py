"""The notes pane: what to read about the focused drug, with the source behind every number."""

from __future__ import annotations

from rich.text import Text

from workbench.app.notes import drug_notes
from workbench.app.widgets.lines_view import LinesView
from workbench.engine.result import Result
from workbench.profiles.library import Library
from workbench.report import wording
from workbench.text import clean_line

NO_DRUG = Text("Notes: move the table cursor onto a drug.", style="dim")


class NotesPane(LinesView, can_focus=True):
    """Scrollable notes for one drug of the current Result, wrapped to the pane's width."""

    def __init__(self) -> None:
        super().__init__(id="notes", can_maximize=True)
        self.drug_id: str | None = None
        self.text = NO_DRUG
        """The notes shown (wrapped to the width when drawn)."""
        self._title: str | None = None
        """The border title last set (setting the title redraws the pane)."""
        self._shown: tuple[object, ...] | None = None
        """What the notes text was made from: a weight change alters none of it, so the text
        (slow to build and wrap) is not rebuilt or re-laid out on every weight key."""

    def make_lines(self, width: int) -> list[Text]:
        return self.wrap(self.text, width)

    def _set_text(self, text: Text) -> None:
        self.text = text
        self.invalidate()

    def show(self, drug_id: str | None, result: Result | None, library: Library) -> None:
        """Show the notes of `drug_id` (or a hint when no picked drug is focused)."""
        drugs = result.drugs if result is not None else ()
        drug = next((d for d in drugs if d.id == drug_id), None)
        if drug is None or result is None:
            self.drug_id = None
            self._shown = None
            self.border_title = self._title = None
            self._set_text(NO_DRUG)
            return
        title = f" Notes: {clean_line(drug.name)} · {wording.rank(drug)} "
        if title != self._title:  # setting it redraws the pane: not on every weight key
            self._title = title
            self.border_title = Text(title)
        if drug_id != self.drug_id:
            self.scroll_home(animate=False)
        self.drug_id = drug_id
        made_from = (
            drug.id,
            id(library),
            result.context,
            result.rank_mode,
            drug.eligibility,
            result.preset,
        )
        if made_from == self._shown:
            return
        self._shown = made_from
        try:
            profile = library.profile(drug.id)
        except KeyError:
            self._set_text(Text(f"{drug.name}: profile no longer loaded.", style="italic"))
            return
        notes = drug_notes(drug, profile, result)
        notes.append(f"\n{clean_line(wording.preset(result))}")
        for line in wording.not_relevant(result):
            notes.append(f"\n{clean_line(line)}", style="bold")
        notes.append("\nRanking policy: ", style="bold")
        notes.append(result.policy)
        self._set_text(notes)
