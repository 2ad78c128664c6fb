"""One test per input defect of the hostile-input trial (issue 28) outside serve mode: each failed
on the code before the fix (a hang, a traceback, a wrong answer or an escape sequence let through)
and passes after."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import threading
from pathlib import Path
from typing import Any

import pytest

from workbench.atomic import write_atomic
from workbench.cli.main import main
from workbench.profiles import cache
from workbench.profiles.loader import load_library
from workbench.profiles.paths import bundled_profiles_dir
from workbench.text import clean, clean_line

BUNDLED = bundled_profiles_dir()
ESCAPE = "\x1b]0;pwned\x07\x1b[2J"


@pytest.fixture
def profiles(tmp_path: Path) -> Path:
    folder = tmp_path / "profiles"
    folder.mkdir()
    for name in ("criteria.toml", "presets.toml", "natalizumab.toml", "ocrelizumab.toml"):
        shutil.copyfile(BUNDLED / name, folder / name)
    return folder


def _edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    edited, count = re.subn(pattern, lambda _: replacement, text, count=1, flags=re.M)
    assert count == 1, pattern
    path.write_text(edited, encoding="utf-8")


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def _in_thread(function: Any, seconds: float) -> None:
    """Run `function` in a daemon thread; fail when it has not returned within `seconds`."""
    failure: list[BaseException] = []

    def target() -> None:
        try:
            function()
        except BaseException as error:  # reported below
            failure.append(error)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"{function} hangs"
    if failure:
        raise failure[0]


# --------------------------------------------------------------------------- files the loader reads


def test_a_fifo_in_the_profiles_folder_hangs_nothing(profiles: Path) -> None:
    os.mkfifo(profiles / "fifo.toml")
    _in_thread(lambda: load_library(profiles), 10)  # the cache reads every file first
    library = load_library(profiles)
    assert {p.id for p in library.profiles} == {"natalizumab", "ocrelizumab"}
    assert any("not a regular file" in p.message for p in library.problems)


def test_a_link_to_dev_zero_and_a_huge_file_are_not_read(profiles: Path) -> None:
    (profiles / "zero.toml").symlink_to("/dev/zero")
    with (profiles / "huge.toml").open("wb") as handle:
        handle.truncate(1536 * 1024 * 1024)  # 1.5 GB, sparse
    library = load_library(profiles)
    messages = {Path(p.path).name: p.message for p in library.problems}
    assert messages["zero.toml"] == "not a regular file"
    assert messages["huge.toml"].startswith("file too large")


def test_a_file_name_that_is_not_utf8(profiles: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (profiles / os.fsdecode(b"bad\xff.toml")).write_bytes(b"id = 1\n")
    library = load_library(profiles)
    assert len(library.profiles) == 2
    code, _, err = _run(["compare", "--profiles", str(profiles), "--format", "json"], capsys)
    assert code == 0
    assert "bad\ufffd.toml" in err


def test_upper_case_suffixes_are_named_not_ignored(profiles: Path) -> None:
    shutil.copyfile(BUNDLED / "alemtuzumab.toml", profiles / "alemtuzumab.TOML")
    library = load_library(profiles)
    (warning,) = [p for p in library.problems if p.path.endswith(".TOML")]
    assert warning.severity == "warning"
    assert "lower-case .toml" in warning.message


def test_brackets_inside_a_note_are_not_nesting(profiles: Path) -> None:
    name = "Natalizumab " + "[" * 33
    _edit(profiles / "natalizumab.toml", r'^name = "Natalizumab"$', f'name = "{name}"')
    library = load_library(profiles, use_cache=False)
    assert not any("nested deeper" in p.message for p in library.problems), library.problems
    assert library.profile("natalizumab").name == name


# --------------------------------------------------------------------------- validate vs compare


@pytest.mark.parametrize(
    ("pattern", "replacement", "message"),
    [
        (r"events = \d+", "events = 10000000000000000", "less than or equal to 1000000000"),
        (r"patient_years = [\d_.]+", "patient_years = 1e-320", "greater than or equal to 0.01"),
        (r"patient_years = [\d_.]+", "patient_years = inf", "finite number"),
        (r"\bvalue = [\d_.]+", "value = nan", "finite number"),
    ],
)
def test_numeric_extremes_fail_validation(
    profiles: Path,
    pattern: str,
    replacement: str,
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _edit(profiles / "ocrelizumab.toml", pattern, replacement)
    code, out, _ = _run(["validate", str(profiles)], capsys)
    assert code == 1
    assert message in out
    code, out, _ = _run(["compare", "--profiles", str(profiles), "--format", "json"], capsys)
    assert code == 0
    assert "Infinity" not in out
    assert "NaN" not in out


def test_a_preset_without_importances_fails_validation(
    profiles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(profiles / "presets.toml", r"^importance = \{ disease_activity = 5.*$", "importance = {}")
    code, out, _ = _run(["validate", str(profiles)], capsys)
    assert code == 1
    assert "no concern has an importance above 0" in out


@pytest.mark.parametrize("broken", ["criteria.toml", "presets.toml"])
def test_a_broken_criteria_or_presets_file_is_named(
    profiles: Path, broken: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (profiles / broken).write_text("x = [\n", encoding="utf-8")
    code, _, err = _run(["compare", "--profiles", str(profiles)], capsys)
    assert code == 1
    assert broken in err
    assert "valid: \n" not in err
    assert not err.rstrip().endswith("valid:")


# --------------------------------------------------------------------------- the cache


def test_a_file_changed_during_a_load_leaves_no_stale_figures(
    profiles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file changes between the cache's hashing and validation, then is restored with its
    old modification time: the next load must not serve the changed figures."""
    from workbench.profiles import validation

    path = profiles / "natalizumab.toml"
    original = path.read_bytes()
    times = (path.stat().st_atime_ns, path.stat().st_mtime_ns)
    changed = original.replace(b'name = "Natalizumab"', b'name = "Natalizumaq"', 1)
    validate_files = validation.validate_files

    def racing(*args: Any, **kwargs: Any) -> Any:
        path.write_bytes(changed)
        try:
            return validate_files(*args, **kwargs)
        finally:
            path.write_bytes(original)
            os.utime(path, ns=times)

    monkeypatch.setattr(validation, "validate_files", racing)
    load_library(profiles)
    monkeypatch.setattr(validation, "validate_files", validate_files)
    assert load_library(profiles).profile("natalizumab").name == "Natalizumab"


