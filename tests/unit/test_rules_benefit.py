"""Validation rules of the benefit figures by course, hazard ratios, Bucher legs, concerns that
apply to the patient and presets' defaults (issue 25), on edited copies of the bundled files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbench.profiles.loader import load_library
from workbench.profiles.paths import bundled_profiles_dir


def edited(tmp_path: Path, file: str, old: str, new: str) -> list[tuple[str, str]]:
    """(field, message) of the errors in `file` after replacing `old` (once) by `new`."""
    root = tmp_path / "profiles"
    shutil.copytree(bundled_profiles_dir(), root)
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    library = load_library(root, use_cache=False)
    return [(p.field, p.message) for p in library.errors if p.path == str(path)]


CASES = {
    "courses-required": (
        "natalizumab.toml",
        'courses = ["rrms"]\nconfirmation_weeks = 24\n',
        "confirmation_weeks = 24\n",
        "measurements.disability_progression.courses",
        "scored by course",
    ),
    "stratum-course-outside": (
        "ocrelizumab.toml",
        'when = { course = ["ppms"] }',
        'when = { course = ["cis"] }',
        "measurements.disability_progression.strata[1].when.course",
        "cis not in the measurement's courses",
    ),
    "hazard-ratio-outside-its-ci": (
        "natalizumab.toml",
        "hazard_ratio = 0.46\nhr_ci_low = 0.33",
        "hazard_ratio = 0.46\nhr_ci_low = 0.53",
        "measurements.disability_progression.hr_ci_low",
        "need hr_ci_low ≤ ratio ≤ hr_ci_high",
    ),
    "hazard-ratio-with-a-value": (
        "natalizumab.toml",
        "hazard_ratio = 0.46\n",
        "hazard_ratio = 0.46\nvalue = 54.0\n",
        "measurements.disability_progression.hazard_ratio",
        "not both",
    ),
    "confirmation-period-not-the-scored-one": (
        "natalizumab.toml",
        "confirmation_weeks = 24\nother_confirmations = [{ weeks = 12,",
        "confirmation_weeks = 12\nother_confirmations = [{ weeks = 24,",
        "measurements.disability_progression.confirmation_weeks",
        "scores the 24-week confirmed figure",
    ),
    "bucher-leg-half-a-ci": (
        "ofatumumab.toml",
        "contrast_ci_high = 0.92\n",
        "",
        "measurements.disability_progression.indirect.contrast_ci_low",
        "needs both",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_profile_rules(tmp_path: Path, case: tuple[str, str, str, str, str]) -> None:
    file, old, new, field, message = case
    found = edited(tmp_path, file, old, new)
    assert len(found) == 1, found
    assert found[0][0] == field
    assert message in found[0][1]


def test_a_hazard_ratio_only_fits_a_relative_reduction(tmp_path: Path) -> None:
    found = edited(
        tmp_path,
        "natalizumab.toml",
        "[measurements.secondary_autoimmunity]\nvalue = 0.53\nci_low = 0.39\nci_high = 0.71",
        "[measurements.secondary_autoimmunity]\nhazard_ratio = 0.32",
    )
    assert ("measurements.secondary_autoimmunity.hazard_ratio") in [field for field, _ in found]
    assert any("relative-reduction concern" in message for _, message in found), found


def test_applies_when_needs_its_words(tmp_path: Path) -> None:
    found = edited(tmp_path, "criteria.toml", 'not_relevant = "no pregnancy planned"\n', "")
    assert len(found) == 1
    assert found[0][0].endswith(".not_relevant")


def test_the_default_preset_must_exist(tmp_path: Path) -> None:
    found = edited(
        tmp_path, "presets.toml", 'default = "uk-neurologists-other"', 'default = "nope"'
    )
    assert len(found) == 1
    assert found[0][0] == "default"
    assert "unknown preset 'nope'" in found[0][1]
