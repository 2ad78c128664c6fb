"""The case note: one engine `Result` rendered as a self-contained Markdown document.

Everything shown was computed by the engine or quoted from a profile; profile text is escaped so it
appears literally. The note holds no patient identifiers (the context has none).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from workbench import __version__
from workbench.atomic import make_private_folder, write_atomic
from workbench.engine.result import DrugResult, Result, WeightInterval
from workbench.profiles.vocabulary import IMPORTANCE_SCALE
from workbench.report import charts, pictures, wording
from workbench.report.markdown import inline
from workbench.report.smaa_words import EXPLAIN, FIXED_CENTRAL
from workbench.session import default_notes_dir
from workbench.text import clean, label_quote


class _Citations:
    """Numbers sources in order of first citation; one number per distinct citation."""

    def __init__(self, result: Result) -> None:
        self._sources = result.sources
        self._numbers: dict[str, int] = {}

    def cite(self, drug_id: str, source_ids: Iterable[str]) -> str:
        """` [1, 3]` for these sources of this drug, or an empty string when there are none."""
        numbers: list[int] = []
        for source_id in source_ids:
            citation = self._sources.get(drug_id, {}).get(source_id)
            key = citation if citation else f"{source_id} (citation missing from the profile)"
            number = self._numbers.setdefault(key, len(self._numbers) + 1)
            if number not in numbers:
                numbers.append(number)
        return f" [{', '.join(str(n) for n in numbers)}]" if numbers else ""

    def lines(self) -> list[str]:
        return [f"{number}. {inline(text)}" for text, number in self._numbers.items()]


def _table(header: list[str], rows: Iterable[list[str]], align: str = "") -> list[str]:
    """A Markdown table; cells must already be escaped. `align` gives one of `l`/`r` per column."""
    marks = [("---:" if a == "r" else "---") for a in align.ljust(len(header), "l")]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(marks) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


Section = tuple[str, list[str]]
"""A part of the note: its kind (`comparison`, `forest`, `drug`, …) and its Markdown lines."""
PICTURES = ("contributions", "forest", "risks", "rank-chart")
"""The kinds of section that are pictures: text charts here, SVG on the page to share."""
CHART_WIDTH = 100
"""The width of the note's text charts (a Markdown code block keeps them as drawn)."""


def render_case_note(result: Result, *, today: dt.date) -> str:
    """The case note for `result`, dated `today`, as Markdown."""
    lines = [line for _, section in note_sections(result, today=today) for line in section]
    return "\n".join(lines) + "\n"


def note_sections(result: Result, *, today: dt.date) -> list[Section]:
    """The case note as its sections, in order (the page to share renders the same ones)."""
    citations = _Citations(result)
    head = [
        "# Case note: MS disease-modifying therapy comparison",
        "",
        wording.DISCLAIMER,
        "",
        f"- Date: {today.isoformat()}",
        f"- Tool: workbench {__version__}",
        "- No patient identifiers are recorded in this note.",
        "",
    ]
    sections: list[Section] = [
        ("head", head),
        ("context", _context(result)),
        ("activity", _activity(result)),
        ("profiles", _profiles(result)),
        ("weights", _weights(result)),
        ("comparison", _comparison(result)),
        ("contributions", _contributions(result)),
        ("forest", _forest(result)),
        ("policy", ["## Ranking policy", "", inline(result.policy), ""]),
        ("stopping", _stopping(result, citations)),
    ]
    sections += [("drug", _drug(result, drug, citations, today)) for drug in result.drugs]
    sections += [
        ("risks", _risks(result)),
        ("sensitivity", _sensitivity(result)),
        ("smaa", _smaa(result)),
        ("rank-chart", _rank_chart(result)),
    ]
    sections.append(("sources", ["## Sources", "", *(citations.lines() or ["No sources cited."])]))
    return [(kind, lines) for kind, lines in sections if lines]


