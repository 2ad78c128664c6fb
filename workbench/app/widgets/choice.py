"""A one-line labelled choice: left/right (or a click) steps through a fixed list of values."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from workbench.text import clean_line


class ChoiceField(Widget, can_focus=True):
    """`Label          ‹value›`. Values are any objects; each has a display word."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,minus", "step(-1)", "Previous value"),
        Binding("right,plus,space,enter", "step(1)", "Next value"),
    ]

    index: reactive[int] = reactive(0)
    """Position of the current value in `choices`; -1 shows the fallback word."""

    class Changed(Message):
        """The user picked another value."""

        def __init__(self, field: ChoiceField, value: object) -> None:
            super().__init__()
            self.field = field
            self.value = value

        @property
        def control(self) -> ChoiceField:
            return self.field

    def __init__(
        self,
        label: str,
        choices: Sequence[tuple[str, object]],
        value: object = None,
        *,
        fallback: str = "—",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.label = label
        self.choices = list(choices)
        self.fallback = fallback
        self.set_value(value)

    @property
    def value(self) -> object:
        """The current value (None when the fallback is shown)."""
        return self.choices[self.index][1] if self.index >= 0 else None

    def set_value(self, value: object) -> None:
        """Show `value` without posting `Changed` (the fallback when it is not a choice)."""
        values = [v for _, v in self.choices]
        self.set_reactive(ChoiceField.index, values.index(value) if value in values else -1)
        self.refresh()

    def set_choices(self, choices: Sequence[tuple[str, object]], value: object) -> None:
        """Replace the list of values and show `value`."""
        self.choices = list(choices)
        self.set_value(value)

    def action_step(self, delta: int) -> None:
        """Move to the previous (-1) or next (+1) value, wrapping around, and post `Changed`."""
        if not self.choices:
            return
        start = self.index if self.index >= 0 else (-1 if delta > 0 else 0)
        self.index = (start + delta) % len(self.choices)
        self.post_message(self.Changed(self, self.value))

    def on_click(self, event: events.Click) -> None:
        """A click on the `‹` steps back; anywhere else steps forward."""
        self.focus()
        offset = event.get_content_offset(self)
        back_arrow_x = self.size.width - len(self._display()) - 2
        self.action_step(-1 if offset is not None and offset.x == back_arrow_x else 1)

    def _display(self) -> str:
        return clean_line(self.choices[self.index][0]) if self.index >= 0 else self.fallback

    def render(self) -> Text:
        value = f"‹{self._display()}›"
        width = self.size.width
        room = max(width - len(value) - 1, 1)
        label = self.label if len(self.label) <= room else self.label[: room - 1] + "…"
        text = Text(label)
        text.append(" " * max(width - len(label) - len(value), 1))
        text.append(value, style="bold")
        return text
