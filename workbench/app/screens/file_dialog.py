"""The file-name dialog for saving and opening cases: type a name or pick an existing file."""

from __future__ import annotations

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


def resolve(name: str, folder: Path) -> Path | None:
    """The path a typed name stands for: relative to `folder`, `.toml` added; None when blank."""
    name = name.strip()
    if not name:
        return None
    path = Path(name).expanduser()
    if not path.is_absolute():
        path = folder / path
    return path if path.suffix else path.with_suffix(CASE_SUFFIX)


class FileDialog(ModalScreen[Path | None]):
    """Dismisses with the chosen path, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, folder: Path, suggestion: str = "") -> None:
        super().__init__(id="file-dialog")
        self.title_text = title
        self.folder = folder
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        existing = sorted(self.folder.glob(f"*{CASE_SUFFIX}")) if self.folder.is_dir() else []
        with Vertical(id="file-dialog-body"):
            yield Static(Text(self.title_text, style="bold"))
            yield Static(
                Text(f"Names without a folder are in {clean_line(str(self.folder))}", style="dim")
            )
            yield SteadyInput(self.suggestion, placeholder="case name", id="file-name")
            if existing:
                yield Static(Text("Existing cases (enter picks):", style="dim"))
                yield OptionList(
                    *(Option(Text(clean_line(p.name)), id=p.name) for p in existing),
                    id="file-list",
                )
            yield Static(Text("enter: confirm · escape: cancel", style="dim"))

    def on_mount(self) -> None:
        self.query_one("#file-name", Input).focus()

    @on(Input.Submitted, "#file-name")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        path = resolve(event.value, self.folder)
        if path is not None:
            self.dismiss(path)

    @on(OptionList.OptionSelected, "#file-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(self.folder / event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
