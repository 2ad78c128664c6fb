"""The profile, criteria and presets records are the one declaration of their formats: validation
builds them directly (values and errors from the declarations), they are immutable all the way
down and hashable, their JSON data builds equal records, and they import without pydantic."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
import tomli
from pydantic import ValidationError

from workbench.profiles import records
from workbench.profiles.loader import load_library
from workbench.profiles.paths import bundled_profiles_dir
from workbench.profiles.record_data import from_data, to_data
from workbench.record import FrozenDict, Record
from workbench.record_validation import UNKNOWN_KEY, validate


def _bundled_profile_data() -> list[tuple[str, dict[str, Any]]]:
    files = sorted(bundled_profiles_dir().glob("*.toml"))
    found = [
        (path.name, tomli.loads(path.read_text(encoding="utf-8")))
        for path in files
        if path.stem not in ("criteria", "presets")
    ]
    assert found
    return found


def _containers(value: object) -> list[type]:
    """The types of every container inside a record, nested records included."""
    if isinstance(value, Record):
        return [t for name in value._fields for t in _containers(getattr(value, name))]
    if isinstance(value, tuple | list | dict):
        items = value.values() if isinstance(value, dict) else value
        return [type(value), *(t for item in items for t in _containers(item))]
    return []


def test_loaded_records_are_immutable_all_the_way_down_and_hashable() -> None:
    library = load_library(bundled_profiles_dir(), use_cache=False)
    assert len(library.profiles) == 20
    for profile in library.profiles:
        assert hash(profile) == hash(profile.replace())
        assert set(_containers(profile)) <= {tuple, FrozenDict}, profile.id
        assert profile.__dict__.keys() == set(records.Profile._fields)
    natalizumab = library.profile("natalizumab")
    with pytest.raises(TypeError):
        natalizumab.measurements["pml"] = natalizumab.measurements["pml"]  # type: ignore[index]
    with pytest.raises(AttributeError):
        natalizumab.sources.append(natalizumab.sources[0])  # type: ignore[attr-defined]
    assert len({*library.profiles, *library.profiles}) == 20


def test_validated_records_equal_their_json_data() -> None:
    for name, data in _bundled_profile_data():
        record = validate(records.Profile, data)
        assert from_data(records.Profile, to_data(record)) == record, name
        assert record.__dict__.keys() == set(records.Profile._fields)


def test_defaults_are_what_an_empty_table_gives() -> None:
    assert validate(records.Condition, {}) == records.Condition()
    switching = validate(records.Switching, {})
    assert switching == records.Switching()
    assert switching.classes == ()
    assert switching.on_stopping == ()


def _errors(error: ValidationError) -> list[tuple[tuple[int | str, ...], str]]:
    return [
        (detail["loc"], detail["type"])
        for detail in error.errors(include_url=False, include_context=False)
    ]


def test_invalid_data_gives_an_error_per_problem() -> None:
    name, data = _bundled_profile_data()[0]
    broken = {**data, "name": 5, "not_a_key": 1, "administration": "a string"}
    del broken["id"]
    broken["sources"] = [{**broken["sources"][0], "year": "1999", "extra": 2}]
    broken["brands"] = "one brand"
    with pytest.raises(ValidationError) as raised:
        validate(records.Profile, broken)
    assert sorted(_errors(raised.value)) == sorted(
        [
            (("id",), "missing"),
            (("name",), "string_type"),
            (("brands",), "list_type"),
            (("administration",), "dataclass_type"),
            (("sources", 0, "year"), "int_type"),
            (("sources", 0, "extra"), UNKNOWN_KEY),
            (("not_a_key",), UNKNOWN_KEY),
        ]
    ), name


def test_constraints_come_from_the_markers() -> None:
    source = {"id": "s", "kind": "label", "citation": "A citation long enough", "year": 2020}
    assert validate(records.Source, source).year == 2020
    for key, value, error in [
        ("id", "Not-A-Slug", "string_pattern_mismatch"),
        ("year", 1949, "greater_than_equal"),
        ("citation", "short", "string_too_short"),
        ("year", 2020.0, "int_type"),
    ]:
        with pytest.raises(ValidationError) as raised:
            validate(records.Source, {**source, key: value})
        assert _errors(raised.value) == [((key,), error)]
    with pytest.raises(ValidationError) as raised:
        validate(records.OtherConfirmation, {"weeks": 0})
    assert _errors(raised.value) == [(("weeks",), "greater_than")]


def test_records_import_without_pydantic() -> None:
    code = (
        "import sys, workbench.profiles.records, workbench.profiles.record_data; "
        "print('pydantic' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
