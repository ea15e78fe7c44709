"""The GitHub collector, driven for real (PyGithub + httpx) against the fake GitHub over HTTP on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
import subprocess
from pathlib import Path

import cli_helpers
import pytest

pytest.importorskip("graphql")

from fakes import FakeGitHub, generate_app_key, generate_org, validate_against_github_schema

from collectors.github import queries as q
from collectors.github.client import ClientSettings
from collectors.github.collector import GitHubCollector, GitHubSettings, parse_target
from collectors.interface import Collection, CollectionFailure
from collectors.local import LocalCollector
from scanner.cli import main
from scanner.errors import UsageError
from scanner.signals import CATALOG, fold

ANCHOR = dt.datetime.now(dt.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
TOKEN = "ghp_SeCrEt0123456789abcdefTOKENvalue"


@pytest.fixture(scope="module")
def org():
    return generate_org("acme", repos=24, seed=3, anchor=ANCHOR)


@pytest.fixture(scope="module")
def gh(org):
    with FakeGitHub(org=org, rate_limit=100_000, graphql_rate_limit=100_000) as fake:
        yield fake


@pytest.fixture(autouse=True)
def _clean(gh):
    gh.reset_counters()
    yield
    gh.clear_faults()


def settings(gh, tmp_path=None, **kw) -> GitHubSettings:
    client = kw.pop("client", None) or ClientSettings(api_url=gh.url, retries=2, backoff_s=0.05, max_wait_s=30, page_size=10)
    return GitHubSettings(client=client, token=kw.pop("token", TOKEN), cache_dir=tmp_path, **kw)


def collect(gh, names, tmp_path=None, **kw) -> dict[str, Collection | CollectionFailure]:
    collector = GitHubCollector(settings(gh, tmp_path, **kw))
    out = {}
    for result in collector.collect_all(names):
        out[result.target.name if isinstance(result, Collection) else result.target] = result
    return out


def signals_of(c: Collection) -> dict:
    return fold(c.evidence)


get = cli_helpers.get


# ---------------------------------------------------------------------------------------------- targets


def test_parse_target():
    assert parse_target("github:acme") == ("acme", None)
    assert parse_target("github:acme/flagship") == ("acme", "flagship")
    for bad in ("github:", "github:a/b/c", "github:-x", "github:acme/bad name"):
        with pytest.raises(UsageError):
            parse_target(bad)


def test_org_over_several_pages_sorted_without_archived_and_forks(gh, org):
    collector = GitHubCollector(settings(gh))
    names = collector.expand("github:acme")
    expected = sorted((r.full_name for r in org.shallow_repos() if not r.archived and not r.fork), key=str.lower)
    assert names == expected
    assert len(org.shallow_repos()) > 20  # page_size 10: three pages of listing
    pages = [r for r in gh.log if r.path.startswith("/orgs/acme/repos")]
    assert len(pages) >= 3
    with_all = GitHubCollector(settings(gh, include_archived=True, include_forks=True)).expand("github:acme")
    assert set(org.special["archived"]) | set(org.special["forks"]) <= {n.split("/")[1] for n in with_all}


def test_include_exclude_patterns(gh):
    names = GitHubCollector(settings(gh, include=("f*", "*-repo"), exclude=("forked-*",))).expand("github:acme")
    assert names and all(n.split("/")[1].startswith("f") or n.endswith("-repo") for n in names)
    assert "acme/forked-lib" not in names


# ---------------------------------------------------------------------------------------------- signals


def test_flagship_history_signals(gh, org):
    c = collect(gh, ["github:acme/flagship"])["acme/flagship"]
    assert isinstance(c, Collection), c
    s = signals_of(c)
    assert get(s, "ci.default_branch.runs") > 10
    assert isinstance(get(s, "ci.default_branch.break_median_hours"), float)
    assert 0 <= get(s, "ci.default_branch.red_ratio") <= 1
    assert {"push", "schedule"} <= set(get(s, "ci.triggers"))
    assert get(s, "deploy.count") > 0 and get(s, "deploy.frequency_per_week") > 0
    assert 0 <= get(s, "deploy.change_failure_rate") <= 1
    assert get(s, "deploy.lead_time_median_hours") is not None
    assert get(s, "release.count") > 0 and get(s, "release.frequency_per_month") > 0
    assert "release-bot" in get(s, "release.automation")
    assert get(s, "release.notes_generated") is True
    assert get(s, "process.required_reviews") == 2
    assert {"test", "analyze"} <= set(get(s, "process.required_checks"))
    assert get(s, "process.pr_merge_share") > 0.8
    # every history evidence points at a URL a person can open; files at blob URLs with a line
    for e in c.evidence:
        assert e.locator.startswith("http://127.0.0.1"), e
    deploy = next(e for e in c.evidence if e.key == "deploy.count")
    assert "production" in deploy.observed and "pattern" in deploy.observed
    workflow = next(e for e in c.evidence if e.key == "ci.pipeline" or "/blob/" in e.locator)
    assert "/blob/" in workflow.locator
    repo = org.repo("flagship")
    assert c.target.commit == repo.head.sha and c.target.default_branch == "main"


def test_production_patterns_are_configurable(gh):
    c = collect(gh, ["github:acme/flagship"], production_patterns=(r"^staging$",))["acme/flagship"]
    deploy = next(e for e in c.evidence if e.key == "deploy.count")
    assert "'staging'" in deploy.observed and "^staging$" in deploy.observed


def test_actions_disabled_no_admin_and_empty(gh):
    got = collect(gh, ["github:acme/actions-disabled", "github:acme/no-admin", "github:acme/empty-repo"])
    disabled = got["acme/actions-disabled"]
    assert isinstance(disabled, Collection)
    s = signals_of(disabled)
    assert get(s, "ci.default_branch.runs") is None and get(s, "ci.default_branch.red_ratio") is None
    assert any("404" in w.message and "ci.default_branch" in w.message for w in disabled.warnings)

    no_admin = got["acme/no-admin"]
    s = signals_of(no_admin)
    assert get(s, "process.required_reviews") is None  # never 0 or false when GitHub would not say
    assert get(s, "process.required_checks") is not None  # readers see required checks
    assert any("admin" in w.message for w in no_admin.warnings)

    empty = got["acme/empty-repo"]
    assert isinstance(empty, Collection)
    assert any(w.code == "empty-repository" for w in empty.warnings)
    assert get(signals_of(empty), "ci.default_branch.runs") is None


# ---------------------------------------------------------------------------------------------- faults


def test_secondary_rate_limit_mid_scan_waits_and_logs(gh, caplog):
    gh.inject("secondary", path=r"/actions/runs", count=2, retry_after=1)
    with caplog.at_level(logging.WARNING, logger="maturity"):
        got = collect(gh, ["github:acme/flagship"])
    assert isinstance(got["acme/flagship"], Collection)
    assert any("secondary rate limit" in r.getMessage() and "waiting" in r.getMessage() for r in caplog.records)


def test_primary_rate_limit_waits_for_the_reset(gh, caplog):
    gh.exhaust("core", reset_in_s=2)
    with caplog.at_level(logging.WARNING, logger="maturity"):
        got = collect(gh, ["github:acme/flagship"])
    assert isinstance(got["acme/flagship"], Collection)
    assert any("rate limit spent" in r.getMessage() for r in caplog.records)


def test_502_burst_and_garbage_body_fail_one_repository_each(gh, org):
    names = GitHubCollector(settings(gh)).expand("github:acme")
    bad_502, bad_garbage = names[1], names[2]
    gh.inject("status", path=rf"^/repos/{bad_502}/git/trees/", count=50, status=502)
    gh.inject("garbage", path=rf"^/repos/{bad_garbage}/git/trees/", count=50)
    got = collect(gh, ["github:acme"])
    assert isinstance(got[bad_502], CollectionFailure) and "502" in got[bad_502].error
    assert isinstance(got[bad_garbage], CollectionFailure) and "not JSON" in got[bad_garbage].error
    assert sum(isinstance(v, Collection) for v in got.values()) == len(names) - 2


def test_transient_502_is_retried(gh):
    gh.inject("status", path=r"^/repos/acme/flagship/git/trees/", count=2, status=502)
    assert isinstance(collect(gh, ["github:acme/flagship"])["acme/flagship"], Collection)


def test_unknown_owner_is_one_clear_error(gh, capsys):
    code = main(["scan", "github:nobody-here", "--github-url", gh.url, "--no-cache"])
    err = capsys.readouterr().err
    assert code != 0 and "nobody-here" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


# ---------------------------------------------------------------------------------------------- CLI, strict, token


def run_cli(args, monkeypatch, tmp_path) -> tuple[int, str, str]:
    return cli_helpers.run_cli(args, monkeypatch, tmp_path, GITHUB_TOKEN=TOKEN)


def test_org_scan_cli_json_strict_and_token_never_shown(gh, monkeypatch, tmp_path, caplog):
    names = GitHubCollector(settings(gh)).expand("github:acme")
    gh.inject("status", path=rf"^/repos/{names[0]}/git/trees/", count=100, status=502)
    args = ["scan", "github:acme", "--github-url", gh.url, "--format", "json"]
    with caplog.at_level(logging.DEBUG):
        code, out, err = run_cli(args, monkeypatch, tmp_path)
    assert code == 0, err
    run = json.loads(out)
    assert run["kind"] == "scan-run" and len(run["reports"]) == len(names) - 1
    assert [f["target"] for f in run["failures"]] == [names[0]]
    assert run["api"][0]["provider"] == "github" and run["api"][0]["requests"] > 0
    gh.inject("status", path=rf"^/repos/{names[0]}/git/trees/", count=100, status=502)
    code2, out2, err2 = run_cli([*args, "--strict", "--no-cache"], monkeypatch, tmp_path)
    assert code2 == 4
    # the token appears nowhere: output, errors, logs, the cache database
    texts = [out, err, out2, err2, caplog.text]
    for db in (tmp_path / "cache").rglob("*.sqlite3*"):
        texts.append(db.read_bytes().decode("latin-1"))
    for text in texts:
        assert TOKEN not in text


def test_bad_token_error_does_not_echo_it(org, monkeypatch, tmp_path):
    with FakeGitHub(org=org, token="the-only-good-token") as fake:
        code, out, err = run_cli(["scan", "github:acme/flagship", "--github-url", fake.url, "--no-cache"], monkeypatch, tmp_path)
    assert code != 0 and TOKEN not in out + err and "Traceback" not in err
    assert "401" in err or "credentials" in err.lower()


# ---------------------------------------------------------------------------------------------- budget and cache


def test_rescan_is_cheap_and_gives_the_same_signals(gh, tmp_path):
    first = collect(gh, ["github:acme"], tmp_path)
    full_points = gh.points
    gh.reset_counters()
    second = collect(gh, ["github:acme"], tmp_path)
    assert gh.points * 4 < full_points, (gh.points, full_points)
    assert gh.not_modified > 0
    for name, c in first.items():
        if isinstance(c, Collection):
            assert signals_of(second[name]) == signals_of(c), name


def test_cache_follows_a_push(gh, tmp_path, org):
    collect(gh, ["github:acme/flagship"], tmp_path)
    repo = org.repo("flagship")
    repo.push({"Jenkinsfile": "pipeline { agent any\n triggers { pollSCM('H/5 * * * *') }\n stages { stage('b') { steps { sh 'make' } } } }\n"},
              "add Jenkinsfile")
    try:
        c = collect(gh, ["github:acme/flagship"], tmp_path)["acme/flagship"]
        assert "poll" in get(signals_of(c), "ci.triggers")
        assert c.target.commit == repo.head.sha
    finally:
        repo.push({"Jenkinsfile": None}, "remove Jenkinsfile")


def test_graphql_documents_are_valid_against_githubs_public_schema():
    docs = [q.probe_query(["a/b", "c/d"]), q.history_query(["a/b"]), q.deployments_page_query("a/b"),
            q.blob_query([("a/b", ["0" * 40, "1" * 40])])]
    for doc in docs:
        assert validate_against_github_schema(doc) == [], doc[:200]


# ---------------------------------------------------------------------------------------------- App auth


def test_github_app_installation_auth(org):
    private, public = generate_app_key()
    with FakeGitHub(org=org, app_id=4242, app_public_key=public, token="personal-token-not-used") as fake:
        s = GitHubSettings(client=ClientSettings(api_url=fake.url, retries=1, backoff_s=0.05), app_id="4242",
                           app_private_key=private.decode(), installation_id=org.installation_id or 1)
        results = list(GitHubCollector(s).collect_all(["github:acme/flagship"]))
    assert isinstance(results[0], Collection), results[0]
    assert get(signals_of(results[0]), "deploy.count") > 0


# ---------------------------------------------------------------------------------------------- same files, same signals


def test_github_and_local_checkout_give_the_same_file_signals(gh, org, tmp_path):
    c = collect(gh, ["github:acme/flagship", "github:acme/old-monolith"], include_archived=True)
    for name in ("flagship", "old-monolith"):
        repo = org.repo(name)
        root = tmp_path / name
        for path, content in repo.files().items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
        subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
        local = LocalCollector().collect(str(root))
        remote = c[f"acme/{name}"]
        assert isinstance(remote, Collection), remote
        file_keys = {k for k, spec in CATALOG.items() if spec.origin == "files"}
        # history evidence may add to a files key (release-bot); compare what the files said
        remote_files = [e for e in remote.evidence if e.key in file_keys and ("/blob/" in e.locator or e.locator == remote.target.url)]
        local_files = [e for e in local.evidence if e.key in file_keys]
        assert fold(remote_files) == fold(local_files), name


def test_no_cache_keeps_nothing(gh, monkeypatch, tmp_path):
    args = ["scan", "github:acme/flagship", "--github-url", gh.url, "-f", "json"]
    code, _out, err = run_cli([*args, "--no-cache"], monkeypatch, tmp_path)
    assert code == 0, err
    assert not (tmp_path / "cache").exists()
    code, _out, err = run_cli(args, monkeypatch, tmp_path)  # the same scan with the cache writes one
    assert code == 0 and list((tmp_path / "cache" / "maturity-scanner").glob("github-*.sqlite3")), err


def test_cache_holds_no_request_headers(gh, tmp_path):
    collect(gh, ["github:acme/flagship"], tmp_path)
    dbs = list(Path(tmp_path).glob("*.sqlite3"))
    assert dbs
    with sqlite3.connect(dbs[0]) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert tables == {"etag", "objects", "history"}
        assert db.execute("SELECT count(*) FROM etag").fetchone()[0] > 0


def test_replayed_real_runs_give_default_branch_signals():
    from fakes import replay_org

    org = replay_org(shift_to=ANCHOR - dt.timedelta(days=1))
    with FakeGitHub(org=org) as fake:
        got = collect(fake, ["github:panjf2000/ants"])
    c = got["panjf2000/ants"]
    assert isinstance(c, Collection), c
    s = signals_of(c)
    real = [r for r in org.repo("ants").runs if r.head_branch == "master" and r.created_at >= ANCHOR - dt.timedelta(days=90)]
    assert get(s, "ci.default_branch.runs") == len([r for r in real if not r.path.startswith("dynamic/")])
    assert get(s, "ci.default_branch.break_median_hours") is not None
    assert "push" in get(s, "ci.triggers")


def test_a_hung_request_times_out_and_is_retried(gh):
    gh.inject("timeout", path=r"^/repos/acme/flagship/git/trees/", count=1, hang_s=3)
    client = ClientSettings(api_url=gh.url, retries=2, backoff_s=0.05, timeout_s=1, page_size=100)
    assert isinstance(collect(gh, ["github:acme/flagship"], client=client)["acme/flagship"], Collection)


def test_truncated_json_is_retried(gh):
    gh.inject("truncated", path=r"^/repos/acme/flagship/actions/runs", count=1)
    c = collect(gh, ["github:acme/flagship"])["acme/flagship"]
    assert isinstance(c, Collection) and get(signals_of(c), "ci.default_branch.runs") > 0


def test_config_targets_with_include_and_exclude(gh, monkeypatch, tmp_path):
    config = tmp_path / "maturity.toml"
    config.write_text(f'[github]\nurl = "{gh.url}"\ncache = false\n\n[[targets]]\nkind = "github"\nname = "acme"\n'
                      'include = ["f*"]\nexclude = ["forked-*"]\n', encoding="utf-8")
    code, out, err = run_cli(["scan", "--config", str(config), "--format", "json"], monkeypatch, tmp_path)
    assert code == 0, err
    run = json.loads(out)
    names = [r["target"]["name"] for r in run["reports"]]
    assert names == sorted(names, key=str.lower) and names and all(n.split("/")[1].startswith("f") for n in names)
    assert "acme/forked-lib" not in names and run["targets"] == ["github:acme"]


def test_config_check_names_github_problems(tmp_path):
    from scanner.config import check_config

    config = tmp_path / "c.toml"
    config.write_text('[github]\nurl = "api.github.com"\napp_id = "12"\nprivate_key_path = "/nonexistent/key.pem"\n', encoding="utf-8")
    problems = check_config(config)
    assert any("installation_id" in p for p in problems)
    assert any("no such file" in p for p in problems)
    assert any("github.url" in p for p in problems)
