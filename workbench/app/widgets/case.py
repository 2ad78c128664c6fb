"""The case panel: every PatientContext field, each with 'unknown' as a choice (empty = unknown)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import annotated_types
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
from workbench.engine.context import NO_CURRENT_DMT, PatientContext
from workbench.profiles.vocabulary import ACTIVITIES, COURSES, JCV_STATUSES, REGIONS

UNKNOWN = "unknown"
YES_NO: list[tuple[str, object]] = [(UNKNOWN, None), ("yes", True), ("no", False)]


def _bounds(field: str) -> tuple[float, float]:
    """The (minimum, maximum) PatientContext allows for a numeric field."""
    low, high = 0.0, float("inf")
    for rule in PatientContext.model_fields[field].metadata:
        if isinstance(rule, annotated_types.Ge):
            low = float(rule.ge)  # type: ignore[arg-type]
        if isinstance(rule, annotated_types.Le):
            high = float(rule.le)  # type: ignore[arg-type]
    return low, high


def _optional(values: tuple[str, ...]) -> list[tuple[str, object]]:
    return [(UNKNOWN, None), *((v, v) for v in values)]


CHOICES: dict[str, tuple[str, list[tuple[str, object]]]] = {
    "region": ("Region", [(r.upper(), r) for r in REGIONS]),
    "course": ("Course", _optional(COURSES)),
    "activity": ("Activity", _optional(ACTIVITIES)),
    "prior_dmts": (
        "Prior DMTs",
        [(UNKNOWN, None), *((str(n), n) for n in range(int(_bounds("prior_dmts")[1]) + 1))],
    ),
    "prior_immunosuppressant": ("Prior immunosuppressant", YES_NO),
    "jcv_status": ("Anti-JCV status", [(s, s) for s in JCV_STATUSES]),
}
"""Context fields chosen from a list: field → (label, [(display, value)])."""

NUMBERS: dict[str, tuple[str, bool]] = {
    "jcv_index": ("Anti-JCV index", False),
    "months_on_current": ("Months on current", True),
    "horizon_months": ("Horizon (months)", True),
    "age": ("Age (years)", True),
}
"""Context fields typed as numbers: field → (label, whole numbers only)."""

LATER_CHOICES: dict[str, tuple[str, list[tuple[str, object]]]] = {
    "autoimmune_history": ("Autoimmune history", YES_NO),
    "pregnancy_planned": ("Pregnancy planned", YES_NO),
}


CURRENT_LABEL = "Current DMT"


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
        data = self.context.model_dump()
        for field, (label, choices) in CHOICES.items():
            yield ChoiceField(label, choices, data[field], id=f"case-{field}")
        yield ChoiceField(
            CURRENT_LABEL, self.current_choices, data["current_dmt"], id="case-current_dmt"
        )
        for field, (label, integer) in NUMBERS.items():
            yield NumberField(field, label, integer, data[field])
        for field, (label, choices) in LATER_CHOICES.items():
            yield ChoiceField(label, choices, data[field], id=f"case-{field}")

    def show(self, context: PatientContext) -> None:
        """Display another context (no messages)."""
        self.context = context
        data = context.model_dump()
        with self.prevent(Input.Changed):
            for field in {**CHOICES, **LATER_CHOICES, "current_dmt": None}:
                self.query_one(f"#case-{field}", ChoiceField).set_value(data[field])
            for number in self.query(NumberField):
                number.set_value(data[number.field])

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
        if isinstance(holder, NumberField):
            _, value = holder.parse(event.value)
            self._update(holder.field, value)
