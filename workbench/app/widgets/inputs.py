"""The one Input base of the app: its cursor blinks unless the app was created with blinking off."""

from __future__ import annotations

from textual.widgets import Input


class SteadyInput(Input):
    """An Input following the app's `cursor_blink` setting (off for screenshots and snapshots)."""

    def on_mount(self) -> None:
        self.cursor_blink = bool(getattr(self.app, "cursor_blink", True))
