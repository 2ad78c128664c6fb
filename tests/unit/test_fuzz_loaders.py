"""Structured fuzzing of every loader: well-formed TOML with wrong types, strange values, missing
and unknown keys in profiles, criteria, presets and saved cases. The loaders only ever report
problems (saved cases: `CaseFileError`), never raise anything else and never hang.

`test_loader_fuzz.py` covers malformed bytes and syntax of profile files; here every document is
valid TOML (written by `bench.generate.dumps`) so the fuzzing reaches validation and the rules.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import tomli
import tomli_w
from conftest import TODAY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.profiles.file_result import CRITERIA_FILE, PRESETS_FILE
from workbench.profiles.library import Library
from workbench.profiles.loader import load_library
from workbench.profiles.paths import bundled_profiles_dir
from workbench.session import Case, CaseFileError, case_document, parse_case

BUNDLED = bundled_profiles_dir()
PROFILE_PATHS = sorted(
    p for p in BUNDLED.glob("*.toml") if p.name not in (CRITERIA_FILE, PRESETS_FILE)
)
PROFILE = max(PROFILE_PATHS, key=lambda p: p.stat().st_size)
"""The largest bundled profile: the most fields to break."""

FUZZ = settings(
    max_examples=150,
    deadline=dt.timedelta(seconds=3),  # a hang fails; a slow shared machine does not
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scalars = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "[/]", "\x1b[2J", "eu", "rrms", "high", "positive", "x" * 300]),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(),
    st.booleans(),
    st.dates(),
)
values = st.one_of(
    scalars,
    st.lists(scalars, max_size=3),
    st.dictionaries(st.text(max_size=6), scalars, max_size=2),
    st.lists(st.dictionaries(st.text(max_size=6), scalars, max_size=2), min_size=1, max_size=2),
)

Slot = tuple[Any, Any]
"""A container (dict or list) and a key or index in it."""


def slots(node: Any) -> list[Slot]:
    """Every (container, key) position in a parsed TOML document, depth first."""
    found: list[Slot] = []
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in items:
        found.append((node, key))
        if isinstance(value, dict | list):
            found.extend(slots(value))
    return found


@st.composite
def mutated(draw: st.DrawFn, document: dict[str, Any]) -> dict[str, Any]:
    """`document` (a deep copy) with one to three random structural mutations."""
    doc = tomli.loads(tomli_w.dumps(document))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        positions = slots(doc)
        if not positions:
            break
        container, key = draw(st.sampled_from(positions))
        action = draw(st.sampled_from(["replace", "replace", "delete", "add", "duplicate"]))
        if action == "replace":
            container[key] = draw(values)
        elif action == "delete":
            del container[key]
        elif action == "add" and isinstance(container, dict):
            container[draw(st.text(min_size=1, max_size=8))] = draw(values)
        elif isinstance(container, list):
            container.append(container[key])
    return doc


def read(path: Path) -> dict[str, Any]:
    return tomli.loads(path.read_text(encoding="utf-8"))


def assert_only_reported(library: Library, broken: Path, *, only_broken: bool) -> None:
    """Each problem names a file of the folder (only the broken one if `only_broken`) and a line
    inside that file; nothing else went wrong."""
    for problem in library.problems:
        path = Path(problem.path)
        assert path.parent == broken.parent, str(problem)
        if only_broken:
            assert path.name == broken.name, str(problem)
        lines = path.read_text(encoding="utf-8").count("\n") + 1
        assert problem.line is None or 1 <= problem.line <= lines, str(problem)
        assert problem.field
        assert problem.message
        assert str(problem)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Criteria, presets and two bundled profiles (the largest and one more)."""
    root = tmp_path_factory.mktemp("structured-fuzz")
    for path in {BUNDLED / CRITERIA_FILE, BUNDLED / PRESETS_FILE, PROFILE, PROFILE_PATHS[0]}:
        shutil.copyfile(path, root / path.name)
    # guideline rules limited to drugs this folder lacks would warn on every load: limit none
    criteria = read(root / CRITERIA_FILE)
    for rule in criteria.get("guidelines", []):
        rule.pop("current_drugs", None)
    (root / CRITERIA_FILE).write_text(tomli_w.dumps(criteria), encoding="utf-8")
    return root


def fuzz_file(folder: Path, name: str, document: dict[str, Any]) -> Library:
    """Write `document` as `name` in `folder`, load, check, and restore the original file.
    A broken profile only gives problems in itself; broken criteria or presets may also make
    other files wrong (e.g. a unit no longer matching)."""
    target = folder / name
    original = target.read_bytes()
    try:
        target.write_text(tomli_w.dumps(document), encoding="utf-8")
        library = load_library(folder, today=TODAY)
        assert_only_reported(library, target, only_broken=name == PROFILE.name)
        return library
    finally:
        target.write_bytes(original)


@FUZZ
@given(data=st.data())
def test_mutated_profile_is_reported_not_raised(folder: Path, data: st.DataObject) -> None:
    document = data.draw(mutated(read(PROFILE)))
    library = fuzz_file(folder, PROFILE.name, document)
    if not library.errors:
        assert PROFILE.stem in {p.id for p in library.profiles}


@FUZZ
@given(data=st.data())
def test_mutated_criteria_are_reported_not_raised(folder: Path, data: st.DataObject) -> None:
    library = fuzz_file(folder, CRITERIA_FILE, data.draw(mutated(read(BUNDLED / CRITERIA_FILE))))
    if any(p.path.endswith(CRITERIA_FILE) for p in library.errors):
        assert library.criteria == ()


@FUZZ
@given(data=st.data())
def test_mutated_presets_are_reported_not_raised(folder: Path, data: st.DataObject) -> None:
    library = fuzz_file(folder, PRESETS_FILE, data.draw(mutated(read(BUNDLED / PRESETS_FILE))))
    if any(p.path.endswith(PRESETS_FILE) for p in library.errors):
        assert library.presets == ()
    else:
        assert library.presets


VALID_CASE = case_document(
    Case(drugs=[PROFILE.stem], importance={"pml": 7.0, "disease_activity": 3.0}, preset="balanced")
)


@FUZZ
@given(data=st.data())
def test_mutated_saved_case_raises_only_case_file_error(data: st.DataObject) -> None:
    raw = tomli_w.dumps(data.draw(mutated(VALID_CASE))).encode()
    try:
        loaded = parse_case(raw, {PROFILE.stem}, name="fuzzed.toml")
    except CaseFileError as error:
        message = str(error)
        assert message.startswith("fuzzed.toml: ")
        assert "\n" not in message
    else:
        assert isinstance(loaded.case, Case)
