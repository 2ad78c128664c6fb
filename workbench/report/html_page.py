"""The page to share: one self-contained HTML file (no network, no fonts, no scripts) with the
case, the comparison, the pictures as inline SVG, every flag and every source, printable on A4.

It is the case note (`casenote.note_sections`, the same words and numbers) rendered by
markdown-it-py with raw HTML off, so profile text stays text; the note's text charts are replaced
by their SVG drawings (`report.svg`).
"""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

from workbench import __version__
from workbench.engine.result import Result
from workbench.report import pictures, svg
from workbench.report.casenote import PICTURES, note_sections, save_new
from workbench.text import clean_line

STYLE = """
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
  font-size: 10pt; line-height: 1.35; color: #111; background: #fff; margin: 0; }
main { max-width: 186mm; margin: 0 auto; padding: 8mm 4mm; }
h1 { font-size: 16pt; margin: 0 0 4pt; }
h2 { font-size: 13pt; margin: 14pt 0 4pt; border-bottom: 1px solid #999; break-after: avoid; }
h3 { font-size: 11pt; margin: 10pt 0 3pt; break-after: avoid; }
p, ul, ol { margin: 3pt 0 6pt; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; font-size: 8.5pt; }
th, td { border: 1px solid #aaa; padding: 2pt 4pt; text-align: left; vertical-align: top;
  overflow-wrap: break-word; hyphens: auto; }
th { background: #eee; }
svg.picture { width: 100%; height: auto; display: block; margin: 2pt 0 6pt; }
svg.icons { display: block; margin: 2pt 0 8pt; height: auto; }
svg.icons-1000 { width: 90mm; }
svg.icons-100 { width: 36mm; }
figure { margin: 0 0 8pt; break-inside: avoid; }
figcaption { font-weight: 600; }
.legend, .note { color: #444; font-size: 8.5pt; }
.disclaimer { font-weight: 600; }
@media print { main { padding: 0; max-width: none; } a { color: inherit; } }
"""
"""The page's only style: system fonts (nothing to load), A4 margins, pictures kept whole."""


def _markdown(lines: list[str]) -> str:
    """Markdown lines of the note as HTML; raw HTML is not interpreted (shown as text)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    return str(md.render("\n".join(lines)))


def _prose(lines: list[str]) -> list[str]:
    """A picture section's lines without its fenced text charts and their sub-headings (the SVG
    and its own headings replace them)."""
    out: list[str] = []
    fence: str | None = None
    for line in lines:
        if fence is None and line.startswith("```"):
            fence = line[: len(line) - len(line.lstrip("`"))]
            continue
        if fence is not None:
            if line == fence:
                fence = None
            continue
        if not line.startswith("### "):
            out.append(line)
    return out


def _forest(result: Result) -> str:
    parts = []
    for index, panel in enumerate(pictures.forest(result)):
        comparisons = []
        for row in panel.rows:
            comparator = row.comparator
            if comparator is None:
                continue
            words = clean_line(pictures.comparison_words(row))
            comparisons.append(f"<li>{escape(clean_line(row.drug.name))}: {escape(words)}</li>")
        listed = f'<ul class="note">{"".join(comparisons)}</ul>' if comparisons else ""
        parts.append(
            f"<figure><figcaption>{escape(clean_line(panel.title))}</figcaption>"
            f"{svg.forest_svg(panel, f'hatch-forest-{index}')}{listed}</figure>"
        )
    return "".join(parts) + f'<p class="legend">{escape(SVG_LEGEND)}</p>'


SVG_LEGEND = (
    "Filled circle: the figure; solid line: its 95% CI or published range; dashed line: "
    "strata the case leaves open; hatched band: the comparator or MS background rate "
    "(dashed vertical line: without bounds); triangle at the left end: 0 on a log axis."
)


def _risks(result: Result) -> str:
    found = pictures.risks(result)
    parts = []
    count = 0
    for drug in result.drugs:
        mine = [risk for risk in found if risk.drug.id == drug.id]
        if not mine:
            continue
        parts.append(f"<h3>{escape(clean_line(drug.name))}</h3>")
        for risk in mine:
            caption = f"{clean_line(risk.cell.label)}: {pictures.risk_words(risk)}"
            count += 1
            drawing = (
                svg.icon_array_svg(risk, f"icons-{count}")
                if risk.share is not None
                else '<p class="note">No single figure: no array (see the range).</p>'
            )
            parts.append(f"<figure><figcaption>{escape(caption)}</figcaption>{drawing}</figure>")
    legend = "Each circle is one person: filled, affected over the horizon; hollow, not."
    if any(r.constant_rate for r in found):
        legend += " " + pictures.CONSTANT_RATE
    return "".join(parts) + f'<p class="legend">{escape(legend)}</p>'


def _picture(kind: str, result: Result) -> str:
    if kind == "forest":
        return _forest(result)
    if kind == "contributions":
        return svg.contributions_svg(result, "hatch-contributions")
    if kind == "risks":
        return _risks(result)
    return svg.acceptability_svg(result, "hatch-ranks")


def render_page(result: Result, *, today: dt.date) -> str:
    """The page to share for `result`, dated `today`: one HTML5 document, nothing to load."""
    body = []
    for kind, lines in note_sections(result, today=today):
        if kind in PICTURES:
            body.append(_markdown(_prose(lines)) + _picture(kind, result))
        else:
            body.append(_markdown(lines))
    title = f"Case note {today.isoformat()}: MS disease-modifying therapy comparison"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="workbench {escape(__version__)}">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n{''.join(body)}</main>\n</body>\n</html>\n"
    )


def page_name(now: dt.datetime, day: dt.date | None = None) -> str:
    """The file name of a page written at `now` (dated `day`, default `now`'s date)."""
    return f"case-page-{(day or now.date()).isoformat()}-{now:%H%M%S}.html"


def save_page(result: Result, *, folder: Path | None = None, today: dt.date | None = None) -> Path:
    """Write the page atomically to a new `case-page-<date>-<time>.html` in the notes folder
    (created if needed; an existing file is never overwritten) and return its path."""
    now = dt.datetime.now()
    day = today or now.date()
    return save_new(folder, page_name(now, day), lambda: render_page(result, today=day))
