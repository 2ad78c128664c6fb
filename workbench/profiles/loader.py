"""Load a profiles directory (or explicit files) into a `Library`, collecting every problem.

A directory holds `criteria.toml`, `presets.toml` and one `<drug-id>.toml` per drug. One broken
file never stops the others: files with errors are left out of the library and every problem is
reported as `path:line: field.path: message`. Warnings keep their file. Nothing here raises on bad
input.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from difflib import get_close_matches
from functools import partial
from pathlib import Path
from typing import Generic, TypeVar, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from workbench.profiles import schema
from workbench.profiles.library import Library, Problem, Severity
from workbench.profiles.paths import bundled_profiles_dir
from workbench.profiles.records import (
    CriteriaFile,
    Criterion,
    OtherTreatment,
    Preset,
    PresetsFile,
    Profile,
    from_data,
)
from workbench.profiles.rules import (
    Finding,
    criteria_findings,
    origin_findings,
    preset_findings,
    profile_findings,
)
from workbench.profiles.toml_lines import KeyLines, Loc
from workbench.profiles.toml_read import ReadFailure, read_toml
from workbench.record import Record

CRITERIA_FILE = "criteria.toml"
PRESETS_FILE = "presets.toml"
_REQUIRED = {
    CRITERIA_FILE: "the concerns compared (criteria) are defined in this file",
    PRESETS_FILE: "the importance presets are defined in this file",
}

ModelT = TypeVar("ModelT", bound=BaseModel)
RecordT = TypeVar("RecordT", bound=Record)


def load_library(root: Path, *, today: dt.date | None = None) -> Library:
    """Load every TOML file of the directory `root` (or the single file `root`)."""
    if root.is_file():
        return load_files([root], today=today)
    if not root.is_dir():
        what = "file" if root.suffix == ".toml" else "profiles directory"
        return _unreadable(root, f"no such {what}")
    try:
        profile_files = sorted(
            (
                path
                for path in root.glob("*.toml")
                if path.name not in (CRITERIA_FILE, PRESETS_FILE) and not path.name.startswith(".")
            ),
            key=lambda path: path.name,  # one directory: the same order as whole paths, faster
        )
    except OSError as error:
        return _unreadable(root, f"cannot list the directory: {error.strerror or error}")
    return _load(root, root / CRITERIA_FILE, root / PRESETS_FILE, profile_files, today)


def _unreadable(root: Path, message: str) -> Library:
    return Library(root, (), (), (), (Problem(str(root), None, "(file)", message),))


def load_files(paths: Sequence[Path], *, today: dt.date | None = None) -> Library:
    """Load explicit files. Criteria and presets come from the files themselves when given,
    else from the first file's directory when it has them, else from the bundled profiles."""
    named = {path.name: path for path in paths}
    base = paths[0].parent if paths else bundled_profiles_dir()
    if not (base / CRITERIA_FILE).is_file():
        base = bundled_profiles_dir()
    criteria_path = named.get(CRITERIA_FILE, base / CRITERIA_FILE)
    presets_path = named.get(PRESETS_FILE, base / PRESETS_FILE)
    profile_files = [path for path in paths if path.name not in (CRITERIA_FILE, PRESETS_FILE)]
    return _load(base, criteria_path, presets_path, profile_files, today)


