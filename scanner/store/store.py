"""The history store: scans, per-repository results and their evidence, in SQLite (default) or PostgreSQL.

Every method is one short transaction. Errors are `StoreError`s with one-line messages that never show a password.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import Engine, create_engine, delete, event, func, select, update
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from scanner.errors import MaturityError
from scanner.report import ScanReport
from scanner.store.models import ApiUsage, EvidenceRow, Failure, Lock, Repository, Result, Scan, VerdictRow, WarningRow, utcnow

if TYPE_CHECKING:
    from scanner.run_report import ProviderUsage

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SCAN_STATUSES = ("running", "completed", "failed", "interrupted")
TRIGGERS = ("cli", "daemon", "api")
PROVIDERS = ("local", "github", "gitlab", "jenkins")


class StoreError(MaturityError):
    """The history database could not be opened, migrated, read or written."""


# ------------------------------------------------------------------------------------------------------------ rows


@dataclass(frozen=True)
class ScanRow:
    """One scan (one run over the configured targets)."""

    id: int
    """Scan id."""
    started_at: datetime
    """When it started (UTC)."""
    finished_at: datetime | None
    """When it finished (UTC); `None` while running."""
    status: str
    """`running`, `completed`, `failed` or `interrupted`."""
    trigger: str
    """`cli`, `daemon` or `api`."""
    repos_ok: int
    """Repositories with a stored result."""
    repos_failed: int
    """Targets that could not be scanned."""
    repos_reused: int
    """Results reused from an earlier scan (nothing changed)."""
    model_id: str
    """Maturity model id."""
    model_version: str
    """Maturity model version."""
    targets: list[str]
    """The targets as configured."""
    error: str | None
    """Why the scan failed, when it did."""


@dataclass(frozen=True)
class StoredResult:
    """One repository's stored result."""

    result_id: int
    """Result id."""
    scan_id: int
    """The scan it belongs to."""
    provider: str
    """`local`, `github`, `gitlab` or `jenkins`."""
    name: str
    """Repository full name (`owner/repo`, or the directory name)."""
    url: str | None
    """Repository URL (without credentials)."""
    commit: str | None
    """The commit scanned."""
    cursor: str | None
    """Fingerprint of HEAD and the history cursor, to decide whether a later scan can reuse this result."""
    overall_level: int
    """Overall level."""
    area_levels: dict[str, int]
    """Area id -> level."""
    created_at: datetime
    """When the result was stored (UTC)."""
    report: ScanReport
    """The whole report, rebuilt."""
    reused_from: int | None
    """The result this one repeats, when the scan reused it."""
    topics: list[str] | None
    """Repository topics, when known."""
    teams: list[str] | None
    """Owning teams, when known."""


@dataclass(frozen=True)
class HistoryRow:
    """One result in a repository's history."""

    scan_id: int
    """The scan."""
    result_id: int
    """The result."""
    scanned_at: datetime
    """When the result was stored (UTC)."""
    provider: str
    """Repository provider."""
    name: str
    """Repository full name."""
    commit: str | None
    """The commit scanned."""
    overall_level: int
    """Overall level."""
    overall_ceiling: int
    """Overall ceiling."""
    area_levels: dict[str, int]
    """Area id -> level."""


@dataclass(frozen=True)
class RepoChange:
    """How one repository changed between two scans."""

    provider: str
    """Repository provider."""
    name: str
    """Repository full name."""
    status: str
    """`changed`, `added` (only in the second scan), `removed` (only in the first) or `unchanged`."""
    overall: tuple[int | None, int | None]
    """Overall level (before, after); `None` on the side where the repository is missing."""
    areas: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    """Area id -> (before, after), only areas whose level changed."""
    practices: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    """(practice, status before, status after) for practices whose status changed."""
    evidence_added: list[tuple[str, Any, str]] = field(default_factory=list)
    """(key, value, locator) observed in the second scan only."""
    evidence_removed: list[tuple[str, Any, str]] = field(default_factory=list)
    """(key, value, locator) observed in the first scan only."""


@dataclass(frozen=True)
class ScanDiff:
    """The differences between two scans, per repository."""

    scan_a: int
    """The earlier (before) scan."""
    scan_b: int
    """The later (after) scan."""
    changes: list[RepoChange]
    """One entry per repository in either scan, ordered by (provider, name)."""


