"""Build profile records from the models' JSON data (what validation dumps and the cache stores)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypeVar

from workbench.profiles.records import CONVERT
from workbench.record import Record

R = TypeVar("R", bound=Record)


def from_data(cls: type[R], data: Mapping[str, Any]) -> R:
    """The record `cls` from JSON data (nested records built, ISO dates parsed).

    JSON data of a model carries every field, so its keys must be exactly the record's fields;
    the record is then filled without going through keyword arguments (the hot path of loading).
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
