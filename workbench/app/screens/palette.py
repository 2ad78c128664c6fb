"""Textual's command palette, guarded against a crash of Textual 8.2.8 (the newest release).

PageUp/PageDown pressed before the palette's list has been laid out (within ~50 ms of ctrl+p)
look up line positions that do not exist yet (`KeyError` in `OptionList._move_page`) and end the
app. Until a Textual release fixes it, paging an unsized list does nothing.
"""

from __future__ import annotations

from textual.command import CommandList, CommandPalette


class GuardedCommandPalette(CommandPalette):
    """The command palette; paging waits until the list has a size."""

    def _action_command_list(self, action: str) -> None:
        if action in ("page_up", "page_down"):
            commands = self.query_one(CommandList)
            if not commands.scrollable_content_region or not commands._lines:
                return
        super()._action_command_list(action)
