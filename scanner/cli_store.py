"""The commands that read or run the history store: `db upgrade`, `history`, `diff`, `org`, `daemon`."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from scanner.errors import UsageError

ConfigOpt = Annotated[Optional[Path], typer.Option("--config", "-c", help="Configuration file (TOML); maturity.db beside it is the default store.")]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table | json")]
DatabaseOpt = Annotated[Optional[str], typer.Option("--database", help="SQLAlchemy URL of the store (sqlite:///maturity.db, postgresql+psycopg://…).")]


@contextmanager
def _store(config: Optional[Path], database: Optional[str], upgrade: bool = False):
    from scanner.runner import database_url, load_options
    from scanner.scan import ScanOptions
    from scanner.store import Store

    options = load_options(config) if config is not None else ScanOptions()
    url = database_url(options, database) or "sqlite:///maturity.db"
    if not upgrade and url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        raise UsageError(f"no store at {url}: run `maturity scan --config FILE` (or `maturity db upgrade`) first")
    store = Store.open(url, upgrade=upgrade)
    try:
        yield store, options
    finally:
        store.close()


def _check_format(format: str) -> None:
    if format not in ("table", "json"):
        raise UsageError(f"--format: unknown format {format!r} (use table or json)")


def _console() -> Console:
    # piped output keeps one row per line (no wrapping at 80 columns)
    return Console(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 240)


def _when(value: datetime | None) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M") if value else "—"


def _level(value: int | None) -> str:
    return "n/a" if value is None else str(value)


def db_upgrade(config: ConfigOpt = None, database: DatabaseOpt = None) -> None:
    """Create or upgrade the store's schema to this version (Alembic migrations shipped in the package)."""
    with _store(config, database, upgrade=True) as (store, _):
        print(f"{store.url_display}: at revision {store.current_revision()}")


