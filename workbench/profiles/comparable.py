"""Comparable figures across profiles: equivalence classes and the comparability warnings.

- **Equivalences.** A profile that declares `[[equivalences]]` with another (same active moiety,
  biosimilar, another route of the same antibody) takes the other's figure of a concern as class
  evidence where it has none, or where its own is not of the concern's reference kind while the
  other's is. Its own figure is kept as supporting evidence (shown in the notes, not scored).
- **Warnings** (`workbench validate`): a scored figure not of the reference kind while the file
  holds a supporting one that is (and is at least as strong); two drugs of one head-to-head trial
  scored from different sources.

Cross-file rules: they run in `loader` on the records, for fresh and cached loads alike.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from workbench.profiles.load_rules import CLASS_STRENGTH_CAP, Finding
from workbench.profiles.records import (
    Comparator,
    Criterion,
    Equivalence,
    IndirectEstimate,
    Measurement,
    Modifier,
    Profile,
    Source,
    Stratum,
    Supporting,
)
from workbench.profiles.vocabulary import STRENGTHS, Strength
from workbench.record import FrozenDict

EQUIVALENCE_WORDS = {
    "same-active-moiety": "same active moiety",
    "biosimilar": "biosimilar",
    "other-route": "the same antibody by another route",
}


def comparable(measurement: Measurement | None, criterion: Criterion) -> bool:
    """A figure other drugs' figures of the concern compare with: of the reference kind, or any
    figure where the concern names no reference kind."""
    if measurement is None:
        return False
    return criterion.reference is None or measurement.kind == criterion.reference.kind


def class_strength(origin: Strength) -> Strength:
    """Borrowed evidence is one step weaker than its origin, and at most the class cap."""
    index = max(STRENGTHS.index(origin) + 1, STRENGTHS.index(CLASS_STRENGTH_CAP))
    return STRENGTHS[min(index, len(STRENGTHS) - 1)]


def _prefixed(ids: Sequence[str], origin: str) -> tuple[str, ...]:
    return tuple([f"{origin}:{source_id}" for source_id in ids])


def _own_as_supporting(profile: Profile, own: Measurement) -> Supporting:
    return Supporting(
        label=f"{profile.name}'s own figure (not of the reference kind, not scored)",
        kind=own.kind,
        basis=own.basis,
        follow_up=own.follow_up,
        data_cut=own.data_cut,
        strength=own.strength,
        source_ids=own.source_ids,
        note=own.note,
        value=own.value,
        ci_low=own.ci_low,
        ci_high=own.ci_high,
        low=own.low,
        high=own.high,
        events=own.events,
        patients=own.patients,
        follow_up_years=own.follow_up_years,
        patient_years=own.patient_years,
    )


def _borrowed(
    profile: Profile, own: Measurement | None, other: Profile, m: Measurement, eq: Equivalence
) -> Measurement:
    """`other`'s figure as class evidence of `profile` (source ids prefixed with the origin)."""
    why = (
        f"Class evidence from {other.name} ({EQUIVALENCE_WORDS[eq.kind]}: {eq.note}); "
        f"{'no figure of its own' if own is None else 'its own figure is not comparable'}, so "
        f"{other.name}'s figure is scored, one evidence step weaker."
    )
    comparator: Comparator | None = m.comparator
    if comparator is not None:
        comparator = comparator.replace(source_ids=_prefixed(comparator.source_ids, other.id))
    indirect: IndirectEstimate | None = m.indirect
    if indirect is not None:
        indirect = indirect.replace(
            contrast_source_ids=_prefixed(indirect.contrast_source_ids, other.id),
            anchor_source_ids=_prefixed(indirect.anchor_source_ids, other.id),
        )
    strata: tuple[Stratum, ...] | None = None
    if m.strata is not None:
        strata = tuple(
            [
                s.replace(
                    source_ids=_prefixed(s.source_ids, other.id),
                    strength=class_strength(s.strength),
                    indirect=None
                    if s.indirect is None
                    else s.indirect.replace(
                        contrast_source_ids=_prefixed(s.indirect.contrast_source_ids, other.id),
                        anchor_source_ids=_prefixed(s.indirect.anchor_source_ids, other.id),
                    ),
                )
                for s in m.strata
            ]
        )
    beyond = m.beyond_last_band
    if beyond is not None:
        beyond = beyond.replace(
            source_ids=_prefixed(beyond.source_ids, other.id),
            strength=class_strength(beyond.strength),
        )
    return m.replace(
        basis="class",
        extrapolated_from=other.id,
        strength=class_strength(m.strength),
        source_ids=(*_prefixed(m.source_ids, other.id), eq.source),
        note=why if m.note is None else f"{why} {other.name}: {m.note}",
        comparator=comparator,
        indirect=indirect,
        strata=strata,
        beyond_last_band=beyond,
        supporting=() if own is None else (_own_as_supporting(profile, own), *own.supporting),
    )


def _borrowed_modifier(modifier: Modifier, other: Profile) -> Modifier:
    """The origin's patient modifier of a borrowed figure: the figure's own adjustment."""
    return modifier.replace(
        source_ids=_prefixed(modifier.source_ids, other.id),
        strength=class_strength(modifier.strength),
    )