def _poison(node: Any) -> bool:
    """Set the first numeric `value` found in `node` to a string (the shape stays plausible)."""
    if isinstance(node, dict):
        if isinstance(node.get("value"), int | float):
            node["value"] = "poison"
            return True
        return any(_poison(item) for item in node.values())
    if isinstance(node, list):
        return any(_poison(item) for item in node)
    return False


def test_a_poisoned_cache_entry_is_not_trusted(profiles: Path) -> None:
    """An entry rewritten with the old unkeyed checksum and data of the wrong types: a miss."""
    fresh = load_library(profiles, use_cache=False)
    load_library(profiles)
    folder = cache.cache_dir()
    assert folder is not None
    (entry,) = sorted(folder.glob("profiles-*.json"))
    header, payload = entry.read_bytes().split(b"\n", 1)
    stored = json.loads(payload)
    assert _poison(stored[2]["data"]), "no figure to poison"
    poisoned = json.dumps(stored).encode()
    head = json.loads(header)
    head["checksum"] = cache._digest(poisoned)
    entry.write_bytes(json.dumps(head).encode() + b"\n" + poisoned)
    assert load_library(profiles) == fresh


def test_the_cache_folder_and_key_are_private(profiles: Path) -> None:
    load_library(profiles)
    folder = cache.cache_dir()
    assert folder is not None
    assert stat.S_IMODE((folder / cache.KEY_FILE).stat().st_mode) == 0o600


# ------------------------------------------------------------------ what reaches a terminal


def test_list_and_stderr_pass_no_escape_sequence(
    profiles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    toml_escape = ESCAPE.encode("unicode_escape").decode().replace("\\x1b", "\\u001b")
    toml_escape = toml_escape.replace("\\x07", "\\u0007")
    _edit(profiles / "natalizumab.toml", r'^name = "Natalizumab"$', f'name = "N{toml_escape}"')
    bad = profiles / f"x{ESCAPE}.toml"
    bad.write_text("[broken\n", encoding="utf-8")
    for argv in (["list", str(profiles)], ["validate", str(profiles)]):
        code, out, err = _run(argv, capsys)
        assert code in (0, 1)
        assert "\x1b" not in out + err
        assert "\x07" not in out + err


def test_clean_removes_bidi_zero_width_and_tag_characters() -> None:
    hostile = "a\u061cb\u200bc\u200dd\u2060e\ufefff\U000e0041g\u202eh\u2066i\x1bj\udcffk"
    assert clean(hostile) == "abcdefghij\ufffdk"
    assert clean_line("x\ty\n z") == "x y z"


# --------------------------------------------------------------------------- the CLI


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["compare", "--smaa", "1e20"], 2),
        (["compare", "--smaa", "1000000"], 2),
        (["compare", "--seed", "-1"], 2),
        (["compare", "--profiles", "a" * 100_000], 1),
        (["list", "a" * 100_000], 1),
        (["validate", "a" * 100_000], 1),
        (["compare", "--session", "a" * 100_000], 2),
        (["screenshot", "no/such/dir/x.svg"], 1),
        (["compare", "--bogus"], 2),
    ],
)
def test_cli_errors_are_one_line(
    argv: list[str], code: int, capsys: pytest.CaptureFixture[str]
) -> None:
    got, _, err = _run(argv, capsys)
    assert got == code, err
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    assert "usage:" not in err


def test_output_writes_regular_files_only(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        write_atomic(fifo, "x")
    with pytest.raises(OSError, match="not a regular file"):
        write_atomic("/dev/null", "x")
    assert Path("/dev/null").is_char_device()
