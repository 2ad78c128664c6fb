"""What loading one profile file yields, shared by the loader, the cache and validation (a leaf:
it imports none of them, so they import it without a cycle): the file names of a profiles
directory, `FileResult` and the problems located at a key path of the file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.profiles.library import Problem, Severity
from workbench.profiles.toml_lines import KeyLines, Loc
from workbench.record import Record

CRITERIA_FILE = "criteria.toml"
PRESETS_FILE = "presets.toml"
REQUIRED = {
    CRITERIA_FILE: "the concerns compared (criteria) are defined in this file",
    PRESETS_FILE: "the importance presets are defined in this file",
}


@dataclass(slots=True)
class FileResult:
    """One file validated on its own: the record (None when it failed), its JSON data (what the
    cache stores, when read from it on a hit), whether it is
    free of errors, its problems sorted by line (those depending on the day or on other files left
    out) and its line map (built lazily from `text` on a hit)."""

    path: Path
    data: dict[str, Any] | None
    record: Record | None
    clean: bool
    problems: list[Problem]
    lines: KeyLines | None
    text: str | None = None

    def key_lines(self) -> KeyLines | None:
        if self.lines is None and self.text is not None:
            self.lines = KeyLines(self.text)
        return self.lines


def located_problem(
    path: Path,
    lines: KeyLines | None,
    loc: Loc,
    message: str,
    severity: Severity = "error",
) -> Problem:
    """A problem at key path `loc` of the file, with its line when the line map knows it."""
    line = None if lines is None else lines.line_of(loc)
    return Problem(
        path=str(path), line=line, field=field_path(loc), message=message, severity=severity
    )


def line_key(problem: Problem) -> int:
    return problem.line or 0


def field_path(loc: Loc) -> str:
    """Render a key path as `measurements.pml.strata[0].low`."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text or "(file)"
