"""Load a profiles directory (or explicit files) into a `Library`, collecting every problem.

A directory holds `criteria.toml`, `presets.toml` and one `<drug-id>.toml` per drug. One broken
file never stops the others: files with errors are left out of the library and every problem is
reported as `path:line: field.path: message`. Warnings keep their file. Nothing here raises on bad
input.

This module imports no pydantic: when the files are unchanged since the last load, their records
and problems come from the profile cache (`workbench.profiles.cache`); otherwise
`workbench.profiles.validation` validates them. Either way the rules that depend on the day (the
review date) or on other files (duplicate ids, class evidence origins) run here, on the records.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from workbench.profiles.file_result import (
    CRITERIA_FILE,
    PRESETS_FILE,
    FileResult,
    line_key,
    located_problem,
)
from workbench.profiles.library import Library, Problem
from workbench.profiles.load_rules import (
    guideline_drug_findings,
    origin_findings,
    review_findings,
)
from workbench.profiles.paths import bundled_profiles_dir
from workbench.profiles.records import (
    ClassRule,
    CriteriaFile,
    Criterion,
    DefaultRule,
    OtherTreatment,
    Preset,
    PresetsFile,
    Profile,
    Source,
)
from workbench.record import Record

RecordT = TypeVar("RecordT", bound=Record)


def load_library(
    root: Path,
    *,
    today: dt.date | None = None,
    use_cache: bool = True,
    comparability: bool = False,
) -> Library:
    """Load every TOML file of the directory `root` (or the single file `root`).

    `use_cache` False validates every file fully (never reads nor writes the cache);
    `comparability` adds the comparability warnings (`workbench validate`: figures not of the
    reference kind, head-to-head trials scored from different sources, guideline rules naming
    drugs the directory lacks)."""
    if root.is_file():
        return load_files([root], today=today, use_cache=use_cache, comparability=comparability)
    if not root.is_dir():
        what = "file" if root.suffix == ".toml" else "profiles directory"
        return _unreadable(root, f"no such {what}")
    try:
        entries = list(root.iterdir())
    except OSError as error:
        return _unreadable(root, f"cannot list the directory: {error.strerror or error}")
    visible = [path for path in entries if not path.name.startswith(".")]
    profile_files = sorted(
        (
            path
            for path in visible
            if path.suffix == ".toml" and path.name not in (CRITERIA_FILE, PRESETS_FILE)
        ),
        key=lambda path: path.name,  # one directory: the same order as whole paths, faster
    )
    library = _load(
        root,
        root / CRITERIA_FILE,
        root / PRESETS_FILE,
        profile_files,
        today=today,
        use_cache=use_cache,
        comparability=comparability,
    )
    ignored = [
        Problem(
            path=str(path),
            line=None,
            field="(file)",
            message="ignored: profile files end in lower-case .toml",
            severity="warning",
        )
        for path in sorted(visible)
        if path.suffix.lower() == ".toml" and path.suffix != ".toml"
    ]
    return library.replace(problems=(*library.problems, *ignored)) if ignored else library


def _unreadable(root: Path, message: str) -> Library:
    return Library(
        root=root,
        criteria=(),
        presets=(),
        profiles=(),
        problems=(Problem(path=str(root), line=None, field="(file)", message=message),),
    )


def load_files(
    paths: Sequence[Path],
    *,
    today: dt.date | None = None,
    use_cache: bool = True,
    comparability: bool = False,
) -> Library:
    """Load explicit files. Criteria and presets come from the files themselves when given,
    else from the first file's directory when it has them, else from the bundled profiles."""
    named = {path.name: path for path in paths}
    base = paths[0].parent if paths else bundled_profiles_dir()
    if not (base / CRITERIA_FILE).is_file():
        base = bundled_profiles_dir()
    criteria_path = named.get(CRITERIA_FILE, base / CRITERIA_FILE)
    presets_path = named.get(PRESETS_FILE, base / PRESETS_FILE)
    profile_files = [path for path in paths if path.name not in (CRITERIA_FILE, PRESETS_FILE)]
    return _load(
        base,
        criteria_path,
        presets_path,
        profile_files,
        today=today,
        use_cache=use_cache,
        comparability=comparability,
    )


def _load(
    root: Path,
    criteria_path: Path,
    presets_path: Path,
    profile_files: Iterable[Path],
    *,
    today: dt.date | None,
    use_cache: bool,
    comparability: bool = False,
) -> Library:
    profile_list = list(profile_files)
    with _gc_paused():
        results = None
        entry = None
        if use_cache:
            from workbench.profiles import cache

            entry = cache.entry(root, [criteria_path, presets_path, *profile_list])
            results = None if entry is None else entry.read()
        if results is None:
            from workbench.profiles.validation import validate_files

            results = validate_files(
                criteria_path, presets_path, profile_list, None if entry is None else entry.contents
            )
            if entry is not None:
                entry.write(results)
        return _assemble(root, *results, today or dt.date.today(), comparability=comparability)


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


