"""The help dialog: every key of every screen and panel, generated from their bindings, and the
meaning of every symbol."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from workbench.app.screens.calendar import CalendarScreen
from workbench.app.screens.detail import ProfileScreen
from workbench.app.screens.forest import ForestScreen
from workbench.app.screens.main import MainScreen
from workbench.app.screens.problems import ProblemsScreen
from workbench.app.screens.sensitivity import SensitivityScreen
from workbench.app.widgets.case import CasePanel
from workbench.app.widgets.choice import ChoiceField
from workbench.app.widgets.comparison import ComparisonTable
from workbench.app.widgets.picker import CandidateList, FilterInput
from workbench.app.widgets.weights import WeightSlider, WeightsPanel
from workbench.engine.context import context_fields
from workbench.report.wording import (
    BASIS_MARKS,
    BASIS_WORDS,
    FLAG_IF,
    FLAG_MARKS,
    LEGEND,
    RESERVATION_WORDS,
    TIER_WORDS,
    UNDECIDED_MARK,
)

BUILT_IN: list[BindingType] = [
    Binding("ctrl+p", "command_palette", "Command palette: pick drugs, presets, theme, files …"),
    Binding("tab", "focus_next", "Next panel or field"),
    Binding("shift+tab", "focus_previous", "Previous panel or field"),
    Binding("ctrl+q", "quit", "Quit"),
]
NAVIGATION: list[BindingType] = [
    Binding("up,down", "move", "Move"),
    Binding("left,right", "move", "Previous / next drug column"),
]


def key_sections(app_bindings: Sequence[BindingType]) -> list[tuple[str, list[BindingType]]]:
    """The help's sections: a title and the bindings that apply there."""
    return [
        ("Everywhere", [*app_bindings, *BUILT_IN]),
        ("Main screen", list(MainScreen.BINDINGS)),
        ("Drug list", [*NAVIGATION[:1], *CandidateList.BINDINGS]),
        ("Drug filter", list(FilterInput.BINDINGS)),
        ("Comparison table", [*NAVIGATION[1:], *ComparisonTable.BINDINGS]),
        ("Weights: a concern", [*WeightSlider.BINDINGS, *WeightsPanel.BINDINGS]),
        ("Preset and case choices", [*ChoiceField.BINDINGS, *CasePanel.BINDINGS]),
        ("Sensitivity view", list(SensitivityScreen.BINDINGS)),
        ("Forest view", list(ForestScreen.BINDINGS)),
        ("Full profile", list(ProfileScreen.BINDINGS)),
        ("Monitoring calendar", list(CalendarScreen.BINDINGS)),
        ("Problems", list(ProblemsScreen.BINDINGS)),
    ]


def _grouped(bindings: Iterable[BindingType]) -> list[tuple[list[Binding], str]]:
    """Bindings with the same help text (tooltip, else description) merged, in order."""
    groups: dict[str, list[Binding]] = {}
    for binding in Binding.make_bindings(bindings):
        groups.setdefault(binding.tooltip or binding.description or binding.action, []).append(
            binding
        )
    return [(keys, description) for description, keys in groups.items()]


class HelpScreen(ModalScreen[None]):
    """Keys and symbols; escape, q or ? closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(Text("Keys", style="bold"), classes="screen-title")
            yield Static(self._keys(), id="help-keys")
            yield Static(Text("Symbols", style="bold"), classes="screen-title")
            yield Static(self._symbols(), id="help-symbols")
            yield Static(Text("Case fields", style="bold"), classes="screen-title")
            yield Static(case_fields_table(), id="help-case")

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def _keys(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True)
        table.add_column()
        for title, bindings in key_sections(type(self.app).BINDINGS):
            table.add_row(Text(title, style="bold underline"), "")
            for keys, description in _grouped(bindings):
                shown = " / ".join(dict.fromkeys(self.app.get_key_display(b) for b in keys))
                table.add_row(Text(shown, style="bold"), Text(description))
        return table

    def _symbols(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True)
        table.add_column()
        rows = [
            ("[x] / [ ]", "drug picked / not picked"),
            ("█▌···", "value bar: the longer, the better for the patient (0–1 of the scale)"),
            ("░░", "undetermined part: no data or a range the case leaves open"),
            ("+0.12", "weighted contribution of a concern to the total value"),
            ("no data", "no sourced number; scored at the worst end, never as safe"),
            ("⇥", "value outside the concern's scale, clamped to it"),
            ("↑ / ↓", "after a concern: a higher / a lower number is better"),
            ("#2 range", "rank of a drug whose total is a worst–best range, by its worst case"),
            ("not ranked", "no evidence on a weighted concern: listed after the ranked drugs"),
            ("– unrestricted", "no highly-active-disease reservation in the region"),
        ]
        for meets, (symbol, word) in RESERVATION_WORDS.items():
            status = {True: "meets", False: "does not meet", None: "may or may not meet"}[meets]
            rows.append((f"{symbol} {word}", f"restricted; the patient {status} the reservation"))
        for level, mark in FLAG_MARKS.items():
            rows.append((f"{mark}2", f"two {level} flags for this case"))
            rows.append(
                (
                    f"{mark}{UNDECIDED_MARK}1",
                    f"one {level} the case cannot decide yet ({FLAG_IF[level]} …)",
                )
            )
        for tier, words in TIER_WORDS.items():
            rows.append((words, TIER_MEANINGS.get(tier, "")))
        for line in LEGEND:
            if line.startswith("basis: "):
                continue
            rows.append(_legend_symbol(line))
        for basis, mark in BASIS_MARKS.items():
            rows.append((mark, f"basis of the figure: {BASIS_WORDS[basis]}"))
        for symbol, meaning in rows:
            table.add_row(Text(symbol, style="bold"), Text(meaning))
        return table


TIER_MEANINGS: dict[str, str] = {
    "eligible": "group: approved for this course in the region, reservation met, nothing against",
    "outside-label": "group: not approved here, course outside the indication, reservation not "
    "met, or off-label",
    "contraindicated": "group: a contraindication holds for this patient",
}


def _legend_symbol(line: str) -> tuple[str, str]:
    """A legend line split into its symbol and its words (`[a–b] 95% …` → `[a–b]`, `95% …`)."""
    for symbol in ("[a–b]", "(a–b)", "a … b"):
        if line.startswith(symbol):
            return symbol, line[len(symbol) :].strip()
    symbol, _, words = line.partition(": ")
    return (symbol, words) if words else (line, "")


def case_fields_table() -> Table:
    """Every case field with its label in the case panel and what it means, from its
    declaration (`workbench.engine.context`)."""
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column()
    for entry in context_fields():
        declared = entry.declared
        meaning = f"{declared.help} — {declared.effect}" if declared.effect else declared.help
        table.add_row(Text(declared.label, style="bold"), Text(meaning))
    table.add_row(
        Text("unknown", style="bold"),
        Text("any field may stay unknown: what depends on it shows a range or ?, never a guess"),
    )
    return table
