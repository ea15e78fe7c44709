"""The terminal view: the matrix with one line per area (level, ceiling, first blocker)."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from scanner.formats.interface import ReportFormat, blocker_hint
from scanner.report import ScanReport, Status

_STATUS_STYLE = {Status.NOT_MET: "red", Status.UNKNOWN: "yellow"}


class TableFormat(ReportFormat):
    name = "table"

    def write(self, report: ScanReport, stream: TextIO, color: bool) -> None:
        console = Console(file=stream, force_terminal=color, no_color=not color, width=None if color else 160, highlight=False, soft_wrap=not color)
        o = report.overall
        target = report.target.name + (f" @ {report.target.commit[:12]}" if report.target.commit else "")
        table = Table(title=f"CD maturity: {target}", caption=f"overall {o.level} {o.level_name} (ceiling {o.ceiling}) · model {report.model.id} {report.model.version}", expand=False)
        table.add_column("Area", no_wrap=True)
        table.add_column("Level", no_wrap=True)
        table.add_column("Ceiling", justify="right")
        table.add_column("First blocker (next level)")
        for area in report.areas:
            level = f"{area.level} {area.level_name}" if area.applicable else "n/a"
            if area.blockers:
                b = area.blockers[0]
                more = f" (+{len(area.blockers) - 1} more)" if len(area.blockers) > 1 else ""
                style = _STATUS_STYLE.get(b.status, "")
                hint, seen = blocker_hint(report, b)
                blocker = f"[{style}]{escape(b.practice)}[/] {b.status.value}{more}\n  {escape(hint)}"
                if seen:
                    blocker += f"\n  [dim]seen: {escape(seen)}[/]"
            else:
                blocker = "—" if area.applicable else "does not apply: " + next((p.reason for p in report.practices if p.area == area.id), "")
            table.add_row(area.name, level, str(area.ceiling), blocker)
        console.print(table)
        counts: dict[str, int] = {}
        for p in report.practices:
            counts[p.status.value] = counts.get(p.status.value, 0) + 1
        console.print(
            f"{len(report.evidence)} evidence records · practices: "
            + ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
            + f" · {len(report.warnings)} warnings (see --format json or markdown)"
        )
