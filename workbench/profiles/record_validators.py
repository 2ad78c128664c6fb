"""pydantic-core validators that build profile records directly, with no model objects in between.

Each validator is made from the pydantic model's own core schema (`schema.py` stays the one
declaration of every field, constraint and default), with every model schema swapped for a
dataclass schema of the record of the same name: the same fields, field schemas and config
(strict, unknown keys forbidden). pydantic-core then creates each record without calling its
`__init__` and sets its `__dict__` to the validated fields — every field, defaults filled in, as
`Record` requires — so a fresh validation needs no conversion afterwards. A field whose default
is a model (`default_factory=<Model>`) gets what validating an empty table gives, as the model
would. Error locations and messages are pydantic's; two error types differ from a model's:
`unexpected_keyword_argument` for an unknown key (a model says `extra_forbidden`) and
`dataclass_type` for a value that is not a table.

Imported only on a full validation (a profile cache miss, `workbench validate`).
"""

from __future__ import annotations

from functools import partial
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic_core import SchemaValidator

from workbench.profiles import records, schema
from workbench.record import Record

R = TypeVar("R", bound=Record)

UNKNOWN_KEY = "unexpected_keyword_argument"
"""The pydantic error type of a key the format does not have."""


def validate(record_type: type[R], data: object) -> R:
    """`data` validated by the model of the same name, as that record (pydantic's
    ValidationError when it is invalid)."""
    record: R = _validator(record_type).validate_python(data)
    return record


_VALIDATORS: dict[type[Record], SchemaValidator] = {}


def _validator(record_type: type[Record]) -> SchemaValidator:
    """The validator of `record_type`, built on first use."""
    validator = _VALIDATORS.get(record_type)
    if validator is None:
        model: type[BaseModel] = getattr(schema, record_type.__name__)
        validator = SchemaValidator(_record_schema(model.__pydantic_core_schema__))
        _VALIDATORS[record_type] = validator
    return validator


def _record_schema(node: Any) -> Any:
    """A copy of the core schema `node` with each model schema replaced by its record's."""
    if isinstance(node, list):
        return [_record_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    if node.get("type") == "model":
        return _dataclass_schema(node)
    copy = {key: _record_schema(value) for key, value in node.items()}
    if copy.get("type") == "default":
        factory = copy.get("default_factory")
        if isinstance(factory, type) and issubclass(factory, BaseModel):
            copy["default_factory"] = partial(validate, _record_type(factory), {})
        if isinstance(copy.get("default"), BaseModel):
            raise TypeError("a model instance as a field default: use default_factory=<Model>")
    return copy


def _dataclass_schema(model_schema: dict[str, Any]) -> dict[str, Any]:
    fields = model_schema["schema"]["fields"]
    record_type = _record_type(model_schema["cls"])
    if set(fields) != record_type._names:
        raise TypeError(f"{record_type.__name__}: model fields differ from the record's")
    dataclass_schema: dict[str, Any] = {
        "type": "dataclass",
        "cls": record_type,
        "fields": list(fields),
        "schema": {
            "type": "dataclass-args",
            "dataclass_name": record_type.__name__,
            "fields": [
                {
                    "type": "dataclass-field",
                    "name": name,
                    "schema": _record_schema(field["schema"]),
                    "kw_only": True,
                }
                for name, field in fields.items()
            ],
        },
        # The input is a table (a dict), never a record: strictness applies to the fields
        # (through the config), not to the type of the table itself.
        "strict": False,
        "slots": False,
    }
    if "config" in model_schema:
        dataclass_schema["config"] = model_schema["config"]
    if "ref" in model_schema:  # a model used in several places is defined once and referenced
        dataclass_schema["ref"] = model_schema["ref"]
    return dataclass_schema


def _record_type(model: type[BaseModel]) -> type[Record]:
    record_type: type[Record] = getattr(records, model.__name__)
    return record_type