# --------------------------------------------------------------------------------------------------------- helpers


def _display_url(url: str) -> str:
    """The URL with its password hidden; for a URL that does not parse, anything between `user:` and `@` is masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return re.sub(r"(//[^/:@]*:)[^@/]*@", r"\1***@", url)


def _one_line(exc: BaseException, secret: str | None = None) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    line = " ".join(text.split()) or type(exc).__name__
    line = line.split(" [SQL: ")[0].split(" (Background on this error")[0]
    if secret:
        line = line.replace(secret, "***")
    return line


def _strip_credentials(url: str | None) -> str | None:
    """A repository URL without user and password (`https://token@host/x` -> `https://host/x`)."""
    if not url or "@" not in url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if not parts.scheme or not parts.netloc or "@" not in parts.netloc:
        return url  # scp-like `git@host:path`: a user name, no secret
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def _evidence_key(key: str, value: Any, locator: str) -> tuple[str, str, str]:
    return (key, json.dumps(value, sort_keys=True), locator)


# ----------------------------------------------------------------------------------------------------------- store


class Store:
    """The history store on one database URL (`sqlite:///path/maturity.db` or `postgresql+psycopg://...`)."""

    def __init__(self, url: str) -> None:
        self.url_display = _display_url(url)
        try:
            parsed = make_url(url)
        except ArgumentError as e:
            raise StoreError(f"database {self.url_display}: not a database URL: {_one_line(e)}") from None
        self._password = parsed.password if isinstance(parsed.password, str) and parsed.password else None
        self._backend = parsed.get_backend_name()
        kwargs: dict[str, Any] = {}
        if self._backend == "sqlite":
            database = parsed.database or ""
            if database and database != ":memory:" and not database.startswith("file:"):
                try:
                    Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
                except OSError as e:
                    raise StoreError(f"database {self.url_display}: cannot create its folder: {e.strerror or e}") from None
            kwargs["connect_args"] = {"timeout": 10}
        elif self._backend == "postgresql":
            kwargs["pool_pre_ping"] = True
            if "connect_timeout" not in parsed.query:
                kwargs["connect_args"] = {"connect_timeout": 10}
        try:
            self.engine: Engine = create_engine(parsed, **kwargs)
        except Exception as e:  # unknown dialect, missing driver
            raise StoreError(f"database {self.url_display}: cannot open: {_one_line(e, self._password)}") from None
        if self._backend == "sqlite":
            _sqlite_setup(self.engine)

    # ------------------------------------------------------------------------------------------------ lifecycle

    @classmethod
    def open(cls, url: str, upgrade: bool = True) -> Store:
        """Open the store; with `upgrade`, migrate the database to the newest revision. A database at a revision this
        version does not know (written by a newer scanner) is refused."""
        store = cls(url)
        try:
            current = store.current_revision()
            if current is not None and current not in store._known_revisions():
                raise StoreError(f"database {store.url_display}: at schema revision {current}, unknown to this version of maturity-scanner "
                                 "(written by a newer version?)")
            if upgrade:
                store.upgrade()
        except BaseException:
            store.close()
            raise
        return store

    def _alembic_config(self, connection: Connection | None = None):
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        if connection is not None:
            config.attributes["connection"] = connection
        return config

    def _known_revisions(self) -> set[str]:
        from alembic.script import ScriptDirectory

        return {s.revision for s in ScriptDirectory.from_config(self._alembic_config()).walk_revisions()}

    def head_revision(self) -> str:
        """The newest revision this version of the scanner ships."""
        from alembic.script import ScriptDirectory

        return str(ScriptDirectory.from_config(self._alembic_config()).get_current_head())

    def upgrade(self, revision: str = "head") -> None:
        """Migrate the database to `revision` (default: the newest)."""
        from alembic import command
        from alembic.util import CommandError

        try:
            with self.engine.execution_options(sqlite_write=True).begin() as conn:
                command.upgrade(self._alembic_config(conn), revision)
        except CommandError as e:
            raise StoreError(f"database {self.url_display}: cannot upgrade to {revision}: {_one_line(e, self._password)}") from None
        except SQLAlchemyError as e:
            raise StoreError(f"database {self.url_display}: cannot upgrade: {_one_line(e, self._password)}") from None

    def current_revision(self) -> str | None:
        """The database's schema revision; `None` for an empty database."""
        from alembic.runtime.migration import MigrationContext

        try:
            with self.engine.connect() as conn:
                return MigrationContext.configure(conn).get_current_revision()
        except SQLAlchemyError as e:
            raise StoreError(f"database {self.url_display}: cannot open: {_one_line(e, self._password)}") from None

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _session(self, what: str, write: bool = False) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any error."""
        bind = self.engine.execution_options(sqlite_write=True) if write else self.engine
        try:
            with Session(bind, expire_on_commit=False) as session, session.begin():
                yield session
        except SQLAlchemyError as e:
            raise StoreError(f"database {self.url_display}: cannot {what}: {_one_line(e, self._password)}") from None

    # ---------------------------------------------------------------------------------------------------- writes

    def start_scan(self, *, trigger: str, config_hash: str, model_id: str, model_version: str, tool_version: str, targets: list[str]) -> int:
        """Record a new running scan; returns its id."""
        if trigger not in TRIGGERS:
            raise StoreError(f"unknown scan trigger {trigger!r}: expected one of {', '.join(TRIGGERS)}")
        with self._session("start a scan", write=True) as s:
            scan = Scan(started_at=utcnow(), status="running", trigger=trigger, config_hash=config_hash, model_id=model_id,
                        model_version=model_version, tool_version=tool_version, targets=list(targets), repos_ok=0, repos_failed=0, repos_reused=0)
            s.add(scan)
            s.flush()
            return scan.id

    def save_result(self, scan_id: int, report: ScanReport, *, reused_from: int | None = None, cursor: str | None = None,
                    topics: list[str] | None = None, teams: list[str] | None = None) -> int:
        """Store one repository's report (repository, result, evidence, verdicts, warnings) in one transaction; returns the result id."""
        target = report.target
        url = _strip_credentials(target.url)
        document = report.model_dump(mode="json")
        if url != target.url:
            document["target"]["url"] = url
        with self._session(f"save the result of {target.kind}:{target.name}", write=True) as s:
            if reused_from is not None:
                # a result that stands again: a row pointing at the first full copy (evidence is not written twice)
                origin = s.get(Result, reused_from)
                if origin is None:
                    raise StoreError(f"database {self.url_display}: no result {reused_from} to reuse")
                reused_from = origin.reused_from or origin.id
                document = {"reused_from": reused_from}
            repo = s.scalar(select(Repository).where(Repository.provider == target.kind, Repository.full_name == target.name))
            if repo is None:
                repo = Repository(provider=target.kind, full_name=target.name, url=url, topics=topics, teams=teams)
                s.add(repo)
            else:
                repo.url = url or repo.url
                if topics is not None:
                    repo.topics = list(topics)
                if teams is not None:
                    repo.teams = list(teams)
            s.flush()
            result = Result(
                scan_id=scan_id, repository_id=repo.id, commit=target.commit, default_branch=target.default_branch,
                overall_level=report.overall.level, overall_ceiling=report.overall.ceiling, profile=dict(report.overall.profile),
                ceiling_profile=dict(report.overall.ceiling_profile), report=document, created_at=utcnow(), reused_from=reused_from, cursor=cursor,
            )
            s.add(result)
            s.flush()
            self._after_result_insert(s, result.id)
            if reused_from is not None:
                return result.id
            s.add_all(EvidenceRow(result_id=result.id, eid=e.id, key=e.key, value=e.model_dump(mode="json")["value"], source=str(e.source),
                                  locator=e.locator, observed=e.observed) for e in report.evidence)
            s.add_all(VerdictRow(result_id=result.id, practice=p.id, status=str(p.status), reason=p.reason) for p in report.practices)
            s.add_all(WarningRow(result_id=result.id, code=w.code, message=w.message, locator=w.locator) for w in report.warnings)
            s.flush()
            return result.id

    def _after_result_insert(self, session: Session, result_id: int) -> None:
        """A hook between the result row and its children (tests use it to prove the transaction is all-or-nothing)."""

    def save_failure(self, scan_id: int, target: str, error: str) -> None:
        """Record a target that could not be scanned (the error is kept on one line)."""
        with self._session(f"save the failure of {target}", write=True) as s:
            s.add(Failure(scan_id=scan_id, target=target, error=" ".join(error.split())))

    def finish_scan(self, scan_id: int, status: str = "completed", *, api: Iterable[ProviderUsage] = (), error: str | None = None) -> None:
        """Close a scan: status, finish time, counts (from the stored results and failures) and API usage."""
        if status not in SCAN_STATUSES:
            raise StoreError(f"unknown scan status {status!r}: expected one of {', '.join(SCAN_STATUSES)}")
        with self._session(f"finish scan {scan_id}", write=True) as s:
            scan = s.get(Scan, scan_id)
            if scan is None:
                raise StoreError(f"database {self.url_display}: no scan {scan_id}")
            self._fill_counts(s, scan)
            scan.status = status
            scan.finished_at = utcnow()
            scan.error = " ".join(error.split()) if error else None
            s.add_all(ApiUsage(scan_id=scan_id, provider=u.provider, requests=u.requests, points=u.points, not_modified=u.not_modified,
                               rate_limit_remaining=u.rate_limit_remaining, waited_s=u.waited_s, cache_reused=u.cache_reused) for u in api)

    @staticmethod
    def _fill_counts(s: Session, scan: Scan) -> None:
        scan.repos_ok = s.scalar(select(func.count()).select_from(Result).where(Result.scan_id == scan.id)) or 0
        scan.repos_reused = s.scalar(select(func.count()).select_from(Result).where(Result.scan_id == scan.id, Result.reused_from.is_not(None))) or 0
        scan.repos_failed = s.scalar(select(func.count()).select_from(Failure).where(Failure.scan_id == scan.id)) or 0

    def mark_interrupted(self) -> int:
        """Mark scans still `running` as `interrupted` (call at start, holding the lock); returns how many."""
        with self._session("mark interrupted scans", write=True) as s:
            scans = list(s.scalars(select(Scan).where(Scan.status == "running")))
            for scan in scans:
                self._fill_counts(s, scan)
                scan.status = "interrupted"
                scan.finished_at = utcnow()
            return len(scans)

    # ----------------------------------------------------------------------------------------------------- reads

    @staticmethod
    def _scan_row(scan: Scan) -> ScanRow:
        return ScanRow(id=scan.id, started_at=scan.started_at, finished_at=scan.finished_at, status=scan.status, trigger=scan.trigger,
                       repos_ok=scan.repos_ok, repos_failed=scan.repos_failed, repos_reused=scan.repos_reused, model_id=scan.model_id,
                       model_version=scan.model_version, targets=list(scan.targets or []), error=scan.error)

    def scans(self, limit: int = 50) -> list[ScanRow]:
        """The newest scans first."""
        with self._session("list scans") as s:
            return [self._scan_row(x) for x in s.scalars(select(Scan).order_by(Scan.id.desc()).limit(limit))]

    def scan(self, scan_id: int) -> ScanRow | None:
        """One scan, or `None`."""
        with self._session(f"read scan {scan_id}") as s:
            found = s.get(Scan, scan_id)
            return self._scan_row(found) if found else None

    @staticmethod
    def _stored(result: Result, repo: Repository, s: Session) -> StoredResult:
        document = result.report
        if result.reused_from is not None and "schema_version" not in (document or {}):
            origin = s.get(Result, result.reused_from)
            document = origin.report if origin is not None else document
        try:
            report = ScanReport.model_validate(document)
        except ValueError as e:
            raise StoreError(f"result {result.id} of {repo.provider}:{repo.full_name}: the stored report does not load: {' '.join(str(e).split())[:300]}") from None
        return StoredResult(result_id=result.id, scan_id=result.scan_id, provider=repo.provider, name=repo.full_name, url=repo.url, commit=result.commit,
                            cursor=result.cursor, overall_level=result.overall_level, area_levels=dict(result.profile or {}), created_at=result.created_at,
                            report=report, reused_from=result.reused_from, topics=repo.topics, teams=repo.teams)

    def results_of_scan(self, scan_id: int) -> list[StoredResult]:
        """Every result of a scan, ordered by (provider, name)."""
        with self._session(f"read the results of scan {scan_id}") as s:
            rows = s.execute(select(Result, Repository).join(Repository, Result.repository_id == Repository.id).where(Result.scan_id == scan_id)
                             .order_by(Repository.provider, Repository.full_name, Result.id))
            return [self._stored(r, repo, s) for r, repo in rows]

    def latest_result(self, provider: str, name: str) -> StoredResult | None:
        """The newest result of a repository from a completed or interrupted scan, or `None`."""
        with self._session(f"read the latest result of {provider}:{name}") as s:
            row = s.execute(select(Result, Repository).join(Repository, Result.repository_id == Repository.id).join(Scan, Result.scan_id == Scan.id)
                            .where(Repository.provider == provider, Repository.full_name == name, Scan.status.in_(("completed", "interrupted")))
                            .order_by(Result.id.desc()).limit(1)).first()
            return self._stored(*row, s) if row else None

    def latest_results(self) -> list[StoredResult]:
        """The newest result (of a completed or interrupted scan) of every repository, ordered by (provider, name)."""
        with self._session("read the latest results") as s:
            newest = (select(func.max(Result.id).label("id")).join(Scan, Result.scan_id == Scan.id)
                      .where(Scan.status.in_(("completed", "interrupted"))).group_by(Result.repository_id).subquery())
            rows = s.execute(select(Result, Repository).join(Repository, Result.repository_id == Repository.id).join(newest, Result.id == newest.c.id)
                             .order_by(Repository.provider, Repository.full_name))
            return [self._stored(r, repo, s) for r, repo in rows]

    def history(self, repo: str | None = None, since: datetime | None = None, provider: str | None = None) -> list[HistoryRow]:
        """One row per stored result, oldest first; `repo` matches the full name exactly, `since` is inclusive."""
        query = (select(Result.scan_id, Result.id, Result.created_at, Repository.provider, Repository.full_name, Result.commit, Result.overall_level,
                        Result.overall_ceiling, Result.profile).join(Repository, Result.repository_id == Repository.id).order_by(Result.id))
        if repo is not None:
            query = query.where(Repository.full_name == repo)
        if provider is not None:
            query = query.where(Repository.provider == provider)
        if since is not None:
            query = query.where(Result.created_at >= (since if since.tzinfo else since.replace(tzinfo=timezone.utc)))
        with self._session("read the history") as s:
            return [HistoryRow(scan_id=r[0], result_id=r[1], scanned_at=r[2], provider=r[3], name=r[4], commit=r[5], overall_level=r[6], overall_ceiling=r[7],
                               area_levels=dict(r[8] or {})) for r in s.execute(query)]

    def diff(self, scan_a: int, scan_b: int) -> ScanDiff:
        """What changed per repository from scan `scan_a` to scan `scan_b`."""
        with self._session(f"compare scans {scan_a} and {scan_b}") as s:
            for scan_id in (scan_a, scan_b):
                if s.get(Scan, scan_id) is None:
                    raise StoreError(f"database {self.url_display}: no scan {scan_id}")
            a, b = self._diff_side(s, scan_a), self._diff_side(s, scan_b)
        changes = []
        for key in sorted(set(a) | set(b)):
            before, after = a.get(key), b.get(key)
            if before is None or after is None:
                present = after if before is None else before
                level = present["level"]
                changes.append(RepoChange(provider=key[0], name=key[1], status="added" if before is None else "removed",
                                          overall=(None, level) if before is None else (level, None)))
                continue
            areas = {area: (before["profile"].get(area), after["profile"].get(area)) for area in sorted(set(before["profile"]) | set(after["profile"]))
                     if before["profile"].get(area) != after["profile"].get(area)}
            practices = [(p, before["verdicts"].get(p), after["verdicts"].get(p)) for p in sorted(set(before["verdicts"]) | set(after["verdicts"]))
                         if before["verdicts"].get(p) != after["verdicts"].get(p)]
            added = [after["evidence"][k] for k in sorted(set(after["evidence"]) - set(before["evidence"]))]
            removed = [before["evidence"][k] for k in sorted(set(before["evidence"]) - set(after["evidence"]))]
            changed = before["level"] != after["level"] or areas or practices or added or removed
            changes.append(RepoChange(provider=key[0], name=key[1], status="changed" if changed else "unchanged", overall=(before["level"], after["level"]),
                                      areas=areas, practices=practices, evidence_added=added, evidence_removed=removed))
        return ScanDiff(scan_a=scan_a, scan_b=scan_b, changes=changes)

    @staticmethod
    def _diff_side(s: Session, scan_id: int) -> dict[tuple[str, str], dict[str, Any]]:
        """Per repository (newest result in the scan wins): level, profile, practice statuses and evidence."""
        side: dict[tuple[str, str], dict[str, Any]] = {}
        rows = s.execute(select(Result.id, Result.reused_from, Result.overall_level, Result.profile, Repository.provider, Repository.full_name)
                         .join(Repository, Result.repository_id == Repository.id).where(Result.scan_id == scan_id).order_by(Result.id))
        for rid, origin, level, profile, provider, name in rows:
            # a reused result's evidence and verdicts are those of the result it points at
            side[(provider, name)] = {"rid": origin or rid, "level": level, "profile": dict(profile or {}), "verdicts": {}, "evidence": {}}
        wanted = {entry["rid"]: entry for entry in side.values()}
        if wanted:
            for rid, practice, status in s.execute(select(VerdictRow.result_id, VerdictRow.practice, VerdictRow.status).where(VerdictRow.result_id.in_(wanted))):
                wanted[rid]["verdicts"][practice] = status
            for rid, key, value, locator in s.execute(select(EvidenceRow.result_id, EvidenceRow.key, EvidenceRow.value, EvidenceRow.locator)
                                                      .where(EvidenceRow.result_id.in_(wanted))):
                wanted[rid]["evidence"][_evidence_key(key, value, locator)] = (key, value, locator)
        return side

    # ------------------------------------------------------------------------------------------------------ lock

    def acquire_lock(self, name: str, holder: str, stale_after_s: float) -> bool:
        """Take lock `name` for `holder`: a new lock, one `holder` already has, or one whose heartbeat is older than
        `stale_after_s` seconds. False when another live holder has it. Atomic across processes."""
        with self._session(f"acquire lock {name}", write=True) as s:
            now = utcnow()  # read once the write transaction holds the database, not before waiting for it
            if self._insert_lock(s, name, holder, now):
                return True
            cutoff = now - timedelta(seconds=stale_after_s)
            taken = s.execute(update(Lock).where(Lock.name == name, (Lock.holder == holder) | (Lock.heartbeat_at < cutoff))
                              .values(holder=holder, acquired_at=now, heartbeat_at=now).execution_options(synchronize_session=False))
            return taken.rowcount == 1

    def _insert_lock(self, s: Session, name: str, holder: str, now: datetime) -> bool:
        values = {"name": name, "holder": holder, "acquired_at": now, "heartbeat_at": now}
        if self._backend in ("sqlite", "postgresql"):
            if self._backend == "sqlite":
                from sqlalchemy.dialects.sqlite import insert
            else:
                from sqlalchemy.dialects.postgresql import insert
            return s.execute(insert(Lock).values(**values).on_conflict_do_nothing(index_elements=["name"])).rowcount == 1
        try:
            with s.begin_nested():
                s.add(Lock(**values))
            return True
        except IntegrityError:
            return False

    def heartbeat(self, name: str, holder: str) -> bool:
        """Refresh the heartbeat of a lock `holder` has; False when it no longer holds it (taken over as stale)."""
        with self._session(f"refresh lock {name}", write=True) as s:
            done = s.execute(update(Lock).where(Lock.name == name, Lock.holder == holder).values(heartbeat_at=utcnow())
                             .execution_options(synchronize_session=False))
            return done.rowcount == 1

    def release_lock(self, name: str, holder: str) -> None:
        """Release the lock if `holder` has it (otherwise nothing happens)."""
        with self._session(f"release lock {name}", write=True) as s:
            s.execute(delete(Lock).where(Lock.name == name, Lock.holder == holder).execution_options(synchronize_session=False))

    def lock_holder(self, name: str) -> tuple[str, datetime] | None:
        """(holder, last heartbeat) of the lock, or `None` when free."""
        with self._session(f"read lock {name}") as s:
            lock = s.get(Lock, name)
            return (lock.holder, lock.heartbeat_at) if lock else None


def _sqlite_setup(engine: Engine) -> None:
    """Foreign keys on, WAL, a 10 s busy timeout; writes take the write lock up front (`BEGIN IMMEDIATE`) so two processes
    never deadlock upgrading a read lock."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:  # noqa: ANN001
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
        except Exception:  # a read-only or in-memory database keeps its journal mode
            pass
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("sqlite_write") else "BEGIN")
