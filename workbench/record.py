"""Immutable plain records: typed like frozen keyword-only dataclasses, but cheap to define.

A `dataclass` writes and compiles its methods when its class is created, which costs ~0.5 ms per
class at import; a `Record` subclass costs a few microseconds, and builds instances as fast.
Fields are the class annotations (string annotations: every module using records has
`from __future__ import annotations`); a field with a class-level value has that default, which
must be immutable (None, a number, a string, a tuple, another record). Type checkers see the
fields through `dataclass_transform`: keyword-only `__init__`, frozen attributes.

An instance's `__dict__` always holds every field (defaults are copied in at construction, and
code filling `__dict__` directly, such as `record_data`, must fill every field too), so equality
is one comparison of the two `__dict__`s.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from typing import Any, ClassVar, NoReturn, Self, TypeVar, dataclass_transform

K = TypeVar("K")
V = TypeVar("V")


@dataclass_transform(frozen_default=True, kw_only_default=True)
class Record:
    """Base of immutable records: keyword construction, field-wise equality, `replace`."""

    _fields: ClassVar[tuple[str, ...]] = ()
    _names: ClassVar[frozenset[str]] = frozenset()
    _required: ClassVar[frozenset[str]] = frozenset()
    _defaults: ClassVar[dict[str, Any]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        names: list[str] = []
        for klass in reversed(cls.__mro__):
            if klass is Record or not issubclass(klass, Record):
                continue
            for name, annotation in _own_annotations(klass).items():
                if name not in names and not (
                    annotation.startswith("ClassVar")
                    if type(annotation) is str
                    else annotation is ClassVar
                    or (type(annotation) is _GENERIC and annotation.__origin__ is ClassVar)  # type: ignore[attr-defined]
                ):
                    names.append(name)
        cls._fields = tuple(names)
        cls._names = frozenset(names)
        cls._required = frozenset(name for name in names if not hasattr(cls, name))
        cls._defaults = {name: getattr(cls, name) for name in names if hasattr(cls, name)}

    def __init__(self, **values: Any) -> None:
        given = values.keys()
        if not self._required <= given <= self._names:
            raise TypeError(self._signature_error(given))
        fields = self.__dict__
        fields.update(self._defaults)
        fields.update(values)

    @classmethod
    def from_fields(cls, fields: Mapping[str, Any]) -> Self:
        """An instance from a mapping that holds exactly every field (a hot path: no keyword
        arguments, one key check)."""
        if fields.keys() != cls._names:
            raise TypeError(f"{cls.__name__}: fields differ: {sorted(fields.keys() ^ cls._names)}")
        record = object.__new__(cls)
        record.__dict__.update(fields)
        return record

    def _signature_error(self, given: Any) -> str:
        name = type(self).__name__
        missing = sorted(self._required - given)
        unknown = sorted(given - self._names)
        if missing:
            return f"{name}() missing field(s): {', '.join(missing)}"
        return f"{name}() got unknown field(s): {', '.join(unknown)}"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable: cannot delete {name!r}")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        # Every field is in `__dict__` (see the module docstring): compare them all at once.
        return self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash((type(self), *(getattr(self, name) for name in self._fields)))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({shown})"

    def replace(self, **changes: Any) -> Self:
        """A copy with `changes` applied (unknown field names are an error)."""
        unknown = changes.keys() - self._names
        if unknown:
            raise TypeError(self._signature_error(changes.keys()))
        return type(self)(**{**self.as_dict(), **changes})

    def as_dict(self) -> dict[str, Any]:
        """Every field (defaults included) by name, in declaration order; values not copied."""
        return {name: getattr(self, name) for name in self._fields}


def fields(record_type: type[Record]) -> dict[str, Any]:
    """Every field's annotation (its declaration), the base classes' first, in declaration
    order."""
    found: dict[str, Any] = {}
    for klass in reversed(record_type.__mro__):
        if issubclass(klass, Record) and klass is not Record:
            own = _own_annotations(klass)
            found.update((name, own[name]) for name in own if name in record_type._names)
    return found


def field_type(annotation: Any) -> Any:
    """The type of a field without its markers and without `None` (for `X | None`)."""
    kind = type(annotation)
    if kind is _ANNOTATED:  # Annotated[X, ...]: its origin is X
        annotation = annotation.__origin__
        kind = type(annotation)
    if kind is types.UnionType or kind is _UNION:
        args = annotation.__args__
        if len(args) == 2 and args[1] is _NONE:  # X | None
            return field_type(args[0])
    return annotation


# The types of the typing objects `field_type` looks through (compared by identity: asking a
# typing object for an attribute it lacks is slow).
_ANNOTATED = type(typing.Annotated[int, None])
_UNION = type(typing.Literal["a"] | None)  # a typing Union (`int | None` is a types.UnionType)
_GENERIC = type(ClassVar[int])
_NONE = type(None)


def _own_annotations(klass: type) -> dict[str, Any]:
    """The annotations a class body declares (not its bases'), as written."""
    found: dict[str, Any] = klass.__dict__.get("__annotations__", {})  # noqa: RUF063 - cheap
    return found


class Bounds(Record):
    """The range a number must lie in (`low` and `high` allowed, `above` not); checked on values
    from outside."""

    low: float | None = None
    high: float | None = None
    above: float | None = None


class Matches(Record):
    """The regular expression a text must match; checked on values from outside."""

    pattern: str


class MinLength(Record):
    """The fewest characters a text, or items a tuple, may have; checked on values from outside."""

    length: int


class FrozenDict(dict[K, V]):
    """A dict that cannot change once made, and is hashable: the mappings inside records.

    A `dict` subclass so that lookups cost what a dict's do and JSON encodes it as an object."""

    __slots__ = ()

    def _refuse(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError(f"{type(self).__name__} is immutable")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _refuse

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))

    def __reduce__(self) -> tuple[type[FrozenDict[K, V]], tuple[dict[K, V]]]:
        return (type(self), (dict(self),))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict.__repr__(self)})"
