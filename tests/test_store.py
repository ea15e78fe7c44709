"""The history store (scanner.store): migrations, round trips, transactions, queries, diff and the daemon lock,
on SQLite always and on PostgreSQL when one is reachable on 127.0.0.1:5432."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from conftest import git_init, write_tree
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.orm import Session

from scanner.evidence import Evidence
from scanner.report import ScanReport, Status
from scanner.run_report import ProviderUsage
from scanner.scan import ScanOptions, prepare_model, scan_path
from scanner.store import HistoryRow, RepoChange, ScanDiff, ScanRow, Store, StoredResult, StoreError
from scanner.store.models import Base

PG_DSN = "host=127.0.0.1 port=5432 dbname=test user=postgres"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
HEAD = "0002_locks_usage_reuse"
CI = "on: [push, pull_request]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n"
SCAN = {"trigger": "cli", "config_hash": "c0ffee", "model_id": "cd-maturity", "model_version": "1", "tool_version": "0.1.0", "targets": ["acme/*"]}


# ------------------------------------------------------------------------------------------------------- fixtures


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/db/maturity.db"
        return
    import psycopg

    try:
        admin = psycopg.connect(PG_DSN, connect_timeout=2, autocommit=True)
    except Exception as e:
        pytest.skip(f"PostgreSQL not reachable on 127.0.0.1:5432: {' '.join(str(e).split())}")
    schema = f"mt_{uuid.uuid4().hex[:16]}"
    admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()


@pytest.fixture
def store(store_url):
    s = Store.open(store_url)
    yield s
    s.close()


@pytest.fixture(scope="module")
def base_report(tmp_path_factory) -> ScanReport:
    root = tmp_path_factory.mktemp("repo")
    write_tree(root, {"Makefile": "test:\n\tpytest\n", ".github/workflows/ci.yml": CI, ".github/workflows/broken.yml": "on: [\n"})
    git_init(root, remote="git@github.com:acme/alpha.git", default_branch="main")
    options = ScanOptions()
    return scan_path(str(root), options, prepare_model(options))


def named(report: ScanReport, name: str, **target) -> ScanReport:
    return report.model_copy(update={"target": report.target.model_copy(update={"name": name, **target})})


def changed(report: ScanReport) -> ScanReport:
    """The same repository a scan later: one area up, one practice flipped, one observation gone and one new."""
    area = report.areas[0]
    areas = [area.model_copy(update={"level": area.level + 1})] + report.areas[1:]
    overall = report.overall.model_copy(update={"level": report.overall.level + 1, "profile": {a.id: a.level for a in areas}})
    first = report.practices[0]
    flipped = Status.MET if first.status != Status.MET else Status.NOT_MET
    practices = [first.model_copy(update={"status": flipped})] + report.practices[1:]
    new = Evidence(id="e999", key="release.tags", value=["v1", "v2"], source="github", locator="https://example.invalid/tags", observed="two tags")
    evidence = report.evidence[1:] + [new]
    return ScanReport.model_validate(report.model_copy(update={"areas": areas, "overall": overall, "practices": practices, "evidence": evidence}).model_dump())


def count(store: Store, table: str) -> int:
    with store.engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def scan_with(store: Store, *reports: ScanReport, status: str = "completed") -> int:
    scan_id = store.start_scan(**SCAN)
    for r in reports:
        store.save_result(scan_id, r)
    if status != "running":
        store.finish_scan(scan_id, status)
    return scan_id


# ------------------------------------------------------------------------------------------------------ migrations


def test_migrations_take_an_empty_database_to_head(store_url):
    fresh = Store(store_url)
    assert fresh.current_revision() is None
    fresh.close()
    store = Store.open(store_url)
    try:
        assert store.current_revision() == store.head_revision() == HEAD
        insp = inspect(store.engine)
        tables = set(insp.get_table_names()) - {"alembic_version"}
        assert tables == set(Base.metadata.tables) == {"scans", "repositories", "results", "evidence", "verdicts", "warnings", "failures", "locks", "api_usage"}
        for name, table in Base.metadata.tables.items():  # the migrations build exactly the models' columns
            assert {c["name"]: c["nullable"] for c in insp.get_columns(name)} == {c.name: c.nullable for c in table.columns}, name
        assert {fk["referred_table"] for fk in insp.get_foreign_keys("results")} == {"scans", "repositories", "results"}
        Store.open(store_url).close()  # a second open is a no-op
        assert store.current_revision() == HEAD
    finally:
        store.close()


def test_upgrade_from_0001_keeps_the_data_written_there(store_url, base_report):
    old = Store(store_url)
    old.upgrade("0001_initial")
    assert old.current_revision() == "0001_initial"
    document = base_report.model_dump_json()
    with old.engine.begin() as conn:
        conn.execute(text("INSERT INTO scans (started_at, finished_at, status, \"trigger\", config_hash, model_id, model_version, tool_version, targets, "
                          "repos_ok, repos_failed, repos_reused) VALUES ('2026-03-01 12:00:00', '2026-03-01 12:05:00', 'completed', 'daemon', 'h', "
                          "'cd-maturity', '1', '0.0.9', '[\"acme/alpha\"]', 1, 1, 0)"))
        conn.execute(text("INSERT INTO repositories (provider, full_name, url) VALUES ('local', :name, 'https://example.invalid/alpha')"),
                     {"name": base_report.target.name})
        conn.execute(text("INSERT INTO results (scan_id, repository_id, \"commit\", default_branch, overall_level, overall_ceiling, profile, ceiling_profile, "
                          "report, created_at) VALUES ((SELECT max(id) FROM scans), (SELECT max(id) FROM repositories), 'abc', 'main', 1, 2, '{\"build\": 1}', '{\"build\": 2}', :doc, '2026-03-01 12:01:00')"),
                     {"doc": document})
        conn.execute(text("INSERT INTO evidence (result_id, eid, \"key\", value, source, locator, observed) VALUES ((SELECT max(id) FROM results), 'e1', 'ci.present', 'true', 'local', "
                          "'.github/workflows/ci.yml', 'a workflow')"))
        conn.execute(text("INSERT INTO verdicts (result_id, practice, status, reason) VALUES ((SELECT max(id) FROM results), 'build.1.ci', 'met', 'ci')"))
        conn.execute(text("INSERT INTO warnings (result_id, code, message, locator) VALUES ((SELECT max(id) FROM results), 'broken-yaml', 'bad', 'x.yml')"))
        conn.execute(text("INSERT INTO failures (scan_id, target, error) VALUES ((SELECT max(id) FROM scans), 'acme/private', '403')"))
    old.close()

    store = Store.open(store_url)
    try:
        assert store.current_revision() == HEAD
        assert [count(store, t) for t in ("scans", "repositories", "results", "evidence", "verdicts", "warnings", "failures")] == [1, 1, 1, 1, 1, 1, 1]
        [scan] = store.scans()
        assert (scan.id, scan.trigger, scan.repos_ok, scan.repos_failed, scan.status) == (1, "daemon", 1, 1, "completed")
        assert scan.started_at == datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
        kept = store.latest_result("local", base_report.target.name)
        assert kept is not None and kept.report == base_report
        assert (kept.result_id, kept.commit, kept.area_levels, kept.reused_from, kept.cursor, kept.topics, kept.teams) == (1, "abc", {"build": 1}, None, None, None, None)
        assert kept.created_at == datetime(2026, 3, 1, 12, 1, tzinfo=timezone.utc)
        # the new columns work on the migrated tables (a fresh id does not collide with the rows written at 0001)
        scan_id = store.start_scan(**SCAN)
        rid = store.save_result(scan_id, base_report, reused_from=1, cursor="head:abc", topics=["python"], teams=["core"])
        store.finish_scan(scan_id)
        again = store.latest_result("local", base_report.target.name)
        assert (again.result_id, again.reused_from, again.cursor, again.topics, again.teams) == (rid, 1, "head:abc", ["python"], ["core"])
        assert store.scan(scan_id).repos_reused == 1
    finally:
        store.close()


def test_a_database_from_a_newer_version_is_refused(store_url):
    Store.open(store_url).close()
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
    engine.dispose()
    with pytest.raises(StoreError, match="at schema revision 0099_from_the_future, unknown to this version") as err:
        Store.open(store_url)
    assert "\n" not in str(err.value)


# ------------------------------------------------------------------------------------------------------- writes


def test_a_report_survives_the_round_trip(store, base_report):
    report = named(base_report, "acme/alpha", kind="github", url="https://x-access-token:ghs_SECRET@github.com/acme/alpha.git", commit="a" * 40)
    scan_id = store.start_scan(**SCAN)
    rid = store.save_result(scan_id, report, cursor="fp1", topics=["go"], teams=["platform"])
    [got] = store.results_of_scan(scan_id)
    assert isinstance(got, StoredResult)
    assert got.result_id == rid and got.scan_id == scan_id
    assert (got.provider, got.name, got.commit, got.cursor, got.topics, got.teams) == ("github", "acme/alpha", "a" * 40, "fp1", ["go"], ["platform"])
    # no secret is stored: the URL loses its credentials, in the repository row and in the stored report
    assert got.url == "https://github.com/acme/alpha.git"
    assert got.report == report.model_copy(update={"target": report.target.model_copy(update={"url": got.url})})
    assert got.overall_level == report.overall.level and got.area_levels == report.overall.profile
    assert got.created_at.tzinfo is not None and abs(got.created_at - datetime.now(timezone.utc)) < timedelta(minutes=1)
    with store.engine.connect() as conn:
        assert "ghs_SECRET" not in str(conn.execute(text("SELECT report FROM results")).scalar_one())
    assert count(store, "evidence") == len(report.evidence) > 0
    assert count(store, "verdicts") == len(report.practices) > 0
    assert count(store, "warnings") == len(report.warnings) > 0
    # a plain local report comes back exactly equal
    rid2 = store.save_result(scan_id, base_report)
    assert [r.report for r in store.results_of_scan(scan_id) if r.result_id == rid2] == [base_report]
    assert count(store, "repositories") == 2


def test_a_failing_save_leaves_no_partial_rows(store_url, base_report):
    class Exploding(Store):
        explode = True

        def _after_result_insert(self, session: Session, result_id: int) -> None:
            if self.explode:
                assert count(self, "results") == 0  # not visible outside the transaction (another connection reads around it)
                raise RuntimeError("boom after the result insert")

    Store.open(store_url).close()
    store = Exploding.open(store_url)
    try:
        scan_id = store.start_scan(**SCAN)
        with pytest.raises(RuntimeError, match="boom"):
            store.save_result(scan_id, named(base_report, "acme/new-repo"))
        assert [count(store, t) for t in ("repositories", "results", "evidence", "verdicts", "warnings")] == [0, 0, 0, 0, 0]
        # a database error (a scan that does not exist) is a one-line StoreError, and leaves nothing either
        with pytest.raises(StoreError, match=r"cannot save the result of local:acme/other") as err:
            store.save_result(424242, named(base_report, "acme/other"))
        assert "\n" not in str(err.value) and "[SQL:" not in str(err.value)
        assert [count(store, t) for t in ("repositories", "results", "evidence")] == [0, 0, 0]
        store.explode = False
        store.save_result(scan_id, base_report)
        assert [count(store, t) for t in ("repositories", "results")] == [1, 1]
    finally:
        store.close()


def test_finish_scan_fills_the_counts_and_api_usage(store, base_report):
    scan_id = store.start_scan(**SCAN)
    first = store.save_result(scan_id, named(base_report, "acme/a"))
    store.save_result(scan_id, named(base_report, "acme/b"), reused_from=first)
    store.save_failure(scan_id, "acme/private", "403 Forbidden:\nResource not accessible")
    running = store.scan(scan_id)
    assert isinstance(running, ScanRow)
    assert (running.status, running.finished_at, running.repos_ok, running.targets) == ("running", None, 0, ["acme/*"])
    api = [ProviderUsage(provider="github", requests=12, points=10, not_modified=3, rate_limit_remaining=4990, waited_s=0.5, cache_reused=1),
           ProviderUsage(provider="gitlab", requests=2)]
    store.finish_scan(scan_id, "failed", api=api, error="rate limit\nexhausted")
    done = store.scan(scan_id)
    assert (done.status, done.repos_ok, done.repos_failed, done.repos_reused, done.error) == ("failed", 2, 1, 1, "rate limit exhausted")
    assert done.finished_at is not None and done.finished_at.tzinfo is not None and done.finished_at >= done.started_at
    assert count(store, "api_usage") == 2
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT error FROM failures")).scalar_one() == "403 Forbidden: Resource not accessible"
        assert conn.execute(text("SELECT points FROM api_usage WHERE provider = 'gitlab'")).scalar_one() is None
    with pytest.raises(StoreError, match="unknown scan status"):
        store.finish_scan(scan_id, "exploded")
    with pytest.raises(StoreError, match="unknown scan trigger"):
        store.start_scan(**{**SCAN, "trigger": "cron"})
    assert store.scan(999) is None


def test_mark_interrupted(store, base_report):
    done = scan_with(store, named(base_report, "acme/a"))
    cut = scan_with(store, changed(named(base_report, "acme/a")), status="running")
    other = store.start_scan(**SCAN)
    assert store.latest_result("local", "acme/a").scan_id == done  # a running scan's results are not the latest yet
    assert store.mark_interrupted() == 2
    assert [(s.id, s.status, s.repos_ok) for s in store.scans()] == [(other, "interrupted", 0), (cut, "interrupted", 1), (done, "completed", 1)]
    assert all(s.finished_at is not None for s in store.scans())
    assert store.latest_result("local", "acme/a").scan_id == cut  # an interrupted scan's results count
    assert store.mark_interrupted() == 0
    assert [s.id for s in store.scans(limit=1)] == [other]


# -------------------------------------------------------------------------------------------------------- reads


def test_latest_results_history_and_diff(store, base_report):
    a, b, c = named(base_report, "acme/a"), named(base_report, "acme/b"), named(base_report, "acme/c")
    a2 = changed(a)
    first = scan_with(store, b, a)
    second = scan_with(store, a2, c)
    running = scan_with(store, changed(a2), status="running")

    assert store.latest_result("local", "acme/nope") is None
    assert store.latest_result("github", "acme/a") is None
    latest = store.latest_results()
    assert [(r.name, r.scan_id) for r in latest] == [("acme/a", second), ("acme/b", first), ("acme/c", second)]
    assert latest[0].report == a2 and latest[0].overall_level == a.overall.level + 1

    hist = store.history(repo="acme/a")
    assert all(isinstance(h, HistoryRow) for h in hist)
    assert [(h.scan_id, h.overall_level) for h in hist] == [(first, a.overall.level), (second, a.overall.level + 1), (running, a.overall.level + 2)]
    assert hist[0].area_levels == a.overall.profile and hist[0].overall_ceiling == a.overall.ceiling
    assert hist[0].scanned_at.tzinfo is not None and hist[0].scanned_at <= hist[1].scanned_at
    assert [h.name for h in store.history()] == ["acme/b", "acme/a", "acme/a", "acme/c", "acme/a"]
    assert store.history(repo="acme") == [] and store.history(provider="github") == []
    assert len(store.history(provider="local")) == 5
    cut = hist[1].scanned_at
    assert [h.result_id for h in store.history(since=cut)] == [h.result_id for h in store.history() if h.scanned_at >= cut]
    assert hist[1].result_id in {h.result_id for h in store.history(since=cut)}
    assert [h.result_id for h in store.history(repo="acme/a", since=cut.replace(tzinfo=None))][-2:] == [hist[1].result_id, hist[2].result_id]  # naive = UTC
    assert store.history(since=datetime.now(timezone.utc) + timedelta(hours=1)) == []

    diff = store.diff(first, second)
    assert isinstance(diff, ScanDiff) and (diff.scan_a, diff.scan_b) == (first, second)
    by_name = {ch.name: ch for ch in diff.changes}
    assert all(isinstance(ch, RepoChange) for ch in diff.changes)
    assert [ch.name for ch in diff.changes] == ["acme/a", "acme/b", "acme/c"]
    assert (by_name["acme/b"].status, by_name["acme/b"].overall) == ("removed", (b.overall.level, None))
    assert (by_name["acme/c"].status, by_name["acme/c"].overall) == ("added", (None, c.overall.level))
    ch = by_name["acme/a"]
    area = a.areas[0].id
    assert ch.status == "changed"
    assert ch.overall == (a.overall.level, a.overall.level + 1)
    assert ch.areas == {area: (a.areas[0].level, a.areas[0].level + 1)}
    assert ch.practices == [(a.practices[0].id, str(a.practices[0].status), str(a2.practices[0].status))]
    def triples(r: ScanReport) -> set[tuple[str, str, str]]:
        return {(e.key, repr(e.model_dump(mode="json")["value"]), e.locator) for e in r.evidence}

    assert {(k, repr(v), loc) for k, v, loc in ch.evidence_removed} == triples(a) - triples(a2) != set()
    assert ch.evidence_added == [("release.tags", ["v1", "v2"], "https://example.invalid/tags")]

    same = store.diff(first, first)
    assert [(x.name, x.status, x.areas, x.practices, x.evidence_added, x.evidence_removed) for x in same.changes] == \
        [("acme/a", "unchanged", {}, [], [], []), ("acme/b", "unchanged", {}, [], [], [])]
    with pytest.raises(StoreError, match="no scan 4242"):
        store.diff(first, 4242)


# --------------------------------------------------------------------------------------------------------- lock


def test_the_lock_admits_one_holder(store_url):
    Store.open(store_url).close()
    one, two = Store.open(store_url), Store.open(store_url)
    try:
        assert one.lock_holder("daemon") is None
        assert one.acquire_lock("daemon", "host-1:100", stale_after_s=60)
        assert not two.acquire_lock("daemon", "host-2:200", stale_after_s=60)  # another live holder
        holder, beat = two.lock_holder("daemon")
        assert holder == "host-1:100" and beat.tzinfo is not None
        assert one.acquire_lock("daemon", "host-1:100", stale_after_s=60)  # re-entrant for its holder
        assert one.heartbeat("daemon", "host-1:100")
        assert not two.heartbeat("daemon", "host-2:200")
        two.release_lock("daemon", "host-2:200")  # not its lock: nothing happens
        assert one.lock_holder("daemon")[0] == "host-1:100"
        time.sleep(0.05)
        assert two.acquire_lock("daemon", "host-2:200", stale_after_s=0.01)  # stale: taken over
        assert two.lock_holder("daemon")[0] == "host-2:200"
        assert not one.heartbeat("daemon", "host-1:100")  # the old holder learns it lost the lock
        assert not one.acquire_lock("daemon", "host-1:100", stale_after_s=60)
        two.release_lock("daemon", "host-2:200")
        assert one.lock_holder("daemon") is None
        assert one.acquire_lock("daemon", "host-1:100", stale_after_s=60)
        assert one.acquire_lock("other", "host-2:200", stale_after_s=60)  # locks are independent by name
    finally:
        one.close()
        two.close()


def test_racing_stores_cannot_both_win(store_url):
    Store.open(store_url).close()
    stores = [Store.open(store_url) for _ in range(6)]
    try:
        for attempt in ("fresh", "stale"):
            if attempt == "stale":
                time.sleep(1.2)  # the fresh winner's heartbeat is now older than the 1 s stale window
            barrier, won = threading.Barrier(len(stores)), []

            def race(i: int) -> None:
                barrier.wait()
                if stores[i].acquire_lock("daemon", f"{attempt}-{i}", stale_after_s=1.0 if attempt == "stale" else 60):
                    won.append(i)

            threads = [threading.Thread(target=race, args=(i,)) for i in range(len(stores))]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert len(won) == 1, (attempt, won)
            assert stores[0].lock_holder("daemon")[0] == f"{attempt}-{won[0]}"
    finally:
        for s in stores:
            s.close()


# ------------------------------------------------------------------------------------------------------- errors


@pytest.mark.parametrize("url, words", [
    ("not a database url", "not a database URL"),
    ("nosuchdb://admin:hunter2@db.example/x", "cannot open"),
    ("postgresql+psycopg://admin:hunter2@127.0.0.1:1/maturity?connect_timeout=2", "cannot open"),
    ("sqlite:////proc/definitely/not/here/maturity.db", "cannot create its folder"),
])
def test_bad_databases_give_one_line_errors_without_the_password(url, words):
    with pytest.raises(StoreError, match=words) as err:
        Store.open(url)
    message = str(err.value)
    assert message.startswith("database ") and "\n" not in message and "hunter2" not in message
    if "hunter2" in url:
        assert "admin:***@" in message
