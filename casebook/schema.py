"""The published JSON Schema of a case file, generated from the model (never edited by hand)."""
from __future__ import annotations

import json
from pathlib import Path

from casebook.model import Case

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "case.schema.json"


def case_schema() -> dict:
    schema = Case.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://casebook.invalid/schema/case.schema.json"
    return schema


def schema_text() -> str:
    return json.dumps(case_schema(), indent=2, sort_keys=True) + "\n"
