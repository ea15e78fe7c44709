"""The output format interface."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar, TextIO

from scanner.report import AreaResult, Blocker, ScanReport, Status


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


def blocker_hint(report: ScanReport, blocker: Blocker) -> tuple[str, str | None]:
    """(what to do or why it is unknown, the first evidence line a person can check)."""
    if blocker.status == Status.UNKNOWN:
        hint = blocker.reason
    else:
        hint = blocker.remediation or blocker.reason
    evidence = {e.id: e for e in report.evidence}
    cited = [evidence[i] for i in blocker.evidence if i in evidence]
    located = next((e for e in cited if e.locator != "."), None)
    if located is not None:
        return hint, f"{located.locator}: {located.observed}"
    if cited:
        return hint, cited[0].observed
    return hint, None
