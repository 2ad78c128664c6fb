"""Eligibility tiers: eligible, outside the label, contraindicated — from the flags that hold.

Only what holds moves a drug down. An undecided contraindication or reservation marks the drug
("may be contraindicated: pregnancy planned") and leaves it in its tier: the clinician decides.
"""

from __future__ import annotations

from collections.abc import Sequence

from workbench.engine.flags import LABEL_CODES
from workbench.engine.result import Eligibility, Flag


def eligibility(flags: Sequence[Flag]) -> Eligibility:
    """The tier of a drug with these flags, the reasons for it and what the case leaves open."""
    contraindications = [f for f in flags if f.level == "contraindication" and not f.undecided]
    outside = [f for f in flags if f.code in LABEL_CODES and not f.undecided]
    possible = [
        f"may be contraindicated: {f.undecided}"
        for f in flags
        if f.level == "contraindication" and f.undecided
    ]
    possible += [
        f"may be outside the label: {f.undecided}"
        for f in flags
        if f.code in LABEL_CODES and f.undecided
    ]
    if contraindications:
        return Eligibility(
            tier="contraindicated",
            reasons=tuple(f.text for f in contraindications),
            possible=tuple(possible),
        )
    if outside:
        return Eligibility(
            tier="outside-label",
            reasons=tuple(LABEL_CODES[f.code] for f in outside),
            possible=tuple(possible),
        )
    return Eligibility(tier="eligible", reasons=(), possible=tuple(possible))
