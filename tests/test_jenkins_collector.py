"""The Jenkins collector, driven for real (python-jenkins) against the fake Jenkins over HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import logging
import subprocess

import cli_helpers
import pytest

pytest.importorskip("jenkins")

from fakes.jenkins import FakeJenkins, generate_server

from collectors.jenkins.collector import JenkinsCollector, JenkinsSettings, parse_target, repo_key
from collectors.jenkins.config_xml import ConfigXmlError, parse_config
from scanner.errors import UsageError
from scanner.signals import fold

USER, TOKEN = "ci-bot", "11SeCrEtJenkinsApiToken0123456789"


@pytest.fixture(scope="module")
def fake():
    with FakeJenkins(server=generate_server(jobs=40, seed=2), user=USER, token=TOKEN) as jk:
        yield jk


@pytest.fixture(autouse=True)
def _clean(fake):
    fake.clear_faults()
    fake.reset_counters()


def collector(fake, **kw) -> JenkinsCollector:
    return JenkinsCollector(JenkinsSettings(url=fake.url, user=USER, token=TOKEN, timeout_s=kw.pop("timeout_s", 10), retries=kw.pop("retries", 1), **kw))


@pytest.fixture(scope="module")
def groups(fake):
    found, failures = collector(fake).collect_groups()
    assert failures == []
    return {g.key: g for g in found}


get = cli_helpers.get


def job_triggers(group, job: str) -> set[str]:
    return {e.value[0] for e in group.evidence if e.key == "ci.triggers" and f"job {job}:" in e.observed}


def test_targets_and_url_normalisation():
    assert parse_target("jenkins:https://ci.example.com") == ("https://ci.example.com", ())
    assert parse_target("jenkins:https://ci.example.com/jenkins/job/platform/job/team-a/") == ("https://ci.example.com/jenkins", ("platform", "team-a"))
    for bad in ("jenkins:ci.example.com", "jenkins:https://ci.example.com/job/a/x"):
        with pytest.raises(UsageError):
            parse_target(bad)
    assert repo_key("git@github.com:Acme/Billing.git") == repo_key("https://github.com/acme/billing") == ("github.com", "acme/billing")
    assert repo_key("ssh://git@gitlab.example.com:2222/acme/flagship.git") == ("gitlab.example.com", "acme/flagship")


def test_every_trigger_kind_from_the_real_config_samples(groups):
    billing = groups[("github.com", "acme/billing")]
    flagship = groups[("github.com", "acme/flagship")]
    assert "poll" in job_triggers(billing, "platform/team-a/services/billing-build")  # SCMTrigger, three folders deep
    assert job_triggers(flagship, "api-build") >= {"push"}  # GitHubPushTrigger
    assert "schedule" in job_triggers(flagship, "nightly")  # TimerTrigger
    assert "push" in job_triggers(flagship, "webhook-build")  # generic webhook trigger
    assert "upstream" in job_triggers(flagship, "after-api")  # ReverseBuildTrigger
    assert "pull_request" in job_triggers(flagship, "pr-builder")  # GitHub pull request builder
    gitlab = groups[("gitlab.example.com", "acme/flagship")]
    assert {"push", "pull_request"} <= job_triggers(gitlab, "gitlab-build")  # GitLabPushTrigger
    poll = next(e for e in billing.evidence if e.key == "ci.triggers" and e.value == ["poll"] and "billing-build" in e.observed)
    assert "config.xml#L" in poll.locator and "*/15" in poll.observed  # the schedule is kept


def test_inline_and_scm_pipelines_and_multibranch(groups):
    billing = groups[("github.com", "acme/billing")]
    assert "poll" in job_triggers(billing, "inline-pipeline")  # triggers { pollSCM } in the inline script
    assert "scm-pipeline" in billing.jobs  # pipeline from SCM: grouped with the repository it builds
    shop = groups[("github.com", "acme/shop")]
    assert {"apps/shop/main", "apps/shop/feature-1"} <= set(shop.jobs)
    multibranch = [e for e in shop.evidence if e.key == "ci.triggers" and "job apps/shop:" in e.observed]
    assert multibranch and all(e.value == ["push"] for e in multibranch)
    assert any("every 15 min" in e.observed for e in multibranch)
    assert get(fold(shop.evidence), "ci.default_branch.runs") > 0  # the `main` branch job


def test_default_branch_break_duration(groups):
    s = fold(groups[("github.com", "acme/billing")].evidence)
    assert get(s, "ci.default_branch.runs") > 0
    assert get(s, "ci.default_branch.break_median_hours") > 0
    assert 0 < get(s, "ci.default_branch.red_ratio") < 1


def test_deploy_jobs_with_and_without_a_matching_pattern(fake, groups):
    flagship = groups[("github.com", "acme/flagship")]
    s = fold(flagship.evidence)
    assert get(s, "deploy.count") > 0 and get(s, "deploy.frequency_per_week") > 0
    assert get(s, "deploy.change_failure_rate") is not None and get(s, "deploy.time_to_restore_median_hours") is not None
    assert get(s, "deploy.on_demand") is True  # parameterised and started by people
    matched = [e.observed for e in flagship.evidence if e.key == "deploy.scripts"]
    assert any("deploy-production" in o and "matched deploy pattern" in o for o in matched)
    assert not any("image-push" in o for o in matched)
    # nothing matches: no deployments are invented
    found, _ = collector(fake, deploy_job_patterns=("^no-such-job$",), deploy_parameter_patterns=("^nothing$",)).collect_groups()
    again = {g.key: g for g in found}[("github.com", "acme/flagship")]
    assert get(fold(again.evidence), "deploy.count") is None


def test_budget_of_requests_per_job(fake):
    c = collector(fake)
    found, _ = c.collect_groups()
    jobs = sum(len(g.jobs) for g in found)
    assert fake.requests <= 3 * jobs
    assert c.usage.requests == fake.requests


def test_faults_fail_one_job_and_the_scan_goes_on(fake):
    fake.inject("status", path=r"/job/nightly/", count=20, status=500)
    fake.inject("403", path=r"/job/pr-builder/", count=20)
    found, failures = collector(fake).collect_groups()
    names = dict(failures)
    assert "nightly" in names and "500" in names["nightly"]
    assert "pr-builder" in names and "403" in names["pr-builder"]
    assert ("github.com", "acme/billing") in {g.key for g in found}


def test_slow_answers_time_out_cleanly(fake):
    fake.inject("slow", path=r"/job/webhook-build/config.xml", count=5, delay_s=3)
    found, failures = collector(fake, timeout_s=1).collect_groups()
    assert any(job == "webhook-build" for job, _ in failures)


def test_config_xml_with_entities_is_refused():
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><project>&b;</project>'
    with pytest.raises(ConfigXmlError):
        parse_config(bomb)


def run_cli(args, monkeypatch, tmp_path, token=TOKEN):
    return cli_helpers.run_cli(args, monkeypatch, tmp_path, JENKINS_USER=USER, JENKINS_TOKEN=token)


def test_linking_into_local_and_github_repositories(fake, monkeypatch, tmp_path, caplog):
    from fakes import FakeGitHub, generate_org

    # a local checkout of acme/billing whose origin is the https form (Jenkins has the ssh one)
    checkout = tmp_path / "billing"
    checkout.mkdir()
    (checkout / "Makefile").write_text("test:\n\tpytest\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", "-b", "main", str(checkout)], check=True)
    subprocess.run(["git", "-C", str(checkout), "remote", "add", "origin", "https://github.com/acme/billing.git"], check=True)
    with FakeGitHub(org=generate_org("acme", repos=8, seed=1)) as gh:
        config = tmp_path / "maturity.toml"
        # the fake GitHub's web host is 127.0.0.1 where Jenkins has github.com: say they are one server
        config.write_text(f'[github]\nurl = "{gh.url}"\ncache = false\n\n[jenkins]\nhost_aliases = {{"github.com" = "127.0.0.1"}}\n\n'
                          f'[[targets]]\nkind = "jenkins"\nurl = "{fake.url}"\n\n'
                          f'[[targets]]\nkind = "local"\npath = "{checkout}"\n\n'
                          f'[[targets]]\nkind = "github"\nname = "acme/flagship"\n', encoding="utf-8")
        monkeypatch.setenv("GITHUB_TOKEN", "gh-token")
        with caplog.at_level(logging.DEBUG):
            code, out, err = run_cli(["scan", "--config", str(config), "-f", "json"], monkeypatch, tmp_path)
    assert code == 0, err
    run = json.loads(out)
    reports = {r["target"]["name"]: r for r in run["reports"]}
    billing = next(r for r in run["reports"] if r["target"]["kind"] == "local")
    assert any(e["source"] == "jenkins" for e in billing["evidence"])  # linked by https <-> ssh
    assert billing["signals"]["ci"]["default_branch"]["runs"] > 0
    flagship = reports["acme/flagship"]
    assert any(e["source"] == "jenkins" and "deploy-production" in e["observed"] for e in flagship["evidence"])
    # jobs nothing claimed are reported on their own; a job is never in two reports
    assert reports["127.0.0.1/acme/shop"]["target"]["kind"] == "jenkins"
    assert not any(name.endswith(("/acme/billing", "127.0.0.1/acme/flagship")) for name in reports)
    assert any(a["provider"] == "jenkins" and a["requests"] > 0 for a in run["api"])
    for text in (out, err, caplog.text):
        assert TOKEN not in text


def test_bad_credentials_are_one_line(fake, monkeypatch, tmp_path):
    code, out, err = run_cli(["scan", f"jenkins:{fake.url}"], monkeypatch, tmp_path, token="wrong")
    assert code != 0 and "401" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "wrong" not in err
