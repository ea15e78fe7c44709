"""`maturity daemon`: the metrics text, and end to end in subprocesses (schedule, HTTP API, lock, signals, crashes)."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import git_init, write_tree

from scanner.metrics import escape_label, render_metrics

ROOT = Path(__file__).resolve().parents[1]


def _runtime_missing() -> str | None:
    for module, path in (("scanner.runner", "scanner/runner.py"), ("scanner.store", "scanner/store/__init__.py")):
        if not (ROOT / path).exists():
            return f"{path} does not exist yet"
        try:
            __import__(module)
        except ImportError as exc:
            return f"{module} does not import: {exc}"
    return None


needs_runtime = pytest.mark.skipif(_runtime_missing() is not None, reason=f"needs the runner and the store: {_runtime_missing()}")


# -- metrics -------------------------------------------------------------------------------------------


def test_label_values_are_escaped() -> None:
    assert escape_label('a\\b"c\nd') == 'a\\\\b\\"c\\nd'


def test_metrics_text() -> None:
    report = SimpleNamespace(evidence=[1, 2, 3], areas=[SimpleNamespace(id="build", applicable=True), SimpleNamespace(id="data", applicable=False)])
    results = [SimpleNamespace(provider="github", name='acme/we"ird', overall_level=2, area_levels={"build": 3, "deploy": 1, "data": 3},
                               report=report)]
    from datetime import datetime, timedelta, timezone

    now = datetime.now(timezone.utc)
    usage = SimpleNamespace(provider="github", requests=12, rate_limit_remaining=4988)
    run = SimpleNamespace(started_at=now - timedelta(seconds=2.5), finished_at=now, failures=["x"], api=[usage])
    text = render_metrics(results, run, scans_total=3)
    lines = text.splitlines()
    assert text.endswith("\n")
    assert 'maturity_repository_level{provider="github",repository="acme/we\\"ird"} 2' in lines
    assert 'maturity_area_level{area="build",provider="github",repository="acme/we\\"ird"} 3' in lines
    assert not any('area="data"' in line for line in lines)  # the area does not apply: no sample
    assert 'maturity_evidence_records{provider="github",repository="acme/we\\"ird"} 3' in lines
    assert "maturity_scan_duration_seconds 2.5" in lines
    assert "maturity_scan_errors 1" in lines
    assert "# TYPE maturity_scans_total counter" in lines
    assert "maturity_scans_total 3" in lines
    assert 'maturity_api_requests{provider="github"} 12' in lines
    assert 'maturity_api_rate_limit_remaining{provider="github"} 4988' in lines
    for name in ("maturity_repository_level", "maturity_area_level", "maturity_scan_errors", "maturity_api_requests"):
        assert f"# HELP {name} " in text and f"# TYPE {name} gauge" in text


def test_metrics_before_any_scan() -> None:
    text = render_metrics([], None, scans_total=0)
    assert "maturity_scans_total 0" in text
    assert "\nmaturity_scan_duration_seconds " not in text


# -- end to end --------------------------------------------------------------------------------------------

WORKFLOW = """\
name: ci
on: [push, pull_request]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: make test
"""
DOCKERFILE = "FROM python:3.12-slim\nCOPY . /app\nRUN pip install /app\n"


def _make_repos(root: Path, count: int) -> list[Path]:
    repos = []
    for i in range(count):
        repo = root / f"svc{i:02d}"
        write_tree(repo, {
            ".github/workflows/ci.yml": WORKFLOW,
            "Dockerfile": DOCKERFILE,
            "Makefile": "test:\n\tpytest\n",
            "README.md": f"# service {i}\n",
        })
        git_init(repo)
        repos.append(repo)
    return repos


def _write_config(path: Path, db: Path, repos: list[Path], interval: int = 1) -> Path:
    lines = [
        "[scanner]", f'database = "sqlite:///{db.as_posix()}"', "",
        "[schedule]", f"interval_seconds = {interval}", "",
        "[http]", 'bind = "127.0.0.1:0"', "",
    ]
    for repo in repos:
        lines += ["[[targets]]", 'kind = "local"', f'path = "{repo.as_posix()}"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _daemon_command(config: Path) -> list[str]:
    try:
        from scanner import cli

        names = {c.name or (c.callback.__name__ if c.callback else "") for c in cli.app.registered_commands}
    except Exception:  # noqa: BLE001 - the CLI not importable: run the function directly
        names = set()
    if "daemon" in names:
        return [sys.executable, "-c", "from scanner.cli import entry; entry()", "daemon", "--config", str(config)]
    code = "import sys; from pathlib import Path; from scanner.daemon import run_daemon; sys.exit(run_daemon(Path(sys.argv[1])))"
    return [sys.executable, "-c", code, str(config)]


class DaemonProcess:
    def __init__(self, config: Path) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(_daemon_command(config), cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, bufsize=1)
        self.lines: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            self._queue.put(line)

    def output(self) -> str:
        return "\n".join(self.lines)

    def address(self, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if "listening on http://" in line:
                    return line.split("listening on ", 1)[1].strip()
            if self.proc.poll() is not None:
                time.sleep(0.2)
                raise AssertionError(f"daemon exited with {self.proc.returncode}:\n{self.output()}")
            time.sleep(0.05)
        raise AssertionError(f"no address after {timeout}s:\n{self.output()}")

    def stop(self, timeout: float = 10) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)


@pytest.fixture
def daemons():
    started: list[DaemonProcess] = []

    def start(config: Path) -> DaemonProcess:
        d = DaemonProcess(config)
        started.append(d)
        return d

    yield start
    for d in started:
        d.kill()


def _get(url: str, method: str = "GET") -> tuple[int, str, str]:
    req = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read().decode()


def _wait(what: str, check, timeout: float = 90, every: float = 0.2):  # noqa: ANN001, ANN202
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(every)


def _store(db: Path):  # noqa: ANN202
    from scanner.store import Store

    return Store.open(f"sqlite:///{db.as_posix()}", upgrade=False)


def _consistency_problems(db: Path) -> list[str]:
    """Every stored result has all of its evidence (no half-written repository)."""
    import sqlalchemy as sa

    engine = sa.create_engine(f"sqlite:///{db.as_posix()}")
    problems = []
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT id, report, reused_from FROM results")).all()
            full = {result_id for result_id, _report, origin in rows if origin is None}
            for result_id, report, origin in rows:
                doc = json.loads(report) if isinstance(report, str) else report
                if origin is not None:  # a reused result points at a full one, and holds nothing itself
                    if origin not in full or conn.execute(sa.text("SELECT count(*) FROM evidence WHERE result_id = :r"), {"r": result_id}).scalar_one():
                        problems.append(f"result {result_id}: reuses {origin}, which is not a full result, or holds evidence")
                    continue
                count = conn.execute(sa.text("SELECT count(*) FROM evidence WHERE result_id = :r"), {"r": result_id}).scalar_one()
                if count != len(doc["evidence"]) or count == 0:
                    problems.append(f"result {result_id}: {count} evidence rows, report has {len(doc['evidence'])}")
    finally:
        engine.dispose()
    return problems


@needs_runtime
def test_daemon_end_to_end(tmp_path: Path, daemons) -> None:  # noqa: ANN001
    repos = _make_repos(tmp_path / "repos", 3)
    db = tmp_path / "maturity.db"
    config = _write_config(tmp_path / "maturity.toml", db, repos)
    first = daemons(config)
    base = first.address()

    status, _, body = _get(f"{base}/healthz")
    assert status == 200
    health = json.loads(body)
    assert health["status"] == "ok" and isinstance(health["scanning"], bool)

    def two_scans() -> bool:
        with _store(db) as store:
            return sum(1 for s in store.scans() if s.status == "completed") >= 2

    _wait("two completed scans", two_scans)

    status, ctype, body = _get(f"{base}/metrics")
    assert status == 200 and ctype.startswith("text/plain; version=0.0.4")
    assert "maturity_area_level{" in body and "maturity_repository_level{" in body
    assert "maturity_scans_total " in body

    status, _, body = _get(f"{base}/api/repos")
    listed = json.loads(body)
    assert status == 200
    assert sorted(r["name"] for r in listed) == [r.name for r in repos]
    assert all(r["provider"] == "local" and r["scan_id"] for r in listed)

    status, _, body = _get(f"{base}/api/repos/local/{repos[0].name}")
    assert status == 200 and json.loads(body)["schema_version"]
    status, _, body = _get(f"{base}/api/repos/local/{repos[0].name}/history")
    assert status == 200 and len(json.loads(body)) >= 1
    status, _, body = _get(f"{base}/api/repos/local/no-such-repo")
    assert status == 404 and "error" in json.loads(body)
    status, _, body = _get(f"{base}/nowhere")
    assert status == 404 and json.loads(body) == {"error": "not found"}

    status, _, body = _get(f"{base}/api/scans")
    assert status == 200 and len(json.loads(body)) >= 2
    status, _, body = _get(f"{base}/api/scans", method="POST")
    assert (status, json.loads(body)) in ((202, {"status": "started"}), (409, {"error": "a scan is running"}))

    status, _, body = _get(f"{base}/healthz")
    assert json.loads(body)["last_scan"] is not None

    # A second daemon on the same database refuses to start, and touches nothing.
    second = daemons(config)
    assert second.proc.wait(60) == 2, second.output()
    time.sleep(0.2)
    assert "another daemon" in second.output() and "not starting" in second.output(), second.output()

    started = time.monotonic()
    assert first.stop(timeout=15) == 0, first.output()
    assert time.monotonic() - started < 10
    with _store(db) as store:
        assert store.lock_holder("daemon") is None
        assert all(s.status != "running" for s in store.scans())
    assert _consistency_problems(db) == []


@needs_runtime
def test_killed_daemon_leaves_a_consistent_store(tmp_path: Path, daemons) -> None:  # noqa: ANN001
    repos = _make_repos(tmp_path / "repos", 30)
    db = tmp_path / "maturity.db"
    config = _write_config(tmp_path / "maturity.toml", db, repos, interval=3600)
    first = daemons(config)
    first.address()

    def mid_scan() -> bool:
        with _store(db) as store:
            scans = store.scans()
            # well before the end, so the kill cannot land after the scan finished
            return bool(scans) and scans[0].status == "running" and 1 <= len(store.results_of_scan(scans[0].id)) <= len(repos) - 8

    _wait("a scan under way", mid_scan, every=0.02)
    first.kill()
    with _store(db) as store:
        killed = store.scans()[0]
        assert killed.status == "running"
        assert store.lock_holder("daemon") is not None
    assert _consistency_problems(db) == []

    second = daemons(config)
    second.address()

    def completed() -> bool:
        with _store(db) as store:
            return any(s.status == "completed" and s.id != killed.id for s in store.scans())

    _wait("a new completed scan", completed)
    with _store(db) as store:
        statuses = {s.id: s.status for s in store.scans()}
        assert statuses[killed.id] == "interrupted"
        assert len(store.latest_results()) == len(repos)
    assert second.stop() == 0, second.output()
    assert _consistency_problems(db) == []


@needs_runtime
@pytest.mark.parametrize("text", ['[schedule]\ninterval_seconds = "soon"\n', "[scanner\n", '[nonsense]\nx = 1\n'])
def test_malformed_config_refuses_to_start(tmp_path: Path, capsys, text: str) -> None:  # noqa: ANN001
    from scanner.daemon import run_daemon

    config = tmp_path / "bad.toml"
    config.write_text(text, encoding="utf-8")
    assert run_daemon(config) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and "bad.toml" in err[0]
    assert not (tmp_path / "maturity.db").exists()


@needs_runtime
def test_config_without_targets_refuses_to_start(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    from scanner.daemon import run_daemon

    config = tmp_path / "empty.toml"
    config.write_text("[schedule]\ninterval_seconds = 5\n", encoding="utf-8")
    assert run_daemon(config, database=f"sqlite:///{(tmp_path / 'x.db').as_posix()}") == 2
    assert "no [[targets]]" in capsys.readouterr().err
