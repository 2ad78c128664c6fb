"""Pydantic validation and JSON Schema built from the declarations of records, on first use.

A record's fields are declared once, on the record (`workbench.record.Record`): the annotation is
the type, markers in `Annotated` the constraints (`Bounds`, `MinLength`, `Matches`; other markers,
such as the context's `Declared`, are for the renderers), the class value the default and, for the
JSON Schema, the string under a field its description. From these this module makes pydantic-core
schemas (public `pydantic_core.core_schema` API), one mechanism for both kinds of records:

- strict, the profile, criteria and presets formats: dataclass schemas; pydantic-core validates a
  table straight into the record, creating it without calling `__init__` and setting its
  `__dict__` to every field, defaults filled in, as `Record` requires, so no model object is ever
  made. Tuples are validated as lists (a TOML array is accepted and an error says "a valid
  list"), then made tuples; mappings likewise become `FrozenDict`s.
- lax, the patient context (`workbench.engine.context_validation`): the fields taken from
  outside (`only`) are validated as keyword arguments and the record built from them; a record
  given as input is checked as its table, and is serialized as that table.

Imported only when a value from outside is checked (a profile cache miss, `workbench validate`, a
CLI option or a case file), never at a start from the cache.
"""

from __future__ import annotations

import ast
import functools
import inspect
import itertools
import operator
import textwrap
import types
import typing
from collections.abc import Collection, Mapping
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, ConfigDict, Field, GetCoreSchemaHandler, TypeAdapter
from pydantic_core import CoreConfig, core_schema

from workbench.record import Bounds, FrozenDict, Matches, MinLength, Record, fields

R = TypeVar("R", bound=Record)

Mode = Literal["strict", "lax"]
"""strict: the file formats (no coercion); lax: values typed by people (CLI options, the case
panel), where "12" may stand for 12."""

UNKNOWN_KEY = "unexpected_keyword_argument"
"""The pydantic error type of a key a record does not have."""


def validate(record_type: type[R], data: object, mode: Mode = "strict") -> R:
    """`data` (a table) validated as `record_type` (pydantic's ValidationError when invalid)."""
    record: R = adapter(record_type, mode).validate_python(data)
    return record


def adapter(record_type: type[R], mode: Mode = "strict", *, docs: bool = False) -> TypeAdapter[R]:
    """The validator of `record_type`, built once (`docs`: with the field descriptions, for the
    JSON Schema)."""
    key = (record_type, mode, docs)
    made = _ADAPTERS.get(key)
    if made is None:
        config = ConfigDict(extra="forbid", strict=mode == "strict", allow_inf_nan=mode == "lax")
        annotated: Any = Annotated[record_type, AsRecord(mode, docs)]
        made = _ADAPTERS[key] = TypeAdapter(annotated, config=config)
    return typing.cast(TypeAdapter[R], made)


_ADAPTERS: dict[tuple[type[Record], Mode, bool], TypeAdapter[Any]] = {}


def json_schema(record_type: type[Record]) -> dict[str, Any]:
    """The JSON Schema of a record's table (validation mode)."""
    return adapter(record_type, docs=True).json_schema(mode="validation")


