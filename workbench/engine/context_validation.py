"""Validation of patient-context values from outside, built from the records' declarations.

Imported only when a value from outside is checked (a CLI option, a case file, an entry of the
case panel), never at start-up. The check is made on first use from the declarations in
`workbench.engine.context` (annotation, default and the `Bounds` / `Matches` markers) by
`workbench.record_validation`, the same mechanism as the profile formats', in lax mode (a value
typed by a person may be "12" for 12): a field is declared once, there.

A validated value is the record itself (`PatientContext`, `PreviousDmt`); a record given as input
is checked like its fields given as a table. Only the declared fields are taken from outside; the
derived ones keep their defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from pydantic import ConfigDict, TypeAdapter, ValidationError

from workbench.engine.context import ContextError, PatientContext, context_fields
from workbench.record_validation import UNKNOWN_KEY, AsRecord

AS_PATIENT_CONTEXT = AsRecord("lax", only=[field.name for field in context_fields()])
"""Marks a field of a pydantic model as a validated `PatientContext` (a saved case's context):
`context: Annotated[PatientContext, AS_PATIENT_CONTEXT]`."""

UNKNOWN_KEY_MESSAGE = "Extra inputs are not permitted"
"""What a key the context does not have is told (pydantic's words for one)."""

_ADAPTER: TypeAdapter[PatientContext] = TypeAdapter(
    Annotated[PatientContext, AS_PATIENT_CONTEXT], config=ConfigDict(extra="forbid")
)


def validate_context(data: Mapping[str, object]) -> PatientContext:
    """A context from values given from outside (field name → value; records or plain data, as
    from `context_data`), checked against the declarations: types, bounds, known fields. Missing
    fields are unknown (their defaults). Raises `ContextError` for the first problem."""
    try:
        return _ADAPTER.validate_python(dict(data))
    except ValidationError as error:
        problems = error.errors(include_url=False)
        first = problems[0]
        field = str(first["loc"][0]) if first["loc"] else "context"
        message = UNKNOWN_KEY_MESSAGE if first["type"] == UNKNOWN_KEY else first["msg"]
        raise ContextError(field, message, len(problems)) from None
