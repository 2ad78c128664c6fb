"""The case panel: every PatientContext field, each with 'unknown' as a choice (empty = unknown)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.suggester import Suggester
from textual.widgets import Input, Label, Static

from workbench.app.case_checks import ATTENTION_MARK, contradictions
from workbench.app.widgets.choice import ChoiceField, SearchableChoice
from workbench.app.widgets.inputs import SteadyInput
from workbench.engine.context import (
    NO_CURRENT_DMT,
    ContextField,
    PatientContext,
    context_data,
    context_fields,
    parse_multi,
)
from workbench.engine.history import HistoryError, format_previous, parse_previous, unknown_ids
from workbench.report.wording import context_value

UNKNOWN = "unknown"
DERIVED = tuple(f.name for f in context_fields() if f.declared.from_history)
"""The fields the engine derives from the history when the case leaves them unknown."""
"""Case fields the engine derives from the treatment history when they are not given."""
YES_NO: list[tuple[str, object]] = [(UNKNOWN, None), ("yes", True), ("no", False)]


def _bounds(field: str) -> tuple[float, float]:
    """The (minimum, maximum) PatientContext allows for a numeric field."""
    for declared in context_fields():
        if declared.name == field:
            low = 0.0 if declared.low is None else declared.low
            return low, float("inf") if declared.high is None else declared.high
    return 0.0, float("inf")


def _choices(field: ContextField) -> list[tuple[str, object]]:
    """(display, value) for a list field: 'unknown' first where a field may be unknown."""
    if field.declared.kind == "yes-no":
        return YES_NO
    values = field.declared.choices
    shown: list[tuple[str, object]] = [
        (v.upper() if field.name == "region" else v, v) for v in values
    ]
    if "unknown" in values or field.default is not None:
        return shown
    return [(UNKNOWN, None), *shown]


class EntryField(Vertical):
    """`Label  [entry]` and, under it, a line saying what is wrong with the entry (a symbol and
    words, never colour alone): unreadable, out of range, or contradicting another field."""

    field: str
    keeps_last = False
    """Whether an unreadable entry leaves the last readable one in the case (else: unknown)."""

    def compose_entry(self, label: str, entry: Input) -> ComposeResult:
        with Horizontal(classes="case-entry"):
            yield Label(Text(label))
            yield entry
        yield Static(classes="case-problem")

    def mark(self, problem: str | None) -> None:
        """Show `problem` under the field (None: nothing is wrong)."""
        line = self.query_one(".case-problem", Static)
        line.display = problem is not None
        self.set_class(problem is not None, "-attention")
        if problem is not None:
            line.update(Text(f"{ATTENTION_MARK} {problem}"))


class TreatmentSuggester(Suggester):
    """Completes the last treatment of a history by its id or its name (`tysab` → the id)."""

    def __init__(self, treatments: Sequence[tuple[str, str]]) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self.treatments = [(i, i.casefold(), n.casefold().replace(" ", "-")) for i, n in treatments]

    async def get_suggestion(self, value: str) -> str | None:
        last = value.rpartition(",")[2]
        typed = last.lstrip()
        if not typed or ":" in typed:
            return None
        wanted = typed.casefold().replace(" ", "-")
        for drug_id, folded_id, folded_name in self.treatments:
            started = folded_id.startswith(wanted) or folded_name.startswith(wanted)
            if started and folded_id != wanted:
                return value[: len(value) - len(typed)] + drug_id
        return None


class TextField(EntryField):
    """`Label   [text]` for a treatment history or a conception plan; empty = unknown. A history
    completes treatment names as they are typed."""

    def __init__(
        self, field: ContextField, value: object, treatments: Sequence[tuple[str, str]] = ()
    ) -> None:
        long = " -long" if field.declared.kind in ("history", "multi") else ""  # the whole row
        super().__init__(id=f"case-{field.name}", classes=f"case-number{long}")
        self.field = field.name
        self.declared = field.declared
        self.initial = _show(field.name, value)
        self.treatments = treatments
        self.keeps_last = field.declared.kind == "history"  # a list typed item by item

    def compose(self) -> ComposeResult:
        placeholder = "unknown (24, planned, no)"
        suggester = None
        if self.declared.kind == "history":
            placeholder = "unknown (fingolimod:3,…)"
            suggester = TreatmentSuggester(self.treatments)
        elif self.declared.kind == "multi":
            placeholder = "unknown (none, or a list)"
        entry = SteadyInput(
            self.initial,
            placeholder=placeholder,
            compact=True,
            tooltip=self.declared.help,
            suggester=suggester,
        )
        yield from self.compose_entry(self.declared.label, entry)

    def problem(self, raw: str) -> str | None:
        """What is wrong with `raw`, in words (None when it reads)."""
        if self.parse(raw)[0]:
            return None
        if self.declared.kind == "history":
            return (
                "not readable: write ID, ID:MONTHS or ID:MONTHS:ON, comma-separated "
                "(the last readable list counts)"
            )
        if self.declared.kind == "multi":
            return f"not readable: write none, or of {', '.join(self.declared.choices)}"
        return "not readable: write months (e.g. 24), planned, or no"

    def parse(self, raw: str) -> tuple[bool, object]:
        """(valid, value): empty → unknown; unreadable → (False, None)."""
        text = raw.strip().lower()
        if not text:
            return True, None
        if self.declared.kind == "history":
            try:
                return True, parse_previous(text)
            except HistoryError:
                return False, None
        if self.declared.kind == "multi":
            try:
                return True, parse_multi(text, self.declared.choices)
            except ValueError:
                return False, None
        if text in ("no", "not planned", "not-planned"):
            return True, "not-planned"
        if text in ("planned", "yes"):
            return True, "planned"
        if text.isdigit() and int(text) <= 600:
            return True, int(text)
        return False, None

    def set_value(self, value: object) -> None:
        self.query_one(Input).value = _show(self.field, value)


def _show(name: str, value: object) -> str:
    if name == "previous_dmts":
        return format_previous(value if isinstance(value, tuple) else None)
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value) or "none"
    return "not planned" if value == "not-planned" else str(value)


class NumberField(EntryField):
    """`Label   [input]`: empty means unknown; a decimal comma reads as a point; anything else
    that is not a number in range is marked under the field and counts as unknown."""

    def __init__(self, field: str, label: str, integer: bool, value: float | None) -> None:
        super().__init__(id=f"case-{field}", classes="case-number")
        self.field = field
        self.label = label
        self.integer = integer
        self.initial = value

    def compose(self) -> ComposeResult:
        low, high = _bounds(self.field)
        entry = SteadyInput(
            "" if self.initial is None else _format(self.initial),
            placeholder=UNKNOWN,
            compact=True,
            tooltip=f"{low:g}–{high:g}; leave empty when unknown",
        )
        yield from self.compose_entry(self.label, entry)

    def parse(self, raw: str) -> tuple[bool, float | int | None]:
        """(valid, value): empty → (True, None); out of range or malformed → (False, None)."""
        value = _number(raw, integer=self.integer)
        if value is None:
            return not raw.strip(), None
        low, high = _bounds(self.field)
        return (True, value) if low <= value <= high else (False, None)

    def problem(self, raw: str) -> str | None:
        """What is wrong with `raw`, in words (None when it reads)."""
        if not raw.strip():
            return None
        value = _number(raw, integer=self.integer)
        if value is None:
            kind = "a whole number" if self.integer else "a number"
            return f"not {kind}: counts as unknown"
        low, high = _bounds(self.field)
        if not low <= value <= high:
            return f"outside {low:g}–{high:g}: counts as unknown"
        return None

    def set_value(self, value: float | None) -> None:
        self.query_one(Input).value = "" if value is None else _format(value)


def _number(raw: str, *, integer: bool) -> float | int | None:
    """The number typed (a decimal comma reads as a point: `2,1` is 2.1), or None."""
    text = raw.strip().replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    if integer:
        return int(value) if value.is_integer() else None
    return value


def _format(value: float) -> str:
    return f"{value:g}"


class CasePanel(VerticalScroll):
    """The patient context, field by field. Posts `Changed` with a validated new context."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "app.focus_previous", "Previous field", show=False),
        Binding("down", "app.focus_next", "Next field", show=False),
    ]

    class Changed(Message):
        """The user changed the case."""

        def __init__(self, context: PatientContext) -> None:
            super().__init__()
            self.context = context

    class Attention(Message):
        """Which case fields need attention now (unreadable, out of range or contradictory)."""

        def __init__(self, fields: tuple[str, ...]) -> None:
            super().__init__()
            self.fields = fields

    def __init__(
        self,
        context: PatientContext,
        drugs: Sequence[tuple[str, str]] = (),
        others: Sequence[tuple[str, str]] = (),
        derived: PatientContext | None = None,
    ) -> None:
        """`drugs`: (id, name) of the profiles, offered as the current DMT; `others`: of the
        other treatments a history may name besides them."""
        super().__init__(id="case")
        self.context = context
        self.drugs, self.others = drugs, others
        self.derived = derived
        """What the engine derived from the history (shown where the case leaves it unknown)."""
        self._entry_problems: dict[str, str] = {}
        self.attention: tuple[str, ...] = ()
        """The fields that need attention (shown in the header as a count)."""
        self.current_choices: list[tuple[str, object]] = [
            (UNKNOWN, None),
            ("none", NO_CURRENT_DMT),
            *((name, drug_id) for drug_id, name in drugs),
        ]

    def compose(self) -> ComposeResult:
        for field in context_fields():
            kind, value = field.declared.kind, getattr(self.context, field.name)
            label, widget_id = field.declared.label, f"case-{field.name}"
            if kind in ("choice", "yes-no"):
                yield ChoiceField(label, _choices(field), value, id=widget_id)
            elif kind == "drug":
                yield SearchableChoice(label, self.current_choices, value, id=widget_id)
            elif kind in ("integer", "number"):
                yield NumberField(field.name, label, kind == "integer", value)
            else:
                yield TextField(field, value, [*self.drugs, *self.others])

    def show(self, context: PatientContext) -> None:
        """Display another context (no messages)."""
        self.context = context
        with self.prevent(Input.Changed):
            for field in context_fields():
                widget = self.query_one(f"#case-{field.name}")
                value = getattr(context, field.name)
                if isinstance(widget, (ChoiceField, NumberField, TextField)):
                    widget.set_value(value)
        self._entry_problems.clear()
        self._mark()

    def on_mount(self) -> None:
        self._mark()
        if self.derived is not None:
            self.show_derived(self.derived)

    def show_derived(self, derived: PatientContext) -> None:
        """Fields the engine derives from the history when the case leaves them unknown (prior
        DMTs, prior immunosuppressant) show the derived value in place of 'unknown'."""
        for name in DERIVED:
            widget = self.query_one(f"#case-{name}")
            given = getattr(self.context, name) is not None
            words = UNKNOWN if given else context_value(self.context, name, derived)
            if isinstance(widget, NumberField):
                widget.query_one(Input).placeholder = words
            elif isinstance(widget, ChoiceField):
                choices = [(words if v is None else label, v) for label, v in widget.choices]
                if choices != widget.choices:
                    widget.set_choices(choices, widget.value)

    def _mark(self) -> None:
        """Mark every entry that needs attention and tell the screen which they are."""
        problems = dict(self._entry_problems)
        for field, words in contradictions(self.context):
            problems.setdefault(field, f"contradiction: {words}")
        for entry in self.query(EntryField):
            entry.mark(problems.get(entry.field))
        fields = tuple(problems)
        if fields != self.attention:
            self.attention = fields
            self.post_message(self.Attention(fields))

    def _update(self, field: str, value: Any) -> None:
        if getattr(self.context, field) != value:
            from workbench.engine.context_validation import validate_context  # pydantic: lazily

            self.context = validate_context({**context_data(self.context), field: value})
            self.post_message(self.Changed(self.context))
        self._mark()

    @on(ChoiceField.Changed)
    def _choice_changed(self, event: ChoiceField.Changed) -> None:
        event.stop()
        field = (event.field.id or "").removeprefix("case-")
        self._update(field, event.value)

    @on(Input.Changed)
    def _number_changed(self, event: Input.Changed) -> None:
        event.stop()
        holder = next((a for a in event.input.ancestors if isinstance(a, EntryField)), None)
        if isinstance(holder, (NumberField, TextField)):
            _, value = holder.parse(event.value)
            problem = holder.problem(event.value)
            unknown = self._unknown(holder.field, value) if problem is None else None
            if problem is None and unknown is None:
                self._entry_problems.pop(holder.field, None)
            else:
                self._entry_problems[holder.field] = problem or f"refused: {unknown}"
            refused = unknown is not None or (problem is not None and holder.keeps_last)
            if refused:  # an id that names nothing, or a history being typed, changes nothing
                self._mark()
            else:
                self._update(holder.field, value)

    def _unknown(self, field: str, value: object) -> str | None:
        """Why `value` of `field` is refused: an id naming no treatment (the CLI's check)."""
        candidate = self.context.replace(**{field: value})
        drugs = [drug_id for drug_id, _ in self.drugs]
        others = [drug_id for drug_id, _ in self.others]
        return next((w for f, w in unknown_ids(candidate, drugs, others) if f == field), None)