class AsRecord:
    """Pydantic metadata: validate a table into the record it annotates (its fields from the
    record's declarations, with `mode`'s strictness and unknown keys refused).

    `only`: the fields taken from outside (the others, derived, keep their defaults). In lax mode
    a record given as input is checked as the table of its fields, and a record is serialized as
    that table (nested records and tuples as plain data)."""

    def __init__(
        self,
        mode: Mode = "strict",
        docs: bool = False,
        *,
        only: Collection[str] | None = None,
        built: set[type[Record]] | None = None,
    ) -> None:
        self.mode = mode
        self.docs = docs
        self.only = only
        self.built = built
        """The records whose schema this validator has made already (None: none yet, a new
        validator): a record used in several places (a condition) is made once and referred to
        elsewhere."""

    def __get_pydantic_core_schema__(
        self, source: type[Record], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        if self.built is None:  # a new validator: its own record of the schemas made
            fresh = AsRecord(self.mode, self.docs, only=self.only, built=set())
            return fresh.__get_pydantic_core_schema__(source, handler)
        ref = f"{source.__module__}.{source.__qualname__}"
        if source in self.built:
            return core_schema.definition_reference_schema(ref)
        self.built.add(source)
        descriptions: dict[str, str] = {}
        for klass in reversed(source.__mro__) if self.docs else ():
            if issubclass(klass, Record) and klass is not Record:
                descriptions.update(_descriptions(klass))
        declared = fields(source)
        names = tuple(name for name in declared if self.only is None or name in self.only)
        schemas = []
        for name in names:
            annotation = declared[name]
            about = descriptions.get(name)
            pydantic_type = self.pydantic_type(annotation)
            if about is not None:
                pydantic_type = Annotated[pydantic_type, Field(description=about)]
            schema = handler.generate_schema(pydantic_type)
            if name in source._defaults:
                schema = _with_default(schema, source._defaults[name])
            schemas.append(core_schema.dataclass_field(name, schema, kw_only=True))
        config = CoreConfig(
            strict=self.mode == "strict",
            extra_fields_behavior="forbid",
            allow_inf_nan=self.mode == "lax",
        )
        arguments = core_schema.dataclass_args_schema(
            source.__name__, schemas, extra_behavior="forbid"
        )
        if self.mode == "strict":
            return core_schema.dataclass_schema(
                source,
                arguments,
                list(names),
                config=config,
                # The input is a table, never a record: strictness applies to the fields
                # (through the config), not to the type of the table itself.
                strict=False,
                slots=False,
                ref=ref,
            )
        # Lax: a table or a record (checked as its table), even when the caller asks for strict
        # validation (a saved case's context is a table, never the record itself).
        return core_schema.no_info_before_validator_function(
            functools.partial(_table, source, names),
            core_schema.no_info_after_validator_function(
                functools.partial(_record, source), arguments
            ),
            ref=ref,
            serialization=core_schema.plain_serializer_function_ser_schema(
                functools.partial(_plain, names)
            ),
        )

    def pydantic_type(self, annotation: Any) -> Any:
        """`annotation` as pydantic understands it: markers as constraints, tuples and mappings
        validated as lists and dicts then frozen, records as tables of their fields."""
        origin, args = typing.get_origin(annotation), typing.get_args(annotation)
        if origin is Annotated:
            constraints = [c for marker in args[1:] if (c := constraint(marker)) is not None]
            return self._constrained(args[0], constraints)
        return self._constrained(annotation, [])

    def _constrained(self, annotation: Any, constraints: list[Any]) -> Any:
        origin, args = typing.get_origin(annotation), typing.get_args(annotation)
        if origin in (typing.Union, types.UnionType):
            # a constraint applies to the values that are not None
            return functools.reduce(
                operator.or_,
                (arg if arg is type(None) else self._constrained(arg, constraints) for arg in args),
            )
        if origin is Annotated:
            more = [c for marker in args[1:] if (c := constraint(marker)) is not None]
            return self._constrained(args[0], [*constraints, *more])
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            item = self.pydantic_type(args[0])
            if self.mode == "lax":  # a list or a tuple (a saved case's arrays become tuples)
                items: Any = tuple[item, ...]  # type: ignore[valid-type]
                return Annotated[(items, *constraints)] if constraints else items
            items = list[item]  # type: ignore[valid-type]
            return Annotated[(items, *constraints, AfterValidator(tuple))]
        if origin is Mapping:
            key, value = (self.pydantic_type(arg) for arg in args)
            table: Any = dict[key, value]  # type: ignore[valid-type]
            return Annotated[(table, *constraints, AfterValidator(FrozenDict))]
        if isinstance(annotation, type) and issubclass(annotation, Record):
            nested = AsRecord(self.mode, self.docs, built=self.built)
            return Annotated[(annotation, nested, *constraints)]
        return Annotated[(annotation, *constraints)] if constraints else annotation


def _table(record_type: type[Record], names: tuple[str, ...], value: object) -> object:
    """A record given as input, as the table of its fields taken from outside (checked again)."""
    if isinstance(value, record_type):
        return {name: getattr(value, name) for name in names}
    return value


def _record(record_type: type[R], arguments: tuple[dict[str, Any], object]) -> R:
    """The record of validated fields (the fields not taken from outside: their defaults)."""
    return record_type(**arguments[0])


def _plain(names: tuple[str, ...], record: Record) -> dict[str, object]:
    """A record as plain data: its fields taken from outside, tuples as lists, nested records as
    tables of all their fields."""
    return {name: _plain_value(getattr(record, name)) for name in names}


def _plain_value(value: object) -> object:
    if isinstance(value, Record):
        return _plain(value._fields, value)
    if isinstance(value, tuple):
        return [_plain_value(item) for item in value]
    return value


def constraint(marker: object) -> Any:
    """The pydantic constraint a marker stands for (None: a marker for the renderers)."""
    if isinstance(marker, Bounds):
        return Field(ge=marker.low, le=marker.high, gt=marker.above)
    if isinstance(marker, MinLength):
        return Field(min_length=marker.length)
    if isinstance(marker, Matches):
        return Field(pattern=marker.pattern)
    return None


def _with_default(schema: core_schema.CoreSchema, default: object) -> core_schema.CoreSchema:
    """A field schema with its default: a plain value as such (the JSON Schema shows it), an
    empty tuple, mapping or a record from a factory (as an empty table would give)."""
    if default is None or isinstance(default, bool | int | float | str):
        return core_schema.with_default_schema(schema, default=default)
    return core_schema.with_default_schema(
        schema, default_factory=functools.partial(_same, default)
    )


def _same(value: object) -> object:
    return value


def _descriptions(record_type: type[Record]) -> dict[str, str]:
    """The string under each field of the record's own class body, as one line of text."""
    try:
        source = textwrap.dedent(inspect.getsource(record_type))
    except (OSError, TypeError):
        return {}
    (body,) = ast.parse(source).body
    found: dict[str, str] = {}
    statements = getattr(body, "body", [])
    for statement, after in itertools.pairwise(statements):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            found[statement.target.id] = " ".join(after.value.value.split())
    return found