def _assemble(
    root: Path,
    criteria_file: FileResult,
    presets_file: FileResult,
    profile_results: Sequence[FileResult],
    today: dt.date,
    *,
    comparability: bool = False,
) -> Library:
    """The library from the files validated on their own (fresh or cached): the rules depending
    on the day and on other files run here, on the records, for both paths."""
    problems: list[Problem] = list(criteria_file.problems)
    criteria: tuple[Criterion, ...] = ()
    horizon = CriteriaFile.horizon_months
    others: tuple[OtherTreatment, ...] = ()
    criteria_record: CriteriaFile | None = None
    rules: tuple[ClassRule, ...] = ()
    sources: tuple[Source, ...] = ()
    if isinstance(criteria_file.record, CriteriaFile):
        horizon = criteria_file.record.horizon_months
        others = tuple(criteria_file.record.other_treatments)
        rules = tuple(criteria_file.record.switching_rules)
        sources = tuple(criteria_file.record.sources)
        if criteria_file.clean:
            criteria = tuple(criteria_file.record.criteria)
            criteria_record = criteria_file.record

    problems.extend(presets_file.problems)
    presets: tuple[Preset, ...] = ()
    default_preset: str | None = None
    default_rules: tuple[DefaultRule, ...] = ()
    if isinstance(presets_file.record, PresetsFile) and presets_file.clean:
        presets = tuple(presets_file.record.presets)
        default_preset = presets_file.record.default
        default_rules = tuple(presets_file.record.default_rules)

    profiles: list[Profile] = []
    located: list[FileResult] = []
    ids: dict[str, Path] = {}
    for result in profile_results:
        profile = result.record
        clean = result.clean
        found = list(result.problems)
        if isinstance(profile, Profile):
            review = [
                located_problem(result.path, result.key_lines(), f.loc, f.message, f.severity)
                for f in review_findings(profile, today)
            ]
            if review:
                found = sorted([*found, *review], key=line_key)
                clean = clean and not any(p.severity == "error" for p in review)
        problems.extend(found)
        if not isinstance(profile, Profile) or not clean:
            continue
        if profile.id in ids:
            problems.append(
                located_problem(
                    result.path,
                    result.key_lines(),
                    ("id",),
                    f"duplicate profile id (also {ids[profile.id]})",
                )
            )
            continue
        ids[profile.id] = result.path
        profiles.append(profile)
        located.append(result)
    stems = {r.path.stem for r in profile_results}  # broken files too: no cascade of errors
    kept = _with_origins(profiles, located, set(ids), problems)
    kept = _comparable(kept, located, criteria, problems, warn=comparability)
    if (
        comparability
        and criteria_record is not None
        and all(r.path.parent == criteria_file.path.parent for r in profile_results)
    ):
        # `validate`: the rules name profiles of their own directory (not files from elsewhere;
        # a folder with fewer profiles keeps the rules, which never apply to a missing one)
        problems.extend(
            located_problem(
                criteria_file.path, criteria_file.key_lines(), f.loc, f.message, f.severity
            )
            for f in guideline_drug_findings(criteria_record, stems)
        )
    return Library(
        root=root,
        criteria=criteria,
        presets=presets,
        profiles=tuple(kept),
        problems=tuple(problems),
        horizon_months=horizon,
        other_treatments=others,
        definitions=() if criteria_record is None else tuple(criteria_record.definitions),
        guidelines=() if criteria_record is None else tuple(criteria_record.guidelines),
        switching_rules=rules,
        sources=sources,
        default_preset=default_preset,
        default_rules=default_rules,
    )


def _with_origins(
    profiles: list[Profile],
    located: list[FileResult],
    ids: set[str],
    problems: list[Problem],
) -> list[Profile]:
    """Drop profiles whose class evidence names an origin that does not exist (cross-file)."""
    kept: list[Profile] = []
    for profile, result in zip(profiles, located, strict=True):
        found = [
            located_problem(result.path, result.key_lines(), f.loc, f.message)
            for f in origin_findings(profile, ids)
        ]
        problems.extend(found)
        if not found:
            kept.append(profile)
    return kept


def _comparable(
    profiles: list[Profile],
    located: list[FileResult],
    criteria: Sequence[Criterion],
    problems: list[Problem],
    *,
    warn: bool,
) -> list[Profile]:
    """The profiles with their equivalents' figures borrowed; with `warn`, the comparability
    warnings (reference kind, head-to-head trials) on the profiles as written."""
    from workbench.profiles.comparable import (
        head_to_head_findings,
        reference_findings,
        with_equivalents,
    )

    results = {result.path.stem: result for result in located}
    by_id = {p.id: p for p in profiles}
    concerns = {c.id: c for c in criteria}
    borrowed, findings = with_equivalents(profiles, criteria)
    for profile in profiles:
        found = list(findings.get(profile.id, ()))
        if warn:
            found += [
                *reference_findings(profile, concerns),
                *head_to_head_findings(profile, by_id),
            ]
        result = results.get(profile.id)
        if not found or result is None:
            continue
        problems.extend(
            located_problem(result.path, result.key_lines(), f.loc, f.message, f.severity)
            for f in found
        )
    return borrowed


def load_libraries(
    paths: Sequence[Path],
    *,
    today: dt.date | None = None,
    use_cache: bool = True,
    comparability: bool = False,
) -> list[Library]:
    """One library per directory in `paths`, plus one per directory of the explicit files given."""
    libraries = [
        load_library(path, today=today, use_cache=use_cache, comparability=comparability)
        for path in paths
        if not path.is_file()
    ]
    by_directory: dict[Path, list[Path]] = {}
    for path in paths:
        if path.is_file():
            by_directory.setdefault(path.parent, []).append(path)
    libraries.extend(
        load_files(files, today=today, use_cache=use_cache, comparability=comparability)
        for files in by_directory.values()
    )
    return libraries


def validate_record(record_type: type[RecordT], data: Mapping[str, object]) -> RecordT:
    """Validate `data` as the record `record_type` (the path every freshly validated file takes;
    raises pydantic's ValidationError)."""
    from workbench.record_validation import validate

    return validate(record_type, data)
