"""Validation of patient-context values from outside, by pydantic models built from the records.

Imported only when a value from outside is checked (a CLI option, a case file, an entry of the
case panel), never at start-up. The models are made on first use from the records' declarations
in `workbench.engine.context` (annotation, default and the `Bounds` / `Matches` markers), so the
record and its validation cannot drift apart: a field is declared once, there.

A validated value is the record itself (`PatientContext`, `PreviousDmt`), never a pydantic model;
a record given as input is checked like its fields given as a table.
"""

from __future__ import annotations

import functools
import operator
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    GetCoreSchemaHandler,
    TypeAdapter,
    ValidationError,
    create_model,
)
from pydantic_core import core_schema

from workbench.engine.context import (
    ContextError,
    PatientContext,
    context_data,
    context_fields,
)
from workbench.record import Record
from workbench.record_validation import constraint


class _AsRecord:
    """Pydantic metadata: validate as `model`, give the record `record` (and take one as input)."""

    def __init__(self, record: type[Record], model: type[BaseModel], names: Sequence[str]) -> None:
        self.record = record
        self.model = model
        self.names = tuple(names)

    def _table(self, value: object) -> object:
        if isinstance(value, self.record):
            return {name: getattr(value, name) for name in self.names}
        return value

    def _record(self, model: BaseModel) -> Record:
        return self.record(**model.__dict__)

    def _plain(self, value: object) -> object:
        if isinstance(value, PatientContext):
            return context_data(value)
        if isinstance(value, Record):
            return value.as_dict()
        return value

    def __get_pydantic_core_schema__(
        self, source: object, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_before_validator_function(
            self._table,
            core_schema.no_info_after_validator_function(
                self._record, handler.generate_schema(self.model)
            ),
            serialization=core_schema.plain_serializer_function_ser_schema(self._plain),
        )


def _pydantic_type(annotation: Any) -> Any:
    """`annotation` with the records' markers as pydantic constraints and records as `_AsRecord`."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        inner, *markers = typing.get_args(annotation)
        constraints = [c for m in markers if (c := constraint(m)) is not None]
        return (
            Annotated[(_pydantic_type(inner), *constraints)]
            if constraints
            else _pydantic_type(inner)
        )
    if origin in (typing.Union, types.UnionType):
        return functools.reduce(operator.or_, map(_pydantic_type, typing.get_args(annotation)))
    if origin is tuple:
        return tuple[tuple(_pydantic_type(a) for a in typing.get_args(annotation))]  # type: ignore[misc]
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return Annotated[annotation, _as_record(annotation)]
    return annotation


def _as_record(record: type[Record]) -> _AsRecord:
    """The pydantic metadata of a record: every field, or only the declared ones for the context."""
    made = _MADE.get(record)
    if made is not None:
        return made
    names = record._fields
    if record is PatientContext:
        names = tuple(f.name for f in context_fields())  # not the derived fields
    fields: dict[str, Any] = {
        name: (
            _pydantic_type(record.__annotations__[name]),
            getattr(record, name) if hasattr(record, name) else ...,
        )
        for name in names
    }
    model = create_model(
        record.__name__, __config__=ConfigDict(extra="forbid"), __doc__=record.__doc__, **fields
    )
    made = _MADE[record] = _AsRecord(record, model, names)
    return made


_MADE: dict[type[Record], _AsRecord] = {}


AS_PATIENT_CONTEXT = _as_record(PatientContext)
"""Marks a field of a pydantic model as a validated `PatientContext` (a saved case's context):
`context: Annotated[PatientContext, AS_PATIENT_CONTEXT]`."""


_ADAPTER: TypeAdapter[PatientContext] = TypeAdapter(Annotated[PatientContext, AS_PATIENT_CONTEXT])


def validate(data: Mapping[str, object]) -> PatientContext:
    """See `workbench.engine.context.validate_context`."""
    try:
        return _ADAPTER.validate_python(dict(data))
    except ValidationError as error:
        problems = error.errors(include_url=False)
        first = problems[0]
        field = str(first["loc"][0]) if first["loc"] else "context"
        raise ContextError(field, first["msg"], len(problems)) from None
