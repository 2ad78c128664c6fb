"""Profile records to and from JSON data, what the profile cache stores.

`to_data` turns a record into JSON-ready data (nested records become objects, dates ISO strings);
`from_data` builds the record back, filling every field straight into its `__dict__` (no keyword
arguments: the hot path of a cache hit), tuples and mappings frozen again. Which fields need
converting is read from the records' declarations (`workbench.record.fields`), once per class.
The profile cache tests check that a cached load equals a freshly validated one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal, TypeVar

from workbench.record import FrozenDict, Record, field_type, fields

R = TypeVar("R", bound=Record)


def from_data(cls: type[R], data: Mapping[str, Any]) -> R:
    """The record `cls` from JSON data (nested records built, ISO dates parsed, arrays tuples).

    JSON data of a record carries every field, so its keys must be exactly the record's fields.
    """
    if data.keys() != cls._names:
        raise TypeError(f"{cls.__name__}: data keys differ from the fields")
    record = object.__new__(cls)
    values = record.__dict__
    values.update(data)
    for name, shape, inner in _shapes(cls):
        value = values[name]
        if value is None:
            continue
        if shape == "tuple":
            values[name] = (
                tuple(value) if inner is None else tuple([from_data(inner, v) for v in value])
            )
        elif shape == "one" and inner is not None:
            values[name] = from_data(inner, value)
        elif shape == "mapping":
            values[name] = FrozenDict(
                value if inner is None else {k: from_data(inner, v) for k, v in value.items()}
            )
        elif shape == "date":
            values[name] = dt.date.fromisoformat(value)
    return record


def to_data(record: Record) -> dict[str, Any]:
    """The JSON data of `record`: every field, nested records as objects, dates as ISO strings."""
    data = dict(record.__dict__)
    for name, shape, inner in _shapes(type(record)):
        value = data[name]
        if value is None or (inner is None and shape != "date"):
            continue  # JSON writes a tuple of plain values as an array, a mapping as an object
        if shape == "tuple":
            data[name] = [to_data(v) for v in value]
        elif shape == "one":
            data[name] = to_data(value)
        elif shape == "mapping":
            data[name] = {k: to_data(v) for k, v in value.items()}
        elif shape == "date":
            data[name] = value.isoformat()
    return data


Shape = Literal["one", "tuple", "mapping", "date"]
_SHAPES: dict[type[Record], tuple[tuple[str, Shape, type[Record] | None], ...]] = {}


def _shapes(cls: type[Record]) -> tuple[tuple[str, Shape, type[Record] | None], ...]:
    """The fields JSON does not hold as such, with their shape: a record, a tuple or a mapping
    (of records, or of plain values: None), or a date. Read from the declarations once."""
    found = _SHAPES.get(cls)
    if found is None:
        shapes: list[tuple[str, Shape, type[Record] | None]] = []
        for name, annotation in fields(cls).items():
            kind = field_type(annotation)
            origin = getattr(kind, "__origin__", None)
            if kind is dt.date:
                shapes.append((name, "date", None))
            elif isinstance(kind, type) and issubclass(kind, Record):
                shapes.append((name, "one", kind))
            elif origin is tuple or origin is Mapping:
                item = field_type(kind.__args__[0 if origin is tuple else 1])
                inner = item if isinstance(item, type) and issubclass(item, Record) else None
                shapes.append((name, "tuple" if origin is tuple else "mapping", inner))
        found = _SHAPES[cls] = tuple(shapes)
    return found
