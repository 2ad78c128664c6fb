"""The case panel: every PatientContext field, each with 'unknown' as a choice (empty = unknown)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.validation import Number
from textual.widgets import Input, Label

from workbench.app.widgets.choice import ChoiceField
from workbench.app.widgets.inputs import SteadyInput
from workbench.engine.context import NO_CURRENT_DMT, ContextField, PatientContext, context_fields
from workbench.engine.history import HistoryError, format_previous, parse_previous

UNKNOWN = "unknown"
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


class TextField(Horizontal):
    """`Label   [text]` for a treatment history or a conception plan; empty = unknown."""

    def __init__(self, field: ContextField, value: object) -> None:
        super().__init__(id=f"case-{field.name}", classes="case-number")
        self.field = field.name
        self.declared = field.declared
        self.initial = _show(field.name, value)

    def compose(self) -> ComposeResult:
        yield Label(Text(self.declared.label))
        placeholder = "unknown (24, planned, no)"
        if self.declared.kind == "history":
            placeholder = "unknown (fingolimod:3,…)"
        yield SteadyInput(
            self.initial, placeholder=placeholder, compact=True, tooltip=self.declared.help
        )

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
    return "not planned" if value == "not-planned" else str(value)


class NumberField(Horizontal):
    """`Label   [input]`: empty means unknown; out-of-range input is marked, counts as unknown."""

    def __init__(self, field: str, label: str, integer: bool, value: float | None) -> None:
        super().__init__(id=f"case-{field}", classes="case-number")
        self.field = field
        self.label = label
        self.integer = integer
        self.initial = value

    def compose(self) -> ComposeResult:
        low, high = _bounds(self.field)
        yield Label(Text(self.label))
        yield SteadyInput(
            "" if self.initial is None else _format(self.initial),
            placeholder=UNKNOWN,
            type="integer" if self.integer else "number",
            validators=[Number(minimum=low, maximum=high)],
            valid_empty=True,
            compact=True,
            tooltip=f"{low:g}–{high:g}; leave empty when unknown",
        )

    def parse(self, raw: str) -> tuple[bool, float | int | None]:
        """(valid, value): empty → (True, None); out of range or malformed → (False, None)."""
        raw = raw.strip()
        if not raw:
            return True, None
        low, high = _bounds(self.field)
        try:
            value = int(raw) if self.integer else float(raw)
        except ValueError:
            return False, None
        return (True, value) if low <= value <= high else (False, None)

    def set_value(self, value: float | None) -> None:
        self.query_one(Input).value = "" if value is None else _format(value)


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

    def __init__(self, context: PatientContext, drugs: Sequence[tuple[str, str]] = ()) -> None:
        """`drugs`: (id, name) of the profiles, offered as the current DMT."""
        super().__init__(id="case")
        self.context = context
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
                yield ChoiceField(label, self.current_choices, value, id=widget_id)
            elif kind in ("integer", "number"):
                yield NumberField(field.name, label, kind == "integer", value)
            else:
                yield TextField(field, value)

    def show(self, context: PatientContext) -> None:
        """Display another context (no messages)."""
        self.context = context
        with self.prevent(Input.Changed):
            for field in context_fields():
                widget = self.query_one(f"#case-{field.name}")
                value = getattr(context, field.name)
                if isinstance(widget, (ChoiceField, NumberField, TextField)):
                    widget.set_value(value)

    def _update(self, field: str, value: Any) -> None:
        if getattr(self.context, field) == value:
            return
        self.context = PatientContext.model_validate({**self.context.model_dump(), field: value})
        self.post_message(self.Changed(self.context))

    @on(ChoiceField.Changed)
    def _choice_changed(self, event: ChoiceField.Changed) -> None:
        event.stop()
        field = (event.field.id or "").removeprefix("case-")
        self._update(field, event.value)

    @on(Input.Changed)
    def _number_changed(self, event: Input.Changed) -> None:
        event.stop()
        holder = event.input.parent
        if isinstance(holder, (NumberField, TextField)):
            _, value = holder.parse(event.value)
            self._update(holder.field, value)
