"""The profile cache: a hit equals a fresh validation; anything changed or damaged is a miss."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.profiles import cache
from workbench.profiles.library import Library
from workbench.profiles.loader import load_library
from workbench.profiles.paths import bundled_profiles_dir


def _cache_files() -> list[Path]:
    folder = cache.cache_dir()
    assert folder is not None
    return sorted(folder.glob("profiles-*.json"))


@pytest.fixture
def profiles(tmp_path: Path) -> Path:
    folder = tmp_path / "profiles"
    shutil.copytree(bundled_profiles_dir(), folder)
    return folder


def _fresh(root: Path, today: dt.date | None = None) -> Library:
    return load_library(root, today=today, use_cache=False)


def _hit(root: Path, today: dt.date | None = None) -> Library:
    """Load twice through the cache; the second load must have read it (no validation import)."""
    load_library(root, today=today)
    assert _cache_files()
    return load_library(root, today=today)


def test_cached_library_equals_fresh_validation_for_the_bundled_profiles() -> None:
    root = bundled_profiles_dir()
    assert _hit(root) == _fresh(root)


@pytest.mark.parametrize(
    "garbage",
    [b"\x00\xff garbage", b"[1, 2, 3]", b'{"key": 1}\n[]', b""],
)
def test_a_damaged_cache_is_not_trusted(profiles: Path, garbage: bytes) -> None:
    load_library(profiles)
    (entry,) = _cache_files()
    entry.write_bytes(garbage)
    assert load_library(profiles) == _fresh(profiles)


def test_a_changed_value_under_the_same_key_is_not_trusted(profiles: Path) -> None:
    load_library(profiles)
    (entry,) = _cache_files()
    text = entry.read_text(encoding="utf-8")
    header, payload = text.split("\n", 1)
    forged = payload.replace('"name":"Natalizumab"', '"name":"Forged"', 1)
    assert forged != payload
    entry.write_text(header + "\n" + forged, encoding="utf-8")
    library = load_library(profiles)
    assert library == _fresh(profiles)
    assert all(p.name != "Forged" for p in library.profiles)


def test_wrong_shape_with_a_valid_checksum_falls_back(profiles: Path) -> None:
    load_library(profiles)
    (entry,) = _cache_files()
    header = json.loads(entry.read_text(encoding="utf-8").split("\n", 1)[0])
    payload = json.dumps([{"data": 1, "clean": True, "problems": []}])
    header["checksum"] = cache._digest(payload.encode())
    entry.write_text(json.dumps(header) + "\n" + payload, encoding="utf-8")
    assert load_library(profiles) == _fresh(profiles)


def test_editing_a_file_invalidates(profiles: Path) -> None:
    load_library(profiles)
    path = profiles / "natalizumab.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('name = "Natalizumab"', 'name = "Natalizumab X"'), "utf-8")
    library = load_library(profiles)
    assert library.profile("natalizumab").name == "Natalizumab X"
    assert library == _fresh(profiles)


def _count_validations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that gains an item each time the files are fully validated (a cache miss)."""
    from workbench.profiles import validation

    calls: list[int] = []
    original = validation.validate_files

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(validation, "validate_files", counting)
    return calls


