"""The generated records match the pydantic models: same names, fields, defaults; validating into
records gives what the model gives (values and errors), and the records' JSON data builds equal
records; records import without pydantic."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
import tomli
from pydantic import ValidationError

from workbench.profiles import record_validators, records, records_gen, schema
from workbench.profiles.loader import load_library
from workbench.profiles.paths import bundled_profiles_dir
from workbench.profiles.record_data import from_data, to_data
from workbench.profiles.record_validators import validate
from workbench.record import Record


def test_checked_in_records_are_current() -> None:
    text = records_gen.records_path().read_text(encoding="utf-8")
    assert text == records_gen.records_text(), "records.py is stale: run `workbench schema --write`"


def test_every_model_has_a_record_with_its_fields_and_base() -> None:
    for model in records_gen.model_classes():
        record = getattr(records, model.__name__)
        assert issubclass(record, Record)
        assert record._fields == tuple(model.model_fields), model.__name__
        base = model.__bases__[0]
        expected = Record if base is schema.Model else getattr(records, base.__name__)
        assert record.__bases__ == (expected,)


def _plain(value: object) -> Any:
    """A record or model as nested plain Python values (dates kept), for comparison."""
    if isinstance(value, Record):
        return {name: _plain(getattr(value, name)) for name in value._fields}
    if isinstance(value, schema.Model):
        return {name: _plain(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _bundled_profile_data() -> list[tuple[str, dict[str, Any]]]:
    files = sorted(bundled_profiles_dir().glob("*.toml"))
    found = [
        (path.name, tomli.loads(path.read_text(encoding="utf-8")))
        for path in files
        if path.stem not in ("criteria", "presets")
    ]
    assert found
    return found


def test_validated_records_equal_the_models_and_their_json_data() -> None:
    for name, data in _bundled_profile_data():
        model = schema.Profile.model_validate(data)
        record = validate(records.Profile, data)
        assert _plain(record) == _plain(model), name
        assert from_data(records.Profile, model.model_dump(mode="json")) == record, name
        assert from_data(records.Profile, to_data(record)) == record, name
        assert record.__dict__.keys() == set(records.Profile._fields)
    library = load_library(bundled_profiles_dir())
    assert all(isinstance(profile, records.Profile) for profile in library.profiles)


def _errors(error: ValidationError) -> list[tuple[tuple[int | str, ...], str]]:
    return [
        (detail["loc"], detail["type"])
        for detail in error.errors(include_url=False, include_context=False)
    ]


def test_invalid_data_gives_the_models_errors() -> None:
    name, data = _bundled_profile_data()[0]
    broken = {**data, "name": 5, "not_a_key": 1, "administration": "a string"}
    del broken["id"]
    broken["sources"] = [{**broken["sources"][0], "year": "1999", "extra": 2}]
    with pytest.raises(ValidationError) as from_model:
        schema.Profile.model_validate(broken)
    with pytest.raises(ValidationError) as from_record:
        validate(records.Profile, broken)
    renamed = {
        "unexpected_keyword_argument": "extra_forbidden",
        "dataclass_type": "model_type",
    }
    record_errors = [(loc, renamed.get(kind, kind)) for loc, kind in _errors(from_record.value)]
    assert record_errors == _errors(from_model.value), name
    assert len(record_errors) == 6


def test_defaults_match_the_models() -> None:
    assert records.Condition() == from_data(
        records.Condition, schema.Condition().model_dump(mode="json")
    )
    switching = from_data(records.Switching, schema.Switching().model_dump(mode="json"))
    assert switching == records.Switching(classes=[], source_ids=[], on_stopping=[], on_starting=[])
    assert validate(records.Switching, {}) == switching
    assert validate(records.Condition, {}) == records.Condition()


def test_a_model_of_another_shape_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(records, "Switching", records.Condition)
    with pytest.raises(TypeError, match="fields differ"):
        record_validators._record_schema(schema.Switching.__pydantic_core_schema__)


def test_records_import_without_pydantic() -> None:
    code = "import sys, workbench.profiles.records; print('pydantic' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
