"""The output format interface."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar, TextIO

from scanner.report import AreaResult, ScanReport


class ReportFormat(ABC):
    name: ClassVar[str]
    """The `--format` value."""

    @abstractmethod
    def write(self, report: ScanReport, stream: TextIO, color: bool) -> None:
        """Render `report` to `stream`; `color` is True only for an interactive terminal."""


def first_blocker_words(area: AreaResult) -> str:
    if not area.blockers:
        return "—"
    b = area.blockers[0]
    more = f" (+{len(area.blockers) - 1} more)" if len(area.blockers) > 1 else ""
    return f"{b.practice} [{b.status.value}]{more}"
