"""Hostile profile text: markup look-alikes and control characters in every text field of a profile
come out of every renderer as the same text (control characters removed), never interpreted.

Renderers checked: the CSV and JSON exports, the Markdown case note, the terminal table and the
app's own Text builders (table header, notes, profile detail), property-based; then the running app
(Pilot) with hostile profile, concern and preset text: table, notes, detail screen, command palette,
weight tooltips and the exported case note.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.style import Style
from rich.text import Text
from textual.command import CommandList
from textual.content import Content
from textual.widgets import Static
from textual.widgets._tooltip import Tooltip

from workbench.app import cells
from workbench.app.app import WorkbenchApp
from workbench.app.notes import drug_notes, profile_detail
from workbench.app.state import Workbench
from workbench.app.widgets.comparison import ComparisonTable
from workbench.app.widgets.notes_pane import NotesPane
from workbench.app.widgets.weights import WeightSlider
from workbench.engine.context import PatientContext
from workbench.engine.evaluate import evaluate
from workbench.engine.result import Result
from workbench.engine.weights import preset_importance
from workbench.profiles.library import Library
from workbench.profiles.loader import load_library, validate_record
from workbench.profiles.paths import bundled_profiles_dir
from workbench.profiles.records import Profile
from workbench.record import Record
from workbench.report.casenote import render_case_note
from workbench.report.csv_export import render_csv
from workbench.report.json_export import render_json
from workbench.report.table import render_table
from workbench.text import clean, clean_line

PIECES = (
    "[bold]",
    "[/bold]",
    "[/]",
    "[link=https://x]",
    "[/link]",
    "[@click=app.quit]",
    "[red on blue]",
    "\x1b[2J",
    "\x1b]8;;https://x\x1b\\",
    "\x1b[31m",
    "\r",
    "\x07",
    "\x00",
    "\x7f",
    "\x9b",
    "\u200b",
    "\u202e",
    "\u2066",
    "\t",
    "\n",
    "*em*",
    "_u_",
    "`code`",
    "<b>",
    "</b>",
    "&amp;",
    "# h",
    "| pipe |",
    "\\",
    "=cmd|'/C calc'!A0",
    "+1",
    "-1",
    "@SUM(A1)",
    "[x](https://x)",
    "%s {0}",
)


def tagged(text: str, key: str) -> str:
    """The hostile text for field `key`: tagged with the field (so each field's text is its own),
    and long enough for every minimum length even when the hostile part cleans to nothing."""
    return f"{text} ({key} end)"


TEXT_KEYS = frozenset(
    {
        "name",
        "brands",
        "drug_class",
        "mechanism",
        "schedule",
        "wording",
        "note",
        "follow_up",
        "label",
        "citation",
        "population",
        "comparator",
        "disability_endpoint",
        "condition",
        "infection",
        "figure",
        "test",
        "frequency",
        "duration",
        "text",
        "summary",
        "contraception_after_last_dose",
        "washout",
        "breastfeeding",
        "item",
    }
)
"""Every free-text field of the profile format (ids, units and vocabularies are validated)."""

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_MARKDOWN_ESCAPE = re.compile(r"\\(.)")

BUNDLED = load_library(bundled_profiles_dir())
IMPORTANCE = preset_importance(BUNDLED, BUNDLED.presets[0].id)


def _richness(profile: Profile) -> int:
    strata = sum(len(m.strata or ()) for m in profile.measurements.values())
    restricted = sum(r.restricted for r in profile.reservation.values())
    return (
        len(profile.cautions)
        + len(profile.monitoring)
        + len(profile.trials)
        + len(profile.autoimmunity)
        + len(profile.infections)
        + strata
        + restricted
        + (profile.pregnancy is not None)
    )


def _data(node: Any) -> Any:
    """A record as nested plain data (dates kept), as pydantic's `model_dump()` gave it."""
    if isinstance(node, Record):
        return {name: _data(value) for name, value in node.as_dict().items()}
    if isinstance(node, list | tuple):
        return [_data(item) for item in node]
    if isinstance(node, dict):
        return {key: _data(value) for key, value in node.items()}
    return node


BASE = _data(max(BUNDLED.profiles, key=_richness))

hostile_text = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), min_size=1, max_size=6
).map("".join)


