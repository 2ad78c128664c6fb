"""The one way to build the app: used by `workbench app`, `workbench screenshot`, the tests and the
snapshot app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.app.app import WorkbenchApp
from workbench.app.state import Workbench
from workbench.profiles.loader import load_library
from workbench.profiles.paths import bundled_profiles_dir

if TYPE_CHECKING:
    from workbench.app.served import Served


def create_app(
    profiles_dir: Path | None = None,
    *,
    theme: str | None = None,
    cursor_blink: bool = True,
    selected: Sequence[str] | None = None,
    today: dt.date | None = None,
    case: Path | None = None,
    served: Served | None = None,
) -> WorkbenchApp:
    """The workbench on `profiles_dir` (default: the bundled profiles).

    Files with problems are left out and listed on the problems screen. `theme` is a Textual theme
    name; `cursor_blink=False` keeps screenshots stable; `selected` picks drugs (default: all);
    `today` fixes the date review dates are checked against (for reproducible screenshots).
    `case` opens a saved case (its drugs, weights and context) before the first frame; raises
    `CaseFileError` or `WeightError` when it cannot be opened. What was skipped while reading it
    is shown as notifications once the app runs. `served` runs it for `workbench serve` (no host
    file by a typed path: notes and cases are downloads, cases open from the teaching folder).
    """
    root = profiles_dir if profiles_dir is not None else bundled_profiles_dir()
    library = load_library(root, today=today)
    workbench = Workbench(library, selected=selected)
    messages: list[str] = []
    if case is not None:
        from workbench.session import load_case

        loaded = load_case(
            case,
            [p.id for p in library.profiles],
            known_concern_ids=[c.id for c in library.criteria],
        )
        workbench.apply_case(loaded.case)
        messages = [*loaded.warnings, f"Opened {case}"]
    app = WorkbenchApp(
        workbench, root, theme=theme, cursor_blink=cursor_blink, today=today, served=served
    )
    app.startup_messages = messages
    return app
