"""A Markdown summary, for pull-request comments and wikis (one repository, or a whole run)."""

from __future__ import annotations

from typing import TextIO

from scanner.formats.interface import (
    ReportFormat,
    area_columns,
    area_level_words,
    blocker_hint,
    distribution_columns,
    first_blocker_words,
    run_heading,
    usage_words,
)
from scanner.report import ScanReport, Status
from scanner.run_report import NOT_APPLICABLE, RunReport


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


class MarkdownFormat(ReportFormat):
    name = "markdown"

    def write(self, report: ScanReport, stream: TextIO, color: bool) -> None:
        o = report.overall
        w = stream.write
        w(f"# CD maturity of {report.target.name}\n\n")
        w(f"Overall: **{o.level} {o.level_name}** (ceiling {o.ceiling}), model `{report.model.id}` {report.model.version}, scanned {report.scanned_at.isoformat()}.\n\n")
        w("| Area | Level | Ceiling | First blocker |\n|---|---|---|---|\n")
        for a in report.areas:
            level = f"{a.level} {a.level_name}" if a.applicable else "n/a"
            w(f"| {_cell(a.name)} | {level} | {a.ceiling} | {_cell(first_blocker_words(a))} |\n")
        blockers = [(a, b) for a in report.areas for b in a.blockers]
        if blockers:
            w("\n## Next steps\n\n")
            for a, b in blockers:
                hint, seen = blocker_hint(report, b)
                w(f"- **{a.name} → level {a.level + 1}**: `{b.practice}` is {b.status.value}. {_cell(hint)}")
                w((f" Seen: `{_cell(seen)}`" if seen else "") + "\n")
        w("\n## Practices\n\n| Practice | Kind | Status | Reason |\n|---|---|---|---|\n")
        for p in report.practices:
            mark = {Status.MET: "✅", Status.ATTESTED: "🖊️", Status.NOT_MET: "❌", Status.UNKNOWN: "❔", Status.NOT_APPLICABLE: "➖"}[p.status]
            w(f"| `{p.id}` {_cell(p.words)} | {p.kind} | {mark} {p.status.value} | {_cell(p.reason)} |\n")
        if report.warnings:
            w("\n## Warnings\n\n")
            for warning in report.warnings:
                where = f" (`{warning.locator}`)" if warning.locator else ""
                w(f"- {warning.code}: {_cell(warning.message)}{where}\n")

    def write_run(self, run: RunReport, stream: TextIO, color: bool) -> None:
        w = stream.write
        w("# CD maturity scan run\n\n")
        w(f"{_cell(run_heading(run))}. Started {run.started_at.isoformat()}, finished {run.finished_at.isoformat()}.\n\n")
        areas = area_columns(run)
        w("## Repositories\n\n")
        if run.reports:
            w("| Repository | Overall | " + " | ".join(_cell(name) for _, name in areas) + " | Warnings |\n")
            w("|---|---|" + "---|" * len(areas) + "---:|\n")
            for r in run.reports:
                o = r.overall
                cells = " | ".join(_cell(area_level_words(r, area_id)) for area_id, _ in areas)
                w(f"| {_cell(r.target.name)} | {o.level} {_cell(o.level_name)} | {cells} | {len(r.warnings)} |\n")
        else:
            w("No repositories scanned.\n")
        levels = distribution_columns(run)
        w("\n## Distribution\n\nRepositories per level.\n\n")
        w("| Area | " + " | ".join(_cell(n) for n in levels) + " |\n")
        w("|---|" + "---:|" * len(levels) + "\n")
        w("| **Overall** | " + " | ".join(str(run.summary.overall.get(n, 0)) if n != NOT_APPLICABLE else "—" for n in levels) + " |\n")
        for area_id, area_name in areas:
            counts = run.summary.areas[area_id]
            w(f"| {_cell(area_name)} | " + " | ".join(str(counts.get(n, 0)) for n in levels) + " |\n")
        if run.failures:
            w("\n## Failures\n\n| Target | Error |\n|---|---|\n")
            for f in run.failures:
                w(f"| {_cell(f.target)} | {_cell(f.error)} |\n")
        if run.api:
            w("\n## API usage\n\n")
            for u in run.api:
                w(f"- {_cell(usage_words(u))}\n")
