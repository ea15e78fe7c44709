"""The terminal view: the matrix with one line per area (level, ceiling, first blocker); for a run, one row per repository."""

from __future__ import annotations

from typing import TextIO

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from scanner.formats.interface import (
    ReportFormat,
    area_columns,
    area_level_words,
    blocker_hint,
    distribution_columns,
    run_heading,
    usage_words,
)
from scanner.report import ScanReport, Status
from scanner.run_report import NOT_APPLICABLE, RunReport

_STATUS_STYLE = {Status.NOT_MET: "red", Status.UNKNOWN: "yellow"}


def _console(stream: TextIO, color: bool) -> Console:
    return Console(file=stream, force_terminal=color, no_color=not color, width=None if color else 160, highlight=False, soft_wrap=not color)


class TableFormat(ReportFormat):
    name = "table"

    def write(self, report: ScanReport, stream: TextIO, color: bool) -> None:
        console = _console(stream, color)
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

    def write_run(self, run: RunReport, stream: TextIO, color: bool) -> None:
        console = _console(stream, color)
        console.print(Text(f"CD maturity scan run: {run_heading(run)}", style="bold"), overflow="fold")
        console.print(f"started {run.started_at.isoformat()} · finished {run.finished_at.isoformat()}", overflow="fold")
        areas = area_columns(run)
        levels = distribution_columns(run)
        # Full words when they fit; on a narrow terminal area ids and level numbers with a legend; on a very
        # narrow one, one line per repository instead of the repositories table.
        unbounded = console.options.update_width(10_000)
        tables = _run_tables(run, areas, levels, compact=False)
        if any(Measurement.get(console, unbounded, t).maximum > console.width for t in tables):
            tables = _run_tables(run, areas, levels, compact=True)
            legend = " · ".join(f"{i} {name}" for i, name in enumerate(levels[:-1], start=1))
            console.print(f"levels: {legend}", overflow="fold")
        if not run.reports:
            console.print("no repositories scanned")
        elif Measurement.get(console, unbounded, _run_tables(run, areas, levels, compact=True, name_cap=12)[0]).minimum > console.width:
            tables.pop(0)
            for r in run.reports:
                cells = " · ".join(f"{area_id} {area_level_words(r, area_id).split(' ', 1)[0]}" for area_id, _ in areas)
                console.print(Text(f"{r.target.name}: overall {r.overall.level} · {cells} · {len(r.warnings)} warnings"), overflow="fold")
        for table in tables:
            console.print(table)
        if run.failures:
            console.print(Text(f"{len(run.failures)} failed:", style="bold red"))
            for f in run.failures:
                console.print(Text(f"{f.target}: {f.error}", style="red"), overflow="fold")
        if run.api:
            console.print(Text("API usage:", style="bold"))
            for u in run.api:
                console.print(Text(usage_words(u)), overflow="fold")


def _run_tables(run: RunReport, areas: list[tuple[str, str]], levels: list[str], compact: bool, name_cap: int | None = None) -> list[Table]:
    """The repositories table (when there are any) and the distribution table; `name_cap` cuts names (to measure)."""
    number = {name: str(i) for i, name in enumerate(levels[:-1], start=1)}
    tables = []
    if run.reports:
        table = Table(title="Repositories", expand=False, box=box.SIMPLE_HEAD if compact else box.HEAVY_HEAD, pad_edge=not compact, show_edge=not compact, collapse_padding=compact)
        table.add_column("Repository", overflow="fold")
        table.add_column("Overall", overflow="fold")
        for area_id, area_name in areas:
            table.add_column(area_id if compact else area_name, overflow="fold", min_width=3 if compact else None)
        table.add_column("Warn" if compact else "Warnings", justify="right", overflow="fold", min_width=3 if compact else None)
        for r in run.reports:
            o = r.overall
            cells = [area_level_words(r, area_id) for area_id, _ in areas]
            if compact:
                cells = [c.split(" ", 1)[0] for c in cells]
            overall = str(o.level) if compact else f"{o.level} {o.level_name}"
            table.add_row(Text(r.target.name[:name_cap]), overall, *cells, str(len(r.warnings)))
        tables.append(table)
    dist = Table(title="Distribution (repositories per level)", expand=False)
    dist.add_column("Area", overflow="fold")
    for name in levels:
        dist.add_column(number.get(name, name) if compact else name, justify="right", overflow="fold")
    dist.add_row("Overall", *(str(run.summary.overall.get(n, 0)) if n != NOT_APPLICABLE else "—" for n in levels))
    for area_id, area_name in areas:
        counts = run.summary.areas[area_id]
        dist.add_row(area_id if compact else area_name, *(str(counts.get(n, 0)) for n in levels))
    tables.append(dist)
    return tables