def _replace_text(node: Any, text: str) -> Any:
    """A copy of `node` with every free-text field (and list of them) set to hostile text."""
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in TEXT_KEYS and isinstance(value, str):
                out[key] = tagged(text, key)
            elif key in TEXT_KEYS and isinstance(value, list) and key != "breastfeeding":
                # (a condition's `breastfeeding` is a list of values, not text)
                out[key] = [tagged(text, key) for _ in value] or [tagged(text, key)]
            else:
                out[key] = _replace_text(value, text)
        return out
    if isinstance(node, list):
        return [_replace_text(item, text) for item in node]
    return node


def hostile_profile(text: str) -> Profile:
    return validate_record(Profile, _replace_text(BASE, text))


def hostile_result(profile: Profile) -> Result:
    library = Library(
        root=BUNDLED.root, criteria=BUNDLED.criteria, presets=BUNDLED.presets, profiles=(profile,)
    )
    return evaluate(library, None, IMPORTANCE, PatientContext())


def no_controls(output: str) -> None:
    found = _CONTROL.findall(output)
    assert not found, f"control characters in the output: {found!r}"


def no_markup_styles(text: Text) -> None:
    """Every span is one of the renderer's own plain styles: no link, no click action, no colour
    picked up from the profile text."""
    for span in text.spans:
        style = span.style if isinstance(span.style, Style) else Style.parse(str(span.style))
        assert style.link is None, span
        assert not style.meta, span
        assert style.color is None, span
        assert style.bgcolor is None, span


def texts_of(profile: Profile) -> Iterator[str]:
    """Hostile text values of several fields that every renderer shows."""
    yield profile.name
    yield from (c.text for c in profile.cautions)
    yield from (s.citation for s in profile.sources)


SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(text=hostile_text)
def test_csv_and_json_carry_the_text_unchanged_or_cleaned(text: str) -> None:
    profile = hostile_profile(text)
    result = hostile_result(profile)
    drug = result.drugs[0]

    rows = list(csv.DictReader(io.StringIO(render_csv(result))))
    expected_name = clean_line(profile.name)
    if expected_name.startswith(("=", "+", "-", "@")):
        expected_name = "'" + expected_name
    assert rows
    assert {row["drug_name"] for row in rows} == {expected_name}

    data = json.loads(render_json(result))
    out = data["drugs"][0]
    assert out["name"] in (clean(profile.name), clean_line(profile.name))
    assert out["drug_class"] in (clean(profile.drug_class), clean_line(profile.drug_class))
    for flag_out, flag in zip(out["flags"], drug.flags, strict=True):
        assert flag_out["text"] in (clean(flag.text), clean_line(flag.text))
    for source in profile.sources:
        cited = data["sources"][profile.id][source.id]
        assert cited in (clean(source.citation), clean_line(source.citation))


def _without_fences(note: str) -> str:
    """The note without its fenced blocks (drawn charts: shown as is, never interpreted); a fence
    closes only on a line of its own backticks, so hostile text cannot break out of one."""
    kept: list[str] = []
    fence: str | None = None
    for line in note.splitlines():
        if fence is None and line.startswith("```"):
            fence = line[: len(line) - len(line.lstrip("`"))]
        elif fence is not None:
            if line == fence:
                fence = None
            else:
                assert not line.lstrip(" ").startswith(fence), line
        else:
            kept.append(line)
    assert fence is None
    return "\n".join(kept)


@SETTINGS
@given(text=hostile_text)
def test_case_note_escapes_the_text_and_keeps_it_readable(text: str) -> None:
    profile = hostile_profile(text)
    result = hostile_result(profile)
    note = render_case_note(result, today=BUNDLED.profiles[0].last_reviewed)
    no_controls(note.replace("\n", ""))
    unescaped = _MARKDOWN_ESCAPE.sub(r"\1", note)
    for value in texts_of(profile):
        assert clean_line(value) in unescaped
    bare = _MARKDOWN_ESCAPE.sub("", _without_fences(note))  # what Markdown could still interpret
    assert "[link=" not in bare
    assert "](" not in bare
    assert re.search(r"<[A-Za-z/!?]", bare) is None
    assert "&amp;" not in bare


