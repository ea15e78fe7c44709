"""The GitLab collector, driven for real (python-gitlab) against the fake GitLab over HTTP on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json
import logging
import subprocess

import cli_helpers
import pytest

pytest.importorskip("gitlab")

from fakes.gitlab import FakeGitLab, generate_group

from collectors.gitlab.collector import GitLabCollector, GitLabSettings, parse_target
from collectors.interface import Collection, CollectionFailure
from collectors.local import LocalCollector
from scanner.errors import UsageError
from scanner.signals import CATALOG, fold

ANCHOR = dt.datetime.now(dt.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
TOKEN = "glpat-SeCrEt0123456789abcdefTOKEN"


@pytest.fixture(scope="module")
def group():
    return generate_group("acme", projects=24, seed=5, anchor=ANCHOR)


@pytest.fixture(scope="module")
def fake(group):
    with FakeGitLab(group=group, token=TOKEN, rate_limit=100_000) as gl:
        yield gl


@pytest.fixture(autouse=True)
def _clean(fake):
    fake.clear_faults()
    fake.reset_counters()


def settings(fake, tmp_path=None, **kw) -> GitLabSettings:
    return GitLabSettings(url=fake.url, token=kw.pop("token", TOKEN), retries=kw.pop("retries", 2), timeout_s=kw.pop("timeout_s", 10),
                          cache_dir=tmp_path, **kw)


def collect(fake, targets, tmp_path=None, **kw) -> dict[str, Collection | CollectionFailure]:
    out = {}
    for r in GitLabCollector(settings(fake, tmp_path, **kw)).collect_all(targets):
        out[r.target.name if isinstance(r, Collection) else r.target] = r
    return out


get = cli_helpers.get


def test_parse_target():
    assert parse_target("gitlab:acme") == "acme"
    assert parse_target("gitlab:acme/platform/infra/svc-02") == "acme/platform/infra/svc-02"
    for bad in ("gitlab:", "gitlab:a b", "gitlab:../x"):
        with pytest.raises(UsageError):
            parse_target(bad)


def test_group_with_nested_subgroups_without_archived(fake, group):
    projects = GitLabCollector(settings(fake)).expand("gitlab:acme")
    names = [p["path_with_namespace"] for p in projects]
    assert names == sorted(names, key=str.lower)
    assert "acme/platform/infra/broken-ci" in names and "acme/platform/manual-deploy" in names
    assert "acme/legacy" not in names
    assert "acme/legacy" in [p["path_with_namespace"] for p in GitLabCollector(settings(fake, include_archived=True)).expand("gitlab:acme")]
    only = GitLabCollector(settings(fake, include=("acme/platform/*",), exclude=("*broken*",))).expand("gitlab:acme")
    assert only and all(p["path_with_namespace"].startswith("acme/platform/") and "broken" not in p["path_with_namespace"] for p in only)


def test_flagship_signals(fake):
    c = collect(fake, ["gitlab:acme/flagship"])["acme/flagship"]
    assert isinstance(c, Collection), c
    s = fold(c.evidence)
    assert get(s, "ci.default_branch.runs") > 0
    assert get(s, "ci.default_branch.break_median_hours") is not None
    assert get(s, "ci.default_branch.red_ratio") is not None
    triggers = set(get(s, "ci.triggers"))
    assert {"push", "pull_request", "schedule", "manual", "api", "upstream"} <= triggers
    assert get(s, "deploy.count") > 0 and get(s, "deploy.frequency_per_week") > 0
    assert get(s, "deploy.rollbacks") >= 1  # a redeploy of an older commit
    assert get(s, "deploy.change_failure_rate") > 0
    assert get(s, "deploy.time_to_restore_median_hours") is not None
    deploy = next(e for e in c.evidence if e.key == "deploy.count")
    assert "tier production" in deploy.observed
    assert get(s, "release.count") == 3 and get(s, "release.frequency_per_month") > 0
    assert get(s, "process.required_reviews") == 2
    assert get(s, "process.required_checks") == ["pipeline"]
    assert 0 < get(s, "process.pr_merge_share") < 1
    # local include resolved, project/template includes recorded, multi-project trigger understood
    assert "gitlab-multi-project" in (get(s, "deploy.orchestrators") or [])
    assert all(e.locator.startswith("https://gitlab.example.com/acme/flagship") for e in c.evidence), \
        [e.locator for e in c.evidence if not e.locator.startswith("https://gitlab.example.com/acme/flagship")]
    assert any("/-/blob/" in e.locator and "#L" in e.locator for e in c.evidence)
    assert c.target.commit == fake.project("acme/flagship").commits[0]["id"]


def test_tier_decides_before_name_patterns(fake):
    c = collect(fake, ["gitlab:acme/flagship"], production_patterns=(r"^staging$",))["acme/flagship"]
    deploy = next(e for e in c.evidence if e.key == "deploy.count")
    assert "tier production" in deploy.observed and "staging" not in deploy.observed.split("tier production")[0]


def test_manual_production_deploy_no_pipelines_and_broken_yaml(fake):
    got = collect(fake, ["gitlab:acme/platform/manual-deploy", "gitlab:acme/apps/no-pipelines", "gitlab:acme/platform/infra/broken-ci"])
    manual = fold(got["acme/platform/manual-deploy"].evidence)
    assert get(manual, "deploy.on_demand") is True and get(manual, "deploy.automated") is False
    quiet = got["acme/apps/no-pipelines"]
    assert isinstance(quiet, Collection) and get(fold(quiet.evidence), "ci.default_branch.runs") == 0
    broken = got["acme/platform/infra/broken-ci"]
    assert isinstance(broken, Collection)
    assert any(w.code == "broken-yaml" and ".gitlab-ci.yml" in (w.locator or "") for w in broken.warnings)


def test_429_mid_scan_is_waited_out_and_logged(fake, caplog):
    fake.inject("429", path=r"/pipelines", count=2, retry_after=1)
    with caplog.at_level(logging.WARNING, logger="maturity"):
        got = collect(fake, ["gitlab:acme/flagship"])
    assert isinstance(got["acme/flagship"], Collection)
    assert any("429" in r.getMessage() and "Retry-After" in r.getMessage() for r in caplog.records)


def test_a_429_asking_too_long_fails_the_project_not_the_scan(fake):
    fake.inject("429", path=r"/approval_rules", count=1, retry_after=3600)
    got = collect(fake, ["gitlab:acme/flagship"], max_wait_s=5)
    assert isinstance(got["acme/flagship"], CollectionFailure) and "max_wait_s" in got["acme/flagship"].error


def test_5xx_burst_and_garbage_fail_one_project_each(fake):
    names = [p["path_with_namespace"] for p in GitLabCollector(settings(fake)).expand("gitlab:acme")]
    p502, pgarbage = fake.project(names[1]), fake.project(names[2])
    fake.inject("status", path=rf"^/projects/{p502.id}/repository/commits", count=50, status=502)
    fake.inject("garbage", path=rf"^/projects/{pgarbage.id}/pipelines", count=50)
    got = collect(fake, ["gitlab:acme"])
    assert isinstance(got[names[1]], CollectionFailure) and "502" in got[names[1]].error
    assert isinstance(got[names[2]], CollectionFailure)
    assert sum(isinstance(v, Collection) for v in got.values()) == len(names) - 2


def run_cli(args, monkeypatch, tmp_path, token=TOKEN):
    return cli_helpers.run_cli(args, monkeypatch, tmp_path, GITLAB_TOKEN=token)


def test_cli_group_run_project_report_and_token_never_shown(fake, monkeypatch, tmp_path, caplog):
    with caplog.at_level(logging.DEBUG):
        code, out, err = run_cli(["scan", "gitlab:acme", "--gitlab-url", fake.url, "-f", "json"], monkeypatch, tmp_path)
        assert code == 0, err
        run = json.loads(out)
        assert run["kind"] == "scan-run" and run["api"][0]["provider"] == "gitlab" and run["api"][0]["points"] is None
        code, out2, err2 = run_cli(["scan", "gitlab:acme/flagship", "--gitlab-url", fake.url, "-f", "json"], monkeypatch, tmp_path)
        assert code == 0 and json.loads(out2)["target"]["name"] == "acme/flagship"  # a project: one report
        code, out3, err3 = run_cli(["scan", "gitlab:acme/flagship", "--gitlab-url", fake.url], monkeypatch, tmp_path, token="wrong-token")
        assert code != 0 and "401" in err3 and len(err3.strip().splitlines()) == 1
    texts = [out, err, out2, err2, out3, err3, caplog.text]
    texts += [p.read_bytes().decode("latin-1") for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    for text in texts:
        assert TOKEN not in text


def test_rescan_of_an_unchanged_group_reads_nothing_per_project(fake, tmp_path):
    first = collect(fake, ["gitlab:acme"], tmp_path)
    full = fake.requests
    fake.reset_counters()
    second = collect(fake, ["gitlab:acme"], tmp_path)
    assert fake.requests <= 3 < full  # the group, its listing
    for name, c in first.items():
        assert fold(second[name].evidence) == fold(c.evidence), name


def test_gitlab_and_local_checkout_give_the_same_file_signals(fake, tmp_path):
    got = collect(fake, ["gitlab:acme/flagship", "gitlab:acme/platform/manual-deploy"])
    file_keys = {k for k, spec in CATALOG.items() if spec.origin == "files"}
    for name in ("acme/flagship", "acme/platform/manual-deploy"):
        root = tmp_path / name.replace("/", "_")
        for path, content in fake.project(name).files.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
        subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
        local = LocalCollector().collect(str(root))
        remote = got[name]
        web = remote.target.url
        remote_files = [e for e in remote.evidence if e.key in file_keys and ("/-/blob/" in e.locator or e.locator == web)]
        assert fold(remote_files) == fold([e for e in local.evidence if e.key in file_keys]), name


def test_replayed_real_payloads_give_history_without_files():
    from fakes.gitlab import replay_project

    with FakeGitLab(group=replay_project()) as fake:
        now = dt.datetime(2023, 11, 7, tzinfo=dt.timezone.utc)
        collector = GitLabCollector(GitLabSettings(url=fake.url, token="t", window_days=3650, retries=1), now=now)
        results = list(collector.collect_all(["gitlab:merico-dev/ee"]))
        assert not fake.internal_errors
    assert len(results) == 1 and isinstance(results[0], Collection), results
    s = fold(results[0].evidence)
    # the recording holds merge-request and branch pipelines, none on master, and failed deployments
    assert get(s, "ci.default_branch.runs") == 0 and get(s, "deploy.change_failure_rate") is not None
    assert get(s, "ci.pipeline") is None  # files could not be read: unknown, not "none found"
    assert any(w.code == "files-unreadable" for w in results[0].warnings)


def test_an_unreadable_archive_leaves_file_signals_unknown(fake):
    project = fake.project("acme/apps/no-pipelines")
    fake.inject("status", path=rf"^/projects/{project.id}/repository/archive", count=1, status=404)
    c = collect(fake, ["gitlab:acme/apps/no-pipelines"])["acme/apps/no-pipelines"]
    assert isinstance(c, Collection)
    assert any(w.code == "files-unreadable" for w in c.warnings)
    assert get(fold(c.evidence), "ci.pipeline") is None
