"""Stored org scans from the command line: every result kept, unchanged repositories reused, and the
`history`, `diff`, `org` and `db upgrade` commands — on SQLite always, on PostgreSQL when reachable."""

from __future__ import annotations

import json
import subprocess
import uuid
from pathlib import Path

import cli_helpers
import pytest

from scanner.store import Store

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _postgres_reachable() -> str | None:
    try:
        import psycopg

        psycopg.connect("host=127.0.0.1 port=5432 dbname=test user=postgres", connect_timeout=2).close()
    except Exception as exc:  # noqa: BLE001 - any failure means "not here"
        return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    return None


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store' / 'maturity.db'}"
        return
    why = _postgres_reachable()
    if why is not None:
        pytest.skip(f"PostgreSQL not reachable on 127.0.0.1:5432 ({why})")
    import psycopg

    schema = f"mt_{uuid.uuid4().hex[:10]}"
    with psycopg.connect("host=127.0.0.1 port=5432 dbname=test user=postgres", autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{POSTGRES}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect("host=127.0.0.1 port=5432 dbname=test user=postgres", autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def make_repo(root: Path, name: str, files: dict[str, str]) -> Path:
    path = root / name
    for rel, text in files.items():
        target = path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    subprocess.run(["git", "-C", str(path), "remote", "add", "origin", f"https://github.com/acme/{name}.git"], check=True)
    subprocess.run(["git", "-C", str(path), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(path), "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "init"], check=True)
    return path


CI = ("name: CI\non:\n  push:\n    branches: [main]\n  pull_request:\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
      "      - uses: actions/checkout@v4\n      - run: make test\n")


@pytest.fixture
def repos(tmp_path):
    root = tmp_path / "repos"
    return [
        make_repo(root, "alpha", {".github/workflows/ci.yml": CI, "Makefile": "test:\n\tpytest\n", "CODEOWNERS": "* @acme/platform\n"}),
        make_repo(root, "beta", {"Dockerfile": "FROM python:3.12\n", "README.md": "# beta\n", ".github/CODEOWNERS": "* @acme/data\n"}),
        make_repo(root, "gamma", {"Jenkinsfile": "pipeline { agent any\n triggers { pollSCM('H/5 * * * *') }\n stages { stage('b') { steps { sh 'make' } } } }\n"}),
    ]


def write_config(tmp_path: Path, repos: list[Path], database: str) -> Path:
    config = tmp_path / "maturity.toml"
    targets = "".join(f'[[targets]]\nkind = "local"\npath = "{p}"\n\n' for p in repos)
    config.write_text(f'[scanner]\ndatabase = "{database}"\n\n{targets}', encoding="utf-8")
    return config


def _count(database: str, table: str) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(database)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
    finally:
        engine.dispose()


def run(args, monkeypatch, tmp_path):
    return cli_helpers.run_cli(args, monkeypatch, tmp_path)


def test_stored_scans_reuse_history_diff_and_org(database, repos, tmp_path, monkeypatch):
    config = write_config(tmp_path, repos, database)
    code, out, err = run(["scan", "--config", str(config), "-f", "json"], monkeypatch, tmp_path)
    assert code == 0, err
    first = json.loads(out)
    assert first["scan_id"] and first["reused"] == [] and len(first["reports"]) == 3
    # nothing moved: every repository's stored result stands, and its evidence is not written again
    evidence_rows = _count(database, "evidence")
    code, out, err = run(["scan", "--config", str(config), "-f", "json"], monkeypatch, tmp_path)
    second = json.loads(out)
    assert sorted(second["reused"]) == ["acme/alpha", "acme/beta", "acme/gamma"]
    assert _count(database, "evidence") == evidence_rows and _count(database, "results") == 6
    assert [r["target"]["name"] for r in second["reports"]] == [r["target"]["name"] for r in first["reports"]]
    # a commit moves beta: only beta is read again
    (repos[1] / ".github" / "workflows").mkdir(parents=True)
    (repos[1] / ".github" / "workflows" / "ci.yml").write_text(CI, encoding="utf-8")
    subprocess.run(["git", "-C", str(repos[1]), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(repos[1]), "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "ci"], check=True)
    code, out, err = run(["scan", "--config", str(config), "-f", "json"], monkeypatch, tmp_path)
    third = json.loads(out)
    assert sorted(third["reused"]) == ["acme/alpha", "acme/gamma"]

    store = Store.open(database)
    try:
        scans = store.scans()
        assert [s.status for s in scans[:3]] == ["completed"] * 3 and scans[0].repos_reused == 2
        assert {r.name for r in store.latest_results()} == {"acme/alpha", "acme/beta", "acme/gamma"}
    finally:
        store.close()

    code, out, err = run(["history", "acme/beta", "--config", str(config), "-f", "json"], monkeypatch, tmp_path)
    assert code == 0, err
    rows = json.loads(out)
    assert [r["scan_id"] for r in rows] == [first["scan_id"], second["scan_id"], third["scan_id"]]
    code, out, err = run(["history", "--config", str(config)], monkeypatch, tmp_path)
    assert code == 0 and "acme/gamma" in out

    code, out, err = run(["diff", str(second["scan_id"]), str(third["scan_id"]), "--config", str(config), "-f", "json"], monkeypatch, tmp_path)
    assert code == 0, err
    changes = {c["name"]: c for c in json.loads(out)["changes"]}
    assert set(changes) == {"acme/beta"}
    assert any(key == "ci.systems" for key, _value, _loc in changes["acme/beta"]["evidence_added"])
    code, out, err = run(["diff", str(second["scan_id"]), str(third["scan_id"]), "--config", str(config)], monkeypatch, tmp_path)
    assert "acme/beta" in out and "ci.systems" in out

    code, out, err = run(["org", "--config", str(config), "-f", "json"], monkeypatch, tmp_path)
    assert code == 0, err
    (everyone,) = json.loads(out)
    assert len(everyone["repositories"]) == 3 and sum(everyone["cells"]["build"].values()) == 3
    assert everyone["profile"]["overall"] is not None
    code, out, err = run(["org", "--group-by", "team", "--config", str(config), "-f", "json"], monkeypatch, tmp_path)
    groups = {g["group"]: g["repositories"] for g in json.loads(out)}
    assert groups["acme/platform"] == ["local:acme/alpha"] and groups["acme/data"] == ["local:acme/beta"]
    assert groups["(no team)"] == ["local:acme/gamma"]
    code, out, err = run(["org", "--group-by", "owner", "--config", str(config)], monkeypatch, tmp_path)
    assert code == 0 and "acme: 3 repositories" in out


def test_jsonl_one_valid_report_per_line(repos, tmp_path, monkeypatch):
    import jsonschema

    schema = json.loads((Path(__file__).parent.parent / "schemas" / "scan-report.schema.json").read_text(encoding="utf-8"))
    out_file = tmp_path / "run.jsonl"
    code, out, err = run(["scan", *map(str, repos), "-f", "jsonl", "-o", str(out_file)], monkeypatch, tmp_path)
    assert code == 0, err
    lines = out_file.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    for line in lines:
        jsonschema.validate(json.loads(line), schema)


def test_db_upgrade_and_bad_database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'db' / 'm.db'}"
    code, out, err = run(["db", "upgrade", "--database", url], monkeypatch, tmp_path)
    assert code == 0 and "revision" in out, err
    code, out, err = run(["history", "--database", "postgresql+psycopg://u:hunter2@127.0.0.1:1/none"], monkeypatch, tmp_path)
    assert code != 0 and "hunter2" not in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    code, out, err = run(["history", "--database", f"sqlite:///{tmp_path / 'absent.db'}"], monkeypatch, tmp_path)
    assert code == 2 and "no store" in err


def test_malformed_config_is_one_clear_line(tmp_path, monkeypatch):
    config = tmp_path / "bad.toml"
    config.write_text('[scanner]\nwindow_days = "soon"\n[[targets]]\nkind = "svn"\n', encoding="utf-8")
    for args in (["scan", "--config", str(config)], ["org", "--config", str(config)], ["daemon", "--config", str(config)]):
        code, out, err = run(args, monkeypatch, tmp_path)
        assert code == 2 and "bad.toml" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1, (args, err)


def test_stored_org_scan_over_local_and_the_fakes(database, repos, tmp_path, monkeypatch):
    from fakes import FakeGitHub, FakeGitLab, FakeJenkins, generate_group, generate_jenkins_server, generate_org

    with FakeGitHub(org=generate_org("acme", repos=6, seed=4)) as gh, \
            FakeGitLab(group=generate_group("grp", projects=4, seed=4)) as gl, \
            FakeJenkins(server=generate_jenkins_server(jobs=0, seed=4)) as jk:
        config = write_config(tmp_path, repos[:1], database)
        config.write_text(config.read_text(encoding="utf-8") + (
            f'[github]\nurl = "{gh.url}"\ncache = false\n\n[gitlab]\nurl = "{gl.url}"\ncache = false\n\n'
            '[[targets]]\nkind = "github"\nname = "acme"\n\n[[targets]]\nkind = "gitlab"\nname = "grp"\n\n'
            f'[[targets]]\nkind = "jenkins"\nurl = "{jk.url}"\n'), encoding="utf-8")
        code, out, err = cli_helpers.run_cli(["scan", "--config", str(config), "-f", "json"], monkeypatch, tmp_path,
                                             GITHUB_TOKEN="t", GITLAB_TOKEN="t")
    assert code == 0, err
    run_doc = json.loads(out)
    store = Store.open(database)
    try:
        stored = {(r.provider, r.name) for r in store.latest_results()}
        scan = store.scan(run_doc["scan_id"])
    finally:
        store.close()
    kinds = {k for k, _ in stored}
    assert kinds == {"local", "github", "gitlab", "jenkins"}
    assert len(stored) == len(run_doc["reports"]) and scan.repos_ok == len(stored) and scan.status == "completed"
    assert ("jenkins", "github.com/acme/billing") in stored  # jobs no other target claims are stored on their own