def _load(
    root: Path,
    criteria_path: Path,
    presets_path: Path,
    profile_files: Iterable[Path],
    today: dt.date | None,
) -> Library:
    with _gc_paused():
        return _load_all(root, criteria_path, presets_path, profile_files, today or dt.date.today())


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while loading, then hand what was loaded straight to the
    oldest generation.

    Parsing allocates many small objects that are all kept: repeated collections over them would
    cost more than the parsing itself, and so would the one that re-enabling the collector starts
    (everything allocated meanwhile still counts as young). `freeze` then `unfreeze` moves every
    tracked object to the oldest generation without examining it. That is safe: nothing is exempt
    from collection afterwards (unlike a lasting `freeze`), so garbage among those objects is still
    found by the next full collection; and the library, the bulk of them, is long-lived anyway.
    Skipped when something else froze objects on purpose: `unfreeze` would undo that.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def _load_all(
    root: Path,
    criteria_path: Path,
    presets_path: Path,
    profile_files: Iterable[Path],
    today: dt.date,
) -> Library:
    problems: list[Problem] = []

    criteria_file = _load_file(
        criteria_path, schema.CriteriaFile, CriteriaFile, problems, _criteria_rules
    )
    concerns: dict[str, Criterion] | None = None
    criteria: tuple[Criterion, ...] = ()
    horizon = CriteriaFile.horizon_months
    others: tuple[OtherTreatment, ...] = ()
    if criteria_file.model is not None:
        horizon = criteria_file.model.horizon_months
        others = tuple(criteria_file.model.other_treatments)
        concerns = {criterion.id: criterion for criterion in criteria_file.model.criteria}
        if criteria_file.clean:
            criteria = tuple(criteria_file.model.criteria)

    presets_file = _load_file(
        presets_path, schema.PresetsFile, PresetsFile, problems, partial(_preset_rules, concerns)
    )
    presets: tuple[Preset, ...] = ()
    if presets_file.model is not None and presets_file.clean:
        presets = tuple(presets_file.model.presets)

    profiles: list[Profile] = []
    located: list[tuple[Path, KeyLines | None]] = []
    ids: dict[str, Path] = {}
    for path in profile_files:
        loaded = _load_file(
            path,
            schema.Profile,
            Profile,
            problems,
            partial(_profile_rules, path.stem, concerns, today),
        )
        profile = loaded.model
        if profile is None or not loaded.clean:
            continue
        if profile.id in ids:
            problems.append(
                _problem(
                    path, loaded.lines, ("id",), f"duplicate profile id (also {ids[profile.id]})"
                )
            )
            continue
        ids[profile.id] = path
        profiles.append(profile)
        located.append((path, loaded.lines))
    profiles = _with_origins(profiles, located, set(ids), problems)
    return Library(root, criteria, presets, tuple(profiles), tuple(problems), horizon, others)


def _with_origins(
    profiles: list[Profile],
    located: list[tuple[Path, KeyLines | None]],
    ids: set[str],
    problems: list[Problem],
) -> list[Profile]:
    """Drop profiles whose class evidence names an origin that does not exist (cross-file)."""
    kept: list[Profile] = []
    for profile, (path, lines) in zip(profiles, located, strict=True):
        found = [_problem(path, lines, f.loc, f.message) for f in origin_findings(profile, ids)]
        problems.extend(found)
        if not found:
            kept.append(profile)
    return kept


def _profile_rules(
    stem: str, concerns: Mapping[str, Criterion] | None, today: dt.date, model: Profile
) -> list[Finding]:
    return profile_findings(model, stem, concerns, today)


def _criteria_rules(model: CriteriaFile) -> list[Finding]:
    return criteria_findings(model.criteria)


def _preset_rules(concerns: Mapping[str, Criterion] | None, model: PresetsFile) -> list[Finding]:
    return preset_findings(model.presets, None if concerns is None else list(concerns))


@dataclass(frozen=True, slots=True)
class _Loaded(Generic[RecordT]):
    model: RecordT | None
    clean: bool
    lines: KeyLines | None


