"""Build profile records from validated models (a fresh validation) or from the models' JSON data
(what the profile cache stores).

Both fill every field of the record straight into its `__dict__` (no keyword arguments: the hot
path of loading) and convert the fields `records.CONVERT` lists: nested records and dates.
`from_model` takes the model's own values (nested models become records, dates stay `date`s);
`from_data` takes JSON data (nested objects become records, ISO date strings are parsed). The
profile cache tests check that a cached load equals a fresh one, so the two build equal records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypeVar

from workbench.profiles.records import CONVERT
from workbench.record import Record

R = TypeVar("R", bound=Record)

_NESTED: dict[type[Record], tuple[tuple[str, str, type[Record]], ...]] = {
    cls: tuple((name, shape, inner) for name, shape, inner in specs if inner is not None)
    for cls, specs in CONVERT.items()
}
"""`CONVERT` without the dates: what a validated model still needs converted (its nested models)."""


def from_model(cls: type[R], model: object) -> R:
    """The record `cls` from a validated pydantic model of the same name (nested models built).

    A model's `__dict__` holds exactly its fields (unknown keys are forbidden), already of the
    record's types except for nested models; the values are taken as they are, not copied (models
    and records are both immutable). This module needs no pydantic: it only reads `__dict__`.
    """
    values: dict[str, Any] = model.__dict__
    if values.keys() != cls._names:
        raise TypeError(f"{cls.__name__}: model fields differ from the record's")
    record = object.__new__(cls)
    fields = record.__dict__
    fields.update(values)
    for name, shape, inner in _NESTED.get(cls, ()):
        value = fields[name]
        if value is None:
            continue
        if shape == "one":
            fields[name] = from_model(inner, value)
        elif shape == "list":
            fields[name] = [from_model(inner, item) for item in value]
        elif shape == "dict":
            fields[name] = {key: from_model(inner, item) for key, item in value.items()}
    return record


def from_data(cls: type[R], data: Mapping[str, Any]) -> R:
    """The record `cls` from JSON data (nested records built, ISO dates parsed).

    JSON data of a model carries every field, so its keys must be exactly the record's fields.
    """
    if data.keys() != cls._names:
        raise TypeError(f"{cls.__name__}: data keys differ from the fields")
    record = object.__new__(cls)
    fields = record.__dict__
    fields.update(data)
    for name, shape, inner in CONVERT.get(cls, ()):
        value = fields[name]
        if value is None:
            continue
        if shape == "date":
            fields[name] = dt.date.fromisoformat(value)
        elif shape == "one" and inner is not None:
            fields[name] = from_data(inner, value)
        elif shape == "list" and inner is not None:
            fields[name] = [from_data(inner, item) for item in value]
        elif shape == "dict" and inner is not None:
            fields[name] = {key: from_data(inner, item) for key, item in value.items()}
    return record
