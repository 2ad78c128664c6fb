"""A one-line labelled choice: left/right (or a click) steps through a fixed list of values."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, OptionList

from workbench.text import clean_line


class ChoiceField(Widget, can_focus=True):
    """`Label          ‹value›`. Values are any objects; each has a display word."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,minus", "step(-1)", "Previous value"),
        Binding("right,plus,space,enter", "step(1)", "Next value"),
    ]

    index: reactive[int] = reactive(0)
    """Position of the current value in `choices`; -1 shows the fallback word. A change repaints
    the field, and lays the screen out again only when the label's line count changes (a weight
    key switching the preset between a name and "custom" must not cost a whole layout)."""

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
        index = values.index(value) if value in values else -1
        if index != self.index:
            old = self.index
            self.set_reactive(ChoiceField.index, index)
            self.watch_index(old, index)

    def watch_index(self, old: int, new: int) -> None:
        width = self.size.width
        lines_before, lines_after = (len(self._label_lines(width, i)) for i in (old, new))
        self.refresh(layout=not width or lines_before != lines_after)

    def set_choices(self, choices: Sequence[tuple[str, object]], value: object) -> None:
        """Replace the list of values and show `value`."""
        self.choices = list(choices)
        self.set_value(value)
        self.refresh(layout=True)  # new display words may take other lines

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

    def _display(self, index: int | None = None) -> str:
        """The display word of the value at `index` (default: the current one)."""
        index = self.index if index is None else index
        if 0 <= index < len(self.choices):
            return clean_line(self.choices[index][0])
        return self.fallback

    def _label_lines(self, width: int, index: int | None = None) -> list[str]:
        """The label in lines that leave room for the value (at `index`, default the current
        one) on the first: whole words wrapped, never cut (a label longer than the panel's
        label column takes two lines)."""
        room = max(width - len(self._display(index)) - 3, 1)
        return textwrap.wrap(self.label, room) or [""]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._label_lines(width))

    def render(self) -> Text:
        value = f"‹{self._display()}›"
        width = self.size.width
        first, *rest = self._label_lines(width)
        text = Text(first)
        text.append(" " * max(width - len(first) - len(value), 1))
        text.append(value, style="bold")
        for line in rest:
            text.append("\n" + line)
        return text


class SearchableChoice(ChoiceField):
    """A choice with a long list (e.g. every drug): enter opens a search over it; ←/→ still step.

    Keys typed right after enter, before the search has opened, reach this field (Textual hands
    each key to the widget focused when the key is read): they are passed on to the search, so
    they neither vanish nor run the screen's single-letter keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "search", "Search the list"),
    ]

    _search: ChoiceSearch | None = None
    """The search while it is open (keys typed before it has focus are passed to it)."""

    def action_search(self) -> None:
        """Open the search; the value picked there is shown and posted."""
        if self._search is not None:
            return

        def picked(index: int | None) -> None:
            self._search = None
            if index is not None and index != self.index:
                self.index = index
                self.post_message(self.Changed(self, self.value))
            self.screen.set_focus(self)

        words = [clean_line(display) for display, _ in self.choices]
        self._search = ChoiceSearch(self.label, words, self.index)
        self.app.push_screen(self._search, picked)

    def on_key(self, event: events.Key) -> None:
        """Enter opens the search here rather than through the binding (which would run only
        after the keys behind it were read); keys read while it opens are passed on to it."""
        if self._search is None and event.key != "enter":
            return
        event.stop()
        event.prevent_default()
        if self._search is None:
            self.action_search()
        else:
            self._search.feed(event.key, event.character)


class ChoiceSearch(ModalScreen[int | None]):
    """Type to narrow a list, ↑/↓ to move, enter to pick, escape to keep the current value."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Keep the value")]

    DEFAULT_CSS = """
    ChoiceSearch { align: center middle; }
    ChoiceSearch > Vertical {
        width: 50; max-width: 90%; height: auto; max-height: 80%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    ChoiceSearch OptionList { height: auto; max-height: 16; }
    """

    def __init__(self, title: str, words: Sequence[str], current: int) -> None:
        super().__init__()
        self.title_words = title
        self.words = list(words)
        self.current = current
        self.shown: list[int] = list(range(len(self.words)))
        self._early: list[tuple[str, str | None]] = []
        """Keys fed before the search was mounted, applied once it is."""
        self._done = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"{self.title_words}: type to narrow, ↑↓ to move, enter to pick"))
            yield Input(placeholder="type a few letters", id="choice-search")
            yield OptionList(*(Text(w) for w in self.words), id="choice-options")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = max(self.current, 0)
        self.set_focus(self.query_one(Input))  # at once: letters typed right after enter count
        early, self._early = self._early, []
        for key, character in early:
            self._apply(key, character)

    def feed(self, key: str, character: str | None) -> None:
        """A key typed for this search before it had focus (applied in order)."""
        if self.is_mounted and not self._early:
            self._apply(key, character)
        else:
            self._early.append((key, character))

    def _apply(self, key: str, character: str | None) -> None:
        if self._done:
            return
        search = self.query_one(Input)
        if key == "enter":
            self._submit()
        elif key == "escape":
            self.action_cancel()
        elif key == "backspace":
            search.action_delete_left()
        elif key in ("up", "down"):
            self._move(-1 if key == "up" else 1)
        elif character is not None and character.isprintable():
            search.insert_text_at_cursor(character)
            self._narrow_to(search.value)

    @on(Input.Changed, "#choice-search")
    def _narrow(self, event: Input.Changed) -> None:
        self._narrow_to(event.value)

    def _narrow_to(self, value: str) -> None:
        typed = value.strip().casefold()
        shown = [i for i, w in enumerate(self.words) if typed in w.casefold()]
        if shown == self.shown:
            return
        self.shown = shown
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Text(self.words[i]) for i in self.shown])
        if self.shown:
            options.highlighted = 0

    @on(Input.Submitted, "#choice-search")
    def _submit(self) -> None:
        self._narrow_to(self.query_one(Input).value)
        highlighted = self.query_one(OptionList).highlighted
        if self.shown and highlighted is not None:
            self._finish(self.shown[highlighted])

    @on(OptionList.OptionSelected, "#choice-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._finish(self.shown[event.option_index])

    def _move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            now = options.highlighted if options.highlighted is not None else 0
            options.highlighted = (now + step) % options.option_count

    def on_key(self, event: events.Key) -> None:
        """↑/↓ in the search box move the highlight in the list."""
        if event.key in ("up", "down") and self.focused is self.query_one(Input):
            self._move(-1 if event.key == "up" else 1)
            event.stop()
            event.prevent_default()

    def _finish(self, index: int | None) -> None:
        if not self._done:
            self._done = True
            self.dismiss(index)

    def action_cancel(self) -> None:
        self._finish(None)
