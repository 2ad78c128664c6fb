"""The treatment history: the current and previous treatments, and what the engine derives from
them (the number of prior DMTs, prior immunosuppressant use).

Which treatments count is data: a profile's `[switching]` (`counts_as_dmt`,
`prior_immunosuppressant`) and criteria.toml's `[[other_treatments]]` for treatments without a
profile (mitoxantrone, azathioprine, ...). A value given directly in the case (`--prior-dmts`,
`--prior-immunosuppressant`) always wins over the derived one.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from workbench.engine.conditions import any_of
from workbench.engine.context import NO_CURRENT_DMT, PatientContext, PreviousDmt
from workbench.profiles.library import Library
from workbench.profiles.records import SLUG
from workbench.record import Record


class Taken(Record):
    """One treatment of the history."""

    drug: str
    current: bool
    months_since_stop: int | None
    """0 for the current DMT; None when unknown."""
    months_on: int | None


def taken(context: PatientContext) -> tuple[Taken, ...]:
    """The current DMT (if any) first, then the previous treatments as entered."""
    out: list[Taken] = []
    current = context.current_dmt
    if current is not None and current != NO_CURRENT_DMT:
        out.append(
            Taken(
                drug=current, current=True, months_since_stop=0, months_on=context.months_on_current
            )
        )
    for previous in context.previous_dmts or ():
        if previous.drug != current:
            out.append(
                Taken(
                    drug=previous.drug,
                    current=False,
                    months_since_stop=previous.months_since_stop,
                    months_on=previous.months_on,
                )
            )
    return tuple(out)


def known_treatments(library: Library) -> dict[str, str]:
    """Every id a history may name → its name: the profiles and the other treatments."""
    names = {t.id: t.name for t in library.other_treatments}
    names.update({p.id: p.name for p in library.profiles})
    return names


def unknown_ids(
    context: PatientContext, profiles: Collection[str], others: Collection[str] = ()
) -> list[tuple[str, str]]:
    """(field, words) for each id of the history that names nothing: the current DMT must be a
    profile (or 'none'), a previous treatment a profile or one of the other treatments. The one
    check of the CLI's options and the app's case entries; the words list the valid ids."""
    found: list[tuple[str, str]] = []
    current = context.current_dmt
    if current is not None and current != NO_CURRENT_DMT and current not in profiles:
        valid = ", ".join([NO_CURRENT_DMT, *sorted(profiles)])
        found.append(("current_dmt", f"unknown drug {current!r}; valid: {valid}"))
    known = {*profiles, *others}
    for previous in context.previous_dmts or ():
        if previous.drug not in known:
            valid = ", ".join(sorted(known))
            found.append(("previous_dmts", f"unknown treatment {previous.drug!r}; valid: {valid}"))
            break
    return found


def _counts(drug_id: str, library: Library) -> tuple[bool, bool | None]:
    """(counts as a DMT, counts as prior immunosuppressant use) for one treatment id."""
    for profile in library.profiles:
        if profile.id == drug_id:
            suppressant = profile.switching.prior_immunosuppressant
            return (
                profile.switching.counts_as_dmt,
                None if suppressant == "unclear" else suppressant,
            )
    for other in library.other_treatments:
        if other.id == drug_id:
            return other.counts_as_dmt, other.prior_immunosuppressant
    return True, None


def derive(context: PatientContext, library: Library) -> PatientContext:
    """The context the engine evaluates: prior DMTs and prior immunosuppressant from the history
    where the case does not give them. The history is complete only when both the current DMT
    and the previous ones are known; otherwise a count is a lower bound (`prior_dmts_min`)."""
    history = taken(context)
    complete = context.current_dmt is not None and context.previous_dmts is not None
    counted = [_counts(t.drug, library) for t in history]
    dmts = len({t.drug for t, (is_dmt, _) in zip(history, counted, strict=True) if is_dmt})
    update: dict[str, object] = {"prior_dmts_min": dmts}
    if context.prior_dmts is None and complete:
        update["prior_dmts"] = dmts
    if context.prior_immunosuppressant is None:
        suppressed = any_of(flag for _, flag in counted)
        if suppressed is True or complete:
            update["prior_immunosuppressant"] = suppressed
    return context.replace(**update)


class HistoryError(ValueError):
    """A treatment history that cannot be read; the message says what is expected."""


HISTORY_SYNTAX = (
    "ID, ID:MONTHS_SINCE_STOPPING or ID:MONTHS_SINCE_STOPPING:MONTHS_ON, comma-separated"
)


def parse_previous(raw: str) -> tuple[PreviousDmt, ...]:
    """`natalizumab:2:30, mitoxantrone` → previous treatments; 'none' or '' → ()."""
    text = raw.strip()
    if text.lower() in ("", NO_CURRENT_DMT):
        return ()
    out: list[PreviousDmt] = []
    for item in text.split(","):
        parts = [p.strip() for p in item.strip().split(":")]
        if not parts[0] or len(parts) > 3:
            raise HistoryError(f"{item.strip()!r} is not {HISTORY_SYNTAX}")
        numbers: list[int | None] = []
        for part in parts[1:]:
            if part in {"", "?"}:
                numbers.append(None)
                continue
            if not part.isdigit() or int(part) > 600:
                raise HistoryError(f"{part!r} in {item.strip()!r} is not a number of months 0-600")
            numbers.append(int(part))
        numbers += [None] * (2 - len(numbers))
        if parts[0] != parts[0].lower():
            raise HistoryError(f"{parts[0]!r} is not a treatment id (lower case, e.g. natalizumab)")
        if not re.fullmatch(SLUG.pattern, parts[0]):
            raise HistoryError(f"{parts[0]!r} is not a treatment id (e.g. natalizumab)")
        out.append(PreviousDmt(drug=parts[0], months_since_stop=numbers[0], months_on=numbers[1]))
    return tuple(out)


def format_previous(previous: tuple[PreviousDmt, ...] | None) -> str:
    """The inverse of `parse_previous` ('' for unknown, 'none' for none)."""
    if previous is None:
        return ""
    if not previous:
        return NO_CURRENT_DMT
    items: list[str] = []
    for p in previous:
        text = p.drug
        if p.months_on is not None:
            since = "" if p.months_since_stop is None else str(p.months_since_stop)
            text += f":{since}:{p.months_on}"
        elif p.months_since_stop is not None:
            text += f":{p.months_since_stop}"
        items.append(text)
    return ",".join(items)
