"""The JSON Schema of the report, generated from the pydantic model."""

from __future__ import annotations

from typing import Any

from scanner.report import SCHEMA_VERSION, ScanReport

SCHEMA_ID = "urn:maturity-scanner:scan-report"


def report_schema() -> dict[str, Any]:
    schema = ScanReport.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, "version": SCHEMA_VERSION, **schema}
