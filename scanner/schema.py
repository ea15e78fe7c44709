"""The JSON Schemas of the report and of the run document, generated from the pydantic models."""

from __future__ import annotations

from typing import Any

from scanner.report import SCHEMA_VERSION, ScanReport
from scanner.run_report import RUN_SCHEMA_VERSION, RunReport

SCHEMA_ID = "urn:maturity-scanner:scan-report"
RUN_SCHEMA_ID = "urn:maturity-scanner:scan-run"
_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def report_schema() -> dict[str, Any]:
    schema = ScanReport.model_json_schema(mode="serialization")
    return {"$schema": _DRAFT, "$id": SCHEMA_ID, "version": SCHEMA_VERSION, **schema}


def run_schema() -> dict[str, Any]:
    """The schema of a run document (`RunReport`); it embeds the per-repository report's definitions."""
    schema = RunReport.model_json_schema(mode="serialization")
    return {"$schema": _DRAFT, "$id": RUN_SCHEMA_ID, "version": RUN_SCHEMA_VERSION, **schema}
