"""One run over many targets: collect, judge, store each repository in its own transaction.

The CLI (`maturity scan`) and the daemon share it. A run with a store records a scan row first,
then every repository result as it is judged (a crash loses at most the repository in flight),
then the counts and API usage. A checkout whose clean HEAD, configuration, model and scanner have
not changed since its last stored result is not read again: that result stands (`reused`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import scanner
from collectors.interface import Collection, CollectionFailure
from collectors.remote import detector_code_fingerprint
from scanner.config import TargetEntry, load_settings, read_config_file
from scanner.errors import ConfigError, UsageError
from scanner.evidence import utcnow
from scanner.report import ScanReport
from scanner.run_report import ProviderUsage, RunReport, TargetFailure, build_run_report
from scanner.scan import RemoteOptions, Reused, ScanOptions, build_report, collect_entries, config_attestations, prepare_model

if TYPE_CHECKING:
    from scanner.model import Model
    from scanner.store import Store

log = logging.getLogger("maturity")


def load_options(config: Path, rules: tuple[Path, ...] | list[Path] = ()) -> ScanOptions:
    """Read and validate a config file (one-line ConfigError on problems)."""
    data, text = read_config_file(config)
    return ScanOptions(settings=load_settings(config, data), config_path=config, config_text=text, rules=list(rules))


def database_url(options: ScanOptions, database: str | None) -> str | None:
    """--database, else `[scanner] database`, else `maturity.db` beside the config; None without either."""
    if database:
        return database
    if options.settings.scanner.database:
        return options.settings.scanner.database
    if options.config_path is not None:
        return f"sqlite:///{(options.config_path.resolve().parent / 'maturity.db').as_posix()}"
    return None


def open_store(options: ScanOptions, database: str | None) -> Store:
    from scanner.store import Store

    url = database_url(options, database)
    if url is None:
        raise UsageError("no database: give --database URL, or a config file ([scanner] database, or maturity.db beside it)")
    return Store.open(url, upgrade=True)


def config_hash(options: ScanOptions) -> str:
    """A hash of the settings that shape results (secrets left out, so nothing about them is stored)."""
    data = options.settings.model_dump(mode="json", exclude={"github": {"token"}, "gitlab": {"token"}, "jenkins": {"token", "user"}})
    data["rules"] = [str(p) for p in options.rules]
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _fingerprint(settings_hash: str, model: Model) -> str:
    """What, beside the repository itself, makes a result: config, model and rules, scanner and detector code."""
    parts = [settings_hash, model.id, model.definition.version, scanner.__version__, detector_code_fingerprint()]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:16]


def run(entries: list[TargetEntry], names: list[str], options: ScanOptions, prepared: tuple[Model, dict[str, float]], *,
        remote: RemoteOptions | None = None, store: Store | None = None, trigger: str = "cli", stop: threading.Event | None = None,
        on_report: Callable[[ScanReport], None] | None = None, on_failure: Callable[[TargetFailure], None] | None = None,
        usage: dict | None = None) -> RunReport:
    """Scan `entries`, store each result as it comes, and return the run document. `usage` (when given)
    receives what `scanner.scan.collect_entries` reports: API usage per provider and the like."""
    model, thresholds = prepared
    remote = remote or RemoteOptions()
    attestations = config_attestations(options)
    settings_hash = config_hash(options)
    fingerprint = _fingerprint(settings_hash, model)
    started = utcnow()
    usage = {} if usage is None else usage
    reports: list[ScanReport] = []
    failures: list[TargetFailure] = []
    reused: list[str] = []
    scan_id = None
    if store is not None:
        scan_id = store.start_scan(trigger=trigger, config_hash=settings_hash, model_id=model.id,
                                   model_version=model.definition.version, tool_version=scanner.__version__, targets=names)

        def reuse(provider: str, name: str, head: str):  # noqa: ANN202
            stored = store.latest_result(provider, name)
            return stored if stored is not None and stored.cursor == f"{head}:{fingerprint}" else None

        remote.reuse = reuse
    status, error = "completed", None
    try:
        for result in collect_entries(entries, options, remote, usage):
            if stop is not None and stop.is_set():
                status = "interrupted"
                break
            if isinstance(result, CollectionFailure):
                failure = TargetFailure(target=result.target, error=result.error)
                failures.append(failure)
                if store is not None:
                    store.save_failure(scan_id, failure.target, failure.error)
                if on_failure is not None:
                    on_failure(failure)
                continue
            if isinstance(result, Reused):
                report = result.stored.report
                reused.append(result.name)
                if store is not None:
                    store.save_result(scan_id, report, reused_from=result.stored.result_id, cursor=result.stored.cursor)
            else:
                report = build_report(model, result, thresholds, attestations)
                if store is not None:
                    _save(store, scan_id, report, result, fingerprint, reused)
                elif result.reused:
                    reused.append(report.target.name)
            reports.append(report)
            if on_report is not None:
                on_report(report)
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    except Exception as exc:
        status, error = "failed", f"{type(exc).__name__}: {exc}"
        raise
    finally:
        api = _usage(usage)
        if store is not None:
            store.finish_scan(scan_id, status, api=api, error=error)
    run_report = build_run_report(reports, failures, api, names, started, utcnow(), None, model)
    return run_report.model_copy(update={"reused": sorted(set(reused)), "scan_id": scan_id, "status": status})


def _save(store: Store, scan_id: int, report: ScanReport, collection: Collection, fingerprint: str, reused: list[str]) -> None:
    previous = None
    if collection.reused:
        stored = store.latest_result(report.target.kind, report.target.name)
        previous = stored.result_id if stored is not None else None
        reused.append(report.target.name)
    cursor = f"{collection.cursor}:{fingerprint}" if collection.cursor else None
    owners = (report.signals.get("repo") or {}).get("owners")
    store.save_result(scan_id, report, reused_from=previous, cursor=cursor, topics=collection.topics,
                      teams=list(owners) if isinstance(owners, list) and owners else None)


def _usage(usage: dict) -> list[ProviderUsage]:
    out = []
    for provider in ("github", "gitlab", "jenkins"):
        u = usage.get(provider)
        if u is not None:
            out.append(ProviderUsage(provider=provider, requests=u.requests, points=u.points if provider == "github" else None,
                                     not_modified=u.not_modified, rate_limit_remaining=min(u.remaining.values()) if u.remaining else None,
                                     rate_limit_reset=u.reset_datetime(), waited_s=round(u.waited_s, 1),
                                     cache_reused=usage.get(f"{provider}_reused", 0)))
    return out


def run_configured(options: ScanOptions, store: Store | None, *, trigger: str, stop: threading.Event | None = None,
                   progress: Callable[[str, int, int], None] | None = None) -> RunReport:
    """Every `[[targets]]` entry of the configuration (the daemon's scan)."""
    entries = list(options.settings.targets)
    if not entries:
        raise ConfigError(f"{options.config_path or 'config'}: no [[targets]] to scan")
    names = [e.path if e.kind == "local" else f"{e.kind}:{e.name or e.url}" for e in entries]
    prepared = prepare_model(options)
    remote = RemoteOptions(progress=progress)
    return run(entries, names, options, prepared, remote=remote, store=store, trigger=trigger, stop=stop)


__all__ = ["config_hash", "database_url", "load_options", "open_store", "run", "run_configured"]
