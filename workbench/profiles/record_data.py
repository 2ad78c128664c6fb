"""Profile records to and from JSON data, what the profile cache stores.

`to_data` turns a record into JSON-ready data (nested records become objects, dates ISO strings);
`from_data` builds the record back, filling every field straight into its `__dict__` (no keyword
arguments: the hot path of a cache hit). Both convert the fields `records.CONVERT` lists. The
profile cache tests check that a cached load equals a freshly validated one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypeVar

from workbench.profiles.records import CONVERT
from workbench.record import Record

R = TypeVar("R", bound=Record)


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


def to_data(record: Record) -> dict[str, Any]:
    """The JSON data of `record`: every field, nested records as objects, dates as ISO strings."""
    data = dict(record.__dict__)
    for name, shape, _ in CONVERT.get(type(record), ()):
        value = data[name]
        if value is None:
            continue
        if shape == "date":
            data[name] = value.isoformat()
        elif shape == "one":
            data[name] = to_data(value)
        elif shape == "list":
            data[name] = [to_data(item) for item in value]
        elif shape == "dict":
            data[name] = {key: to_data(item) for key, item in value.items()}
    return data
