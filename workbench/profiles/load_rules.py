"""The profile rules checked on every load, the profile cache's hits included: those that depend
on the day (the review date) or on the other files of the directory (drugs named by guideline
rules, class evidence's origin), and the `Finding` every rule yields.

Apart from `workbench.profiles.rules` (the rules a validation runs once per file) so that a load
from the cache does not import those.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from workbench.profiles.library import Severity
from workbench.profiles.records import CriteriaFile, Profile
from workbench.profiles.toml_lines import Loc

REVIEW_WARNING_MONTHS = 24
"""A profile reviewed longer ago than this is reported with a warning."""

CLASS_STRENGTH_CAP = "moderate"
"""Class evidence (basis 'class') is never stronger than this."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule violation at one key path."""

    loc: Loc
    message: str
    severity: Severity = "error"


def review_findings(profile: Profile, today: dt.date) -> list[Finding]:
    """The findings on the review date, which depend on `today` (run on every load)."""
    return list(_review_findings(profile.last_reviewed, today))


def _review_findings(reviewed: dt.date, today: dt.date) -> Iterator[Finding]:
    if reviewed > today:
        yield Finding(("last_reviewed",), f"{reviewed} is in the future (today is {today})")
    elif reviewed < _months_before(today, REVIEW_WARNING_MONTHS):
        yield Finding(
            ("last_reviewed",),
            f"last reviewed {reviewed}, more than {REVIEW_WARNING_MONTHS} months ago",
            "warning",
        )


@lru_cache(maxsize=16)
def _months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier, clamped to the end of a shorter month."""
    year, month_index = divmod(day.year * 12 + day.month - 1 - months, 12)
    month = month_index + 1
    next_year, next_month_index = divmod(year * 12 + month, 12)
    month_end = dt.date(next_year, next_month_index + 1, 1) - dt.timedelta(days=1)
    return dt.date(year, month, min(day.day, month_end.day))


def guideline_drug_findings(model: CriteriaFile, profile_ids: set[str]) -> list[Finding]:
    """Guideline rules name current drugs that are profiles of this directory (cross-file). A
    warning: a directory with fewer profiles keeps the rules, which never apply to a missing one."""
    return [
        Finding(
            ("guidelines", index, "current_drugs", at),
            f"{drug!r} is no profile here, so the rule never applies to it "
            f"(profiles: {', '.join(sorted(profile_ids)) or 'none'})",
            "warning",
        )
        for index, rule in enumerate(model.guidelines)
        for at, drug in enumerate(rule.current_drugs)
        if drug not in profile_ids
    ]


def origin_findings(profile: Profile, profile_ids: set[str]) -> list[Finding]:
    """Class evidence names its origin: a profile id of this directory, or a named class (text
    with a space, e.g. "interferon beta class")."""
    findings: list[Finding] = []
    for concern, m in profile.measurements.items():
        origin = m.extrapolated_from
        if origin is None or " " in origin or origin in profile_ids:
            continue
        findings.append(
            Finding(
                ("measurements", concern, "extrapolated_from"),
                f"{origin!r} is no profile here; name a profile id "
                f"({', '.join(sorted(profile_ids)) or 'none loaded'}) or a class in words",
            )
        )
    return findings
