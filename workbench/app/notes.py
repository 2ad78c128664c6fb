"""The notes pane and the detail screen as rich `Text`: label wording, flags, monitoring, pregnancy,
and the source behind every number. Profile text is cleaned and shown literally, never as markup."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.text import Text

from workbench.engine.conditions import describe_condition
from workbench.engine.evaluate import profile_measurement
from workbench.engine.flags import reservation_unknown
from workbench.engine.result import CriterionResult, DrugResult, Result
from workbench.profiles.records import Criterion, Measurement, Profile
from workbench.report import wording
from workbench.report.charts import icon_notes
from workbench.report.pictures import risks
from workbench.text import clean, clean_line, label_quote


def _heading(text: Text, title: str) -> None:
    if text:
        text.append("\n")
    text.append(title + "\n", style="bold underline")


def _cite(text: Text, source_ids: Iterable[str]) -> None:
    """` [a, b]`: each source once, in order of first citation."""
    ids = list(dict.fromkeys(clean_line(s) for s in source_ids))
    if ids:
        text.append(f" [{', '.join(ids)}]", style="dim")


def _line(text: Text, body: str, source_ids: Iterable[str] = (), *, indent: str = "  ") -> None:
    text.append(indent + clean(body))
    _cite(text, source_ids)
    text.append("\n")


def measurement_words(cell: CriterionResult) -> str:
    """A scored value in words with unit and what it rests on, or 'no data'."""
    unit = clean_line(cell.unit)
    if cell.status == "no-data":
        return "no data (scored anywhere on the scale; not assumed safe or effective)"
    words = f"{wording.measurement(cell)} {unit} — {clean_line(wording.evidence(cell))}"
    if cell.stratum:
        words += f" — stratum: {clean_line(cell.stratum)}"
    return words


def stopping_notes(text: Text, result: Result) -> None:
    """The "Stopping <current drug>" section: rebound, PML surveillance, elimination, recovery."""
    stopping = result.stopping
    if stopping is None:
        return
    _heading(text, f"Stopping {clean_line(stopping.name)}")
    if not stopping.flags:
        text.append("  nothing recorded in the profile\n", style="dim")
    for flag in stopping.flags:
        text.append(f"  {wording.FLAG_MARKS[flag.level]} {flag.level}: ", style="bold")
        text.append(clean(flag.text))
        if flag.undecided:
            text.append(f" (undecided: {clean_line(flag.undecided)})", style="italic")
        _cite(text, flag.sources)
        text.append("\n")


def drug_notes(drug: DrugResult, profile: Profile, result: Result) -> Text:
    """Everything the clinician should read before choosing this drug, with sources."""
    text = Text()
    title = clean_line(drug.name)
    if profile.brands:
        title += f" ({', '.join(clean_line(b) for b in profile.brands)})"
    text.append(title, style="bold")
    text.append(f" — {clean_line(drug.drug_class)} · {' · '.join(drug.routes)}")
    text.append(f" · reviewed {drug.last_reviewed}\n", style="dim")
    if not drug.ranked:
        text.append(f"  {wording.NOT_RANKED}: {clean_line(wording.rank_range(drug))}\n")

    region = result.context.region
    status = drug.reservation.get(region)
    _heading(text, f"Reservation ({region.upper()})")
    if status is None:
        text.append("  no label for this region\n", style="italic")
    elif not status.restricted:
        _line(text, "Unrestricted: no highly-active-disease reservation.", status.sources)
    else:
        label_text = status.wording or "(restricted; wording not given)"
        _line(text, label_quote(label_text), status.sources)
        text.append(f"  Patient: {wording.reservation(status)}", style="bold")
        if status.patient_meets is None:
            text.append(f" — {reservation_unknown(status).strip('()')}")
        text.append("\n")

    _heading(text, "Contraindications and cautions")
    if not drug.flags:
        text.append("  none raised for this case\n", style="dim")
    for flag in drug.flags:
        text.append(
            f"  {wording.flag_mark(flag)} {clean_line(wording.flag_heading(flag))}: ", style="bold"
        )
        text.append(clean(flag.text))
        _cite(text, flag.sources)
        text.append("\n")

    stopping_notes(text, result)

    _heading(text, "Disease activity and guideline rules")
    for words in wording.activity_lines(result):
        _line(text, words)

    if not drug.continuing:
        _heading(text, "Before starting")
        if not drug.before_starting:
            text.append("  no checks listed for this region\n", style="dim")
        for check in drug.before_starting:
            text.append(f"  • {clean_line(check.item)}: ")
            text.append(wording.CHECK_WORDS[check.status], style="bold")
            text.append(f" — {clean(check.text)}")
            _cite(text, check.sources)
            text.append("\n")

    _heading(text, "Monitoring")
    if not drug.monitoring:
        text.append("  none listed\n", style="dim")
    for item in drug.monitoring:
        _line(
            text,
            f"• {item.test} — {item.frequency}; {item.duration}",
            item.sources,
        )

    _heading(text, "Pregnancy")
    if profile.pregnancy is None:
        text.append("  no data\n", style="italic")
    else:
        _pregnancy(text, profile)

    _heading(text, "Numbers and their sources")
    for cell in drug.criteria.values():
        text.append(f"  {clean_line(cell.label)}: ", style="bold")
        text.append(measurement_words(cell))
        if cell.strength:
            text.append(f"; evidence {cell.strength}")
        if cell.follow_up:
            text.append(f"; {clean_line(cell.follow_up)}")
        comparator = cell.evidence.comparator
        _cite(text, (*cell.sources, *(() if comparator is None else comparator.sources)))
        if cell.note:
            text.append(f"\n    {clean(cell.note)}", style="italic")
        text.append("\n")

    drug_risks = risks(result, (drug,))
    if drug_risks:
        _heading(text, f"Risk over {result.horizon_months} months, as people out of 100 or 1,000")
        for line in icon_notes(drug_risks):
            text.append("  ")
            text.append_text(line)
            text.append("\n")

    _heading(text, "Sources")
    for source_id, citation in result.sources.get(drug.id, {}).items():
        text.append(f"  [{clean_line(source_id)}] ", style="dim")
        text.append(clean_line(citation) + "\n")
    return text


def _pregnancy(text: Text, profile: Profile) -> None:
    pregnancy = profile.pregnancy
    assert pregnancy is not None
    _line(text, pregnancy.summary, pregnancy.source_ids)
    for label, value in (
        ("Contraception after last dose", pregnancy.contraception_after_last_dose),
        ("Washout", pregnancy.washout),
        ("Breastfeeding", pregnancy.breastfeeding),
    ):
        if value:
            _line(text, f"{label}: {value}")


def _measurement(text: Text, criterion: Criterion | None, concern: str, m: Measurement) -> None:
    label = clean_line(criterion.label) if criterion else clean_line(concern)
    text.append(f"  {label}: ", style="bold")
    figure = wording.raw_figure(m)
    text.append(figure or "by stratum")
    basis = wording.BASIS_WORDS[m.basis]
    if m.extrapolated_from:
        basis += f" from {clean_line(m.extrapolated_from)}"
    text.append(
        f" ({clean_line(m.unit)}); {basis}; evidence {m.strength}; {clean_line(m.follow_up)}"
    )
    if m.data_cut:
        text.append(f"; data cut {clean_line(m.data_cut)}")
    _cite(text, m.source_ids)
    text.append("\n")
    if m.note:
        _line(text, m.note, indent="    ")
    if m.indirect is not None:
        ind = m.indirect
        _line(
            text,
            f"indirect vs placebo via {ind.comparator}: rate ratio "
            f"{wording.number(ind.contrast_rate_ratio)} vs comparator × "
            f"{wording.number(ind.anchor_rate_ratio)} comparator vs placebo",
            [*ind.contrast_source_ids, *ind.anchor_source_ids],
            indent="    ",
        )
    if m.comparator is not None:
        comp = m.comparator
        _line(
            text,
            f"comparator, {comp.label}: {wording.raw_figure(comp)}"
            + (f" — {comp.note}" if comp.note else ""),
            comp.source_ids,
            indent="    ",
        )
    for stratum in m.strata or ():
        _line(
            text,
            f"• {stratum.label}: {wording.raw_figure(stratum)}{wording.band(stratum)} when "
            f"{describe_condition(stratum.when)}; evidence {stratum.strength}",
            stratum.source_ids,
            indent="    ",
        )


def profile_detail(profile: Profile, criteria: Sequence[Criterion]) -> Text:
    """The whole profile, section by section, each statement with its sources."""
    text = Text()
    text.append(clean_line(profile.name), style="bold")
    if profile.brands:
        text.append(f" ({', '.join(clean_line(b) for b in profile.brands)})")
    text.append(f"\n{clean_line(profile.drug_class)} — {clean(profile.mechanism)}\n")
    admin = profile.administration
    text.append(f"{' · '.join(admin.route)}: {clean(admin.schedule)}\n")
    if profile.off_label:
        text.append("Off-label use.\n", style="bold")
    text.append(f"Last reviewed {profile.last_reviewed.isoformat()}\n", style="dim")

    _heading(text, "Indications")
    for region, indication in profile.indications.items():
        state = "" if indication.approved else " (not approved)"
        _line(
            text,
            f"{region.upper()}{state}: {label_quote(indication.wording)}",
            indication.source_ids,
        )

    _heading(text, "Reservations")
    for region, reservation in profile.reservation.items():
        if not reservation.restricted:
            _line(text, f"{region.upper()}: unrestricted", reservation.source_ids)
            continue
        _line(
            text,
            f"{region.upper()}: {label_quote(reservation.wording or '')}",
            reservation.source_ids,
        )
        for condition in reservation.qualifies_when:
            _line(text, f"• qualifies when {describe_condition(condition)}", indent="    ")

    _heading(text, "Measurements")
    for criterion in criteria:
        measurement = profile_measurement(profile, criterion)
        if measurement is not None:
            _measurement(text, criterion, criterion.id, measurement)
            continue
        text.append(f"  {clean_line(criterion.label)}: ", style="bold")
        text.append("no data\n", style="italic")

    if profile.trials:
        _heading(text, "Trials")
        for trial in profile.trials:
            figures = []
            if trial.arr_drug is not None and trial.arr_comparator is not None:
                figures.append(
                    f"ARR {wording.number(trial.arr_drug)} vs "
                    f"{wording.number(trial.arr_comparator)}"
                )
            if trial.relative_reduction is not None:
                figures.append(f"{wording.number(trial.relative_reduction)}% reduction")
            if trial.disability_endpoint:
                significant = {True: "significant", False: "not significant", None: ""}
                figures.append(
                    f"{trial.disability_endpoint} {significant[trial.disability_significant]}"
                )
            _line(
                text,
                f"{trial.name} ({trial.year}), {trial.population}, vs {trial.comparator}"
                + (": " + "; ".join(figures) if figures else ""),
                trial.source_ids,
            )
            if trial.note:
                _line(text, trial.note, indent="    ")

    if profile.autoimmunity:
        _heading(text, "Secondary autoimmunity")
        for finding in profile.autoimmunity:
            figure = (
                "no data" if finding.incidence is None else f"{wording.number(finding.incidence)}%"
            )
            _line(
                text,
                f"{finding.condition}: {figure}, {finding.follow_up}; evidence {finding.strength}",
                finding.source_ids,
            )
    if profile.infections:
        _heading(text, "Infections")
        for infection in profile.infections:
            _line(
                text,
                f"{infection.infection}: {infection.figure}; evidence {infection.strength}",
                infection.source_ids,
            )

    _heading(text, "Cautions")
    for caution in profile.cautions:
        when = f" (when {describe_condition(caution.when)})" if caution.when else ""
        _line(
            text,
            f"{wording.FLAG_MARKS[caution.level]} {caution.level}: {caution.text}{when}",
            caution.source_ids,
        )

    if profile.modifiers:
        _heading(text, "Risk modifiers")
        for m in profile.modifiers:
            bounds = ""
            if m.ci_low is not None and m.ci_high is not None:
                bounds = " " + wording.interval(m.ci_low, m.ci_high, "ci95")
            elif m.low is not None and m.high is not None:
                bounds = " " + wording.interval(m.low, m.high, "published-range")
            _line(
                text,
                f"{m.concern}: × {wording.number(m.ratio)}{bounds} for {m.label} (when "
                f"{describe_condition(m.when)}); {wording.BASIS_WORDS[m.basis]}, evidence "
                f"{m.strength}",
                m.source_ids,
            )
            if m.note:
                _line(text, m.note, indent="    ")

    if profile.before_starting:
        _heading(text, "Before starting")
        for c in profile.before_starting:
            where = f" ({', '.join(r.upper() for r in c.region)})" if c.region else ""
            _line(text, f"• {c.item}{where} — {c.text}", c.source_ids)

    _heading(text, "Monitoring")
    for item in profile.monitoring:
        where = f" ({', '.join(r.upper() for r in item.region)})" if item.region else ""
        _line(text, f"• {item.test}{where} — {item.frequency}; {item.duration}", item.source_ids)

    _heading(text, "Pregnancy")
    if profile.pregnancy is None:
        text.append("  no data\n", style="italic")
    else:
        _pregnancy(text, profile)

    _heading(text, "Sources")
    for source in profile.sources:
        text.append(f"  [{clean_line(source.id)}] ", style="bold")
        text.append(f"{clean_line(source.citation)} ({source.kind}, {source.year})")
        for link in (f"doi:{source.doi}" if source.doi else None, source.url):
            if link:
                text.append(f" {clean_line(link)}", style="dim")
        text.append("\n")
    return text
