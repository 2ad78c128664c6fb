"""JSON Schema of the three file formats, built from the records' declarations."""

from __future__ import annotations

import json
from pathlib import Path

from workbench.profiles.records import CriteriaFile, PresetsFile, Profile
from workbench.record import Record
from workbench.record_validation import json_schema

_RECORDS: dict[str, type[Record]] = {
    "profile": Profile,
    "criteria": CriteriaFile,
    "presets": PresetsFile,
}


def schema_text(kind: str) -> str:
    """The JSON Schema of one format as stable, indented JSON ending with a newline."""
    return json.dumps(json_schema(_RECORDS[kind]), indent=2, ensure_ascii=False) + "\n"


def schema_path(kind: str) -> Path:
    """The checked-in copy of one format's schema inside the package."""
    return Path(__file__).resolve().parents[1] / "data" / f"{kind}.schema.json"
