"""The run document (many repositories in one run): model, summary, schema and its three renderings."""

from __future__ import annotations

import io
import json
from datetime import datetime, timezone
from pathlib import Path

import jsonschema
import pytest

from scanner.formats import FORMATS
from scanner.report import ScanReport, ToolInfo
from scanner.run_report import RUN_SCHEMA_VERSION, ProviderUsage, RunReport, TargetFailure, build_run_report
from scanner.scan import ScanOptions, prepare_model, scan_path
from scanner.schema import RUN_SCHEMA_ID, report_schema, run_schema

ROOT = Path(__file__).resolve().parents[1]
RUN_SCHEMA_FILE = ROOT / "schemas" / "scan-run.schema.json"
REPORT_SCHEMA_FILE = ROOT / "schemas" / "scan-report.schema.json"
REGENERATE = 'python -c "import json; from scanner.schema import run_schema; print(json.dumps(run_schema(), indent=2))" > schemas/scan-run.schema.json'

CI = "on: [push, pull_request]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n"
STARTED = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
FINISHED = datetime(2026, 3, 1, 12, 4, 30, tzinfo=timezone.utc)


def test_committed_run_schema_matches_the_model():
    committed = json.loads(RUN_SCHEMA_FILE.read_text())
    assert committed == run_schema(), f"schemas/scan-run.schema.json drifted: run `{REGENERATE}`"
    assert committed["$id"] == RUN_SCHEMA_ID == "urn:maturity-scanner:scan-run"
    assert committed["version"] == RUN_SCHEMA_VERSION


def test_the_run_schema_embeds_the_report_schema_unchanged():
    run, report = run_schema(), report_schema()
    embedded = run["$defs"]["ScanReport"]
    top = {k: v for k, v in report.items() if k not in ("$schema", "$id", "version", "$defs")}
    assert embedded == top
    for name, definition in report["$defs"].items():
        assert run["$defs"][name] == definition, name


def _with_levels(report: ScanReport, model, overall: int, areas: dict[str, int]) -> ScanReport:
    """A copy of `report` at other levels (a local scan alone never gets past level 1: history is unknown)."""
    new_areas = [a.model_copy(update={"level": areas[a.id], "level_name": model.level_name(areas[a.id])}) if a.id in areas else a for a in report.areas]
    o = report.overall.model_copy(update={"level": overall, "level_name": model.level_name(overall), "profile": {a.id: a.level for a in new_areas}})
    return ScanReport.model_validate(report.model_copy(update={"areas": new_areas, "overall": o}).model_dump())


@pytest.fixture
def run_parts(make_repo):
    options = ScanOptions()
    prepared = prepare_model(options)
    model = prepared[0]
    zeta = make_repo({"Makefile": "test:\n\tpytest\n", ".github/workflows/ci.yml": CI}, remote="git@github.com:acme/zeta.git")
    alpha = make_repo({"main.go": "package main\n", "go.mod": "module x\n\ngo 1.22\n", ".github/workflows/broken.yml": "on: [\n"}, remote="git@github.com:acme/Alpha.git")
    svc = make_repo({
        "alembic.ini": "[alembic]\nscript_location = migrations\n",
        "migrations/versions/001_init.py": "revision = '001'\n",
        "pyproject.toml": "[project]\nname = 'svc'\ndependencies = ['sqlalchemy', 'psycopg[binary]']\n",
        ".github/workflows/ci.yml": CI,
    }, remote="git@github.com:acme/mid-svc.git")
    reports = [scan_path(str(p), options, prepared) for p in (zeta, alpha, svc)]
    reports[0] = _with_levels(reports[0], model, 2, {"build": 3, "release": 2, "culture": 2, "test": 2, "reporting": 2})
    failures = [TargetFailure(target="acme/private-thing", error="403 Forbidden:\nResource not accessible by integration")]
    api = [
        ProviderUsage(provider="gitlab", requests=12, not_modified=0, rate_limit_remaining=1988, waited_s=0.0),
        ProviderUsage(
            provider="github", requests=1234, points=1020, not_modified=310, rate_limit_remaining=4980,
            rate_limit_reset=datetime(2026, 3, 1, 13, 0, tzinfo=timezone.utc), waited_s=0.2, cache_reused=2,
        ),
    ]
    return reports, failures, api, model


