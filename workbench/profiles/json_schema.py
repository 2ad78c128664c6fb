"""JSON Schema of the three file formats, as generated from the pydantic models."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from workbench.profiles.schema import CriteriaFile, PresetsFile, Profile

_MODELS: dict[str, type[BaseModel]] = {
    "profile": Profile,
    "criteria": CriteriaFile,
    "presets": PresetsFile,
}


def schema_text(kind: str) -> str:
    """The JSON Schema of one format as stable, indented JSON ending with a newline."""
    schema = _MODELS[kind].model_json_schema(mode="validation")
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def schema_path(kind: str) -> Path:
    """The checked-in copy of one format's schema inside the package."""
    return Path(__file__).resolve().parents[1] / "data" / f"{kind}.schema.json"
