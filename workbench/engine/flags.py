"""Flags: the cautions that apply (or may apply) to the patient, plus label-status warnings.

Nothing is hidden: a caution whose condition the case cannot decide keeps its own level and is
marked undecided, with the undecided part of its condition in words; a restricted drug the patient
does not qualify for is flagged, never filtered out.
"""

from __future__ import annotations

from collections.abc import Mapping

from workbench.engine.conditions import (
    UNKNOWN_WINDOW,
    Window,
    evaluate_condition,
    undecided_part,
)
from workbench.engine.context import PatientContext
from workbench.engine.result import Flag, ReservationStatus
from workbench.profiles.records import Indication, Profile
from workbench.profiles.vocabulary import FLAG_LEVELS, Region
from workbench.text import label_quote

INDICATION_CONDITION = "indication-condition"
"""The flag code of an indication's condition on some courses (e.g. active disease)."""

LABEL_CODES: dict[str, str] = {
    "off-label": "off-label use in MS",
    "not-approved": "not approved in the region",
    "indication-mismatch": "disease course outside the label's indication",
    "reservation-not-met": "highly-active-disease reservation not met",
    "reservation-unknown": "the highly-active-disease reservation",
    "indication-condition": "the indication's condition (e.g. active disease) not met",
}
"""Flag codes that put a drug outside the label when they hold → the reason in words."""


def caution_flags(profile: Profile, context: PatientContext, window: Window) -> list[Flag]:
    """Cautions whose condition holds, or is undecided (same level, marked with the undecided part
    of the condition); exposure conditions hold when reached within the drug's treatment window."""
    flags: list[Flag] = []
    for caution in profile.cautions:
        verdict = evaluate_condition(caution.when, context, window)
        if verdict is False:
            continue
        sources = tuple(caution.source_ids)
        undecided = None
        if verdict is None and caution.when is not None:
            undecided = undecided_part(caution.when, context, window)
        flags.append(
            Flag(
                level=caution.level,
                code=caution.code,
                text=caution.text,
                sources=sources,
                undecided=undecided,
            )
        )
    return flags


def label_flags(profile: Profile, context: PatientContext) -> list[Flag]:
    """Not approved / off-label in the region, and disease course outside the indication."""
    region = context.region
    indication = profile.indications.get(region)
    flags: list[Flag] = []
    if profile.off_label:
        flags.append(
            Flag(level="warning", code="off-label", text="Off-label use in MS.", sources=())
        )
    elif indication is None or not indication.approved:
        sources = () if indication is None else tuple(indication.source_ids)
        text = f"Not approved in {region.upper()}."
        flags.append(Flag(level="warning", code="not-approved", text=text, sources=sources))
    if (
        indication is not None
        and indication.approved
        and context.course is not None
        and context.course not in indication.courses
    ):
        text = (
            f"Course {context.course} is outside the {region.upper()} indication: "
            f"{label_quote(indication.wording)}"
        )
        flags.append(
            Flag(
                level="warning",
                code="indication-mismatch",
                text=text,
                sources=tuple(indication.source_ids),
            )
        )
    if indication is not None and indication.approved:
        flags.extend(_requirement_flags(indication, context))
    return flags


def _requirement_flags(indication: Indication, context: PatientContext) -> list[Flag]:
    """The indication's conditions on some courses (e.g. active disease for relapsing MS): not
    met → outside the label; undecided → the same flag, marked with what is unknown."""
    flags: list[Flag] = []
    region = context.region.upper()
    for requirement in indication.requires:
        in_course = None if context.course is None else context.course in requirement.courses
        holds = evaluate_condition(requirement.when, context)
        if in_course is False or holds is True:
            continue
        courses = " or ".join(requirement.courses)
        text = (
            f"The {region} indication requires, for {courses}: {label_quote(requirement.wording)}"
        )
        undecided = None
        if holds is None:
            part = undecided_part(requirement.when, context, UNKNOWN_WINDOW)
            undecided = f"whether {part} holds is not known"
        elif in_course is None:
            undecided = f"the course is {courses} (course unknown)"
        else:
            text += " — not met for this patient."
        flags.append(
            Flag(
                level="warning",
                code=INDICATION_CONDITION,
                text=text,
                sources=tuple(indication.source_ids),
                undecided=undecided,
            )
        )
    return flags


def reservation_unknown(status: ReservationStatus) -> str:
    """Why a reservation is undecided, naming the facts the case leaves unknown."""
    if status.unknown:
        return f"(the case does not tell: {', '.join(status.unknown)})"
    return "(the label's conditions are not encoded: the clinician judges)"


def reservation_flags(
    reservations: Mapping[Region, ReservationStatus], context: PatientContext
) -> list[Flag]:
    """The region's reservation: not met → warning; undetermined by the context → info."""
    status = reservations.get(context.region)
    if status is None or not status.restricted or status.patient_meets is True:
        return []
    region = context.region.upper()
    wording = f": {label_quote(status.wording)}" if status.wording else ""
    if status.patient_meets is False:
        text = f"Restricted in {region}{wording} — the patient does not meet the restriction."
        return [
            Flag(level="warning", code="reservation-not-met", text=text, sources=status.sources)
        ]
    text = f"Restricted in {region}{wording}" if wording else f"Restricted in {region}."
    undecided = "the patient does not meet it " + reservation_unknown(status)
    return [
        Flag(
            level="warning",
            code="reservation-unknown",
            text=text,
            sources=status.sources,
            undecided=undecided,
        )
    ]


def flags_for(
    profile: Profile,
    context: PatientContext,
    reservations: Mapping[Region, ReservationStatus],
    window: Window,
) -> tuple[Flag, ...]:
    """All flags for one drug, most severe first (contraindication, warning, info)."""
    flags = [
        *caution_flags(profile, context, window),
        *label_flags(profile, context),
        *reservation_flags(reservations, context),
    ]
    return tuple(sorted(flags, key=lambda f: (FLAG_LEVELS.index(f.level), f.undecided is not None)))