@pytest.fixture
def run(run_parts) -> RunReport:
    reports, failures, api, model = run_parts
    return build_run_report(reports, failures, api, ["github:acme"], STARTED, FINISHED, ToolInfo(name="maturity-scanner", version="9.9.9"), model)


def test_build_orders_and_summarizes(run):
    assert run.kind == "scan-run" and run.schema_version == RUN_SCHEMA_VERSION
    assert [r.target.name for r in run.reports] == ["acme/Alpha", "acme/mid-svc", "acme/zeta"]
    assert [u.provider for u in run.api] == ["github", "gitlab"]
    assert run.failures[0].error == "403 Forbidden: Resource not accessible by integration"
    s = run.summary
    assert s.repositories == 3 and s.failed == 1
    assert s.overall == {"Initial": 2, "Managed": 1, "Defined": 0, "Quantitatively Managed": 0, "Optimizing": 0}
    assert list(s.areas) == ["culture", "build", "release", "data", "test", "reporting"]
    assert s.areas["build"] == {"Initial": 2, "Managed": 0, "Defined": 1, "Quantitatively Managed": 0, "Optimizing": 0, "n/a": 0}
    data_applicable = {r.target.name: next(a.applicable for a in r.areas if a.id == "data") for r in run.reports}
    assert data_applicable == {"acme/Alpha": False, "acme/mid-svc": True, "acme/zeta": False}
    assert [len(r.warnings) for r in run.reports] == [1, 0, 0] and run.reports[0].warnings[0].code == "broken-yaml"
    assert s.areas["data"]["n/a"] == 2 and sum(s.areas["data"].values()) == 3
    for counts in s.areas.values():
        assert sum(counts.values()) == 3


def test_an_empty_run_still_has_every_level_and_area():
    model = prepare_model(ScanOptions())[0]
    run = build_run_report([], [TargetFailure(target="github:nobody", error="404 Not Found")], [], ["github:nobody"], STARTED, FINISHED, None, model)
    assert run.summary.repositories == 0 and run.summary.failed == 1
    assert set(run.summary.overall.values()) == {0} and len(run.summary.overall) == 5
    assert run.tool.name == "maturity-scanner" and run.model.id == "cd-maturity"
    for name in ("table", "markdown", "json"):
        out = io.StringIO()
        FORMATS[name].write_run(run, out, color=False)
        assert "github:nobody" in out.getvalue()


def test_reports_of_another_model_are_refused(run_parts):
    reports, failures, api, model = run_parts
    odd = reports[0].model_copy(update={"model": reports[0].model.model_copy(update={"version": "0.0.1"})})
    with pytest.raises(ValueError, match="used model"):
        build_run_report([odd], [], [], [], STARTED, FINISHED, None, model)


def test_json_validates_against_the_committed_run_schema_and_each_report_against_the_report_schema(run):
    out = io.StringIO()
    FORMATS["json"].write_run(run, out, color=False)
    doc = json.loads(out.getvalue())
    jsonschema.validate(doc, json.loads(RUN_SCHEMA_FILE.read_text()))
    report_schema_doc = json.loads(REPORT_SCHEMA_FILE.read_text())
    for embedded in doc["reports"]:
        jsonschema.validate(embedded, report_schema_doc)
    assert doc["kind"] == "scan-run" and doc["targets"] == ["github:acme"]
    assert doc["summary"]["overall"]["Managed"] == 1
    assert doc["api"][0]["rate_limit_reset"] == "2026-03-01T13:00:00Z"
    assert RunReport.model_validate(doc) == run
    bad = {**doc, "kind": "scan-report"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, json.loads(RUN_SCHEMA_FILE.read_text()))


USAGE = "github: 1,234 requests, 1,020 points, 310 not modified, 4,980 points left, waited 0 s, 2 reused from cache"


