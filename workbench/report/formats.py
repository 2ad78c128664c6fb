"""Output formats of `workbench compare`: format name → renderer of an engine `Result` to text.

The CLI parser imports this module to list the choices, so renderers keep their heavy imports
(rich, numpy, pydantic) inside the function or behind TYPE_CHECKING.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.engine.result import Result

Renderer = Callable[["Result"], str]


def _table(result: Result) -> str:
    from workbench.report.table import render_table

    return render_table(result)


def _markdown(result: Result) -> str:
    import datetime as dt

    from workbench.report.casenote import render_case_note

    return render_case_note(result, today=dt.date.today())


def _json(result: Result) -> str:
    from workbench.report.json_export import render_json

    return render_json(result)


def _csv(result: Result) -> str:
    from workbench.report.csv_export import render_csv

    return render_csv(result)


def _html(result: Result) -> str:
    import datetime as dt

    from workbench.report.html_page import render_page

    return render_page(result, today=dt.date.today())


FORMATS: dict[str, Renderer] = {
    "table": _table,
    "markdown": _markdown,
    "json": _json,
    "csv": _csv,
    "html": _html,
}
"""Every `--format` choice. Renderers only render: every number comes from the `Result`.
The CLI passes terminal width/colour to the table and `--date` to the case note itself."""
