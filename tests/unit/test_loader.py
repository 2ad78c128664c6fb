"""The loader: directories and explicit files, one broken file never stops the others, and each
unreadable file (empty, binary, not UTF-8, huge, deeply nested, bad syntax) gives one clear problem.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli
from conftest import FIXTURES, TODAY

from workbench.profiles.file_result import field_path
from workbench.profiles.library import Library, Problem
from workbench.profiles.loader import load_files, load_libraries, load_library
from workbench.profiles.paths import bundled_profiles_dir
from workbench.profiles.toml_lines import KeyLines
from workbench.profiles.toml_read import MAX_BYTES, MAX_NESTING

VALID = FIXTURES / "profiles" / "valid"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A writable copy of the valid fixture directory."""
    copy = tmp_path / "profiles"
    shutil.copytree(VALID, copy)
    return copy


def only_problem(library: Library) -> Problem:
    assert len(library.problems) == 1, [str(problem) for problem in library.problems]
    return library.problems[0]


# --------------------------------------------------------------------------- unreadable files


@pytest.mark.parametrize(
    ("content", "line", "field", "message"),
    [
        (b"", None, "(file)", "file is empty"),
        (b"   \n# only a comment\n\n", None, "(file)", "file is empty"),
        (b'id = "x"\n\x00\x01\x02', 2, "(file)", "binary file (contains NUL bytes)"),
        (b'id = "x"\nname = "\xff\xfe"\n', 2, "(file)", "not UTF-8 text"),
        (b'id = "x"\nname = \n', 2, "(syntax)", "invalid TOML: Invalid value"),
        (b'id = "x"\nid = "y"\n', 2, "(syntax)", "invalid TOML: Cannot overwrite a value"),
        (b"x = 1\na = " + b"[" * 10_000 + b"]" * 10_000, 2, "(syntax)", "nested deeper than"),
        (b"x = 1\na = " + b"[" * 10_000, 2, "(syntax)", "nested deeper than"),
        (b"a = " + b"{b = " * 5_000 + b"1" + b"}" * 5_000, 1, "(syntax)", "nested deeper than"),
        (b"x = 1\n" + b"a" + b" . a" * 999 + b" = 1", 2, "(syntax)", "dotted key with more than"),
        (b'[a.b]\n"q"' + b'."q"' * 40 + b" = 1", 2, "(syntax)", "dotted key with more than"),
    ],
    ids=[
        "empty",
        "only-comments",
        "binary",
        "not-utf8",
        "syntax",
        "duplicate-key",
        "deep-arrays",
        "deep-unclosed",
        "deep-tables",
        "long-dotted-key",
        "long-quoted-dotted-key",
    ],
)
def test_unreadable_profile_gives_one_problem(
    root: Path, content: bytes, line: int | None, field: str, message: str
) -> None:
    bad = root / "broken.toml"
    bad.write_bytes(content)
    library = load_library(root, today=TODAY)
    problem = only_problem(library)
    assert (problem.path, problem.line, problem.field) == (str(bad), line, field)
    assert message in problem.message
    assert [profile.id for profile in library.profiles] == ["exampledrug"]


def test_nesting_at_the_limit_is_parsed(root: Path) -> None:
    bad = root / "nested.toml"
    bad.write_text("a = " + "[" * MAX_NESTING + "]" * MAX_NESTING + "\n", encoding="utf-8")
    problems = load_library(root, today=TODAY).problems
    assert all(problem.field != "(syntax)" for problem in problems)
    unknown = [problem for problem in problems if problem.field == "a"]
    assert [problem.line for problem in unknown] == [1]
    assert unknown[0].message.startswith("unknown key 'a' (valid: id, name,")


def test_dotted_key_at_the_limit_is_parsed(root: Path) -> None:
    key = ".".join(["a"] * MAX_NESTING)
    (root / "dotted.toml").write_text(f"{key} = 1\n", encoding="utf-8")
    problems = load_library(root, today=TODAY).problems
    assert [(problem.line, problem.field) for problem in problems if problem.line] == [(1, "a")]


