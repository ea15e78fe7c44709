"""A Markdown summary, for pull-request comments and wikis."""

from __future__ import annotations

from typing import TextIO

from scanner.formats.interface import ReportFormat, blocker_hint, first_blocker_words
from scanner.report import ScanReport, Status


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
