"""Saved cases: the drugs compared, the importance of each concern and the patient context, as TOML.

A case file holds no patient identifiers. It is small and readable, written atomically, and read
back strictly: anything unexpected gives a `CaseFileError` with one clear line, never a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path
from typing import Annotated, Any, Literal

import tomli
import tomli_w
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from workbench.atomic import make_private_folder, read_regular_file, write_atomic
from workbench.case_error import CaseFileError as CaseFileError  # noqa: PLC0414 (re-export)
from workbench.engine.context import PatientContext, context_data, context_fields
from workbench.engine.context_validation import AS_PATIENT_CONTEXT
from workbench.profiles.records import CONCERN_ID, SLUG
from workbench.profiles.vocabulary import IMPORTANCE_MAX, IMPORTANCE_MIN, IMPORTANCE_SCALE
from workbench.record import Record
from workbench.record_validation import UNKNOWN_KEY

CASE_FORMAT: Literal["workbench-case"] = "workbench-case"
"""Value of the top-level `format` key that marks a TOML file as a workbench case."""
CASE_VERSION = 3
"""The case format version this code writes and the newest it reads. Version 1 files are migrated
on reading (`pregnancy_planned` becomes `conception_planned_in_months`), without loss; version 2
files read as they are (version 3 adds fields: the activity facts; laboratory values, screening,
autoimmune disease by type, comorbidities, breastfeeding; the yes/no autoimmune history is kept)."""
MAX_CASE_BYTES = 64 * 1024
"""Case files are a few hundred bytes; anything larger than this is refused unread."""
CASE_HEADER = (
    "# workbench case: drugs compared, importance of each concern "
    f"({IMPORTANCE_MIN:g}-{IMPORTANCE_MAX:g}), patient context.\n"
    "# No patient identifiers. Context fields left out are unknown.\n"
)
"""The comment lines that open every saved case file."""
HOME_ENV = "WORKBENCH_HOME"
"""Environment variable overriding the per-user data folder (holding `cases/` and `notes/`)."""

Slug = Annotated[str, StringConstraints(pattern=SLUG.pattern)]
ConcernId = Annotated[str, StringConstraints(pattern=CONCERN_ID.pattern)]
Importance = Annotated[float, Field(ge=IMPORTANCE_MIN, le=IMPORTANCE_MAX)]


class Case(BaseModel):
    """One saved case. Deliberately without identifiers (no name, birth date, record number)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["workbench-case"] = "workbench-case"
    version: int = CASE_VERSION
    drugs: list[Slug] = Field(default_factory=list, description="Drug ids compared, in order.")
    importance: dict[ConcernId, Importance] = Field(
        default_factory=dict, description=f"Concern id → importance {IMPORTANCE_SCALE}."
    )
    preset: Slug | None = Field(None, description="The preset the importances started from.")
    context: Annotated[PatientContext, AS_PATIENT_CONTEXT] = Field(default_factory=PatientContext)


class LoadedCase(Record):
    """A case read from disk and what was skipped while reading it (unknown drugs, concerns)."""

    case: Case
    warnings: tuple[str, ...] = ()


# --------------------------------------------------------------------------- folders


def workbench_home() -> Path:
    """The per-user data folder: `$WORKBENCH_HOME` if set, else the platform's user data folder."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("workbench", appauthor=False))


def default_case_dir() -> Path:
    """Where cases are saved unless the user names another folder (not created here)."""
    return workbench_home() / "cases"


def default_notes_dir() -> Path:
    """Where case notes are saved unless the user names another folder (not created here)."""
    return workbench_home() / "notes"


# --------------------------------------------------------------------------- reading


def load_case(
    path: Path | str,
    known_drug_ids: Collection[str] | None,
    *,
    known_concern_ids: Collection[str] | None = None,
) -> LoadedCase:
    """Read and validate a case file.

    Drug ids not in `known_drug_ids` (and, when given, concerns not in `known_concern_ids`) are
    skipped and reported in `warnings`; `None` keeps them all. Raises `CaseFileError` for a file
    that cannot be read, is empty, binary, too large, not TOML, not a case file, from a newer
    version, or holds unknown keys or wrong types.
    """
    target = Path(path)
    try:
        data = read_regular_file(target, MAX_CASE_BYTES)
    except OSError as error:
        raise CaseFileError(f"{target}: cannot read: {error.strerror or error}") from None
    return parse_case(data, known_drug_ids, known_concern_ids=known_concern_ids, name=str(target))


def parse_case(
    data: bytes,
    known_drug_ids: Collection[str] | None,
    *,
    known_concern_ids: Collection[str] | None = None,
    name: str = "<case>",
) -> LoadedCase:
    """Validate the bytes of a case file (see `load_case`); `name` prefixes error messages."""
    try:
        case = Case.model_validate(_case_table(data), strict=True)
    except CaseFileError as error:
        raise CaseFileError(f"{name}: {error}") from None
    except ValidationError as error:
        raise CaseFileError(f"{name}: {_describe(error)}") from None
    return _filter_unknown(case, known_drug_ids, known_concern_ids)


def _case_table(data: bytes) -> dict[str, Any]:
    """The top-level TOML table of a plausible case file of the supported version."""
    if len(data) > MAX_CASE_BYTES:
        raise CaseFileError(f"too large for a case file (over {MAX_CASE_BYTES // 1024} KiB)")
    if b"\x00" in data:
        raise CaseFileError("binary file, not a case file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CaseFileError("not UTF-8 text, not a case file") from None
    if not text.strip():
        raise CaseFileError("empty file, not a case file")
    try:
        table = tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        line = getattr(error, "lineno", None)
        where = "" if line is None else f"line {line}: "
        raise CaseFileError(f"{where}TOML syntax error: {getattr(error, 'msg', error)}") from None
    except (ValueError, RecursionError) as error:
        raise CaseFileError(f"TOML syntax error: {_one_line(str(error))}") from None
    if not table:
        raise CaseFileError("no settings in the file, not a case file")
    if table.get("format") != CASE_FORMAT:
        raise CaseFileError(f'not a workbench case file (no format = "{CASE_FORMAT}" line)')
    if "version" not in table:
        raise CaseFileError("missing key 'version'")
    version = table.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > CASE_VERSION:
        raise CaseFileError(
            f"written by a newer workbench (case format version {version}; "
            f"this version reads up to {CASE_VERSION})"
        )
    if isinstance(version, int) and not isinstance(version, bool) and version < 1:
        raise CaseFileError(f"version: must be 1 to {CASE_VERSION}, got {version}")
    return _migrated(table)


def _migrated(table: dict[str, Any]) -> dict[str, Any]:
    """A table of any supported version as the current version: v1's yes/no `pregnancy_planned`
    reads as planned (timing unknown) or not planned; TOML arrays become the context's tuples."""
    context = table.get("context")
    if not isinstance(context, dict):
        return table
    context = dict(context)
    if table.get("version") == 1 and "pregnancy_planned" in context:
        planned = context.pop("pregnancy_planned")
        if isinstance(planned, bool):
            context["conception_planned_in_months"] = "planned" if planned else "not-planned"
        else:
            context["pregnancy_planned"] = planned  # a wrong type: reported as such
    for field in context_fields():  # TOML arrays: the treatment history, multi-valued fields
        listed = context.get(field.name)
        if field.declared.kind in ("history", "multi") and isinstance(listed, list):
            context[field.name] = tuple(listed)
    return {**table, "context": context}


