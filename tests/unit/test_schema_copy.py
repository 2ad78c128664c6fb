"""The checked-in JSON Schema copies match the record declarations; every bundled TOML file
points at them."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from workbench.cli import cmd_schema
from workbench.profiles import json_schema
from workbench.profiles.json_schema import schema_path, schema_text
from workbench.profiles.paths import bundled_profiles_dir


@pytest.mark.parametrize("kind", cmd_schema.KINDS)
def test_checked_in_schema_is_current(kind: str) -> None:
    assert schema_path(kind).read_text(encoding="utf-8") == schema_text(kind), (
        "JSON Schema copy is stale: run `workbench schema --write`"
    )


def test_every_bundled_toml_declares_its_schema() -> None:
    files = sorted(bundled_profiles_dir().glob("*.toml"))
    assert files
    for path in files:
        kind = path.stem if path.stem in ("criteria", "presets") else "profile"
        first_line = path.read_text(encoding="utf-8").split("\n", 1)[0]
        assert first_line == f"#:schema ../workbench/data/{kind}.schema.json", path.name


def test_schema_directive_resolves_to_the_copy() -> None:
    for kind in cmd_schema.KINDS:
        relative = f"../workbench/data/{kind}.schema.json"
        assert (bundled_profiles_dir() / relative).resolve() == schema_path(kind)


def test_write_regenerates_every_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(json_schema, "schema_path", lambda kind: tmp_path / f"{kind}.schema.json")
    assert cmd_schema.run(argparse.Namespace(write=True, kind="profile")) == 0
    for kind in cmd_schema.KINDS:
        assert (tmp_path / f"{kind}.schema.json").read_text(encoding="utf-8") == schema_text(kind)
    assert len(capsys.readouterr().out.splitlines()) == len(cmd_schema.KINDS)
