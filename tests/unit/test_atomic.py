"""Atomic writes: the complete new content or the old file intact, never a temporary file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from workbench.atomic import write_atomic


def test_writes_new_file(tmp_path: Path) -> None:
    target = tmp_path / "note.md"
    write_atomic(target, "héllo\n")
    assert target.read_text(encoding="utf-8") == "héllo\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["note.md"]


def test_replaces_existing_file_and_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "case.toml"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_new_file_is_private(tmp_path: Path) -> None:
    target = tmp_path / "case.toml"
    write_atomic(target, "x")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_failure_between_write_and_rename_keeps_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "case.toml"
    target.write_text("old", encoding="utf-8")

    def interrupted(src: object, dst: object) -> None:
        raise OSError("disk unplugged")

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(OSError, match="disk unplugged"):
        write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.toml"]


def test_failure_while_writing_keeps_old_file(tmp_path: Path) -> None:
    target = tmp_path / "case.toml"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, "bad \udcff surrogate")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.toml"]


def test_missing_folder_raises_without_creating_anything(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "absent" / "x.md", "x")
    assert list(tmp_path.iterdir()) == []
