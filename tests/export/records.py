"""Export data for tests: a factory of records, and the published JSON schema's validator."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema


def load_schema_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(resources.files("bot").joinpath("data/export-v1.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