def history(
    repo: Annotated[Optional[str], typer.Argument(help="owner/name of one repository (default: all).")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Only scans from this date (YYYY-MM-DD) on.")] = None,
    format: FormatOpt = "table",
    config: ConfigOpt = None,
    database: DatabaseOpt = None,
) -> None:
    """List stored scans of repositories, with their levels."""
    _check_format(format)
    start = None
    if since is not None:
        try:
            start = datetime.combine(date.fromisoformat(since), datetime.min.time(), tzinfo=timezone.utc)
        except ValueError:
            raise UsageError(f"--since: not a date (YYYY-MM-DD): {since!r}") from None
    with _store(config, database) as (store, _):
        rows = store.history(repo=repo, since=start)
    if format == "json":
        print(json.dumps([{"scan_id": r.scan_id, "result_id": r.result_id, "scanned_at": r.scanned_at.isoformat(), "provider": r.provider,
                           "name": r.name, "commit": r.commit, "overall_level": r.overall_level, "overall_ceiling": r.overall_ceiling,
                           "area_levels": r.area_levels} for r in rows], indent=2))
        return
    if not rows:
        print("no stored scans" + (f" of {repo}" if repo else ""))
        return
    areas = sorted({a for r in rows for a in r.area_levels})
    table = Table("scan", "scanned at", "repository", "commit", "overall", *areas, box=None, pad_edge=False)
    for r in rows:
        table.add_row(str(r.scan_id), _when(r.scanned_at), f"{r.provider}:{r.name}", (r.commit or "")[:10], str(r.overall_level),
                      *(_level(r.area_levels.get(a)) for a in areas))
    _console().print(table)


def diff(
    scan_a: Annotated[int, typer.Argument(help="The earlier scan id (see `maturity history`).")],
    scan_b: Annotated[int, typer.Argument(help="The later scan id.")],
    format: FormatOpt = "table",
    config: ConfigOpt = None,
    database: DatabaseOpt = None,
) -> None:
    """Show the practices and levels that changed between two scans, with the evidence that changed."""
    _check_format(format)
    with _store(config, database) as (store, _):
        for scan_id in (scan_a, scan_b):
            if store.scan(scan_id) is None:
                raise UsageError(f"no scan {scan_id} in {store.url_display}")
        result = store.diff(scan_a, scan_b)
    changed = [c for c in result.changes if c.status != "unchanged"]
    if format == "json":
        print(json.dumps({"scan_a": scan_a, "scan_b": scan_b, "changes": [{
            "provider": c.provider, "name": c.name, "status": c.status, "overall": list(c.overall),
            "areas": {a: list(v) for a, v in c.areas.items()}, "practices": [list(p) for p in c.practices],
            "evidence_added": [list(e) for e in c.evidence_added], "evidence_removed": [list(e) for e in c.evidence_removed]}
            for c in changed]}, indent=2, default=str))
        return
    out = _console()
    if not changed:
        out.print(f"nothing changed between scan {scan_a} and scan {scan_b}")
        return
    for c in changed:
        before, after = c.overall
        out.print(f"[bold]{c.provider}:{c.name}[/bold] {c.status}: overall {_level(before)} → {_level(after)}")
        for area, (b, a) in sorted(c.areas.items()):
            out.print(f"  {area}: {_level(b)} → {_level(a)}", markup=False)
        for practice, b, a in c.practices:
            out.print(f"  practice {practice}: {b} → {a}", markup=False)
        for key, value, locator in c.evidence_added:
            out.print(f"  + {key} = {json.dumps(value)} at {locator}", markup=False)
        for key, value, locator in c.evidence_removed:
            out.print(f"  - {key} = {json.dumps(value)} at {locator}", markup=False)


def org(
    group_by: Annotated[Optional[str], typer.Option("--group-by", help="owner | team | topic")] = None,
    format: FormatOpt = "table",
    config: ConfigOpt = None,
    database: DatabaseOpt = None,
) -> None:
    """Where the organisation stands: repositories per level in each area (the matrix's cells) and the median profile."""
    from scanner.orgview import org_view
    from scanner.scan import prepare_model

    if group_by not in (None, "owner", "team", "topic"):
        raise UsageError(f"--group-by: unknown grouping {group_by!r} (use owner, team or topic)")
    _check_format(format)
    with _store(config, database) as (store, options):
        results = store.latest_results()
    model, _ = prepare_model(options)
    areas = [a.id for a in model.definition.areas]
    levels = sorted(lv.number for lv in model.definition.levels)
    views = org_view(results, areas, levels, group_by)  # type: ignore[arg-type]
    if format == "json":
        print(json.dumps([{"group": v.group, "repositories": v.repositories, "cells": v.cells, "profile": v.profile} for v in views], indent=2))
        return
    out = _console()
    if not views:
        out.print("no stored results: run `maturity scan --config FILE` first")
        return
    for v in views:
        table = Table("area", *(str(n) for n in levels), "n/a", "median", title=f"{v.group}: {len(v.repositories)} repositories",
                      box=None, pad_edge=False, title_justify="left")
        for area in [*areas, "overall"]:
            cells = v.cells[area]
            median = v.profile[area]
            table.add_row(area, *(str(cells.get(str(n), 0)) for n in levels), str(cells.get("n/a", "—")) if area != "overall" else "—",
                          "—" if median is None else f"{median:g}")
        out.print(table)


def daemon(config: Annotated[Path, typer.Option("--config", "-c", help="Configuration file (TOML).")],
           database: DatabaseOpt = None) -> None:
    """Scan the configured targets on a schedule, keep every result, and serve them over HTTP."""
    from scanner.daemon import run_daemon

    code = run_daemon(config, database)
    if code:
        raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    db_app = typer.Typer(no_args_is_help=True, help="Manage the history store.")
    db_app.command("upgrade")(db_upgrade)
    app.add_typer(db_app, name="db")
    app.command()(history)
    app.command()(diff)
    app.command()(org)
    app.command()(daemon)

