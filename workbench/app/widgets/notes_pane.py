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
        self.body = NO_DRUG
        """The drug's notes (slow to build and wrap: made again only when what they are made
        from changed, see `_shown`)."""
        self.tail = Text()
        """The lines about the whole comparison after them (the preset in use, concerns not
        relevant, the ranking policy): cheap, and a weight key may change them."""
        self._title: str | None = None
        """The border title last set (setting the title redraws the pane)."""
        self._shown: tuple[object, ...] | None = None
        """What the body was made from: a weight change alters none of it, so the body is not
        rebuilt or re-wrapped on every weight key."""
        self._body_lines: tuple[int, list[Text]] = (-1, [])
        """The body wrapped, and the width it was wrapped to."""

    @property
    def text(self) -> Text:
        """The notes shown: the body, then the tail."""
        return Text("\n").join([self.body, self.tail]) if self.tail else self.body

    def make_lines(self, width: int) -> list[Text]:
        if self._body_lines[0] != width:
            self._body_lines = (width, self.wrap(self.body, width))
        body = self._body_lines[1]
        return [*body, *self.wrap(self.tail, width)] if self.tail else list(body)

    def _set_text(self, body: Text | None, tail: Text) -> None:
        """Show a new body (None: the same) and `tail`; re-wrapped only where changed."""
        if body is None and tail.plain == self.tail.plain:
            return
        self.tail = tail
        if body is None and self._body_lines[0] == self._made_for:
            width, lines = self._body_lines
            self.replace_from(len(lines), self.wrap(tail, width) if tail else [])
            return
        if body is not None:
            self.body = body
            self._body_lines = (-1, [])
        self.invalidate()

    def show(self, drug_id: str | None, result: Result | None, library: Library) -> None:
        """Show the notes of `drug_id` (or a hint when no picked drug is focused)."""
        drugs = result.drugs if result is not None else ()
        drug = next((d for d in drugs if d.id == drug_id), None)
        if drug is None or result is None:
            self.drug_id = None
            self._shown = None
            self.border_title = self._title = None
            self._set_text(NO_DRUG, Text())
            return
        title = f" Notes: {clean_line(drug.name)} · {wording.rank(drug)} "
        if title != self._title:  # setting it redraws the pane: not on every weight key
            self._title = title
            self.border_title = Text(title)
        if drug_id != self.drug_id:
            self.scroll_home(animate=False)
        self.drug_id = drug_id
        made_from = (drug.id, id(library), result.context, result.rank_mode, drug.eligibility)
        body: Text | None = None
        if made_from != self._shown:
            self._shown = made_from
            try:
                body = drug_notes(drug, library.profile(drug.id), result)
            except KeyError:
                body = Text(f"{drug.name}: profile no longer loaded.", style="italic")
        self._set_text(body, _tail(result))


def _tail(result: Result) -> Text:
    """The lines after a drug's notes about the whole comparison."""
    tail = Text(clean_line(wording.preset(result)))
    for line in wording.not_relevant(result):
        tail.append(f"\n{clean_line(line)}", style="bold")
    tail.append("\nRanking policy: ", style="bold")
    tail.append(result.policy)
    return tail