def code_block(lines: Iterable[str]) -> list[str]:
    """Lines kept as drawn, in a fence longer than any run of backticks in them."""
    body = [clean(line).replace("\n", " ").rstrip() for line in lines]
    longest = max((len(run) for line in body for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + "text", *body, fence]


def _contributions(result: Result) -> list[str]:
    if not result.drugs:
        return []
    intro = (
        "Each drug's total as its weighted contributions, stacked in concern order (a letter "
        "starts each segment); the hatched part is open (no data or a range of strata), from the "
        "worst to the best case. The bar's full length is a total of 1."
    )
    chart = [line.plain for line in charts.contribution_lines(result, CHART_WIDTH)[1:]]
    return ["## Contributions", "", intro, "", *code_block(chart), ""]


def _forest(result: Result) -> list[str]:
    if not result.drugs:
        return []
    intro = (
        "Per concern, each drug's figure with its bounds on one axis, the comparator or MS "
        "background rate as a band, and the difference drug − comparator in words. Risks "
        "spanning decades are on a log axis; the legend says what each mark is."
    )
    chart = [line.plain for line in charts.forest_lines(result, CHART_WIDTH)]
    return ["## Forest plots", "", intro, "", *code_block(chart), ""]


def _risks(result: Result) -> list[str]:
    found = pictures.risks(result)
    if not found:
        return []
    intro = (
        f"Each risk over the treatment horizon ({result.horizon_months} months) as people out "
        "of 1,000 (or 100 when it is 10% or more)."
    )
    out = [f"## Risk over {result.horizon_months} months (icon arrays)", "", intro, ""]
    for drug in result.drugs:
        drug_risks = [risk for risk in found if risk.drug.id == drug.id]
        if drug_risks:
            lines = [line.plain for line in charts.icon_notes(drug_risks)]
            out += [f"### {inline(drug.name)}", "", *code_block(lines), ""]
    return out


def _rank_chart(result: Result) -> list[str]:
    chart = charts.acceptability_lines(result, CHART_WIDTH)
    if not chart:
        return []
    title = "Rank acceptability as stacked bars:"
    return [title, "", *code_block(line.plain for line in chart), ""]


def _context(result: Result) -> list[str]:
    rows = [
        [label, inline(value)]
        for label, value in wording.context_rows(
            result.context, result.derived, result.horizon_months
        )
    ]
    return ["## Case context", "", *_table(["Field", "Value"], rows), ""]


def _activity(result: Result) -> list[str]:
    """Disease activity from the facts, each definition applied, and the guideline rules raised."""
    out = ["## Disease activity and guideline rules", ""]
    out += [f"- {inline(line)}" for line in wording.activity_lines(result)]
    findings = () if result.activity is None else result.activity.findings
    if findings:
        out += ["", "Definitions applied to the facts:", ""]
    for f in findings:
        detail = f.facts or (f"missing: {', '.join(f.missing)}" if f.missing else "")
        if f.open_reason:
            detail = f"{f.open_reason}; {detail}" if detail else f.open_reason
        words = f.wording if f.paraphrase else label_quote(f.wording)
        out.append(
            f"- {inline(f.label)}: **{f.verdict}**"
            + (f" ({inline(detail)})" if detail else "")
            + f" — definition: {inline(words)} — counted as: {inline(f.counting)}"
            + (f" {inline(f.note)}" if f.note else "")
            + f" — source: {inline('; '.join(c.rstrip('.') for c in f.sources))}."
        )
    return [*out, ""]


def _profiles(result: Result) -> list[str]:
    if not result.drugs:
        return ["## Profiles compared", "", "No drugs selected.", ""]
    rows = [
        [
            inline(drug.name),
            inline(drug.drug_class),
            ", ".join(route.upper() for route in drug.routes),
            "yes" if drug.off_label else "no",
            inline(drug.last_reviewed),
        ]
        for drug in result.drugs
    ]
    header = ["Drug", "Class", "Route", "Off-label", "Profile last reviewed"]
    return ["## Profiles compared", "", *_table(header, rows), ""]


def _weights(result: Result) -> list[str]:
    rows = [
        [
            inline(criterion.label),
            wording.number(result.importance.get(criterion.id, 0.0)),
            wording.percent(result.weights.get(criterion.id, 0.0)),
        ]
        for criterion in result.criteria
    ]
    table = _table(["Concern", f"Importance ({IMPORTANCE_SCALE})", "Weight"], rows, "lrr")
    relevance = [f"- {inline(line)}" for line in wording.not_relevant(result)]
    return [
        "## Weights",
        "",
        inline(wording.preset(result)),
        "",
        *table,
        "",
        *relevance,
        *([""] if relevance else []),
    ]


def _comparison(result: Result) -> list[str]:
    if not result.drugs:
        return []
    intro = (
        "Each cell: the context-adjusted measurement (bounds in brackets) → its weighted "
        "contribution (weight × value score 0–1). The total is the sum of contributions, or the "
        "worst–best range when a weighted concern has no single value."
    )
    header = ["", *(inline(drug.name) for drug in result.drugs)]
    rows = [
        ["Group", *(inline(wording.group_heading(d, result.rank_mode)) for d in result.drugs)],
        ["Rank", *(wording.rank(drug) for drug in result.drugs)],
        ["Total (0–1)", *(wording.total(drug) for drug in result.drugs)],
        ["Completeness", *(inline(wording.completeness(drug)) for drug in result.drugs)],
        ["Why here", *(inline(wording.tier_reasons(d)) or "—" for d in result.drugs)],
    ]
    for criterion in result.criteria:
        weight = wording.percent(result.weights.get(criterion.id, 0.0))
        label = f"{inline(criterion.label)} ({inline(criterion.unit)}; weight {weight})"
        cells = []
        for drug in result.drugs:
            found = drug.criteria.get(criterion.id)
            cells.append(
                "—"
                if found is None
                else f"{inline(wording.figure(found))} → {wording.contribution(found)}"
            )
        rows.append([label, *cells])
    legend = "Symbols: " + "; ".join(inline(line) for line in wording.LEGEND) + "."
    return ["## Comparison", "", intro, "", *_table(header, rows), "", legend, ""]


def _stopping(result: Result, citations: _Citations) -> list[str]:
    """What stopping the current DMT means, before the candidates (none without one)."""
    stopping = result.stopping
    if stopping is None:
        return []
    lines = [
        f"- {flag.level.capitalize()}: {inline(flag.text)}"
        + (f" (undecided: {inline(flag.undecided)})" if flag.undecided else "")
        + citations.cite(stopping.drug, flag.sources)
        for flag in stopping.flags
    ] or ["- Nothing recorded in the profile."]
    return [f"## Stopping {inline(stopping.name)}", "", *lines, ""]


def _drug(result: Result, drug: DrugResult, citations: _Citations, today: dt.date) -> list[str]:
    group = inline(wording.group_heading(drug, result.rank_mode))
    out = [f"## {wording.rank(drug)} {inline(drug.name)} ({group})", ""]
    if not drug.ranked:
        out += [f"Not ranked on these weights: {inline(wording.rank_range(drug))}.", ""]
    regions = sorted(drug.reservation, key=lambda region: region != result.context.region)
    out += ["Highly-active-disease reservation:", ""]
    for region in regions:
        status = drug.reservation[region]
        line = f"- {wording.region_name(region)}: " + wording.reservation(status)
        if status.wording:
            line += f". Label: {inline(label_quote(status.wording))}"
        out.append(line + citations.cite(drug.id, status.sources))
    if not regions:
        out.append("- No reservation recorded in the profile.")
    out += ["", "Contraindications and cautions for this context:", ""]
    out += [
        f"- {wording.flag_mark(flag)} {inline(wording.flag_heading(flag))}: {inline(flag.text)}"
        f"{citations.cite(drug.id, flag.sources)}"
        for flag in drug.flags
    ] or ["- None raised."]
    if not drug.continuing:
        out += ["", "Before starting:", ""]
        out += [
            f"- {inline(wording.check(item))}{citations.cite(drug.id, item.sources)}"
            for item in drug.before_starting
        ] or ["- No checks listed in the profile for this region."]
    out += ["", "Monitoring to start:", ""]
    out += [
        f"- {inline(item.test)}: {inline(item.frequency)}; {inline(item.duration)}"
        f"{citations.cite(drug.id, item.sources)}"
        for item in drug.monitoring
    ] or ["- None listed in the profile for this region."]
    heading, dated = wording.monitoring_calendar(drug, today)
    if dated:
        out += ["", f"Monitoring calendar ({inline(heading)}):", ""]
        out += [f"- {inline(line)}" for line in dated]
    out += ["", "Behind the numbers:", ""]
    for criterion in result.criteria:
        found = drug.criteria.get(criterion.id)
        if found is None:
            continue
        line = f"- {inline(found.label)}: {inline(wording.measurement(found))}"
        if found.status != "no-data":
            line += f" {inline(found.unit)}"
        if found.stratum:
            line += f"; stratum “{inline(found.stratum)}”"
        if found.strength:
            line += f"; evidence {found.strength}"
        line += f"; {inline(wording.evidence(found, lambda ids: citations.cite(drug.id, ids)))}"
        if found.follow_up:
            line += f"; {inline(found.follow_up)}"
        if found.clamped:
            line += "; outside the concern's scale, scored at its end"
        comparator = found.evidence.comparator
        extra = () if comparator is None else comparator.sources
        line += citations.cite(drug.id, (*found.sources, *extra))
        if found.note:
            line += f". Note: {inline(found.note)}"
        out.append(line)
    return [*out, ""]


def _sensitivity(result: Result) -> list[str]:
    if not result.sensitivity:
        return []
    rows = [
        [
            inline(wording.drug_name(result, interval.top_drug)),
            inline(_concern_label(result, interval.concern)),
            wording.percent(interval.current),
            f"{wording.percent(interval.low)}–{wording.percent(interval.high)}",
            _takeover(result, interval),
        ]
        for interval in result.sensitivity
    ]
    header = [
        "First drug",
        "Concern",
        "Current weight",
        "Weight range keeping it first",
        "First beyond the range",
    ]
    intro = (
        "One-way sensitivity: over each range the first-ranked drug stays first while that "
        "concern's weight changes and the other weights are rescaled proportionally."
    )
    return ["## Sensitivity", "", intro, "", *_table(header, rows, "llrrl"), ""]


def _takeover(result: Result, interval: WeightInterval) -> str:
    """Who ranks first below and above the range (— when it reaches both ends)."""
    parts = []
    if interval.below_drug is not None:
        name = inline(wording.drug_name(result, interval.below_drug))
        parts.append(f"below {wording.percent(interval.low)}: {name}")
    if interval.above_drug is not None:
        name = inline(wording.drug_name(result, interval.above_drug))
        parts.append(f"above {wording.percent(interval.high)}: {name}")
    return "; ".join(parts) or "—"


def _smaa(result: Result) -> list[str]:
    smaa = result.smaa
    if smaa is None:
        return []
    mode: str = smaa.weight_mode
    if smaa.spread is not None:
        mode += f" (±{wording.number(smaa.spread)} importance points)"
    out = [
        "## SMAA",
        "",
        f"{smaa.iterations} iterations, seed {smaa.seed}, weights: {mode}. Each figure is "
        "sampled from its evidence (counts: Beta/Gamma; a published CI: log-normal; ranges and "
        "strata: uniform); missing values over the whole scale. All drugs are ranked together.",
        "",
        "To reproduce it, save this case (key s in the app) as CASE.toml and run "
        f"{wording.smaa_command(smaa, result.rank_mode)} — the same case, seed and settings "
        "give the same figures.",
        "",
    ]
    out += [
        f"- {inline(d.name)}: {wording.smaa_rank(d)}" for d in result.drugs if wording.smaa_rank(d)
    ]
    if wording.disagreement(result):
        out += ["", f"**{inline(wording.disagreement(result))}**"]
    drawn = [line for d in result.drugs for line in wording.smaa_cumulative(result, d)]
    if drawn:
        out += ["", "Risk over the horizon across the draws (central 95%):", ""]
        out += [f"- {inline(line)}" for line in drawn]
    out.append("")
    ranks = [f"Rank {r}" for r in range(1, len(result.drugs) + 1)]
    rows = []
    for drug in result.drugs:
        shares = drug.acceptability or ()
        cells = [wording.percent(share) for share in shares] + ["—"] * (len(ranks) - len(shares))
        confidence = "—" if drug.confidence is None else wording.percent(drug.confidence)
        rows.append([inline(drug.name), *cells, confidence])
    align = "l" + "r" * (len(ranks) + 1)
    out += [f"- {EXPLAIN[key]}" for key in ("acceptability", "central", "confidence")]
    out += ["", "Rank acceptability (share of samples giving each rank) and confidence factor:", ""]
    out += [*_table(["Drug", *ranks, "Confidence"], rows, align), ""]
    if smaa.weight_mode == "fixed":
        return [*out, FIXED_CENTRAL, ""]
    header = ["Drug", *(inline(c.label) for c in result.criteria)]
    central = []
    for drug in result.drugs:
        weights = drug.central_weights
        central.append(
            [
                inline(drug.name),
                *(
                    "—"
                    if weights is None or c.id not in weights
                    else wording.percent(weights[c.id])
                    for c in result.criteria
                ),
            ]
        )
    out += ["Central weights (the average weights making each drug first; — if never first):", ""]
    return [*out, *_table(header, central, "l" + "r" * len(result.criteria)), ""]


def _concern_label(result: Result, concern_id: str) -> str:
    for criterion in result.criteria:
        if criterion.id == concern_id:
            return criterion.label
    return concern_id


def save_case_note(
    result: Result, *, folder: Path | None = None, today: dt.date | None = None
) -> Path:
    """Write the case note atomically to a new file named after the date and time; return its path.

    `folder` defaults to `default_notes_dir()` and is created if needed. An existing file is
    never overwritten: a numeric suffix is added instead.
    """
    now = dt.datetime.now()
    day = today or now.date()
    return save_new(folder, case_note_name(now, day), lambda: render_case_note(result, today=day))


def save_new(folder: Path | None, name: str, render: Callable[[], str]) -> Path:
    """Write `render()` atomically to a new file `name` (or `stem-2.ext`, … when taken) in
    `folder` (default: the notes folder, created private if needed); return its path."""
    target = folder if folder is not None else default_notes_dir()
    make_private_folder(target)
    stem, ext = os.path.splitext(name)
    path = reserve(target, stem, ext)
    try:
        write_atomic(path, render())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def case_note_name(now: dt.datetime, day: dt.date | None = None) -> str:
    """The file name of a case note written at `now` (dated `day`, default `now`'s date)."""
    return f"case-note-{(day or now.date()).isoformat()}-{now:%H%M%S}.md"


def reserve(folder: Path, stem: str, ext: str = ".md") -> Path:
    """Create an empty, new file `stem.md` (or `stem-2.md`, …; another `ext` alike) so no
    other writer can take it."""
    number = 1
    while True:
        path = folder / (f"{stem}{ext}" if number == 1 else f"{stem}-{number}{ext}")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            number += 1
            continue
        os.close(fd)
        return path
