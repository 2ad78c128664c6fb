"""The generated records match the pydantic models: same names, fields, defaults; a validated
model and its JSON data build equal records, equal-valued to the model; records import without
pydantic."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
import tomli

from workbench.profiles import records, records_gen, schema
from workbench.profiles.loader import load_library
from workbench.profiles.paths import bundled_profiles_dir
from workbench.profiles.record_data import from_data, from_model
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


def test_records_from_json_data_equal_the_models_for_the_bundled_profiles() -> None:
    files = sorted(bundled_profiles_dir().glob("*.toml"))
    profiles = [path for path in files if path.stem not in ("criteria", "presets")]
    assert profiles
    for path in profiles:
        model = schema.Profile.model_validate(tomli.loads(path.read_text(encoding="utf-8")))
        record = from_data(records.Profile, model.model_dump(mode="json"))
        assert _plain(record) == _plain(model), path.name
        direct = from_model(records.Profile, model)
        assert direct == record, path.name
        assert _plain(direct) == _plain(model), path.name
        assert direct.__dict__.keys() == record.__dict__.keys() == set(records.Profile._fields)
    library = load_library(bundled_profiles_dir())
    assert all(isinstance(profile, records.Profile) for profile in library.profiles)


def test_defaults_match_the_models() -> None:
    assert records.Condition() == from_data(
        records.Condition, schema.Condition().model_dump(mode="json")
    )
    switching = from_data(records.Switching, schema.Switching().model_dump(mode="json"))
    assert switching == records.Switching(classes=[], source_ids=[], on_stopping=[], on_starting=[])
    assert from_model(records.Switching, schema.Switching()) == switching
    assert from_model(records.Condition, schema.Condition()) == records.Condition()


def test_a_model_of_another_shape_is_refused() -> None:
    with pytest.raises(TypeError, match="fields differ"):
        from_model(records.Switching, schema.Condition())


def test_records_import_without_pydantic() -> None:
    code = "import sys, workbench.profiles.records; print('pydantic' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
