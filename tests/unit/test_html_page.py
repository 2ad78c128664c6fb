"""The page to share: valid HTML5 (html5lib, errors collected), nothing loaded from outside, every
flag and source of the JSON output for the same case, hostile profile text escaped."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import html5lib  # type: ignore[import-untyped]
import pytest
from conftest import GOLDEN, TODAY, bundled_result, golden_result

from workbench.report.html_page import render_page, save_page
from workbench.report.json_export import render_json
from workbench.report.pictures import risks
from workbench.text import clean_line

LOADING = {"script", "link", "img", "iframe", "object", "embed", "audio", "video", "source"}


def parse(page: str) -> tuple[Any, list[Any]]:
    """The document tree and html5lib's parse errors (empty for valid HTML5)."""
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
    return parser.parse(page), list(parser.errors)


def _tag(element: Any) -> str:
    """An element's name without its namespace (html5lib puts SVG in the SVG namespace)."""
    return str(element.tag).rsplit("}", 1)[-1]


def _all(tree: Any, name: str) -> list[Any]:
    return [element for element in tree.iter() if _tag(element) == name]


def _text(tree: Any) -> str:
    return re.sub(r"\s+", " ", "".join(tree.itertext()))


@pytest.mark.parametrize("make", [bundled_result, golden_result], ids=["bundled", "golden"])
def test_page_is_valid_html5_and_loads_nothing(make: Any) -> None:
    page = render_page(make(), today=TODAY)
    tree, errors = parse(page)
    assert errors == []
    assert page.startswith("<!DOCTYPE html>")
    for element in tree.iter():
        assert _tag(element) not in LOADING, element.tag
        for name, value in element.attrib.items():
            assert "//" not in value, (name, value)
            assert "http" not in value, (name, value)
            if value.startswith("url("):
                assert value.startswith("url(#")  # only the page's own patterns
    style = "".join(e.text or "" for e in tree.iter("style"))
    assert "@import" not in style
    assert "url(" not in style
    assert "@font-face" not in style
    if make is bundled_result:  # (the golden fixture's flag holds a look-alike link as text)
        assert "http://" not in page
        assert "https://" not in page


def test_page_shows_every_flag_and_source_of_the_json_output() -> None:
    result = bundled_result()
    data = json.loads(render_json(result))
    text = _text(parse(render_page(result, today=TODAY))[0])
    flags = [flag for drug in data["drugs"] for flag in drug["flags"]]
    flags += data["stopping"]["flags"] if data["stopping"] else []
    assert len(flags) > 10
    for flag in flags:
        assert clean_line(flag["text"]) in text
    citations = {c for sources in data["sources"].values() for c in sources.values()}
    cited = {
        data["sources"][drug["id"]][s]
        for drug in data["drugs"]
        for flag in drug["flags"]
        for s in flag["sources"]
    }
    assert cited
    assert len(citations) > 20
    for citation in citations & cited:
        assert clean_line(citation) in text
    # the sources behind every number too
    for drug in data["drugs"]:
        for criterion in drug["criteria"].values():
            for source in criterion["sources"]:
                assert clean_line(data["sources"][drug["id"]][source]) in text


def test_page_draws_the_pictures_from_the_result() -> None:
    result = bundled_result()
    tree, _ = parse(render_page(result, today=TODAY))
    svgs = _all(tree, "svg")
    labels = [svg.get("aria-label", "") for svg in svgs]
    assert sum(label.startswith("Forest plot") for label in labels) == len(result.criteria)
    assert "Contributions to each drug's total" in labels
    assert "Rank acceptability" in labels
    arrays = [svg for svg in svgs if "icons" in svg.get("class", "")]
    drawn = [r for r in risks(result) if r.share is not None]
    assert len(arrays) == len(drawn)
    for svg, risk in zip(arrays, drawn, strict=True):
        assert int(svg.get("data-affected")) == risk.affected
        assert int(svg.get("data-population")) == risk.population
    contributions = svgs[labels.index("Contributions to each drug's total")]
    first = result.drugs[0]
    widths = [
        float(rect.get("width"))
        for rect in _all(contributions, "rect")
        if rect.get("class") == "segment"
    ][: len([c for c in first.criteria.values() if c.weight > 0])]
    weighted = [c for c in first.criteria.values() if c.weight > 0]
    for width, cell in zip(widths, weighted, strict=False):
        share = cell.contribution if cell.contribution is not None else cell.contribution_low
        if share > 0:
            assert width == pytest.approx(share * 420, abs=0.01)


def test_hostile_profile_text_comes_out_escaped() -> None:
    result = golden_result()
    hostile = "<script>alert(1)</script><b>x</b>"
    drug = result.drugs[0].replace(name=f"Evil {hostile}")
    result = result.replace(drugs=(drug, *result.drugs[1:]))
    page = render_page(result, today=TODAY)
    tree, errors = parse(page)
    assert errors == []
    assert not _all(tree, "script")
    assert not _all(tree, "b")
    assert hostile in _text(tree)
    assert "<script>" not in page
    golden = (GOLDEN / "profiles" / "alpha.toml").read_text(encoding="utf-8")
    assert "<b>needs</b>" in golden
    assert "<b>needs</b>" in _text(tree)  # the fixture's markup look-alike, shown as text


def test_compare_writes_the_page_and_the_app_export_saves_one(tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "workbench.cli.main",
            "compare",
            "--drugs",
            "natalizumab,ocrelizumab",
            "--date",
            "2026-12-01",
            "-o",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    assert parse(out.read_text(encoding="utf-8"))[1] == []
    saved = save_page(bundled_result(), folder=tmp_path, today=TODAY)
    again = save_page(bundled_result(), folder=tmp_path, today=TODAY)
    assert saved != again
    assert saved.suffix == ".html"
    assert saved.stat().st_mode & 0o077 == 0
