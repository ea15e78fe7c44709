"""The JSON report: the `ScanReport` model, validated by `schemas/scan-report.schema.json`; a run: `RunReport`, `schemas/scan-run.schema.json`."""

from __future__ import annotations

from typing import TextIO

from scanner.formats.interface import ReportFormat
from scanner.report import ScanReport
from scanner.run_report import RunReport


class JsonFormat(ReportFormat):
    name = "json"

    def write(self, report: ScanReport, stream: TextIO, color: bool) -> None:
        stream.write(report.model_dump_json(indent=2))
        stream.write("\n")

    def write_run(self, run: RunReport, stream: TextIO, color: bool) -> None:
        stream.write(run.model_dump_json(indent=2))
        stream.write("\n")
