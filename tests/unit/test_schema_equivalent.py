"""The JSON Schema of each format says what it said before the formats were declared as records
(tests/fixtures/schema: the files `workbench schema --write` wrote from the pydantic models of
`profiles/schema.py`). Only the order of keys and of unordered lists may differ; a format changed
on purpose updates the fixture in the same commit."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import FIXTURES

from workbench.cli import cmd_schema
from workbench.profiles.json_schema import schema_path, schema_text

BEFORE = FIXTURES / "schema"
UNORDERED = ("required", "enum", "anyOf")
"""Lists whose order carries no meaning in a JSON Schema."""


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: sorted((_canonical(item) for item in item_list), key=json.dumps)
            if key in UNORDERED and isinstance(item_list := value[key], list)
            else _canonical(value[key])
            for key in value
        }
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    return value


@pytest.mark.parametrize("kind", cmd_schema.KINDS)
def test_schema_says_what_it_said(kind: str) -> None:
    before = json.loads((BEFORE / f"{kind}.schema.json").read_text(encoding="utf-8"))
    assert _canonical(json.loads(schema_text(kind))) == _canonical(before)
    assert _canonical(json.loads(schema_path(kind).read_text(encoding="utf-8"))) == _canonical(
        before
    )


def test_reordering_is_all_that_is_forgiven() -> None:
    schema = {"required": ["b", "a"], "properties": {"x": {"type": "string"}, "y": {}}}
    reordered = {"properties": {"y": {}, "x": {"type": "string"}}, "required": ["a", "b"]}
    assert _canonical(schema) == _canonical(reordered)
    assert _canonical(schema) != _canonical({**schema, "required": ["a"]})
    assert _canonical({"items": [1, 2]}) != _canonical({"items": [2, 1]})
