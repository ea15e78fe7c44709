"""Prometheus text exposition (format 0.0.4) of the daemon's state: the latest stored result of every
repository and the last scan the daemon ran.

Only the standard library is used; the format is simple enough:
https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scanner.run_report import RunReport

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def escape_label(value: object) -> str:
    """A label value escaped for the text format: backslash, double quote and line feed."""
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _escape_help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def format_value(value: float | int | None) -> str:
    if value is None:
        return "NaN"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return repr(float(value))


@dataclass
class Metric:
    name: str
    help: str
    type: str = "gauge"
    samples: list[tuple[dict[str, str], float | int | None]] = field(default_factory=list)

    def add(self, value: float | int | None, **labels: Any) -> None:
        self.samples.append(({k: str(v) for k, v in labels.items()}, value))

    def render(self) -> list[str]:
        lines = [f"# HELP {self.name} {_escape_help(self.help)}", f"# TYPE {self.name} {self.type}"]
        for labels, value in self.samples:
            if labels:
                inner = ",".join(f'{k}="{escape_label(v)}"' for k, v in labels.items())
                lines.append(f"{self.name}{{{inner}}} {format_value(value)}")
            else:
                lines.append(f"{self.name} {format_value(value)}")
        return lines


def render(metrics: Iterable[Metric]) -> str:
    out: list[str] = []
    for m in metrics:
        out.extend(m.render())
    return "\n".join(out) + "\n"


def _level(value: Any) -> float | int | None:
    """An area level as stored (an int, or a mapping with a `level`), as a number."""
    if isinstance(value, Mapping):
        value = value.get("level")
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return value
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def build_metrics(
    results: Iterable[Any],
    last_run: RunReport | None = None,
    *,
    last_duration_s: float | None = None,
    last_errors: int | None = None,
    scans_total: int = 0,
    scanning: bool | None = None,
) -> list[Metric]:
    """The metrics of the latest stored results (`scanner.store.StoredResult`) and of the last run.

    `last_duration_s` / `last_errors` default to what `last_run` says (its duration, its failures); pass them
    when the last scan raised and left no run report. `scans_total` counts the scans since the daemon started.
    """
    repo_level = Metric("maturity_repository_level", "Overall maturity level of a repository (latest stored result).")
    area_level = Metric("maturity_area_level", "Maturity level of one area of a repository (latest stored result); "
                                               "an area that does not apply (no datastore) has no sample.")
    evidence = Metric("maturity_evidence_records", "Evidence records behind a repository's latest stored result.")
    for r in sorted(results, key=lambda r: (str(r.provider), str(r.name))):
        labels = {"provider": r.provider, "repository": r.name}
        repo_level.add(_level(r.overall_level), **labels)
        report = getattr(r, "report", None)
        not_applicable = {a.id for a in getattr(report, "areas", []) if not a.applicable}
        for area, value in sorted((r.area_levels or {}).items()):
            if area not in not_applicable:
                area_level.add(_level(value), area=area, **labels)
        if report is not None:
            evidence.add(len(report.evidence), **labels)

    if last_run is not None:
        if last_duration_s is None:
            last_duration_s = max(0.0, (last_run.finished_at - last_run.started_at).total_seconds())
        if last_errors is None:
            last_errors = len(last_run.failures)
    duration = Metric("maturity_scan_duration_seconds", "Duration of the daemon's last scan, in seconds.")
    errors = Metric("maturity_scan_errors", "Repositories or targets the daemon's last scan could not scan (1 when the scan itself failed).")
    if last_duration_s is not None:
        duration.add(float(last_duration_s))
    if last_errors is not None:
        errors.add(int(last_errors))
    total = Metric("maturity_scans_total", "Scans the daemon ran since it started.", "counter")
    total.add(int(scans_total))
    requests = Metric("maturity_api_requests", "API requests the daemon's last scan sent, per provider.")
    remaining = Metric("maturity_api_rate_limit_remaining", "What the provider last said is left of its rate limit, per provider.")
    if last_run is not None:
        for usage in last_run.api:
            requests.add(usage.requests, provider=usage.provider)
            if usage.rate_limit_remaining is not None:
                remaining.add(usage.rate_limit_remaining, provider=usage.provider)
    out = [repo_level, area_level, evidence, duration, errors, total, requests, remaining]
    if scanning is not None:
        running = Metric("maturity_scan_running", "1 while the daemon is scanning.")
        running.add(bool(scanning))
        out.append(running)
    return out


def render_metrics(results: Iterable[Any], last_run: RunReport | None = None, **kwargs: Any) -> str:
    """The exposition text of `build_metrics(...)`."""
    return render(build_metrics(results, last_run, **kwargs))
