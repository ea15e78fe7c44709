"""The run document: every repository report of one run (an org scan, a config with many targets).

`RUN_SCHEMA_VERSION` follows semver like the per-repository `SCHEMA_VERSION`: a minor bump adds
optional fields, a major bump changes or removes them. The committed JSON Schema
(`schemas/scan-run.schema.json`) is generated from `RunReport` and a test keeps the two in step.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from pydantic import field_validator

import scanner
from scanner.report import ModelInfo, ScanReport, ToolInfo, _Frozen

if TYPE_CHECKING:
    from scanner.model import Model

RUN_SCHEMA_VERSION = "1.1.0"

NOT_APPLICABLE = "n/a"
"""The key under which `RunSummary.areas` counts repositories whose area does not apply."""


class TargetFailure(_Frozen):
    target: str
    """The repository or target as named (e.g. `owner/repo`, or as the user gave it)."""
    error: str
    """Why it could not be scanned, in one line."""

    @field_validator("error")
    @classmethod
    def _one_line(cls, v: str) -> str:
        return " ".join(v.split())


class ProviderUsage(_Frozen):
    provider: str
    """The API provider: `github`, `gitlab` or `jenkins`."""
    requests: int
    """HTTP requests sent."""
    points: int | None = None
    """Rate-limit points charged, where the provider counts points (GitHub GraphQL); `null` otherwise."""
    not_modified: int = 0
    """Answers `304 Not Modified` (conditional requests served from the cache)."""
    rate_limit_remaining: int | None = None
    """What the provider last said is left of the rate limit (points where it counts points, else requests)."""
    rate_limit_reset: datetime | None = None
    """When the provider said the rate limit resets (UTC)."""
    waited_s: float = 0.0
    """Seconds spent waiting for rate limits."""
    cache_reused: int = 0
    """Repositories whose cached file tree or history were reused."""


class RunSummary(_Frozen):
    repositories: int
    """Repositories scanned (the length of `reports`)."""
    failed: int
    """Targets that could not be scanned (the length of `failures`)."""
    overall: dict[str, int]
    """Level name -> repositories at that overall level; every level of the model, lowest first, zeros included."""
    areas: dict[str, dict[str, int]]
    """Area id -> level name -> repositories at that level in the area; every level of the model plus `n/a`, zeros included."""


class RunReport(_Frozen):
    """A maturity-scanner run: the reports of every target scanned in one run."""

    schema_version: str = RUN_SCHEMA_VERSION
    """Version of this document's schema (semver)."""
    kind: Literal["scan-run"] = "scan-run"
    """Always `scan-run`; tells a run document from a single-repository report."""
    tool: ToolInfo
    """The tool that produced it."""
    model: ModelInfo
    """The maturity model applied to every repository."""
    started_at: datetime
    """When the run started (UTC)."""
    finished_at: datetime
    """When the run finished (UTC)."""
    targets: list[str]
    """The targets as the user gave them (e.g. `github:acme`, a path, a config file's targets)."""
    reports: list[ScanReport]
    """One report per repository scanned, ordered by target name."""
    failures: list[TargetFailure]
    """Repositories or targets that could not be scanned, ordered by target."""
    api: list[ProviderUsage]
    """API usage per provider, ordered by provider; empty for local scans."""
    summary: RunSummary
    """Counts over `reports`."""
    reused: list[str] = []
    """Repositories whose earlier result stands because nothing had moved (clean HEAD, config, model, scanner), by name."""
    scan_id: int | None = None
    """The stored scan's id, when the run was stored."""
    status: Literal["completed", "interrupted", "failed"] = "completed"
    """`interrupted` when the run was stopped between repositories (SIGTERM, Ctrl-C)."""


def _report_order(report: ScanReport) -> tuple[str, str, str, str]:
    t = report.target
    return (t.name.casefold(), t.name, t.kind, t.url or t.path or "")


def summarize(reports: Iterable[ScanReport], failed: int, level_names: list[str], area_ids: list[str]) -> RunSummary:
    """Count repositories per overall level and per area level. `level_names` lowest first."""
    reports = list(reports)
    overall = dict.fromkeys(level_names, 0)
    areas = {a: {**dict.fromkeys(level_names, 0), NOT_APPLICABLE: 0} for a in area_ids}
    for r in reports:
        overall[r.overall.level_name] = overall.get(r.overall.level_name, 0) + 1
        for a in r.areas:
            counts = areas.setdefault(a.id, {**dict.fromkeys(level_names, 0), NOT_APPLICABLE: 0})
            key = a.level_name if a.applicable else NOT_APPLICABLE
            counts[key] = counts.get(key, 0) + 1
    return RunSummary(repositories=len(reports), failed=failed, overall=overall, areas=areas)


def build_run_report(
    reports: Iterable[ScanReport],
    failures: Iterable[TargetFailure],
    api: Iterable[ProviderUsage],
    targets: Iterable[str],
    started_at: datetime,
    finished_at: datetime,
    tool: ToolInfo | None,
    model: Model,
) -> RunReport:
    """Assemble the run document: reports ordered by target name, failures by target, usage by provider, and the summary.

    `model` is the loaded model (`scanner.scan.prepare_model(...)[0]`); its levels and areas give the summary
    its keys, so levels and areas no repository reached are counted as 0. `tool` defaults to this scanner.
    """
    info = ModelInfo(id=model.id, version=model.definition.version, name=model.definition.name)
    ordered = sorted(reports, key=_report_order)
    for r in ordered:
        if (r.model.id, r.model.version) != (info.id, info.version):
            raise ValueError(f"report of {r.target.name} used model {r.model.id} {r.model.version}, the run {info.id} {info.version}")
    failed = sorted(failures, key=lambda f: (f.target.casefold(), f.target, f.error))
    levels = [lv.name for lv in sorted(model.definition.levels, key=lambda lv: lv.number)]
    summary = summarize(ordered, len(failed), levels, [a.id for a in model.definition.areas])
    return RunReport(
        tool=tool or ToolInfo(name="maturity-scanner", version=scanner.__version__),
        model=info,
        started_at=started_at,
        finished_at=finished_at,
        targets=list(targets),
        reports=ordered,
        failures=failed,
        api=sorted(api, key=lambda u: u.provider),
        summary=summary,
    )