def test_huge_file_is_refused_without_reading(root: Path) -> None:
    big = root / "big.toml"
    big.write_bytes(b"# padding\n" * (MAX_BYTES // 10 + 1))
    problem = only_problem(load_library(root, today=TODAY))
    assert problem.path == str(big)
    assert "too large" in problem.message


def test_directory_named_like_a_profile(root: Path) -> None:
    (root / "folder.toml").mkdir()
    problem = only_problem(load_library(root, today=TODAY))
    assert problem.message == "not a regular file"


def test_byte_order_mark_is_accepted(root: Path) -> None:
    path = root / "exampledrug.toml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_library(root, today=TODAY).problems == ()


# --------------------------------------------------------------------------- library assembly


def test_missing_criteria_is_reported_and_profiles_still_load(root: Path) -> None:
    (root / "criteria.toml").unlink()
    library = load_library(root, today=TODAY)
    problem = only_problem(library)
    assert str(problem).startswith(f"{root / 'criteria.toml'}: (file): missing:")
    assert library.criteria == ()
    assert [profile.id for profile in library.profiles] == ["exampledrug"]


def test_missing_presets_is_reported(root: Path) -> None:
    (root / "presets.toml").unlink()
    problem = only_problem(load_library(root, today=TODAY))
    assert problem.path == str(root / "presets.toml")
    assert problem.message.startswith("missing")


def test_missing_directory() -> None:
    library = load_library(Path("/nonexistent/profiles"))
    assert str(only_problem(library)) == "/nonexistent/profiles: (file): no such profiles directory"


def test_one_broken_file_never_stops_the_others(root: Path) -> None:
    text = (root / "exampledrug.toml").read_text(encoding="utf-8")
    (root / "second.toml").write_text(text.replace('"exampledrug"', '"second"'), encoding="utf-8")
    (root / "broken.toml").write_text("id = \n", encoding="utf-8")
    (root / "wrong-type.toml").write_text(
        text.replace('"exampledrug"', '"wrong-type"').replace("year = 2020", "year = 20.5"),
        encoding="utf-8",
    )
    library = load_library(root, today=TODAY)
    assert [profile.id for profile in library.profiles] == ["exampledrug", "second"]
    assert [(Path(p.path).name, p.line) for p in library.problems] == [
        ("broken.toml", 1),
        ("wrong-type.toml", 33),
        ("wrong-type.toml", 131),
    ]


def test_every_problem_of_a_file_is_collected(root: Path) -> None:
    path = root / "exampledrug.toml"
    text = path.read_text(encoding="utf-8")
    for old, new in (("low = 0.05", "low = 0.5"), ('unit = "months"', 'unit = "days"')):
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    lines = [problem.line for problem in load_library(root, today=TODAY).problems]
    assert lines == [65, 66, 79]  # low above value, high below low, wrong unit


def test_hidden_files_are_ignored(root: Path) -> None:
    (root / ".editor-backup.toml").write_text("garbage = ", encoding="utf-8")
    assert load_library(root, today=TODAY).problems == ()


def test_explicit_file_uses_its_directory_criteria(root: Path) -> None:
    library = load_files([root / "exampledrug.toml"], today=TODAY)
    assert library.problems == ()
    assert len(library.criteria) == 3  # the fixture's three concerns, not the bundled ones


def test_explicit_file_without_criteria_uses_the_bundled_ones(root: Path, tmp_path: Path) -> None:
    lonely = tmp_path / "elsewhere" / "exampledrug.toml"
    lonely.parent.mkdir()
    shutil.copy(root / "exampledrug.toml", lonely)
    library = load_files([lonely], today=TODAY)
    assert library.root == bundled_profiles_dir()
    # the bundled criteria derive the pregnancy wait from [[pregnancy.intervals]]: the fixture's
    # own family_planning table is reported against them, which shows they are the ones used
    assert [p.field for p in library.errors] == [
        "measurements.disease_activity.courses",  # scored by course in the bundled criteria
        "measurements.family_planning",
    ]
    assert "derived from [[pregnancy.intervals]]" in library.errors[1].message


def test_load_library_accepts_a_file(root: Path) -> None:
    library = load_library(root / "exampledrug.toml", today=TODAY)
    assert [profile.id for profile in library.profiles] == ["exampledrug"]


def test_duplicate_profile_ids_across_directories(root: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(root, other)
    library = load_files([root / "exampledrug.toml", other / "exampledrug.toml"], today=TODAY)
    problem = only_problem(library)
    assert (problem.path, problem.line, problem.field) == (str(other / "exampledrug.toml"), 3, "id")
    assert "duplicate profile id" in problem.message


def test_load_libraries_groups_files_by_directory(root: Path) -> None:
    libraries = load_libraries([root, root / "exampledrug.toml"], today=TODAY)
    assert [len(library.profiles) for library in libraries] == [1, 1]


def test_problem_rendering() -> None:
    assert str(Problem(path="a.toml", line=3, field="x.y", message="bad")) == "a.toml:3: x.y: bad"
    assert (
        str(Problem(path="a.toml", line=None, field="(file)", message="bad"))
        == "a.toml: (file): bad"
    )
    warning = Problem(
        path="a.toml", line=8, field="last_reviewed", message="old", severity="warning"
    )
    assert str(warning) == "a.toml:8: last_reviewed: warning: old"


def test_field_path_rendering() -> None:
    assert (
        field_path(("measurements", "pml", "strata", 0, "low")) == "measurements.pml.strata[0].low"
    )
    assert field_path(("sources", 2)) == "sources[2]"
    assert field_path(()) == "(file)"


# --------------------------------------------------------------------------- the line locator

LOCATOR_TEXT = """\
top = 1
dotted.key.deep = "v"   # comment with [brackets] and = signs
"quoted key" = 2
inline = { a = 1, b = { c = [10, 20] } }
multi = [
  1,
  # a comment between elements
  { d = 4 },
]
text = '''
[not.a.table]
x = 1
'''

[table]
x = 1

[table.sub]
y = 2

[[list]]
z = 1

[[list]]
z = 2

[list.inner]
w = 3

[[list.items]]
v = 1
"""


@pytest.mark.parametrize(
    ("loc", "line"),
    [
        (("top",), 1),
        (("dotted",), 2),
        (("dotted", "key", "deep"), 2),
        (("quoted key",), 3),
        (("inline", "b", "c", 1), 4),
        (("multi", 0), 6),
        (("multi", 1, "d"), 8),
        (("text",), 10),
        (("table", "x"), 16),
        (("table", "sub"), 18),
        (("table", "sub", "y"), 19),
        (("list", 0, "z"), 22),
        (("list", 1), 24),
        (("list", 1, "z"), 25),
        (("list", 1, "inner", "w"), 28),
        (("list", 1, "items", 0, "v"), 31),
        (("list", 1, "missing", "deeper"), 24),
        (("not",), None),
    ],
)
def test_key_lines(loc: tuple[str | int, ...], line: int | None) -> None:
    assert KeyLines(LOCATOR_TEXT).line_of(loc) == line


@pytest.mark.parametrize(
    "text",
    [
        "",
        "[",
        "[[",
        "a",
        "a =",
        'a = "unterminated',
        "a = '''never closed",
        "= = =",
        "x = {a=",
        "]]",
    ],
)
def test_key_lines_survive_broken_text(text: str) -> None:
    assert KeyLines(text).line_of(("a", 0, "b")) in (None, 1)


def key_paths(node: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Every key and element path of parsed TOML data."""
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, value in items:
        yield (*path, key)
        yield from key_paths(value, (*path, key))


@pytest.mark.parametrize(
    "path",
    [*sorted(bundled_profiles_dir().glob("*.toml")), VALID / "exampledrug.toml"],
    ids=lambda path: path.name,
)
def test_key_lines_locate_every_key_of_real_files(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    locator = KeyLines(text)
    for loc in key_paths(tomli.loads(text)):
        line = locator.line_of(loc)
        assert line is not None, loc
        if isinstance(loc[-1], str):
            assert loc[-1] in lines[line - 1], (loc, line)
        else:  # an array element: on or after the line of its array
            assert line >= (locator.line_of(loc[:-1]) or 0), (loc, line)
