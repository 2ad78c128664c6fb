"""The file-name dialog for saving and opening cases: type a name or pick an existing file.

A typed name that cannot be a case file (blank, `/`, `~nouser/x`, a folder, control characters,
a part longer than 255 bytes) is refused inline with the reason; the dialog stays open. With a
fixed list of `choices` (the teaching cases of `workbench serve`) only those names are accepted,
and nothing else about the folder is revealed.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from workbench.app.widgets.inputs import SteadyInput
from workbench.text import clean_line

CASE_SUFFIX = ".toml"
MAX_NAME_BYTES = 255
"""Longest file or folder name most file systems accept (NAME_MAX)."""
MAX_PATH_BYTES = 4096
"""Longest path Linux accepts (PATH_MAX)."""


class NameRefused(ValueError):
    """A typed name that cannot name a case file; `str()` says why in a few words."""


def resolve(name: str, folder: Path) -> Path:
    """The case file a typed name stands for: relative to `folder`, `~` expanded, `.toml` added.

    Raises `NameRefused` when the name cannot be a case file's.
    """
    text = name.strip()
    if not text:
        raise NameRefused("type a case name")
    if clean_line(text) != text or "\x00" in text:
        raise NameRefused("the name holds control characters")
    if text.endswith(("/", os.sep)) or Path(text).name in ("", ".", ".."):
        raise NameRefused("that names a folder, not a file")
    if text.startswith("~"):
        expanded = os.path.expanduser(text)
        if expanded.startswith("~"):
            raise NameRefused(f"no such home folder: {text.split('/', 1)[0]}")
        text = expanded
    path = Path(text)
    if not path.is_absolute():
        path = folder / path
    if any(len(os.fsencode(part)) > MAX_NAME_BYTES for part in path.parts):
        raise NameRefused(f"a name in the path is longer than {MAX_NAME_BYTES} bytes")
    if not path.suffix:
        path = path.with_name(path.name + CASE_SUFFIX)
    if len(os.fsencode(str(path))) > MAX_PATH_BYTES:
        raise NameRefused(f"the path is longer than {MAX_PATH_BYTES} bytes")
    try:
        if path.is_dir():
            raise NameRefused("that is a folder, not a file")
    except OSError as error:
        raise NameRefused(f"cannot use that path: {error.strerror or error}") from None
    return path


class FileDialog(ModalScreen[Path | None]):
    """Dismisses with the chosen path, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        title: str,
        folder: Path,
        suggestion: str = "",
        *,
        choices: Sequence[str] | None = None,
    ) -> None:
        super().__init__(id="file-dialog")
        self.title_text = title
        self.folder = folder
        self.suggestion = suggestion
        self.choices = None if choices is None else tuple(choices)

    def compose(self) -> ComposeResult:
        if self.choices is not None:
            existing = list(self.choices)
            where = "Teaching cases of this room (type a name or pick one)"
        else:
            existing = self._existing()
            where = f"Names without a folder are in {clean_line(str(self.folder))}"
        with Vertical(id="file-dialog-body"):
            yield Static(Text(self.title_text, style="bold"))
            yield Static(Text(where, style="dim"))
            yield SteadyInput(self.suggestion, placeholder="case name", id="file-name")
            yield Static(Text(""), id="file-problem")
            if existing:
                yield Static(Text("Existing cases (enter picks):", style="dim"))
                yield OptionList(
                    *(Option(Text(clean_line(name)), id=name) for name in existing),
                    id="file-list",
                )
            yield Static(Text("enter: confirm · escape: cancel", style="dim"))

    def _existing(self) -> list[str]:
        try:
            return sorted(p.name for p in self.folder.glob(f"*{CASE_SUFFIX}"))
        except OSError:
            return []

    def on_mount(self) -> None:
        self.query_one("#file-name", Input).focus()

    def refuse(self, reason: str) -> None:
        """Say inline why the typed name was not accepted (the dialog stays open)."""
        self.query_one("#file-problem", Static).update(Text(reason, style="bold"))

    @on(Input.Submitted, "#file-name")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.choices is not None:
            name = event.value.strip()
            name = name if name.endswith(CASE_SUFFIX) else name + CASE_SUFFIX
            if name in self.choices:
                self.dismiss(self.folder / name)
            else:
                self.refuse("no teaching case of that name: pick one from the list")
            return
        try:
            self.dismiss(resolve(event.value, self.folder))
        except NameRefused as error:
            self.refuse(str(error))

    @on(OptionList.OptionSelected, "#file-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(self.folder / event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
