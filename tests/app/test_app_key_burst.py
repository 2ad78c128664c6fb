"""A burst of weight key presses, handled before the app re-renders, must add up."""

from __future__ import annotations

from conftest import TODAY

from workbench.app.factory import create_app
from workbench.app.widgets.weights import WeightSlider


async def test_key_burst_on_a_weight_slider_accumulates() -> None:
    app = create_app(cursor_blink=False, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("w")
        slider = app.main.query(WeightSlider).first()
        start = app.workbench.importance[slider.concern]
        assert start >= 4
        # Four presses queued before any of their messages is handled (a held key, say).
        for _ in range(4):
            slider.action_nudge(-1)
        await pilot.pause()
        assert app.workbench.importance[slider.concern] == start - 4
        assert slider.importance == start - 4
