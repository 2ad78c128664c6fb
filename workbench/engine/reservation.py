"""Highly-active-disease reservations per region, and whether the patient qualifies."""

from __future__ import annotations

from workbench.engine.conditions import Tri, any_of, evaluate_condition, unknown_facts
from workbench.engine.context import PatientContext
from workbench.engine.result import ReservationStatus
from workbench.profiles.records import Profile, Reservation
from workbench.profiles.vocabulary import Region


def patient_meets(reservation: Reservation, context: PatientContext) -> Tri:
    """True/False/None: unrestricted → True; else any `qualifies_when` holding (three-valued OR).

    A restricted drug whose qualifying conditions are not encoded gives None (the clinician judges).
    """
    if not reservation.restricted:
        return True
    if not reservation.qualifies_when:
        return None
    return any_of(evaluate_condition(c, context) for c in reservation.qualifies_when)


def reservation_status(
    region: Region, reservation: Reservation, context: PatientContext
) -> ReservationStatus:
    """The reservation of one region for this patient context."""
    meets = patient_meets(reservation, context)
    return ReservationStatus(
        region=region,
        restricted=reservation.restricted,
        wording=reservation.wording,
        patient_meets=meets,
        sources=tuple(reservation.source_ids),
        unknown=unknown_facts(reservation.qualifies_when, context) if meets is None else (),
    )


def reservations(profile: Profile, context: PatientContext) -> dict[Region, ReservationStatus]:
    """Every region's reservation of the profile, evaluated for the context."""
    return {
        region: reservation_status(region, reservation, context)
        for region, reservation in profile.reservation.items()
    }
