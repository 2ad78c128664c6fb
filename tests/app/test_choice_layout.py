"""A choice field lays the screen out again only when its label's line count changes."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult

from workbench.app.widgets.choice import ChoiceField

CHOICES = [("Balanced", "balanced"), ("Safety first", "safety")]


class ChoiceApp(App[None]):
    CSS = "ChoiceField { height: auto; }"

    def compose(self) -> ComposeResult:
        yield ChoiceField("Preset", CHOICES, "balanced", fallback="custom", id="preset")


async def test_same_line_count_repaints_without_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    app = ChoiceApp()
    async with app.run_test(size=(40, 5)) as pilot:
        field = app.query_one(ChoiceField)
        layouts: list[bool] = []
        original = field.refresh

        def spy(*regions: Any, **options: Any) -> Any:
            layouts.append(bool(options.get("layout")))
            return original(*regions, **options)

        monkeypatch.setattr(field, "refresh", spy)
        field.set_value(None)  # the fallback word: still one line
        field.set_value("safety")
        await pilot.press("tab", "right")
        await pilot.pause()
        assert field.value == "balanced"
        assert layouts
        assert not any(layouts)


async def test_a_longer_value_that_wraps_the_label_lays_out() -> None:
    app = ChoiceApp()
    async with app.run_test(size=(20, 5)) as pilot:
        field = app.query_one(ChoiceField)
        field.set_choices([("x", 1), ("a much longer display word", 2)], 1)
        await pilot.pause()
        assert field.size.height == 1
        field.set_value(2)
        await pilot.pause()
        assert field.size.height > 1
