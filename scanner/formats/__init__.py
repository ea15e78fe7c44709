"""Output formats: each renders the one `ScanReport` model."""

from scanner.formats.interface import ReportFormat
from scanner.formats.json_format import JsonFormat
from scanner.formats.markdown import MarkdownFormat
from scanner.formats.table import TableFormat

FORMATS: dict[str, ReportFormat] = {f.name: f for f in (TableFormat(), JsonFormat(), MarkdownFormat())}

__all__ = ["FORMATS", "ReportFormat"]
