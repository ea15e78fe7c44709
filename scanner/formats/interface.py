"""The output format interface."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar, TextIO

from scanner.report import AreaResult, Blocker, ScanReport, Status
from scanner.run_report import NOT_APPLICABLE, ProviderUsage, RunReport


class ReportFormat(ABC):
    name: ClassVar[str]
    """The `--format` value."""

    @abstractmethod
    def write(self, report: ScanReport, stream: TextIO, color: bool) -> None:
        """Render `report` to `stream`; `color` is True only for an interactive terminal."""

    @abstractmethod
    def write_run(self, run: RunReport, stream: TextIO, color: bool) -> None:
        """Render a run document (many repositories) to `stream`; `color` is True only for an interactive terminal."""


def area_columns(run: RunReport) -> list[tuple[str, str]]:
    """(area id, display name) for every area of the run, in the model's order."""
    names = {a.id: a.name for r in run.reports for a in r.areas}
    return [(area_id, names.get(area_id, area_id)) for area_id in run.summary.areas]


def area_level_words(report: ScanReport, area_id: str) -> str:
    """`3 Defined`, `n/a` when the area does not apply, `—` when the report has no such area."""
    area = next((a for a in report.areas if a.id == area_id), None)
    if area is None:
        return "—"
    return f"{area.level} {area.level_name}" if area.applicable else NOT_APPLICABLE


def distribution_columns(run: RunReport) -> list[str]:
    """The level names of the summary, lowest first, then `n/a`."""
    columns = list(run.summary.overall)
    for counts in run.summary.areas.values():
        columns += [k for k in counts if k not in columns and k != NOT_APPLICABLE]
    return [*columns, NOT_APPLICABLE]


def usage_words(u: ProviderUsage) -> str:
    """`github: 1,234 requests, 1,020 points, 310 not modified, 4,980 points left, waited 0 s` (no times: deterministic)."""
    parts = [f"{u.requests:,} requests"]
    if u.points is not None:
        parts.append(f"{u.points:,} points")
    parts.append(f"{u.not_modified:,} not modified")
    if u.rate_limit_remaining is not None:
        parts.append(f"{u.rate_limit_remaining:,} {'points' if u.points is not None else 'requests'} left")
    parts.append(f"waited {round(u.waited_s):,} s")
    if u.cache_reused:
        parts.append(f"{u.cache_reused:,} reused from cache")
    return f"{u.provider}: " + ", ".join(parts)


def run_heading(run: RunReport) -> str:
    """`3 repositories, 1 failed · model cd-maturity 1.0.0 · maturity-scanner 0.1.0`."""
    s = run.summary
    repos = f"{s.repositories} repositor{'y' if s.repositories == 1 else 'ies'}"
    return f"{repos}, {s.failed} failed · model {run.model.id} {run.model.version} · {run.tool.name} {run.tool.version}"


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
