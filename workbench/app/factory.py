"""The one way to build the app: used by `workbench app`, `workbench screenshot`, the tests and the
snapshot app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from workbench.app.app import WorkbenchApp
from workbench.app.state import Workbench
from workbench.profiles.loader import load_library
from workbench.profiles.paths import bundled_profiles_dir


def create_app(
    profiles_dir: Path | None = None,
    *,
    theme: str | None = None,
    cursor_blink: bool = True,
    selected: Sequence[str] | None = None,
    today: dt.date | None = None,
) -> WorkbenchApp:
    """The workbench on `profiles_dir` (default: the bundled profiles).

    Files with problems are left out and listed on the problems screen. `theme` is a Textual theme
    name; `cursor_blink=False` keeps screenshots stable; `selected` picks drugs (default: all);
    `today` fixes the date review dates are checked against (for reproducible screenshots).
    """
    root = profiles_dir if profiles_dir is not None else bundled_profiles_dir()
    workbench = Workbench(load_library(root, today=today), selected=selected)
    return WorkbenchApp(workbench, root, theme=theme, cursor_blink=cursor_blink, today=today)