def _load_file(
    path: Path,
    model_type: type[BaseModel],
    record_type: type[RecordT],
    problems: list[Problem],
    rules: Callable[[RecordT], Sequence[Finding]],
) -> _Loaded[RecordT]:
    """Read, validate and rule-check one file, appending its problems (sorted by line)."""
    if path.name in _REQUIRED and not path.exists():
        problems.append(Problem(str(path), None, "(file)", f"missing: {_REQUIRED[path.name]}"))
        return _Loaded(None, False, None)
    document = read_toml(path)
    if isinstance(document, ReadFailure):
        problems.append(Problem(str(path), document.line, document.field, document.message))
        return _Loaded(None, False, None)
    lines = KeyLines(document.text)
    try:
        model = model_type.model_validate(document.data)
    except ValidationError as error:
        found = [
            _problem(path, lines, _clean_loc(detail["loc"]), _message(model_type, detail))
            for detail in error.errors(
                include_url=False, include_context=False, include_input=False
            )
        ]
        problems.extend(sorted(found, key=_line_key))
        return _Loaded(None, False, lines)
    record = from_data(record_type, model.model_dump(mode="json"))
    findings = [_problem(path, lines, f.loc, f.message, f.severity) for f in rules(record)]
    problems.extend(sorted(findings, key=_line_key))
    clean = not any(problem.severity == "error" for problem in findings)
    return _Loaded(record, clean, lines)


def _message(model_type: type[BaseModel], detail: ErrorDetails) -> str:
    """pydantic's message; for an unknown key, with the nearest valid key suggested."""
    if detail["type"] != "extra_forbidden":
        return detail["msg"]
    loc = _clean_loc(detail["loc"])
    fields = _fields_at(model_type, loc[:-1])
    close = get_close_matches(str(loc[-1]), fields, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    valid = f" (valid: {', '.join(fields)})" if fields and not close else ""
    return f"unknown key {str(loc[-1])!r}{hint}{valid}"


def _fields_at(model_type: type[BaseModel], loc: Loc) -> list[str]:
    """The keys a model accepts at this key path ([] when the path leaves the models)."""
    current: object = model_type
    parts = list(loc)
    while parts:
        part = parts.pop(0)
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        if not isinstance(part, str) or part not in current.model_fields:
            return []
        current = _without_none(current.model_fields[part].annotation)
        while get_origin(current) in (list, dict) and parts:
            parts.pop(0)  # the index or key inside the container
            current = _without_none(get_args(current)[-1])
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _without_none(annotation: object) -> object:
    """X for `X | None`; anything else unchanged."""
    args = [a for a in get_args(annotation) if a is not type(None)]
    if get_origin(annotation) in (list, dict) or len(args) != 1:
        return annotation
    return args[0]


def _clean_loc(loc: tuple[int | str, ...]) -> Loc:
    """Drop pydantic's `[key]` marker (a dict key error) so the path matches the TOML key path."""
    return tuple(part for part in loc if part != "[key]")


def _problem(
    path: Path,
    lines: KeyLines | None,
    loc: Loc,
    message: str,
    severity: Severity = "error",
) -> Problem:
    line = None if lines is None else lines.line_of(loc)
    return Problem(str(path), line, field_path(loc), message, severity)


def _line_key(problem: Problem) -> int:
    return problem.line or 0


def field_path(loc: Loc) -> str:
    """Render a key path as `measurements.pml.strata[0].low`."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text or "(file)"


def load_libraries(paths: Sequence[Path], *, today: dt.date | None = None) -> list[Library]:
    """One library per directory in `paths`, plus one per directory of the explicit files given."""
    libraries = [load_library(path, today=today) for path in paths if not path.is_file()]
    by_directory: dict[Path, list[Path]] = {}
    for path in paths:
        if path.is_file():
            by_directory.setdefault(path.parent, []).append(path)
    libraries.extend(load_files(files, today=today) for files in by_directory.values())
    return libraries


def validate_record(record_type: type[RecordT], data: Mapping[str, object]) -> RecordT:
    """Validate `data` with the pydantic model of the same name, then build the record from the
    model's JSON data (the path every loaded file takes; raises pydantic's ValidationError)."""
    model_type: type[BaseModel] = getattr(schema, record_type.__name__)
    return from_data(record_type, model_type.model_validate(data).model_dump(mode="json"))
