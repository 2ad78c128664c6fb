"""The main screen's footer: the keys that work now, drawn by one widget."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widgets import Input

from workbench.app.widgets.hover import HoverTracking
from workbench.record import Record

TYPING = " typing: letters go into the field · esc leaves "
"""Shown at the left while a text field has focus (the app's letter keys do not work there)."""


class KeySpan(Record):
    """One key as shown: where it starts and ends on the line, and what it does."""

    start: int
    end: int
    key: str
    enabled: bool
    tooltip: str


class KeyBar(HoverTracking[int]):
    """`key description` for each key that works now (the footer's look), the command palette key
    at the right; only whole keys, as many as fit. While a text field has focus, it says so first.
    One widget rather than Textual's Footer, which holds a widget per key and
    rebuilds them all on every focus change: far less to build, style and lay out at start-up.
    A click on a key presses it; hovering over one shows its tooltip."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-bar--key",
        "key-bar--description",
        "key-bar--separator",
        "key-bar--hover",
    }
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .key-bar--separator {
            color: $foreground 20%;
        }
        .key-bar--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__(id="keys")
        self._spans: list[KeySpan] = []
        self._drawn: tuple[object, ...] = ()
        """What the bar was last drawn from: the bindings it shows and whether a field has focus."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _shown(self) -> tuple[object, ...]:
        bindings = self.screen.active_bindings.items()
        keys = tuple((key, b.description, b.show, on, tip) for key, (_, b, on, tip) in bindings)
        return (isinstance(self.screen.focused, Input), keys)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self._shown() != self._drawn:  # a focus change often leaves the shown keys alike
            self.refresh()

    def render(self) -> Text:
        """The shown keys, one per action, cut where the palette key starts."""
        app = self.app
        width = self.size.width
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        active = self.screen.active_bindings
        palette = active.get(app.COMMAND_PALETTE_BINDING) if app.ENABLE_COMMAND_PALETTE else None
        right = Text()
        if palette is not None:
            right.append("▏", self.get_component_rich_style("key-bar--separator"))
            right.append(app.get_key_display(palette.binding), key_style)
            right.append(f" {palette.binding.description}", description_style)
            right.append(" ", description_style)  # the palette key's right padding
        room = max(width - right.cell_len, 0)
        left = Text()
        if isinstance(self.screen.focused, Input):
            left.append(TYPING if len(TYPING) <= room else " typing · esc leaves ", key_style)
        spans: list[KeySpan] = []
        actions: set[str] = set()
        for _, binding, enabled, tooltip in active.values():
            if not binding.show or binding.action in actions:
                continue
            actions.add(binding.action)
            start = left.cell_len
            item = Text(f" {app.get_key_display(binding)} ", key_style)
            item.append(f"{binding.description} ", description_style)
            if not enabled:
                item.stylize(Style(dim=True))
            if start + item.cell_len > room:
                break  # only whole keys: the rest are in the help (?)
            left.append_text(item)
            spans.append(
                KeySpan(
                    start=start,
                    end=left.cell_len,
                    key=binding.key,
                    enabled=enabled,
                    tooltip=tooltip,
                )
            )
        left.truncate(room, pad=True)
        if palette is not None:
            _, binding, enabled, tooltip = palette
            spans.append(
                KeySpan(
                    start=room,
                    end=width,
                    key=binding.key,
                    enabled=enabled,
                    tooltip=tooltip or binding.description,
                )
            )
        text = left + right
        if self.hovered is not None and self.hovered < len(spans):
            hover = spans[self.hovered]
            text.stylize(self.get_component_rich_style("key-bar--hover"), hover.start, hover.end)
        self._spans = spans
        self._drawn = self._shown()
        text.stylize_before(self.rich_style)
        return text

    def _span_at(self, x: int) -> int | None:
        return next((i for i, s in enumerate(self._spans) if s.start <= x < s.end), None)

    def item_at(self, event: events.MouseEvent) -> int | None:
        return self._span_at(event.x)

    def hover_changed(self) -> None:
        index = self.hovered
        self.tooltip = None if index is None else self._spans[index].tooltip or None

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """Press the key under the pointer (a bell when it is disabled now)."""
        index = self._span_at(event.x)
        if index is None:
            return
        span = self._spans[index]
        if span.enabled:
            self.app.simulate_key(span.key)
        else:
            self.app.bell()
