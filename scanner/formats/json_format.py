"""The JSON report: the `ScanReport` model, validated by `schemas/scan-report.schema.json`."""

from __future__ import annotations

from typing import TextIO

from scanner.formats.interface import ReportFormat
from scanner.report import ScanReport


class JsonFormat(ReportFormat):
    name = "json"

    def write(self, report: ScanReport, stream: TextIO, color: bool) -> None:
        stream.write(report.model_dump_json(indent=2))
        stream.write("\n")
