"""`python -m workbench.cli.screenshots DIR` (`make screenshots`): regenerate the screenshots.

Each shot is the real app, headless, on the bundled profiles (the problems shot on a temporary copy
with one malformed file), driven by key presses and saved as SVG.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.app import App

from workbench.app.factory import create_app
from workbench.cli.cmd_screenshot import take_screenshot
from workbench.profiles.paths import bundled_profiles_dir

MALFORMED_PROFILE = 'id = "broken-example"\nname = 42\ndrug_class = "missing everything else"\n'
"""The malformed file the problems shot adds to a copy of the profiles."""


@dataclass(frozen=True)
class Shot:
    name: str
    size: tuple[int, int]
    press: Sequence[str] = ()
    selected: Sequence[str] | None = None
    theme: str | None = None
    broken_copy: bool = False


SHOTS: tuple[Shot, ...] = (
    Shot("main-80x24", (80, 24)),
    Shot("main-160x50", (160, 50)),
    Shot(
        "notes-natalizumab",
        (120, 40),
        # case: anti-JCV positive (tab 9 times from region), index 2,1 typed with a decimal
        # comma, Escape back to the table, then the cursor onto natalizumab (ranked last)
        press=(
            "c",
            *["tab"] * 9,
            "right",
            "right",
            "tab",
            "2",
            "comma",
            "1",
            "escape",
            "right",
            "right",
        ),
        selected=("fingolimod", "natalizumab", "ocrelizumab"),
    ),
    Shot("sensitivity", (120, 40), press=("v",)),
    Shot(
        "forest-80x24",
        (80, 24),
        press=("F", "pagedown"),
        selected=("alemtuzumab", "fingolimod", "natalizumab", "ocrelizumab"),
    ),
    Shot("contributions-120x40", (120, 40), press=("B",)),
    Shot(
        "icon-arrays-ocrelizumab",
        (100, 40),
        # the notes of the drug ranked first, maximized, scrolled to the risks over the horizon
        press=("n", "m", "end", *["pageup"] * 2),
        selected=("natalizumab", "ocrelizumab"),
    ),
    Shot("problems", (100, 30), press=("p",), broken_copy=True),
    Shot("help", (100, 40), press=("question_mark",)),
    Shot("main-light-120x40", (120, 40), theme="textual-light"),
)


def render(shot: Shot, profiles: Path) -> str:
    """The SVG of one shot."""
    app = create_app(profiles, theme=shot.theme, cursor_blink=False, selected=shot.selected)
    return take_screenshot(app, shot.size, shot.press, ready=_smaa_shown)


def _smaa_shown(app: App[Any]) -> bool:
    """The table's SMAA run has finished (no 'computing' in a README picture)."""
    workbench = getattr(app, "workbench", None)
    return workbench is None or not workbench.selected or workbench.smaa is not None


def main(argv: Sequence[str] | None = None) -> int:
    """Write every shot into the folder given as the only argument (created if needed)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m workbench.cli.screenshots DIR")
        return 2
    folder = Path(args[0])
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        broken = Path(scratch) / "profiles"
        shutil.copytree(bundled_profiles_dir(), broken)
        (broken / "broken-example.toml").write_text(MALFORMED_PROFILE, encoding="utf-8")
        for shot in SHOTS:
            target = folder / f"{shot.name}.svg"
            profiles = broken if shot.broken_copy else bundled_profiles_dir()
            target.write_text(render(shot, profiles), encoding="utf-8")
            print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
