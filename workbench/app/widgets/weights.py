"""The weights panel: a preset choice and a 0–10 importance slider per concern, with its weight."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from workbench.app.state import CUSTOM, Workbench
from workbench.app.widgets.choice import ChoiceField
from workbench.profiles.records import Criterion
from workbench.profiles.vocabulary import IMPORTANCE_MAX
from workbench.report.wording import number
from workbench.text import clean_line

IMPORTANCE_STEPS = int(IMPORTANCE_MAX)
"""The slider runs from 0 to this many importance points, one point per key press."""


class WeightSlider(Widget, can_focus=True):
    """Two lines: `Concern      7 → 28%` and a track; keys or a click set the importance."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,minus", "nudge(-1)", "Less important"),
        Binding("right,plus,equals_sign", "nudge(1)", "More important"),
        Binding("home", "set(0)", "Importance 0"),
        Binding("end", f"set({IMPORTANCE_STEPS})", f"Importance {IMPORTANCE_STEPS}"),
    ]

    class Changed(Message):
        """The user set a concern's importance."""

        def __init__(self, slider: WeightSlider, concern: str, importance: float) -> None:
            super().__init__()
            self.slider = slider
            self.concern = concern
            self.importance = importance

        @property
        def control(self) -> WeightSlider:
            return self.slider

    def __init__(self, criterion: Criterion, importance: float, weight: float) -> None:
        super().__init__(id=f"weight-{criterion.id}")
        self.concern = criterion.id
        self.label = clean_line(criterion.label)
        self.importance = importance
        self.weight = weight
        self._drawn: tuple[float, float] | None = None
        """The (importance, weight) last drawn."""
        self._lines: tuple[tuple[float, float, int, Style], tuple[Strip, Strip]] | None = None
        """The two lines last made, with what they were made for."""
        self._style = Style()
        """The widget's style in the frame being drawn."""
        self.tooltip = Text(clean_line(criterion.definition))

    def show(self, importance: float, weight: float) -> None:
        """Display new figures (no message): a new weight alone redraws the label line only."""
        self.importance, self.weight = importance, weight
        drawn = self._drawn
        if drawn is None or importance != drawn[0]:
            self.refresh()
        elif weight != drawn[1]:
            self.refresh(Region(0, 0, self.size.width, 1))

    def action_nudge(self, delta: int) -> None:
        """One importance point up or down."""
        self.action_set(round(self.importance) + delta)

    def action_set(self, importance: float) -> None:
        """Set the importance (clamped to the slider) and post `Changed`."""
        importance = float(min(max(importance, 0), IMPORTANCE_STEPS))
        if importance != self.importance:
            # Take the new importance at once so a burst of key presses accumulates; it is drawn
            # with its new weight when the screen shows the result (`show`), in one frame.
            self.importance = importance
            self.post_message(self.Changed(self, self.concern, importance))

    def on_click(self, event: events.Click) -> None:
        """A click on the track sets the importance at that point."""
        self.focus()
        offset = event.get_content_offset(self)
        if offset is not None and offset.y == 1 and self.size.width > 1:
            self.action_set(round(offset.x * IMPORTANCE_STEPS / (self.size.width - 1)))

    def render_lines(self, crop: Region) -> list[Strip]:
        self._style = self.rich_style  # once a frame: it walks every ancestor's styles
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        """Line 0 the label and figures, line 1 the track; drawn as segments (a slider is redrawn
        on every weight key, and the generic text rendering costs several times more)."""
        style = self._style
        key = (self.importance, self.weight, self.size.width, style)
        if self._lines is None or self._lines[0] != key:
            self._lines = (key, self._make_lines(style))
        self._drawn = (self.importance, self.weight)
        lines = self._lines[1]
        return lines[y] if y < len(lines) else Strip.blank(self.size.width, style)

    def _make_lines(self, style: Style) -> tuple[Strip, Strip]:
        width = self.size.width
        figures = f"{number(self.importance)} → {self.weight * 100:.0f}%"
        room = max(width - len(figures) - 1, 1)
        label = self.label if len(self.label) <= room else self.label[: room - 1] + "…"
        bold, dim = style + Style(bold=True), style + Style(dim=True)
        gap = " " * max(width - len(label) - len(figures), 1)
        filled = round(self.importance / IMPORTANCE_STEPS * width)
        top = [Segment(label + gap, style), Segment(figures, bold)]
        track = [Segment("━" * filled, bold), Segment("╌" * (width - filled), dim)]
        return _fitted(top, width, style), _fitted(track, width, style)


def _fitted(segments: list[Segment], width: int, style: Style) -> Strip:
    """One strip of `segments` at `width` cells (made once when they fit: a strip costs several
    caches to make, and every slider is redrawn on a weight key)."""
    if sum(cell_len(segment.text) for segment in segments) == width:
        return Strip(segments, width)
    return Strip(segments).crop_extend(0, width, style)


class WeightsPanel(VerticalScroll):
    """Preset choice on top, then the sliders; the normalized weights come from the Result."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "app.focus_previous", "Previous concern", show=False),
        Binding("down", "app.focus_next", "Next concern", show=False),
    ]

    class PresetChosen(Message):
        """The user picked a preset."""

        def __init__(self, preset_id: str) -> None:
            super().__init__()
            self.preset_id = preset_id

    def __init__(self, workbench: Workbench) -> None:
        super().__init__(id="weights")
        self._workbench = workbench

    def compose(self) -> ComposeResult:
        wb = self._workbench
        yield ChoiceField(
            "Preset",
            [*((p.label, p.id) for p in wb.library.presets), (CUSTOM, CUSTOM)],
            wb.preset_id or CUSTOM,
            fallback=CUSTOM,
            id="preset",
        )
        weights = wb.weights
        for criterion in wb.library.criteria:
            yield WeightSlider(
                criterion,
                wb.importance.get(criterion.id, 0.0),
                weights.get(criterion.id, 0.0),
            )

    def rebuild(self) -> None:
        """Recompose for a reloaded library (its concerns or presets may have changed)."""
        self.refresh(recompose=True)

    def show(
        self, importance: Mapping[str, float], weights: Mapping[str, float], preset_id: str | None
    ) -> None:
        """Display new importances, weights and the matching preset (no messages)."""
        for slider in self.query(WeightSlider):
            slider.show(importance.get(slider.concern, 0.0), weights.get(slider.concern, 0.0))
        self.query_one("#preset", ChoiceField).set_value(preset_id or CUSTOM)

    @on(ChoiceField.Changed, "#preset")
    def _preset_changed(self, event: ChoiceField.Changed) -> None:
        event.stop()
        if isinstance(event.value, str):
            self.post_message(self.PresetChosen(event.value))