def test_same_size_new_mtime_invalidates(profiles: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_library(profiles)
    path = profiles / "natalizumab.toml"
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    calls = _count_validations(monkeypatch)
    load_library(profiles)
    assert calls == [1]
    load_library(profiles)
    assert calls == [1]


def test_a_different_version_invalidates(profiles: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_library(profiles)
    monkeypatch.setattr(cache, "_code_version", "another-version")
    calls = _count_validations(monkeypatch)
    library = load_library(profiles)
    assert calls == [1]
    assert library == _fresh(profiles)


def test_stale_review_warning_appears_on_a_hit_with_its_line(profiles: Path) -> None:
    later = dt.date(2040, 1, 1)
    load_library(profiles, today=dt.date(2026, 12, 2))
    hit = load_library(profiles, today=later)
    fresh = _fresh(profiles, today=later)
    assert hit == fresh
    warnings = [p for p in hit.warnings if p.field == "last_reviewed"]
    assert warnings
    assert all(p.line is not None for p in warnings)
    path = profiles / "natalizumab.toml"
    lines = path.read_text(encoding="utf-8").splitlines()
    (warning,) = [p for p in warnings if p.path == str(path)]
    assert warning.line is not None
    assert lines[warning.line - 1].startswith("last_reviewed")


def test_the_cache_can_be_disabled(profiles: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_NO_CACHE", "1")
    assert load_library(profiles) == _fresh(profiles)
    monkeypatch.delenv("WORKBENCH_NO_CACHE")
    assert not _cache_files()


def test_a_warm_load_imports_no_pydantic(tmp_path: Path) -> None:
    """Nor a TOML parser: a warm load reads the cache's JSON (the files are only hashed)."""
    code = (
        "import sys\n"
        "from workbench.profiles.loader import load_library\n"
        "from workbench.profiles.paths import bundled_profiles_dir\n"
        "library = load_library(bundled_profiles_dir())\n"
        "parsers = {'pydantic', 'tomli', 'tomllib'} & set(sys.modules)\n"
        "print(len(library.profiles), 'pydantic' in sys.modules, sorted(parsers))\n"
    )
    env = {**os.environ, "WORKBENCH_CACHE_DIR": str(tmp_path)}
    first = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    second = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert first.stdout.split()[1] == "True", first.stderr
    assert second.stdout.split()[1] == "False", second.stderr
    assert second.stdout.split()[2] == "[]", second.stdout
    assert first.stdout.split()[0] == second.stdout.split()[0]


async def test_app_reload_after_an_edit_shows_the_change_not_the_cache(profiles: Path) -> None:
    from workbench.app.factory import create_app

    load_library(profiles)  # warm: the app starts from the cache
    app = create_app(profiles, cursor_blink=False, selected=["natalizumab"])
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.workbench.library.profile("natalizumab").name == "Natalizumab"
        source = profiles / "natalizumab.toml"
        text = source.read_text(encoding="utf-8")
        edited = text.replace('name = "Natalizumab"', 'name = "Natalizumax"', 1)
        assert len(edited) == len(text)  # same size, new content
        assert edited != text
        source.write_text(edited, encoding="utf-8")
        await pilot.press("r")
        await pilot.pause()
        assert app.workbench.library.profile("natalizumab").name == "Natalizumax"
        assert app.workbench.library == _fresh(profiles)


VALID = FIXTURES / "profiles" / "valid"
EXAMPLE_LINES = (VALID / "exampledrug.toml").read_text(encoding="utf-8").splitlines(keepends=True)
VALUES = st.sampled_from(
    ['""', '"text"', "0", "-1", "3.5", "true", "2999-01-01", "1900-01-01", "[]"]
)


@st.composite
def profile_text(draw: st.DrawFn, stem: str) -> str:
    """The example profile under another id, with a few lines changed (valid or not)."""
    lines = [line.replace("exampledrug", stem) for line in EXAMPLE_LINES]
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        action = draw(st.sampled_from(["value", "delete", "duplicate"]))
        if action == "value" and "=" in lines[index]:
            lines[index] = f"{lines[index].split('=', 1)[0]}= {draw(VALUES)}\n"
        elif action == "delete":
            lines[index] = ""
        else:
            lines.insert(index, lines[index])
    return "".join(lines)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), count=st.integers(min_value=0, max_value=3))
def test_cached_equals_fresh_for_generated_profile_sets(
    tmp_path: Path, data: st.DataObject, count: int
) -> None:
    root = tmp_path / "generated"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(VALID, root)
    for index in range(count):
        stem = data.draw(st.sampled_from(["alpha", "beta", "exampledrug", f"drug{index}"]))
        (root / f"{stem}.toml").write_text(data.draw(profile_text(stem)), encoding="utf-8")
    today = data.draw(st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 1, 1)))
    first = load_library(root, today=today)
    second = load_library(root, today=today)
    fresh = _fresh(root, today=today)
    assert first == fresh
    assert second == fresh


def test_the_code_version_covers_every_module_a_load_imports() -> None:
    """The modules hashed into the key are found from the imports of the package's own files:
    every workbench module that validation and the cache import at run time is among them."""
    code = (
        "import sys, workbench.profiles.validation, workbench.profiles.cache; "
        "print(' '.join(m for m in sys.modules if m.startswith('workbench')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    imported = set(result.stdout.split())
    hashed = set(cache.code_modules())
    assert {"workbench.profiles.vocabulary", "workbench.profiles.toml_lines"} <= hashed
    assert imported <= hashed, imported - hashed
    assert "workbench.app" not in hashed


def test_the_code_version_changes_with_an_imported_module(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = cache.code_version()
    sources = cache.code_modules()
    changed = {
        **sources,
        "workbench.profiles.vocabulary": sources["workbench.profiles.vocabulary"] + b"#",
    }
    monkeypatch.setattr(cache, "_code_version", None)
    monkeypatch.setattr(cache, "code_modules", lambda: changed)
    assert cache.code_version() != before