def _cited(
    other: Profile, measurements: Sequence[Measurement], modifiers: Sequence[Modifier]
) -> list[Source]:
    concerns = {c for c, m in other.measurements.items() if m in measurements}
    ids: set[str] = set()
    for modifier in modifiers:
        if modifier.concern in concerns:
            ids.update(modifier.source_ids)
    for m in measurements:
        ids.update(m.source_ids)
        if m.comparator is not None:
            ids.update(m.comparator.source_ids)
        if m.indirect is not None:
            ids.update(m.indirect.contrast_source_ids)
            ids.update(m.indirect.anchor_source_ids)
        for s in m.strata or ():
            ids.update(s.source_ids)
        if m.beyond_last_band is not None:
            ids.update(m.beyond_last_band.source_ids)
    return [
        s.replace(id=f"{other.id}:{s.id}", citation=f"{s.citation} (cited by {other.name})")
        for s in other.sources
        if s.id in ids
    ]


def with_equivalents(
    profiles: Sequence[Profile], criteria: Sequence[Criterion]
) -> tuple[list[Profile], dict[str, list[Finding]]]:
    """Every profile with its equivalents' figures borrowed where it lacks a comparable one,
    and the findings (an equivalence naming no loaded profile) per profile id."""
    by_id = {p.id: p for p in profiles}
    findings: dict[str, list[Finding]] = {}
    result: list[Profile] = []
    for profile in profiles:
        if not profile.equivalences:
            result.append(profile)
            continue
        measurements = dict(profile.measurements)
        modifiers = list(profile.modifiers)
        borrowed: list[Source] = []
        for index, eq in enumerate(profile.equivalences):
            other = by_id.get(eq.drug)
            if other is None or other.id == profile.id:
                findings.setdefault(profile.id, []).append(
                    Finding(
                        ("equivalences", index, "drug"),
                        f"{eq.drug!r} is no other profile here: nothing is borrowed from it",
                        "warning",
                    )
                )
                continue
            taken: list[Measurement] = []
            for criterion in criteria:
                if criterion.from_pregnancy_intervals:
                    continue
                own = measurements.get(criterion.id)
                theirs = other.measurements.get(criterion.id)
                if theirs is None or criterion.id in profile.no_data:
                    continue
                if own is None or (
                    not comparable(own, criterion) and comparable(theirs, criterion)
                ):
                    measurements[criterion.id] = _borrowed(profile, own, other, theirs, eq)
                    taken.append(theirs)
                    modifiers = [
                        *(m for m in modifiers if m.concern != criterion.id),
                        *(
                            _borrowed_modifier(m, other)
                            for m in other.modifiers
                            if m.concern == criterion.id
                        ),
                    ]
            borrowed.extend(_cited(other, taken, other.modifiers))
        known = {s.id for s in profile.sources}
        extra = [s for s in borrowed if s.id not in known]
        result.append(
            profile.replace(
                measurements=FrozenDict(measurements),
                modifiers=tuple(modifiers),
                sources=(*profile.sources, *extra),
            )
        )
    return result, findings


# --------------------------------------------------------------------------- warnings


def _stronger_or_equal(a: Strength, b: Strength) -> bool:
    return STRENGTHS.index(a) <= STRENGTHS.index(b)


def preference(figure: Measurement | Supporting, criterion: Criterion) -> tuple[int, int]:
    """How well a figure fits the concern's reference (lower is better): of the reference kind
    first, then by the basis order of preference."""
    reference = criterion.reference
    if reference is None:
        return 0, 0
    bases = reference.bases
    rank = bases.index(figure.basis) if figure.basis in bases else len(bases)
    return (0 if figure.kind == reference.kind else 1), rank


def reference_findings(profile: Profile, criteria: Mapping[str, Criterion]) -> Iterator[Finding]:
    """A scored figure less fit than a supporting figure of the file (not of the reference kind
    while the supporting one is, or of a less preferred basis), which is at least as strong: a
    weaker [K] trial figure does not displace a checked one."""
    for concern, m in profile.measurements.items():
        criterion = criteria.get(concern)
        if criterion is None or criterion.reference is None:
            continue
        reference = criterion.reference
        scored = preference(m, criterion)
        for index, extra in enumerate(m.supporting):
            better = preference(extra, criterion)
            if better >= scored or not _stronger_or_equal(extra.strength, m.strength):
                continue
            if better[0] < scored[0]:
                why = (
                    f"the scored figure is not of the reference kind {reference.kind!r} "
                    f"({reference.description}) while supporting[{index}] is"
                )
            else:
                why = (
                    f"supporting[{index}] has a preferred basis ({extra.basis!r} before "
                    f"{m.basis!r} in {', '.join(reference.bases)})"
                )
            yield Finding(
                ("measurements", concern, "kind"),
                f"{why}: score that one and keep this one as supporting evidence",
                "warning",
            )
            break


def head_to_head_findings(profile: Profile, by_id: Mapping[str, Profile]) -> Iterator[Finding]:
    """Two drugs of one head-to-head trial scored from different sources."""
    for concern, m in profile.measurements.items():
        comparator = m.comparator
        if m.trial is None or comparator is None or comparator.drug is None:
            continue
        other = by_id.get(comparator.drug)
        if other is None:
            continue
        theirs = other.measurements.get(concern)
        if theirs is not None and theirs.trial == m.trial:
            continue
        scored = "no figure" if theirs is None else (theirs.trial or theirs.follow_up)
        yield Finding(
            ("measurements", concern, "trial"),
            f"{profile.id} is scored from {m.trial} against {other.id}, which is scored from "
            f"another source ({scored}): score both arms of the trial, or the head-to-head "
            "result may be reversed",
            "warning",
        )
