"""Bundled profiles as package data, and a clear error for a missing or empty profiles folder.

The wheel itself is built, installed in a fresh venv and smoke-tested by `.ci/run`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from conftest import REPO
from textual.widgets import Static

from workbench.app.factory import create_app
from workbench.cli.main import main
from workbench.profiles import paths


def test_bundled_profiles_are_package_data_and_the_repository_folder() -> None:
    package_data = Path(str(resources.files("workbench") / "bundled_profiles"))
    assert package_data.is_dir()
    assert paths.bundled_profiles_dir() == (REPO / "profiles").resolve()
    assert len(list(paths.bundled_profiles_dir().glob("*.toml"))) == 22  # 20 profiles + 2


def test_usable_folders_and_files_have_no_folder_problem(tmp_path: Path) -> None:
    assert paths.profiles_dir_problem(paths.bundled_profiles_dir()) is None
    assert paths.profiles_dir_problem(tmp_path / "missing.toml") is None  # a file: the loader's


@pytest.mark.parametrize("command", ["list", "validate", "compare"])
@pytest.mark.parametrize("state", ["does not exist", "holds no .toml files"])
def test_missing_or_empty_folder_is_one_clear_error_exit_1(
    command: str, state: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "profiles"
    if state != "does not exist":
        folder.mkdir()
        (folder / "notes.txt").write_text("not a profile", encoding="utf-8")
    argv = [command, "--profiles", str(folder)] if command == "compare" else [command, str(folder)]
    assert main(argv) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"workbench {command}: error: profiles folder {folder} {state}: give a folder holding "
        "criteria.toml, presets.toml and one <drug-id>.toml per therapy\n"
    )


@pytest.mark.parametrize("command", ["list", "validate", "compare"])
def test_missing_bundled_folder_says_reinstall(
    command: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    gone = tmp_path / "site-packages" / "workbench" / "bundled_profiles"
    monkeypatch.setattr(paths, "bundled_profiles_dir", lambda: gone)
    assert main([command]) == 1
    assert capsys.readouterr().err == (
        f"workbench {command}: error: profiles folder {gone} does not exist: reinstall workbench "
        "(`pip install --force-reinstall workbench`; in a checkout, "
        "`git restore profiles workbench/bundled_profiles`)\n"
    )


async def test_app_on_an_empty_folder_names_it_instead_of_blaming_criteria(tmp_path: Path) -> None:
    app = create_app(tmp_path, cursor_blink=False)
    async with app.run_test(size=(120, 40)):
        hint = str(app.screen.query_one("#empty-hint", Static).content)
    assert hint.startswith(f"profiles folder {tmp_path} holds no .toml files: give a folder")
    assert "criteria file" not in hint
