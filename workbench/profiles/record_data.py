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
from types import GenericAlias
from typing import Any, NamedTuple, TypeVar

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
    shapes = _SHAPES.get(cls) or _shapes(cls)
    for name in shapes.plain_tuples:
        value = values[name]
        if value is not None:
            values[name] = tuple(value)
    for name, inner in shapes.record_tuples:
        value = values[name]
        if value is not None:
            values[name] = tuple([from_data(inner, item) for item in value])
    for name, inner in shapes.records:
        value = values[name]
        if value is not None:
            values[name] = from_data(inner, value)
    for name, maybe in shapes.mappings:
        value = values[name]
        if value is not None:
            values[name] = FrozenDict(
                value if maybe is None else {k: from_data(maybe, v) for k, v in value.items()}
            )
    for name in shapes.dates:
        value = values[name]
        if value is not None:
            values[name] = dt.date.fromisoformat(value)
    return record


def to_data(record: Record) -> dict[str, Any]:
    """The JSON data of `record`: every field, nested records as objects, dates as ISO strings
    (JSON writes a tuple of plain values as an array, a mapping of them as an object)."""
    data = dict(record.__dict__)
    shapes = _shapes(type(record))
    for name, _ in shapes.record_tuples:
        if (value := data[name]) is not None:
            data[name] = [to_data(item) for item in value]
    for name, _ in shapes.records:
        if (value := data[name]) is not None:
            data[name] = to_data(value)
    for name, maybe in shapes.mappings:
        if (value := data[name]) is not None and maybe is not None:
            data[name] = {k: to_data(v) for k, v in value.items()}
    for name in shapes.dates:
        if (value := data[name]) is not None:
            data[name] = value.isoformat()
    return data


class Shapes(NamedTuple):
    """The fields of a record that JSON does not hold as such, by shape."""

    plain_tuples: tuple[str, ...]
    record_tuples: tuple[tuple[str, type[Record]], ...]
    records: tuple[tuple[str, type[Record]], ...]
    mappings: tuple[tuple[str, type[Record] | None], ...]
    """Mappings of records, or of plain values (None)."""
    dates: tuple[str, ...]


_SHAPES: dict[type[Record], Shapes] = {}


def _shapes(cls: type[Record]) -> Shapes:
    """The shapes of a record's fields, read from its declarations once."""
    found = _SHAPES.get(cls)
    if found is not None:
        return found
    plain_tuples: list[str] = []
    record_tuples: list[tuple[str, type[Record]]] = []
    records: list[tuple[str, type[Record]]] = []
    mappings: list[tuple[str, type[Record] | None]] = []
    dates: list[str] = []
    for name, annotation in fields(cls).items():
        kind = field_type(annotation)
        origin = kind.__origin__ if type(kind) is GenericAlias else None
        if kind is dt.date:
            dates.append(name)
        elif isinstance(kind, type) and issubclass(kind, Record):
            records.append((name, kind))
        elif origin is tuple or origin is Mapping:
            item = field_type(kind.__args__[0 if origin is tuple else 1])
            inner = item if isinstance(item, type) and issubclass(item, Record) else None
            if origin is Mapping:
                mappings.append((name, inner))
            elif inner is None:
                plain_tuples.append(name)
            else:
                record_tuples.append((name, inner))
    found = _SHAPES[cls] = Shapes(
        tuple(plain_tuples), tuple(record_tuples), tuple(records), tuple(mappings), tuple(dates)
    )
    return found