@SETTINGS
@given(text=hostile_text)
def test_terminal_table_shows_no_control_characters(text: str) -> None:
    result = hostile_result(hostile_profile(text))
    output = render_table(result, width=160, color=False)
    no_controls(output.replace("\n", ""))
    assert "\x1b" not in output


@SETTINGS
@given(text=hostile_text)
def test_app_texts_show_the_text_literally(text: str) -> None:
    profile = hostile_profile(text)
    result = hostile_result(profile)
    drug = result.drugs[0]
    header = cells.drug_header(drug)
    assert header.plain.startswith(clean_line(profile.name))
    notes = drug_notes(drug, profile, result)
    detail = profile_detail(profile, result.criteria)
    for rendered in (header, notes, detail):
        no_controls(rendered.plain.replace("\n", ""))
        no_markup_styles(rendered)
    for flag in drug.flags:
        assert clean(flag.text) in notes.plain
    for value in (*texts_of(profile), profile.mechanism, profile.administration.schedule):
        assert clean(value) in detail.plain or clean_line(value) in detail.plain


# --------------------------------------------------------------------------- the running app

HOSTILE = "".join(PIECES)
SIZE = (160, 50)


def hostile_library() -> Library:
    """The hostile profile (own id) beside a bundled one, with a hostile concern and presets."""
    profile = hostile_profile(HOSTILE).replace(id="hostile")
    other = next(p for p in BUNDLED.profiles if p.id != BASE["id"])
    first, *rest = BUNDLED.criteria
    criteria = (
        first.replace(label="Concern " + HOSTILE, definition="Definition " + HOSTILE),
        *rest,
    )
    presets = tuple(
        p.replace(label="Preset " + HOSTILE, description="About " + HOSTILE)
        for p in BUNDLED.presets
    )
    return Library(root=BUNDLED.root, criteria=criteria, presets=presets, profiles=(profile, other))


def shown(content: object) -> Text | Content:
    assert isinstance(content, Text | Content), f"{type(content).__name__} may be read as markup"
    return content


def plain_and_spans(content: Text | Content) -> str:
    if isinstance(content, Text):
        no_markup_styles(content)
        return content.plain
    for span in content.spans:
        style = span.style
        assert "link" not in str(style), span
        assert "@click" not in str(style), span
    return content.plain


@pytest.fixture
def app() -> WorkbenchApp:
    return WorkbenchApp(Workbench(hostile_library()), BUNDLED.root, cursor_blink=False)


async def test_table_notes_and_detail_show_hostile_text_literally(app: WorkbenchApp) -> None:
    literal = clean_line(HOSTILE)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        table = app.main.query_one(ComparisonTable)
        assert literal in plain_and_spans(table.header_text("hostile"))
        table.move_to_drug("hostile")
        await pilot.pause()
        notes = plain_and_spans(shown(app.main.query_one(NotesPane).text))
        assert literal in notes
        no_controls(notes.replace("\n", ""))
        await pilot.press("i")
        detail = plain_and_spans(shown(app.screen.query_one("#detail-text", Static).content))
        assert literal in detail
        no_controls(detail.replace("\n", ""))
        assert "[link=https://x]" in app.export_screenshot()
        assert app.is_running


async def test_command_palette_lists_hostile_names_literally(app: WorkbenchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"Preset")
        await pilot.pause(0.3)
        prompts = [str(option.prompt) for option in app.screen.query_one(CommandList).options]
        assert any("[link=https://x]" in prompt for prompt in prompts), prompts
        assert app.is_running


async def test_weight_tooltip_shows_the_concern_definition_literally(app: WorkbenchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("w")
        await pilot.pause()
        slider = app.main.query(WeightSlider).first()
        assert slider.tooltip is not None
        tooltip = Tooltip(slider.tooltip).visual  # what the screen shows on hover
        assert isinstance(tooltip, Text | Content)
        assert clean_line("Definition " + HOSTILE) in tooltip.plain


async def test_exported_case_note_has_no_control_characters(
    app: WorkbenchApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
    (note,) = (tmp_path / "notes").glob("*.md")
    text = note.read_text(encoding="utf-8")
    no_controls(text.replace("\n", ""))
    assert clean_line(HOSTILE) in _MARKDOWN_ESCAPE.sub(r"\1", text)
