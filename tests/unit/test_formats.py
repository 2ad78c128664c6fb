"""Golden tests of every output format, and literal rendering of profile text.

The fixture is `tests/golden/profiles` (made-up numbers; texts full of markup look-alikes) evaluated
for `tests/golden/case.toml`. After an intended change, regenerate the golden files with
`WORKBENCH_UPDATE_GOLDEN=1 .venv/bin/pytest tests/unit/test_formats.py tests/unit/test_casenote.py`
and review the diff before committing it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Callable

import pytest
from conftest import GOLDEN, GOLDEN_DATE, golden_result
from markdown_it import MarkdownIt

from workbench.engine.result import Result
from workbench.report import wording
from workbench.report.casenote import render_case_note
from workbench.report.csv_export import COLUMNS, render_csv
from workbench.report.formats import FORMATS
from workbench.report.markdown import inline
from workbench.report.table import render_table


def check_golden(name: str, text: str) -> None:
    """Compare `text` with `tests/golden/<name>`, or rewrite it when WORKBENCH_UPDATE_GOLDEN=1."""
    path = GOLDEN / name
    if os.environ.get("WORKBENCH_UPDATE_GOLDEN") == "1":
        path.write_bytes(text.encode("utf-8"))
    assert text == path.read_bytes().decode("utf-8")


RENDERERS: dict[str, Callable[[Result], str]] = {
    "note.md": lambda result: render_case_note(result, today=GOLDEN_DATE),
    "compare.csv": render_csv,
    "compare.json": FORMATS["json"],
    "table.txt": lambda result: render_table(result, width=100),
    "table-narrow.txt": lambda result: render_table(result, width=60),
}


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_golden(name: str) -> None:
    check_golden(name, RENDERERS[name](golden_result()))


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_no_control_characters_reach_any_output(name: str) -> None:
    text = RENDERERS[name](golden_result())
    assert not any(ord(c) < 0x20 and c != "\n" for c in text)


def without_charts(text: str) -> str:
    """A note (Markdown or its HTML) without its text charts: code blocks show text literally."""
    text = re.sub(r"^(`{3,})text\n.*?^\1$", "", text, flags=re.S | re.M)
    return re.sub(r"<pre><code.*?</code></pre>", "", text, flags=re.S)


def test_markdown_escapes_profile_text() -> None:
    note = without_charts(render_case_note(golden_result(), today=GOLDEN_DATE))
    assert r"Alpha \[bold\]\*A\*\[/bold\]" in note
    assert r"Autoimmune \| history \<b>needs\</b> \_care\_" in note
    assert "[bold]" not in note.replace(r"\[bold\]", "")


def test_markdown_note_renders_no_markup_from_profile_text() -> None:
    html = without_charts(
        MarkdownIt("commonmark")
        .enable("table")
        .render(render_case_note(golden_result(), today=GOLDEN_DATE))
    )
    for tag in ("<em>", "<strong>", "<a ", "<code>", "<b>", "<s>", "<h3", "<blockquote>"):
        assert tag not in html
    assert "Alpha [bold]*A*[/bold]" in html
    assert "&lt;b&gt;needs&lt;/b&gt; _care_" in html
    assert "`code` &amp; &amp;amp; ~strike~" in html


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("69.8 (65.8–69.8)", "69.8 (65.8–69.8)"),
        ("1. first", r"1\. first"),
        ("# heading", r"\# heading"),
        ("#hashtag", "#hashtag"),
        ("- item", r"\- item"),
        ("-5", "-5"),
        ("---", r"\---"),
        ("> quote", r"\> quote"),
        ("a > b", "a > b"),
        ("x | y", r"x \| y"),
        ("<script>", r"\<script>"),
        ("&amp; & b", r"\&amp; & b"),
        ("line\r\nbreak\x1b[0m", r"line break\[0m"),
    ],
)
def test_inline_escaping(text: str, escaped: str) -> None:
    assert inline(text) == escaped


def test_table_shows_markup_literally_with_and_without_colour() -> None:
    result = golden_result()
    plain = render_table(result, width=200)
    assert "Alpha [bold]*A*[/bold]" in plain
    assert "[link=http://x]x[/link]" in plain
    coloured = render_table(result, width=200, color=True)
    assert "\x1b[" in coloured
    assert "[link=http://x]x[/link]" in coloured
    assert "\x1b]8;" not in coloured  # no hyperlink was created from profile text


@pytest.mark.parametrize("width", [50, 60, 80, 100, 160])
def test_table_fits_the_width_without_cropping(width: int) -> None:
    result = golden_result()
    text = render_table(result, width=width)
    assert max(len(line) for line in text.splitlines()) <= width
    assert all(text.count(drug.name.split()[0]) >= 2 for drug in result.drugs)  # table and flags
    for drug in result.drugs:  # the reservation (last column) is never cropped away
        status = wording.reservation(drug.reservation.get(result.context.region))
        assert status.split()[-1] in text


def test_csv_has_one_row_per_drug_and_concern() -> None:
    result = golden_result()
    rows = list(csv.DictReader(io.StringIO(render_csv(result))))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == len(result.drugs) * len(result.criteria)
    no_data = [r for r in rows if r["status"] == "no-data"]
    assert no_data
    assert all(r["value"] == r["value_score"] == r["contribution"] == "" for r in no_data)


def test_csv_neutralises_formula_like_text() -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv(golden_result()))))
    names = {r["drug_id"]: r["drug_name"] for r in rows}
    assert names["alpha"] == "Alpha [bold]*A*[/bold]"
    assert not any(cell.startswith(("=", "@")) for row in rows for cell in row.values())


def test_every_format_is_registered_and_json_keeps_its_contract_keys() -> None:
    assert set(FORMATS) == {"table", "markdown", "json", "csv", "html"}
    data = json.loads(FORMATS["json"](golden_result()))
    assert set(data) == {
        "weights",
        "importance",
        "context",
        "policy",
        "rank_mode",
        "drugs",
        "sensitivity",
        "sources",
        "smaa",
        "stopping",
        "activity",
        "not_relevant",
        "preset",
    }
    assert set(data["drugs"][0]) >= {
        "id",
        "name",
        "rank",
        "score",
        "score_range",
        "complete",
        "criteria",
        "reservation",
        "flags",
        "monitoring",
        "acceptability",
        "central_weights",
        "confidence",
    }
