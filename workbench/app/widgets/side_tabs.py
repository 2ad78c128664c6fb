"""The side panel's tab line: one widget drawing every tab title, the open one marked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive

from workbench.app.widgets.hover import HoverTracking


class SideTabs(HoverTracking[str]):
    """`▸Drugs │  Weights │  Case` with the open tab bold and underlined, and a pointer before it
    (so the open tab does not depend on colour). A click opens a tab: `Chosen` is posted, and the
    screen opens it (building it on first use). Lighter than Textual's TabbedContent, which
    builds a tab bar of six widgets and an animated underline before the first frame."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {"side-tabs--active", "side-tabs--hover"}
    DEFAULT_CSS = """
    SideTabs {
        height: 1;
        padding: 0 1;
        color: $text-muted;
        .side-tabs--active {
            color: $foreground;
            text-style: bold underline;
        }
        .side-tabs--hover {
            background: $block-hover-background;
        }
    }
    """

    active: reactive[str] = reactive("", layout=False)
    """The id of the open tab."""

    class Chosen(Message):
        """The user clicked a tab."""

        def __init__(self, tab: str) -> None:
            super().__init__()
            self.tab = tab

    def __init__(self, tabs: Sequence[tuple[str, str]], active: str, *, id: str) -> None:
        """`tabs`: (id, title) in display order."""
        super().__init__(id=id)
        self._tabs = tuple(tabs)
        self._spans: list[tuple[int, int, str]] = []
        self.set_reactive(SideTabs.active, active)

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        spans: list[tuple[int, int, str]] = []
        for index, (tab, title) in enumerate(self._tabs):
            if index:
                text.append(" │ ", "dim")
            start = text.cell_len
            is_active = tab == self.active
            text.append("▸" if is_active else " ")
            text.append(
                title, self.get_component_rich_style("side-tabs--active") if is_active else ""
            )
            spans.append((start, text.cell_len, tab))
            if tab == self.hovered:
                text.stylize(
                    self.get_component_rich_style("side-tabs--hover"), start, text.cell_len
                )
        self._spans = spans
        return text

    def item_at(self, event: events.MouseEvent) -> str | None:
        x = event.x - self.styles.padding.left
        return next((tab for start, end, tab in self._spans if start <= x < end), None)

    def on_click(self, event: events.Click) -> None:
        tab = self.item_at(event)
        if tab is not None:
            self.post_message(self.Chosen(tab))
