"""Profile records to and from JSON data, what the profile cache stores.

`to_data` turns a record into JSON-ready data (nested records become objects, dates ISO strings);
`from_data` builds the record back, filling every field straight into its `__dict__` (no keyword
arguments: the hot path of a cache hit), tuples and mappings frozen again. Which fields need
converting is read from the records' declarations (`workbench.record.fields`), once per class.
The profile cache tests check that a cached load equals a freshly validated one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any, TypeVar

from workbench.record import FrozenDict, Record, field_type, fields

R = TypeVar("R", bound=Record)
Convert = Callable[[Any], Any]


def from_data(cls: type[R], data: Mapping[str, Any]) -> R:
    """The record `cls` from JSON data (nested records built, ISO dates parsed, arrays tuples).

    JSON data of a record carries every field, so its keys must be exactly the record's fields.
    """
    if data.keys() != cls._names:
        raise TypeError(f"{cls.__name__}: data keys differ from the fields")
    record = object.__new__(cls)
    values = record.__dict__
    values.update(data)
    for name, convert in _conversions(cls)[0]:
        value = values[name]
        if value is not None:
            values[name] = convert(value)
    return record


def to_data(record: Record) -> dict[str, Any]:
    """The JSON data of `record`: every field, nested records as objects, dates as ISO strings."""
    data = dict(record.__dict__)
    for name, convert in _conversions(type(record))[1]:
        value = data[name]
        if value is not None:
            data[name] = convert(value)
    return data


Conversions = tuple[tuple[tuple[str, Convert], ...], tuple[tuple[str, Convert], ...]]
_CONVERSIONS: dict[type[Record], Conversions] = {}


def _conversions(cls: type[Record]) -> Conversions:
    """Per field that JSON does not hold as such: how to read it back and how to write it."""
    found = _CONVERSIONS.get(cls)
    if found is None:
        reading, writing = [], []
        for name, annotation in fields(cls).items():
            kind = field_type(annotation)
            if (read := _reader(kind)) is not None:
                reading.append((name, read))
            if (write := _writer(kind)) is not None:
                writing.append((name, write))
        found = _CONVERSIONS[cls] = (tuple(reading), tuple(writing))
    return found


def _reader(kind: Any) -> Convert | None:
    if kind is dt.date:
        return dt.date.fromisoformat
    if isinstance(kind, type) and issubclass(kind, Record):
        return partial(from_data, kind)
    origin, args = _origin_args(kind)
    if origin is tuple:
        item = _reader(field_type(args[0]))
        return tuple if item is None else partial(_tuple_of, item)
    if origin is Mapping:
        item = _reader(field_type(args[1]))
        return FrozenDict if item is None else partial(_mapping_of, item)
    return None


def _writer(kind: Any) -> Convert | None:
    if kind is dt.date:
        return dt.date.isoformat
    if isinstance(kind, type) and issubclass(kind, Record):
        return to_data
    origin, args = _origin_args(kind)
    if origin is tuple and (item := _writer(field_type(args[0]))) is not None:
        return partial(_list_of, item)
    if origin is Mapping and (item := _writer(field_type(args[1]))) is not None:
        return partial(_dict_of, item)
    return None


def _origin_args(kind: Any) -> tuple[Any, tuple[Any, ...]]:
    """`tuple` or `Mapping` and the item types, for `tuple[X, ...]` or `Mapping[K, V]`."""
    return getattr(kind, "__origin__", None), getattr(kind, "__args__", ())


def _tuple_of(convert: Convert, values: list[Any]) -> tuple[Any, ...]:
    return tuple([convert(value) for value in values])


def _mapping_of(convert: Convert, values: dict[str, Any]) -> FrozenDict[str, Any]:
    return FrozenDict({key: convert(value) for key, value in values.items()})


def _list_of(convert: Convert, values: tuple[Any, ...]) -> list[Any]:
    return [convert(value) for value in values]


def _dict_of(convert: Convert, values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: convert(value) for key, value in values.items()}
