"""Property tests: whatever bytes a profile file holds, the loader only ever reports problems.

Random bytes, truncations and line-level key/value mutations of a real profile, and deep nesting are
written to a profile file; loading must never raise and every problem must point inside the file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, TODAY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.profiles.library import Library
from workbench.profiles.loader import load_library
from workbench.profiles.toml_lines import KeyLines

VALID = FIXTURES / "profiles" / "valid"
PROFILE = (VALID / "exampledrug.toml").read_text(encoding="utf-8")
PROFILE_LINES = PROFILE.splitlines(keepends=True)

FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

TOML_VALUES = st.sampled_from(
    [
        '""',
        '"text"',
        "'literal'",
        '"""multi\nline"""',
        "0",
        "-1",
        "1e400",
        "nan",
        "-inf",
        "3.5",
        "true",
        "2026-13-40",
        "2999-01-01",
        "1900-01-01",
        "[]",
        '["nope"]',
        "[1, [2, [3]]]",
        "{}",
        '{ x = "y" }',
        "[{ a = 1 }, { b = 2 }]",
        '{ jcv_status = ["positive"] }',
    ]
)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("fuzz") / "profiles"
    shutil.copytree(VALID, copy)
    return copy


def load_with(root: Path, content: bytes) -> Library:
    """Write `content` as a second profile next to the valid one and load the directory."""
    (root / "fuzzed.toml").write_bytes(content)
    library = load_library(root, today=TODAY)
    assert_only_reported(library, content)
    return library


def assert_only_reported(library: Library, content: bytes) -> None:
    line_count = content.count(b"\n") + 1
    assert "exampledrug" in [profile.id for profile in library.profiles]
    for problem in library.problems:
        assert problem.path.endswith("fuzzed.toml"), str(problem)
        assert problem.line is None or 1 <= problem.line <= line_count, str(problem)
        assert problem.field
        assert problem.message
        assert str(problem)
    if not library.errors:
        assert "fuzzed" in [profile.id for profile in library.profiles]


@FUZZ
@given(content=st.binary(max_size=2048))
def test_random_bytes(root: Path, content: bytes) -> None:
    load_with(root, content)


@FUZZ
@given(content=st.text(alphabet="[]{}=,.\"'#\n abc1-:", max_size=400))
def test_random_toml_punctuation(root: Path, content: str) -> None:
    load_with(root, content.encode())


@FUZZ
@given(length=st.integers(min_value=0, max_value=len(PROFILE)))
def test_truncated_profile(root: Path, length: int) -> None:
    load_with(root, PROFILE[:length].encode())


@st.composite
def mutated_profile(draw: st.DrawFn) -> str:
    lines = [line.replace("exampledrug", "fuzzed") for line in PROFILE_LINES]
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        line = lines[index]
        action = draw(st.sampled_from(["value", "key", "delete", "duplicate"]))
        if action == "value" and "=" in line:
            lines[index] = f"{line.split('=', 1)[0]}= {draw(TOML_VALUES)}\n"
        elif action == "key" and "=" in line:
            key = draw(st.sampled_from(["id", "value", "low", "strata", "x.y", '"q"', "when"]))
            lines[index] = f"{key} ={line.split('=', 1)[1]}"
        elif action == "delete":
            lines[index] = ""
        else:
            lines.insert(index, line)
    return "".join(lines)


@FUZZ
@given(text=mutated_profile())
def test_mutated_profile(root: Path, text: str) -> None:
    load_with(root, text.encode())


@FUZZ
@given(
    depth=st.integers(min_value=1, max_value=5000),
    opener=st.sampled_from(["[", "{a = ", "[{a = "]),
    closed=st.booleans(),
)
def test_deep_nesting(root: Path, depth: int, opener: str, closed: bool) -> None:
    closer = {"[": "]", "{a = ": "}", "[{a = ": "}]"}[opener]
    text = "x = " + opener * depth + "1" + (closer * depth if closed else "")
    load_with(root, text.encode())


@FUZZ
@given(
    text=st.text(max_size=300),
    loc=st.lists(st.one_of(st.text(max_size=3), st.integers(0, 3)), max_size=4),
)
def test_key_lines_never_raise(text: str, loc: list[str | int]) -> None:
    line = KeyLines(text).line_of(loc)
    assert line is None or 1 <= line <= text.count("\n") + 1