def _describe(error: ValidationError) -> str:
    """The first validation problem in one line, with a count of the others."""
    problems = error.errors(include_url=False)
    first = problems[0]
    where = ".".join(str(part) for part in first["loc"]) or "file"
    if first["type"] in ("extra_forbidden", UNKNOWN_KEY):  # a key of the case, of its context
        text = f"unknown key '{where}'"
    elif first["type"] == "missing":
        text = f"missing key '{where}'"
    else:
        shown = repr(first["input"])
        if len(shown) > 40:
            shown = shown[:37] + "..."
        text = f"{where}: {first['msg']} (got {shown})"
    more = len(problems) - 1
    if more:
        text += f" (and {more} more problem{'s' if more > 1 else ''})"
    return _one_line(text)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _filter_unknown(
    case: Case,
    known_drug_ids: Collection[str] | None,
    known_concern_ids: Collection[str] | None,
) -> LoadedCase:
    warnings: list[str] = []
    drugs: list[str] = []
    for drug in case.drugs:
        if drug in drugs:
            warnings.append(f"drug '{drug}' is listed twice; kept once")
        elif known_drug_ids is not None and drug not in known_drug_ids:
            warnings.append(f"unknown drug '{drug}' skipped (no such profile)")
        else:
            drugs.append(drug)
    importance: dict[str, float] = {}
    for concern, value in case.importance.items():
        if known_concern_ids is not None and concern not in known_concern_ids:
            warnings.append(f"unknown concern '{concern}' skipped (not in criteria.toml)")
        else:
            importance[concern] = value
    if not warnings:
        return LoadedCase(case=case)
    return LoadedCase(
        case=case.model_copy(update={"drugs": drugs, "importance": importance}),
        warnings=tuple(warnings),
    )


# --------------------------------------------------------------------------- writing


def save_case(case: Case, path: Path | str, *, overwrite: bool = False) -> None:
    """Write `case` to `path` as TOML, atomically, creating the folder if needed.

    An existing case file is replaced. Any other existing file (foreign, corrupt, newer version) is
    only replaced with `overwrite=True`; otherwise `CaseFileError` says why it was kept.
    """
    target = Path(path)
    if target.is_dir():
        raise CaseFileError(f"{target}: is a folder, not a file")
    if target.exists() and not overwrite:
        try:
            load_case(target, None)
        except CaseFileError as error:
            raise CaseFileError(f"refusing to overwrite {error}") from None
    try:
        make_private_folder(target.parent)
        write_atomic(target, case_text(case))
    except OSError as error:
        raise CaseFileError(f"{target}: cannot write: {error.strerror or error}") from None


def case_text(case: Case) -> str:
    """The text of a case file holding `case`."""
    return CASE_HEADER + tomli_w.dumps(case_document(case))


def case_document(case: Case) -> dict[str, Any]:
    """The case as the TOML table a case file holds (unknown context fields are left out; each
    field under its declared session key)."""
    document = case.model_dump(exclude_none=True, exclude={"context"})
    document["version"] = CASE_VERSION  # what this code writes, whatever version was read
    context = context_data(case.context, keep_unknown=False)
    document["context"] = {f.name: context[f.name] for f in context_fields() if f.name in context}
    return document
