"""The app as `workbench serve` runs it, for a browser user who must not reach the host's files.

Nothing is read or written by a path the user types: case notes and saved cases are delivered to
the browser as downloads (Textual's `deliver_text`), and cases open only from the teaching-cases
folder the server was started with (read only, regular `.toml` files directly in it). Downloads are
rate-limited per session.
"""

from __future__ import annotations

import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

CASE_SUFFIX = ".toml"
EXPORT_INTERVAL = 2.0
"""Seconds between two downloads of one session (a held key cannot flood the browser)."""


@dataclass(slots=True)
class Served:
    """Serve mode: `cases` is the teaching-cases folder (None: no case can be opened)."""

    cases: Path | None
    interval: float = EXPORT_INTERVAL
    _last_export: float = field(default=float("-inf"), repr=False)

    def teaching_cases(self) -> list[str]:
        """The names of the regular `.toml` files directly in the teaching-cases folder."""
        if self.cases is None:
            return []
        try:
            entries = list(self.cases.iterdir())
        except OSError:
            return []
        names = []
        for path in entries:
            try:
                regular = stat.S_ISREG(path.lstat().st_mode)
            except OSError:
                continue
            if regular and path.suffix == CASE_SUFFIX and not path.name.startswith("."):
                names.append(path.name)
        return sorted(names)

    def teaching_case(self, name: str) -> Path | None:
        """The teaching case called `name` (exactly one of `teaching_cases()`), else None."""
        if self.cases is None or name not in self.teaching_cases():
            return None
        return self.cases / name

    def export_wait(self) -> float:
        """Seconds until the next download is allowed (0: now, and it counts as done)."""
        now = time.monotonic()
        wait = self._last_export + self.interval - now
        if wait > 0:
            return wait
        self._last_export = now
        return 0.0


@runtime_checkable
class Downloads(Protocol):
    """The app as a screen sees it when it saves a file: `served` is set under `workbench serve`,
    and `download` then hands the file to the browser. (A screen checks this protocol instead of
    importing the app class, which imports the screens: no import cycle.)"""

    served: Served | None

    def download(self, name: str, text: str) -> bool: ...
