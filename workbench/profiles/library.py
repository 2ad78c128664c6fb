"""A loaded profiles directory: criteria, presets, the good profiles and the problems."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from workbench.profiles.records import (
    ClassRule,
    Criterion,
    DefaultRule,
    Definition,
    GuidelineRule,
    OtherTreatment,
    Preset,
    Profile,
    Source,
)
from workbench.record import Record
from workbench.text import clean_line

Severity = Literal["error", "warning"]


class Problem(Record):
    """One thing wrong with one file, located as precisely as the parser allows."""

    path: str
    line: int | None
    field: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        line = "" if self.line is None else f"{self.line}:"
        where = f"{self.path}:{line}"
        prefix = "warning: " if self.severity == "warning" else ""
        return clean_line(f"{where} {self.field}: {prefix}{self.message}")


class Library(Record):
    """The loaded profiles directory. Files with errors are left out of `profiles` and reported."""

    root: Path
    criteria: tuple[Criterion, ...]
    presets: tuple[Preset, ...]
    profiles: tuple[Profile, ...]
    problems: tuple[Problem, ...] = ()
    horizon_months: int = 48
    """Default treatment horizon (months) from criteria.toml, over which risks are averaged."""
    other_treatments: tuple[OtherTreatment, ...] = ()
    """Non-profile treatments a history may name (criteria.toml `[[other_treatments]]`)."""
    definitions: tuple[Definition, ...] = ()
    """Activity and response definitions (criteria.toml `[[definitions]]`)."""
    guidelines: tuple[GuidelineRule, ...] = ()
    """Guideline recommendations raised as flags (criteria.toml `[[guidelines]]`)."""
    switching_rules: tuple[ClassRule, ...] = ()
    """Switching rules declared once for a class (criteria.toml `[[switching_rules]]`)."""
    sources: tuple[Source, ...] = ()
    """The sources the definitions, guideline rules and switching rules cite (criteria.toml
    `[[sources]]`)."""
    default_preset: str | None = None
    """presets.toml `default`: the preset a case starts from when no default rule holds."""
    default_rules: tuple[DefaultRule, ...] = ()
    """presets.toml `[[default_rules]]`: presets chosen by the case (the first that holds)."""

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")

    def profile(self, drug_id: str) -> Profile:
        """The profile with this id (KeyError if absent)."""
        for profile in self.profiles:
            if profile.id == drug_id:
                return profile
        raise KeyError(drug_id)

    def criterion(self, concern_id: str) -> Criterion:
        """The concern with this id (KeyError if absent)."""
        for criterion in self.criteria:
            if criterion.id == concern_id:
                return criterion
        raise KeyError(concern_id)

    def preset(self, preset_id: str) -> Preset:
        """The preset with this id (KeyError if absent)."""
        for preset in self.presets:
            if preset.id == preset_id:
                return preset
        raise KeyError(preset_id)
