"""Synthetic but valid profiles for the benchmarks, derived from the bundled ones.

Each generated profile copies a bundled profile (round robin), gets its own id and name, and has
every measured number scaled by a seeded random factor (bounds scaled alike, so they stay ordered;
percentages and relative reductions kept at or below 100). Indirect-estimate legs no longer match
a scaled value, so they are dropped (a figure given only by its legs becomes their scaled product
as a hazard ratio). Extra concerns (for the 6-concern SMAA figure) copy an existing concern's scale
and each profile's measurement of it. The numbers are benchmark data only, never clinical figures.
"""

from __future__ import annotations

import copy
import random
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import tomli
import tomli_w

from workbench.profiles.file_result import CRITERIA_FILE, PRESETS_FILE
from workbench.profiles.paths import bundled_profiles_dir

SCALE_RANGE = (0.6, 1.4)
"""Generated values are the base profile's values times a factor drawn from this range."""

Table = dict[str, Any]


# --------------------------------------------------------------------------- generating


def _scaled(measurement: Table, factor: float, percent: bool) -> None:
    """Scale the figures of a measurement, its strata and comparator in place (a rate from counts
    through its exposure). Class evidence names its origin in words: generated sets lack it."""
    holders = (measurement, *measurement.get("strata", ()), measurement.get("comparator") or {})
    for holder in holders:
        for name in ("value", "low", "high", "ci_low", "ci_high"):
            if isinstance(holder.get(name), int | float):
                number = round(holder[name] * factor, 3)
                holder[name] = min(number, 100.0) if percent else number
        for name in ("hazard_ratio", "hr_ci_low", "hr_ci_high"):
            if isinstance(holder.get(name), int | float):
                holder[name] = round(holder[name] * factor, 3)
        if isinstance(holder.get("patient_years"), int | float):
            holder["patient_years"] = round(holder["patient_years"] / factor, 3)
        legs = holder.pop("indirect", None)
        if legs is not None and "value" not in holder:
            product = legs["contrast_rate_ratio"] * legs["anchor_rate_ratio"]
            holder["hazard_ratio"] = round(product * factor, 3)
    if "extrapolated_from" in measurement:
        measurement["extrapolated_from"] = f"class of {measurement['extrapolated_from']}"


CAPPED_KINDS = ("percent", "reduction")
"""Concern kinds whose figures cannot exceed 100 (a percentage, a relative reduction in %)."""


def _capped_concerns(criteria: Sequence[Table]) -> set[str]:
    return {c["id"] for c in criteria if c.get("kind", "rate") in CAPPED_KINDS}


def _extra_concerns(criteria: list[Table], total: int) -> dict[str, str]:
    """Append copies of existing concerns until there are `total`; new id → copied id."""
    copies: dict[str, str] = {}
    base = list(criteria)
    while len(criteria) < total:
        source = base[len(copies) % len(base)]
        extra = copy.deepcopy(source)
        extra["id"] = f"{source['id']}_copy{len(copies) + 1}"
        extra["label"] = f"{source['label']} (copy {len(copies) + 1})"
        criteria.append(extra)
        copies[extra["id"]] = source["id"]
    return copies


def generate(
    target: Path,
    count: int,
    *,
    concerns: int | None = None,
    seed: int = 0,
    source: Path | None = None,
) -> list[Path]:
    """Write criteria, presets and `count` generated profiles into `target`; return the profiles.

    `concerns` above the source's concern count adds copied concerns (with copied measurements).
    """
    source = source or bundled_profiles_dir()
    target.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    criteria_doc = tomli.loads((source / CRITERIA_FILE).read_text(encoding="utf-8"))
    copies = _extra_concerns(criteria_doc["criteria"], concerns or 0)
    percent = _capped_concerns(criteria_doc["criteria"])
    if copies:
        (target / CRITERIA_FILE).write_text(tomli_w.dumps(criteria_doc), encoding="utf-8")
        presets_doc = tomli.loads((source / PRESETS_FILE).read_text(encoding="utf-8"))
        for preset in presets_doc["presets"]:
            importance = preset["importance"]
            importance.update({new: importance.get(old, 0) for new, old in copies.items()})
        (target / PRESETS_FILE).write_text(tomli_w.dumps(presets_doc), encoding="utf-8")
    else:
        shutil.copyfile(source / CRITERIA_FILE, target / CRITERIA_FILE)
        shutil.copyfile(source / PRESETS_FILE, target / PRESETS_FILE)

    bases = [
        tomli.loads(path.read_text(encoding="utf-8"))
        for path in sorted(source.glob("*.toml"))
        if path.name not in (CRITERIA_FILE, PRESETS_FILE)
    ]
    written: list[Path] = []
    for index in range(count):
        profile = copy.deepcopy(bases[index % len(bases)])
        profile["id"] = f"bench-{index:05d}"
        profile["name"] = f"{profile['name']} (bench {index})"
        profile.pop("equivalences", None)  # generated drugs stand alone (the ids are renamed)
        measurements: Table = profile.get("measurements", {})
        for new, old in copies.items():
            if old in measurements:
                measurements[new] = copy.deepcopy(measurements[old])
        for concern, measurement in measurements.items():
            _scaled(measurement, rng.uniform(*SCALE_RANGE), concern in percent)
        path = target / f"{profile['id']}.toml"
        path.write_text(tomli_w.dumps(profile), encoding="utf-8")
        written.append(path)
    _prune_references(target)
    return written


def _prune_references(target: Path) -> None:
    """Drop what names a profile the set lacks (a copy has its own id): equivalences, and the
    drugs a guideline rule is limited to (a rule left with none is dropped)."""
    ids = {
        path.stem
        for path in target.glob("*.toml")
        if path.name not in (CRITERIA_FILE, PRESETS_FILE)
    }
    criteria_path = target / CRITERIA_FILE
    criteria = tomli.loads(criteria_path.read_text(encoding="utf-8"))
    rules = criteria.get("guidelines", [])
    kept = []
    for rule in rules:
        named = rule.get("current_drugs", [])
        rule["current_drugs"] = [drug for drug in named if drug in ids]
        if rule["current_drugs"] or not named:
            kept.append(rule)
    if kept != rules:
        criteria["guidelines"] = kept
        criteria_path.write_text(tomli_w.dumps(criteria), encoding="utf-8")
    for path in target.glob("*.toml"):
        if path.name in (CRITERIA_FILE, PRESETS_FILE):
            continue
        profile = tomli.loads(path.read_text(encoding="utf-8"))
        equivalences = profile.get("equivalences", [])
        known = [e for e in equivalences if e["drug"] in ids]
        if known != equivalences:
            profile["equivalences"] = known
            path.write_text(tomli_w.dumps(profile), encoding="utf-8")


def bundled_plus(target: Path, total: int) -> int:
    """Copy the bundled profiles into `target` and top them up with generated ones to `total`
    profiles; return how many of them are bundled."""
    source = bundled_profiles_dir()
    bundled = [
        p for p in sorted(source.glob("*.toml")) if p.name not in (CRITERIA_FILE, PRESETS_FILE)
    ]
    target.mkdir(parents=True, exist_ok=True)
    for path in (source / CRITERIA_FILE, source / PRESETS_FILE, *bundled[:total]):
        shutil.copyfile(path, target / path.name)
    extra = max(total - len(bundled), 0)
    if extra:
        generated = target / "generated"
        generate(generated, extra)
        for path in generated.glob("bench-*.toml"):
            path.rename(target / path.name)
        shutil.rmtree(generated)
    _prune_references(target)
    return min(len(bundled), total)