@pytest.mark.parametrize("color", [False, True])
def test_table_lists_repositories_distribution_failures_and_usage(run, color):
    out = io.StringIO()
    FORMATS["table"].write_run(run, out, color=color)
    text = out.getvalue()
    if color:
        assert "\x1b[" in text
        return
    for needle in ("acme/Alpha", "acme/mid-svc", "acme/zeta", "2 Managed", "3 Defined", "n/a", "Build & Deploy", "Data Management",
                   "acme/private-thing: 403 Forbidden: Resource not accessible by integration", USAGE,
                   "gitlab: 12 requests, 0 not modified, 1,988 requests left, waited 0 s", "2026-03-01T12:00:00+00:00", "3 repositories, 1 failed"):
        assert needle in text, needle
    assert text.index("acme/Alpha") < text.index("acme/mid-svc") < text.index("acme/zeta")
    assert "13:00" not in text  # no times but started/finished: the rendering is deterministic
    again = io.StringIO()
    FORMATS["table"].write_run(run, again, color=False)
    assert again.getvalue() == text


@pytest.mark.parametrize(("width", "mode"), [(160, "full"), (100, "compact"), (80, "compact"), (60, "lines"), (30, "lines")])
def test_table_fits_a_narrow_terminal_without_losing_anything(run, width, mode, monkeypatch):
    from rich.console import Console

    import scanner.formats.table as table_mod

    monkeypatch.setattr(table_mod, "_console", lambda stream, color: Console(file=stream, width=width, force_terminal=False, no_color=True, highlight=False))
    out = io.StringIO()
    FORMATS["table"].write_run(run, out, color=False)
    text = out.getvalue()
    assert max(len(line) for line in text.splitlines()) <= width
    for name in ("acme/Alpha", "acme/mid-svc", "acme/zeta", "acme/private-thing"):
        assert name in text, name
    flat = " ".join(text.split())
    assert "github: 1,234 requests, 1,020 points" in flat and "gitlab: 12 requests" in flat
    if mode == "full":
        assert "Information & Reporting" in text and "3 Defined" in text and "levels:" not in text
    elif mode == "compact":
        assert "levels: 1 Initial · 2 Managed · 3 Defined" in flat and "Repository" in text and "reporting" in text
        zeta = next(line for line in text.splitlines() if line.startswith("acme/zeta"))
        assert zeta.split()[1:] == ["2", "2", "3", "2", "n/a", "2", "2", "0"]
    else:
        assert "acme/zeta: overall 2 · culture 2 · build 3 · release 2 · data n/a · test 2 · reporting 2 · 0 warnings" in flat


def test_markdown_has_the_same_content_as_tables(run):
    out = io.StringIO()
    FORMATS["markdown"].write_run(run, out, color=False)
    text = out.getvalue()
    assert text.startswith("# CD maturity scan run\n")
    assert "| Repository | Overall | Culture & Organization | Build & Deploy | Release | Data Management | Test & Verification | Information & Reporting | Warnings |" in text
    assert "| acme/zeta | 2 Managed | 2 Managed | 3 Defined | 2 Managed | n/a | 2 Managed | 2 Managed |" in text
    assert "| acme/mid-svc | 1 Initial | 1 Initial | 1 Initial | 1 Initial | 2 Managed | 1 Initial | 1 Initial | 0 |" in text
    assert "| acme/Alpha | 1 Initial |" in text and "| n/a | 1 Initial | 1 Initial | 1 |" in text
    assert "| Area | Initial | Managed | Defined | Quantitatively Managed | Optimizing | n/a |" in text
    assert "| **Overall** | 2 | 1 | 0 | 0 | 0 | — |" in text
    assert "| Build & Deploy | 2 | 0 | 1 | 0 | 0 | 0 |" in text
    assert "| acme/private-thing | 403 Forbidden: Resource not accessible by integration |" in text
    assert f"- {USAGE}\n" in text
    assert text.index("acme/Alpha") < text.index("acme/mid-svc") < text.index("acme/zeta")
