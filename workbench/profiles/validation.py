"""Full validation of the files of one load: TOML reading, strict pydantic validation, the rules.

Imported only when the profile cache misses (or by `workbench validate`): this is the module that
imports pydantic. pydantic-core validates each file straight into its records, with the
validation `workbench.record_validation` builds from the records' declarations. The rules
that depend on the day or on other files run later, in `loader`, on the records of both paths.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from difflib import get_close_matches
from functools import partial
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from workbench.profiles import records
from workbench.profiles.file_result import REQUIRED, FileResult, line_key, located_problem
from workbench.profiles.library import Problem
from workbench.profiles.load_rules import Finding
from workbench.profiles.rules import (
    criteria_file_findings,
    default_preset_findings,
    preset_findings,
    profile_findings,
)
from workbench.profiles.toml_lines import KeyLines, Loc
from workbench.profiles.toml_read import FileBytes, ReadFailure, read_toml
from workbench.record import Record, field_type, fields
from workbench.record_validation import UNKNOWN_KEY, validate

RecordT = TypeVar("RecordT", bound=Record)


def validate_files(
    criteria_path: Path,
    presets_path: Path,
    profile_files: Iterable[Path],
    contents: Mapping[Path, FileBytes | ReadFailure] | None = None,
) -> tuple[FileResult, FileResult, list[FileResult]]:
    """Every file of one load, validated and rule-checked on its own (cross-file rules left).

    `contents`: the bytes already read of some files (the cache hashed them): those are validated,
    never a second reading that may differ."""
    read = contents or {}
    criteria = _load_file(
        criteria_path, records.CriteriaFile, _criteria_rules, read.get(criteria_path)
    )
    concerns: dict[str, records.Criterion] | None = None
    if isinstance(criteria.record, records.CriteriaFile):
        concerns = {criterion.id: criterion for criterion in criteria.record.criteria}
    presets = _load_file(
        presets_path, records.PresetsFile, partial(_preset_rules, concerns), read.get(presets_path)
    )
    profiles = [
        _load_file(
            path, records.Profile, partial(_profile_rules, path.stem, concerns), read.get(path)
        )
        for path in profile_files
    ]
    return criteria, presets, profiles


def _profile_rules(
    stem: str, concerns: Mapping[str, records.Criterion] | None, model: records.Profile
) -> list[Finding]:
    return profile_findings(model, stem, concerns, None)


def _criteria_rules(model: records.CriteriaFile) -> list[Finding]:
    return criteria_file_findings(model)


def _preset_rules(
    concerns: Mapping[str, records.Criterion] | None, model: records.PresetsFile
) -> list[Finding]:
    return [
        *preset_findings(model.presets, None if concerns is None else list(concerns)),
        *default_preset_findings(model.default, model.default_rules, [p.id for p in model.presets]),
    ]


def _load_file(
    path: Path,
    record_type: type[RecordT],
    rules: Callable[[RecordT], Sequence[Finding]],
    read: FileBytes | ReadFailure | None = None,
) -> FileResult:
    """Read (unless `read`), validate and rule-check one file; its problems sorted by line."""
    if path.name in REQUIRED and not path.exists():
        problem = Problem(
            path=str(path), line=None, field="(file)", message=f"missing: {REQUIRED[path.name]}"
        )
        return FileResult(path, None, None, False, [problem], None)
    document = read_toml(path, read)
    if isinstance(document, ReadFailure):
        problem = Problem(
            path=str(path), line=document.line, field=document.field, message=document.message
        )
        return FileResult(path, None, None, False, [problem], None)
    lines = KeyLines(document.text)
    try:
        record = validate(record_type, document.data)
    except ValidationError as error:
        found = [
            located_problem(path, lines, _clean_loc(detail["loc"]), _message(record_type, detail))
            for detail in error.errors(
                include_url=False, include_context=False, include_input=False
            )
        ]
        return FileResult(path, None, None, False, sorted(found, key=line_key), lines)
    findings = [located_problem(path, lines, f.loc, f.message, f.severity) for f in rules(record)]
    clean = not any(problem.severity == "error" for problem in findings)
    problems = sorted(findings, key=line_key)
    return FileResult(path, None, record, clean, problems, lines)


def _message(record_type: type[Record], detail: ErrorDetails) -> str:
    """pydantic's message; for an unknown key, with the nearest valid key suggested."""
    if detail["type"] != UNKNOWN_KEY:
        return detail["msg"]
    loc = _clean_loc(detail["loc"])
    keys = _fields_at(record_type, loc[:-1])
    close = get_close_matches(str(loc[-1]), keys, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    valid = f" (valid: {', '.join(keys)})" if keys and not close else ""
    return f"unknown key {str(loc[-1])!r}{hint}{valid}"


def _fields_at(record_type: type[Record], loc: Loc) -> list[str]:
    """The keys a record accepts at this key path ([] when the path leaves the records)."""
    current: object = record_type
    parts = list(loc)
    while parts:
        part = parts.pop(0)
        if not (isinstance(current, type) and issubclass(current, Record)):
            return []
        if not isinstance(part, str) or part not in current._names:
            return []
        current = field_type(fields(current)[part])
        while (item := _item_type(current)) is not None and parts:
            parts.pop(0)  # the index or key inside the container
            current = field_type(item)
    if isinstance(current, type) and issubclass(current, Record):
        return list(current._fields)
    return []


def _item_type(annotation: object) -> object | None:
    """The type of the items of `tuple[X, ...]` or the values of `Mapping[K, X]` (else None)."""
    origin = getattr(annotation, "__origin__", None)
    args: tuple[object, ...] = getattr(annotation, "__args__", ())
    if origin is tuple:
        return args[0]
    return args[1] if origin is Mapping else None


def _clean_loc(loc: tuple[int | str, ...]) -> Loc:
    """Drop pydantic's `[key]` marker (a dict key error) so the path matches the TOML key path."""
    return tuple(part for part in loc if part != "[key]")
