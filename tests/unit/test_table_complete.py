"""`workbench compare --format table` carries every flag and stopping text of the JSON result,
whole, at any terminal width (issue 29: a long heading once left the text no room)."""

from __future__ import annotations

import json
import os
import re
import sys

import pytest

from workbench.cli.main import main
from workbench.text import clean_line

CASE = ["--current-dmt", "natalizumab", "--months-on-current", "60", "--jcv", "positive"]


def _compare(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["compare", *CASE, *argv]) == 0
    out, _ = capsys.readouterr()
    return out


def _squeezed(text: str) -> str:
    """The text without white space: wrapping and indents do not matter, every character does."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("width", [40, 80, 200])
def test_the_table_holds_every_flag_and_stopping_text_at_any_width(
    width: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = json.loads(_compare(["--format", "json"], capsys))
    stopping = result["stopping"]
    assert stopping is not None, "the case stops natalizumab"
    assert stopping["flags"]
    texts = [f["text"] for f in stopping["flags"]]
    texts += [f["text"] for drug in result["drugs"] for f in drug["flags"]]
    assert len(texts) > 20
    texts += [  # the rules that placed each drug in its group, and what the case leaves open
        reason
        for drug in result["drugs"]
        for reason in (*drug["eligibility"]["reasons"], *drug["eligibility"]["possible"])
    ]
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setattr("shutil.get_terminal_size", lambda: os.terminal_size((width, 40)))
    table = _compare(["--format", "table"], capsys)
    assert max(len(line) for line in table.splitlines()) <= width
    assert f"Stopping {stopping['name']}" in table
    whole = _squeezed(table)
    missing = [text for text in texts if _squeezed(clean_line(text)) not in whole]
    assert missing == []
    for drug in result["drugs"]:  # every flag under its own drug, in the JSON's order
        section = whole[whole.index(_squeezed(f"{drug['name']}")) :]
        for flag in drug["flags"]:
            at = section.index(_squeezed(clean_line(flag["text"])))
            section = section[at:]
