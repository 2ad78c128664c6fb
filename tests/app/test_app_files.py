"""The app's files: typed names that cannot be case files are refused inline (the app never exits on
them), saves refuse read-only and non-regular targets and create private folders, serve mode
reaches no host file by a typed path (downloads, teaching cases only, rate-limited), and the
command palette survives paging before it is laid out (Textual 8.2.8)."""

from __future__ import annotations

import asyncio
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from conftest import make_app
from rich.text import Text
from textual import events
from textual.widgets import Static

from workbench.app.app import WorkbenchApp
from workbench.app.screens.file_dialog import FileDialog, NameRefused, resolve
from workbench.app.served import Served
from workbench.session import Case, CaseFileError, load_case, save_case

SIZE = (120, 40)
BAD_NAMES = ("/", "~~", "~nouser/x", "x" * 300, "a/" * 3000 + "b", "../", ".", "bad\x1bname")


def natalizumab_app(served: Served | None = None) -> WorkbenchApp:
    return make_app(selected=["natalizumab"], served=served)


def problem_text(app: WorkbenchApp) -> str:
    content = app.screen.query_one("#file-problem", Static).content
    assert isinstance(content, Text)
    return content.plain


@pytest.mark.parametrize("name", BAD_NAMES)
def test_bad_names_are_refused(name: str, tmp_path: Path) -> None:
    with pytest.raises(NameRefused):
        resolve(name, tmp_path)


def test_good_names_resolve(tmp_path: Path) -> None:
    assert resolve(" my case ", tmp_path) == tmp_path / "my case.toml"
    assert resolve("sub/x.toml", tmp_path) == tmp_path / "sub" / "x.toml"
    assert resolve("~/x", tmp_path) == Path.home() / "x.toml"


@pytest.mark.parametrize("key", ["s", "o"])
async def test_dialogs_refuse_bad_names_inline(
    key: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path))
    app = natalizumab_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x", key)
        assert isinstance(app.screen, FileDialog)
        for name in BAD_NAMES:
            app.screen.query_one("#file-name").value = name  # type: ignore[attr-defined]
            await pilot.press("enter")
            await pilot.pause()
            assert app.is_running
            assert isinstance(app.screen, FileDialog), name
            assert problem_text(app), name
        await pilot.press("escape")
    assert not (tmp_path / "cases").exists() or not any((tmp_path / "cases").iterdir())


def test_saves_refuse_read_only_and_special_targets(tmp_path: Path) -> None:
    target = tmp_path / "case.toml"
    save_case(Case(), target)
    target.chmod(0o444)
    if os.access(target, os.W_OK):
        pytest.skip("running as a user who may write read-only files")
    with pytest.raises(CaseFileError, match="read-only"):
        save_case(Case(drugs=["natalizumab"]), target)
    link = tmp_path / "link.toml"
    link.symlink_to(tmp_path / "elsewhere.toml")
    with pytest.raises(CaseFileError, match="symbolic link"):
        save_case(Case(), link, overwrite=True)
    assert not (tmp_path / "elsewhere.toml").exists()


def test_saves_refuse_read_only_files_even_as_root(tmp_path: Path) -> None:
    """The check is the file's mode, not only the caller's rights (root may write anything)."""
    target = tmp_path / "case.toml"
    save_case(Case(), target)
    target.chmod(0o444)
    with pytest.raises(CaseFileError, match="read-only"):
        save_case(Case(drugs=["natalizumab"]), target)


def test_user_folders_are_private(tmp_path: Path) -> None:
    target = tmp_path / "home" / "cases" / "x.toml"
    save_case(Case(), target)
    for folder in (tmp_path / "home", tmp_path / "home" / "cases"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_fifo_is_not_read_as_a_case(tmp_path: Path) -> None:
    fifo = tmp_path / "case.toml"
    os.mkfifo(fifo)
    with pytest.raises(CaseFileError, match="not a regular file"):
        load_case(fifo, None)


# --------------------------------------------------------------------------- serve mode


def _capture_deliveries(app: WorkbenchApp) -> list[dict[str, Any]]:
    delivered: list[dict[str, Any]] = []

    def deliver_text(file: Any, **options: Any) -> str:
        delivered.append({"text": file.read(), **options})
        return "key"

    app.deliver_text = deliver_text  # type: ignore[method-assign, assignment]
    return delivered


async def test_served_notes_and_saves_are_downloads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    app = natalizumab_app(Served(None, interval=0.0))
    delivered = _capture_deliveries(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x", "e")
        await pilot.press("s")
        await pilot.pause()
        assert not isinstance(app.screen, FileDialog)
        app.action_export_page()
    assert [d["save_filename"].split("-")[0] for d in delivered] == ["case", "case", "case"]
    assert delivered[2]["save_filename"].endswith(".html")
    assert delivered[0]["save_filename"].endswith(".md")
    assert "Natalizumab" in delivered[0]["text"]
    assert delivered[1]["save_filename"].endswith(".toml")
    assert 'format = "workbench-case"' in delivered[1]["text"]
    assert not (tmp_path / "home").exists()


async def test_served_downloads_are_rate_limited() -> None:
    app = natalizumab_app(Served(None))
    delivered = _capture_deliveries(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x", *"eeeee")
    assert len(delivered) == 1


async def test_served_open_offers_only_the_teaching_cases(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    teaching = Case(drugs=["natalizumab", "ocrelizumab"], importance={"pml": 8.0})
    save_case(teaching, cases / "teaching.toml")
    (cases / "link.toml").symlink_to(cases / "teaching.toml")
    os.mkfifo(cases / "fifo.toml")
    secret = tmp_path / "secret.toml"
    save_case(Case(drugs=["alemtuzumab"]), secret)
    served = Served(cases)
    assert served.teaching_cases() == ["teaching.toml"]
    app = natalizumab_app(served)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x", "o")
        assert isinstance(app.screen, FileDialog)
        for name in (str(secret), "../secret", "~/x", "link", "fifo", "/etc/passwd"):
            app.screen.query_one("#file-name").value = name  # type: ignore[attr-defined]
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, FileDialog), name
            assert "no teaching case" in problem_text(app)
        app.screen.query_one("#file-name").value = "teaching"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert list(app.workbench.selected) == ["natalizumab", "ocrelizumab"]


async def test_served_open_without_cases_says_so() -> None:
    app = natalizumab_app(Served(None))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x", "o")
        await pilot.pause()
        assert not isinstance(app.screen, FileDialog)
        assert app.is_running


# --------------------------------------------------------------------------- palette


@pytest.mark.parametrize("key", ["pageup", "pagedown"])
async def test_paging_the_palette_before_it_is_laid_out(key: str) -> None:
    app = natalizumab_app()
    async with app.run_test(size=SIZE) as pilot:
        app.post_message(events.Key("ctrl+p", None))
        await asyncio.sleep(0)
        app.post_message(events.Key(key, None))
        await pilot.pause(0.3)
        assert app.is_running
        await pilot.press(key)
        assert app.is_running
